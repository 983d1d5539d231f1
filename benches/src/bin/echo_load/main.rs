//! An echo load generator: N connections, each sending 100-byte requests and waiting
//! for the echo before sending the next, against weft's echo server and tokio's, with
//! the same worker count; it reports requests per second and latency percentiles.
//!
//! ```text
//! cargo run --release -p weft-benches --bin echo_load -- \
//!     --connections 1,50,500 --duration 5 --warmup 1 --workers 2 --rounds 1
//! ```
//!
//! - The servers (`server.rs`) are started here, on 127.0.0.1:0, each on its own
//!   runtime, one at a time; both run the same accept loop and echo loop source.
//! - The client (`client.rs`) is the same code for both: plain std threads, one per
//!   connection, with blocking sockets. It uses no async runtime, so it favours
//!   neither server; its cost (a thread switch per request on each side) is the same
//!   against both. On a small machine the client threads share the cores with the
//!   server, so the absolute figures are the pair's, and the ratio is what to read.
//! - Each measurement warms up, then counts the requests that start inside the
//!   measured window. *Fairness* is the least-served connection's request count as a
//!   share of the mean per connection (1.0: all served alike; near 0: one starved).
//! - With `--rounds R` every (N, server) pair is run R times, interleaved, the order
//!   of the servers reversed every other round (so neither always goes first). The
//!   absolute columns are each server's median round. The ratios are *paired*: each
//!   round's weft figure over the same round's tokio figure, then the median of those
//!   (and their range). On a small, shared machine the throughput of both servers
//!   drifts by ±15 % from round to round; a ratio taken inside one round cancels that
//!   drift, a ratio of two separately chosen median rounds does not.

mod client;
mod cpu;
mod options;
mod server;

use client::Load;
use options::Options;
use server::ServerKind;

fn main() {
    let options = match Options::from_args(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}\n\n{}", options::USAGE);
            std::process::exit(2);
        }
    };
    println!(
        "echo, {} B requests, {} worker threads per server, {:?} measured after {:?} of \
         warm-up, {} round(s)",
        client::MESSAGE_LEN,
        options.workers,
        options.duration,
        options.warmup,
        options.rounds,
    );

    let mut results: Vec<(usize, ServerKind, Vec<Load>)> = Vec::new();
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
                run_round(round, connections, server, &options, loads);
            }
        }
    }
    print_table(&options, &results);
}

/// Runs `server` against `connections` connections once and keeps the load.
fn run_round(
    round: usize,
    connections: usize,
    server: ServerKind,
    options: &Options,
    loads: &mut Vec<Load>,
) {
    let running = server::start(server, options.workers);
    let load = client::run(
        running.addr(),
        connections,
        options.warmup,
        options.duration,
    );
    drop(running);
    eprintln!(
        "round {round}: {server} N={connections}: {:.0} req/s, p99 {:.0} µs, server CPU \
         {:.2} µs/req",
        load.requests_per_sec(),
        load.percentile_micros(99.0),
        load.server_cpu_micros().unwrap_or(f64::NAN),
    );
    loads.push(load);
}

/// Each server's median round, and its figures over tokio's, paired by round.
fn print_table(options: &Options, results: &[(usize, ServerKind, Vec<Load>)]) {
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
            let load = client::median_round(loads);
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
