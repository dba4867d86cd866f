//! Scoring: from an exam and a learner's answers to points per question, a
//! score per section and the mastery verdict. Pure functions only.

use crate::attempt::{Attempt, Response};
use crate::bank::{Exam, Kind, Normalisation, NumericAnswer, Question, Scoring};
use serde::Serialize;

/// Tolerance for comparing percentages and numeric answers: binary floating
/// point must not fail a learner who is exactly on the threshold.
const EPSILON: f64 = 1e-9;

/// The score of one question on the paper.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemScore {
    /// Paper position.
    pub item: usize,
    /// Index into [`Exam::questions`].
    pub question: usize,
    /// Points earned (0 to `max`).
    pub earned: f64,
    /// Points available.
    pub max: f64,
}

impl ItemScore {
    /// Whether the answer earned every point.
    pub fn is_right(&self) -> bool {
        self.earned >= self.max - EPSILON
    }
}

/// The score of one section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionScore {
    /// Section id.
    pub id: String,
    /// Section title.
    pub title: String,
    /// Points earned.
    pub earned: f64,
    /// Points available on this paper.
    pub max: f64,
    /// `earned / max` in percent (100 when the section asked nothing).
    pub percent: f64,
    /// The section's own minimum, if it has one.
    pub min_score: Option<f64>,
    /// Whether its minimum (if any) is reached.
    pub met: bool,
}

/// Everything the result screen and the credential need.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// Per question, in paper order.
    pub items: Vec<ItemScore>,
    /// Per section, in bank order (sections that drew nothing are left out).
    pub sections: Vec<SectionScore>,
    /// Points earned overall.
    pub earned: f64,
    /// Points available overall.
    pub max: f64,
    /// Overall score in percent.
    pub percent: f64,
    /// The exam's mastery threshold in percent.
    pub threshold: f64,
    /// Mastery: the threshold reached and every section minimum met.
    pub passed: bool,
}

/// Scores an attempt (finished or not).
pub fn score(exam: &Exam, attempt: &Attempt) -> Outcome {
    let items: Vec<ItemScore> = attempt
        .paper()
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let q = &exam.questions[item.question];
            ItemScore {
                item: i,
                question: item.question,
                earned: points(q, attempt.response(i), exam.rules.scoring),
                max: q.points,
            }
        })
        .collect();
    let mut sections = Vec::new();
    for (index, section) in exam.sections.iter().enumerate() {
        let (mut earned, mut max, mut asked) = (0.0, 0.0, false);
        for s in items
            .iter()
            .filter(|s| exam.questions[s.question].section == index)
        {
            earned += s.earned;
            max += s.max;
            asked = true;
        }
        if !asked {
            continue;
        }
        let percent = percent(earned, max);
        sections.push(SectionScore {
            id: section.id.clone(),
            title: section.title.clone(),
            earned,
            max,
            percent,
            min_score: section.min_score,
            met: section.min_score.is_none_or(|m| percent + EPSILON >= m),
        });
    }
    let earned: f64 = items.iter().map(|s| s.earned).sum();
    let max: f64 = items.iter().map(|s| s.max).sum();
    let overall = percent(earned, max);
    let threshold = exam.rules.mastery_threshold;
    Outcome {
        passed: overall + EPSILON >= threshold && sections.iter().all(|s| s.met),
        items,
        sections,
        earned,
        max,
        percent: overall,
        threshold,
    }
}

fn percent(earned: f64, max: f64) -> f64 {
    if max > 0.0 {
        (earned / max * 100.0).clamp(0.0, 100.0)
    } else {
        100.0
    }
}

