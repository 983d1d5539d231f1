//! asyncio's structured concurrency on weft beside what a tokio user writes for the
//! same job, 2 worker threads each, one criterion group per workload:
//!
//! | workload            | weft                                  | tokio                              |
//! |---------------------|---------------------------------------|------------------------------------|
//! | `gather_1000`       | `weft::gather_all` of 1000 futures    | 1000 `tokio::spawn`, awaited in order |
//! | `task_group_1000`   | `weft::task_group`, 1000 children     | a `JoinSet` of 1000, `join_next` until empty |
//! | `eager_spawn_1000`  | `task::Builder::eager(true)`, 1000 ready futures, each awaited | 1000 `tokio::spawn` of ready futures, each awaited |
//!
//! Every workload runs inside a task the runtime spawned, so the spawns are a worker's
//! local spawns in both runtimes (as in a server's handler), not injections from
//! `block_on`'s thread.
//!
//! Run: `cargo bench -p weft-benches --bench structured`. Ratios: `docs/performance.md`,
//! section "Structured concurrency".

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use weft_benches::contender::{self, Contender, Spawner, Tokio, Weft};

/// Children per workload.
const CHILDREN: u64 = 1_000;
/// Criterion samples per contender.
const SAMPLES: usize = 50;

/// The sum every workload's children add up to, so each checks its own result.
const EXPECTED: u64 = CHILDREN * (CHILDREN - 1) / 2;

/// Runs `workload` on `runtime` inside a spawned task and checks what it added up.
fn run_in_task<C, F, Fut>(runtime: &C, workload: F)
where
    C: Contender,
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = u64> + Send + 'static,
{
    let spawner = runtime.spawner();
    let sum = runtime.block_on(async { spawner.spawn(workload()).await });
    assert_eq!(sum, EXPECTED);
}

fn gather_weft(runtime: &Weft) {
    run_in_task(runtime, || async {
        let results = weft::gather_all((0..CHILDREN).map(|i| async move { black_box(i) })).await;
        results.into_iter().map(|r| r.expect("a child")).sum()
    });
}

fn gather_tokio(runtime: &Tokio) {
    run_in_task(runtime, || async {
        let tasks: Vec<_> = (0..CHILDREN)
            .map(|i| tokio::spawn(async move { black_box(i) }))
            .collect();
        let mut sum = 0;
        for task in tasks {
            sum += task.await.expect("a child");
        }
        sum
    });
}

fn task_group_weft(runtime: &Weft) {
    run_in_task(runtime, || async {
        let total = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let counted = total.clone();
        weft::task_group(|tg| async move {
            for i in 0..CHILDREN {
                let counted = counted.clone();
                drop(tg.spawn(async move {
                    counted.fetch_add(black_box(i), std::sync::atomic::Ordering::Relaxed);
                }));
            }
        })
        .await
        .expect("no child fails");
        total.load(std::sync::atomic::Ordering::Relaxed)
    });
}

fn task_group_tokio(runtime: &Tokio) {
    run_in_task(runtime, || async {
        let total = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let mut set = tokio::task::JoinSet::new();
        for i in 0..CHILDREN {
            let counted = total.clone();
            set.spawn(async move {
                counted.fetch_add(black_box(i), std::sync::atomic::Ordering::Relaxed);
            });
        }
        while let Some(result) = set.join_next().await {
            result.expect("no child fails");
        }
        total.load(std::sync::atomic::Ordering::Relaxed)
    });
}

fn eager_spawn_weft(runtime: &Weft) {
    run_in_task(runtime, || async {
        let mut sum = 0;
        for i in 0..CHILDREN {
            let task = weft::task::Builder::new()
                .eager(true)
                .spawn(async move { black_box(i) });
            sum += task.await.expect("a child");
        }
        sum
    });
}

fn eager_spawn_tokio(runtime: &Tokio) {
    run_in_task(runtime, || async {
        let mut sum = 0;
        for i in 0..CHILDREN {
            sum += tokio::spawn(async move { black_box(i) })
                .await
                .expect("a child");
        }
        sum
    });
}

fn structured(c: &mut Criterion) {
    let n = CHILDREN as usize;
    contender::compare_pair(c, "gather_1000", n, SAMPLES, gather_weft, gather_tokio);
    contender::compare_pair(
        c,
        "task_group_1000",
        n,
        SAMPLES,
        task_group_weft,
        task_group_tokio,
    );
    contender::compare_pair(
        c,
        "eager_spawn_1000",
        n,
        SAMPLES,
        eager_spawn_weft,
        eager_spawn_tokio,
    );
}

criterion_group!(benches, structured);
criterion_main!(benches);
