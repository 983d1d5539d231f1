//! `Parker`: put a thread to sleep until another thread says there is work.
//!
//! ```text
//!            park()                         unpark()
//!   EMPTY ------------> PARKED    PARKED ------------> NOTIFIED (+ condvar signal)
//!     ^                   |       EMPTY  ------------> NOTIFIED (next park returns at once)
//!     +-------------------+
//!       woken: NOTIFIED -> EMPTY
//! ```
//!
//! # Rules
//!
//! 1. An `unpark` is never lost: if it comes before `park`, the token (NOTIFIED) makes
//!    the next `park` return at once; if it comes during, the condvar is signalled
//!    under the mutex the sleeper waits on, so the signal cannot slip between the
//!    sleeper's check and its wait.
//! 2. Tokens do not accumulate: many unparks before a park wake it once.
//! 3. `park` may also return spuriously; callers re-check their own condition.

use super::arc_waker::{self, ArcWake};
use crate::loom::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use crate::loom::{Arc, Condvar, Mutex};
use std::task::Waker;
use std::time::Duration;

const EMPTY: usize = 0;
const PARKED: usize = 1;
const NOTIFIED: usize = 2;

/// The sleeping side; one per thread that parks.
#[derive(Clone)]
pub(crate) struct Parker {
    inner: Arc<Inner>,
}

/// The waking side; cheap to clone and `Send + Sync`.
#[derive(Clone)]
pub(crate) struct Unparker {
    inner: Arc<Inner>,
}

struct Inner {
    state: AtomicUsize,
    lock: Mutex<()>,
    cvar: Condvar,
}

impl Parker {
    pub(crate) fn new() -> Parker {
        Parker {
            inner: Arc::new(Inner {
                state: AtomicUsize::new(EMPTY),
                lock: Mutex::new(()),
                cvar: Condvar::new(),
            }),
        }
    }

    pub(crate) fn unparker(&self) -> Unparker {
        Unparker {
            inner: self.inner.clone(),
        }
    }

    /// Blocks until unparked (or spuriously).
    pub(crate) fn park(&self) {
        self.inner.park(None);
    }
}

impl Inner {
    fn park(&self, timeout: Option<Duration>) {
        // Fast path: a token is waiting.
        if self
            .state
            .compare_exchange(NOTIFIED, EMPTY, SeqCst, SeqCst)
            .is_ok()
        {
            return;
        }
        if timeout == Some(Duration::ZERO) {
            return;
        }
        let mut guard = self.lock.lock();
        match self.state.compare_exchange(EMPTY, PARKED, SeqCst, SeqCst) {
            Ok(_) => {}
            Err(NOTIFIED) => {
                // Arrived between the fast path and the lock.
                self.state.store(EMPTY, SeqCst);
                return;
            }
            Err(actual) => unreachable!("a Parker is parked by one thread only (state {actual})"),
        }
        loop {
            match timeout {
                None => self.cvar.wait(&mut guard),
                Some(t) => {
                    self.cvar.wait_timeout(&mut guard, t);
                    // Timed out or woken: either way leave PARKED, consuming a token
                    // that may have arrived meanwhile.
                    self.state.swap(EMPTY, SeqCst);
                    return;
                }
            }
            if self
                .state
                .compare_exchange(NOTIFIED, EMPTY, SeqCst, SeqCst)
                .is_ok()
            {
                return;
            }
        }
    }

    fn unpark(&self) {
        match self.state.swap(NOTIFIED, SeqCst) {
            EMPTY | NOTIFIED => {}
            PARKED => {
                // Taking the lock orders this signal after the sleeper's wait began
                // (rule 1).
                drop(self.lock.lock());
                self.cvar.notify_one();
            }
            actual => unreachable!("invalid Parker state {actual}"),
        }
    }
}

impl Unparker {
    pub(crate) fn unpark(&self) {
        self.inner.unpark();
    }

    /// A `Waker` that unparks this parker.
    pub(crate) fn into_waker(self) -> Waker {
        arc_waker::waker(self.inner)
    }
}

impl ArcWake for Inner {
    fn wake(&self) {
        self.unpark();
    }
}

/// Wakes by setting a flag, then unparking: lets a loop tell "my future was woken"
/// apart from "some task was queued" while both share one parker.
pub(crate) struct FlagWake {
    flag: AtomicBool,
    unpark: Unparker,
}

impl FlagWake {
    pub(crate) fn new(unpark: Unparker) -> Arc<FlagWake> {
        Arc::new(FlagWake {
            flag: AtomicBool::new(true),
            unpark,
        })
    }

    /// Reads and clears the flag.
    pub(crate) fn take(&self) -> bool {
        self.flag.swap(false, SeqCst)
    }

    pub(crate) fn is_set(&self) -> bool {
        self.flag.load(SeqCst)
    }

    pub(crate) fn waker(self: &Arc<Self>) -> Waker {
        arc_waker::waker(self.clone())
    }
}

impl ArcWake for FlagWake {
    fn wake(&self) {
        self.flag.store(true, SeqCst);
        self.unpark.unpark();
    }
}
