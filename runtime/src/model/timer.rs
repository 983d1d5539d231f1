//! Timers on a paused clock a model moves by hand.

use crate::loom::Arc;
use crate::time::wheel::TimerKey;
use crate::time::{Clock, Timers};
use std::task::{Poll, Waker};
use std::time::{Duration, Instant};

/// One runtime's timers, on a paused clock, with no driver to interrupt.
pub struct TimerModel {
    timers: Arc<Timers>,
}

/// One timer a model thread owns.
pub struct ModelTimer {
    key: Option<TimerKey>,
    deadline: Instant,
}

impl TimerModel {
    /// An empty wheel on a paused clock.
    pub fn new() -> TimerModel {
        TimerModel {
            timers: Arc::new(Timers::new(Clock::new(true), Box::new(|| {}))),
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

    /// Timers still in the wheel.
    pub fn len(&self) -> usize {
        self.timers.len()
    }
}
