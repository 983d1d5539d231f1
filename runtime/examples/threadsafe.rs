//! Handing work to a runtime from plain threads (asyncio's `run_coroutine_threadsafe`
//! and `call_soon_threadsafe`).
//!
//! A `Handle` is the runtime's address: clone it into any thread, `spawn` a future
//! there and get a `Task` back, then either await it (in async code) or block on it
//! with `join_blocking` (in a plain thread). `call_soon` runs a plain function on the
//! runtime.
//!
//! ```text
//! cargo run --example threadsafe
//! ```

use std::error::Error;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use weft::time::sleep;

/// Some async work: a slow square.
async fn slow_square(n: u64) -> u64 {
    sleep(Duration::from_millis(2)).await;
    n * n
}

fn main() -> Result<(), Box<dyn Error>> {
    // No `block_on` here: the runtime's own worker threads run everything.
    let runtime = weft::Runtime::builder().worker_threads(2).build()?;
    let handle = runtime.handle();

    // run_coroutine_threadsafe: four plain threads each submit a future and wait
    // for its result, blocking only themselves.
    let submitters: Vec<_> = (1..=4u64)
        .map(|n| {
            let handle = handle.clone();
            thread::spawn(move || handle.spawn(slow_square(n)).join_blocking())
        })
        .collect();
    let mut squares = Vec::new();
    for submitter in submitters {
        let square = submitter
            .join()
            .map_err(|_| "a submitting thread panicked")??;
        squares.push(square);
    }
    println!("run_coroutine_threadsafe: squares from 4 threads: {squares:?}");

    // Cancel from outside: `future.cancel()` on what run_coroutine_threadsafe returned.
    let hour_long = handle.spawn(sleep(Duration::from_secs(3600)));
    hour_long.cancel();
    let err = hour_long
        .join_blocking()
        .expect_err("a cancelled task has no value");
    println!("cancelled from a plain thread: {err}");

    // call_soon_threadsafe: a plain function, run on a worker.
    let (tx, rx) = mpsc::channel();
    handle.call_soon(move || {
        let on = thread::current().name().map(str::to_owned);
        let _ = tx.send(on);
    });
    let ran_on = rx.recv()?.unwrap_or_else(|| "an unnamed thread".to_owned());
    println!("call_soon: ran on {ran_on}");

    // Wait up to a second for the workers to finish what they are doing, then stop;
    // tasks still pending are cancelled.
    runtime.shutdown_timeout(Duration::from_secs(1));
    println!("runtime shut down");
    Ok(())
}
