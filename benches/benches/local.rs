//! `weft::spawn_local` beside tokio's `LocalSet`: spawning 10,000 tasks that are not
//! `Send` and awaiting them all, from one task. tokio runs local tasks only inside a
//! `LocalSet`, so its side is always `tokio::task::spawn_local` inside
//! `LocalSet::run_until` on a current-thread runtime (one `LocalSet`, made once, as a
//! program makes one). weft's side spawns with `weft::spawn_local` from `block_on` on
//! its current-thread runtime, and — what tokio has no counterpart for — from a task on
//! a multi-thread worker (2 workers), where the local tasks are pinned to that worker.
//!
//! Each task holds an `Rc` (so neither side could use its `Send` spawn) and either
//! returns at once (`ready`: the cost of spawning, running and joining a local task) or
//! yields once with its runtime's own `yield_now` first (`yield`: adds one re-queue).
//!
//! | workload                   | weft                                    | tokio          |
//! |----------------------------|-----------------------------------------|----------------|
//! | `spawn_local_ready`        | `block_on`, current-thread runtime      | `LocalSet`     |
//! | `spawn_local_yield`        | same, each task yields once             | same           |
//! | `spawn_local_ready_worker` | inside a task on a 2-worker runtime     | `LocalSet`     |
//! | `spawn_local_yield_worker` | same, each task yields once             | same           |
//!
//! Run: `cargo bench -p weft-benches --bench local`. Ratios: `docs/performance.md`,
//! section "spawn_local".

use criterion::measurement::WallTime;
use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion};
use std::hint::black_box;
use std::rc::Rc;
use weft_benches::contender::{self, WORKERS};

/// Local tasks spawned per iteration.
const TASKS: u64 = 10_000;
/// Criterion samples per contender.
const SAMPLES: usize = 30;

/// The sum every workload checks: each task returns its index.
const EXPECTED: u64 = TASKS * (TASKS - 1) / 2;

/// Spawns [`TASKS`] local tasks with weft, each holding an `Rc`, optionally yielding
/// once, and sums their outputs.
async fn weft_tasks(yields: bool) -> u64 {
    let tasks: Vec<_> = (0..TASKS)
        .map(|i| {
            let value = Rc::new(black_box(i));
            weft::spawn_local(async move {
                if yields {
                    weft::yield_now().await;
                }
                *value
            })
        })
        .collect();
    let mut sum = 0;
    for task in tasks {
        sum += task.await.expect("a local task ran");
    }
    sum
}

/// The same with `tokio::task::spawn_local`, inside a `LocalSet`.
async fn tokio_tasks(yields: bool) -> u64 {
    let tasks: Vec<_> = (0..TASKS)
        .map(|i| {
            let value = Rc::new(black_box(i));
            tokio::task::spawn_local(async move {
                if yields {
                    tokio::task::yield_now().await;
                }
                *value
            })
        })
        .collect();
    let mut sum = 0;
    for task in tasks {
        sum += task.await.expect("a local task ran");
    }
    sum
}

/// tokio's side of every group: a current-thread runtime and one `LocalSet`.
fn bench_tokio_local_set(group: &mut BenchmarkGroup<'_, WallTime>, yields: bool) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio current-thread runtime");
    let local_set = tokio::task::LocalSet::new();
    group.bench_function("tokio", |b| {
        b.iter(|| {
            let sum = runtime.block_on(local_set.run_until(tokio_tasks(yields)));
            assert_eq!(sum, EXPECTED);
        })
    });
}

/// weft from `block_on` on its current-thread runtime.
fn bench_weft_current_thread(group: &mut BenchmarkGroup<'_, WallTime>, yields: bool) {
    let runtime = weft::Runtime::builder()
        .current_thread()
        .build()
        .expect("a weft current-thread runtime");
    group.bench_function("weft", |b| {
        b.iter(|| {
            let sum = runtime.block_on(weft_tasks(yields));
            assert_eq!(sum, EXPECTED);
        })
    });
}

/// weft from a task on a multi-thread worker: the local tasks stay on that worker. A
/// `Send` task cannot hold a `LocalTask` across an await, so it starts one local task
/// that spawns and awaits the 10,000, and waits for its sum on a oneshot channel.
fn bench_weft_worker(group: &mut BenchmarkGroup<'_, WallTime>, yields: bool) {
    let runtime = weft::Runtime::builder()
        .worker_threads(WORKERS)
        .build()
        .expect("a weft runtime");
    group.bench_function("weft", |b| {
        b.iter(|| {
            let sum = runtime.block_on(async move {
                weft::spawn(async move {
                    let (tx, rx) = weft::sync::oneshot::channel();
                    drop(weft::spawn_local(async move {
                        let _ = tx.send(weft_tasks(yields).await);
                    }));
                    rx.await.expect("the local task sent its sum")
                })
                .await
                .expect("the spawning task ran")
            });
            assert_eq!(sum, EXPECTED);
        })
    });
}

fn spawn_local(c: &mut Criterion) {
    for (workload, yields, on_worker) in [
        ("spawn_local_ready", false, false),
        ("spawn_local_yield", true, false),
        ("spawn_local_ready_worker", false, true),
        ("spawn_local_yield_worker", true, true),
    ] {
        let mut group = contender::group(c, workload, TASKS, SAMPLES);
        if on_worker {
            bench_weft_worker(&mut group, yields);
        } else {
            bench_weft_current_thread(&mut group, yields);
        }
        bench_tokio_local_set(&mut group, yields);
        group.finish();
    }
}

criterion_group!(benches, spawn_local);
criterion_main!(benches);
