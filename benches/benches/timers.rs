//! Timers on weft and tokio (2 worker threads each), in one criterion group per
//! workload. async-executor has no timers of its own and is left out.
//!
//! Run: `cargo bench -p weft-benches --bench timers` (add `-- --quick` for a rough
//! pass). Figures, ratios and what each workload stresses: `docs/performance.md`,
//! section "Timers".

use std::future::{pending, poll_fn, ready, Future};
use std::hint::black_box;
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use weft_benches::compare;
use weft_benches::contender::{Contender, Spawner, Timers, Tokio, Weft, WORKERS};
use weft_benches::fan_out;

/// Sleeps in `sleep_many`, one task each.
const NUM_SLEEPS: usize = 100_000;
/// Distinct sleep durations, `SLEEP_STEP` apart: 10 µs to 10 ms.
const SLEEP_STEPS: u32 = 1_000;
const SLEEP_STEP: Duration = Duration::from_micros(10);
/// Timeouts created and dropped in the timeout workloads, split across one task per
/// worker.
const NUM_TIMEOUTS: usize = 100_000;
/// Far enough that no timeout fires during a run.
const NEVER: Duration = Duration::from_secs(60);

/// 100k tasks each sleep once, for durations spread over 10 µs..10 ms; the last to
/// wake signals. The tasks are spawned by a task, so the spawns are local ones.
fn sleep_many<C: Timers>(runtime: &C) {
    let spawner = runtime.spawner();
    runtime.block_on(async {
        let inner = spawner.clone();
        let driver = spawner.spawn(async move {
            fan_out(&inner, NUM_SLEEPS, |i| {
                C::sleep(SLEEP_STEP * (1 + i as u32 % SLEEP_STEPS))
            })
            .await;
        });
        driver.await;
    });
}

/// Runs `per_task(count)` in one task per worker, `count` being that task's share of
/// `NUM_TIMEOUTS`, and waits for them.
fn on_each_worker<C, F>(runtime: &C, per_task: fn(usize) -> F)
where
    C: Contender,
    F: Future<Output = ()> + Send + 'static,
{
    let spawner = runtime.spawner();
    runtime.block_on(async {
        let tasks: Vec<_> = (0..WORKERS)
            .map(|_| spawner.spawn(per_task(NUM_TIMEOUTS / WORKERS)))
            .collect();
        for task in tasks {
            task.await;
        }
    });
}

/// 100k timeouts around a pending future, each polled once (which registers its timer)
/// and dropped (which removes it): the path of a timeout whose operation finishes
/// before it fires, and tokio's `time_many_timers` bench.
fn timeout_register_drop<C: Timers>(runtime: &C) {
    on_each_worker(runtime, |count| async move {
        for _ in 0..count {
            let mut timeout = pin!(C::timeout(NEVER, pending::<()>()));
            poll_fn(|cx| {
                let _ = timeout.as_mut().poll(cx);
                Poll::Ready(())
            })
            .await;
        }
    });
}

/// 100k timeouts around a future that is ready at once: created, polled once, dropped,
/// with no timer ever registered (tokio's `time_timeout` bench).
fn timeout_ready<C: Timers>(runtime: &C) {
    on_each_worker(runtime, |count| async move {
        for _ in 0..count {
            black_box(C::timeout(NEVER, ready(1u32)).await);
        }
    });
}

/// An iteration takes tens of milliseconds: ten samples (criterion's minimum) keep a
/// run short.
const SAMPLES: usize = 10;

fn timers(c: &mut Criterion) {
    compare!(c, sleep_many, elements: NUM_SLEEPS, samples: SAMPLES, on: [Weft, Tokio]);
    compare!(c, timeout_register_drop, elements: NUM_TIMEOUTS, samples: SAMPLES, on: [Weft, Tokio]);
    compare!(c, timeout_ready, elements: NUM_TIMEOUTS, samples: SAMPLES, on: [Weft, Tokio]);
}

criterion_group!(benches, timers);
criterion_main!(benches);
