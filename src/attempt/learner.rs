//! Who a learner is, for the attempt rules: a name (or id) as people type
//! it, reduced to one key, so that "Ada Lovelace", "ada  lovelace",
//! "ADA LOVELACE" and the same name with a zero-width space, a
//! right-to-left override or full-width letters are one learner, and a name
//! that mixes scripts ("Аda", the first letter Cyrillic) is refused rather
//! than taken for someone new.
//!
//! The key (see [`normalise`]):
//! 1. at most [`MAX_CHARS`] characters;
//! 2. every white space becomes a space;
//! 3. controls and default-ignorable code points (zero-width spaces and
//!    joiners, bidirectional marks, embeddings, overrides and isolates,
//!    variation selectors, soft hyphens...) are removed;
//! 4. the compatibility caseless form of Unicode (section 3.13, D146),
//!    composed: `NFKC(fold(NFKD(fold(NFD(s)))))`, where `fold` is full case
//!    folding (ß and SS match, ς and σ, the ligature ﬁ and fi);
//! 5. spaces trimmed and runs of them made one;
//! 6. one script (characters common to all scripts, such as spaces, digits
//!    and punctuation, go with any), or Latin with Han, Japanese or Korean
//!    (UTS #39, "highly restrictive").

use unicode_normalization::UnicodeNormalization;
use unicode_security::mixed_script::AugmentedScriptSet;

/// The longest name or id taken, in characters.
pub const MAX_CHARS: usize = 200;

/// Why a name or id cannot be a learner key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// Nothing is left once spaces and invisible characters are removed.
    #[error("it is empty once spaces and invisible characters are removed")]
    Empty,
    /// Longer than [`MAX_CHARS`].
    #[error("it is longer than {MAX_CHARS} characters")]
    TooLong,
    /// Letters of several scripts, such as a Cyrillic `а` among Latin
    /// letters: a name that looks like another one.
    #[error(
        "it mixes letters of several alphabets (such as a Cyrillic letter that looks like a Latin one): type it again with one keyboard layout"
    )]
    MixedScripts,
}

/// The learner key of `text` (a name or an id): equal for every way of
/// typing the same name, different for names that only look alike.
///
/// # Errors
/// See [`NameError`].
pub fn normalise(text: &str) -> Result<String, NameError> {
    if text.chars().count() > MAX_CHARS {
        return Err(NameError::TooLong);
    }
    let visible: String = text
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|&c| !c.is_control() && !default_ignorable(c))
        .collect();
    let nfd: String = visible.nfd().collect();
    let folded = unicase::UniCase::new(nfd).to_folded_case();
    let nfkd: String = folded.nfkd().collect();
    let caseless = unicase::UniCase::new(nfkd).to_folded_case();
    let composed: String = caseless.nfkc().collect();
    let key = composed
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if key.is_empty() {
        return Err(NameError::Empty);
    }
    if !one_script(&key) {
        return Err(NameError::MixedScripts);
    }
    Ok(key)
}

/// The UTS #39 skeleton of a key: two keys with the same skeleton look
/// alike ("rn" and "m", "0" and "o"), which a registry can flag.
pub fn skeleton(key: &str) -> String {
    unicode_security::skeleton(key).collect()
}

/// Checks a learner as typed: the name (and the id, when given) must make
/// a key. The error says which: `true` for the id.
///
/// # Errors
/// The first field that cannot be a key, and why.
pub fn check(learner: &super::Learner) -> Result<(), (bool, NameError)> {
    normalise(&learner.name).map_err(|e| (false, e))?;
    if let Some(id) = &learner.id {
        normalise(id).map_err(|e| (true, e))?;
    }
    Ok(())
}

/// Whether `text` is written in one script, or in Latin with Han, Japanese
/// or Korean (UTS #39 "highly restrictive"); characters of no script in
/// particular (spaces, digits, punctuation) go with any.
pub fn one_script(text: &str) -> bool {
    if !AugmentedScriptSet::for_str(text).is_empty() {
        return true;
    }
    // Latin + CJK: the characters that are not Latin resolve to Han,
    // Japanese or Korean.
    let latin = unicode_script::Script::Latin;
    let others: String = text
        .chars()
        .filter(|&c| !unicode_script::UnicodeScript::script_extension(&c).contains_script(latin))
        .collect();
    let set = AugmentedScriptSet::for_str(&others);
    !set.is_empty() && (set.hanb || set.jpan || set.kore) && !set.is_all()
}

