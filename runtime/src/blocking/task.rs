//! `BlockingTask`: a closure wearing a future's clothes.

use super::pool::InFlight;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Runs the closure on its first poll. Polled exactly once, by a pool thread; the
/// task harness catches a panic from it.
///
/// It holds the job's [`InFlight`] count until the closure has returned (or the task
/// is dropped unrun), so the count drops before the task completes and wakes its
/// awaiter (pool.rs, rule 6).
pub(super) struct BlockingTask<F> {
    f: Option<F>,
    in_flight: Option<InFlight>,
}

impl<F> BlockingTask<F> {
    pub(super) fn new(f: F, in_flight: InFlight) -> BlockingTask<F> {
        BlockingTask {
            f: Some(f),
            in_flight: Some(in_flight),
        }
    }
}

impl<F> Unpin for BlockingTask<F> {}

impl<F: FnOnce() -> R, R> Future for BlockingTask<F> {
    type Output = R;

    fn poll(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<R> {
        let f = self
            .f
            .take()
            .expect("a blocking task is polled once; the harness guarantees it");
        let output = crate::runtime::context::outside_task(f);
        self.in_flight = None;
        Poll::Ready(output)
    }
}
