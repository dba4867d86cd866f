//! Pool statistics for authors: is each section's pool big enough for the
//! draw it asks, how likely is a question to appear, how long will an
//! attempt take?
//!
//! Pure: an [`Exam`] in, numbers and warnings out. The time estimate is a
//! rule of thumb, not a measurement: a base time per question kind plus
//! reading time at 200 words a minute for the prompt and the choices.

use super::{Exam, Kind, Question};
use std::time::Duration;

/// Statistics of one exam.
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    /// One entry per section, in file order.
    pub sections: Vec<SectionStats>,
    /// Questions an attempt draws.
    pub drawn: usize,
    /// Questions in all pools.
    pub pool: usize,
    /// The exam's time limit.
    pub time_limit: Duration,
    /// Estimated time for an average attempt.
    pub estimated: Duration,
    /// What an author should look at.
    pub warnings: Vec<Warning>,
}

/// Statistics of one section.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionStats {
    /// The section's id.
    pub id: String,
    /// Questions in its pool.
    pub pool: usize,
    /// Questions an attempt draws from it.
    pub draw: usize,
    /// Chance that a given question of the pool appears in an attempt (0 to 1).
    pub chance: f64,
    /// How many questions of each kind the pool holds, kinds in a fixed order.
    pub kinds: Vec<(&'static str, usize)>,
    /// The smallest and largest points of a question in the pool.
    pub points: (f64, f64),
    /// Estimated time for the questions drawn, from the pool's average.
    pub estimated: Duration,
}

/// Something about the pools an author should look at.
#[derive(Debug, Clone, PartialEq)]
pub enum Warning {
    /// A pool smaller than twice its draw: attempts share most questions.
    SmallPool {
        /// The section.
        section: String,
        /// Questions in the pool.
        pool: usize,
        /// Questions drawn.
        draw: usize,
    },
    /// Questions of one pool are worth different points, so attempts
    /// weigh differently.
    UnevenPoints {
        /// The section.
        section: String,
        /// Fewest points of a question.
        min: f64,
        /// Most points of a question.
        max: f64,
    },
    /// The estimated time is above the time limit.
    ShortTime {
        /// The estimate.
        estimated: Duration,
        /// The limit.
        limit: Duration,
    },
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use super::duration::format;
        match self {
            Self::SmallPool {
                section,
                pool,
                draw,
            } if pool == draw => write!(
                f,
                "section `{section}` draws its whole pool ({pool}): every attempt asks the same \
                 questions; a pool of {} or more would vary",
                2 * draw
            ),
            Self::SmallPool {
                section,
                pool,
                draw,
            } => write!(
                f,
                "section `{section}` draws {draw} of {pool}: attempts share most questions; a \
                 pool of {} or more would vary",
                2 * draw
            ),
            Self::UnevenPoints { section, min, max } => write!(
                f,
                "section `{section}` mixes questions worth {min} to {max} points: attempts can \
                 weigh differently"
            ),
            Self::ShortTime { estimated, limit } => write!(
                f,
                "an average attempt is estimated at {}, above the time limit of {}",
                format(*estimated),
                format(*limit)
            ),
        }
    }
}

/// The kinds in the order statistics list them.
const KINDS: [&str; 5] = ["single", "multiple", "true-false", "text", "numeric"];

fn kind_name(kind: &Kind) -> &'static str {
    match kind {
        Kind::Single { .. } => KINDS[0],
        Kind::Multiple { .. } => KINDS[1],
        Kind::TrueFalse { .. } => KINDS[2],
        Kind::Text { .. } => KINDS[3],
        Kind::Numeric { .. } => KINDS[4],
    }
}

/// Rule-of-thumb seconds a learner spends on `q`: a base per kind (deciding,
/// typing) plus reading its text at 200 words a minute.
pub fn estimate_seconds(q: &Question) -> f64 {
    let base = match q.kind {
        Kind::TrueFalse { .. } => 20.0,
        Kind::Single { .. } => 30.0,
        Kind::Multiple { .. } | Kind::Text { .. } => 45.0,
        Kind::Numeric { .. } => 60.0,
    };
    let mut words = q.prompt.split_whitespace().count();
    if let Kind::Single { choices } | Kind::Multiple { choices } = &q.kind {
        words += choices
            .iter()
            .map(|c| c.text.split_whitespace().count())
            .sum::<usize>();
    }
    #[allow(clippy::cast_precision_loss)]
    let reading = words as f64 * 60.0 / 200.0;
    base + reading
}

