//! `smssim plot` on hostile or broken results folders: every bad file is an
//! input error (exit 2) naming the file, never a panic, and every piece of
//! text from the files is escaped in the SVG it writes.

use crate::support::{describe, smssim};
use std::path::Path;
use std::process::Output;

const SERIES_HEADER: &str = "run_id,policy,time_s,series,value\n";

/// A results folder holding `files` (name, contents).
fn folder(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, contents) in files {
        std::fs::write(dir.path().join(name), contents).unwrap();
    }
    dir
}

fn plot(results: &Path, out: &Path) -> Output {
    smssim(&[
        "plot",
        results.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ])
}

/// Asserts exit 2, no panic, and a message containing each of `needles`.
fn assert_input_error(o: &Output, needles: &[&str]) {
    assert_eq!(o.status.code(), Some(2), "{}", describe(o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.starts_with("error: "), "{err}");
    for n in needles {
        assert!(err.contains(n), "{n:?} not in {err}");
    }
}

/// Asserts that every `&` in `svg` starts an entity, and that no tag but
/// the chart's own appears.
fn assert_well_escaped(svg: &str) {
    for (i, _) in svg.match_indices('&') {
        let rest = &svg[i..];
        assert!(
            ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                .iter()
                .any(|e| rest.starts_with(e)),
            "bare & at {i}: {svg}"
        );
    }
    for tag in svg.split('<').skip(1) {
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        assert!(
            ["svg", "title", "rect", "text", "line", "polyline", "polygon", "circle", "path"]
                .contains(&name.as_str()),
            "unexpected tag <{tag}"
        );
    }
}

#[test]
fn columns_missing_from_the_header_are_an_input_error_not_a_panic() {
    let r = folder(&[("timeseries.csv", b"a,b,c\n1,2,3\n")]);
    let o = plot(r.path(), &r.path().join("plots"));
    assert_input_error(&o, &["timeseries.csv:1: no column \"run_id\""]);
}

#[test]
fn a_broken_sweep_is_an_input_error() {
    let r = folder(&[("sweep.csv", b"x,policy,metric,unit,mean,ci95,n\n1,p,m,u\n")]);
    let o = plot(r.path(), &r.path().join("plots"));
    assert_input_error(&o, &["sweep.csv:2: 4 fields: expected 7"]);
}

#[test]
fn bad_numbers_empty_files_and_bad_bytes_are_input_errors() {
    let cases: [(&[u8], &str); 5] = [
        (
            b"run_id,policy,time_s,series,value\n0,p,0,s,NaN\n",
            "timeseries.csv:2: column \"value\"",
        ),
        (
            b"run_id,policy,time_s,series,value\n0,p,1e999,s,1\n",
            "timeseries.csv:2: column \"time_s\"",
        ),
        (b"", "timeseries.csv: empty"),
        (
            b"run_id,policy,time_s,series,value\n0,p\xff,0,s,1\n",
            "timeseries.csv:2: invalid UTF-8",
        ),
        (
            b"run_id,policy,time_s,series,value\n0,p,0,s\n",
            "timeseries.csv:2: 4 fields",
        ),
    ];
    for (contents, needle) in cases {
        let r = folder(&[("timeseries.csv", contents)]);
        let o = plot(r.path(), &r.path().join("plots"));
        assert_input_error(&o, &[needle]);
    }
}

#[test]
fn what_is_not_a_regular_file_is_an_input_error() {
    let r = tempfile::tempdir().unwrap();
    std::fs::create_dir(r.path().join("timeseries.csv")).unwrap();
    let o = plot(r.path(), &r.path().join("plots"));
    assert_input_error(&o, &["timeseries.csv: is a directory"]);

    #[cfg(unix)]
    {
        let r = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("/dev/zero", r.path().join("sweep.csv")).unwrap();
        let o = plot(r.path(), &r.path().join("plots"));
        assert_input_error(&o, &["sweep.csv: is a device"]);
    }
}

#[test]
fn names_from_the_files_are_escaped_in_the_svg() {
    let csv = format!(
        "{SERIES_HEADER}0,<script>alert(1)</script>,0,a&b,1\n0,<script>alert(1)</script>,3600,a&b,2\n1,\"q\"\"'\",0,a&b,3\n"
    );
    let r = folder(&[("timeseries.csv", csv.as_bytes())]);
    let out = r.path().join("plots");
    let o = plot(r.path(), &out);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let svg = std::fs::read_to_string(out.join("a_b.svg")).unwrap();
    assert!(
        svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{svg}"
    );
    assert!(!svg.contains("<script"), "{svg}");
    assert!(svg.contains(">a&amp;b</text>"), "{svg}");
    assert!(svg.contains(">q&quot;&#39;</text>"), "{svg}");
    assert_well_escaped(&svg);
}

#[test]
fn chart_files_stay_in_the_output_folder() {
    let long = "x".repeat(500);
    let mut csv = SERIES_HEADER.to_string();
    for name in [
        "../../escape",
        ".hidden",
        "/abs/path",
        "a\\b",
        long.as_str(),
        "",
        "a_b",
        "a/b",
    ] {
        // Two values each, so that no series is left out as constant.
        csv.push_str(&format!("0,p,0,{name},1\n0,p,3600,{name},2\n"));
    }
    let r = folder(&[("timeseries.csv", csv.as_bytes())]);
    let out = r.path().join("plots");
    let o = plot(r.path(), &out);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "manifest.json")
        .collect();
    names.sort();
    assert_eq!(names.len(), 8, "{names:?}");
    for n in &names {
        assert!(!n.starts_with('.'), "{n}");
        assert!(n.len() <= 104, "{n}");
        assert!(n.ends_with(".svg"), "{n}");
    }
    // Two names that come out alike are both kept.
    assert!(names.contains(&"a_b.svg".to_string()), "{names:?}");
    assert!(names.contains(&"a_b-2.svg".to_string()), "{names:?}");
    // Nothing was written beside the results folder.
    let beside: Vec<_> = std::fs::read_dir(r.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(beside.len(), 2, "{beside:?}");
}

/// Charts written into the results folder itself would replace the results:
/// refused, and the folder is left as it was.
#[test]
fn plot_into_its_own_results_folder_is_refused() {
    let root = tempfile::tempdir().unwrap();
    let r = root.path().join("r");
    let o = smssim(&[
        "run",
        crate::support::scenario("status-storm.json")
            .to_str()
            .unwrap(),
        "--set",
        "duration_days=0.1",
        "--set",
        "topology.clients_per_cap=20",
        "--quiet",
        "--out",
        r.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    for out in [r.clone(), root.path().to_path_buf()] {
        let o = plot(&r, &out);
        assert_input_error(&o, &["which this command reads"]);
        assert!(r.join("metrics.csv").exists() && r.join("timeseries.csv").exists());
    }
}

/// Values at the ends of the f64 range draw a chart (the axis range once
/// overflowed and asked for usize::MAX ticks).
#[test]
fn extreme_values_draw_a_chart() {
    let csv =
        format!("{SERIES_HEADER}0,legacy,0,s,1.7e308\n0,legacy,60,s,-1.7e308\n0,legacy,120,s,0\n");
    let r = folder(&[("timeseries.csv", csv.as_bytes())]);
    let out = tempfile::tempdir().unwrap();
    let o = plot(r.path(), &out.path().join("p"));
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
}
