//! Checking many Ed25519 signatures at once, with exactly the verdicts of
//! strict single verification ([`SignedData::verify_strict`]).
//!
//! `ed25519_dalek::verify_batch` checks one random linear combination of
//! the cofactorless equations `[s]B = R + [k]A` (its 128-bit coefficients are
//! derived from a transcript of all the inputs: this version takes no
//! random number generator). It accepts a batch whose every equation holds,
//! and rejects one with a failing equation except with probability about
//! 2^-128, provided that each failing equation fails in the prime-order
//! subgroup. `verify_strict` also rejects things a batch would accept. So a
//! signature goes into a batch only when:
//!
//! - `S` is canonical (below the group order), as `verify_strict` requires;
//! - `R` is a canonical encoding (y below 2^255 - 19): `verify_strict`
//!   compares encodings, a batch compares points;
//! - neither `R` nor the key `A` is of small order, as `verify_strict`
//!   requires (`VerifyingKey::is_weak`, `EdwardsPoint::is_small_order`);
//! - both `R` and `A` are torsion-free. `verify_strict` does not ask for
//!   this, but a batch needs it: with a torsion component `T` in `R`, the
//!   difference `[s]B - R - [k]A` is `-T`, which a coefficient divisible by
//!   the order of `T` (one in two for order 2) cancels, so a batch could
//!   accept a signature that `verify_strict` rejects.
//!
//! Every other signature is checked alone by `verify_strict`. A batch that
//! fails is split in two and each half checked again, down to single
//! signatures, which are checked by `verify_strict`: each verdict is
//! exactly the strict one.

use super::proof::SignedData;
use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::VartimeMultiscalarMul;
use ed25519_dalek::{Signature, VerifyingKey};
use std::collections::HashMap;

/// Under this many batchable signatures, each is checked alone: a batch
/// costs more than strict checks for very few signatures.
pub const MIN_BATCH: usize = 4;

/// Whether each signature holds under strict Ed25519 verification:
/// `result[i] == items[i].verify_strict()`, for every `i`.
pub fn verify_strict_all(items: &[&SignedData]) -> Vec<bool> {
    let mut holds = vec![false; items.len()];
    let mut keys: HashMap<[u8; 32], bool> = HashMap::new();
    let mut batch: Vec<usize> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let key = item.signer.verifying_key();
        let key_ok = *keys
            .entry(*key.as_bytes())
            .or_insert_with(|| batchable_key(key));
        if key_ok && batchable_signature(&item.signature) {
            batch.push(i);
        } else {
            holds[i] = item.verify_strict();
        }
    }
    check(items, &batch, &mut holds);
    holds
}

/// Checks the signatures `which` of `items` (all batchable) into `holds`.
fn check(items: &[&SignedData], which: &[usize], holds: &mut [bool]) {
    if which.len() < MIN_BATCH {
        for &i in which {
            holds[i] = items[i].verify_strict();
        }
        return;
    }
    let messages: Vec<&[u8]> = which.iter().map(|&i| &items[i].message[..]).collect();
    let signatures: Vec<Signature> = which.iter().map(|&i| items[i].signature).collect();
    let keys: Vec<VerifyingKey> = which
        .iter()
        .map(|&i| *items[i].signer.verifying_key())
        .collect();
    if ed25519_dalek::verify_batch(&messages, &signatures, &keys).is_ok() {
        for &i in which {
            holds[i] = true;
        }
    } else {
        let (left, right) = which.split_at(which.len() / 2);
        check(items, left, holds);
        check(items, right, holds);
    }
}

/// Whether a key may go into a batch: not of small order (which
/// `verify_strict` rejects), and torsion-free.
pub fn batchable_key(key: &VerifyingKey) -> bool {
    !key.is_weak() && is_torsion_free(&key.to_edwards())
}

/// Whether a signature may go into a batch: canonical `S`, and an `R`
/// that is a canonical encoding of a torsion-free point not of small order.
pub fn batchable_signature(signature: &Signature) -> bool {
    if Scalar::from_canonical_bytes(*signature.s_bytes())
        .is_none()
        .into()
    {
        return false;
    }
    let r = signature.r_bytes();
    if !is_canonical_y(r) {
        return false;
    }
    // With a canonical y, only x = 0 has two encodings (the sign bit set or
    // not); those points (y = 1 or -1) are of small order and rejected.
    match CompressedEdwardsY(*r).decompress() {
        Some(point) => !point.is_small_order() && is_torsion_free(&point),
        None => false,
    }
}

