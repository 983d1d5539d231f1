//! `BlockingTask`: a closure wearing a future's clothes.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Runs the closure on its first poll. Polled exactly once, by a pool thread; the
/// task harness catches a panic from it. The job's in-flight count is not held here
/// but by the pool's queue entry, until the task has completed (pool.rs, rule 6).
pub(super) struct BlockingTask<F> {
    f: Option<F>,
}

impl<F> BlockingTask<F> {
    pub(super) fn new(f: F) -> BlockingTask<F> {
        BlockingTask { f: Some(f) }
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
        Poll::Ready(crate::task::context::outside_task(f))
    }
}