/// Computes the statistics of `exam`.
pub fn stats(exam: &Exam) -> Stats {
    let mut sections = Vec::new();
    let mut warnings = Vec::new();
    for s in &exam.sections {
        let pool: Vec<&Question> = s
            .pool
            .iter()
            .filter_map(|&i| exam.questions.get(i))
            .collect();
        let draw = s.draw as usize;
        let kinds = KINDS
            .iter()
            .map(|k| (*k, pool.iter().filter(|q| kind_name(&q.kind) == *k).count()))
            .filter(|(_, n)| *n > 0)
            .collect();
        let points = pool.iter().fold((f64::MAX, f64::MIN), |(lo, hi), q| {
            (lo.min(q.points), hi.max(q.points))
        });
        let points = if pool.is_empty() { (0.0, 0.0) } else { points };
        #[allow(clippy::cast_precision_loss)]
        let (chance, mean) = if pool.is_empty() {
            (0.0, 0.0)
        } else {
            (
                (draw as f64 / pool.len() as f64).min(1.0),
                pool.iter().map(|q| estimate_seconds(q)).sum::<f64>() / pool.len() as f64,
            )
        };
        #[allow(clippy::cast_precision_loss)]
        let seconds = mean * draw as f64;
        if draw > 0 && pool.len() < 2 * draw {
            warnings.push(Warning::SmallPool {
                section: s.id.clone(),
                pool: pool.len(),
                draw,
            });
        }
        if draw > 0 && points.0 < points.1 && draw < pool.len() {
            warnings.push(Warning::UnevenPoints {
                section: s.id.clone(),
                min: points.0,
                max: points.1,
            });
        }
        sections.push(SectionStats {
            id: s.id.clone(),
            pool: pool.len(),
            draw,
            chance,
            kinds,
            points,
            estimated: whole_seconds(seconds),
        });
    }
    // The sum of what the table shows, so that the numbers add up.
    let estimated = sections.iter().map(|s| s.estimated).sum();
    if estimated > exam.rules.time_limit {
        warnings.push(Warning::ShortTime {
            estimated,
            limit: exam.rules.time_limit,
        });
    }
    Stats {
        drawn: sections.iter().map(|s| s.draw).sum(),
        pool: exam.questions.len(),
        sections,
        time_limit: exam.rules.time_limit,
        estimated,
        warnings,
    }
}

fn whole_seconds(seconds: f64) -> Duration {
    Duration::from_secs_f64(seconds.max(0.0).ceil())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exam(src: &str) -> Exam {
        let loaded = crate::bank::load_str(src);
        loaded
            .exam
            .unwrap_or_else(|| panic!("{:#?}", loaded.diagnostics))
    }

    const BANK: &str = r#"
[exam]
id = "s"
version = "1"
title = "S"
language = "en"
description = "d"
learning_outcomes = ["o"]
workload_hours = 1
[rules]
time_limit = "1m"
mastery_threshold = 50
[[sections]]
id = "small"
title = "Small"
draw = 2
[[sections]]
id = "big"
title = "Big"
draw = 1
[[questions]]
id = "a"
section = "small"
kind = "true-false"
prompt = "one two three four"
answer = true
[[questions]]
id = "b"
section = "small"
kind = "true-false"
prompt = "five six"
answer = false
points = 2
[[questions]]
id = "c"
section = "small"
kind = "numeric"
prompt = "How many?"
answer = 3
[[questions]]
id = "d"
section = "big"
kind = "single"
prompt = "Pick"
  [[questions.choices]]
  text = "x"
  correct = true
  [[questions.choices]]
  text = "y"
[[questions]]
id = "e"
section = "big"
kind = "text"
prompt = "Say"
accepted = ["z"]
"#;

    #[test]
    fn pools_draws_and_chances() {
        let s = stats(&exam(BANK));
        assert_eq!((s.drawn, s.pool), (3, 5));
        let small = &s.sections[0];
        assert_eq!((small.pool, small.draw), (3, 2));
        assert!((small.chance - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(small.kinds, vec![("true-false", 2), ("numeric", 1)]);
        assert_eq!(small.points, (1.0, 2.0));
        let big = &s.sections[1];
        assert!((big.chance - 0.5).abs() < 1e-9);
        assert_eq!(big.kinds, vec![("single", 1), ("text", 1)]);
    }

    #[test]
    fn time_is_estimated_per_kind_and_words() {
        let e = exam(BANK);
        // true-false: 20 s + 4 words at 200 a minute (1.2 s).
        assert!((estimate_seconds(&e.questions[0]) - 21.2).abs() < 1e-9);
        // single: 30 s + 3 words (prompt and choices).
        assert!((estimate_seconds(&e.questions[3]) - 30.9).abs() < 1e-9);
        let s = stats(&e);
        // small: 2 × mean(21.2, 20.6, 60.6) = 68.3; big: 1 × mean(30.9, 45.3) = 38.1.
        assert_eq!(s.sections[0].estimated, Duration::from_secs(69));
        assert_eq!(s.sections[1].estimated, Duration::from_secs(39));
        assert_eq!(s.estimated, Duration::from_secs(108));
    }

    #[test]
    fn warnings_name_the_problem() {
        let s = stats(&exam(BANK));
        assert_eq!(
            s.warnings,
            vec![
                Warning::SmallPool {
                    section: "small".into(),
                    pool: 3,
                    draw: 2
                },
                Warning::UnevenPoints {
                    section: "small".into(),
                    min: 1.0,
                    max: 2.0
                },
                Warning::ShortTime {
                    estimated: Duration::from_secs(108),
                    limit: Duration::from_secs(60)
                },
            ]
        );
        assert_eq!(
            s.warnings[0].to_string(),
            "section `small` draws 2 of 3: attempts share most questions; a pool of 4 or more would vary"
        );
        let whole = Warning::SmallPool {
            section: "x".into(),
            pool: 2,
            draw: 2,
        };
        assert!(whole.to_string().contains("draws its whole pool (2)"));
    }
}
