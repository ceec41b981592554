//! One function per subcommand.

use crate::cli::{Cli, Command, Common, CompareArgs, RunArgs, SweepArgs, TraceArgs};
use crate::input::{self, bad};
use crate::output::{self, Kind};
use crate::progress::Bar;
use anyhow::Context;
use smssim_experiment::Experiment;
use smssim_model::{Hierarchy, RunConfig, Trace};
use smssim_results::folder::FolderWriter;
use smssim_scenario::{Knob, Policy};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Runs the subcommand the user asked for.
pub fn dispatch(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Run(a) => run(a),
        Command::Compare(a) => compare(a),
        Command::Sweep(a) => sweep(a),
        Command::Merge(a) => {
            let inputs: Vec<&Path> = a.dirs.iter().map(PathBuf::as_path).collect();
            let folder = FolderWriter::begin_keeping(&a.out, &inputs)?;
            smssim_results::merge::merge(&a.dirs, folder.path())?;
            folder.commit()?;
            crate::say!("merged {} folders into {}", a.dirs.len(), a.out.display())?;
            Ok(())
        }
        Command::Validate(a) => validate(&a.scenarios, &a.set),
        Command::Schema(a) => {
            let schema = if a.policy {
                smssim_scenario::policy_schema()
            } else {
                smssim_scenario::schema()
            };
            let mut out = std::io::stdout().lock();
            serde_json::to_writer_pretty(&mut out, &schema)?;
            writeln!(out)?;
            Ok(())
        }
        Command::Trace(a) => trace(a),
        Command::Plot(a) => crate::plot::plot(&a.results, a.out.as_deref()),
        Command::Report(a) => crate::report::report(&a.dir, a.out.as_deref()),
        Command::Metrics(a) => crate::catalogue::print(a.format),
        Command::Completions(a) => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut out = std::io::stdout().lock();
            clap_complete::generate(a.shell, &mut cmd, "smssim", &mut out);
            out.flush()?;
            Ok(())
        }
        Command::Man(a) => man(a.out.as_deref()),
    }
}

fn experiment(c: &Common, policies: Vec<Policy>, replications: u32) -> anyhow::Result<Experiment> {
    Ok(Experiment {
        scenario: c.scenario.clone(),
        overrides: input::overrides(&c.set, c.seed)?,
        policies,
        replications,
        vary: Vec::new(),
        shard: None,
        jobs: input::jobs(c.jobs),
    })
}

fn execute(exp: &Experiment, c: &Common, kind: Kind) -> anyhow::Result<()> {
    let plan = exp.plan()?;
    let dir = output::folder(c.out.as_deref(), &plan);
    if c.dry_run {
        FolderWriter::check(&dir)?;
        return output::print_plan(&dir, &plan);
    }
    // The folder is checked and locked before anything is simulated.
    let folder = FolderWriter::begin(&dir)?;
    let bar = Bar::new(plan.total_ms(), plan.runs.len(), c.quiet);
    let records = match c.jobs {
        // No more threads than runs: the others would only wait.
        Some(_) => rayon::ThreadPoolBuilder::new()
            .num_threads(exp.jobs.min(plan.runs.len()).max(1))
            .build()
            .context("cannot start the threads that make the runs (try a lower --jobs)")?
            .install(|| plan.execute(&bar)),
        None => plan.execute(&bar),
    };
    bar.finish();
    let mut records = records?;
    output::tidy_params(&plan, &mut records);
    output::write_folder(folder.path(), exp, &plan, &records, kind)?;
    folder.commit()?;
    if !c.quiet {
        output::print_summary(&dir, &plan, &records, kind)?;
    }
    Ok(())
}

fn run(a: RunArgs) -> anyhow::Result<()> {
    let policies = input::policies(&a.policy, &["legacy"])?;
    let reps = input::replications(a.common.replications, 1)?;
    let exp = experiment(&a.common, policies, reps)?;
    execute(&exp, &a.common, Kind::Run)
}

