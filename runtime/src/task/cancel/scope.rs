//! Scopes: targets for cancellation requests narrower than a whole task.
//!
//! A [`Timeout`](crate::time::Timeout) and a [`TaskGroup`](crate::TaskGroup)'s body
//! each own a `ScopeSlot`, and poll their inner future [`within`] it: for that poll the
//! slot is on the thread's *scope chain*. A region polled inside registers with every
//! scope on the chain (mod.rs, rule 2), so a request aimed at the scope reaches the
//! regions inside it and no others.
//!
//! # Rules
//!
//! 1. A chain frame lives on the stack of the `within` call that pushed it and is
//!    popped (by a guard, unwinding included) before that call returns: every frame on
//!    the chain is alive.
//! 2. The scope itself is allocated on first use, by the first region that registers;
//!    a scope no region ever entered costs nothing.
//! 3. A frame may carry the instant its owner — a running timeout — expires. A
//!    timeout that expires while an enclosing one has expired too leaves the report to
//!    the outermost ([`enclosing_expired`]; asyncio's "the top-most affected timeout
//!    converts", `test_nested_timeouts`).

use crate::loom::sync::atomic::{
    AtomicBool, AtomicU32, Ordering::AcqRel, Ordering::Acquire, Ordering::Release,
};
use crate::loom::Mutex;
use crate::task::context;
use std::sync::Arc;
use std::time::Instant;

/// A scope's request flag and the count of regions inside it.
#[derive(Default)]
pub(crate) struct Scope {
    requested: AtomicBool,
    /// The waiting request was re-armed behind an error (mod.rs, rule 6).
    behind_error: AtomicBool,
    regions: AtomicU32,
}

impl Scope {
    /// Records a request; a region inside takes it at its next poll.
    pub(crate) fn request(&self) {
        self.requested.store(true, Release);
    }

    /// Records a request behind an error (mod.rs, rule 6).
    pub(crate) fn request_behind_error(&self) {
        self.behind_error.store(true, Release);
        self.requested.store(true, Release);
    }

    /// Takes a waiting request (mod.rs, rule 3), and its "behind an error" mark.
    pub(crate) fn take_request(&self) -> bool {
        let taken = self.requested.swap(false, AcqRel);
        if taken {
            self.behind_error.store(false, Release);
        }
        taken
    }

    /// A request waits.
    pub(crate) fn is_requested(&self) -> bool {
        self.requested.load(Acquire)
    }

    /// The waiting request was re-armed behind an error: an owner that sees its future
    /// finish lets the value through (mod.rs, rule 6).
    pub(crate) fn is_behind_error(&self) -> bool {
        self.behind_error.load(Acquire)
    }

    pub(crate) fn has_regions(&self) -> bool {
        self.regions.load(Acquire) > 0
    }

    pub(crate) fn enter_region(&self) {
        self.regions.fetch_add(1, AcqRel);
    }

    pub(crate) fn exit_region(&self) {
        self.regions.fetch_sub(1, AcqRel);
    }
}

/// Where a scope owner keeps its scope (rule 2).
#[derive(Default)]
pub(crate) struct ScopeSlot {
    scope: Mutex<Option<Arc<Scope>>>,
}

impl ScopeSlot {
    pub(crate) fn new() -> ScopeSlot {
        ScopeSlot::default()
    }

    /// The scope, if a region has entered it.
    pub(crate) fn get(&self) -> Option<Arc<Scope>> {
        self.scope.lock().clone()
    }

    fn get_or_init(&self) -> Arc<Scope> {
        self.scope.lock().get_or_insert_with(Arc::default).clone()
    }

    /// A request on the scope, if any region is inside it to take it. Returns `false`
    /// when none is: the owner then drops its inner future itself.
    pub(crate) fn request_if_regions(&self) -> bool {
        match self.get() {
            Some(scope) if scope.has_regions() => {
                scope.request();
                true
            }
            _ => false,
        }
    }
}

/// One link of the thread's scope chain (rule 1).
pub(crate) struct ScopeFrame {
    slot: *const ScopeSlot,
    /// When the owner expires, if it is a running timeout (rule 3).
    expires: Option<Instant>,
    parent: *const ScopeFrame,
}

/// Runs `f` with `slot` pushed on this thread's scope chain; `expires` is the instant
/// its owner cancels it, for a running timeout (rule 3).
pub(crate) fn within<R>(slot: &ScopeSlot, expires: Option<Instant>, f: impl FnOnce() -> R) -> R {
    let frame = ScopeFrame {
        slot,
        expires,
        parent: context::scope_chain(),
    };
    let _pop = context::push_scope_frame(&frame);
    f()
}

/// Rule 3: a running timeout on this thread's chain has expired by `now`.
pub(crate) fn enclosing_expired(now: Instant) -> bool {
    let mut frame = context::scope_chain();
    while !frame.is_null() {
        // SAFETY: every frame on the chain is alive (rule 1).
        let (expires, parent) = unsafe { ((*frame).expires, (*frame).parent) };
        if expires.is_some_and(|at| at <= now) {
            return true;
        }
        frame = parent;
    }
    false
}

/// The scopes on this thread's chain, innermost first, allocating each on first use.
pub(crate) fn chain_scopes() -> Vec<Arc<Scope>> {
    let mut scopes = Vec::new();
    let mut frame = context::scope_chain();
    while !frame.is_null() {
        // SAFETY: every frame on the chain is alive (rule 1), and so is the slot it
        // points to: the `within` call that pushed the frame borrows it.
        let (slot, parent) = unsafe { (&*(*frame).slot, (*frame).parent) };
        scopes.push(slot.get_or_init());
        frame = parent;
    }
    scopes
}
