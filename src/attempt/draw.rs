//! The paper: which questions an attempt asks, in which order, with which
//! choice order, drawn from a seed.
//!
//! Portability is the point: the same bank and seed give the same paper on
//! any machine and any future build. So the stream comes from ChaCha20 (a
//! fixed, specified algorithm) keyed by SHA-256 of a versioned label and the
//! seed, and the shuffles and bounded draws are written here, not borrowed
//! from `rand`'s helpers whose algorithms may change between releases.

use crate::bank::{Exam, Kind};
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// One question as it appears on the paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// Index into [`Exam::questions`].
    pub question: usize,
    /// Display order of the choices: `choices[k]` is the index (in the bank)
    /// of the choice shown `k`-th. Empty for questions without choices.
    pub choices: Vec<usize>,
}

/// Draws the paper for `seed`: per section, `draw` questions without
/// replacement; then the question order and each question's choice order
/// shuffled as the rules allow (pinned choices keep their place).
pub fn draw(exam: &Exam, seed: u64) -> Vec<Item> {
    let mut rng = Stream::new(seed);
    let mut picked = Vec::with_capacity(exam.draw_count());
    for section in &exam.sections {
        let mut pool = section.pool.clone();
        let take = (section.draw as usize).min(pool.len());
        // Partial Fisher-Yates: the first `take` slots are a uniform sample.
        for i in 0..take {
            let j = i + rng.below(pool.len() - i);
            pool.swap(i, j);
        }
        let mut sample = pool[..take].to_vec();
        // Without question shuffling, keep the bank's order within a section.
        if !exam.rules.shuffle_questions {
            sample.sort_unstable();
        }
        picked.extend(sample);
    }
    if exam.rules.shuffle_questions {
        rng.shuffle(&mut picked);
    }
    picked
        .into_iter()
        .map(|question| {
            let choices = match &exam.questions[question].kind {
                Kind::Single { choices } | Kind::Multiple { choices } => {
                    let mut order: Vec<usize> = (0..choices.len()).collect();
                    if exam.rules.shuffle_choices {
                        let free: Vec<usize> =
                            (0..choices.len()).filter(|&i| !choices[i].pinned).collect();
                        let mut moved = free.clone();
                        rng.shuffle(&mut moved);
                        for (slot, choice) in free.into_iter().zip(moved) {
                            order[slot] = choice;
                        }
                    }
                    order
                }
                _ => Vec::new(),
            };
            Item { question, choices }
        })
        .collect()
}

/// A portable random stream: ChaCha20 keyed from the seed.
struct Stream(ChaCha20Rng);

impl Stream {
    fn new(seed: u64) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(b"brevet draw v1\n");
        hasher.update(seed.to_le_bytes());
        Self(ChaCha20Rng::from_seed(hasher.finalize().into()))
    }

    /// A uniform integer in `0..n` (`n > 0`), by rejection: no modulo bias.
    fn below(&mut self, n: usize) -> usize {
        let n = n as u64;
        let zone = u64::MAX - (u64::MAX % n);
        loop {
            let x = self.0.next_u64();
            if x < zone {
                #[allow(clippy::cast_possible_truncation)]
                return (x % n) as usize;
            }
        }
    }

    /// Fisher-Yates, from the last slot down.
    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn below_stays_in_range_and_covers_it() {
        let mut s = Stream::new(7);
        let mut seen = [false; 5];
        for _ in 0..200 {
            let v = s.below(5);
            seen[v] = true;
        }
        assert!(seen.iter().all(|&b| b));
    }

    #[test]
    fn the_stream_is_fixed_for_a_seed() {
        // Known answer: if this changes, every recorded paper would change.
        let mut s = Stream::new(42);
        let first: Vec<usize> = (0..8).map(|_| s.below(1000)).collect();
        let mut again = Stream::new(42);
        let second: Vec<usize> = (0..8).map(|_| again.below(1000)).collect();
        assert_eq!(first, second);
        assert_eq!(first, KNOWN_42);
    }

    // Pinned from the first run; cross-checked against an independent
    // ChaCha20 (RFC 8439 keystream, zero nonce) in Python `cryptography`.
    const KNOWN_42: [usize; 8] = [629, 877, 164, 376, 585, 345, 535, 653];
}
