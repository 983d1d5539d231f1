//! A slab whose keys carry a generation, so a key that outlives its entry can never
//! reach the entry that reuses its slot.
//!
//! # Rules
//!
//! 1. A slot's generation changes every time its entry is removed; a [`Key`] holds the
//!    generation the slot had when the entry was inserted.
//! 2. [`Slab::get`] and [`Slab::remove`] answer only a key whose index *and*
//!    generation match: a stale key finds nothing, never the slot's new occupant.
//! 3. Generations count modulo `generation_mask + 1`, so a key fits a caller's
//!    encoding (the reactor packs index and generation into one `mio::Token`). A stale
//!    key can alias a fresh one only after the slot was reused that many times.

/// Where an entry lives and which occupancy of that slot it was.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Key {
    index: usize,
    generation: usize,
}

impl Key {
    /// Rebuilds a key from its parts (the inverse of [`Key::index`] and
    /// [`Key::generation`]).
    pub(crate) fn from_parts(index: usize, generation: usize) -> Key {
        Key { index, generation }
    }

    /// The slot.
    pub(crate) fn index(self) -> usize {
        self.index
    }

    /// The slot's generation when the entry was inserted.
    pub(crate) fn generation(self) -> usize {
        self.generation
    }
}

#[derive(Debug)]
enum Slot<T> {
    Occupied(T),
    /// Free; links to the next free slot (`entries.len()` ends the list).
    Vacant(usize),
}

#[derive(Debug)]
struct Entry<T> {
    generation: usize,
    slot: Slot<T>,
}

/// A slab with generation-checked keys.
#[derive(Debug)]
pub(crate) struct Slab<T> {
    entries: Vec<Entry<T>>,
    /// Head of the free list; `entries.len()` when no slot is free.
    next_free: usize,
    len: usize,
    /// The most slots the slab will hold.
    max_slots: usize,
    generation_mask: usize,
}

impl<T> Slab<T> {
    /// An empty slab that grows to at most `max_slots` slots, with generations
    /// counted modulo `generation_mask + 1` (rule 3; the mask is all ones below some
    /// bit).
    pub(crate) const fn new(max_slots: usize, generation_mask: usize) -> Slab<T> {
        Slab {
            entries: Vec::new(),
            next_free: 0,
            len: 0,
            max_slots,
            generation_mask,
        }
    }

    /// The number of occupied slots.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Stores `value`; gives it back when the slab is full.
    pub(crate) fn insert(&mut self, value: T) -> Result<Key, T> {
        let index = self.next_free;
        if let Some(entry) = self.entries.get_mut(index) {
            let Slot::Vacant(next) = entry.slot else {
                unreachable!("the free list links only vacant slots");
            };
            self.next_free = next;
            entry.slot = Slot::Occupied(value);
            self.len += 1;
            return Ok(Key::from_parts(index, entry.generation));
        }
        if index >= self.max_slots {
            return Err(value);
        }
        self.entries.push(Entry {
            generation: 0,
            slot: Slot::Occupied(value),
        });
        self.next_free = self.entries.len();
        self.len += 1;
        Ok(Key::from_parts(index, 0))
    }

    /// The entry `key` names, if it is still there (rule 2).
    pub(crate) fn get(&self, key: Key) -> Option<&T> {
        match self.entries.get(key.index) {
            Some(Entry {
                generation,
                slot: Slot::Occupied(value),
            }) if *generation == key.generation => Some(value),
            _ => None,
        }
    }

    /// The entry `key` names, mutably, if it is still there (rule 2).
    pub(crate) fn get_mut(&mut self, key: Key) -> Option<&mut T> {
        match self.entries.get_mut(key.index) {
            Some(Entry {
                generation,
                slot: Slot::Occupied(value),
            }) if *generation == key.generation => Some(value),
            _ => None,
        }
    }

