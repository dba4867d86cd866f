//! Names for what the source does not name: exam, section and question
//! ids made from titles and text, titles from category paths and file
//! names, and the language guessed from the questions' words.

use super::preview;
use std::collections::HashSet;

/// An id made of lowercase ASCII letters, digits and `-`, at most `max`
/// bytes, from any text (`Numeric: 1` → `numeric-1`, `Créer` → `creer`).
pub(crate) fn slug(text: &str, max: usize) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        let ascii = fold(c);
        if ascii.is_empty() {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push_str(ascii);
        }
    }
    let mut out: String = out.trim_matches('-').to_string();
    if out.len() > max {
        let cut = out[..max]
            .rfind('-')
            .filter(|&i| i >= max / 2)
            .unwrap_or(max);
        out.truncate(cut);
        out = out.trim_end_matches('-').to_string();
    }
    out
}

/// The ASCII spelling of a lowercase letter or digit for ids; empty for
/// what separates words.
fn fold(c: char) -> &'static str {
    const LETTERS: &str = "abcdefghijklmnopqrstuvwxyz0123456789";
    if let Some(i) = LETTERS.find(c) {
        return &LETTERS[i..=i];
    }
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'ç' | 'ć' | 'č' | 'ĉ' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'ğ' | 'ġ' | 'ģ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => "i",
        'ł' | 'ľ' | 'ĺ' | 'ļ' => "l",
        'ñ' | 'ń' | 'ň' | 'ņ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'ř' | 'ŕ' => "r",
        'ś' | 'š' | 'ş' | 'ș' => "s",
        'ť' | 'ţ' | 'ț' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'þ' => "th",
        _ => "",
    }
}

/// Keeps ids unique: `intro`, then `intro-2`, `intro-3`…
pub(crate) struct Ids(pub HashSet<String>);

impl Ids {
    pub fn unique(&mut self, base: &str) -> String {
        let mut id = base.to_string();
        let mut n = 2;
        while !self.0.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }
}

/// The language of the questions, guessed from common words; `None` when
/// the text says too little.
pub(crate) fn guess_language<'a>(texts: impl Iterator<Item = &'a str>) -> Option<&'static str> {
    const WORDS: &[(&str, &[&str])] = &[
        (
            "en",
            &[
                "the", "is", "of", "and", "to", "what", "which", "are", "in", "a", "this", "for",
                "that", "with",
            ],
        ),
        (
            "fr",
            &[
                "le", "la", "les", "des", "est", "une", "un", "du", "et", "que", "qui", "pour",
                "dans", "quel", "quelle", "combien", "sont", "il", "y", "pas",
            ],
        ),
        (
            "de",
            &[
                "der", "die", "das", "und", "ist", "nicht", "ein", "eine", "welche", "welcher",
                "mit", "zu", "den", "wie",
            ],
        ),
        (
            "es",
            &[
                "el", "los", "las", "es", "una", "qué", "cuál", "por", "para", "del", "se", "con",
                "cómo",
            ],
        ),
    ];
    let mut hits = [0usize; 4];
    for text in texts {
        for word in text
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
        {
            let word = word.to_lowercase();
            for (i, (_, list)) in WORDS.iter().enumerate() {
                if list.contains(&word.as_str()) {
                    hits[i] += 1;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..WORDS.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(hits[i]));
    let (best, second) = (hits[order[0]], hits[order[1]]);
    (best >= 3 && best * 2 > second * 3).then(|| WORDS[order[0]].0)
}

/// A section's id and title from a Moodle category path such as
/// `$course$/top/Default for X/Essays`: the context prefix and `top` are
/// dropped, the title keeps the path, the id is the last part's slug.
pub(crate) fn section_names(path: &str) -> (String, String) {
    let parts: Vec<String> = split_category(path)
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect();
    let parts: Vec<&String> = parts
        .iter()
        .enumerate()
        .filter(|(i, p)| {
            let context = *i == 0 && p.starts_with('$') && p.ends_with('$');
            let top = p.as_str() == "top" && *i <= 1;
            !context && !top
        })
        .map(|(_, p)| p)
        .collect();
    let title = parts
        .iter()
        .map(|p| p.trim())
        .collect::<Vec<_>>()
        .join(" / ");
    let title = if title.trim().is_empty() {
        path.trim().to_string()
    } else {
        title
    };
    let id = parts.last().map(|p| slug(p, 40)).unwrap_or_default();
    let title = if title.is_empty() {
        "Section".to_string()
    } else {
        preview(&title, 120)
    };
    (id, title)
}

/// Splits a Moodle category path on `/`, where `//` is a slash inside a name.
fn split_category(path: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = path.trim().chars().peekable();
    while let Some(c) = chars.next() {
        if c == '/' {
            if chars.peek() == Some(&'/') {
                chars.next();
                if let Some(p) = parts.last_mut() {
                    p.push('/');
                }
            } else {
                parts.push(String::new());
            }
        } else if let Some(p) = parts.last_mut() {
            p.push(c);
        }
    }
    parts.into_iter().map(|p| p.trim().to_string()).collect()
}

/// The first `n` words of `text`.
pub(crate) fn words(text: &str, n: usize) -> String {
    text.split_whitespace()
        .take(n)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A readable title from a file stem: `qas_editor_all` → `Qas editor all`.
pub(crate) fn title_from(stem: &str) -> String {
    let spaced: String = stem
        .chars()
        .map(|c| {
            if c == '_' || c == '-' || c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect();
    let spaced = words(&spaced, 20);
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Imported exam".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_valid_ids() {
        assert_eq!(slug("Numeric: 1", 40), "numeric-1");
        assert_eq!(
            slug("06- création d'instance", 40),
            "06-creation-d-instance"
        );
        assert_eq!(slug("  --Œuvre  Straße-- ", 40), "oeuvre-strasse");
        assert_eq!(slug("日本語", 40), "");
        let long = slug("one two three four five six seven eight nine ten", 20);
        assert!(long.len() <= 20 && !long.ends_with('-'), "{long}");
    }

    #[test]
    fn ids_are_made_unique() {
        let mut ids = Ids(HashSet::new());
        assert_eq!(ids.unique("q"), "q");
        assert_eq!(ids.unique("q"), "q-2");
        assert_eq!(ids.unique("q"), "q-3");
    }

    #[test]
    fn category_paths_become_titles_and_ids() {
        assert_eq!(
            section_names("$course$/top/Default for C1/Essays"),
            ("essays".into(), "Default for C1 / Essays".into())
        );
        assert_eq!(
            section_names("qas editor/True-False"),
            ("true-false".into(), "qas editor / True-False".into())
        );
        assert_eq!(section_names("a//b"), ("a-b".into(), "a/b".into()));
    }

    #[test]
    fn language_is_guessed_from_common_words() {
        let fr = [
            "Combien de principes GRASP y a-t-il dans le livre?",
            "Qui crée la classe?",
        ];
        assert_eq!(guess_language(fr.into_iter()), Some("fr"));
        let en = [
            "What is the value of pi?",
            "Which of these is the right one?",
        ];
        assert_eq!(guess_language(en.into_iter()), Some("en"));
        assert_eq!(guess_language(["2 + 2"].into_iter()), None);
    }
}
