//! Timers on a paused clock a model moves by hand, with a driver that only records
//! when it is interrupted.
//!
//! The parking driver's side of `time/timers.rs` rule 2 is [`TimerModel::park`]: it
//! records the tick the driver would sleep until, as `Driver::park` has the timers do
//! before blocking; [`TimerModel::unparks`] counts the interruptions the timers sent.

use crate::loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use crate::loom::Arc;
use crate::time::wheel::TimerKey;
use crate::time::{Clock, Timers};
use std::task::{Poll, Waker};
use std::time::{Duration, Instant};

/// One runtime's timers, on a paused clock, with a driver that counts its unparks.
pub struct TimerModel {
    timers: Arc<Timers>,
    unparks: Arc<AtomicUsize>,
}

/// One timer a model thread owns.
pub struct ModelTimer {
    key: Option<TimerKey>,
    deadline: Instant,
}

impl TimerModel {
    /// An empty wheel on a paused clock; nobody parked on it.
    pub fn new() -> TimerModel {
        let unparks = Arc::new(AtomicUsize::new(0));
        let count = unparks.clone();
        let unpark = move || {
            count.fetch_add(1, SeqCst);
        };
        TimerModel {
            timers: Arc::new(Timers::new(Clock::new(true), Box::new(unpark))),
            unparks,
        }
    }

    /// A timer due `after` from now (not registered until polled).
    pub fn timer(&self, after: Duration) -> ModelTimer {
        ModelTimer {
            key: None,
            deadline: self.timers.clock().now() + after,
        }
    }

    /// Polls a timer as `Sleep` does: registers it (or refreshes its waker).
    pub fn poll(&self, timer: &mut ModelTimer, waker: &Waker) -> Poll<()> {
        self.timers.poll(&mut timer.key, timer.deadline, waker)
    }

    /// Moves a timer to `at` after the clock's start (not after now, which another
    /// model thread may be moving), as `Sleep::reset` does.
    pub fn reset(&self, timer: &mut ModelTimer, at: Duration) {
        timer.deadline = self.timers.clock().origin() + at;
        self.timers.reset(&mut timer.key, timer.deadline);
    }

    /// Drops a timer as `Sleep`'s drop does.
    pub fn drop_timer(&self, mut timer: ModelTimer) {
        if let Some(key) = timer.key.take() {
            self.timers.remove(key);
        }
    }

    /// Moves the clock and fires what came due, as the driver does; returns how many
    /// fired.
    pub fn advance_and_fire(&self, by: Duration) -> usize {
        self.timers.clock().advance(by);
        self.timers.fire_due(self.timers.clock().now())
    }

    /// What the driver does before it blocks (rule 2): records the tick it will wake
    /// at, and returns how long it would sleep (`None`: until unparked).
    pub fn park(&self) -> Option<Duration> {
        self.timers.park_timeout(self.timers.clock().now())
    }

    /// How many times the timers unparked the driver.
    pub fn unparks(&self) -> usize {
        self.unparks.load(SeqCst)
    }

    /// Timers still in the wheel.
    pub fn len(&self) -> usize {
        self.timers.len()
    }
}
