//! Every piece of interface text, once per language, so that French and
//! English stay in step. Used by the TUI, the plain mode and the kiosk.

use std::time::Duration;

/// Interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// French.
    Fr,
}

impl Lang {
    /// Picks the language: the explicit choice, else the exam's language,
    /// else the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`), else English.
    pub fn choose(explicit: Option<Lang>, exam_language: &str, locale: Option<&str>) -> Lang {
        let from = |tag: &str| {
            let tag = tag.to_ascii_lowercase();
            if tag.starts_with("fr") {
                Some(Lang::Fr)
            } else if tag.starts_with("en") {
                Some(Lang::En)
            } else {
                None
            }
        };
        explicit
            .or_else(|| from(exam_language))
            .or_else(|| locale.and_then(from))
            .unwrap_or(Lang::En)
    }

    /// The strings of this language.
    pub fn strings(self) -> &'static Strings {
        match self {
            Lang::En => &EN,
            Lang::Fr => &FR,
        }
    }
}

/// Interface text of one language.
#[allow(missing_docs)] // Each field is the text its name says.
#[derive(Debug)]
pub struct Strings {
    pub identify_title: &'static str,
    pub identify_name: &'static str,
    pub identify_id: &'static str,
    pub identify_hint: &'static str,
    pub identify_email: &'static str,
    pub minimum_mark_legend: &'static str,
    pub more_below: &'static str,
    pub more_above: &'static str,
    pub more_above_below: &'static str,
    pub identify_email_refused: &'static str,
    pub identify_name_required: &'static str,
    /// A name or id that mixes alphabets.
    pub identify_mixed_scripts: &'static str,
    /// No attempt left at this exam.
    pub refused_attempts_used: &'static str,
    pub retake_now: &'static str,
    pub attempts_left: &'static str,
    /// Before the local date and time the next attempt may start.
    pub refused_next_attempt: &'static str,
    /// Before the learner's last result.
    pub last_result: &'static str,
    /// Said when the last attempt was handed in before brevet stopped.
    pub handed_in_before: &'static str,
    /// How to leave when no attempt may start.
    pub refused_leave: &'static str,
    /// A name or id longer than the limit.
    pub identify_too_long: &'static str,
    pub instructions_title: &'static str,
    pub skill_block: &'static str,
    pub questions: &'static str,
    pub time_limit: &'static str,
    pub extra_time: &'static str,
    pub threshold: &'static str,
    pub navigation_free: &'static str,
    pub navigation_sequential: &'static str,
    pub press_enter_start: &'static str,
    pub press_enter_resume: &'static str,
    pub resuming: &'static str,
    pub question: &'static str,
    pub of: &'static str,
    pub answered: &'static str,
    pub flagged: &'static str,
    /// `flagged` for a count of one (and zero, in French).
    pub flagged_one: &'static str,
    /// `answered` for a count of one (and zero, in French).
    pub answered_one: &'static str,
    pub unanswered: &'static str,
    pub time_left: &'static str,
    pub true_: &'static str,
    /// A range's words: `between` 4 `and` 5.
    pub between: &'static str,
    pub and: &'static str,
    /// Decimals written with a comma (`4,5`).
    pub decimal_comma: bool,
    pub false_: &'static str,
    pub your_answer: &'static str,
    pub saved: &'static str,
    pub not_saved: &'static str,
    pub not_a_number: &'static str,
    /// The bank changed after the attempt started (the resume screen).
    pub bank_changed: &'static str,
    /// Before the versions, in [`Strings::bank_changed`]'s parentheses.
    pub bank_changed_version: &'static str,
    /// After a count of 1 (and 0 where zero is singular).
    pub bank_changed_questions_one: &'static str,
    /// After any other count.
    pub bank_changed_questions: &'static str,
    /// What happens to the attempt when the bank changed.
    pub bank_changed_keep: &'static str,
    /// A key refused in a numeric answer.
    pub number_keys_only: &'static str,
    /// Asking for a question number (`g`, F4), before `(1–n)`.
    pub jump_prompt: &'static str,
    /// The keys while a question number is typed.
    pub jump_keys: &'static str,
    /// No question has the number typed.
    pub no_such_question: &'static str,
    pub keys_choice: &'static str,
    pub keys_text: &'static str,
    pub keys_choice_sequential: &'static str,
    pub keys_text_sequential: &'static str,
    pub review_title: &'static str,
    pub review_hint: &'static str,
    pub confirm_title: &'static str,
    pub confirm_all_answered: &'static str,
    pub confirm_hint: &'static str,
    pub result_title: &'static str,
    pub passed: &'static str,
    pub not_passed: &'static str,
    pub score: &'static str,
    pub required: &'static str,
    pub section_minimum: &'static str,
    pub time_used: &'static str,
    pub time_up_submitted: &'static str,
    pub ended_by_proctor: &'static str,
    pub right_answer: &'static str,
    pub explanation: &'static str,
    pub no_answer: &'static str,
    pub review_score_only: &'static str,
    pub credential_written: &'static str,
    /// What the credential file is for, said under its path.
    pub credential_purpose: &'static str,
    /// Before the badge's files, beside the credential.
    pub shared_beside: &'static str,
    /// The badge could not be written: before why.
    pub not_shared: &'static str,
    /// How to make the badge again: before the command.
    pub share_again: &'static str,
    /// Before LinkedIn's "Add to profile" link.
    pub linkedin_add: &'static str,
    pub result_hint: &'static str,
    pub help_title: &'static str,
    /// The keys of a choice question, free navigation.
    pub help_choice: &'static [(&'static str, &'static str)],
    /// The keys of a choice question, sequential navigation.
    pub help_choice_sequential: &'static [(&'static str, &'static str)],
    /// The keys of a typed answer, free navigation.
    pub help_text: &'static [(&'static str, &'static str)],
    /// The keys of a typed answer, sequential navigation.
    pub help_text_sequential: &'static [(&'static str, &'static str)],
    /// The keys of the review list.
    pub help_review: &'static [(&'static str, &'static str)],
    /// Typed answers in one line, for the instructions.
    pub help_typed_summary: (&'static str, &'static str),
    /// The last help line: how to quit (replaced in the kiosk).
    pub help_quit: (&'static str, &'static str),
    /// The last help line in a typed answer, where `q` is a letter.
    pub help_quit_text: (&'static str, &'static str),
    /// The kiosk's last help line: the proctor key.
    pub kiosk_help_proctor: (&'static str, &'static str),
    pub help_close: &'static str,
    pub enlarge: &'static str,
    pub warning_left: &'static str,
    /// `warning_left` after one unit (`1 min`).
    pub warning_left_one: &'static str,
    /// Zero takes the singular (French), or the plural (English).
    pub zero_is_singular: bool,
    pub refused_back: &'static str,
    pub refused_skip: &'static str,
    pub refused_edge: &'static str,
    pub refused_finished: &'static str,
    pub paste_refused: &'static str,
    pub quit_confirm: &'static str,
    pub quit_not_started: &'static str,
    pub flag_on: &'static str,
    pub plain_commands: &'static [(&'static str, &'static str)],
    pub demo_issuer: &'static str,
    pub plain_start: &'static str,
    pub plain_resume: &'static str,
    pub plain_prompt: &'static str,
    pub plain_several: &'static str,
    pub plain_choose_one: &'static str,
    pub plain_type_answer: &'static str,
    pub plain_type_number: &'static str,
    pub plain_recorded: &'static str,
    pub plain_cleared: &'static str,
    pub plain_bad_choice: &'static str,
    pub plain_unknown_command: &'static str,
    pub plain_end_of_paper: &'static str,
    pub plain_submit_confirm: &'static str,
    pub plain_saved_quit: &'static str,
    pub plain_sections: &'static str,
    pub kiosk_title: &'static str,
    pub kiosk_choose: &'static str,
    pub kiosk_keys: &'static str,
    pub kiosk_interrupted: &'static str,
    pub kiosk_pin_title: &'static str,
    pub kiosk_pin_identity: &'static str,
    pub kiosk_pin_resume: &'static str,
    /// Before the name and start of the attempt a PIN would resume.
    pub kiosk_pending_attempt: &'static str,
    /// Before the time that attempt started.
    pub kiosk_pending_since: &'static str,
    pub kiosk_pin_hint: &'static str,
    pub kiosk_pin_wrong: &'static str,
    pub kiosk_pin_wait: &'static str,
    pub kiosk_menu_title: &'static str,
    pub kiosk_menu_resume: &'static str,
    pub kiosk_menu_tiers_temps: &'static str,
    pub kiosk_menu_extra_time: &'static str,
    pub kiosk_menu_end: &'static str,
    pub kiosk_menu_exit: &'static str,
    pub kiosk_menu_close: &'static str,
    /// The confirmation of "close the station".
    pub kiosk_menu_exit_confirm: &'static str,
    pub kiosk_result_hint: &'static str,
    pub kiosk_extra_time_granted: &'static str,
    pub kiosk_key_locked: &'static str,
    pub kiosk_menu_unlock_key: &'static str,
    pub kiosk_passphrase_title: &'static str,
    pub kiosk_passphrase_hint: &'static str,
    pub kiosk_passphrase_wrong: &'static str,
    /// Between the items of a list in a sentence: `; `, or in French
    /// ` ; ` with its narrow no-break space.
    pub list_separator: &'static str,
    /// Between a label and its value: `": "` in English, `" : "` in French.
    pub colon: &'static str,
}

