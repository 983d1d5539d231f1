//! `LifoSlot`: the task a worker runs next, which the monitor may take from it.
//!
//! ```text
//!            owner: put (store if empty, swap if full)
//!   empty  ─────────────────────────────────────────▶  full(task)
//!          ◀─────────────────────────────────────────
//!            owner: take (swap)      monitor: steal (swap)
//! ```
//!
//! # Rules
//!
//! 1. Only the owning worker fills the slot; anyone may empty it. So an owner that
//!    sees the slot empty may fill it with a plain store: nobody else can fill it in
//!    between, and an emptying swap has nothing to race with.
//! 2. Every emptying is a swap, so of an owner's `take` and a monitor's `steal` that
//!    race, exactly one gets the task; the other sees the slot empty. A task is run
//!    once, never lost, never run twice (loom: `loom-tests/tests/scheduler_monitor.rs`).
//! 3. The store and the swaps are Release/Acquire: whoever empties the slot sees the
//!    task as the filler left it.
//!
//! The owner pays one swap per task that goes through the slot; a plain `Cell` cost
//! nothing, and the difference is within the scheduler benches' noise
//! (docs/performance.md, "The monitor").

use crate::loom::sync::atomic::{
    AtomicPtr, Ordering::AcqRel, Ordering::Acquire, Ordering::Release,
};
use std::marker::PhantomData;
use std::ptr::{self, NonNull};

/// A value that can live in a slot as one pointer: an owned reference given up and
/// taken back.
pub(crate) trait SlotValue: Send {
    /// The pointee, for `AtomicPtr`.
    type Target;

    /// Gives the value up as a pointer.
    fn into_ptr(self) -> NonNull<Self::Target>;

    /// # Safety
    ///
    /// `ptr` came from `into_ptr` and was not turned back into a value since.
    unsafe fn from_ptr(ptr: NonNull<Self::Target>) -> Self;
}

/// One slot, filled by its owner, emptied by the owner or a monitor.
pub(crate) struct LifoSlot<T: SlotValue> {
    task: AtomicPtr<T::Target>,
    _owns: PhantomData<T>,
}

// SAFETY: the slot holds a `T` (which is `Send`) and hands it to exactly one thread
// (rule 2); every access goes through the atomic.
unsafe impl<T: SlotValue> Sync for LifoSlot<T> {}

impl<T: SlotValue> LifoSlot<T> {
    pub(crate) fn new() -> LifoSlot<T> {
        LifoSlot {
            task: AtomicPtr::new(ptr::null_mut()),
            _owns: PhantomData,
        }
    }

    /// Fills the slot, returning what was in it. Only the owning worker calls this
    /// (rule 1).
    pub(crate) fn put(&self, task: T) -> Option<T> {
        let new = task.into_ptr().as_ptr();
        if self.task.load(Acquire).is_null() {
            // Rule 1: empty stays empty until this thread fills it.
            self.task.store(new, Release);
            return None;
        }
        // SAFETY: a non-null pointer in the slot came from `into_ptr`, and the swap
        // makes this thread its only taker (rule 2).
        NonNull::new(self.task.swap(new, AcqRel)).map(|old| unsafe { T::from_ptr(old) })
    }

    /// Empties the slot: the owner's next task, or the monitor's steal (rule 2).
    pub(crate) fn take(&self) -> Option<T> {
        if self.task.load(Acquire).is_null() {
            return None;
        }
        // SAFETY: as in `put`: the swap hands the pointer to this thread alone.
        NonNull::new(self.task.swap(ptr::null_mut(), AcqRel)).map(|old| unsafe { T::from_ptr(old) })
    }

    /// `true` if the slot holds a task (a racy look, for deciding whether to look
    /// again).
    pub(crate) fn is_full(&self) -> bool {
        !self.task.load(Acquire).is_null()
    }
}

impl<T: SlotValue> Drop for LifoSlot<T> {
    fn drop(&mut self) {
        drop(self.take());
    }
}

impl<S: 'static> SlotValue for crate::task::Notified<S> {
    type Target = crate::task::Header;

    fn into_ptr(self) -> NonNull<crate::task::Header> {
        self.into_raw().header_ptr()
    }

    unsafe fn from_ptr(ptr: NonNull<crate::task::Header>) -> Self {
        // SAFETY: the caller's promise: `ptr` is the header of the task whose
        // notified reference `into_ptr` gave up.
        unsafe { crate::task::Notified::from_raw(crate::task::RawTask::from_raw(ptr)) }
    }
}

impl<T: Send> SlotValue for Box<T> {
    type Target = T;

    fn into_ptr(self) -> NonNull<T> {
        NonNull::from(Box::leak(self))
    }

    unsafe fn from_ptr(ptr: NonNull<T>) -> Box<T> {
        // SAFETY: the caller's promise: `ptr` came from `Box::leak` in `into_ptr`.
        unsafe { Box::from_raw(ptr.as_ptr()) }
    }
}
