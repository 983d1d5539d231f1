//! `Timers`: the runtime's timer wheel behind its lock, with the clock and the way to
//! interrupt a driver that sleeps past a new, earlier timer.
//!
//! # Rules
//!
//! 1. **Wake outside the lock.** Firing moves due wakers into a `WakeBatch` under the
//!    lock and wakes them after releasing it, batch by batch; the wheel is consistent at
//!    every release (wheel rule 4).
//! 2. **No oversleep.** The parking driver records the tick it will wake at
//!    (`next_wake`) under the lock before it blocks; whoever inserts a timer due
//!    earlier than that unparks it after releasing the lock. `next_wake` is cleared
//!    when the driver fires.
//! 3. **Never early.** A deadline becomes the tick at or after it (rounded up), and
//!    "now" the tick at or before it (rounded down); a timer fires once now's tick
//!    reaches its own, so never before its deadline.
//! 4. **Shutdown fires everything.** After shutdown every timer has fired and a new
//!    one fires at once: nothing waits on a clock that no longer runs.

use super::clock::Clock;
use super::wheel::{TimerKey, TimerState, Wheel};
use crate::loom::Mutex;
use std::task::{Poll, Waker};
use std::time::{Duration, Instant as StdInstant};
use weft_core::WakeBatch;

pub(crate) struct Timers {
    state: Mutex<State>,
    clock: Clock,
    /// Interrupts a driver blocked in its poll (rule 2).
    unpark: Box<dyn Fn() + Send + Sync>,
}

struct State {
    wheel: Wheel,
    /// The tick the parked driver wakes at; `u64::MAX` when it sleeps with no timer,
    /// `None` when nobody sleeps on the timers.
    next_wake: Option<u64>,
    is_shutdown: bool,
}

impl Timers {
    pub(crate) fn new(clock: Clock, unpark: Box<dyn Fn() + Send + Sync>) -> Timers {
        Timers {
            state: Mutex::new(State {
                wheel: Wheel::new(),
                next_wake: None,
                is_shutdown: false,
            }),
            clock,
            unpark,
        }
    }

    pub(crate) fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The tick at or after `deadline` (rule 3).
    fn deadline_tick(&self, deadline: StdInstant) -> u64 {
        let since = deadline.saturating_duration_since(self.clock.origin());
        let ms = since.as_millis() + u128::from(since.subsec_nanos() % 1_000_000 != 0);
        u64::try_from(ms).unwrap_or(u64::MAX)
    }

    /// The tick at or before `now` (rule 3).
    fn now_tick(&self, now: StdInstant) -> u64 {
        let ms = now
            .saturating_duration_since(self.clock.origin())
            .as_millis();
        u64::try_from(ms).unwrap_or(u64::MAX)
    }

    /// The instant tick `tick` begins.
    fn tick_instant(&self, tick: u64) -> StdInstant {
        self.clock
            .origin()
            .checked_add(Duration::from_millis(tick))
            .unwrap_or_else(|| self.clock.origin() + Duration::from_secs(86_400 * 365 * 30))
    }

    /// Polls the timer `key` (inserting it on the first poll) for `deadline`.
    /// Returns `Ready` once it has fired, freeing its entry and clearing `key`.
    pub(crate) fn poll(
        &self,
        key: &mut Option<TimerKey>,
        deadline: StdInstant,
        waker: &Waker,
    ) -> Poll<()> {
        let mut state = self.state.lock();
        if state.is_shutdown {
            if let Some(key) = key.take() {
                state.wheel.remove(key);
            }
            return Poll::Ready(());
        }
        if let Some(k) = *key {
            return match state.wheel.poll(k, waker) {
                TimerState::Fired => {
                    *key = None;
                    Poll::Ready(())
                }
                TimerState::Waiting => Poll::Pending,
            };
        }
        let when = self.deadline_tick(deadline);
        *key = Some(state.wheel.insert(when, Some(waker.clone())));
        let must_unpark = state.next_wake.is_some_and(|wake| when < wake);
        drop(state);
        if must_unpark {
            (self.unpark)();
        }
        Poll::Pending
    }

    /// Moves a registered timer to `deadline`; a timer not (or no longer) in the wheel
    /// is left for its next poll to insert.
    pub(crate) fn reset(&self, key: &mut Option<TimerKey>, deadline: StdInstant) {
        let Some(k) = *key else { return };
        let when = self.deadline_tick(deadline);
        let mut state = self.state.lock();
        if !state.wheel.reset(k, when) {
            *key = None;
            return;
        }
        let must_unpark = state.next_wake.is_some_and(|wake| when < wake);
        drop(state);
        if must_unpark {
            (self.unpark)();
        }
    }

    /// Removes a timer (its owner was dropped or no longer needs it).
    pub(crate) fn remove(&self, key: TimerKey) {
        let waker = self.state.lock().wheel.remove(key);
        // Dropped after the lock (rule 1): a waker's drop may run foreign code.
        drop(waker);
    }

    /// How long the driver may sleep before the next timer, and records that it will
    /// (rule 2). `None`: no timer, sleep until woken.
    pub(crate) fn park_timeout(&self, now: StdInstant) -> Option<Duration> {
        let mut state = self.state.lock();
        match state.wheel.next_expiration() {
            Some(tick) => {
                state.next_wake = Some(tick);
                Some(self.tick_instant(tick).saturating_duration_since(now))
            }
            None => {
                state.next_wake = Some(u64::MAX);
                None
            }
        }
    }

    /// When the next timer is due, if any (for a paused clock's auto-advance).
    pub(crate) fn next_deadline(&self) -> Option<StdInstant> {
        let tick = self.state.lock().wheel.next_expiration()?;
        Some(self.tick_instant(tick))
    }

    /// Fires every timer due at `now`, waking them outside the lock (rule 1). Returns
    /// how many fired.
    pub(crate) fn fire_due(&self, now: StdInstant) -> usize {
        let tick = self.now_tick(now);
        self.fire(|wheel| wheel.fire_next(tick), true)
    }

    /// Rule 4: marks the timers shut down and fires every one.
    pub(crate) fn shutdown(&self) {
        self.state.lock().is_shutdown = true;
        self.fire(Wheel::fire_any, false);
    }

    fn fire(
        &self,
        mut next: impl FnMut(&mut Wheel) -> Option<Option<Waker>>,
        clear_next_wake: bool,
    ) -> usize {
        let mut fired = 0;
        let mut batch = WakeBatch::new();
        loop {
            let mut done = false;
            {
                let mut state = self.state.lock();
                if clear_next_wake {
                    state.next_wake = None;
                }
                while batch.has_room() {
                    match next(&mut state.wheel) {
                        Some(waker) => {
                            fired += 1;
                            batch.push(waker);
                        }
                        None => {
                            done = true;
                            break;
                        }
                    }
                }
            }
            batch.wake_all();
            if done {
                return fired;
            }
        }
    }

    /// How many timers are registered (for metrics).
    pub(crate) fn len(&self) -> usize {
        self.state.lock().wheel.len()
    }
}
