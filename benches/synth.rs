//! A synthetic bank of any size, with every question kind and realistic
//! prompt lengths, shared by the benchmarks.

use std::fmt::Write as _;

/// A valid bank of `n` questions in 10 sections, each drawing a tenth of
/// its pool (at least one).
pub fn bank(n: usize) -> String {
    let sections = 10;
    let per = n.div_ceil(sections);
    let mut s = String::with_capacity(n * 900);
    s.push_str(
        "[exam]\nid = \"synthetic\"\nversion = \"1.0.0\"\ntitle = \"Synthetic bank\"\nlanguage = \"en\"\n\
         description = \"Generated for benchmarks.\"\nlearning_outcomes = [\"Answer generated questions\"]\n\
         workload_hours = 10\n\n[rules]\ntime_limit = \"1h\"\nmastery_threshold = 70\nscoring = \"partial\"\n\n",
    );
    for k in 0..sections {
        let _ = write!(
            s,
            "[[sections]]\nid = \"s{k}\"\ntitle = \"Section {k}\"\ndraw = {}\n\n",
            (per / 10).max(1)
        );
    }
    let filler =
        "This sentence stands for the context an author gives before the actual question is asked.";
    for i in 0..n {
        let section = i % sections;
        let _ = write!(
            s,
            "[[questions]]\nid = \"q{i}\"\nsection = \"s{section}\"\npoints = {}\nprompt = \"\"\"\n{filler} {filler}\nQuestion number {i}: which statement is right?\"\"\"\nexplanation = \"Because statement {i} is the right one, as the course explains in detail.\"\ntags = [\"generated\", \"t{}\"]\n",
            1 + i % 3,
            i % 7
        );
        match i % 5 {
            0 | 1 => {
                let kind = if i % 5 == 0 { "single" } else { "multiple" };
                let _ = writeln!(s, "kind = \"{kind}\"");
                for c in 0..4 {
                    let correct = c == 0 || (kind == "multiple" && c == 1);
                    let _ = write!(
                        s,
                        "  [[questions.choices]]\n  text = \"Choice {c} of question {i}, worded as a full sentence\"\n  correct = {correct}\n"
                    );
                }
            }
            2 => {
                let _ = writeln!(s, "kind = \"true-false\"\nanswer = {}", i % 2 == 0);
            }
            3 => {
                let _ = writeln!(
                    s,
                    "kind = \"text\"\naccepted = [\"answer {i}\", \"réponse {i}\"]\nignore = [\"case\", \"accents\", \"whitespace\"]"
                );
            }
            _ => {
                let _ = writeln!(
                    s,
                    "kind = \"numeric\"\nanswer = {i}.5\ntolerance = 0.25\nunit = \"kg\""
                );
            }
        }
        s.push('\n');
    }
    s
}