/// Points earned by `response` to `question`.
pub fn points(question: &Question, response: Option<&Response>, scoring: Scoring) -> f64 {
    let Some(response) = response else { return 0.0 };
    let full = question.points;
    let right = |ok: bool| if ok { full } else { 0.0 };
    match (&question.kind, response) {
        (Kind::Single { choices }, Response::Choice(c)) => {
            right(choices.get(*c).is_some_and(|c| c.correct))
        }
        (Kind::Multiple { choices }, Response::Choices(ticked)) => {
            let n_correct = choices.iter().filter(|c| c.correct).count();
            let ticked_right = ticked
                .iter()
                .filter(|&&c| choices.get(c).is_some_and(|c| c.correct))
                .count();
            let ticked_wrong = ticked.len() - ticked_right;
            match scoring {
                Scoring::AllOrNothing => right(ticked_right == n_correct && ticked_wrong == 0),
                Scoring::Partial => {
                    // Each right tick earns 1/k of the points (k right choices)
                    // and each wrong tick costs as much: ticking everything
                    // never pays.
                    #[allow(clippy::cast_precision_loss)]
                    let share = 1.0 / n_correct.max(1) as f64;
                    #[allow(clippy::cast_precision_loss)]
                    let net = (ticked_right as f64 - ticked_wrong as f64) * share;
                    (full * net).max(0.0)
                }
            }
        }
        (Kind::TrueFalse { answer }, Response::Bool(b)) => right(answer == b),
        (Kind::Text { accepted, ignore }, Response::Text(t)) => {
            let given = normalise(t, *ignore);
            right(accepted.iter().any(|a| normalise(a, *ignore) == given))
        }
        (Kind::Numeric { answer, .. }, Response::Number(x)) => right(match answer {
            NumericAnswer::Tolerance { value, tolerance } => {
                (x - value).abs() <= tolerance + EPSILON * value.abs().max(1.0)
            }
            NumericAnswer::Range { min, max } => {
                let slack = EPSILON * min.abs().max(max.abs()).max(1.0);
                *x >= min - slack && *x <= max + slack
            }
        }),
        _ => 0.0,
    }
}

/// Puts text in the form short answers are compared in. Apostrophes are
/// one, whatever the options: a keyboard's `'` and a typeset `’` (or `‘`,
/// `ʼ`) write the same word.
pub fn normalise(text: &str, ignore: Normalisation) -> String {
    let text: String = text
        .chars()
        .map(|c| match c {
            '\u{2019}' | '\u{2018}' | '\u{02bc}' => '\'',
            c => c,
        })
        .collect();
    let mut s: String = if ignore.whitespace {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        text
    };
    if ignore.case {
        s = s.to_lowercase();
    }
    if ignore.accents {
        use unicode_normalization::UnicodeNormalization;
        s = s
            .nfd()
            .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
            .collect();
    }
    s.nfc_string()
}

trait Nfc {
    fn nfc_string(&self) -> String;
}