/// Formats a duration as `h:mm:ss` or `mm:ss`.
pub fn clock(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{:02}:{:02}", s / 60, s % 60)
    }
}

/// Formats a duration in words-light form: `30 min`, `1 h 30 min`, `45 s`.
pub fn span(d: Duration) -> String {
    let s = d.as_secs();
    match (s / 3600, s / 60 % 60, s % 60) {
        (0, 0, sec) => format!("{sec} s"),
        (0, m, 0) => format!("{m} min"),
        (0, m, sec) => format!("{m} min {sec} s"),
        (h, 0, _) => format!("{h} h"),
        (h, m, _) => format!("{h} h {m} min"),
    }
}

/// A number as the interface writes it: `4.5`, or `4,5` in French.
pub fn number(x: f64, s: &Strings) -> String {
    let text = x.to_string();
    if s.decimal_comma {
        text.replace('.', ",")
    } else {
        text
    }
}

/// `count` with the word that agrees with it: `one` for 1 (and 0 where
/// zero is singular), `many` otherwise.
pub fn counted(count: usize, one: &str, many: &str, s: &Strings) -> String {
    format!("{count} {}", word(count, one, many, s))
}

/// The word that agrees with `count`: `one` for 1 (and 0 where zero is
/// singular), `many` otherwise.
pub fn word<'w>(count: usize, one: &'w str, many: &'w str, s: &Strings) -> &'w str {
    if count == 1 || (count == 0 && s.zero_is_singular) {
        one
    } else {
        many
    }
}

