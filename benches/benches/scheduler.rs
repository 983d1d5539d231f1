//! The scheduler workloads of tokio's `benches/rt_multi_threaded.rs`, on weft, tokio and
//! async-executor with 2 worker threads each, in one criterion group per workload.
//!
//! Run: `cargo bench -p weft-benches --bench scheduler` (add `-- --quick` for a rough
//! pass). Figures, ratios and what each workload stresses: `docs/performance.md`,
//! section "Scheduler".
//!
//! Every signal between tasks — "the last task is done", ping-pong's one-shot channels
//! — is a `weft-sync` primitive, which runs on any executor, so the scheduler is what
//! differs.

use criterion::{criterion_group, criterion_main, Criterion};
use weft_benches::compare;
use weft_benches::contender::{AsyncExecutor, Contender, Spawner, Tokio, Weft};
use weft_benches::fan_out;
use weft_sync::oneshot;

/// Tasks spawned by the spawn workloads.
const NUM_SPAWN: usize = 10_000;
/// Tasks, and `yield_now`s per task, in `yield_many`.
const YIELD_TASKS: usize = 200;
const YIELDS_PER_TASK: usize = 1_000;
/// Round trips in `ping_pong`.
const NUM_PINGS: usize = 1_000;
/// Hops in `chained_spawn`.
const CHAIN_HOPS: usize = 1_000;

/// 10k spawns from inside `block_on`; the last task to run signals.
fn spawn_many_local<C: Contender>(runtime: &C) {
    let spawner = runtime.spawner();
    runtime.block_on(fan_out(&spawner, NUM_SPAWN, |_| async {}));
}

/// 10k spawns through the handle from a plain thread, then `block_on` awaits them all.
fn spawn_many_remote_idle<C: Contender>(runtime: &C) {
    let tasks: Vec<_> = (0..NUM_SPAWN)
        .map(|_| runtime.spawn_remote(async {}))
        .collect();
    runtime.block_on(async {
        for task in tasks {
            task.await;
        }
    });
}

/// 200 tasks, each yielding 1000 times.
fn yield_many<C: Contender>(runtime: &C) {
    let spawner = runtime.spawner();
    runtime.block_on(fan_out(&spawner, YIELD_TASKS, |_| async {
        for _ in 0..YIELDS_PER_TASK {
            C::Spawner::yield_now().await;
        }
    }));
}

/// 1000 round trips, spawned by a task: each spawns a helper, sends it a message on
/// one one-shot channel and awaits the reply on another.
fn ping_pong<C: Contender>(runtime: &C) {
    async fn round_trip<S: Spawner>(spawner: S) {
        let (ping_tx, ping_rx) = oneshot::channel();
        let (pong_tx, pong_rx) = oneshot::channel();
        spawner.spawn_detached(async move {
            ping_rx.await.expect("ping");
            pong_tx.send(()).expect("pong receiver alive");
        });
        ping_tx.send(()).expect("ping receiver alive");
        pong_rx.await.expect("pong");
    }

    let spawner = runtime.spawner();
    runtime.block_on(async {
        let inner = spawner.clone();
        let driver = spawner.spawn(async move {
            fan_out(&inner, NUM_PINGS, |_| round_trip(inner.clone())).await;
        });
        driver.await;
    });
}

/// 1000 hops: each task spawns the next, the last one signals.
fn chained_spawn<C: Contender>(runtime: &C) {
    fn hop<S: Spawner>(spawner: S, done: oneshot::Sender<()>, left: usize) {
        if left == 0 {
            done.send(()).expect("the bench awaits the chain");
            return;
        }
        let next = spawner.clone();
        spawner.spawn_detached(async move { hop(next, done, left - 1) });
    }

    let spawner = runtime.spawner();
    runtime.block_on(async {
        let (done, chain_end) = oneshot::channel();
        let first = spawner.clone();
        spawner.spawn_detached(async move { hop(first, done, CHAIN_HOPS) });
        chain_end.await.expect("the chain ends");
    });
}

/// Criterion's default: an iteration takes a few milliseconds at most.
const SAMPLES: usize = 100;

fn scheduler(c: &mut Criterion) {
    compare!(c, spawn_many_local, elements: NUM_SPAWN, samples: SAMPLES, on: [Weft, Tokio, AsyncExecutor]);
    compare!(c, spawn_many_remote_idle, elements: NUM_SPAWN, samples: SAMPLES, on: [Weft, Tokio, AsyncExecutor]);
    compare!(c, yield_many, elements: YIELD_TASKS * YIELDS_PER_TASK, samples: SAMPLES, on: [Weft, Tokio, AsyncExecutor]);
    compare!(c, ping_pong, elements: NUM_PINGS, samples: SAMPLES, on: [Weft, Tokio, AsyncExecutor]);
    compare!(c, chained_spawn, elements: CHAIN_HOPS, samples: SAMPLES, on: [Weft, Tokio, AsyncExecutor]);
}

criterion_group!(benches, scheduler);
criterion_main!(benches);
