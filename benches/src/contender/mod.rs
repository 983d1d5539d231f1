//! The runtimes under comparison, behind one trait, so that one workload runs unchanged
//! on each.
//!
//! | contender        | worker threads                        | `spawn` inside a task     |
//! |------------------|---------------------------------------|---------------------------|
//! | [`Weft`]         | `Runtime::builder().worker_threads(n)` | `weft::spawn`            |
//! | [`Tokio`]        | `new_multi_thread().worker_threads(n)` | `tokio::spawn`           |
//! | [`AsyncExecutor`] | `n` threads running `Executor::run`  | `Executor::spawn`         |
//!
//! Each has the same number of workers ([`WORKERS`] in the benches) and spawns the way
//! its users do. `block_on` runs on the calling thread, which is not a worker in any of
//! the three, so a spawn from inside `block_on` is a spawn from outside the workers for
//! all of them (tokio's injection queue, weft's injector, async-executor's global queue).

mod async_executor_pool;
mod joined;
mod tokio_runtime;
mod weft_runtime;

pub use async_executor_pool::AsyncExecutor;
pub use joined::Joined;
pub use tokio_runtime::Tokio;
pub use weft_runtime::Weft;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput};
use std::future::Future;
use std::time::Duration;

/// The worker-thread count every contender gets in the benches.
pub const WORKERS: usize = 2;

/// One runtime under comparison.
pub trait Contender: Sized + 'static {
    /// The name its figures appear under.
    const NAME: &'static str;
    /// Spawns from inside the runtime's tasks.
    type Spawner: Spawner;

    /// Builds the runtime with `workers` worker threads.
    fn with_workers(workers: usize) -> Self;

    /// The spawner its tasks use.
    fn spawner(&self) -> Self::Spawner;

    /// Runs `future` to completion on the calling thread.
    fn block_on<F: Future>(&self, future: F) -> F::Output;

    /// Spawns from a thread outside the runtime (tokio's `Handle::spawn`).
    fn spawn_remote<F>(&self, future: F) -> <Self::Spawner as Spawner>::Join<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static;
}

/// How a contender's tasks spawn tasks and yield.
pub trait Spawner: Clone + Send + Sync + 'static {
    /// Awaits a spawned task's output.
    type Join<T: Send + 'static>: Future<Output = T> + Send + 'static;

    /// Spawns `future`; await the result for its output.
    fn spawn<F>(&self, future: F) -> Self::Join<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static;

    /// Spawns `future` and lets it run on its own.
    fn spawn_detached<F>(&self, future: F)
    where
        F: Future<Output = ()> + Send + 'static;

    /// The runtime's own `yield_now`.
    fn yield_now() -> impl Future<Output = ()> + Send;
}

/// A contender that also has a current-thread flavour (weft and tokio).
pub trait CurrentThread: Contender {
    /// Builds the runtime's current-thread flavour: `block_on`'s thread runs the tasks.
    fn current_thread() -> Self;
}

/// The timers of a contender that has them (weft and tokio), used from inside its
/// tasks.
pub trait Timers: Contender {
    /// The runtime's sleep for `duration`.
    fn sleep(duration: Duration) -> impl Future<Output = ()> + Send;

    /// The runtime's timeout of `future` after `duration`; its output is discarded by
    /// the benches.
    fn timeout<F>(duration: Duration, future: F) -> impl Future + Send
    where
        F: Future + Send;
}

/// A criterion group for one workload: `elements` operations per iteration (for the
/// throughput figures) and `sample_size` samples (criterion's minimum is 10).
pub fn group<'a>(
    criterion: &'a mut Criterion,
    workload: &str,
    elements: u64,
    sample_size: usize,
) -> BenchmarkGroup<'a, WallTime> {
    let mut group = criterion.benchmark_group(workload);
    group.throughput(Throughput::Elements(elements));
    group.sample_size(sample_size);
    group
}

/// Builds `C` with [`WORKERS`] workers and benches `workload` on it in `group`, under
/// the contender's name. The runtime is shut down before the next contender starts, so
/// no idle pool shares the cores with the one being measured.
pub fn bench_on<C: Contender>(group: &mut BenchmarkGroup<'_, WallTime>, workload: impl Fn(&C)) {
    let runtime = C::with_workers(WORKERS);
    group.bench_function(C::NAME, |b| b.iter(|| workload(&runtime)));
}

/// As [`bench_on`], on the contender's current-thread flavour: for a workload that
/// stays inside one task, so that no hand-off between threads is measured.
pub fn bench_on_current_thread<C: CurrentThread>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    workload: impl Fn(&C),
) {
    let runtime = C::current_thread();
    group.bench_function(C::NAME, |b| b.iter(|| workload(&runtime)));
}

/// One group, `A` beside `B`, for a workload written once per contender (where the
/// two differ in more than the runtime: a TaskGroup against a JoinSet, weft-sync's
/// Lock against tokio's Mutex).
pub fn compare_pair<A: Contender, B: Contender>(
    criterion: &mut Criterion,
    workload: &str,
    elements: usize,
    sample_size: usize,
    on_a: fn(&A),
    on_b: fn(&B),
) {
    let mut group = group(criterion, workload, elements as u64, sample_size);
    bench_on::<A>(&mut group, on_a);
    bench_on::<B>(&mut group, on_b);
    group.finish();
}

/// Benches a workload — a function generic over the contender, whose name becomes the
/// group's — on each contender listed, in one criterion group:
///
/// ```ignore
/// compare!(c, spawn_many_local, elements: 10_000, samples: 100, on: [Weft, Tokio, AsyncExecutor]);
/// ```
#[macro_export]
macro_rules! compare {
    (
        $criterion:expr, $workload:ident,
        elements: $elements:expr, samples: $samples:expr,
        on: [$($contender:ty),+ $(,)?]
    ) => {{
        let mut group = $crate::contender::group(
            $criterion,
            stringify!($workload),
            $elements as u64,
            $samples,
        );
        $($crate::contender::bench_on::<$contender>(&mut group, $workload);)+
        group.finish();
    }};
}
