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
//!   share of the mean per connection (1.0: all served alike; near 0: one starved). With `--rounds R` every (N, server) pair is run R times,
//!   interleaved, and the median round is reported.

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
        for (connections, server, loads) in &mut results {
            let running = server::start(*server, options.workers);
            let load = client::run(
                running.addr(),
                *connections,
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
    }

    println!();
    println!("| N | server | req/s | p50 µs | p99 µs | fairness | req/s ÷ tokio | p99 ÷ tokio |");
    println!("|---|--------|-------|--------|--------|----------|---------------|-------------|");
    for &connections in &options.connections {
        let median_of = |kind: ServerKind| {
            results
                .iter()
                .find(|(n, server, _)| *n == connections && *server == kind)
                .map(|(_, _, loads)| client::median_round(loads))
        };
        let tokio = median_of(ServerKind::Tokio);
        for &server in &options.servers {
            let Some(load) = median_of(server) else {
                continue;
            };
            let ratio = |f: fn(&Load) -> f64| match &tokio {
                Some(tokio) => format!("{:.2}", f(load) / f(tokio)),
                None => "-".to_string(),
            };
            println!(
                "| {connections} | {server} | {:.0} | {:.0} | {:.0} | {:.2} | {} | {} |",
                load.requests_per_sec(),
                load.percentile_micros(50.0),
                load.percentile_micros(99.0),
                load.fairness(),
                ratio(Load::requests_per_sec),
                ratio(|l| l.percentile_micros(99.0)),
            );
        }
    }
}
