//! `Sleep`: a future that completes at a deadline.
//!
//! A sleep is registered with the runtime's timer wheel at its first pending poll, not
//! at creation: a sleep (or a timeout) created and dropped before it is polled costs
//! nothing but its creation. Dropping a registered sleep removes its entry.

use super::timers::Timers;
use super::wheel::TimerKey;
use super::Instant;
use crate::loom::Arc;
use std::fmt;
use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use weft_core::waiting::{self, WaitOn};

/// Waits until `duration` has passed (asyncio's `await asyncio.sleep(delay)`).
///
/// `sleep(Duration::ZERO)` yields to the other ready tasks once, like
/// [`yield_now`](crate::yield_now) (asyncio's `sleep(0)`). Any duration works, up to
/// `Duration::MAX`, which never completes.
///
/// ```
/// use std::time::Duration;
///
/// let rt = weft::Runtime::builder().current_thread().start_paused(true).build().unwrap();
/// rt.block_on(async {
///     let start = weft::time::Instant::now();
///     weft::time::sleep(Duration::from_secs(3600)).await; // an hour, on a paused clock
///     assert!(start.elapsed() >= Duration::from_secs(3600));
/// });
/// ```
///
/// # Cancel safety
///
/// Dropping it at any point removes its timer; nothing else happens. But a new
/// `sleep(duration)` waits a whole `duration` from when it is made: as a `select!`
/// branch in a loop, its deadline moves on every turn (and may never come). Keep one
/// `Sleep` pinned outside the loop and select on `&mut` it, or use [`sleep_until`]
/// with a fixed deadline, which is cancel safe.
///
/// # Panics
///
/// When polled outside a weft runtime.
#[track_caller]
pub fn sleep(duration: Duration) -> Sleep {
    Sleep::new(Instant::now().checked_add(duration))
}

/// Waits until `deadline` (asyncio's `loop.call_at` as a future). A deadline already
/// past yields once, then completes.
///
/// ```
/// use std::time::Duration;
/// use weft::time::{sleep_until, Instant};
///
/// let rt = weft::Runtime::builder().current_thread().start_paused(true).build().unwrap();
/// rt.block_on(async {
///     let deadline = Instant::now() + Duration::from_millis(250);
///     sleep_until(deadline).await;
///     assert!(Instant::now() >= deadline);
/// });
/// ```
///
/// # Cancel safety
///
/// Cancel safe: dropping it at any point removes its timer and nothing else; a new
/// `sleep_until(deadline)` with the same deadline completes when this one would have.
///
/// # Panics
///
/// When polled outside a weft runtime.
#[track_caller]
pub fn sleep_until(deadline: Instant) -> Sleep {
    Sleep::new(Some(deadline))
}

/// The future returned by [`sleep`] and [`sleep_until`].
#[must_use = "futures do nothing unless awaited"]
pub struct Sleep {
    /// `None`: never.
    deadline: Option<Instant>,
    timer: Timer,
    /// Completed (or found its deadline passed and yielded): the next poll is ready.
    state: SleepState,
    /// The user's line that made it, for the task's wait record.
    pub(crate) at: &'static Location<'static>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SleepState {
    /// Not polled yet, or waiting on its timer.
    Waiting,
    /// Its deadline had passed at a poll; it yielded once and completes next.
    Yielded,
    /// Done.
    Elapsed,
}

impl Sleep {
    #[track_caller]
    pub(crate) fn new(deadline: Option<Instant>) -> Sleep {
        Sleep {
            deadline,
            timer: Timer::new(),
            state: SleepState::Waiting,
            at: Location::caller(),
        }
    }

    /// When it completes; `None` for never.
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// `true` once it has completed.
    pub fn is_elapsed(&self) -> bool {
        self.state == SleepState::Elapsed
    }

    /// Moves the deadline (earlier, later, `None` for never). The sleep runs again
    /// even if it had completed; a deadline already past completes at the next poll.
    pub fn reset(&mut self, deadline: Option<Instant>) {
        self.deadline = deadline;
        self.state = SleepState::Waiting;
        match deadline {
            Some(d) => self.timer.reset(d),
            None => self.timer.clear(),
        }
    }

    /// Polls without the yield-once rule: ready as soon as the deadline has passed.
    pub(crate) fn poll_deadline(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if self.state == SleepState::Elapsed {
            return Poll::Ready(());
        }
        let Some(deadline) = self.deadline else {
            return Poll::Pending;
        };
        if self.timer.poll(deadline, cx).is_ready() {
            self.state = SleepState::Elapsed;
            return Poll::Ready(());
        }
        Poll::Pending
    }
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        match self.state {
            SleepState::Elapsed => return Poll::Ready(()),
            SleepState::Yielded => {
                self.state = SleepState::Elapsed;
                return Poll::Ready(());
            }
            SleepState::Waiting => {}
        }
        if let Some(deadline) = self.deadline {
            if !self.timer.is_registered() && deadline <= Instant::now() {
                // Due before it ever waited: yield once (asyncio's sleep(0)).
                self.state = SleepState::Yielded;
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
        }
        let poll = self.poll_deadline(cx);
        if poll.is_pending() {
            waiting::record(&WaitOn("sleep"), self.at);
        }
        poll
    }
}

impl Unpin for Sleep {}

impl fmt::Debug for Sleep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sleep")
            .field("deadline", &self.deadline)
            .field("elapsed", &self.is_elapsed())
            .finish()
    }
}

/// A timer entry in the current runtime's wheel, registered lazily and removed on drop.
pub(crate) struct Timer {
    timers: Option<Arc<Timers>>,
    key: Option<TimerKey>,
}

impl Timer {
    pub(crate) fn new() -> Timer {
        Timer {
            timers: None,
            key: None,
        }
    }

    fn is_registered(&self) -> bool {
        self.key.is_some()
    }

    /// `Ready` once `deadline` has passed on the runtime's clock.
    pub(crate) fn poll(&mut self, deadline: Instant, cx: &mut Context<'_>) -> Poll<()> {
        let timers = self.timers.get_or_insert_with(current_timers);
        if deadline.into_std() <= timers.clock().now() {
            if let Some(key) = self.key.take() {
                timers.remove(key);
            }
            return Poll::Ready(());
        }
        timers.poll(&mut self.key, deadline.into_std(), cx.waker())
    }

    pub(crate) fn reset(&mut self, deadline: Instant) {
        if let Some(timers) = &self.timers {
            timers.reset(&mut self.key, deadline.into_std());
        }
    }

    pub(crate) fn clear(&mut self) {
        if let (Some(timers), Some(key)) = (&self.timers, self.key.take()) {
            timers.remove(key);
        }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        self.clear();
    }
}

fn current_timers() -> Arc<Timers> {
    super::context::with_current(|timers| match timers {
        Some(timers) => timers.clone(),
        None => panic!(
            "a weft timer (sleep, timeout, interval) was polled outside a weft runtime: \
             await it inside Runtime::block_on or a weft task"
        ),
    })
}
