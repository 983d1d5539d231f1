//! A hierarchical timer wheel: 6 levels of 64 slots, 1 ms per level-0 slot.
//!
//! ```text
//!  level 5 | 64 slots × 64^5 ms  (~12.7 days each; the level spans ~2.2 years)
//!  level 4 | 64 slots × 64^4 ms  (~4.7 hours each)
//!  ...
//!  level 0 | 64 slots × 1 ms
//!            occupied: u64, one bit per non-empty slot
//! ```
//!
//! A timer due at tick `when` goes to the level of the highest 6-bit group in which
//! `when` and the wheel's `elapsed` tick differ, in the slot that group names. As time
//! passes, a higher-level slot's timers are re-sorted into lower levels (a *cascade*),
//! and a level-0 slot's timers move to the `pending` list, from which they fire.
//!
//! # Rules
//!
//! 1. **Never early.** A timer fires only once `elapsed >= when`; a timer found in a
//!    slot before its time (one past the top level's range, which wraps around the top
//!    level) is put back at the level its distance now calls for.
//! 2. **O(1).** Insert, remove and reset touch one slot list and one bitmap bit; finding
//!    the next expiration scans at most six bitmaps.
//! 3. **Occupancy is exact.** A slot's bit is set iff its list is non-empty.
//! 4. **One owner.** The wheel has no lock of its own; `Timers` (one level up) holds it
//!    in a mutex and never wakes a waker while holding that mutex.

mod entries;
mod level;

pub(crate) use entries::TimerKey;

use entries::{Entries, List, Place};
use level::{level_for, Level, NUM_LEVELS};
use std::task::Waker;

/// The earliest slot boundary the wheel must be turned at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Expiration {
    level: usize,
    slot: usize,
    deadline: u64,
}

pub(crate) struct Wheel {
    /// Every tick up to this one has been processed.
    elapsed: u64,
    levels: [Level; NUM_LEVELS],
    /// Expired timers, oldest at the back, waiting to fire.
    pending: List,
    entries: Entries,
}

/// The outcome of polling a timer.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum TimerState {
    /// It fired; its entry is gone and its key dead.
    Fired,
    /// Not yet; the waker is stored.
    Waiting,
}

impl Wheel {
    pub(crate) fn new() -> Wheel {
        Wheel {
            elapsed: 0,
            levels: std::array::from_fn(Level::new),
            pending: List::EMPTY,
            entries: Entries::new(),
        }
    }

    /// The tick every timer up to which has been processed.
    #[cfg(test)]
    pub(crate) fn elapsed(&self) -> u64 {
        self.elapsed
    }

    /// How many timers are in the wheel, fired-but-unobserved ones included.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Adds a timer due at tick `when`. A timer already due goes straight to `pending`.
    pub(crate) fn insert(&mut self, when: u64, waker: Option<Waker>) -> TimerKey {
        let (key, index) = self.entries.alloc(when, waker);
        self.link(index, when);
        key
    }

    /// Removes a timer, returning its waker if it had one. A dead key is a no-op.
    pub(crate) fn remove(&mut self, key: TimerKey) -> Option<Waker> {
        let index = self.entries.resolve(key)?;
        self.unlink(index);
        self.entries.free(index)
    }

    /// Moves a live timer to a new tick (earlier, later, or already due). Returns
    /// `false` if the key is dead (the caller inserts anew).
    pub(crate) fn reset(&mut self, key: TimerKey, when: u64) -> bool {
        let Some(index) = self.entries.resolve(key) else {
            return false;
        };
        self.unlink(index);
        self.entries.get_mut(index).when = when;
        self.link(index, when);
        true
    }

    /// Looks at a timer: if it fired, frees it; otherwise stores `waker` (cloned only if
    /// it would wake another task than the stored one).
    pub(crate) fn poll(&mut self, key: TimerKey, waker: &Waker) -> TimerState {
        let Some(index) = self.entries.resolve(key) else {
            return TimerState::Fired;
        };
        let entry = self.entries.get_mut(index);
        if entry.place == Place::Fired {
            self.entries.free(index);
            return TimerState::Fired;
        }
        match &entry.waker {
            Some(stored) if stored.will_wake(waker) => {}
            _ => entry.waker = Some(waker.clone()),
        }
        TimerState::Waiting
    }

    /// The tick at which the wheel next has work: `elapsed` when timers are pending,
    /// the next occupied slot's boundary otherwise, `None` when it is empty.
    pub(crate) fn next_expiration(&self) -> Option<u64> {
        if !self.pending.is_empty() {
            return Some(self.elapsed);
        }
        self.next_slot().map(|e| e.deadline)
    }

    /// Advances to `now`, and fires the next due timer: takes its waker (if any) and
    /// marks it fired. Returns `None` once nothing up to `now` is left to fire. Call
    /// it in a loop, releasing the lock between batches to wake what it returned.
    pub(crate) fn fire_next(&mut self, now: u64) -> Option<Option<Waker>> {
        loop {
            if let Some(index) = self.entries.pop_back(&mut self.pending) {
                return Some(self.entries.get_mut(index).waker.take());
            }
            match self.next_slot() {
                Some(expiration) if expiration.deadline <= now => self.cascade(expiration),
                _ => {
                    self.elapsed = self.elapsed.max(now);
                    return None;
                }
            }
        }
    }

    /// Fires the next timer regardless of its time (shutdown: the clock has stopped).
    pub(crate) fn fire_any(&mut self) -> Option<Option<Waker>> {
        self.fire_next(u64::MAX)
    }

    fn next_slot(&self) -> Option<Expiration> {
        self.levels.iter().find_map(|level| {
            level
                .next_expiration(self.elapsed)
                .map(|(slot, deadline)| Expiration {
                    level: level.index(),
                    slot,
                    deadline,
                })
        })
    }

    /// Empties one slot whose boundary has come: due timers go to `pending`, the others
    /// down to the level their remaining distance calls for (rules 1 and 2).
    fn cascade(&mut self, expiration: Expiration) {
        let mut list = self.levels[expiration.level].take_slot(expiration.slot);
        self.elapsed = self.elapsed.max(expiration.deadline);
        while let Some(index) = self.entries.pop_back(&mut list) {
            let when = self.entries.get(index).when;
            self.link(index, when);
        }
    }

    fn link(&mut self, index: u32, when: u64) {
        if when <= self.elapsed {
            self.entries
                .push_front(&mut self.pending, index, Place::Pending);
            return;
        }
        let level = level_for(self.elapsed, when);
        let slot = self.levels[level].slot_for(when);
        let list = self.levels[level].slot_mut(slot);
        self.entries.push_front(
            list,
            index,
            Place::Slot {
                level: level as u8,
                slot: slot as u8,
            },
        );
        self.levels[level].mark_occupied(slot);
    }

    fn unlink(&mut self, index: u32) {
        match self.entries.get(index).place {
            Place::Slot { level, slot } => {
                let level = &mut self.levels[level as usize];
                self.entries.unlink(level.slot_mut(slot as usize), index);
                level.clear_if_empty(slot as usize);
            }
            Place::Pending => self.entries.unlink(&mut self.pending, index),
            Place::Fired | Place::Free => {}
        }
    }
}

#[cfg(all(test, not(weft_loom)))]
mod tests;
