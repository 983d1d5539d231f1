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
        "round {round}: {server} N={connections}: {:.0} req/s, p99 {:.0} µs",
        load.requests_per_sec(),
        load.percentile_micros(99.0)
    );
    loads.push(load);
}

/// Each server's median round, and its figures over tokio's, paired by round.
fn print_table(options: &Options, results: &[(usize, ServerKind, Vec<Load>)]) {
    println!();
    println!(
        "| N | server | req/s | p50 µs | p99 µs | fairness | req/s ÷ tokio (range) | p99 ÷ tokio |"
    );
    println!(
        "|---|--------|-------|--------|--------|----------|-----------------------|-------------|"
    );
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
            let paired = |f: fn(&Load) -> f64| tokio.map(|tokio| PairedRatio::of(loads, tokio, f));
            let throughput = match paired(Load::requests_per_sec) {
                Some(ratio) => format!("{:.2} ({:.2}–{:.2})", ratio.median, ratio.min, ratio.max),
                None => "-".to_string(),
            };
            let p99 = match paired(|l| l.percentile_micros(99.0)) {
                Some(ratio) => format!("{:.2}", ratio.median),
                None => "-".to_string(),
            };
            println!(
                "| {connections} | {server} | {:.0} | {:.0} | {:.0} | {:.2} | {throughput} | {p99} |",
                load.requests_per_sec(),
                load.percentile_micros(50.0),
                load.percentile_micros(99.0),
                load.fairness(),
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
    /// `f(server's round r) / f(tokio's round r)` for every round both ran.
    fn of(server: &[Load], tokio: &[Load], f: fn(&Load) -> f64) -> PairedRatio {
        let mut ratios: Vec<f64> = server
            .iter()
            .zip(tokio)
            .map(|(ours, theirs)| f(ours) / f(theirs))
            .collect();
        ratios.sort_by(f64::total_cmp);
        PairedRatio {
            median: median(&ratios),
            min: ratios.first().copied().unwrap_or(f64::NAN),
            max: ratios.last().copied().unwrap_or(f64::NAN),
        }
    }
}

/// The median of sorted `values`: the middle one, or the mean of the middle two.
fn median(values: &[f64]) -> f64 {
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}
