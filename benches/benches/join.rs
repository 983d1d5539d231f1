//! `weft::join!` and `weft::select!` beside `tokio::join!` and `tokio::select!`: the
//! cost of combining futures inside one task. Each contender runs the same loop of
//! 10,000 combinations inside a task it spawned on its current-thread runtime (the
//! macros never leave their task, so no hand-off between threads is worth
//! measuring, and none adds its noise), with futures that are either ready at once or
//! yield once (wake themselves, then are ready) — the same runtime-neutral futures
//! for both. With ready futures the difference is the macro's alone; with yields it
//! also holds each runtime's cost of re-running a task that woke itself.
//!
//! | workload          | each of the 10,000 rounds                               |
//! |-------------------|---------------------------------------------------------|
//! | `join2_ready`     | `join!` of 2 ready futures                              |
//! | `join8_ready`     | `join!` of 8 ready futures                              |
//! | `join2_yield`     | `join!` of 2 futures that yield once                    |
//! | `join8_yield`     | `join!` of 8 futures that yield once                    |
//! | `select2_ready`   | `select!` of 2 ready futures (random start)             |
//! | `select8_ready`   | `select!` of 8 ready futures                            |
//! | `select2_yield`   | `select!` of 2 futures that yield once                  |
//! | `select8_yield`   | `select!` of 8 futures that yield once                  |
//!
//! Run: `cargo bench -p weft-benches --bench join`. Ratios: `docs/performance.md`,
//! section "join! and select!".

use criterion::{criterion_group, criterion_main, Criterion};
use std::future::{ready, Future};
use std::hint::black_box;
use std::pin::Pin;
use std::task::{Context, Poll};
use weft_benches::contender::{self, Contender, Spawner, Tokio, Weft};

/// Combinations per iteration.
const ROUNDS: u64 = 10_000;
/// Criterion samples per contender.
const SAMPLES: usize = 50;

/// Wakes itself and is pending once, then ready with its value: a yield that costs
/// every runtime the same (its `block_on` waker), unlike each runtime's `yield_now`.
struct YieldOnce(Option<u64>, bool);

fn yield_once(value: u64) -> YieldOnce {
    YieldOnce(Some(value), false)
}

impl Future for YieldOnce {
    type Output = u64;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u64> {
        if std::mem::replace(&mut self.1, true) {
            Poll::Ready(self.0.take().expect("polled after it finished"))
        } else {
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

/// Runs `round` for each of [`ROUNDS`] in a task spawned on `runtime` (as a server's
/// handler would), and checks the sum.
fn rounds<C, F, Fut>(runtime: &C, expected_per_round: u64, round: F)
where
    C: Contender,
    F: Fn(u64) -> Fut + Send + 'static,
    Fut: Future<Output = u64> + Send,
{
    let spawner = runtime.spawner();
    let sum = runtime.block_on(async {
        spawner
            .spawn(async move {
                let mut sum = 0;
                for _ in 0..ROUNDS {
                    sum += round(black_box(1)).await;
                }
                sum
            })
            .await
    });
    assert_eq!(sum, ROUNDS * expected_per_round);
}

/// The eight workloads for one crate's macros (`weft` or `tokio`), on contender `$C`.
macro_rules! workloads {
    ($krate:ident, $C:ty) => {
        pub(super) fn join2_ready(rt: &$C) {
            rounds(rt, 2, |v| async move {
                let (a, b) = $krate::join!(ready(v), ready(v));
                a + b
            });
        }

        pub(super) fn join8_ready(rt: &$C) {
            rounds(rt, 8, |v| async move {
                let (a, b, c, d, e, f, g, h) = $krate::join!(
                    ready(v),
                    ready(v),
                    ready(v),
                    ready(v),
                    ready(v),
                    ready(v),
                    ready(v),
                    ready(v)
                );
                a + b + c + d + e + f + g + h
            });
        }

        pub(super) fn join2_yield(rt: &$C) {
            rounds(rt, 2, |v| async move {
                let (a, b) = $krate::join!(yield_once(v), yield_once(v));
                a + b
            });
        }

        pub(super) fn join8_yield(rt: &$C) {
            rounds(rt, 8, |v| async move {
                let (a, b, c, d, e, f, g, h) = $krate::join!(
                    yield_once(v),
                    yield_once(v),
                    yield_once(v),
                    yield_once(v),
                    yield_once(v),
                    yield_once(v),
                    yield_once(v),
                    yield_once(v)
                );
                a + b + c + d + e + f + g + h
            });
        }

        pub(super) fn select2_ready(rt: &$C) {
            rounds(rt, 1, |v| async move {
                $krate::select! {
                    a = ready(v) => a,
                    b = ready(v) => b,
                }
            });
        }

        pub(super) fn select8_ready(rt: &$C) {
            rounds(rt, 1, |v| async move {
                $krate::select! {
                    a = ready(v) => a,
                    b = ready(v) => b,
                    c = ready(v) => c,
                    d = ready(v) => d,
                    e = ready(v) => e,
                    f = ready(v) => f,
                    g = ready(v) => g,
                    h = ready(v) => h,
                }
            });
        }

        pub(super) fn select2_yield(rt: &$C) {
            rounds(rt, 1, |v| async move {
                $krate::select! {
                    a = yield_once(v) => a,
                    b = yield_once(v) => b,
                }
            });
        }

        pub(super) fn select8_yield(rt: &$C) {
            rounds(rt, 1, |v| async move {
                $krate::select! {
                    a = yield_once(v) => a,
                    b = yield_once(v) => b,
                    c = yield_once(v) => c,
                    d = yield_once(v) => d,
                    e = yield_once(v) => e,
                    f = yield_once(v) => f,
                    g = yield_once(v) => g,
                    h = yield_once(v) => h,
                }
            });
        }
    };
}

mod on_weft {
    use super::*;
    workloads!(weft, Weft);
}

mod on_tokio {
    use super::*;
    workloads!(tokio, Tokio);
}

fn join_and_select(c: &mut Criterion) {
    macro_rules! pair {
        ($($workload:ident),+) => {$(
            let mut group = contender::group(c, stringify!($workload), ROUNDS, SAMPLES);
            contender::bench_on_current_thread::<Weft>(&mut group, on_weft::$workload);
            contender::bench_on_current_thread::<Tokio>(&mut group, on_tokio::$workload);
            group.finish();
        )+};
    }
    pair!(
        join2_ready,
        join8_ready,
        join2_yield,
        join8_yield,
        select2_ready,
        select8_ready,
        select2_yield,
        select8_yield
    );
}

criterion_group!(benches, join_and_select);
criterion_main!(benches);
