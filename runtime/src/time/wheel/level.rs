//! One level of the wheel: 64 slot lists and the bitmap of which are occupied.

use super::entries::List;

/// Slots per level, and the bits of a tick each level consumes.
const SLOT_BITS: u32 = 6;
pub(super) const SLOTS: usize = 1 << SLOT_BITS;
pub(super) const NUM_LEVELS: usize = 6;
/// Ticks the whole wheel spans: 64^6 ms, about 2.2 years.
const WHEEL_RANGE: u64 = 1 << (SLOT_BITS as usize * NUM_LEVELS);

pub(super) struct Level {
    index: usize,
    occupied: u64,
    slots: [List; SLOTS],
}

/// Ticks one slot of `level` spans.
fn slot_range(level: usize) -> u64 {
    1 << (SLOT_BITS as usize * level)
}

/// Ticks the whole of `level` spans.
fn level_range(level: usize) -> u64 {
    slot_range(level + 1)
}

/// The level a timer due at `when` belongs to, seen from `elapsed`: the highest 6-bit
/// group in which the two differ. Past the wheel's range it is the top level, whose
/// slots then act as a ring the timer goes round until it is due.
pub(super) fn level_for(elapsed: u64, when: u64) -> usize {
    const SLOT_MASK: u64 = (1 << SLOT_BITS) - 1;
    let mut masked = (elapsed ^ when) | SLOT_MASK;
    if masked >= WHEEL_RANGE {
        masked = WHEEL_RANGE - 1;
    }
    let significant = 63 - masked.leading_zeros() as usize;
    significant / SLOT_BITS as usize
}

impl Level {
    pub(super) fn new(index: usize) -> Level {
        Level {
            index,
            occupied: 0,
            slots: [List::EMPTY; SLOTS],
        }
    }

    pub(super) fn index(&self) -> usize {
        self.index
    }

    /// The slot a timer due at `when` occupies at this level.
    pub(super) fn slot_for(&self, when: u64) -> usize {
        ((when >> (SLOT_BITS as usize * self.index)) % SLOTS as u64) as usize
    }

    pub(super) fn slot_mut(&mut self, slot: usize) -> &mut List {
        &mut self.slots[slot]
    }

    pub(super) fn mark_occupied(&mut self, slot: usize) {
        self.occupied |= 1 << slot;
    }

    pub(super) fn clear_if_empty(&mut self, slot: usize) {
        if self.slots[slot].is_empty() {
            self.occupied &= !(1 << slot);
        }
    }

    /// Takes a whole slot's list, clearing its bit.
    pub(super) fn take_slot(&mut self, slot: usize) -> List {
        self.occupied &= !(1 << slot);
        std::mem::replace(&mut self.slots[slot], List::EMPTY)
    }

    /// The next occupied slot at or after `now`'s position, and the tick at which it
    /// begins.
    pub(super) fn next_expiration(&self, now: u64) -> Option<(usize, u64)> {
        if self.occupied == 0 {
            return None;
        }
        let now_slot = (now / slot_range(self.index)) % SLOTS as u64;
        let rotated = self.occupied.rotate_right(now_slot as u32);
        let slot = ((rotated.trailing_zeros() as u64 + now_slot) % SLOTS as u64) as usize;
        let level_start = now & !(level_range(self.index) - 1);
        let mut deadline = level_start + slot as u64 * slot_range(self.index);
        if deadline <= now && self.index > 0 {
            // A slot "behind" now on a higher level is one full turn ahead: only the
            // top level holds such timers (those beyond the wheel's range).
            deadline += level_range(self.index);
        }
        Some((slot, deadline))
    }
}
