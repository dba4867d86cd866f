//! Writes a generated bank of N questions (default 10,000, about 8.6 MB),
//! for measuring `brevet check` on a large bank:
//!
//! ```sh
//! cargo run --release --example gen_bank -- 10000 big.toml
//! /usr/bin/time -v target/release/brevet check big.toml
//! ```

#[path = "../tests/support/bank_gen.rs"]
mod bank_gen;

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let count = match args.next().map(|n| n.parse::<usize>()) {
        None => 10_000,
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            eprintln!("gen_bank: the question count must be a number: {e}");
            return ExitCode::from(2);
        }
    };
    let Some(path) = args.next() else {
        eprintln!("usage: gen_bank [QUESTIONS] OUT.toml");
        return ExitCode::from(2);
    };
    let bank = bank_gen::generate(count);
    if let Err(e) = std::fs::write(&path, &bank) {
        eprintln!("gen_bank: cannot write {path}: {e}");
        return ExitCode::from(2);
    }
    eprintln!("wrote {path}: {count} questions, {} bytes", bank.len());
    ExitCode::SUCCESS
}