fn compare(a: CompareArgs) -> anyhow::Result<()> {
    let mut policies = match a.policy.len() {
        0 => vec![Policy::legacy(), Policy::hotfix()],
        2 => input::policies(&a.policy, &[])?,
        n => {
            return input::bad(format!(
                "--policy given {n} time{} ({}): compare takes none (legacy against hotfix) or exactly two, e.g. --policy legacy --policy my-policy.json",
                if n == 1 { "" } else { "s" },
                a.policy.join(", ")
            ))
        }
    };
    if a.ablation {
        let default = policies
            .iter()
            .map(|p| p.name.as_str())
            .eq(["legacy", "hotfix"]);
        if !default {
            return input::bad(format!(
                "--ablation compares legacy, legacy with each hotfix knob, and hotfix: it cannot be combined with --policy {} --policy {}",
                policies[0].name, policies[1].name
            ));
        }
        policies.extend(Knob::ALL.map(Policy::legacy_with));
    }
    let reps = input::replications(a.common.replications, 3)?;
    let exp = experiment(&a.common, policies, reps)?;
    execute(
        &exp,
        &a.common,
        Kind::Compare {
            ablation: a.ablation,
        },
    )
}

fn sweep(a: SweepArgs) -> anyhow::Result<()> {
    let policies = input::policies(&a.policy, &["legacy", "hotfix"])?;
    let reps = input::replications(a.common.replications, 1)?;
    let mut exp = experiment(&a.common, policies, reps)?;
    exp.vary = input::varies(&a.vary)?;
    exp.shard = a.shard.as_deref().map(input::shard).transpose()?;
    execute(
        &exp,
        &a.common,
        Kind::Sweep {
            sharded: exp.shard.is_some(),
        },
    )
}

fn validate(files: &[std::path::PathBuf], set: &[String]) -> anyhow::Result<()> {
    let overrides = input::overrides(set, None)?;
    let mut failed = 0;
    for f in files {
        match smssim_scenario::load(f, &overrides) {
            Ok(s) => crate::say!(
                "ok: {} ({}: {} sites, {} clients, {} days)",
                f.display(),
                s.spec.name,
                s.sites.len(),
                s.client_count(),
                s.spec.duration_days
            )?,
            Err(e) => {
                eprintln!("error: {:#}", anyhow::Error::from(e));
                failed += 1;
            }
        }
    }
    if failed > 0 {
        return bad(format!(
            "{failed} of {} scenario files are invalid",
            files.len()
        ));
    }
    Ok(())
}

