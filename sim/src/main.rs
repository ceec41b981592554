//! `smssim`: the command-line front end. Thin by design: it parses
//! arguments, shows progress, writes files and prints summaries; the work is
//! in the library crates.

mod catalogue;
mod cli;
mod commands;
mod input;
mod output;
mod plot;
mod progress;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {err:#}");
            ExitCode::from(input::exit_code(&err))
        }
    }
}

/// Output piped into `head` is not a failure.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
