//! `BlockingTask`: a closure wearing a future's clothes.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Runs the closure on its first poll. Polled exactly once, by a pool thread; the
/// task harness catches a panic from it.
pub(super) struct BlockingTask<F>(Option<F>);

impl<F> BlockingTask<F> {
    pub(super) fn new(f: F) -> BlockingTask<F> {
        BlockingTask(Some(f))
    }
}

impl<F> Unpin for BlockingTask<F> {}

impl<F: FnOnce() -> R, R> Future for BlockingTask<F> {
    type Output = R;

    fn poll(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<R> {
        let f = self
            .0
            .take()
            .expect("a blocking task is polled once; the harness guarantees it");
        Poll::Ready(f())
    }
}
