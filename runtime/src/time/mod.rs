//! Time: sleeps, timeouts that can be moved, intervals, and a clock tests can pause.
//!
//! Every timer lives in one hierarchical timer wheel per runtime (`wheel/`), turned by
//! the worker that parks on the driver: it blocks in the I/O poll with the nearest
//! deadline as its timeout, then fires what is due. Inserting, cancelling (dropping)
//! and resetting a timer are O(1); a timer is inserted at its first pending poll, so
//! one created and dropped unpolled costs nothing.
//!
//! | asyncio                                | weft                                     |
//! |----------------------------------------|------------------------------------------|
//! | `await asyncio.sleep(d)`               | [`sleep`]`(d).await`                     |
//! | `await asyncio.sleep(0)`               | `sleep(Duration::ZERO).await` or [`yield_now`](crate::yield_now) |
//! | `await asyncio.wait_for(aw, t)`        | [`timeout`]`(t, fut).await`              |
//! | `async with asyncio.timeout(t) as cm`  | a pinned [`Timeout`]: `deadline`, `reschedule`, `expired` |
//! | `asyncio.timeout_at(when)`             | [`timeout_at`]`(Some(when), fut)`        |
//! | `loop.time()`                          | [`Instant::now`]                         |
//!
//! With [`Builder::start_paused`](crate::Builder::start_paused) the clock stands still
//! until [`advance`] moves it or every task is idle, when it jumps to the next timer.

mod clock;
mod instant;
mod interval;
mod sleep;
mod timeout;
pub(crate) mod timers;
pub(crate) mod wheel;

pub use instant::Instant;
pub use interval::{interval, interval_at, Interval, MissedTickBehavior};
pub use sleep::{sleep, sleep_until, Sleep};
pub use timeout::{timeout, timeout_at, Elapsed, Timeout};

pub(crate) use clock::Clock;
pub(crate) use timers::Timers;

use std::fmt;
use std::time::Duration;

/// Moves a paused clock forward by `duration`, fires the timers that became due, and
/// yields so the tasks they woke run before this one resumes.
///
/// ```
/// use std::time::Duration;
/// use weft::time::{advance, Instant};
///
/// let rt = weft::Runtime::builder().current_thread().start_paused(true).build().unwrap();
/// rt.block_on(async {
///     let start = Instant::now();
///     advance(Duration::from_secs(90)).await.unwrap();
///     assert_eq!(start.elapsed(), Duration::from_secs(90));
/// });
/// ```
///
/// # Errors
///
/// [`AdvanceError`] if the current runtime's clock is not paused, or there is no
/// current runtime.
///
/// # Cancel safety
///
/// The clock moves at the first poll; dropping the future after that only skips the
/// yield.
pub async fn advance(duration: Duration) -> Result<(), AdvanceError> {
    let timers =
        crate::runtime::context::with_current(|handle| handle.map(|h| h.driver().timers.clone()))
            .ok_or(AdvanceError::NoRuntime)?;
    if !timers.clock().is_paused() {
        return Err(AdvanceError::NotPaused);
    }
    timers.clock().advance(duration);
    timers.fire_due(timers.clock().now());
    crate::yield_now().await;
    Ok(())
}

/// Why [`advance`] could not move the clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AdvanceError {
    /// The runtime's clock runs in real time.
    NotPaused,
    /// Called outside a weft runtime.
    NoRuntime,
}

impl fmt::Display for AdvanceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AdvanceError::NotPaused => f.write_str(
                "the clock is not paused: build the runtime with \
                 Builder::current_thread().start_paused(true) to move time by hand",
            ),
            AdvanceError::NoRuntime => {
                f.write_str("weft::time::advance was called outside a weft runtime")
            }
        }
    }
}

impl std::error::Error for AdvanceError {}
