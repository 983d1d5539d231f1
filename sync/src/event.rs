//! `Event`: a flag that tasks can wait to see set.
//!
//! # Rules
//!
//! 1. `flag` is written only under the waiter-list lock when it is set, so a
//!    waiter that checks it under the lock and then queues cannot miss a `set`.
//!    `clear` is a plain store: it cannot strand a waiter, it only makes later
//!    waiters wait.
//! 2. `set` pops every waiter queued before it (a [`mark`](WaitList::mark)) and
//!    wakes it. Being popped *is* the notification: a popped waiter completes
//!    even if the event was cleared (and set again) before it ran.
//! 3. A waiter dropped while queued just leaves; every waiter is woken by `set`,
//!    so there is no notification to pass on.
//!
//! ```text
//!   wait():  flag set? ──yes──> Ready
//!              │no (under the lock)
//!              v
//!           [queued] ──set() pops it──> [popped] ──poll──> Ready
//!              │ drop                       │ drop
//!              v                            v
//!           removed                      nothing to undo
//! ```

use std::fmt;
use std::future::Future;
use std::panic::Location;
use weft_core::waiting::{recorded, WaitOn};

use crate::loom::atomic::{AtomicBool, Ordering::*};
use crate::loom::Mutex;
use crate::notified::Notified;
use crate::wait_list::WaitList;
use crate::wake_queued::wake_queued;

/// asyncio's `Event`: tasks [`wait`](Self::wait) until some task calls
/// [`set`](Self::set).
///
/// `set` wakes every task waiting at that moment; a waiter woken this way
/// returns even if the event is cleared (or cleared and set again) before it
/// runs.
///
/// ```
/// use std::sync::Arc;
/// use weft_sync::Event;
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let ready = Arc::new(Event::new());
/// let waiter = tokio::spawn({
///     let ready = ready.clone();
///     async move { ready.wait().await; "went" }
/// });
/// ready.set();
/// assert_eq!(waiter.await.unwrap(), "went");
/// # });
/// ```
pub struct Event {
    flag: AtomicBool,
    waiters: Mutex<WaitList<()>>,
}

impl Event {
    /// A cleared event.
    ///
    /// ```
    /// assert!(!weft_sync::Event::new().is_set());
    /// ```
    pub fn new() -> Self {
        Event {
            flag: AtomicBool::new(false),
            waiters: Mutex::new(WaitList::new()),
        }
    }

    /// Sets the flag and wakes every task waiting now.
    ///
    /// ```
    /// let event = weft_sync::Event::new();
    /// event.set();
    /// assert!(event.is_set());
    /// ```
    pub fn set(&self) {
        if self.flag.load(Acquire) {
            // Already set: nobody can be queued (they check under the lock).
            return;
        }
        let list = self.waiters.lock();
        self.flag.store(true, Release);
        let mark = list.mark();
        wake_queued(&self.waiters, list, |l| l, mark, usize::MAX, |_| {});
    }

    /// Clears the flag: later `wait`s wait for the next `set`.
    ///
    /// ```
    /// let event = weft_sync::Event::new();
    /// event.set();
    /// event.clear();
    /// assert!(!event.is_set());
    /// ```
    pub fn clear(&self) {
        self.flag.store(false, Release);
    }

    /// Whether the flag is set.
    ///
    /// ```
    /// assert!(!weft_sync::Event::new().is_set());
    /// ```
    pub fn is_set(&self) -> bool {
        self.flag.load(Acquire)
    }

    /// Waits until the flag is set (returns at once if it is).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a dropped `wait` leaves the queue and takes nothing with it
    /// (`set` wakes everyone, so no notification is lost).
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let event = weft_sync::Event::new();
    /// event.set();
    /// event.wait().await;
    /// # });
    /// ```
    #[track_caller]
    pub fn wait(&self) -> impl Future<Output = ()> + '_ {
        recorded(
            &WaitOn("Event::wait"),
            Location::caller(),
            self.wait_unrecorded(),
        )
    }

    /// [`wait`](Self::wait) without its wait record.
    async fn wait_unrecorded(&self) {
        if self.is_set() {
            return;
        }
        let flag = &self.flag;
        Notified::new(&self.waiters, |l| l, |_| flag.load(Acquire), false).await
    }
}

impl Default for Event {
    fn default() -> Self {
        Event::new()
    }
}

impl fmt::Debug for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Event")
            .field("set", &self.is_set())
            .finish()
    }
}
