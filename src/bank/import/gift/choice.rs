//! Choice answers: multiple choice (single answer or multiple response,
//! with `%weights%`) and true/false.

use super::{Built, Ctx, EPS, feedback, php_trim, split_at_markers, weight};
use crate::bank::import::{DraftChoice, DraftKind, Level, percent, preview};

/// One answer of a multiple-choice question.
struct Choice<'a> {
    text: String,
    weight: f64,
    at: &'a str,
}

pub(super) fn choices(ctx: &mut Ctx<'_>, answer: &str) -> Built {
    let single = answer.contains('=');
    let pieces = split_at_markers(answer, |c| match c {
        '~' => Some(false),
        '=' => Some(true),
        _ => None,
    });
    if pieces.len() < 2 {
        return Err(format!(
            "it has {} answer, and a multiple-choice question needs at least two",
            pieces.len()
        ));
    }
    let mut list = Vec::new();
    let mut per_answer = Vec::new();
    for piece in pieces {
        let piece = php_trim(piece);
        let (w, rest) = match piece.strip_prefix('=') {
            Some(rest) => (1.0, rest),
            None => weight(piece)?.unwrap_or((0.0, piece)),
        };
        let (text, fb) = feedback(rest);
        let text = ctx.rich(text);
        let fb = ctx.rich(fb);
        per_answer.push((format!("“{}”", preview(&text, 50)), fb));
        list.push(Choice {
            text,
            weight: w,
            at: piece,
        });
    }
    if let Some(c) = list.iter().find(|c| c.weight > 1.0 + EPS) {
        return Err(format!(
            "its choice “{}” is worth {}, more than a whole answer",
            preview(&c.text, 40),
            percent(c.weight)
        ));
    }
    let kind = if single {
        single_choice(ctx, &list)?
    } else {
        multiple_response(ctx, &list)?
    };
    Ok((kind, per_answer))
}

fn single_choice(ctx: &mut Ctx<'_>, list: &[Choice<'_>]) -> Result<DraftKind, String> {
    let full: Vec<&Choice<'_>> = list
        .iter()
        .filter(|c| (c.weight - 1.0).abs() <= EPS)
        .collect();
    match full.len() {
        0 => return Err("none of its choices earns full points".into()),
        1 => {}
        n => {
            let names: Vec<String> = full
                .iter()
                .map(|c| format!("“{}”", preview(&c.text, 30)))
                .collect();
            return Err(format!(
                "{n} of its choices earn full points ({}), and a brevet single-choice question has exactly one right choice",
                names.join(", ")
            ));
        }
    }
    for c in list {
        if (c.weight - 1.0).abs() <= EPS {
            continue;
        }
        if c.weight > EPS {
            ctx.report(
                c.at,
                Level::Changed,
                format!(
                    "choice “{}” earned {} in GIFT; brevet counts it as wrong, \
                     since a single-choice question has no partly right choice",
                    preview(&c.text, 40),
                    percent(c.weight)
                ),
            );
        } else if c.weight < -EPS {
            ctx.report(
                c.at,
                Level::Changed,
                format!(
                    "choice “{}” cost {} in GIFT; in brevet a wrong choice of a \
                     single-choice question costs nothing",
                    preview(&c.text, 40),
                    percent(-c.weight)
                ),
            );
        }
    }
    Ok(DraftKind::Single(
        list.iter()
            .map(|c| DraftChoice {
                text: c.text.clone(),
                correct: (c.weight - 1.0).abs() <= EPS,
            })
            .collect(),
    ))
}

fn multiple_response(ctx: &mut Ctx<'_>, list: &[Choice<'_>]) -> Result<DraftKind, String> {
    let right: Vec<&Choice<'_>> = list.iter().filter(|c| c.weight > EPS).collect();
    if right.is_empty() {
        return Err("none of its choices earns points".into());
    }
    let (lo, hi) = right.iter().fold((f64::MAX, f64::MIN), |(lo, hi), c| {
        (lo.min(c.weight), hi.max(c.weight))
    });
    if hi - lo > EPS {
        let weights: Vec<String> = right.iter().map(|c| percent(c.weight)).collect();
        return Err(format!(
            "its right choices earn unequal credit ({}), and brevet gives every right \
             choice of a multiple-response question the same share",
            weights.join(", ")
        ));
    }
    let sum: f64 = right.iter().map(|c| c.weight).sum();
    #[allow(clippy::cast_precision_loss)]
    let k = right.len() as f64;
    if (sum - 1.0).abs() > EPS * k {
        return Err(format!(
            "its right choices add up to {}, not 100%, and brevet gives full points \
             when all right choices are ticked",
            percent(sum)
        ));
    }
    let share = 1.0 / k;
    let wrong: Vec<&Choice<'_>> = list.iter().filter(|c| c.weight <= EPS).collect();
    if let Some(first) = wrong.iter().find(|c| (c.weight + share).abs() > EPS) {
        let mut costs: Vec<String> = Vec::new();
        for c in &wrong {
            let cost = if c.weight.abs() <= EPS {
                "nothing".to_string()
            } else {
                percent(-c.weight)
            };
            if !costs.contains(&cost) {
                costs.push(cost);
            }
        }
        ctx.report(
            first.at,
            Level::Note,
            format!(
                "in GIFT a wrong choice ticked costs {}; with brevet's `partial` scoring it \
                 costs what a right choice earns ({}), so scores can differ from Moodle's",
                costs.join(" or "),
                percent(share)
            ),
        );
    }
    Ok(DraftKind::Multiple(
        list.iter()
            .map(|c| DraftChoice {
                text: c.text.clone(),
                correct: c.weight > EPS,
            })
            .collect(),
    ))
}

pub(super) fn true_false(ctx: &mut Ctx<'_>, answer: &str) -> (DraftKind, Vec<(String, String)>) {
    let mut parts = answer.splitn(3, '#');
    let value = matches!(parts.next().map(php_trim), Some("T" | "TRUE"));
    let wrong = ctx.rich(parts.next().unwrap_or(""));
    let right = ctx.rich(parts.next().unwrap_or(""));
    let (on_true, on_false) = if value {
        (right, wrong)
    } else {
        (wrong, right)
    };
    (
        DraftKind::TrueFalse(value),
        vec![("True".into(), on_true), ("False".into(), on_false)],
    )
}
