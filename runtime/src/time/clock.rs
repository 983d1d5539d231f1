//! The runtime's clock: the real one, or a paused one that moves only when told to.
//!
//! A paused clock (`Builder::start_paused(true)`, current-thread flavour only) stands
//! still until [`advance`](crate::time::advance) moves it, or until the scheduler finds
//! every task idle and jumps it to the next timer (auto-advance, as Trio's autojump
//! clock does). Tests with hour-long sleeps then run in microseconds, and in the same
//! order as they would in real time.
//!
//! # Rules
//!
//! 1. A paused clock never goes backwards: `advance_to` an earlier instant is a no-op.
//! 2. `frozen` is read and written under its lock; `paused` is set once, at creation.

use crate::loom::Mutex;
use std::time::{Duration, Instant as StdInstant};

pub(crate) struct Clock {
    /// Tick 0 of the timer wheel.
    origin: StdInstant,
    paused: bool,
    frozen: Mutex<StdInstant>,
}

impl Clock {
    pub(crate) fn new(paused: bool) -> Clock {
        let origin = StdInstant::now();
        Clock {
            origin,
            paused,
            frozen: Mutex::new(origin),
        }
    }

    pub(crate) fn origin(&self) -> StdInstant {
        self.origin
    }

    pub(crate) fn is_paused(&self) -> bool {
        self.paused
    }

    pub(crate) fn now(&self) -> StdInstant {
        if self.paused {
            *self.frozen.lock()
        } else {
            StdInstant::now()
        }
    }

    /// Moves a paused clock forward by `by` (saturating far in the future).
    pub(crate) fn advance(&self, by: Duration) {
        debug_assert!(self.paused);
        let mut frozen = self.frozen.lock();
        if let Some(t) = frozen.checked_add(by) {
            *frozen = t;
        }
    }

    /// Moves a paused clock forward to `to` (rule 1).
    pub(crate) fn advance_to(&self, to: StdInstant) {
        debug_assert!(self.paused);
        let mut frozen = self.frozen.lock();
        if to > *frozen {
            *frozen = to;
        }
    }
}
