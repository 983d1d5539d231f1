//! [`WeftTimer`]: hyper's `Timer` on weft's timer wheel (hyper-util's `TokioTimer`).
//!
//! # Rules
//!
//! 1. **One wheel entry per sleep, moved in place.** [`WeftSleep`] is weft's own
//!    [`Sleep`](weft::time::Sleep); `reset` moves its deadline inside the wheel instead
//!    of dropping the entry and boxing a new sleep (hyper's default `reset`).
//! 2. **Registered at the first pending poll**, as every weft sleep is: a sleep hyper
//!    creates and drops unpolled (a header-read timer on a request whose head was
//!    already in the buffer) never touches the wheel.
//! 3. **hyper's clock is the runtime's**: `now` reads [`weft::time::Instant::now`], so
//!    under a paused test clock hyper's deadlines move with the clock weft's timers
//!    fire on.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use weft::time::Sleep;

/// hyper's timer on the current weft runtime's timer wheel (hyper-util's
/// `TokioTimer`). Give it to hyper's builders so their timeouts run: without a
/// timer, hyper leaves the HTTP/1 header-read timeout and HTTP/2 keep-alive off.
///
/// ```
/// use std::time::Duration;
/// use hyper::server::conn::http1;
/// use weft_hyper::rt::WeftTimer;
///
/// let mut builder = http1::Builder::new();
/// builder.timer(WeftTimer::new()).header_read_timeout(Duration::from_secs(5));
/// ```
///
/// # Panics
///
/// Its sleeps panic when polled outside a weft runtime, as [`weft::time::sleep`]'s do.
#[derive(Clone, Copy, Debug, Default)]
pub struct WeftTimer {
    _private: (),
}

impl WeftTimer {
    /// A timer on the runtime its sleeps are polled in.
    ///
    /// ```
    /// let mut builder = hyper::server::conn::http1::Builder::new();
    /// builder.timer(weft_hyper::rt::WeftTimer::new());
    /// ```
    pub fn new() -> WeftTimer {
        WeftTimer { _private: () }
    }
}

impl hyper::rt::Timer for WeftTimer {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn hyper::rt::Sleep>> {
        Box::pin(WeftSleep(weft::time::sleep(duration)))
    }

    fn sleep_until(&self, deadline: Instant) -> Pin<Box<dyn hyper::rt::Sleep>> {
        Box::pin(WeftSleep(weft::time::sleep_until(deadline.into())))
    }

    fn reset(&self, sleep: &mut Pin<Box<dyn hyper::rt::Sleep>>, new_deadline: Instant) {
        match sleep.as_mut().downcast_mut_pin::<WeftSleep>() {
            // Rule 1: the entry moves in place.
            Some(ours) => ours.get_mut().0.reset(Some(new_deadline.into())),
            None => *sleep = self.sleep_until(new_deadline),
        }
    }

    fn now(&self) -> Instant {
        weft::time::Instant::now().into_std()
    }
}

/// The sleep [`WeftTimer`] gives hyper: a [`weft::time::Sleep`].
///
/// ```
/// use std::time::Duration;
/// use hyper::rt::Timer as _;
/// use weft_hyper::rt::WeftTimer;
///
/// let rt = weft::Runtime::builder().current_thread().start_paused(true).build().unwrap();
/// rt.block_on(async {
///     let start = weft::time::Instant::now();
///     WeftTimer::new().sleep(Duration::from_secs(30)).await;
///     assert!(start.elapsed() >= Duration::from_secs(30));
/// });
/// ```
///
/// # Cancel safety
///
/// Dropping it removes its timer; nothing else happens.
#[must_use = "futures do nothing unless awaited"]
pub struct WeftSleep(Sleep);

impl Future for WeftSleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        Pin::new(&mut self.get_mut().0).poll(cx)
    }
}

impl hyper::rt::Sleep for WeftSleep {}

impl fmt::Debug for WeftSleep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("WeftSleep").field(&self.0).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::rt::Timer as _;

    fn paused() -> weft::Runtime {
        weft::Runtime::builder()
            .current_thread()
            .start_paused(true)
            .build()
            .unwrap()
    }

    #[test]
    fn reset_moves_the_deadline_of_the_same_sleep() {
        paused().block_on(async {
            let timer = WeftTimer::new();
            let start = timer.now();
            let mut sleep = timer.sleep(Duration::from_secs(3600));
            // Register it, then pull it in to one second.
            let first = std::future::poll_fn(|cx| Poll::Ready(sleep.as_mut().poll(cx))).await;
            assert!(first.is_pending());
            timer.reset(&mut sleep, start + Duration::from_secs(1));
            assert!(sleep.as_mut().downcast_mut_pin::<WeftSleep>().is_some());
            sleep.await;
            let slept = timer.now() - start;
            assert!(slept >= Duration::from_secs(1) && slept < Duration::from_secs(3600));
        });
    }

    #[test]
    fn a_foreign_sleep_is_replaced_on_reset() {
        struct Foreign;
        impl Future for Foreign {
            type Output = ();
            fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
                Poll::Pending
            }
        }
        impl hyper::rt::Sleep for Foreign {}

        paused().block_on(async {
            let timer = WeftTimer::new();
            let mut sleep: Pin<Box<dyn hyper::rt::Sleep>> = Box::pin(Foreign);
            timer.reset(&mut sleep, timer.now() + Duration::from_millis(5));
            assert!(sleep.as_mut().downcast_mut_pin::<WeftSleep>().is_some());
            sleep.await;
        });
    }

    #[test]
    fn now_follows_the_paused_clock() {
        paused().block_on(async {
            let timer = WeftTimer::new();
            let before = timer.now();
            weft::time::advance(Duration::from_secs(90)).await.unwrap();
            assert_eq!(timer.now() - before, Duration::from_secs(90));
        });
    }
}