/// Whether `[l]P` is the identity, `l` the prime order of the base point:
/// `EdwardsPoint::is_torsion_free` in variable time (the points are public),
/// as `[l - 1]P = -P`.
fn is_torsion_free(point: &EdwardsPoint) -> bool {
    let l_minus_one = Scalar::ZERO - Scalar::ONE;
    EdwardsPoint::vartime_multiscalar_mul([l_minus_one], [*point]) == -point
}

/// Whether the y coordinate of an encoded point (the sign bit aside) is
/// below the field's prime 2^255 - 19.
fn is_canonical_y(encoded: &[u8; 32]) -> bool {
    // y >= p only when bits 5..254 are all ones and the low byte >= 0xed.
    let top_all_ones = encoded[31] & 0x7f == 0x7f && encoded[1..31].iter().all(|&b| b == 0xff);
    !(top_all_ones && encoded[0] >= 0xed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credential::did::DidKey;
    use curve25519_dalek::constants::{ED25519_BASEPOINT_POINT, EIGHT_TORSION};
    use ed25519_dalek::{Signer, SigningKey};
    use sha2::{Digest, Sha512};

    fn item(seed: u8, message: [u8; 64]) -> SignedData {
        let key = SigningKey::from_bytes(&[seed; 32]);
        SignedData {
            message,
            signature: key.sign(&message),
            signer: DidKey::from_key(key.verifying_key()),
        }
    }

    fn strict(items: &[SignedData]) -> Vec<bool> {
        items.iter().map(SignedData::verify_strict).collect()
    }

    fn batched(items: &[SignedData]) -> Vec<bool> {
        verify_strict_all(&items.iter().collect::<Vec<_>>())
    }

    /// `k = H(R || A || M)` as a scalar.
    fn challenge(r: &[u8; 32], key: &VerifyingKey, message: &[u8]) -> Scalar {
        let mut h = Sha512::new();
        h.update(r);
        h.update(key.as_bytes());
        h.update(message);
        Scalar::from_bytes_mod_order_wide(&h.finalize().into())
    }

    /// A signature with nonce point `R = [r]B + extra` and `s = r + k·a`: the
    /// equation holds but for `extra`. A key holder can make it.
    fn crafted(seed: u8, message: [u8; 64], r: Scalar, extra: EdwardsPoint) -> SignedData {
        let key = SigningKey::from_bytes(&[seed; 32]);
        let a = key.to_scalar();
        let big_r = (ED25519_BASEPOINT_POINT * r + extra).compress();
        let k = challenge(big_r.as_bytes(), &key.verifying_key(), &message);
        let s = r + k * a;
        SignedData {
            message,
            signature: Signature::from_components(*big_r.as_bytes(), *s.as_bytes()),
            signer: DidKey::from_key(key.verifying_key()),
        }
    }

    #[test]
    fn valid_signatures_hold_in_a_batch() {
        let items: Vec<_> = (0..40).map(|i| item(i % 3 + 1, [i; 64])).collect();
        assert!(
            items
                .iter()
                .all(|i| batchable_signature(&i.signature)
                    && batchable_key(i.signer.verifying_key()))
        );
        assert_eq!(batched(&items), vec![true; 40]);
    }

    #[test]
    fn one_bad_signature_among_good_ones_is_found() {
        let mut items: Vec<_> = (0..33).map(|i| item(1, [i; 64])).collect();
        items[17].message[3] ^= 1;
        let expected: Vec<bool> = (0..33).map(|i| i != 17).collect();
        assert_eq!(strict(&items), expected);
        assert_eq!(batched(&items), expected);
    }

    #[test]
    fn a_small_order_key_is_rejected_as_strictly() {
        // The identity as the key: `[s]B = R` holds for R = B, s = 1, so the
        // cofactorless batch equation accepts it; verify_strict does not.
        let identity = VerifyingKey::from_bytes(&EdwardsPoint::default().compress().to_bytes())
            .expect("the identity decodes");
        assert!(identity.is_weak());
        let forged = SignedData {
            message: [9; 64],
            signature: Signature::from_components(
                ED25519_BASEPOINT_POINT.compress().to_bytes(),
                Scalar::ONE.to_bytes(),
            ),
            signer: DidKey::from_key(identity),
        };
        let forged_alone = [forged.clone()];
        assert!(
            ed25519_dalek::verify_batch(
                &[&forged.message[..]],
                &[forged.signature],
                std::slice::from_ref(forged.signer.verifying_key())
            )
            .is_ok(),
            "the raw batch accepts it"
        );
        assert_eq!(strict(&forged_alone), vec![false]);
        let mut items: Vec<_> = (0..8).map(|i| item(2, [i; 64])).collect();
        items.insert(3, forged);
        let expected: Vec<bool> = (0..9).map(|i| i != 3).collect();
        assert_eq!(strict(&items), expected);
        assert_eq!(batched(&items), expected);
    }

    #[test]
    fn a_small_order_r_is_rejected_as_strictly() {
        // R = the identity, s = k·a: the equation holds, R is of small order.
        let items: Vec<SignedData> = (0..8)
            .map(|i| crafted(3, [i; 64], Scalar::ZERO, EdwardsPoint::default()))
            .collect();
        assert!(items.iter().all(|i| {
            CompressedEdwardsY(*i.signature.r_bytes())
                .decompress()
                .is_some_and(|p| p.is_small_order())
        }));
        let messages: Vec<&[u8]> = items.iter().map(|i| &i.message[..]).collect();
        let signatures: Vec<Signature> = items.iter().map(|i| i.signature).collect();
        let keys: Vec<VerifyingKey> = items.iter().map(|i| *i.signer.verifying_key()).collect();
        assert!(
            ed25519_dalek::verify_batch(&messages, &signatures, &keys).is_ok(),
            "the raw batch accepts them"
        );
        assert_eq!(strict(&items), vec![false; 8]);
        assert_eq!(batched(&items), vec![false; 8]);
    }

    #[test]
    fn an_r_with_a_torsion_component_is_rejected_as_strictly() {
        // R = [r]B + T, T of order 2: verify_strict rejects every one; a raw
        // batch accepts whenever the coefficient of T is even. Over many
        // messages the raw batch accepts some: the torsion check is needed.
        let order_two = EIGHT_TORSION[4];
        assert!(order_two.is_small_order() && order_two != EdwardsPoint::default());
        let mut raw_accepted = 0;
        for m in 0..16u8 {
            let bad = crafted(4, [m; 64], Scalar::from(1000 + u64::from(m)), order_two);
            assert!(!bad.verify_strict());
            let one = [bad.clone()];
            let messages = [&bad.message[..]];
            if ed25519_dalek::verify_batch(
                &messages,
                &[bad.signature],
                &[*bad.signer.verifying_key()],
            )
            .is_ok()
            {
                raw_accepted += 1;
            }
            assert_eq!(batched(&one), vec![false]);
            let mut items: Vec<_> = (0..6).map(|i| item(4, [i + 100; 64])).collect();
            items.push(bad);
            assert_eq!(batched(&items), strict(&items));
        }
        assert!(raw_accepted > 0, "the raw batch never accepted one");
    }

    #[test]
    fn non_canonical_encodings_are_not_batched() {
        let good = item(5, [1; 64]);
        // S + l: the same scalar, not canonical.
        let l = Scalar::ZERO - Scalar::ONE;
        let mut s_plus_l = [0u8; 32];
        let mut carry = 1u16; // (l - 1) + 1 = l, added to S below
        let s = good.signature.s_bytes();
        let lm1 = l.to_bytes();
        for i in 0..32 {
            let sum = u16::from(s[i]) + u16::from(lm1[i]) + carry;
            s_plus_l[i] = (sum & 0xff) as u8;
            carry = sum >> 8;
        }
        let sig = Signature::from_components(*good.signature.r_bytes(), s_plus_l);
        assert!(!batchable_signature(&sig));
        let bad = SignedData {
            signature: sig,
            ..good.clone()
        };
        let mut items: Vec<_> = (0..6).map(|i| item(5, [i + 50; 64])).collect();
        items.push(bad);
        items.push(good);
        assert_eq!(batched(&items), strict(&items));
        assert!(!strict(&items)[6]);
        // y = p + 2: a non-canonical y.
        let mut y = [0xff; 32];
        y[0] = 0xed + 2;
        y[31] = 0x7f;
        assert!(!is_canonical_y(&y));
        let mut below = y;
        below[0] = 0xec;
        assert!(is_canonical_y(&below));
    }
}
