//! Language tags for exams: an ISO 639-1 code, optionally with a region.

/// Every ISO 639-1 two-letter language code, sorted for binary search.
const ISO_639_1: &[&str] = &[
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bi",
    "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da", "de",
    "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr", "fy",
    "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz", "ia",
    "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj", "kk",
    "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln", "lo",
    "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb", "nd",
    "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi", "pl",
    "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk", "sl",
    "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti", "tk",
    "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo", "wa",
    "wo", "xh", "yi", "yo", "za", "zh", "zu",
];

/// Checks a language tag: `fr`, `en`, or with a region, `fr-CA`, `en-GB`.
///
/// Returns a sentence saying what is wrong otherwise.
pub fn check(tag: &str) -> Result<(), String> {
    let (language, region) = match tag.split_once('-') {
        Some((l, r)) => (l, Some(r)),
        None => (tag, None),
    };
    if ISO_639_1.binary_search(&language).is_err() {
        return Err(format!(
            "`{language}` is not an ISO 639-1 language code (e.g. `en`, `fr`, `de`)"
        ));
    }
    if let Some(region) = region
        && (region.len() != 2 || !region.bytes().all(|b| b.is_ascii_uppercase()))
    {
        return Err(format!(
            "`{region}` is not a region code: write two capital letters (e.g. `fr-CA`)"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_and_complete() {
        assert!(ISO_639_1.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(ISO_639_1.len(), 183);
    }

    #[test]
    fn accepts_languages_and_regions() {
        for ok in ["fr", "en", "de", "fr-CA", "en-GB", "zu"] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
        for bad in ["", "xx", "FR", "english", "fr-ca", "fr-", "fr-CAN"] {
            assert!(check(bad).is_err(), "{bad}");
        }
    }
}
