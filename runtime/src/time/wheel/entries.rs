//! The wheel's entries: a slab of timers linked into lists by index.
//!
//! Every timer the wheel knows is one `Entry` in a `Vec`, addressed by a [`TimerKey`]
//! (index + generation). Entries are linked into doubly-linked [`List`]s through
//! `prev`/`next` indices, so unlinking is O(1) and no timer needs an allocation of its
//! own.
//!
//! # Rules
//!
//! 1. A key names an entry only while the entry's generation equals the key's; freeing
//!    an entry bumps its generation, so a stale key finds nothing (and never another
//!    timer that reuses the slot).
//! 2. An entry is in at most one list at a time, recorded in its `place`; `Fired`
//!    entries are in no list and wait for their owner to see them.
//! 3. Free entries form a singly-linked free list through `next`.

use std::task::Waker;

/// No entry: the end of a list.
pub(super) const NIL: u32 = u32::MAX;

/// Names one timer in the wheel (rule 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TimerKey {
    index: u32,
    generation: u32,
}

/// Where an entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Place {
    /// On the free list.
    Free,
    /// In slot `slot` of level `level`.
    Slot { level: u8, slot: u8 },
    /// Expired and queued to fire.
    Pending,
    /// Fired: its waker was taken; the owner has not looked yet.
    Fired,
}

pub(super) struct Entry {
    /// The tick at which it fires.
    pub(super) when: u64,
    pub(super) prev: u32,
    pub(super) next: u32,
    pub(super) place: Place,
    generation: u32,
    pub(super) waker: Option<Waker>,
}

/// A doubly-linked list of entries, by index.
#[derive(Clone, Copy, Debug)]
pub(super) struct List {
    head: u32,
    tail: u32,
}

impl List {
    pub(super) const EMPTY: List = List {
        head: NIL,
        tail: NIL,
    };

    pub(super) fn is_empty(&self) -> bool {
        self.head == NIL
    }
}

/// The slab of entries.
pub(super) struct Entries {
    slab: Vec<Entry>,
    free_head: u32,
    len: usize,
}

impl Entries {
    pub(super) fn new() -> Entries {
        Entries {
            slab: Vec::new(),
            free_head: NIL,
            len: 0,
        }
    }

    /// Live (not free) entries.
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// Allocates an entry in no list (its place is set by the caller's link).
    pub(super) fn alloc(&mut self, when: u64, waker: Option<Waker>) -> (TimerKey, u32) {
        self.len += 1;
        if self.free_head != NIL {
            let index = self.free_head;
            let entry = &mut self.slab[index as usize];
            self.free_head = entry.next;
            entry.when = when;
            entry.prev = NIL;
            entry.next = NIL;
            entry.waker = waker;
            let key = TimerKey {
                index,
                generation: entry.generation,
            };
            return (key, index);
        }
        let index = u32::try_from(self.slab.len())
            .ok()
            .filter(|&i| i != NIL)
            .unwrap_or_else(|| too_many_timers());
        self.slab.push(Entry {
            when,
            prev: NIL,
            next: NIL,
            place: Place::Fired,
            generation: 0,
            waker,
        });
        (
            TimerKey {
                index,
                generation: 0,
            },
            index,
        )
    }

    /// The index `key` names, if it is still live (rule 1).
    pub(super) fn resolve(&self, key: TimerKey) -> Option<u32> {
        let entry = self.slab.get(key.index as usize)?;
        (entry.generation == key.generation && entry.place != Place::Free).then_some(key.index)
    }

    /// Frees an entry that is in no list; returns its waker.
    pub(super) fn free(&mut self, index: u32) -> Option<Waker> {
        let free_head = self.free_head;
        let entry = &mut self.slab[index as usize];
        debug_assert!(!matches!(
            entry.place,
            Place::Slot { .. } | Place::Pending | Place::Free
        ));
        entry.place = Place::Free;
        entry.generation = entry.generation.wrapping_add(1);
        entry.next = free_head;
        self.free_head = index;
        self.len -= 1;
        entry.waker.take()
    }

    pub(super) fn get(&self, index: u32) -> &Entry {
        &self.slab[index as usize]
    }

    pub(super) fn get_mut(&mut self, index: u32) -> &mut Entry {
        &mut self.slab[index as usize]
    }

    /// Links `index` at the front of `list`, recording `place` (rule 2).
    pub(super) fn push_front(&mut self, list: &mut List, index: u32, place: Place) {
        let old_head = list.head;
        {
            let entry = &mut self.slab[index as usize];
            entry.prev = NIL;
            entry.next = old_head;
            entry.place = place;
        }
        if old_head == NIL {
            list.tail = index;
        } else {
            self.slab[old_head as usize].prev = index;
        }
        list.head = index;
    }

    /// Unlinks `index` from `list` (the list its `place` names); it is then in no list.
    pub(super) fn unlink(&mut self, list: &mut List, index: u32) {
        let (prev, next) = {
            let entry = &mut self.slab[index as usize];
            let links = (entry.prev, entry.next);
            entry.prev = NIL;
            entry.next = NIL;
            entry.place = Place::Fired;
            links
        };
        if prev == NIL {
            list.head = next;
        } else {
            self.slab[prev as usize].next = next;
        }
        if next == NIL {
            list.tail = prev;
        } else {
            self.slab[next as usize].prev = prev;
        }
    }

    /// Takes the oldest entry (the first linked) off `list`.
    pub(super) fn pop_back(&mut self, list: &mut List) -> Option<u32> {
        let index = list.tail;
        if index == NIL {
            return None;
        }
        self.unlink(list, index);
        Some(index)
    }
}

#[cold]
fn too_many_timers() -> ! {
    // 4 billion timers at once: the process has run out of memory long before.
    panic!("weft: more than u32::MAX - 1 timers are pending at once")
}
