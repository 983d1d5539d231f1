//! The side block: what a task carries only when it is used — its name, the message
//! of its last cancel request, its context variables, its done-callbacks, its busy
//! time in debug mode.
//!
//! Most tasks have none of these, so the header holds only a pointer, null until the
//! first use; one allocation then serves all of them.
//!
//! # Rules
//!
//! 1. The pointer is installed once, by a compare-and-swap from null; the loser of a
//!    race frees its block. It is never replaced and freed only with the task.
//! 2. The name is set before the task is shared (at spawn) and never changes; every
//!    other field is behind its own lock, held briefly and never across a call to user
//!    code — except two atomics: `cancel_behind_error`, which only the task's poller
//!    touches (polls are ordered by the state word), and the debug-mode `busy_nanos`.

use super::local::ContextMap;
use crate::loom::sync::atomic::{
    AtomicBool, AtomicPtr, AtomicU64, Ordering::AcqRel, Ordering::Acquire,
};
use crate::loom::Mutex;
use std::sync::Arc;

use super::done::DoneCallbacks;

/// The side block itself.
#[derive(Default)]
pub(crate) struct Side {
    pub(crate) name: Option<Arc<str>>,
    pub(crate) cancel_message: Mutex<Option<Arc<str>>>,
    pub(crate) context: Mutex<Option<ContextMap>>,
    pub(crate) done: Mutex<DoneCallbacks>,
    /// The waiting cancel request was re-armed behind a task group's error
    /// (`cancel/mod.rs`, rule 6); only the task's poller reads or writes it.
    pub(crate) cancel_behind_error: AtomicBool,
    /// Time spent in polls, in nanoseconds, counted in debug mode (`debug.rs`).
    pub(crate) busy_nanos: AtomicU64,
    /// The task's span, when a subscriber wanted it (`trace.rs`, rule 1).
    #[cfg(feature = "tracing")]
    pub(crate) span: Option<tracing::Span>,
}

/// The header's pointer to the side block (rule 1).
pub(crate) struct SideSlot(AtomicPtr<Side>);

impl SideSlot {
    /// A slot holding `side`, or empty.
    pub(crate) fn new(side: Option<Box<Side>>) -> SideSlot {
        let ptr = side.map_or(std::ptr::null_mut(), Box::into_raw);
        SideSlot(AtomicPtr::new(ptr))
    }

    /// The side block, if there is one.
    pub(crate) fn get(&self) -> Option<&Side> {
        let ptr = self.0.load(Acquire);
        // SAFETY: a non-null pointer came from `Box::into_raw` and is freed only by
        // `Drop` (rule 1), which cannot run while `&self` is alive.
        unsafe { ptr.as_ref() }
    }

    /// The side block, allocating it on first use (rule 1).
    pub(crate) fn get_or_init(&self) -> &Side {
        if let Some(side) = self.get() {
            return side;
        }
        let fresh = Box::into_raw(Box::default());
        match self
            .0
            .compare_exchange(std::ptr::null_mut(), fresh, AcqRel, Acquire)
        {
            // SAFETY: we just installed `fresh`, a live allocation freed only by `Drop`.
            Ok(_) => unsafe { &*fresh },
            Err(winner) => {
                // SAFETY: `fresh` lost the race and was never shared; free it.
                drop(unsafe { Box::from_raw(fresh) });
                // SAFETY: as in `get`.
                unsafe { &*winner }
            }
        }
    }
}

impl Drop for SideSlot {
    fn drop(&mut self) {
        let ptr = self.0.swap(std::ptr::null_mut(), AcqRel);
        if !ptr.is_null() {
            // SAFETY: the pointer came from `Box::into_raw` and this is its one drop.
            drop(unsafe { Box::from_raw(ptr) });
        }
    }
}
