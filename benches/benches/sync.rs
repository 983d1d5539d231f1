//! weft-sync beside tokio::sync and async-lock/async-channel, on one tokio
//! runtime, so that the primitive — not the executor — is what differs.
//!
//! Run: `cargo bench -p weft-benches --bench sync` (add `-- --quick` for a
//! rough pass). Figures and ratios: `docs/performance.md`, section weft-sync.

use std::future::Future;
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use tokio::runtime::Runtime;

/// Operations per measured batch in the uncontended benches.
const OPS: u64 = 1_000;
/// Tasks, and operations per task, in the contended Lock and Semaphore benches.
const TASKS: usize = 8;
const OPS_PER_TASK: usize = 500;
/// The MPMC queue workload: 4 producers, 4 consumers, bounded 1000.
const PRODUCERS: usize = 4;
const CONSUMERS: usize = 4;
const BOUND: usize = 1_000;
const ITEMS_PER_PRODUCER: usize = 5_000;

fn runtime() -> Runtime {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .build()
        .expect("tokio runtime")
}

/// Times `iters` runs of `workload` inside the runtime.
fn timed<F, Fut>(rt: &Runtime, iters: u64, workload: F) -> Duration
where
    F: Fn() -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    rt.block_on(async {
        let start = Instant::now();
        for _ in 0..iters {
            // Spawned, so the workload runs on a worker like real tasks do.
            tokio::spawn(workload()).await.unwrap();
        }
        start.elapsed()
    })
}

/// Runs `tasks` copies of `task(i)` concurrently and waits for them all.
async fn all<F, Fut>(tasks: usize, task: F)
where
    F: Fn(usize) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let handles: Vec<_> = (0..tasks).map(|i| tokio::spawn(task(i))).collect();
    for h in handles {
        h.await.unwrap();
    }
}

/// One bench per contender: `OPS` runs of `$op` (with `$p` the shared
/// primitive, made by `$make`) in one task.
macro_rules! uncontended {
    ($c:expr, $rt:expr, $group:literal, $($name:literal => $make:expr, |$p:ident| $op:expr;)+) => {{
        let mut group = $c.benchmark_group($group);
        group.throughput(Throughput::Elements(OPS));
        $(group.bench_function($name, |b| {
            let shared = Arc::new($make);
            b.iter_custom(|iters| {
                timed($rt, iters, || {
                    let $p = shared.clone();
                    async move {
                        for _ in 0..OPS {
                            $op;
                        }
                    }
                })
            })
        });)+
        group.finish();
    }};
}

/// One bench per contender: `TASKS` tasks each running `$op` `OPS_PER_TASK`
/// times. With `$hold` true, each holds what `$op` returns across a `yield_now`
/// (long critical sections: waiters queue and every release is a hand-off); with
/// `$hold` false, it drops it at once (short critical sections: the workers race
/// for the primitive, and only some attempts queue).
macro_rules! contended {
    ($c:expr, $rt:expr, $group:literal, $hold:literal, $($name:literal => $make:expr, |$p:ident| $op:expr;)+) => {{
        let mut group = $c.benchmark_group($group);
        group.throughput(Throughput::Elements((TASKS * OPS_PER_TASK) as u64));
        $(group.bench_function($name, |b| {
            let shared = Arc::new($make);
            b.iter_custom(|iters| {
                timed($rt, iters, || {
                    let shared = shared.clone();
                    all(TASKS, move |_| {
                        let $p = shared.clone();
                        async move {
                            for _ in 0..OPS_PER_TASK {
                                let held = $op;
                                if $hold {
                                    tokio::task::yield_now().await;
                                }
                                drop(held);
                            }
                        }
                    })
                })
            })
        });)+
        group.finish();
    }};
}

fn lock(c: &mut Criterion) {
    let rt = &runtime();
    uncontended!(c, rt, "lock_uncontended",
        "weft" => weft_sync::Lock::new(0u64), |l| *l.lock().await += 1;
        "tokio" => tokio::sync::Mutex::new(0u64), |l| *l.lock().await += 1;
        "async-lock" => async_lock::Mutex::new(0u64), |l| *l.lock().await += 1;
    );
    contended!(c, rt, "lock_contended", true,
        "weft" => weft_sync::Lock::new(0u64), |l| { let mut g = l.lock().await; *g += 1; g };
        "tokio" => tokio::sync::Mutex::new(0u64), |l| { let mut g = l.lock().await; *g += 1; g };
        "async-lock" => async_lock::Mutex::new(0u64), |l| { let mut g = l.lock().await; *g += 1; g };
    );
    contended!(c, rt, "lock_contended_short", false,
        "weft" => weft_sync::Lock::new(0u64), |l| { let mut g = l.lock().await; *g += 1; g };
        "tokio" => tokio::sync::Mutex::new(0u64), |l| { let mut g = l.lock().await; *g += 1; g };
        "async-lock" => async_lock::Mutex::new(0u64), |l| { let mut g = l.lock().await; *g += 1; g };
    );
}

