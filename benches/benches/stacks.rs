//! Each library on its own runtime: weft-sync's primitives on a weft runtime beside
//! `tokio::sync`'s on a tokio runtime, 2 worker threads each — what a user of either
//! stack gets. (`sync.rs` runs every primitive on one tokio runtime instead, so that
//! the primitive alone differs.)
//!
//! | workload | weft | tokio |
//! |----------|------|-------|
//! | `lock_contended_stack` | `weft_sync::Lock`, `weft::yield_now` | `tokio::sync::Mutex`, `tokio::task::yield_now` |
//! | `semaphore_contended_stack` | `weft_sync::Semaphore` (2 permits) | `tokio::sync::Semaphore` (2 permits) |
//!
//! 8 tasks × 500 operations, each holding the lock (or a permit) across the runtime's
//! `yield_now`, as `sync.rs`'s `*_contended` workloads: every release is a hand-off to
//! a waiting task, so the wake-and-reschedule path is half of what is measured.
//!
//! Run: `cargo bench -p weft-benches --bench stacks`. Ratios: `docs/performance.md`,
//! section weft-sync.

use criterion::{criterion_group, criterion_main, Criterion};
use std::sync::Arc;
use weft_benches::contender::{self, Contender, Spawner, Tokio, Weft};
use weft_benches::fan_out;

/// Tasks, and operations per task.
const TASKS: usize = 8;
const OPS_PER_TASK: usize = 500;
/// Criterion samples per contender.
const SAMPLES: usize = 50;

/// `TASKS` tasks on `$runtime`, each taking `$op` on the shared `$make`
/// `OPS_PER_TASK` times and holding it across a `yield_now`; evaluates to the shared
/// primitive, for the caller to check.
macro_rules! contended_on {
    ($runtime:expr, $contender:ty, $make:expr, |$p:ident| $op:expr) => {{
        let spawner = $runtime.spawner();
        let shared = Arc::new($make);
        $runtime.block_on(fan_out(&spawner, TASKS, |_| {
            let $p = shared.clone();
            async move {
                for _ in 0..OPS_PER_TASK {
                    let held = $op;
                    <<$contender as Contender>::Spawner as Spawner>::yield_now().await;
                    drop(held);
                }
            }
        }));
        shared
    }};
}

/// Every increment made under the lock is there.
const EXPECTED: u64 = (TASKS * OPS_PER_TASK) as u64;

fn lock_weft(runtime: &Weft) {
    let lock = contended_on!(runtime, Weft, weft_sync::Lock::new(0u64), |l| {
        let mut guard = l.lock().await;
        *guard += 1;
        guard
    });
    assert_eq!(*lock.try_lock().expect("every task is done"), EXPECTED);
}

fn lock_tokio(runtime: &Tokio) {
    let lock = contended_on!(runtime, Tokio, tokio::sync::Mutex::new(0u64), |l| {
        let mut guard = l.lock().await;
        *guard += 1;
        guard
    });
    assert_eq!(*lock.try_lock().expect("every task is done"), EXPECTED);
}

fn semaphore_weft(runtime: &Weft) {
    let semaphore = contended_on!(runtime, Weft, weft_sync::Semaphore::new(2), |s| s
        .acquire()
        .await
        .expect("never closed"));
    assert_eq!(semaphore.available_permits(), 2);
}

fn semaphore_tokio(runtime: &Tokio) {
    let semaphore = contended_on!(runtime, Tokio, tokio::sync::Semaphore::new(2), |s| s
        .acquire()
        .await
        .expect("never closed"));
    assert_eq!(semaphore.available_permits(), 2);
}

fn stacks(c: &mut Criterion) {
    let elements = TASKS * OPS_PER_TASK;
    contender::compare_pair(
        c,
        "lock_contended_stack",
        elements,
        SAMPLES,
        lock_weft,
        lock_tokio,
    );
    contender::compare_pair(
        c,
        "semaphore_contended_stack",
        elements,
        SAMPLES,
        semaphore_weft,
        semaphore_tokio,
    );
}

criterion_group!(benches, stacks);
criterion_main!(benches);
