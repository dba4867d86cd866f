//! Typed answers: short answer (exact text, Moodle's `*` wildcard) and
//! numerical (`value:tolerance`, `min..max`, several weighted answers).

use super::{Built, Ctx, EPS, answer_text, feedback, php_trim, split_at_markers, weight};
use crate::bank::NumericAnswer;
use crate::bank::import::{DraftKind, Level, percent, preview};

/// Whether a short answer uses Moodle's `*` wildcard (`\*` is a plain star).
fn has_wildcard(answer: &str) -> bool {
    let mut escaped = false;
    for c in answer.chars() {
        match c {
            '\\' => escaped = !escaped,
            '*' if !escaped => return true,
            _ => escaped = false,
        }
    }
    false
}

pub(super) fn short_answer(ctx: &mut Ctx<'_>, answer: &str) -> Built {
    let pieces = split_at_markers(answer, |c| (c == '=').then_some(false));
    if pieces.is_empty() {
        return Err("it has no answer".into());
    }
    let mut accepted: Vec<String> = Vec::new();
    let mut wildcards: Vec<(String, &str)> = Vec::new();
    let mut per_answer = Vec::new();
    for piece in pieces {
        let piece = php_trim(piece);
        let (w, rest) = weight(piece)?.unwrap_or((1.0, piece));
        let (text, fb) = feedback(rest);
        let text = answer_text(text);
        let label = if text == "*" {
            "Any other answer".to_string()
        } else {
            format!("“{}”", preview(&text, 50))
        };
        per_answer.push((label, ctx.rich(fb)));
        if w > 1.0 + EPS {
            return Err(format!(
                "its answer “{}” is worth {}, more than a whole answer",
                preview(&text, 40),
                percent(w)
            ));
        }
        if (w - 1.0).abs() <= EPS {
            if text == "*" {
                return Err("it accepts any answer (`*` at 100%)".into());
            }
            if text.is_empty() {
                return Err("one of its accepted answers is empty".into());
            }
            if has_wildcard(&text) {
                wildcards.push((text, piece));
            } else {
                let text = text.replace("\\*", "*");
                if !accepted.contains(&text) {
                    accepted.push(text);
                }
            }
        } else if w > EPS {
            ctx.report(
                piece,
                Level::Changed,
                format!(
                    "answer “{}” earned {} in GIFT; brevet does not accept it, since it accepts only fully right answers",
                    preview(&text, 40),
                    percent(w)
                ),
            );
        } else if w < -EPS {
            ctx.report(
                piece,
                Level::Changed,
                format!(
                    "answer “{}” cost {} in GIFT; in brevet a wrong answer costs nothing",
                    preview(&text, 40),
                    percent(-w)
                ),
            );
        }
    }
    if accepted.is_empty() {
        return Err(if wildcards.is_empty() {
            "none of its answers earns full points".into()
        } else {
            let list: Vec<String> = wildcards.iter().map(|(t, _)| format!("“{t}”")).collect();
            format!(
                "its only fully right answers use Moodle's `*` wildcard ({}), which brevet's \
                 exact text answers cannot express",
                list.join(", ")
            )
        });
    }
    for (text, at) in wildcards {
        ctx.report(
            at,
            Level::Changed,
            format!(
                "accepted answer “{text}” uses Moodle's `*` wildcard, which brevet cannot express; \
                 it is left out and the other accepted answers kept"
            ),
        );
    }
    Ok((DraftKind::Text(accepted), per_answer))
}

/// One numerical answer as written.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Number {
    /// `*`: any number.
    Any,
    /// `value` or `value:tolerance`.
    Near(f64, f64),
    /// `min..max`.
    Between(f64, f64),
}

impl Number {
    fn label(self) -> String {
        use crate::bank::import::write::number;
        match self {
            Self::Any => "Any other answer".into(),
            Self::Near(v, 0.0) => number(v),
            Self::Near(v, t) => format!("{} ± {}", number(v), number(t)),
            Self::Between(a, b) => format!("{} to {}", number(a), number(b)),
        }
    }

    /// The accepted interval.
    fn bounds(self) -> (f64, f64) {
        match self {
            Self::Any => (f64::MIN, f64::MAX),
            Self::Near(v, t) => (v - t, v + t),
            Self::Between(a, b) => (a, b),
        }
    }
}

