//! `Joined`: a task handle that resolves to the task's output itself.

use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Awaits a task handle whose output is a `Result` (weft's `Task`, tokio's
/// `JoinHandle`) and unwraps it: a benchmarked task never fails, and a failure must
/// not pass silently.
#[must_use = "futures do nothing unless awaited"]
#[derive(Debug)]
pub struct Joined<J>(pub J);

impl<J, T, E> Future for Joined<J>
where
    J: Future<Output = Result<T, E>> + Unpin,
    E: Debug,
{
    type Output = T;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        Pin::new(&mut self.0)
            .poll(cx)
            .map(|joined| joined.expect("a benchmarked task failed"))
    }
}
