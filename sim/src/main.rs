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
mod report;

use clap::Parser;

/// Large allocations on transparent huge pages (`smssim_engine::alloc`).
#[global_allocator]
static ALLOC: smssim_engine::alloc::HugePages = smssim_engine::alloc::HugePages;
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
    use std::io::ErrorKind::BrokenPipe;
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|e| e.io_error_kind() == Some(BrokenPipe))
            || c.downcast_ref::<csv::Error>().is_some_and(
                |e| matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == BrokenPipe),
            )
    })
}

/// Prints a line on stdout; unlike `println!`, a closed pipe is an error
/// the caller returns (and `main` treats as success), not a panic.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)
    }};
}
