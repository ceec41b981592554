//! Command-line arguments, as the user writes them.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Simulate a Systems Management Server 2.0 hierarchy under the legacy and
/// the hotfix behaviour of four documented defects (Q323627, Q242926,
/// Q319207, Q252717), and measure the difference.
#[derive(Debug, Parser)]
#[command(name = "smssim", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a scenario under one or more policies.
    #[command(after_help = "Examples:\n  smssim run scenarios/status-storm.json\n  \
        smssim run scenarios/status-storm.json --policy hotfix --replications 5 --out results/storm-hotfix")]
    Run(RunArgs),
    /// Run a scenario under two policies (legacy and hotfix unless two
    /// --policy are given) with common random numbers.
    #[command(
        after_help = "Examples:\n  smssim compare scenarios/status-storm.json --replications 10 --ablation\n  \
        smssim compare scenarios/status-storm.json --policy legacy --policy my-policy.json"
    )]
    Compare(CompareArgs),
    /// Run a scenario over a grid of parameter values.
    #[command(after_help = "Example:\n  smssim sweep scenarios/status-storm.json \
        --vary topology.clients_per_cap=500,1000,2000,4000 --replications 3\n\n\
        On a cluster, run one shard per task (--shard 0/4 … --shard 3/4) and join them with smssim merge.")]
    Sweep(SweepArgs),
    /// Join the results folders of a sharded sweep into the unsharded one.
    #[command(
        after_help = "Example:\n  smssim merge results/s0 results/s1 results/s2 --out results/sweep"
    )]
    Merge(MergeArgs),
    /// Check scenario files without running them.
    #[command(
        after_help = "Example:\n  smssim validate scenarios/*.json --set topology.clients_per_cap=4000"
    )]
    Validate(ValidateArgs),
    /// Print the JSON Schema of scenario files (or, with --policy, of
    /// policy files).
    #[command(after_help = "Example:\n  smssim schema > smssim-scenario.schema.json")]
    Schema(SchemaArgs),
    /// Write SMS-style logs and inbox snapshots for chosen clients and sites.
    #[command(
        after_help = "Example:\n  smssim trace scenarios/status-storm.json --at 1d --out trace/storm"
    )]
    Trace(TraceArgs),
    /// Draw SVG charts of a results folder: time series, sweep curves and
    /// ablation bars, means with 95 % intervals (default RESULTS/plots/).
    #[command(
        after_help = "Example:\n  smssim plot results/published/hierarchy --out charts/hierarchy"
    )]
    Plot(PlotArgs),
    /// Write one self-contained HTML report of a results folder: the
    /// scenario, the command, what the hotfixes change with 95 % intervals,
    /// the charts, links to the CSV files and the manifest (default
    /// DIR/report.html).
    #[command(
        after_help = "Example:\n  smssim report results/published/hierarchy -o hierarchy.html"
    )]
    Report(ReportArgs),
    /// Print the metric catalogue: every metric and time series a run
    /// writes, with its unit, the part of the model that writes it, the
    /// article it speaks for and its meaning.
    #[command(after_help = "Example:\n  smssim metrics --format csv > metrics-catalogue.csv")]
    Metrics(MetricsArgs),
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  smssim completions bash > ~/.local/share/bash-completion/completions/smssim\n  \
        smssim completions zsh > ~/.zfunc/_smssim"
    )]
    Completions(CompletionsArgs),
    /// Print the manual page (roff), or write one page per command.
    #[command(
        after_help = "Examples:\n  smssim man | man -l -\n  smssim man --out /usr/local/share/man/man1"
    )]
    Man(ManArgs),
}

/// `smssim completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `smssim man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write smssim.1 and one smssim-COMMAND.1 per command into this folder
    /// instead of printing smssim.1.
    #[arg(long, short = 'o', value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// `smssim metrics`.
#[derive(Debug, Args)]
pub struct MetricsArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = MetricsFormat::Table)]
    pub format: MetricsFormat,
}

/// How `smssim metrics` prints the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MetricsFormat {
    /// Aligned columns for people.
    Table,
    /// CSV with a header row.
    Csv,
    /// A JSON array of objects.
    Json,
}

