//! `Timeout`: a future with a deadline that can be moved (asyncio's `wait_for` and
//! `async with timeout()`).

use super::sleep::Sleep;
use super::Instant;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// Runs `future` for at most `duration` (asyncio's `wait_for(aw, timeout)`).
///
/// Resolves to `Ok(output)` if the future finishes first, or `Err(Elapsed)` once the
/// deadline passes, dropping the future. A future that is ready at the same poll as
/// the deadline returns its value: ready beats expired. `Duration::MAX` means never.
///
/// ```
/// use std::time::Duration;
/// use weft::time::{sleep, timeout};
///
/// let rt = weft::Runtime::builder().current_thread().start_paused(true).build().unwrap();
/// rt.block_on(async {
///     let slow = timeout(Duration::from_millis(10), sleep(Duration::from_secs(60))).await;
///     assert!(slow.is_err());
///     let quick = timeout(Duration::from_secs(60), async { 7 }).await;
///     assert_eq!(quick.unwrap(), 7);
/// });
/// ```
///
/// # Cancel safety
///
/// Dropping the timeout drops the inner future; it is as cancel-safe as that future.
pub fn timeout<F: Future>(duration: Duration, future: F) -> Timeout<F> {
    Timeout::new(Instant::now().checked_add(duration), future)
}

/// Runs `future` until `deadline` (`None`: no deadline), as [`timeout`] does
/// (asyncio's `timeout_at(when)`).
///
/// ```
/// use std::time::Duration;
/// use weft::time::{timeout_at, Instant};
///
/// let rt = weft::Runtime::builder().current_thread().start_paused(true).build().unwrap();
/// rt.block_on(async {
///     let deadline = Instant::now() + Duration::from_secs(1);
///     assert_eq!(timeout_at(Some(deadline), async { 1 }).await.unwrap(), 1);
///     assert_eq!(timeout_at(None, async { 2 }).await.unwrap(), 2);
/// });
/// ```
///
/// # Cancel safety
///
/// As for [`timeout`].
pub fn timeout_at<F: Future>(deadline: Option<Instant>, future: F) -> Timeout<F> {
    Timeout::new(deadline, future)
}

/// The future returned by [`timeout`] and [`timeout_at`].
///
/// Pinned, it can be inspected and moved while it runs — asyncio's `Timeout` context
/// manager: [`deadline`](Timeout::deadline) (`when()`),
/// [`reschedule`](Timeout::reschedule) and [`expired`](Timeout::expired).
///
/// ```
/// use std::pin::pin;
/// use std::time::Duration;
/// use weft::time::{sleep, timeout, Instant};
///
/// let rt = weft::Runtime::builder().current_thread().start_paused(true).build().unwrap();
/// rt.block_on(async {
///     let mut t = pin!(timeout(Duration::from_millis(10), sleep(Duration::from_secs(5))));
///     t.as_mut().reschedule(None); // no deadline after all
///     assert_eq!(t.deadline(), None);
///     assert!(t.await.is_ok());
/// });
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct Timeout<F> {
    future: F,
    sleep: Sleep,
}

/// The deadline of a [`Timeout`] passed before its future finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Elapsed(());

impl fmt::Display for Elapsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the deadline passed before the operation finished")
    }
}

impl std::error::Error for Elapsed {}

impl From<Elapsed> for std::io::Error {
    fn from(err: Elapsed) -> std::io::Error {
        std::io::Error::new(std::io::ErrorKind::TimedOut, err)
    }
}

impl<F> Timeout<F> {
    fn new(deadline: Option<Instant>, future: F) -> Timeout<F> {
        Timeout {
            future,
            sleep: Sleep::new(deadline),
        }
    }

    /// The deadline (asyncio's `when()`); `None` means never.
    pub fn deadline(&self) -> Option<Instant> {
        self.sleep.deadline()
    }

    /// Moves the deadline: earlier, later, `None` for never, or into the past, in which
    /// case the timeout expires at its next poll (asyncio's `reschedule`). Moving it
    /// after it expired has no effect on the outcome.
    pub fn reschedule(self: Pin<&mut Self>, deadline: Option<Instant>) {
        if self.sleep.is_elapsed() {
            return;
        }
        // SAFETY: `sleep` is never pinned (it is `Unpin`); the future is not touched.
        let this = unsafe { self.get_unchecked_mut() };
        this.sleep.reset(deadline);
    }

    /// `true` if the deadline passed before the future finished (asyncio's
    /// `expired()`).
    pub fn expired(&self) -> bool {
        self.sleep.is_elapsed()
    }

    /// The inner future.
    pub fn get_ref(&self) -> &F {
        &self.future
    }

    /// Gives the inner future back, dropping the deadline.
    pub fn into_inner(self) -> F
    where
        F: Unpin,
    {
        self.future
    }
}

impl<F: Future> Future for Timeout<F> {
    type Output = Result<F::Output, Elapsed>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: `future` is structurally pinned: it is never moved out of a pinned
        // `Timeout` (`into_inner` needs `F: Unpin`), and `Timeout` has no `Drop` that
        // moves it. `sleep` is `Unpin` and not pinned.
        let this = unsafe { self.get_unchecked_mut() };
        if this.sleep.is_elapsed() {
            return Poll::Ready(Err(Elapsed(())));
        }
        // SAFETY: as above, `future` stays where it is.
        let future = unsafe { Pin::new_unchecked(&mut this.future) };
        if let Poll::Ready(out) = future.poll(cx) {
            return Poll::Ready(Ok(out));
        }
        match this.sleep.poll_deadline(cx) {
            Poll::Ready(()) => Poll::Ready(Err(Elapsed(()))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<F> fmt::Debug for Timeout<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Timeout")
            .field("deadline", &self.deadline())
            .field("expired", &self.expired())
            .finish_non_exhaustive()
    }
}