fn semaphore(c: &mut Criterion) {
    let rt = &runtime();
    uncontended!(c, rt, "semaphore_uncontended",
        "weft" => weft_sync::Semaphore::new(4), |s| drop(black_box(s.acquire().await.unwrap()));
        "tokio" => tokio::sync::Semaphore::new(4), |s| drop(black_box(s.acquire().await.unwrap()));
        "async-lock" => async_lock::Semaphore::new(4), |s| drop(black_box(s.acquire().await));
    );
    contended!(c, rt, "semaphore_contended", true,
        "weft" => weft_sync::Semaphore::new(2), |s| s.acquire().await.unwrap();
        "tokio" => tokio::sync::Semaphore::new(2), |s| s.acquire().await.unwrap();
        "async-lock" => async_lock::Semaphore::new(2), |s| s.acquire().await;
    );
    contended!(c, rt, "semaphore_contended_short", false,
        "weft" => weft_sync::Semaphore::new(2), |s| s.acquire().await.unwrap();
        "tokio" => tokio::sync::Semaphore::new(2), |s| s.acquire().await.unwrap();
        "async-lock" => async_lock::Semaphore::new(2), |s| s.acquire().await;
    );
}

/// One MPMC run: `PRODUCERS` tasks send `ITEMS_PER_PRODUCER` items each through
/// `$tx` (cloned per producer), `CONSUMERS` tasks receive through `$rx` (cloned
/// per consumer) until `$recv` yields `None`, which `$close` brings about once
/// the producers are done.
macro_rules! mpmc {
    ($tx:expr, $rx:expr, |$s:ident, $i:ident| $send:expr, |$r:ident| $recv:expr, |$c:ident| $close:expr) => {{
        let (tx, rx) = ($tx, $rx);
        let consumers: Vec<_> = (0..CONSUMERS)
            .map(|_| {
                let $r = rx.clone();
                tokio::spawn(async move {
                    while let Some(item) = $recv {
                        black_box(item);
                    }
                })
            })
            .collect();
        all(PRODUCERS, |_| {
            let $s = tx.clone();
            async move {
                for $i in 0..ITEMS_PER_PRODUCER {
                    $send;
                }
            }
        })
        .await;
        let $c = tx;
        $close;
        for c in consumers {
            c.await.unwrap();
        }
    }};
}

/// weft's `Queue`: consumers get until the queue is shut down and drained.
async fn weft_queue_run() {
    let q = Arc::new(weft_sync::Queue::new(BOUND));
    mpmc!(
        q.clone(),
        q,
        |q, i| q.put(i).await.unwrap(),
        |q| q.get().await.ok(),
        |q| q.shutdown(false)
    );
}

/// async-channel (MPMC by design): consumers receive until every sender is gone.
async fn async_channel_run() {
    let (tx, rx) = async_channel::bounded(BOUND);
    mpmc!(
        tx,
        rx,
        |tx, i| tx.send(i).await.unwrap(),
        |rx| rx.recv().await.ok(),
        |tx| drop(tx)
    );
}

/// tokio's mpsc: its receiver is single-consumer, so the four consumers share
/// it behind a `tokio::sync::Mutex` (how tokio users do MPMC).
async fn tokio_mpsc_run() {
    let (tx, rx) = tokio::sync::mpsc::channel(BOUND);
    mpmc!(
        tx,
        Arc::new(tokio::sync::Mutex::new(rx)),
        |tx, i| tx.send(i).await.unwrap(),
        |rx| rx.lock().await.recv().await,
        |tx| drop(tx)
    );
}

/// One boxed run of the MPMC workload.
type Run = std::pin::Pin<Box<dyn Future<Output = ()> + Send>>;
/// Starts a run.
type MakeRun = fn() -> Run;

fn queue(c: &mut Criterion) {
    let rt = runtime();
    let mut group = c.benchmark_group("queue_mpmc_4p4c_bounded1000");
    group.throughput(Throughput::Elements(
        (PRODUCERS * ITEMS_PER_PRODUCER) as u64,
    ));
    group.sample_size(20);
    let runs: [(&str, MakeRun); 3] = [
        ("weft", || Box::pin(weft_queue_run())),
        ("tokio-mpsc", || Box::pin(tokio_mpsc_run())),
        ("async-channel", || Box::pin(async_channel_run())),
    ];
    for (name, run) in runs {
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter_custom(|iters| timed(&rt, iters, run))
        });
    }
    group.finish();
}

criterion_group!(benches, lock, semaphore, queue);
criterion_main!(benches);