    /// Takes out the entry `key` names and retires the key (rules 1 and 2).
    pub(crate) fn remove(&mut self, key: Key) -> Option<T> {
        let entry = self.entries.get_mut(key.index)?;
        if entry.generation != key.generation || matches!(entry.slot, Slot::Vacant(_)) {
            return None;
        }
        let Slot::Occupied(value) =
            std::mem::replace(&mut entry.slot, Slot::Vacant(self.next_free))
        else {
            unreachable!("checked occupied above");
        };
        entry.generation = entry.generation.wrapping_add(1) & self.generation_mask;
        self.next_free = key.index;
        self.len -= 1;
        Some(value)
    }

    /// The first occupied slot at or after `from`, with its index.
    pub(crate) fn next_occupied_mut(&mut self, from: usize) -> Option<(usize, &mut T)> {
        self.entries
            .iter_mut()
            .enumerate()
            .skip(from)
            .find_map(|(index, entry)| match &mut entry.slot {
                Slot::Occupied(value) => Some((index, value)),
                Slot::Vacant(_) => None,
            })
    }

    /// Removes every entry, retiring all their keys.
    pub(crate) fn drain(&mut self) -> Vec<T> {
        let mut taken = Vec::with_capacity(self.len);
        for (index, entry) in self.entries.iter_mut().enumerate() {
            if matches!(entry.slot, Slot::Occupied(_)) {
                if let Slot::Occupied(value) =
                    std::mem::replace(&mut entry.slot, Slot::Vacant(self.next_free))
                {
                    taken.push(value);
                }
                entry.generation = entry.generation.wrapping_add(1) & self.generation_mask;
                self.next_free = index;
            }
        }
        self.len = 0;
        taken
    }
}

#[cfg(all(test, not(weft_loom)))]
mod tests {
    use super::*;

    #[test]
    fn a_removed_key_finds_nothing_after_its_slot_is_reused() {
        let mut slab = Slab::new(usize::MAX, usize::MAX);
        let old = slab.insert("old").unwrap();
        assert_eq!(slab.remove(old), Some("old"));
        let new = slab.insert("new").unwrap();
        assert_eq!(new.index(), old.index());
        assert_eq!(slab.get(old), None);
        assert_eq!(slab.remove(old), None);
        assert_eq!(slab.get(new), Some(&"new"));
    }

    #[test]
    fn insert_gives_the_value_back_when_full() {
        let mut slab = Slab::new(1, usize::MAX);
        slab.insert(1).unwrap();
        assert_eq!(slab.insert(2), Err(2));
    }

    #[test]
    fn generations_wrap_inside_the_mask() {
        let mut slab = Slab::new(usize::MAX, 1);
        let first = slab.insert(0).unwrap();
        slab.remove(first);
        let second = slab.insert(0).unwrap();
        slab.remove(second);
        let third = slab.insert(0).unwrap();
        assert_eq!(first.generation(), 0);
        assert_eq!(second.generation(), 1);
        assert_eq!(third.generation(), 0);
    }

    #[test]
    fn drain_empties_the_slab_and_retires_every_key() {
        let mut slab = Slab::new(usize::MAX, usize::MAX);
        let keys: Vec<_> = (0..4).map(|n| slab.insert(n).unwrap()).collect();
        slab.remove(keys[1]);
        let mut taken = slab.drain();
        taken.sort_unstable();
        assert_eq!(taken, vec![0, 2, 3]);
        assert_eq!(slab.len(), 0);
        assert!(keys.iter().all(|key| slab.get(*key).is_none()));
        let reused: Vec<_> = (0..4).map(|n| slab.insert(n).unwrap()).collect();
        assert_eq!(slab.len(), 4);
        assert!(reused.iter().all(|key| !keys.contains(key)));
    }

    #[test]
    fn next_occupied_skips_vacant_slots() {
        let mut slab = Slab::new(usize::MAX, usize::MAX);
        let a = slab.insert('a').unwrap();
        slab.insert('b').unwrap();
        slab.remove(a);
        assert_eq!(
            slab.next_occupied_mut(0).map(|(i, v)| (i, *v)),
            Some((1, 'b'))
        );
        assert!(slab.next_occupied_mut(2).is_none());
    }
}
