//! The rounds: every (N, server) pair run `rounds` times, interleaved, the servers'
//! order reversed every other round; then the table — each server's median round, and
//! its figures over tokio's paired round by round (median and range).

use super::client::{self, median_round, Exchange, Load};
use super::options::Options;
use super::server::{RunningServer, ServerKind};

/// Every measurement of one (N, server) pair.
type Results = Vec<(usize, ServerKind, Vec<Load>)>;

/// Runs every round of `options`, each server started by `start(kind, workers)` and
/// loaded with `exchange()`'s requests, and prints the table.
pub fn run<E: Exchange>(
    options: &Options,
    start: fn(ServerKind, usize) -> RunningServer,
    exchange: fn() -> E,
) {
    let mut results: Results = Vec::new();
    for &connections in &options.connections {
        for &server in &options.servers {
            results.push((connections, server, Vec::new()));
        }
    }
    for round in 0..options.rounds {
        for &connections in &options.connections {
            let mut order: Vec<ServerKind> = options.servers.clone();
            if round % 2 == 1 {
                order.reverse();
            }
            for server in order {
                let loads = results
                    .iter_mut()
                    .find(|(n, kind, _)| *n == connections && *kind == server)
                    .map(|(_, _, loads)| loads)
                    .expect("a slot for every (N, server)");
                let running = start(server, options.workers);
                let load = client::run(
                    running.addr(),
                    connections,
                    options.warmup,
                    options.duration,
                    exchange,
                );
                drop(running);
                eprintln!(
                    "round {round}: {server} N={connections}: {:.0} req/s, p99 {:.0} µs, \
                     server CPU {:.2} µs/req",
                    load.requests_per_sec(),
                    load.percentile_micros(99.0),
                    load.server_cpu_micros().unwrap_or(f64::NAN),
                );
                loads.push(load);
            }
        }
    }
    print_table(options, &results);
}

/// Each server's median round, and its figures over tokio's, paired by round.
fn print_table(options: &Options, results: &Results) {
    println!();
    println!(
        "| N | server | req/s | p50 µs | p99 µs | fairness | server CPU µs/req | \
         req/s ÷ tokio (range) | p99 ÷ tokio | server CPU/req ÷ tokio (range) |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for &connections in &options.connections {
        let loads_of = |kind: ServerKind| {
            results
                .iter()
                .find(|(n, server, _)| *n == connections && *server == kind)
                .map(|(_, _, loads)| loads.as_slice())
        };
        let tokio = loads_of(ServerKind::Tokio);
        for &server in &options.servers {
            let Some(loads) = loads_of(server) else {
                continue;
            };
            let load = median_round(loads);
            let paired = |f: fn(&Load) -> Option<f64>| {
                tokio
                    .and_then(|tokio| PairedRatio::of(loads, tokio, f))
                    .map_or("-".to_string(), |r| {
                        format!("{:.2} ({:.2}–{:.2})", r.median, r.min, r.max)
                    })
            };
            let micros = |f: fn(&Load) -> Option<f64>| {
                median_of(loads, f).map_or("-".to_string(), |v| format!("{v:.2}"))
            };
            println!(
                "| {connections} | {server} | {:.0} | {:.0} | {:.0} | {:.2} | {} | {} | {} | {} |",
                load.requests_per_sec(),
                load.percentile_micros(50.0),
                load.percentile_micros(99.0),
                load.fairness(),
                micros(Load::server_cpu_micros),
                paired(|l| Some(l.requests_per_sec())),
                tokio
                    .and_then(|tokio| PairedRatio::of(loads, tokio, |l| Some(
                        l.percentile_micros(99.0)
                    )))
                    .map_or("-".to_string(), |r| format!("{:.2}", r.median)),
                paired(Load::server_cpu_micros),
            );
        }
    }
}

/// One figure of a server over tokio's, round by round: the median and the range.
struct PairedRatio {
    median: f64,
    min: f64,
    max: f64,
}

impl PairedRatio {
    /// `f(server's round r) / f(tokio's round r)` for every round both ran and
    /// measured; `None` if there is no such round.
    fn of(server: &[Load], tokio: &[Load], f: fn(&Load) -> Option<f64>) -> Option<PairedRatio> {
        let mut ratios: Vec<f64> = server
            .iter()
            .zip(tokio)
            .filter_map(|(ours, theirs)| Some(f(ours)? / f(theirs)?))
            .filter(|ratio| ratio.is_finite())
            .collect();
        ratios.sort_by(f64::total_cmp);
        Some(PairedRatio {
            median: median(&ratios)?,
            min: *ratios.first()?,
            max: *ratios.last()?,
        })
    }
}

/// The median over `loads` of a figure some rounds may lack (`None` if all do).
fn median_of(loads: &[Load], f: fn(&Load) -> Option<f64>) -> Option<f64> {
    let mut values: Vec<f64> = loads.iter().filter_map(f).collect();
    values.sort_by(f64::total_cmp);
    median(&values)
}

/// The median of sorted `values`: the middle one, or the mean of the middle two.
fn median(values: &[f64]) -> Option<f64> {
    match values.len() {
        0 => None,
        n if n % 2 == 1 => Some(values[n / 2]),
        n => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}