/// A time left, for warnings: `5 min left`, `1 min restante`,
/// `44 s restantes`.
pub fn time_left(d: Duration, s: &Strings) -> String {
    let text = span(d);
    let one = matches!(text.as_str(), "1 s" | "1 min" | "1 h");
    format!(
        "{text} {}",
        if one {
            s.warning_left_one
        } else {
            s.warning_left
        }
    )
}

/// Formats a percentage with at most one decimal, in the interface's
/// way: `16.7 %`, `16,7 %` in French (a no-break space before `%`).
pub fn percent(p: f64, s: &Strings) -> String {
    let rounded = (p * 10.0).round() / 10.0;
    let text = if (rounded - rounded.round()).abs() < 1e-9 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    };
    if s.decimal_comma {
        format!("{}\u{a0}%", text.replace('.', ","))
    } else {
        format!("{text} %")
    }
}

static EN: Strings = Strings {
    identify_title: "Who is taking the exam?",
    identify_name: "Full name",
    identify_id: "Learner id (optional)",
    identify_hint: "Tab: next field · Enter: continue",
    identify_email: "E-mail (optional, unreadable in the credential)",
    identify_email_refused: "That is not an e-mail address (name@domain). Type it again, or leave the field empty.",
    identify_name_required: "Please type your full name.",
    identify_mixed_scripts: "Mixed alphabets: type it again with one keyboard layout.",
    refused_attempts_used: "Every attempt this exam allows has been used.",
    retake_now: "You may take the exam again now.",
    attempts_left: "Attempts left",
    refused_next_attempt: "The next attempt may start on",
    last_result: "Your last attempt",
    handed_in_before: "Your last attempt was handed in before brevet stopped; here is its result.",
    refused_leave: "Press Enter to leave.",
    identify_too_long: "Too long: 200 characters at most.",
    instructions_title: "Before you start",
    skill_block: "Skill block",
    questions: "Questions",
    time_limit: "Time limit",
    extra_time: "extra time",
    threshold: "To pass",
    navigation_free: "You may answer in any order, go back, and flag questions to review them.",
    navigation_sequential: "Questions come one after the other: once you move on, you cannot go back.",
    press_enter_start: "Press Enter to start: the clock starts now.",
    press_enter_resume: "Press Enter to continue: the clock kept running.",
    resuming: "Your attempt was interrupted; your answers were kept.",
    question: "Question",
    of: "of",
    answered: "answered",
    flagged: "flagged",
    flagged_one: "flagged",
    answered_one: "answered",
    unanswered: "unanswered",
    time_left: "left",
    true_: "True",
    between: "between",
    and: "and",
    decimal_comma: false,
    false_: "False",
    your_answer: "Your answer",
    saved: "saved",
    not_saved: "not saved yet: Enter saves",
    not_a_number: "That is not a number.",
    number_keys_only: "Only a number goes here: digits, a sign, a decimal point or comma.",
    bank_changed: "This exam's file was changed after your attempt started",
    bank_changed_version: "version",
    bank_changed_questions_one: "question of your paper changed",
    bank_changed_questions: "questions of your paper changed",
    bank_changed_keep: "You finish the paper you were given, and it is scored as it was.",
    jump_prompt: "Go to question",
    jump_keys: "Enter go · Esc stay",
    no_such_question: "No question has that number.",
    keys_choice: "↑↓ move · 1-9 choose (again: clear) · Space tick · ←→ previous/next · f flag · r review · ? help",
    keys_text: "type your answer · Enter save · ←→ cursor · PgUp/PgDn previous/next · F2 flag · F3 review · F1 help",
    keys_choice_sequential: "↑↓ move · 1-9 choose (again: clear) · Space tick · → next question (no way back) · f flag · r review · ? help",
    keys_text_sequential: "type your answer · Enter save · ←→ cursor · PgDn next question (no way back) · F2 flag · F3 review · F1 help",
    review_title: "Review",
    review_hint: "↑↓ move · Enter open · s submit · Esc back",
    confirm_title: "Submit your answers?",
    confirm_all_answered: "Every question is answered.",
    confirm_hint: "y: submit now · n or Esc: go back",
    result_title: "Result",
    passed: "PASSED",
    not_passed: "NOT PASSED",
    score: "Score",
    required: "required",
    section_minimum: "minimum",
    time_used: "Time used",
    time_up_submitted: "Time is up: your answers were submitted.",
    ended_by_proctor: "The proctor ended this attempt.",
    right_answer: "Right answer",
    explanation: "Why",
    no_answer: "(no answer)",
    review_score_only: "This exam shows the score only.",
    credential_written: "Your credential was saved to",
    credential_purpose: "It is your signed Open Badges 3.0 credential: keep it, send it to an employer or add it to a wallet; anyone can check it with `brevet verify`.",
    shared_beside: "Beside it, each with the credential inside: its badge to post or send (PNG, SVG) and its certificate to print (PDF):",
    not_shared: "Its badge and certificate could not all be written",
    share_again: "the credential itself is safe; this makes them again:",
    linkedin_add: "Add it to your LinkedIn profile:",
    result_hint: "↑↓ PgUp PgDn Home End scroll · q quit",
    minimum_mark_legend: "| marks a section's minimum",
    more_below: "↓ more below (↑↓ to scroll)",
    more_above: "↑ more above (↑↓ to scroll)",
    more_above_below: "↑↓ more above and below",
    help_title: "Keys",
    help_choice: &[
        (
            "↑ ↓",
            "move between choices; at the ends, scroll the question",
        ),
        ("1 … 9", "choose (or tick) a choice; again to clear it"),
        ("Space / Enter", "choose or tick the highlighted choice"),
        ("← → or p n", "previous / next question"),
        ("PgUp PgDn", "previous / next question"),
        ("g or F4", "go to a question by its number"),
        ("f or F2", "flag the question to come back to it"),
        ("r or F3", "review all questions, then submit"),
        ("? or F1", "this help"),
    ],
    help_choice_sequential: &[
        (
            "↑ ↓",
            "move between choices; at the ends, scroll the question",
        ),
        ("1 … 9", "choose (or tick) a choice; again to clear it"),
        ("Space / Enter", "choose or tick the highlighted choice"),
        ("→ n or PgDn", "next question (there is no way back)"),
        ("f or F2", "flag the question"),
        ("r or F3", "review all questions, then submit"),
        ("? or F1", "this help"),
    ],
    help_text: &[
        (
            "letters, digits",
            "type your answer (f, r, q are letters here)",
        ),
        ("← → Home End", "move the cursor in your answer"),
        ("Backspace Delete", "erase"),
        ("Enter", "save your answer"),
        (
            "PgUp PgDn",
            "previous / next question (your answer is saved)",
        ),
        ("↑ ↓", "scroll the question"),
        ("F4", "go to a question by its number"),
        ("F2", "flag the question to come back to it"),
        ("F3", "review all questions, then submit"),
        ("F1", "this help"),
    ],
    help_text_sequential: &[
        (
            "letters, digits",
            "type your answer (f, r, q are letters here)",
        ),
        ("← → Home End", "move the cursor in your answer"),
        ("Backspace Delete", "erase"),
        ("Enter", "save your answer and go on (there is no way back)"),
        ("PgDn", "next question (your answer is saved; no way back)"),
        ("↑ ↓", "scroll the question"),
        ("F2", "flag the question"),
        ("F3", "review all questions, then submit"),
        ("F1", "this help"),
    ],
    help_review: &[
        ("↑ ↓", "move between questions"),
        ("Enter", "open the highlighted question"),
        ("s", "submit"),
        ("Esc or r", "back to the question"),
        ("? or F1", "this help"),
    ],
    help_typed_summary: (
        "typed answers",
        "letters type, ← → move the cursor, Enter saves; F1 F2 F3 F4 PgUp PgDn do the rest",
    ),
    help_quit: (
        "q or Ctrl-C",
        "quit (answers are saved, the clock keeps running)",
    ),
    help_quit_text: (
        "Ctrl-C",
        "quit (answers are saved, the clock keeps running)",
    ),
    kiosk_help_proctor: ("F12", "call the proctor (only the proctor can stop)"),
    help_close: "Press any key to close.",
    enlarge: "Please enlarge the terminal",
    warning_left: "left",
    warning_left_one: "left",
    zero_is_singular: false,
    refused_back: "This exam is sequential: you cannot go back.",
    refused_skip: "This exam is sequential: answer the questions in order.",
    refused_edge: "There is no question in that direction.",
    refused_finished: "The attempt is over.",
    paste_refused: "Pasting is not allowed in this exam; it was recorded.",
    quit_confirm: "Quit? Your answers are saved and the clock keeps running. y: quit · n: stay",
    quit_not_started: "Left before the start: no attempt was opened, no clock runs.",
    flag_on: "flagged",
    kiosk_title: "Exam station",
    kiosk_choose: "Choose your exam with ↑↓ and press Enter.",
    kiosk_keys: "↑↓ choose · Enter: start · Proctor: F12",
    kiosk_interrupted: "An interrupted attempt is waiting to be resumed: proctor, press F12.",
    kiosk_pin_title: "Proctor PIN",
    kiosk_pin_identity: "Proctor: check the learner's identity document, then type the PIN to confirm",
    kiosk_pin_resume: "Proctor: an interrupted attempt was found; check the learner's identity, then type the PIN to let them resume it:",
    kiosk_pending_attempt: "The PIN resumes the unfinished attempt of",
    kiosk_pending_since: "started",
    kiosk_pin_hint: "Enter: confirm · Esc: cancel",
    kiosk_pin_wrong: "Wrong PIN.",
    kiosk_pin_wait: "Too many wrong PINs: wait until",
    kiosk_menu_title: "Proctor menu",
    kiosk_menu_resume: "Resume the interrupted attempt of",
    kiosk_menu_tiers_temps: "This learner is entitled to extra time: +33 % of the limit",
    kiosk_menu_extra_time: "Grant 5 more minutes to this attempt",
    kiosk_menu_end: "End this attempt now (recorded as ended by the proctor)",
    kiosk_menu_exit: "Close the exam station",
    kiosk_menu_close: "Back",
    kiosk_menu_exit_confirm: "Yes, close the exam station now",
    kiosk_result_hint: "↑↓ PgUp PgDn Home End scroll · Enter: done (next learner)",
    kiosk_extra_time_granted: "The proctor granted extra time.",
    kiosk_key_locked: "The issuer key is locked: no exam can start until the proctor unlocks it (F12).",
    kiosk_menu_unlock_key: "Unlock the issuer key",
    kiosk_passphrase_title: "Issuer key passphrase",
    kiosk_passphrase_hint: "Type the passphrase of the issuer key, then Enter (Esc: cancel).",
    kiosk_passphrase_wrong: "That passphrase does not open the key.",
    colon: ": ",
    list_separator: "; ",
    plain_commands: &[
        (
            ":next  (or an empty line)",
            "next question, leaving this one as it is",
        ),
        (":prev", "previous question"),
        (":goto N", "question N"),
        (":flag / :unflag", "flag the question to come back to it"),
        (":clear", "remove the answer"),
        (":review", "list every question with its state"),
        (":time", "time left"),
        (":submit", "hand in the exam"),
        (":help", "these commands"),
        (":quit", "stop (answers are saved, the clock keeps running)"),
    ],
    plain_start: "Press Enter to start the clock.",
    demo_issuer: "Demo issuer: a credential earned here is signed by a local demo key and is not for real certification.",
    plain_resume: "Press Enter to continue.",
    plain_prompt: "Answer> ",
    plain_several: "Several answers: type their numbers separated by spaces (e.g. 1 3).",
    plain_choose_one: "Type the number of your choice.",
    plain_type_answer: "Type your answer.",
    plain_type_number: "Type a number.",
    plain_recorded: "Recorded.",
    plain_cleared: "Answer removed.",
    plain_bad_choice: "Not a valid choice here.",
    plain_unknown_command: "Unknown command; type :help for the list.",
    plain_end_of_paper: "That was the last question.",
    plain_submit_confirm: "Submit now? Type yes to hand in, or a command (:review, :goto N).",
    plain_saved_quit: "Answers saved; run the same command again to resume (the clock keeps running).",
    plain_sections: "Sections",
};