/// Parses `*`, `value`, `value:tolerance` or `min..max` as Moodle does.
fn parse_number(spec: &str) -> Result<Number, String> {
    let num = |s: &str| -> Result<f64, String> {
        let s = php_trim(s);
        match s.parse::<f64>() {
            Ok(v)
                if v.is_finite()
                    && !s.chars().any(|c| c.is_alphabetic() && c != 'e' && c != 'E') =>
            {
                Ok(v)
            }
            _ if s.contains(',') => Err(format!(
                "`{s}` is not a number (write `{}`)",
                s.replace(',', ".")
            )),
            _ => Err(format!("`{s}` is not a number")),
        }
    };
    if spec == "*" {
        return Ok(Number::Any);
    }
    if let Some(i) = spec.find("..").filter(|&i| i > 0) {
        return Ok(Number::Between(num(&spec[..i])?, num(&spec[i + 2..])?));
    }
    if let Some(i) = spec.find(':').filter(|&i| i > 0) {
        return Ok(Number::Near(num(&spec[..i])?, num(&spec[i + 1..])?));
    }
    Ok(Number::Near(num(spec)?, 0.0))
}

pub(super) fn numerical(ctx: &mut Ctx<'_>, answer: &str) -> Built {
    let body = &answer[1..];
    let (body, otherwise) = match body.find('~') {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let pieces = split_at_markers(body, |c| (c == '=').then_some(false));
    if pieces.is_empty() {
        return Err("it has no numerical answer".into());
    }
    let mut full: Vec<Number> = Vec::new();
    let mut per_answer = Vec::new();
    for piece in pieces {
        let piece = php_trim(piece);
        let (w, rest) = weight(piece)?.unwrap_or((1.0, piece));
        let (spec, fb) = feedback(rest);
        let number = parse_number(&answer_text(spec)).map_err(|why| format!("its answer {why}"))?;
        per_answer.push((number.label(), ctx.rich(fb)));
        if w > 1.0 + EPS {
            return Err(format!(
                "its answer {} is worth {}, more than a whole answer",
                number.label(),
                percent(w)
            ));
        }
        if (w - 1.0).abs() <= EPS {
            match number {
                Number::Any => return Err("it accepts any number (`*` at 100%)".into()),
                Number::Near(_, t) if t < 0.0 => {
                    return Err(format!("its tolerance {t} is negative"));
                }
                Number::Between(a, b) if a > b => {
                    return Err(format!("its range {a}..{b} is empty"));
                }
                _ => full.push(number),
            }
        } else if w > EPS {
            ctx.report(
                piece,
                Level::Changed,
                format!(
                    "answer {} earned {} in GIFT; brevet does not accept it, since a numeric \
                     question accepts one value or range, fully right",
                    number.label(),
                    percent(w)
                ),
            );
        } else if w < -EPS {
            ctx.report(
                piece,
                Level::Changed,
                format!(
                    "answer {} cost {} in GIFT; in brevet a wrong answer costs nothing",
                    number.label(),
                    percent(-w)
                ),
            );
        }
    }
    if let Some(other) = otherwise {
        let (_, fb) = feedback(other);
        per_answer.push((Number::Any.label(), ctx.rich(fb)));
    }
    let answer = match full.as_slice() {
        [] => return Err("none of its answers earns full points".into()),
        [one] => *one,
        several => {
            let mut bounds: Vec<(f64, f64)> = several.iter().map(|n| n.bounds()).collect();
            bounds.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut merged = vec![bounds[0]];
            for (lo, hi) in bounds.into_iter().skip(1) {
                match merged.last_mut() {
                    Some(last) if lo <= last.1 => last.1 = last.1.max(hi),
                    _ => merged.push((lo, hi)),
                }
            }
            if merged.len() > 1 {
                let labels: Vec<String> = several.iter().map(|n| n.label()).collect();
                return Err(format!(
                    "it accepts several separate values ({}), and a brevet numeric question \
                     accepts one value or one range",
                    labels.join(", ")
                ));
            }
            if several.iter().all(|n| *n == several[0]) {
                several[0]
            } else {
                Number::Between(merged[0].0, merged[0].1)
            }
        }
    };
    let answer = match answer {
        Number::Near(value, tolerance) => NumericAnswer::Tolerance { value, tolerance },
        Number::Between(min, max) => NumericAnswer::Range { min, max },
        Number::Any => return Err("it accepts any number".into()),
    };
    Ok((DraftKind::Numeric(answer), per_answer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_moodles_forms() {
        assert_eq!(parse_number("1822"), Ok(Number::Near(1822.0, 0.0)));
        assert_eq!(parse_number("2006:1"), Ok(Number::Near(2006.0, 1.0)));
        assert_eq!(
            parse_number("-2.5..-1.25"),
            Ok(Number::Between(-2.5, -1.25))
        );
        assert_eq!(parse_number("*"), Ok(Number::Any));
        assert!(parse_number("inf").is_err());
        assert!(parse_number("3,14").unwrap_err().contains("write `3.14`"));
    }

    #[test]
    fn wildcards_are_found() {
        assert!(has_wildcard("*manually*"));
        assert!(!has_wildcard("5 \\* 3"));
    }
}
