//! Which runtime's timers are current on this thread: what `sleep`, `timeout`,
//! `Instant::now` and `advance` use.
//!
//! # Rules
//!
//! 1. Set by entering a runtime's driver (`driver::Handle::enter`, which entering a
//!    runtime handle does) and restored by the guard that set it; guards nest.
//! 2. Read without cloning on the paths every sleep and `Instant::now` take.

use super::Timers;
use crate::loom::Arc;
use std::cell::RefCell;

#[cfg(not(weft_loom))]
thread_local! {
    static CURRENT: RefCell<Option<Arc<Timers>>> = const { RefCell::new(None) };
}

#[cfg(weft_loom)]
loom::thread_local! {
    static CURRENT: RefCell<Option<Arc<Timers>>> = RefCell::new(None);
}

/// Makes `timers` current until the guard drops (rule 1).
pub(crate) fn enter(timers: &Arc<Timers>) -> TimersGuard {
    let prev = CURRENT.with(|c| c.replace(Some(timers.clone())));
    TimersGuard { prev }
}

/// Restores the previously current timers on drop.
#[must_use = "the timers are current only until the guard drops"]
pub(crate) struct TimersGuard {
    prev: Option<Arc<Timers>>,
}

impl Drop for TimersGuard {
    fn drop(&mut self) {
        let prev = self.prev.take();
        let _ = CURRENT.try_with(|c| *c.borrow_mut() = prev);
    }
}

/// Runs `f` with the current timers, if any (rule 2).
pub(crate) fn with_current<R>(f: impl FnOnce(Option<&Arc<Timers>>) -> R) -> R {
    let mut f = Some(f);
    match CURRENT.try_with(|c| (f.take().expect("called once"))(c.borrow().as_ref())) {
        Ok(r) => r,
        // The thread is tearing down its thread-locals: act as outside a runtime.
        Err(_) => (f.take().expect("not called yet"))(None),
    }
}
