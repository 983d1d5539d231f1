//! `select_all`: the first of many `Unpin` futures to finish, with the rest handed
//! back.
//!
//! # Rules
//!
//! 1. Each poll polls the futures in order, each with the caller's waker, and stops at
//!    the first that is ready: earlier futures win ties, and a poll costs O(n). (It
//!    hands the others back to be polled again by whoever takes them, so per-future
//!    wakers would point at an owner that is gone.)
//! 2. The winner is removed with `swap_remove`: the last future takes its place in the
//!    `Vec` handed back, as in futures' `select_all`.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Waits for the first of `futures` to finish inside the current task, and resolves
/// to its output, its index, and the other futures, not finished, to go on with
/// (futures' `select_all`; asyncio's `wait(aws, return_when=FIRST_COMPLETED)` without
/// making tasks).
///
/// The futures must be `Unpin` (`Box::pin` them if not) because the unfinished ones
/// are handed back. Each poll polls them in order until one is ready (O(n) a poll, and
/// the earlier one wins when several are ready); for thousands of futures that wake
/// one at a time, [`join_all`](crate::join_all), or tasks with
/// [`as_completed`](crate::as_completed), poll only the ones that woke. The winner's
/// place in the returned `Vec` is taken by the last future (`swap_remove`).
///
/// ```
/// use std::future::{pending, ready, Future};
/// use std::pin::Pin;
///
/// let rt = weft::Runtime::builder().current_thread().build().unwrap();
/// rt.block_on(async {
///     let futures: Vec<Pin<Box<dyn Future<Output = u32>>>> =
///         vec![Box::pin(pending()), Box::pin(ready(7)), Box::pin(pending())];
///     let (output, index, rest) = weft::select_all(futures).await;
///     assert_eq!((output, index, rest.len()), (7, 1, 2));
/// });
/// ```
///
/// # Cancel safety
///
/// Dropping it drops every future: as safe as the futures themselves. In a loop, keep
/// the futures across iterations (`select_all(rest)`), which is what it is for.
///
/// # Panics
///
/// At the call, if `futures` is empty: there is nothing to wait for, and waiting
/// forever would hang the caller.
#[track_caller]
pub fn select_all<I>(futures: I) -> SelectAll<I::Item>
where
    I: IntoIterator,
    I::Item: Future + Unpin,
{
    let futures: Vec<I::Item> = futures.into_iter().collect();
    assert!(
        !futures.is_empty(),
        "weft::select_all was given no futures: there is nothing to wait for"
    );
    SelectAll { futures }
}

/// The future of [`select_all`].
#[must_use = "futures do nothing unless awaited"]
pub struct SelectAll<F> {
    futures: Vec<F>,
}

// `F: Unpin` lives in a `Vec` that is never pinned.
impl<F> Unpin for SelectAll<F> {}

impl<F: Future + Unpin> Future for SelectAll<F> {
    type Output = (F::Output, usize, Vec<F>);

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        assert!(
            !this.futures.is_empty(),
            "`SelectAll` polled after it completed"
        );
        // Rule 1.
        let ready = this
            .futures
            .iter_mut()
            .enumerate()
            .find_map(|(index, future)| match Pin::new(future).poll(cx) {
                Poll::Ready(output) => Some((index, output)),
                Poll::Pending => None,
            });
        match ready {
            Some((index, output)) => {
                // Rule 2.
                let mut rest = std::mem::take(&mut this.futures);
                drop(rest.swap_remove(index));
                Poll::Ready((output, index, rest))
            }
            None => Poll::Pending,
        }
    }
}

impl<F> fmt::Debug for SelectAll<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SelectAll")
            .field("futures", &self.futures.len())
            .finish()
    }
}