static FR: Strings = Strings {
    identify_title: "Qui passe l’examen\u{202f}?",
    identify_name: "Nom complet",
    identify_id: "Identifiant (facultatif)",
    identify_hint: "Tab\u{202f}: champ suivant · Entrée\u{202f}: continuer",
    identify_email: "Courriel (facultatif, illisible dans le certificat)",
    identify_email_refused: "Ce n’est pas une adresse de courriel (nom@domaine). Saisissez-la à nouveau, ou laissez le champ vide.",
    identify_name_required: "Veuillez saisir votre nom complet.",
    identify_mixed_scripts: "Alphabets mélangés\u{202f}: retapez avec un seul clavier.",
    refused_attempts_used: "Toutes les tentatives que permet cet examen ont été utilisées.",
    retake_now: "Vous pouvez repasser l’examen dès maintenant.",
    attempts_left: "Tentatives restantes",
    refused_next_attempt: "La prochaine tentative pourra commencer le",
    last_result: "Votre dernière tentative",
    handed_in_before: "Votre dernière tentative a été remise avant l'arrêt de brevet\u{202f}; en voici le résultat.",
    refused_leave: "Appuyez sur Entrée pour quitter.",
    identify_too_long: "Trop long\u{202f}: 200 caractères au plus.",
    instructions_title: "Avant de commencer",
    skill_block: "Bloc de compétences",
    questions: "Questions",
    time_limit: "Durée",
    extra_time: "temps supplémentaire",
    threshold: "Pour réussir",
    navigation_free: "Vous pouvez répondre dans l’ordre de votre choix, revenir en arrière et marquer des questions pour les revoir.",
    navigation_sequential: "Les questions se suivent\u{202f}: une fois passée, une question ne peut plus être revue.",
    press_enter_start: "Appuyez sur Entrée pour commencer\u{202f}: le chronomètre démarre.",
    press_enter_resume: "Appuyez sur Entrée pour continuer\u{202f}: le temps a continué de s’écouler.",
    resuming: "Votre session a été interrompue\u{202f}; vos réponses ont été conservées.",
    question: "Question",
    of: "sur",
    answered: "répondues",
    flagged: "marquées",
    flagged_one: "marquée",
    answered_one: "répondue",
    unanswered: "sans réponse",
    time_left: "restant",
    true_: "Vrai",
    between: "entre",
    and: "et",
    decimal_comma: true,
    false_: "Faux",
    your_answer: "Votre réponse",
    saved: "enregistrée",
    not_saved: "pas encore enregistrée\u{202f}: Entrée enregistre",
    not_a_number: "Ce n’est pas un nombre.",
    number_keys_only: "Seul un nombre va ici\u{202f}: chiffres, signe, virgule ou point décimal.",
    bank_changed: "Le fichier de cet examen a été modifié après le début de votre tentative",
    bank_changed_version: "version",
    bank_changed_questions_one: "question de votre copie modifiée",
    bank_changed_questions: "questions de votre copie modifiées",
    bank_changed_keep: "Vous terminez la copie qui vous a été donnée, notée telle qu’elle était.",
    jump_prompt: "Aller à la question",
    jump_keys: "Entrée aller · Échap rester",
    no_such_question: "Aucune question ne porte ce numéro.",
    keys_choice: "↑↓ se déplacer · 1-9 choisir (à nouveau\u{202f}: effacer) · Espace cocher · ←→ précédente/suivante · f marquer · r revoir · ? aide",
    keys_text: "saisissez votre réponse · Entrée enregistrer · ←→ curseur · PgPréc/PgSuiv question · F2 marquer · F3 revoir · F1 aide",
    keys_choice_sequential: "↑↓ se déplacer · 1-9 choisir (à nouveau\u{202f}: effacer) · Espace cocher · → question suivante (sans retour) · f marquer · r revoir · ? aide",
    keys_text_sequential: "saisissez votre réponse · Entrée enregistrer · ←→ curseur · PgSuiv question suivante (sans retour) · F2 marquer · F3 revoir · F1 aide",
    review_title: "Récapitulatif",
    review_hint: "↑↓ se déplacer · Entrée ouvrir · s terminer · Échap retour",
    confirm_title: "Terminer et envoyer vos réponses\u{202f}?",
    confirm_all_answered: "Toutes les questions ont une réponse.",
    confirm_hint: "o\u{202f}: envoyer maintenant · n ou Échap\u{202f}: revenir",
    result_title: "Résultat",
    passed: "RÉUSSI",
    not_passed: "NON RÉUSSI",
    score: "Score",
    required: "requis",
    section_minimum: "minimum",
    time_used: "Temps utilisé",
    time_up_submitted: "Le temps est écoulé\u{202f}: vos réponses ont été envoyées.",
    ended_by_proctor: "Le surveillant a mis fin à cette session.",
    right_answer: "Bonne réponse",
    explanation: "Pourquoi",
    no_answer: "(pas de réponse)",
    review_score_only: "Cet examen n’affiche que le score.",
    credential_written: "Votre certificat a été enregistré dans",
    credential_purpose: "C’est votre certificat signé (Open Badges 3.0) : conservez-le, envoyez-le à un employeur ou ajoutez-le à un portefeuille numérique ; chacun peut le vérifier avec « brevet verify ».",
    shared_beside: "À côté, chacun avec le certificat à l’intérieur\u{202f}: son badge à publier ou envoyer (PNG, SVG) et son attestation à imprimer (PDF)\u{202f}:",
    not_shared: "Son badge et son attestation n’ont pas tous pu être écrits",
    share_again: "le certificat lui-même est intact\u{202f}; cette commande les refait\u{202f}:",
    linkedin_add: "L’ajouter à votre profil LinkedIn\u{202f}:",
    result_hint: "↑↓ PgPréc PgSuiv Début Fin défiler · q quitter",
    minimum_mark_legend: "| marque le minimum d’une section",
    more_below: "↓ suite plus bas (↑↓ pour faire défiler)",
    more_above: "↑ début plus haut (↑↓ pour faire défiler)",
    more_above_below: "↑↓ suite plus haut et plus bas",
    help_title: "Touches",
    help_choice: &[
        (
            "↑ ↓",
            "se déplacer entre les choix\u{202f}; aux extrémités, faire défiler",
        ),
        (
            "1 … 9",
            "choisir (ou cocher) un choix\u{202f}; à nouveau pour l’effacer",
        ),
        (
            "Espace / Entrée",
            "choisir ou cocher le choix en surbrillance",
        ),
        ("← → ou p n", "question précédente / suivante"),
        ("PgPréc PgSuiv", "question précédente / suivante"),
        ("g ou F4", "aller à une question par son numéro"),
        ("f ou F2", "marquer la question pour y revenir"),
        ("r ou F3", "revoir toutes les questions, puis terminer"),
        ("? ou F1", "cette aide"),
    ],
    help_choice_sequential: &[
        (
            "↑ ↓",
            "se déplacer entre les choix\u{202f}; aux extrémités, faire défiler",
        ),
        (
            "1 … 9",
            "choisir (ou cocher) un choix\u{202f}; à nouveau pour l’effacer",
        ),
        (
            "Espace / Entrée",
            "choisir ou cocher le choix en surbrillance",
        ),
        ("→ n ou PgSuiv", "question suivante (sans retour possible)"),
        ("f ou F2", "marquer la question"),
        ("r ou F3", "revoir toutes les questions, puis terminer"),
        ("? ou F1", "cette aide"),
    ],
    help_text: &[
        (
            "lettres, chiffres",
            "saisir votre réponse (f, r, q sont ici des lettres)",
        ),
        ("← → Début Fin", "déplacer le curseur dans la réponse"),
        ("Retour arr. Suppr", "effacer"),
        ("Entrée", "enregistrer votre réponse"),
        (
            "PgPréc PgSuiv",
            "question précédente / suivante (réponse enregistrée)",
        ),
        ("↑ ↓", "faire défiler la question"),
        ("F4", "aller à une question par son numéro"),
        ("F2", "marquer la question pour y revenir"),
        ("F3", "revoir toutes les questions, puis terminer"),
        ("F1", "cette aide"),
    ],
    help_text_sequential: &[
        (
            "lettres, chiffres",
            "saisir votre réponse (f, r, q sont ici des lettres)",
        ),
        ("← → Début Fin", "déplacer le curseur dans la réponse"),
        ("Retour arr. Suppr", "effacer"),
        ("Entrée", "enregistrer et continuer (sans retour possible)"),
        (
            "PgSuiv",
            "question suivante (réponse enregistrée, sans retour)",
        ),
        ("↑ ↓", "faire défiler la question"),
        ("F2", "marquer la question"),
        ("F3", "revoir toutes les questions, puis terminer"),
        ("F1", "cette aide"),
    ],
    help_review: &[
        ("↑ ↓", "se déplacer entre les questions"),
        ("Entrée", "ouvrir la question en surbrillance"),
        ("s", "terminer"),
        ("Échap ou r", "revenir à la question"),
        ("? ou F1", "cette aide"),
    ],
    help_typed_summary: (
        "réponses saisies",
        "les lettres s’écrivent, ← → déplacent le curseur, Entrée enregistre\u{202f}; F1 F2 F3 F4 PgPréc PgSuiv pour le reste",
    ),
    help_quit: (
        "q ou Ctrl-C",
        "quitter (réponses enregistrées, le temps continue)",
    ),
    help_quit_text: (
        "Ctrl-C",
        "quitter (réponses enregistrées, le temps continue)",
    ),
    kiosk_help_proctor: ("F12", "appeler le surveillant (lui seul peut arrêter)"),
    help_close: "Appuyez sur une touche pour fermer.",
    enlarge: "Agrandissez le terminal",
    warning_left: "restantes",
    warning_left_one: "restante",
    zero_is_singular: true,
    refused_back: "Examen séquentiel\u{202f}: impossible de revenir en arrière.",
    refused_skip: "Examen séquentiel\u{202f}: répondez aux questions dans l’ordre.",
    refused_edge: "Il n’y a pas de question dans cette direction.",
    refused_finished: "La session est terminée.",
    paste_refused: "Le collage n’est pas autorisé dans cet examen\u{202f}; il a été signalé.",
    quit_confirm: "Quitter\u{202f}? Vos réponses sont enregistrées et le temps continue. o\u{202f}: quitter · n\u{202f}: rester",
    quit_not_started: "Quitté avant le début\u{202f}: aucune tentative ouverte, aucun chronomètre en marche.",
    flag_on: "marquée",
    kiosk_title: "Poste d’examen",
    kiosk_choose: "Choisissez votre examen avec ↑↓ puis appuyez sur Entrée.",
    kiosk_keys: "↑↓ choisir · Entrée\u{202f}: commencer · Surveillant\u{202f}: F12",
    kiosk_interrupted: "Une épreuve interrompue attend d’être reprise\u{202f}: surveillant, appuyez sur F12.",
    kiosk_pin_title: "Code du surveillant",
    kiosk_pin_identity: "Surveillant\u{202f}: vérifiez la pièce d’identité, puis tapez le code pour confirmer l’identité de",
    kiosk_pin_resume: "Surveillant\u{202f}: une épreuve interrompue a été trouvée\u{202f}; vérifiez l’identité, puis tapez le code pour la laisser reprendre\u{202f}:",
    kiosk_pending_attempt: "Le code reprend l’épreuve inachevée de",
    kiosk_pending_since: "commencée le",
    kiosk_pin_hint: "Entrée\u{202f}: valider · Échap\u{202f}: annuler",
    kiosk_pin_wrong: "Code erroné.",
    kiosk_pin_wait: "Trop de codes erronés\u{202f}: attendez jusqu’à",
    kiosk_menu_title: "Menu du surveillant",
    kiosk_menu_resume: "Reprendre l’épreuve interrompue de",
    kiosk_menu_tiers_temps: "Ce candidat a droit au tiers-temps\u{202f}: +33 % de la durée",
    kiosk_menu_extra_time: "Accorder 5 minutes de plus à cette épreuve",
    kiosk_menu_end: "Terminer cette épreuve maintenant (noté\u{202f}: terminée par le surveillant)",
    kiosk_menu_exit: "Fermer le poste d’examen",
    kiosk_menu_close: "Retour",
    kiosk_menu_exit_confirm: "Oui, fermer le poste d’examen maintenant",
    kiosk_result_hint: "↑↓ PgPréc PgSuiv Début Fin défiler · Entrée\u{202f}: terminé (candidat suivant)",
    kiosk_extra_time_granted: "Le surveillant a accordé du temps supplémentaire.",
    kiosk_key_locked: "La clé de l’émetteur est verrouillée\u{202f}: aucun examen ne peut commencer avant que le surveillant la déverrouille (F12).",
    kiosk_menu_unlock_key: "Déverrouiller la clé de l’émetteur",
    kiosk_passphrase_title: "Phrase secrète de la clé",
    kiosk_passphrase_hint: "Tapez la phrase secrète de la clé de l’émetteur, puis Entrée (Échap\u{202f}: annuler).",
    kiosk_passphrase_wrong: "Cette phrase secrète n’ouvre pas la clé.",
    colon: "\u{202f}: ",
    list_separator: "\u{202f}; ",
    plain_commands: &[
        (
            ":next  (ou une ligne vide)",
            "question suivante, sans changer celle-ci",
        ),
        (":prev", "question précédente"),
        (":goto N", "question N"),
        (":flag / :unflag", "marquer la question pour y revenir"),
        (":clear", "effacer la réponse"),
        (":review", "lister les questions et leur état"),
        (":time", "temps restant"),
        (":submit", "terminer l’examen"),
        (":help", "ces commandes"),
        (
            ":quit",
            "arrêter (réponses enregistrées, le temps continue)",
        ),
    ],
    plain_start: "Appuyez sur Entrée pour démarrer le chronomètre.",
    demo_issuer: "Émetteur de démonstration\u{202f}: un certificat obtenu ici est signé par une clé locale de démonstration et ne vaut pas certification.",
    plain_resume: "Appuyez sur Entrée pour continuer.",
    plain_prompt: "Réponse> ",
    plain_several: "Plusieurs réponses\u{202f}: tapez leurs numéros séparés par des espaces (ex. 1 3).",
    plain_choose_one: "Tapez le numéro de votre choix.",
    plain_type_answer: "Tapez votre réponse.",
    plain_type_number: "Tapez un nombre.",
    plain_recorded: "Enregistré.",
    plain_cleared: "Réponse effacée.",
    plain_bad_choice: "Ce choix n’est pas possible ici.",
    plain_unknown_command: "Commande inconnue\u{202f}; tapez :help pour la liste.",
    plain_end_of_paper: "C’était la dernière question.",
    plain_submit_confirm: "Terminer maintenant\u{202f}? Tapez oui pour envoyer, ou une commande (:review, :goto N).",
    plain_saved_quit: "Réponses enregistrées\u{202f}; relancez la même commande pour reprendre (le temps continue).",
    plain_sections: "Sections",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_choice_order() {
        assert_eq!(
            Lang::choose(Some(Lang::En), "fr", Some("fr_FR.UTF-8")),
            Lang::En
        );
        assert_eq!(Lang::choose(None, "fr-CA", Some("en_GB.UTF-8")), Lang::Fr);
        assert_eq!(Lang::choose(None, "de", Some("fr_FR.UTF-8")), Lang::Fr);
        assert_eq!(Lang::choose(None, "de", None), Lang::En);
    }

    #[test]
    fn both_languages_have_the_same_help_rows() {
        for (en, fr) in [
            (EN.help_choice, FR.help_choice),
            (EN.help_choice_sequential, FR.help_choice_sequential),
            (EN.help_text, FR.help_text),
            (EN.help_text_sequential, FR.help_text_sequential),
            (EN.help_review, FR.help_review),
        ] {
            assert_eq!(en.len(), fr.len());
        }
    }

    #[test]
    fn formats() {
        assert_eq!(clock(Duration::from_secs(65)), "01:05");
        assert_eq!(clock(Duration::from_secs(3725)), "1:02:05");
        assert_eq!(span(Duration::from_secs(1800)), "30 min");
        assert_eq!(span(Duration::from_secs(5400)), "1 h 30 min");
        assert_eq!(span(Duration::from_secs(90)), "1 min 30 s");
        assert_eq!(percent(70.0, &EN), "70 %");
        assert_eq!(percent(66.666, &EN), "66.7 %");
        assert_eq!(percent(66.666, &FR), "66,7\u{a0}%");
        // French agrees with the count: 0 and 1 singular; English does not
        // change its participle.
        assert_eq!(counted(0, FR.flagged_one, FR.flagged, &FR), "0 marquée");
        assert_eq!(counted(1, FR.flagged_one, FR.flagged, &FR), "1 marquée");
        assert_eq!(counted(2, FR.flagged_one, FR.flagged, &FR), "2 marquées");
        assert_eq!(counted(0, EN.flagged_one, EN.flagged, &EN), "0 flagged");
        assert_eq!(time_left(Duration::from_secs(44), &FR), "44 s restantes");
        assert_eq!(time_left(Duration::from_secs(60), &FR), "1 min restante");
        assert_eq!(time_left(Duration::from_secs(300), &EN), "5 min left");
    }
}
