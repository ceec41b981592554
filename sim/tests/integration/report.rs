//! `smssim report`: one self-contained HTML file per results folder, that
//! a browser shows with every chart and no error.

use crate::support::{describe, root, smssim};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn report(dir: &Path, out: &Path) -> Output {
    smssim(&["report", dir.to_str().unwrap(), "-o", out.to_str().unwrap()])
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The number in `wrote … (N charts)`.
fn charts_written(o: &Output) -> usize {
    let stdout = String::from_utf8_lossy(&o.stdout);
    let i = stdout.find(" charts)").expect("a chart count");
    let start = stdout[..i].rfind('(').unwrap() + 1;
    stdout[start..i].parse().unwrap()
}

#[test]
fn report_holds_the_scenario_the_changes_the_charts_and_the_manifest() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("hierarchy.html");
    let dir = root().join("results/published/hierarchy");
    let o = report(&dir, &out);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let html = read(&out);
    let n = charts_written(&o);
    assert!(n >= 10, "{n}");
    assert!(html.starts_with("<!DOCTYPE html>"));
    // Self-contained: no script, no external resource.
    assert!(!html.contains("<script"));
    assert!(!html.contains(" src="));
    assert!(!html.contains("<link"));
    assert_eq!(
        html.matches("http").count(),
        html.matches("http://www.w3.org/2000/svg").count(),
        "only the SVG namespace names a URL"
    );
    assert_eq!(html.matches("<svg ").count(), n);
    // The scenario's description, the command, the headline table with
    // intervals, the manifest.
    assert!(html.contains("All four defects in one SMS 2.0 hierarchy"));
    assert!(html.contains("compare scenarios/hierarchy.json --replications 10 --ablation"));
    assert!(html.contains("status messages lost to name collisions"));
    assert!(html.contains("173.5 ± 23.49"), "legacy's mean and interval");
    assert!(html.contains("−100 %"));
    assert!(html.contains("074beb698ad451f9d6b396721a719331bdfc43a78cf28b3c6085bbe1c4fdd564"));
    assert!(html.contains(">2002<"), "the seed");
    // Relative links to the CSV files.
    assert!(html.contains("compare.csv\">compare.csv</a>"));
    assert!(html.contains("timeseries.csv\">timeseries.csv</a>"));

    // The default place, and the same bytes every time.
    let again = tmp.path().join("again.html");
    let o = report(&dir, &again);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    assert_eq!(read(&again), html);
}

#[test]
fn a_sweep_report_shows_the_curves() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r.html");
    let o = report(
        &root().join("results/published/q323627/sweep-clients-per-cap"),
        &out,
    );
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let html = read(&out);
    assert!(html.contains("Across the sweep"));
    assert!(html.contains("sweep.csv\">sweep.csv</a>"));
    assert_eq!(html.matches("<svg ").count(), charts_written(&o));
    // Headline metrics come first.
    let lost = html
        .find(">status.lost · Q323627")
        .expect("status.lost chart");
    let events = html.find(">sim.events").expect("sim.events chart");
    assert!(lost < events);
}

#[test]
fn report_escapes_every_text_and_refuses_a_folder_without_results() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("manifest.json"),
        r#"{"tool":"smssim","scenario":"<script>x</script>","command_line":["smssim","<b>"],"seed":"&"}"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("compare.csv"),
        "scenario,metric,unit,legacy_mean,legacy_ci95,hotfix_mean,hotfix_ci95,change_pct\ns,<i>m</i>,count,1,0,2,0,100\n",
    )
    .unwrap();
    let out = dir.path().join("report.html");
    let o = smssim(&["report", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let html = read(&out);
    assert!(!html.contains("<script>") && !html.contains("<i>") && !html.contains("<b>"));
    assert!(html.contains("&lt;script&gt;x&lt;/script&gt;"));
    assert!(html.contains("&lt;i&gt;m&lt;/i&gt;"));

    let empty = tempfile::tempdir().unwrap();
    let o = smssim(&["report", empty.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
}

/// The browser, if there is one.
fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        })
}

/// Runs the headless browser on `url` with `args`, stopping it after two
/// minutes; returns its stdout and stderr.
fn headless(browser: &str, args: &[&str], url: &str) -> (String, String) {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            "--window-size=1000,2000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the browser starts");
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || std::io::read_to_string(stdout).unwrap_or_default());
    let err = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{browser} did not finish within two minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    (out.join().unwrap(), err.join().unwrap())
}

/// A screenshot of `url`, in bytes of PNG.
fn screenshot(browser: &str, url: &str, png: &Path) -> u64 {
    let arg = format!("--screenshot={}", png.display());
    headless(browser, &[&arg], url);
    std::fs::metadata(png)
        .unwrap_or_else(|e| panic!("no screenshot {}: {e}", png.display()))
        .len()
}

fn file_url(p: &Path) -> String {
    format!("file://{}", std::fs::canonicalize(p).unwrap().display())
}

#[test]
fn report_renders_in_a_browser_with_every_chart_and_no_error() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have chromium to check the report in a browser (.ci/run installs it)"
        );
        eprintln!("skipped: no chromium on PATH to check the report in a browser");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("hierarchy.html");
    let o = report(&root().join("results/published/hierarchy"), &out);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let n = charts_written(&o);
    let url = file_url(&out);

    // The DOM the browser built holds every chart, and nothing failed.
    let (dom, log) = headless(
        browser,
        &["--enable-logging=stderr", "--v=0", "--dump-dom"],
        &url,
    );
    assert_eq!(dom.matches("<svg ").count(), n, "charts in the DOM");
    assert!(dom.contains("What the hotfixes change"));
    for bad in ["Uncaught", "ERROR:CONSOLE", ":CONSOLE("] {
        assert!(!log.contains(bad), "{bad} in the browser's log:\n{log}");
    }

    // The page is not blank: its screenshot carries far more than a blank
    // page's of the same size.
    let blank = tmp.path().join("blank.html");
    std::fs::write(&blank, "<!DOCTYPE html><html><body></body></html>").unwrap();
    let blank_png = screenshot(browser, &file_url(&blank), &tmp.path().join("blank.png"));
    let page_png = screenshot(browser, &url, &tmp.path().join("report.png"));
    assert!(
        page_png > 20_000 && page_png > 5 * blank_png,
        "report screenshot {page_png} bytes, blank page {blank_png}"
    );
}