impl Nfc for String {
    fn nfc_string(&self) -> String {
        use unicode_normalization::UnicodeNormalization;
        self.nfc().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::{Choice, Kind, Normalisation, NumericAnswer, Question};

    #[test]
    fn apostrophes_are_one_whatever_the_options() {
        let none = Normalisation {
            case: false,
            accents: false,
            whitespace: false,
        };
        assert_eq!(normalise("l’ANSSI", none), normalise("l'ANSSI", none));
        assert_eq!(normalise("lʼANSSI", none), "l'ANSSI");
        assert_ne!(normalise("l ANSSI", none), normalise("l'ANSSI", none));
    }

    fn question(kind: Kind, points: f64) -> Question {
        Question {
            id: "q".into(),
            section: 0,
            points,
            prompt: "p".into(),
            explanation: None,
            tags: Vec::new(),
            kind,
        }
    }

    fn choices(correct: &[bool]) -> Vec<Choice> {
        correct
            .iter()
            .enumerate()
            .map(|(i, &c)| Choice {
                id: i.to_string(),
                text: i.to_string(),
                correct: c,
                pinned: false,
            })
            .collect()
    }

    #[test]
    fn multiple_response_partial_and_all_or_nothing() {
        // Two right (0, 1), two wrong (2, 3), worth 4 points.
        let q = question(
            Kind::Multiple {
                choices: choices(&[true, true, false, false]),
            },
            4.0,
        );
        let ticked = |v: &[usize]| Response::Choices(v.to_vec());
        let partial = |v: &[usize]| points(&q, Some(&ticked(v)), Scoring::Partial);
        assert_eq!(partial(&[0, 1]), 4.0);
        assert_eq!(partial(&[0]), 2.0);
        assert_eq!(partial(&[0, 2]), 0.0, "one right, one wrong");
        assert_eq!(partial(&[0, 1, 2]), 2.0);
        assert_eq!(partial(&[2, 3]), 0.0, "floored at 0");
        assert_eq!(
            partial(&[0, 1, 2, 3]),
            0.0,
            "ticking everything earns nothing"
        );
        // One right choice of four: a wrong tick costs a whole share.
        let one = question(
            Kind::Multiple {
                choices: choices(&[true, false, false, false]),
            },
            1.0,
        );
        assert_eq!(points(&one, Some(&ticked(&[0, 1])), Scoring::Partial), 0.0);
        let strict = |v: &[usize]| points(&q, Some(&ticked(v)), Scoring::AllOrNothing);
        assert_eq!(strict(&[0, 1]), 4.0);
        assert_eq!(strict(&[0]), 0.0);
        assert_eq!(strict(&[0, 1, 2]), 0.0);
        assert_eq!(points(&q, None, Scoring::Partial), 0.0);
    }

    #[test]
    fn single_and_true_false() {
        let q = question(
            Kind::Single {
                choices: choices(&[false, true, false]),
            },
            2.0,
        );
        assert_eq!(
            points(&q, Some(&Response::Choice(1)), Scoring::Partial),
            2.0
        );
        assert_eq!(
            points(&q, Some(&Response::Choice(0)), Scoring::Partial),
            0.0
        );
        assert_eq!(
            points(&q, Some(&Response::Bool(true)), Scoring::Partial),
            0.0,
            "wrong kind"
        );
        let tf = question(Kind::TrueFalse { answer: false }, 1.0);
        assert_eq!(
            points(&tf, Some(&Response::Bool(false)), Scoring::Partial),
            1.0
        );
        assert_eq!(
            points(&tf, Some(&Response::Bool(true)), Scoring::Partial),
            0.0
        );
    }

    #[test]
    fn short_text_follows_the_normalisation_rules() {
        let all = Normalisation {
            case: true,
            accents: true,
            whitespace: true,
        };
        assert_eq!(normalise("  Élève   Modèle ", all), "eleve modele");
        let none = Normalisation {
            case: false,
            accents: false,
            whitespace: false,
        };
        assert_eq!(normalise(" Élève", none), " Élève");
        // Composed and decomposed forms of the same text are equal.
        assert_eq!(normalise("e\u{301}", none), normalise("\u{e9}", none));
        let q = question(
            Kind::Text {
                accepted: vec!["Mot de passe".into()],
                ignore: Normalisation::default(),
            },
            1.0,
        );
        let answer = |t: &str| points(&q, Some(&Response::Text(t.into())), Scoring::Partial);
        assert_eq!(answer("mot  de PASSE"), 1.0);
        assert_eq!(answer("mot de passé"), 0.0, "accents count by default");
    }

    #[test]
    fn numeric_tolerance_and_range() {
        let q = question(
            Kind::Numeric {
                answer: NumericAnswer::Tolerance {
                    value: 0.3,
                    tolerance: 0.0,
                },
                unit: None,
            },
            1.0,
        );
        assert_eq!(
            points(&q, Some(&Response::Number(0.1 + 0.2)), Scoring::Partial),
            1.0,
            "binary rounding is forgiven"
        );
        assert_eq!(
            points(&q, Some(&Response::Number(0.31)), Scoring::Partial),
            0.0
        );
        let t = question(
            Kind::Numeric {
                answer: NumericAnswer::Tolerance {
                    value: 10.0,
                    tolerance: 0.5,
                },
                unit: None,
            },
            1.0,
        );
        assert_eq!(
            points(&t, Some(&Response::Number(10.5)), Scoring::Partial),
            1.0
        );
        assert_eq!(
            points(&t, Some(&Response::Number(9.4)), Scoring::Partial),
            0.0
        );
        let r = question(
            Kind::Numeric {
                answer: NumericAnswer::Range {
                    min: -5.0,
                    max: 5.0,
                },
                unit: None,
            },
            1.0,
        );
        assert_eq!(
            points(&r, Some(&Response::Number(-5.0)), Scoring::Partial),
            1.0
        );
        assert_eq!(
            points(&r, Some(&Response::Number(5.01)), Scoring::Partial),
            0.0
        );
    }
}
