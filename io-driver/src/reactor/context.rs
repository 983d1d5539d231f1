//! The thread's current reactor: how sockets find the reactor that will drive them.
//!
//! # Rules
//!
//! 1. Each thread has at most one current reactor, set by [`ReactorHandle::enter`]
//!    and read by `ReactorHandle::try_current` (crate-private) when a socket is created.
//! 2. Entering nests: an [`EnterGuard`] remembers the reactor it replaced and puts it
//!    back when dropped. Guards are dropped in the reverse order of their creation
//!    (they are `!Send`, so they cannot leave the thread that made them).

use super::handle::ReactorHandle;
use crate::loom::RefCell;
use std::marker::PhantomData;

#[cfg(not(weft_loom))]
thread_local! {
    static CURRENT: RefCell<Option<ReactorHandle>> = const { RefCell::new(None) };
}

// Each loom thread its own: a model's threads share one OS thread.
#[cfg(weft_loom)]
loom::thread_local! {
    static CURRENT: RefCell<Option<ReactorHandle>> = RefCell::new(None);
}

/// Makes `handle` the thread's current reactor until the guard is dropped.
pub(super) fn enter(handle: &ReactorHandle) -> EnterGuard {
    let previous = CURRENT.with(|current| current.replace(Some(handle.clone())));
    EnterGuard {
        previous,
        _not_send: PhantomData,
    }
}

/// The thread's current reactor, if any (`None` also while the thread is exiting).
pub(super) fn try_current() -> Option<ReactorHandle> {
    CURRENT
        .try_with(|current| current.borrow().clone())
        .ok()
        .flatten()
}

/// Keeps a reactor current on this thread; dropping it restores the previous one.
///
/// Returned by [`ReactorHandle::enter`]. Drop guards in the reverse order of their
/// creation.
///
/// ```
/// use weft_io::{net::UnixStream, Reactor};
///
/// let reactor = Reactor::new()?;
/// let guard = reactor.handle().enter();
/// assert!(UnixStream::pair().is_ok()); // sockets register with `reactor`
/// drop(guard);
/// assert!(UnixStream::pair().is_err()); // no reactor current any more
/// # Ok::<(), std::io::Error>(())
/// ```
#[must_use = "the reactor stays current only while the guard is alive"]
#[derive(Debug)]
pub struct EnterGuard {
    previous: Option<ReactorHandle>,
    /// The guard restores *this* thread's state: it must stay on it.
    _not_send: PhantomData<*const ()>,
}

impl Drop for EnterGuard {
    fn drop(&mut self) {
        let previous = self.previous.take();
        // `try_with`: during thread exit the slot may already be gone; nothing to
        // restore then. The replaced handle is dropped outside the borrow.
        let replaced = CURRENT
            .try_with(|current| current.replace(previous))
            .ok()
            .flatten();
        drop(replaced);
    }
}
