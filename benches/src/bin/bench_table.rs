//! Prints criterion's medians as a markdown table with each contender's ratio to tokio,
//! for `docs/performance.md`.
//!
//! Run after the benches: `cargo run --release -p weft-benches --bin bench_table --
//! spawn_many_local yield_many ...` (no group names: every group criterion has
//! results for). It reads `<target dir>/criterion/<group>/<contender>/new/
//! estimates.json`; the target dir is `$CARGO_TARGET_DIR`, or `target` when unset.

use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let criterion = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| PathBuf::from("target"), PathBuf::from)
        .join("criterion");
    let mut groups: Vec<String> = std::env::args().skip(1).collect();
    if groups.is_empty() {
        groups = subdirectories(&criterion);
    }
    println!("| workload | contender | median | ÷ tokio |");
    println!("|----------|-----------|--------|---------|");
    for group in &groups {
        let dir = criterion.join(group);
        let mut medians: Vec<(String, f64)> = subdirectories(&dir)
            .into_iter()
            .filter_map(|contender| {
                let estimates = dir.join(&contender).join("new/estimates.json");
                median_ns(&estimates).map(|median| (contender, median))
            })
            .collect();
        // weft, then tokio, then the others in name order.
        medians.sort_by_key(|(contender, _)| match contender.as_str() {
            "weft" => 0,
            c if is_tokio(c) => 1,
            _ => 2,
        });
        if medians.is_empty() {
            eprintln!(
                "bench_table: no results for {group} under {}",
                dir.display()
            );
            continue;
        }
        let tokio = medians.iter().find(|(c, _)| is_tokio(c)).map(|(_, m)| *m);
        for (contender, median) in &medians {
            let ratio = tokio.map_or_else(|| "-".to_string(), |t| format!("{:.2}", median / t));
            println!("| {group} | {contender} | {} | {ratio} |", human(*median));
        }
    }
}

/// tokio's entry in a group: `tokio`, or `tokio-<what>` where the group compares a
/// stand-in built from tokio's parts (`tokio-mpsc` for the MPMC queue).
fn is_tokio(contender: &str) -> bool {
    contender == "tokio" || contender.starts_with("tokio-")
}

/// The names of the folders in `dir` (criterion's `report` folder excepted), sorted.
fn subdirectories(dir: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| name != "report")
        .collect();
    names.sort();
    names
}

/// The median's point estimate, in nanoseconds, from criterion's `estimates.json`:
/// the first `"point_estimate"` after `"median"`.
fn median_ns(estimates: &Path) -> Option<f64> {
    let json = fs::read_to_string(estimates).ok()?;
    let median = &json[json.find("\"median\"")?..];
    let value = &median[median.find("\"point_estimate\":")? + "\"point_estimate\":".len()..];
    let end = value.find([',', '}'])?;
    value[..end].trim().parse().ok()
}

/// A duration in the unit criterion would print it in.
fn human(ns: f64) -> String {
    match ns {
        ns if ns >= 1e9 => format!("{:.2} s", ns / 1e9),
        ns if ns >= 1e6 => format!("{:.2} ms", ns / 1e6),
        ns if ns >= 1e3 => format!("{:.1} µs", ns / 1e3),
        ns => format!("{ns:.0} ns"),
    }
}
