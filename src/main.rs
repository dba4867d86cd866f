//! The `brevet` binary: parse the command line, run, map the outcome to an exit code.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = brevet::cli::Cli::parse();
    match brevet::cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("brevet: {}", brevet::present::error_text(&e));
            ExitCode::from(2)
        }
    }
}
