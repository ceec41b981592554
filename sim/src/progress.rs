//! A progress bar on stderr, only when stderr is a terminal.

use indicatif::{ProgressBar, ProgressStyle};
use smssim_experiment::ProgressSink;
use std::io::IsTerminal;

/// Progress over all runs of an invocation, in simulated seconds.
pub struct Bar {
    bar: Option<ProgressBar>,
}

impl Bar {
    /// A bar over `total_ms` simulated milliseconds, or none when quiet or
    /// when stderr is not a terminal.
    pub fn new(total_ms: u64, runs: usize, quiet: bool) -> Self {
        if quiet || !std::io::stderr().is_terminal() {
            return Bar { bar: None };
        }
        let bar = ProgressBar::new(total_ms / 1000);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {percent:>3}% simulated ({msg}) eta {eta}",
            )
            .expect("valid template"),
        );
        bar.set_message(format!("{runs} runs"));
        Bar { bar: Some(bar) }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl ProgressSink for Bar {
    fn advance(&self, ms: u64) {
        if let Some(b) = &self.bar {
            b.inc(ms / 1000);
        }
    }
}