/// Options every running command shares.
#[derive(Debug, Args)]
pub struct Common {
    /// The scenario file (JSON).
    pub scenario: PathBuf,
    /// Replications per policy, each with its own random streams
    /// (default: 1 for run and sweep, 3 for compare).
    #[arg(long, short = 'r', value_name = "N")]
    pub replications: Option<u32>,
    /// Master seed, instead of the scenario's (default: the scenario's
    /// `seed`).
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Override a scenario field by dotted path, e.g.
    /// `--set topology.clients_per_cap=50` (repeatable; `smssim schema`
    /// lists the fields).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Results folder, written as one unit: an existing folder that smssim
    /// wrote is replaced whole (default: results/SCENARIO-NAME/).
    #[arg(long, short = 'o', value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// No progress bar and no summary.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Check everything (scenario, overrides, policies, grid, memory, the
    /// results folder), print what would run, and run nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Threads that simulate at once (default: one per core; at most four
    /// per core): that many runs at once, or fewer runs with their status
    /// lanes on threads of their own. Results do not depend on it.
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<std::num::NonZeroUsize>,
}

/// `smssim run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub common: Common,
    /// `legacy`, `hotfix`, or a policy file (repeatable; default: legacy).
    #[arg(long, short = 'p', value_name = "POLICY")]
    pub policy: Vec<String>,
}

/// `smssim compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    #[command(flatten)]
    pub common: Common,
    /// Also run legacy with each hotfix knob switched on alone, and write
    /// ablation.csv (default: off; only with legacy against hotfix).
    #[arg(long)]
    pub ablation: bool,
    /// The two policies to compare, each `legacy`, `hotfix` or a policy
    /// file: give it twice, the base first (default: legacy, then hotfix).
    /// compare.csv names its columns after them.
    #[arg(long, short = 'p', value_name = "POLICY")]
    pub policy: Vec<String>,
}

/// `smssim sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    #[command(flatten)]
    pub common: Common,
    /// A key and its values, `KEY=V1,V2,...` (repeatable: the grid is the
    /// product of all).
    #[arg(long, required = true, value_name = "KEY=V1,V2,...")]
    pub vary: Vec<String>,
    /// `legacy`, `hotfix`, or a policy file (repeatable; default: both).
    #[arg(long, short = 'p', value_name = "POLICY")]
    pub policy: Vec<String>,
    /// Make only the runs whose run id % N == I (0-based), e.g. `0/4`
    /// (default: all runs).
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
}

/// `smssim merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Results folders of the shards.
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// Where to write the merged folder (written as one unit).
    #[arg(long, short = 'o', required = true, value_name = "DIR")]
    pub out: PathBuf,
}

/// `smssim validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Scenario files.
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
    /// Override fields before validating (as for `run`).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
}

/// `smssim schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// The schema of policy files (`--policy FILE`) instead.
    #[arg(long)]
    pub policy: bool,
}

/// `smssim trace`.
#[derive(Debug, Args)]
pub struct TraceArgs {
    /// The scenario file (JSON).
    pub scenario: PathBuf,
    /// A client to trace, by name (`PC000123`; repeatable). Default: the
    /// scenario's `trace.clients`, else a few the run shows to be
    /// interesting.
    #[arg(long)]
    pub client: Vec<String>,
    /// A site to trace, by code (repeatable). Default: the scenario's
    /// `trace.sites`, else the central site and the traced clients' sites.
    #[arg(long)]
    pub site: Vec<String>,
    /// Also write the site inboxes as they stood at this virtual time
    /// (`3d`, `36h`, …; default: no snapshot).
    #[arg(long, value_name = "DURATION")]
    pub at: Option<String>,
    /// `legacy`, `hotfix`, or a policy file.
    #[arg(long, short = 'p', default_value = "legacy", value_name = "POLICY")]
    pub policy: String,
    /// Replication whose random streams to use.
    #[arg(long, default_value_t = 0)]
    pub replication: u32,
    /// Master seed, instead of the scenario's (default: the scenario's
    /// `seed`).
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Override a scenario field by dotted path (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Check the scenario, clients, sites and folder, and run nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Where to write the logs and snapshots (a folder, written as one
    /// unit).
    #[arg(long, short = 'o', required = true, value_name = "DIR")]
    pub out: PathBuf,
}

/// `smssim plot`.
#[derive(Debug, Args)]
pub struct PlotArgs {
    /// A results folder holding timeseries.csv, sweep.csv, compare.csv or
    /// ablation.csv.
    pub results: PathBuf,
    /// Where to write the SVG files (default: RESULTS/plots/); replaced
    /// whole.
    #[arg(long, short = 'o', value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// `smssim report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A results folder of run, compare or sweep, e.g.
    /// `results/published/hierarchy`.
    pub dir: PathBuf,
    /// The HTML file to write (default: DIR/report.html).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
}
