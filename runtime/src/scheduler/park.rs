//! `Parker`: put a thread to sleep until another thread says there is work — on the
//! thread's own condition variable, or inside the driver when it wins the driver lock.
//!
//! ```text
//!             park(): driver lock free              park(): driver lock taken
//!   EMPTY ---------------------------> PARKED_DRIVER   EMPTY -------------> PARKED_CONDVAR
//!     ^        (blocks in the OS poll)       |            ^     (waits on the condvar) |
//!     +-------------- woken ----------------+            +---------- woken ------------+
//!
//!   unpark(): EMPTY -> NOTIFIED (the next park returns at once)
//!             PARKED_CONDVAR -> NOTIFIED + condvar signal
//!             PARKED_DRIVER  -> NOTIFIED + driver unpark (the reactor's waker)
//! ```
//!
//! # Rules
//!
//! 1. An `unpark` is never lost: before `park` it leaves a token (NOTIFIED) that makes
//!    the next `park` return at once; during a condvar park the signal is sent under
//!    the mutex the sleeper waits on, so it cannot slip between the sleeper's check and
//!    its wait; during a driver park the driver keeps the wake-up itself (driver.rs,
//!    rule 2).
//! 2. Tokens do not accumulate: many unparks before a park wake it once.
//! 3. `park` may return spuriously (I/O or a timer woke the driver); callers re-check
//!    their own condition.

use crate::driver::{self, Driver};
use crate::loom::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use crate::loom::{Arc, Condvar, Mutex};
use std::task::{Wake, Waker};

const EMPTY: usize = 0;
const PARKED_CONDVAR: usize = 1;
const PARKED_DRIVER: usize = 2;
const NOTIFIED: usize = 3;

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
    /// Wakes this thread when it sleeps in the driver; `None` for a thread that never
    /// parks there.
    driver: Option<driver::Handle>,
}

impl Parker {
    /// A parker that only ever sleeps on its condition variable.
    pub(crate) fn new() -> Parker {
        Parker::build(None)
    }

    /// A parker that sleeps in the driver when it can take it.
    pub(crate) fn with_driver(driver: driver::Handle) -> Parker {
        Parker::build(Some(driver))
    }

    fn build(driver: Option<driver::Handle>) -> Parker {
        Parker {
            inner: Arc::new(Inner {
                state: AtomicUsize::new(EMPTY),
                lock: Mutex::new(()),
                cvar: Condvar::new(),
                driver,
            }),
        }
    }

    pub(crate) fn unparker(&self) -> Unparker {
        Unparker {
            inner: self.inner.clone(),
        }
    }

    /// Blocks on the condition variable until unparked (or spuriously).
    pub(crate) fn park(&self) {
        if !self.inner.take_token() {
            self.inner.park_condvar();
        }
    }

    /// Blocks until unparked (or spuriously): inside `driver` if its lock is free,
    /// turning it meanwhile, else on the condition variable.
    pub(crate) fn park_in_driver(&self, driver: &Mutex<Driver>) {
        if self.inner.take_token() {
            return;
        }
        match driver.try_lock() {
            Some(mut driver) => self.inner.park_driver(&mut driver),
            None => self.inner.park_condvar(),
        }
    }
}

impl Inner {
    /// Consumes a waiting token (the fast path of every park).
    fn take_token(&self) -> bool {
        self.state
            .compare_exchange(NOTIFIED, EMPTY, SeqCst, SeqCst)
            .is_ok()
    }

    fn park_driver(&self, driver: &mut Driver) {
        debug_assert!(
            self.driver.is_some(),
            "a driver park needs a driver unparker"
        );
        match self
            .state
            .compare_exchange(EMPTY, PARKED_DRIVER, SeqCst, SeqCst)
        {
            Ok(_) => {}
            Err(NOTIFIED) => {
                self.state.store(EMPTY, SeqCst);
                return;
            }
            Err(actual) => unreachable!("a Parker is parked by one thread only (state {actual})"),
        }
        driver.park(None);
        match self.state.swap(EMPTY, SeqCst) {
            NOTIFIED | PARKED_DRIVER => {}
            actual => unreachable!("invalid Parker state after a driver park: {actual}"),
        }
    }

    fn park_condvar(&self) {
        let mut guard = self.lock.lock();
        match self
            .state
            .compare_exchange(EMPTY, PARKED_CONDVAR, SeqCst, SeqCst)
        {
            Ok(_) => {}
            Err(NOTIFIED) => {
                // Arrived between the fast path and the lock.
                self.state.store(EMPTY, SeqCst);
                return;
            }
            Err(actual) => unreachable!("a Parker is parked by one thread only (state {actual})"),
        }
        loop {
            self.cvar.wait(&mut guard);
            if self.take_token() {
                return;
            }
        }
    }

    fn unpark(&self) {
        match self.state.swap(NOTIFIED, SeqCst) {
            EMPTY | NOTIFIED => {}
            PARKED_CONDVAR => {
                // Taking the lock orders this signal after the sleeper's wait began
                // (rule 1).
                drop(self.lock.lock());
                self.cvar.notify_one();
            }
            PARKED_DRIVER => {
                if let Some(driver) = &self.driver {
                    driver.unpark();
                }
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
        Waker::from(self.inner)
    }
}

// The facade's `Arc` is std's in every build, so std's `Wake` builds these wakers.
impl Wake for Inner {
    fn wake(self: Arc<Self>) {
        self.unpark();
    }

    fn wake_by_ref(self: &Arc<Self>) {
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
        Waker::from(self.clone())
    }
}

impl Wake for FlagWake {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.flag.store(true, SeqCst);
        self.unpark.unpark();
    }
}