fn trace(a: TraceArgs) -> anyhow::Result<()> {
    let overrides = input::overrides(&a.set, a.seed)?;
    let scenario = smssim_scenario::load(&a.scenario, &overrides)?;
    smssim_experiment::check_memory(&scenario, smssim_experiment::machine_memory())?;
    let policy = input::policy(&a.policy)?;
    let at =
        a.at.as_deref()
            .map(|s| input::duration("--at", s))
            .transpose()?;
    if let Some(t) = at {
        if t.millis() > scenario.horizon {
            return bad(format!(
                "--at {t}: the run ends at {:.3} days",
                scenario.spec.duration_days
            ));
        }
    }
    // The folder is checked (and, unless this is a dry run, locked) before
    // anything is simulated, the first pass included.
    let folder = if a.dry_run {
        FolderWriter::check(&a.out)?;
        None
    } else {
        Some(FolderWriter::begin(&a.out)?)
    };
    let h = Hierarchy::build(&scenario);
    let names: Vec<String> = if a.client.is_empty() {
        scenario.spec.trace.clients.clone()
    } else {
        a.client.clone()
    };
    let mut clients = Vec::new();
    for n in &names {
        match h.client_by_name(n) {
            Some(c) => clients.push(c),
            None if h.clients.is_empty() => {
                return bad(format!(
                    "--client {n:?}: this scenario has no clients (topology.clients_per_cap is 0)"
                ))
            }
            None => {
                return bad(format!(
                    "--client {n:?}: no such client; names run {}…{}",
                    h.client_name(0),
                    h.client_name(h.clients.len() as u32 - 1)
                ))
            }
        }
    }
    let config = |trace| RunConfig {
        scenario: &scenario,
        hierarchy: &h,
        policy: &policy,
        replication: a.replication,
        trace,
        fingerprint: false,
        threads: smssim_experiment::threads_per_run(
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get),
            1,
        ),
    };
    if clients.is_empty() && !a.dry_run {
        // A first pass finds clients worth following.
        let out = smssim_model::run(config(Trace::off()), &mut smssim_engine::NoProgress)?;
        clients = out.interesting.into_iter().take(5).collect();
        if clients.is_empty() && !h.clients.is_empty() {
            clients.push(0);
        }
    }
    let site_codes: Vec<String> = if !a.site.is_empty() {
        a.site.clone()
    } else {
        scenario.spec.trace.sites.clone()
    };
    let mut sites = Vec::new();
    for code in &site_codes {
        match h.site_by_code(code) {
            Some(s) => sites.push(s),
            None => return bad(format!("--site {code:?}: no site has this code")),
        }
    }
    if sites.is_empty() {
        sites.push(0);
        for &c in &clients {
            let s = h.clients.site[c as usize];
            if !sites.contains(&s) {
                sites.push(s);
            }
        }
    }
    let Some(folder) = folder else {
        crate::say!(
            "dry run: would trace {} under {} ({} clients{}, {} sites) into {}",
            scenario.spec.name,
            policy.name,
            clients.len(),
            if clients.is_empty() {
                ", chosen by a first run"
            } else {
                ""
            },
            sites.len(),
            a.out.display()
        )?;
        return Ok(());
    };
    let mut tr = Trace::new(h.clients.len(), h.sites.len(), &clients, &sites);
    tr.snapshot_at = at.map(|d| d.millis());
    let out = smssim_model::run(config(tr), &mut smssim_engine::NoProgress)?;
    let root = folder.path();
    let mut written = 0;
    for (path, lines) in &out.trace.logs {
        let mut text = lines.join("\n");
        text.push('\n');
        write_under(root, path, text.as_bytes())?;
        written += 1;
    }
    for (path, text) in &out.trace.files {
        write_under(root, path, text.as_bytes())?;
        written += 1;
    }
    let mut index = format!(
        "scenario: {}\npolicy: {}\nreplication: {}\nclients: {}\nsites: {}\nsnapshot at: {}\n",
        scenario.spec.name,
        policy.name,
        a.replication,
        clients
            .iter()
            .map(|&c| h.client_name(c))
            .collect::<Vec<_>>()
            .join(", "),
        sites
            .iter()
            .map(|&s| h.sites[s as usize].code.clone())
            .collect::<Vec<_>>()
            .join(", "),
        at.map_or("-".to_string(), |d| format!(
            "{d} ({})",
            scenario.spec.start.iso(d.millis())
        )),
    );
    index.push_str("files:\n");
    for p in out.trace.logs.keys().chain(out.trace.files.keys()) {
        index.push_str(&format!("  {p}\n"));
    }
    write_under(root, "trace.txt", index.as_bytes())?;
    let manifest = serde_json::json!({
        "tool": "smssim",
        "command": "trace",
        "version": env!("CARGO_PKG_VERSION"),
        "scenario": scenario.spec.name,
        "scenario_file": scenario.source.path,
        "scenario_sha256": scenario.source.sha256,
        "seed": scenario.spec.seed,
        "policy": policy.name,
        "replication": a.replication,
        "command_line": std::env::args().collect::<Vec<_>>(),
    });
    smssim_results::write::write_manifest(root, &manifest)?;
    folder.commit()?;
    crate::say!(
        "wrote {written} files for {} clients and {} sites to {}",
        clients.len(),
        sites.len(),
        a.out.display()
    )?;
    Ok(())
}

fn write_under(root: &Path, rel: &str, bytes: &[u8]) -> anyhow::Result<()> {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    smssim_results::atomic::write_atomic(&path, bytes)
        .with_context(|| format!("cannot write {}", path.display()))
}

/// `smssim man`: smssim.1 on stdout, or every page into a folder.
fn man(out: Option<&Path>) -> anyhow::Result<()> {
    let cmd = <Cli as clap::CommandFactory>::command();
    match out {
        None => {
            let mut out = std::io::stdout().lock();
            clap_mangen::Man::new(cmd).render(&mut out)?;
            out.flush()?;
        }
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            clap_mangen::generate_to(cmd, dir)
                .with_context(|| format!("cannot write the pages into {}", dir.display()))?;
            crate::say!("wrote the manual pages into {}", dir.display())?;
        }
    }
    Ok(())
}
