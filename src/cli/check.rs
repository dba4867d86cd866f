//! `brevet check PATH...`: validate banks and print every problem like rustc.

use crate::bank::{self, Diagnostic, diagnostic::JsonDiagnostic};

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `brevet check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Bank files, or folders searched recursively for `*.toml`.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format: `text` (rustc-style) or `json` (one object for editors and CI).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Treat warnings as errors (exit status 1 when any is found).
    #[arg(long)]
    pub deny_warnings: bool,
}

/// How `check` prints its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Human-readable, like rustc.
    Text,
    /// Machine-readable JSON.
    Json,
}

/// One bank read from disk and checked.
struct Checked {
    path: String,
    source: String,
    loaded: bank::Loaded,
}

/// Runs `brevet check`.
///
/// # Errors
/// A path that cannot be read (exit status 2).
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let mut files = Vec::new();
    for path in &args.paths {
        super::collect_files(path, "toml", &mut files)?;
    }
    let mut banks = Vec::with_capacity(files.len());
    for file in files {
        let bytes = crate::input::read_limited(&file, crate::bank::MAX_BANK_BYTES as u64)?;
        let (loaded, source) = bank::load(&bytes);
        banks.push(Checked {
            path: file.display().to_string(),
            source: source.into_owned(),
            loaded,
        });
    }
    duplicate_exam_ids(&mut banks);
    let errors: usize = banks.iter().map(|b| b.loaded.errors()).sum();
    let warnings: usize = banks.iter().map(|b| b.loaded.warnings()).sum();
    let report = match args.format {
        Format::Text => text_report(&banks, errors, warnings, super::stdout_color()),
        Format::Json => json_report(&banks, errors, warnings)?,
    };
    print!("{report}");
    let failed = errors > 0 || (args.deny_warnings && warnings > 0);
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Two banks with the same exam id would be confused in journals and credentials.
fn duplicate_exam_ids(banks: &mut [Checked]) {
    let mut seen: HashMap<String, String> = HashMap::new();
    for b in banks.iter_mut() {
        let (Some(exam), Some(span)) = (&b.loaded.exam, &b.loaded.id_span) else {
            continue;
        };
        let id = exam.meta.id.clone();
        if let Some(first) = seen.get(&id) {
            b.loaded.diagnostics.push(
                Diagnostic::error(
                    "duplicate-exam-id",
                    format!("exam id `{id}` is already used by {first}"),
                    span.clone(),
                )
                .label("same id as another bank")
                .help("each exam (skill block) needs its own id; a new edition keeps the id and changes `version`"),
            );
            b.loaded.exam = None;
        } else {
            seen.insert(id, b.path.clone());
        }
    }
}

fn text_report(banks: &[Checked], errors: usize, warnings: usize, color: bool) -> String {
    let mut out = String::new();
    let (mut sections, mut questions) = (0, 0);
    for b in banks {
        out.push_str(&bank::diagnostic::render_text(
            &b.path,
            &b.source,
            &b.loaded.diagnostics,
            color,
        ));
        if let Some(exam) = &b.loaded.exam {
            sections += exam.sections.len();
            questions += exam.questions.len();
        }
    }
    let _ = writeln!(
        out,
        "checked {} {}: {sections} {}, {questions} {}; {errors} {}, {warnings} {}",
        banks.len(),
        plural(banks.len(), "bank", "banks"),
        plural(sections, "section", "sections"),
        plural(questions, "question", "questions"),
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings"),
    );
    out
}

fn json_report(banks: &[Checked], errors: usize, warnings: usize) -> anyhow::Result<String> {
    let diagnostics: Vec<JsonDiagnostic<'_>> = banks
        .iter()
        .flat_map(|b| {
            b.loaded
                .diagnostics
                .iter()
                .map(|d| JsonDiagnostic::new(&b.path, &b.source, d))
        })
        .collect();
    let summary = serde_json::json!({
        "banks": banks.len(),
        "sections": banks.iter().filter_map(|b| b.loaded.exam.as_ref()).map(|e| e.sections.len()).sum::<usize>(),
        "questions": banks.iter().filter_map(|b| b.loaded.exam.as_ref()).map(|e| e.questions.len()).sum::<usize>(),
        "errors": errors,
        "warnings": warnings,
        "diagnostics": diagnostics,
    });
    Ok(serde_json::to_string_pretty(&summary)? + "\n")
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}
