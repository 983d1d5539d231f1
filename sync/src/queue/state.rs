//! The state behind a queue's mutex, and every transition of it.
//!
//! # Invariants (hold whenever the lock is free)
//!
//! 1. Getters wait only while no item is stored: an item put while a getter is
//!    queued goes straight into that getter's node (`Get::Item`), the first
//!    getter first.
//! 2. `qsize = items.len() + in_flight`, where `in_flight` counts items handed to
//!    getters that have not yet run. A handed item still occupies its slot, so
//!    the bound holds even if the getter is cancelled and the item comes back.
//! 3. A slot is free when `qsize + reserved < maxsize` (or the queue is
//!    unbounded). Putters wait only while no slot is free; a slot that frees up
//!    while putters are queued is assigned to the first of them (`Put::Slot`,
//!    `reserved += 1`), and it pushes its item when it runs.
//! 4. Cancellation gives back what was handed: a getter's item goes to the next
//!    getter, or back into the store (`Order::restore`); a putter's slot goes to
//!    the next putter, or becomes free. A cancelled put never puts.
//! 5. `unfinished` counts items put and not yet `task_done`; when it reaches 0,
//!    every queued `join` is released.
//! 6. After `shutdown`, puts fail (queued putters are woken to fail, and a
//!    putter that was assigned a slot fails when it runs). Gets drain the store,
//!    then fail; `shutdown(true)` first discards the store (counting each item
//!    done), and so do items returned by cancelled getters afterwards.
//!
//! Items and wakers are never dropped or woken under the lock: discarded items
//! are moved out and dropped after it, wakers go through a [`WakeBatch`].
//!
//! ```text
//!  putter: [waiting] ──slot freed──> [Slot] ──runs──> item stored / handed to a getter
//!                │ drop                  │ drop: slot to the next putter
//!  getter: [waiting] ──item put──> [Item(t)] ──runs──> Ok(t)
//!                │ drop                  │ drop: t to the next getter, or restored
//! ```

use crate::queue::order::Order;
use crate::wait_list::WaitList;
use weft_core::WakeBatch;

/// What a queued getter is handed.
pub(crate) enum Get<T> {
    Waiting,
    Item(T),
    ShutDown,
}

/// What a queued putter is handed.
pub(crate) enum Put {
    Waiting,
    Slot,
    ShutDown,
}

/// Whether, and how, the queue was shut down.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shutdown {
    Open,
    /// `shutdown(false)`: gets drain what is stored.
    Draining,
    /// `shutdown(true)`: stored items are discarded.
    Discarding,
}

pub(crate) struct State<T, O> {
    pub(crate) maxsize: usize,
    pub(crate) items: O,
    pub(crate) in_flight: usize,
    pub(crate) reserved: usize,
    pub(crate) unfinished: usize,
    pub(crate) shutdown: Shutdown,
    pub(crate) getters: WaitList<Get<T>>,
    pub(crate) putters: WaitList<Put>,
    pub(crate) joiners: WaitList<()>,
}

impl<T, O: Order<T>> State<T, O> {
    pub(crate) fn new(maxsize: usize) -> Self {
        State {
            maxsize,
            items: O::default(),
            in_flight: 0,
            reserved: 0,
            unfinished: 0,
            shutdown: Shutdown::Open,
            getters: WaitList::new(),
            putters: WaitList::new(),
            joiners: WaitList::new(),
        }
    }

    pub(crate) fn qsize(&self) -> usize {
        self.items.len() + self.in_flight
    }

    /// Whether a put now would have to wait (invariant 3).
    pub(crate) fn is_full(&self) -> bool {
        self.maxsize != 0 && self.qsize() + self.reserved >= self.maxsize
    }

    /// Whether a newcomer may put without queueing: a slot is free and no
    /// putter is ahead of it.
    pub(crate) fn can_put_now(&self) -> bool {
        !self.is_full() && self.putters.is_empty()
    }

    /// Stores a new item (or hands it to the first getter) and counts it
    /// unfinished. The caller owns a free slot.
    pub(crate) fn put(&mut self, item: T, wake: &mut WakeBatch) {
        self.unfinished += 1;
        self.deliver(item, wake);
    }

    /// Hands `item` to the first queued getter, or stores it (invariant 1).
    fn deliver(&mut self, item: T, wake: &mut WakeBatch) {
        match self.getters.pop_front() {
            Some(mut getter) => {
                *getter.state() = Get::Item(item);
                wake.push(getter.take_waker());
                self.in_flight += 1;
            }
            None => self.items.push(item),
        }
    }

    /// Takes the next stored item, if any, and passes the freed slot on.
    pub(crate) fn take(&mut self, wake: &mut WakeBatch) -> Option<T> {
        let item = self.items.pop()?;
        self.assign_free_slot(wake);
        Some(item)
    }

    /// A getter ran and took the item it was handed: its slot frees up.
    pub(crate) fn took_handed(&mut self, wake: &mut WakeBatch) {
        self.in_flight -= 1;
        self.assign_free_slot(wake);
    }

    /// A getter was dropped holding `item` (invariant 4). Returns the item if
    /// the queue discards it, for the caller to drop after unlocking.
    pub(crate) fn return_handed(&mut self, item: T, wake: &mut WakeBatch) -> Option<T> {
        self.in_flight -= 1;
        if self.shutdown == Shutdown::Discarding {
            self.unfinished = self.unfinished.saturating_sub(1);
            return Some(item);
        }
        match self.getters.pop_front() {
            Some(mut getter) => {
                *getter.state() = Get::Item(item);
                wake.push(getter.take_waker());
                self.in_flight += 1;
            }
            None => self.items.restore(item),
        }
        None
    }

    /// A putter that was assigned a slot gave it up without putting.
    pub(crate) fn return_slot(&mut self, wake: &mut WakeBatch) {
        self.reserved -= 1;
        self.assign_free_slot(wake);
    }

    /// If a slot is free and a putter waits, assigns the slot to it (invariant 3).
    fn assign_free_slot(&mut self, wake: &mut WakeBatch) {
        if self.is_full() || self.shutdown != Shutdown::Open {
            return;
        }
        if let Some(mut putter) = self.putters.pop_front() {
            *putter.state() = Put::Slot;
            wake.push(putter.take_waker());
            self.reserved += 1;
        }
    }

    /// Whether queued `join`s are to be released (invariant 5).
    pub(crate) fn joiners_due(&self) -> bool {
        self.unfinished == 0 && !self.joiners.is_empty()
    }

    /// Marks the queue shut down; with `immediate`, moves the stored items out
    /// (counted done) for the caller to drop after unlocking.
    pub(crate) fn shut_down(&mut self, immediate: bool) -> O {
        if immediate {
            self.shutdown = Shutdown::Discarding;
            let discarded = std::mem::take(&mut self.items);
            self.unfinished = self.unfinished.saturating_sub(discarded.len());
            discarded
        } else {
            if self.shutdown == Shutdown::Open {
                self.shutdown = Shutdown::Draining;
            }
            O::default()
        }
    }
}
