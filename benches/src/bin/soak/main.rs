//! A soak: N connections × T seconds of echo through a weft server, with random
//! message sizes and every byte verified, mixed with what users do to a server —
//! hang up in the middle of a message, give up on a read and go on, cancel tasks —
//! and then a check that everything the run opened is closed again.
//!
//! ```text
//! cargo run --release -p weft-benches --bin soak -- \
//!     --connections 5000 --seconds 60 --seed 1 --workers 2
//! ```
//!
//! # Steps
//!
//! 1. The soft descriptor limit is raised to what N connections need (two descriptors
//!    each: the client's socket and the server's), up to the hard limit; past it the
//!    soak stops with a message saying so (`fd_limit.rs`).
//! 2. Two runtimes of `--workers` workers each: the server's, running
//!    `weft::net::start_server` with an echo handler (`weft::io::copy` from the reader
//!    to the writer, as a user would write it), and the clients'.
//! 3. The baseline: open descriptors, and each runtime's I/O registrations, live tasks
//!    and timers (`resources.rs`).
//! 4. N client tasks each hold a connection and send messages of 1 B to 64 KiB, bytes
//!    and sizes drawn from `--seed`, each echoed and compared byte for byte; one
//!    message in ten is read with a 1 ms `timeout` around every read, which is
//!    cancelled and retried when it fires; one in 500 is cut off half-sent and the
//!    client connects again (`connection.rs`, `exchange.rs`). Beside them, five tasks
//!    a second are cancelled mid-work (`cancel_storm.rs`).
//! 5. After T seconds each client finishes its message and hangs up; the server is
//!    closed and waited for (`Server::wait_closed`).
//! 6. The resources must be back to the baseline; then both runtimes are dropped, and
//!    the descriptors must be back to where they were before the runtimes existed.
//!
//! A watcher thread samples the descriptors for the peak, prints progress every ten
//! seconds, and fails a run that outlives its end by two minutes (`watch.rs`).
//!
//! # Exit status
//!
//! 0: passed. 1: a lost or wrong byte, an unexpected error, a task that failed, or a
//! resource not returned (the message says which). 2: a bad command line. 3: a hang.

mod cancel_storm;
mod connection;
mod exchange;
mod fd_count;
mod fd_limit;
mod options;
mod resources;
mod rng;
mod tally;
mod watch;

use options::Options;
use resources::Resources;
use rng::SplitMix64;
use std::net::SocketAddr;
use std::process;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};
use tally::Tally;
use watch::{Watch, Watched};
use weft::Runtime;

/// Descriptors beyond two per connection: the runtimes' own (epoll, wakers), the
/// cancelled tasks' connections, a reconnection in progress, stdio.
const SPARE_FDS: u64 = 256;
/// How long the resources may take to settle after every connection has closed.
const SETTLE_GRACE: Duration = Duration::from_secs(10);
/// How long past its end a run may go on before it counts as hung.
const HANG_AFTER: Duration = Duration::from_secs(120);

fn main() {
    let options = match Options::from_args(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}\n\n{}", options::USAGE);
            process::exit(2);
        }
    };
    if let Err(failure) = soak(&options) {
        eprintln!("soak FAILED: {failure}");
        process::exit(1);
    }
    println!("soak passed");
}

fn soak(options: &Options) -> Result<(), String> {
    let needed_fds = 2 * options.connections as u64 + SPARE_FDS;
    let fd_limit = fd_limit::raise_to(needed_fds)?;
    println!(
        "soak: {} connections × {:?}, seed {}, {} workers for the server and {} for the \
         clients; descriptor limit {fd_limit}",
        options.connections, options.duration, options.seed, options.workers, options.workers
    );

    let fds_before_runtimes =
        fd_count::open_fds().map_err(|err| format!("cannot count descriptors: {err}"))?;
    let runtime = |name: &str| {
        Runtime::builder()
            .worker_threads(options.workers)
            .thread_name(name)
            .build()
            .map_err(|err| format!("cannot start the {name} runtime: {err}"))
    };
    let server_rt = runtime("soak-server")?;
    let client_rt = runtime("soak-client")?;
    let baseline = Resources::take(server_rt.handle(), client_rt.handle())?;

    let server = server_rt
        .block_on(weft::net::start_server(
            "127.0.0.1:0",
            |mut reader, mut writer| async move {
                weft::io::copy(&mut reader, &mut writer).await?;
                Ok(())
            },
        ))
        .map_err(|err| format!("cannot start the server: {err}"))?;
    let tally = Arc::new(Tally::default());
    let started = Instant::now();
    let watch = Watch::start(Watched {
        tally: tally.clone(),
        server: server_rt.handle().clone(),
        clients: client_rt.handle().clone(),
        give_up_at: started + options.duration + HANG_AFTER,
    });

    client_rt.block_on(run_clients(server.local_addr(), options, tally.clone()));
    let clients_done = started.elapsed();
    server_rt.block_on(async {
        server.close();
        server.wait_closed().await;
    });
    drop(server);
    let peak_fds = watch.stop();

    let settled = baseline.wait_for_return(server_rt.handle(), client_rt.handle(), SETTLE_GRACE);
    drop(client_rt);
    drop(server_rt);
    let fds_after_runtimes = settle_fds(fds_before_runtimes)?;

    println!("ran {:.1} s: {tally}", clients_done.as_secs_f64());
    println!(
        "peak open fds {peak_fds}; baseline: {baseline}; {fds_after_runtimes} fds once the \
         runtimes were dropped ({fds_before_runtimes} before they were built)"
    );
    let mut problems = Vec::new();
    if tally.failure_count() > 0 {
        problems.push(format!(
            "{} failures:\n{}",
            tally.failure_count(),
            tally.failures()
        ));
    }
    match settled {
        Ok(after) => println!("everything back to the baseline {after:?} after the server closed"),
        Err(leak) => problems.push(leak),
    }
    if fds_after_runtimes != fds_before_runtimes {
        problems.push(format!(
            "{fds_after_runtimes} descriptors open once the runtimes were dropped, \
             {fds_before_runtimes} before they were built"
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// Runs every client connection and the cancel storm until the deadline, then waits
/// for all of them.
async fn run_clients(addr: SocketAddr, options: &Options, tally: Arc<Tally>) {
    let deadline = Instant::now() + options.duration;
    let mut rng = SplitMix64::new(options.seed);
    let storm = weft::spawn(cancel_storm::run(addr, rng.fork(), deadline, tally.clone()));
    let clients: Vec<_> = (0..options.connections)
        .map(|id| {
            let rng = rng.fork();
            let tally = tally.clone();
            weft::spawn(async move { connection::run(id, addr, rng, deadline, &tally).await })
        })
        .collect();
    for (id, client) in clients.into_iter().enumerate() {
        if let Err(err) = client.await {
            tally.fail(format!("connection {id}'s task failed: {err}"));
        }
    }
    if let Err(err) = storm.await {
        tally.fail(format!("the cancel storm's task failed: {err}"));
    }
}

/// Waits up to [`SETTLE_GRACE`] for the open descriptors to come back to `expected`;
/// returns the count last seen.
fn settle_fds(expected: usize) -> Result<usize, String> {
    let start = Instant::now();
    loop {
        let fds = fd_count::open_fds().map_err(|err| format!("cannot count descriptors: {err}"))?;
        if fds == expected || start.elapsed() >= SETTLE_GRACE {
            return Ok(fds);
        }
        thread::sleep(Duration::from_millis(10));
    }
}
