//! `unless`: a future raced against a stop signal, the one `select` the server needs.

use std::future::{poll_fn, Future};
use std::pin::{pin, Pin};
use std::task::Poll;

/// Runs `future` until it completes (`Some`), unless `stop` completes first (`None`).
/// `stop` is polled first, so a signal already given wins.
///
/// # Cancel safety
///
/// Dropping it drops `future`; `stop` stays with the caller.
pub(crate) async fn unless<S, F>(mut stop: Pin<&mut S>, future: F) -> Option<F::Output>
where
    S: Future<Output = ()> + ?Sized,
    F: Future,
{
    let mut future = pin!(future);
    poll_fn(|cx| {
        if stop.as_mut().poll(cx).is_ready() {
            return Poll::Ready(None);
        }
        future.as_mut().poll(cx).map(Some)
    })
    .await
}
