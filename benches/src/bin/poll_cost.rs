//! The scheduler bench's two poll-bound workloads, `chained_spawn` and `yield_many`,
//! as a plain program for an instruction count: what one spawn and one poll cost,
//! repeatable on a busy machine where wall time is not (`docs/performance.md`,
//! "Winning back the cost per poll").
//!
//! Run, on two builds to compare:
//!
//! ```sh
//! cargo build --release -p weft-benches --bin poll_cost
//! valgrind --tool=callgrind target/release/poll_cost chain 30   # 30 × 1000 hops
//! valgrind --tool=callgrind target/release/poll_cost yield 30   # 30 × 200 tasks × 50 yields
//! ```
//!
//! Without valgrind it prints its wall time, which is only as steady as the machine.

use std::process::ExitCode;
use std::time::Instant;
use weft_sync::oneshot;

/// Hops per chain, as in the scheduler bench.
const CHAIN_HOPS: usize = 1_000;
/// Tasks, and yields per task, of one `yield` round.
const YIELD_TASKS: usize = 200;
const YIELDS_PER_TASK: usize = 50;

fn hop(done: oneshot::Sender<()>, left: usize) {
    if left == 0 {
        // The receiver is awaited by the round until the chain ends.
        let _ = done.send(());
        return;
    }
    drop(weft::spawn(async move { hop(done, left - 1) }));
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let workload = args.next().unwrap_or_default();
    let rounds = match args.next().map(|n| n.parse::<usize>()) {
        None => 100,
        Some(Ok(n)) => n,
        Some(Err(error)) => {
            eprintln!("poll_cost: rounds must be a number: {error}");
            return ExitCode::FAILURE;
        }
    };
    if workload != "chain" && workload != "yield" {
        eprintln!("usage: poll_cost chain|yield [ROUNDS]");
        return ExitCode::FAILURE;
    }
    let runtime = match weft::Runtime::builder().worker_threads(2).build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("poll_cost: no runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let start = Instant::now();
    for _ in 0..rounds {
        runtime.block_on(async {
            if workload == "chain" {
                let (done, end) = oneshot::channel();
                drop(weft::spawn(async move { hop(done, CHAIN_HOPS) }));
                end.await.expect("the chain ends");
            } else {
                let tasks: Vec<_> = (0..YIELD_TASKS)
                    .map(|_| {
                        weft::spawn(async {
                            for _ in 0..YIELDS_PER_TASK {
                                weft::yield_now().await;
                            }
                        })
                    })
                    .collect();
                for task in tasks {
                    task.await.expect("a yielding task ends");
                }
            }
        });
    }
    println!("{workload} × {rounds}: {:?}", start.elapsed());
    ExitCode::SUCCESS
}