/// Unicode's Default_Ignorable_Code_Point property (DerivedCoreProperties,
/// Unicode 16): characters that show nothing, so that two names differing
/// only by them look the same.
fn default_ignorable(c: char) -> bool {
    matches!(
        u32::from(c),
        0x00AD
            | 0x034F
            | 0x061C
            | 0x115F..=0x1160
            | 0x17B4..=0x17B5
            | 0x180B..=0x180F
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x206F
            | 0x3164
            | 0xFE00..=0xFE0F
            | 0xFEFF
            | 0xFFA0
            | 0xFFF0..=0xFFF8
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0000..=0xE0FFF
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_way_of_typing_a_name_gives_one_key() {
        let key = normalise("Ada Lovelace").unwrap();
        assert_eq!(key, "ada lovelace");
        for same in [
            "ada  lovelace",
            " ADA LOVELACE ",
            "Ada\u{00A0}Lovelace",               // no-break space
            "Ada\u{202F}Lovelace",               // narrow no-break space
            "Ada\tLovelace",                     // tab
            "Ada Lovelace\u{200B}",              // zero-width space
            "A\u{200D}da Lovelace",              // zero-width joiner
            "\u{202E}Ada Lovelace",              // right-to-left override
            "Ada Lovelace\u{2066}",              // bidi isolate
            "Ada Love\u{00AD}lace",              // soft hyphen
            "\u{FF21}\u{FF44}\u{FF41} Lovelace", // full-width letters
        ] {
            assert_eq!(normalise(same).unwrap(), key, "{same:?}");
        }
    }

    #[test]
    fn case_folding_is_full_and_accents_stay() {
        assert_eq!(normalise("STRASSE").unwrap(), normalise("straße").unwrap());
        assert_eq!(normalise("ΣΊΣΥΦΟΣ").unwrap(), normalise("σίσυφος").unwrap());
        assert_eq!(normalise("Ｅｌｉｓｅ").unwrap(), "elise");
        assert_eq!(normalise("ﬁlipa").unwrap(), "filipa");
        // Composed and decomposed accents are one name; no accent is another.
        assert_eq!(normalise("Zoé").unwrap(), normalise("Zoe\u{0301}").unwrap());
        assert_ne!(normalise("Zoé").unwrap(), normalise("Zoe").unwrap());
    }

    #[test]
    fn names_that_only_look_alike_are_refused_or_kept_apart() {
        // A Cyrillic а among Latin letters.
        assert_eq!(
            normalise("\u{0430}da Lovelace"),
            Err(NameError::MixedScripts)
        );
        assert_eq!(
            normalise("Ada Lov\u{0435}lace"),
            Err(NameError::MixedScripts)
        );
        // One script throughout is fine, whatever the script.
        assert_eq!(normalise("Ада Лавлейс").unwrap(), "ада лавлейс");
        assert!(normalise("Ἀριστοτέλης").is_ok());
        assert!(normalise("山田 太郎").is_ok());
        assert!(normalise("やまだ たろう").is_ok());
        assert!(normalise("김민준").is_ok());
        // Latin with Han, Japanese or Korean (a name and a given name).
        assert!(normalise("李 Wei").is_ok());
        assert!(normalise("Kenji 山田").is_ok());
        // Digits and punctuation go with any script.
        assert!(normalise("O'Brien-Smith 2").is_ok());
        assert!(normalise("E-12").is_ok());
    }

    #[test]
    fn names_that_look_alike_share_a_skeleton() {
        assert_eq!(skeleton("rnary"), skeleton("mary"));
        assert_ne!(skeleton("ada"), skeleton("eda"));
    }

    #[test]
    fn empty_and_overlong_names_are_refused() {
        assert_eq!(normalise(""), Err(NameError::Empty));
        assert_eq!(normalise(" \u{200B}\u{2060} \t"), Err(NameError::Empty));
        assert_eq!(
            normalise(&"a".repeat(MAX_CHARS)).map(|k| k.len()),
            Ok(MAX_CHARS)
        );
        assert_eq!(
            normalise(&"a".repeat(MAX_CHARS + 1)),
            Err(NameError::TooLong)
        );
    }
}
