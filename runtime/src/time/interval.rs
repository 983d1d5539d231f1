//! `Interval`: ticks at a fixed period, with a choice of what to do about missed ticks.

use super::sleep::Sleep;
use super::Instant;
use std::future::{poll_fn, Future};
use std::panic::Location;
use std::task::{Context, Poll};
use std::time::Duration;
use weft_core::waiting::{self, WaitOn};

/// What an [`Interval`] does when a tick is late by a period or more (the task was
/// busy, or the runtime stalled).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MissedTickBehavior {
    /// Fire the missed ticks back to back until caught up, then keep the original
    /// schedule (the default).
    #[default]
    Burst,
    /// Start a fresh schedule from now: the next tick is one period after this late
    /// one.
    Delay,
    /// Drop the missed ticks and keep to the original schedule's next slot.
    Skip,
}

/// Ticks every `period`, the first tick at once.
///
/// A zero period ticks every time it is polled, yielding between ticks.
///
/// ```
/// use std::time::Duration;
/// use weft::time::{interval, Instant};
///
/// let rt = weft::Runtime::builder().current_thread().start_paused(true).build().unwrap();
/// rt.block_on(async {
///     let mut ticks = interval(Duration::from_secs(10));
///     let first = ticks.tick().await;
///     let second = ticks.tick().await;
///     assert_eq!(second - first, Duration::from_secs(10));
/// });
/// ```
#[track_caller]
pub fn interval(period: Duration) -> Interval {
    interval_at(Instant::now(), period)
}

/// Ticks every `period`, the first tick at `start`.
///
/// ```
/// use std::time::Duration;
/// use weft::time::{interval_at, Instant};
///
/// let rt = weft::Runtime::builder().current_thread().start_paused(true).build().unwrap();
/// rt.block_on(async {
///     let start = Instant::now() + Duration::from_secs(5);
///     let mut ticks = interval_at(start, Duration::from_secs(1));
///     assert_eq!(ticks.tick().await, start);
/// });
/// ```
#[track_caller]
pub fn interval_at(start: Instant, period: Duration) -> Interval {
    Interval {
        next: start,
        period,
        missed: MissedTickBehavior::default(),
        sleep: Sleep::new(Some(start)),
        yield_first: false,
    }
}

/// A stream of ticks; see [`interval`].
#[derive(Debug)]
pub struct Interval {
    /// When the next tick is due.
    next: Instant,
    period: Duration,
    missed: MissedTickBehavior,
    sleep: Sleep,
    /// A zero period ticks at every poll but yields between ticks: set after each
    /// tick when the period is zero.
    yield_first: bool,
}

impl Interval {
    /// Waits for the next tick and returns when it was due.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future before it completes loses no tick: the next call waits for
    /// the same one.
    #[track_caller]
    pub fn tick(&mut self) -> impl Future<Output = Instant> + '_ {
        let ticks = poll_fn(|cx| self.poll_tick(cx));
        waiting::recorded(&WaitOn("Interval::tick"), Location::caller(), ticks)
    }

    /// Polls for the next tick; `Ready` with its due time.
    pub fn poll_tick(&mut self, cx: &mut Context<'_>) -> Poll<Instant> {
        if std::mem::take(&mut self.yield_first) {
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        let due = self.next;
        if due > Instant::now() && self.sleep.poll_deadline(cx).is_pending() {
            return Poll::Pending;
        }
        let now = Instant::now();
        self.next = self.next_after(due, now);
        self.sleep.reset(Some(self.next));
        self.yield_first = self.period.is_zero();
        Poll::Ready(due)
    }

    fn next_after(&self, due: Instant, now: Instant) -> Instant {
        let on_schedule = due + self.period;
        if now < on_schedule || self.period.is_zero() {
            return on_schedule;
        }
        match self.missed {
            MissedTickBehavior::Burst => on_schedule,
            MissedTickBehavior::Delay => now + self.period,
            MissedTickBehavior::Skip => {
                let late = (now - due).as_nanos();
                let period = self.period.as_nanos();
                let periods = u32::try_from(late / period + 1).unwrap_or(u32::MAX);
                due.checked_add(self.period.saturating_mul(periods))
                    .unwrap_or(on_schedule)
            }
        }
    }

    /// Restarts the schedule: the next tick is one period from now.
    pub fn reset(&mut self) {
        self.next = Instant::now() + self.period;
        self.sleep.reset(Some(self.next));
    }

    /// Sets what happens to missed ticks.
    pub fn set_missed_tick_behavior(&mut self, behavior: MissedTickBehavior) {
        self.missed = behavior;
    }

    /// What happens to missed ticks.
    pub fn missed_tick_behavior(&self) -> MissedTickBehavior {
        self.missed
    }

    /// The period.
    pub fn period(&self) -> Duration {
        self.period
    }
}
