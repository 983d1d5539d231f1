//! [`ReactorHandle`]: the cloneable, thread-safe side of a reactor.
//!
//! Everything a socket or another thread needs from the reactor lives in [`Shared`]:
//! the mio `Registry` (to register sockets), the `Wakeup` (to interrupt a turn),
//! and the registration [`Table`]. Only turning needs the `Poll` itself, which the
//! [`super::Reactor`] keeps.
//!
//! # Rules
//!
//! 1. **An unpark is never lost.** `unparked` is set by [`ReactorHandle::unpark`]
//!    with a swap; only the caller that moves it from `false` to `true` writes to the
//!    waker (`wakeup.rs`), and a turn swaps it back to `false` after every return from the OS
//!    poll. A wake written while no turn is blocked stays pending in the OS and makes
//!    the next turn return at once; an unpark that finds the flag already `true`
//!    either precedes a pending wake, or synchronises with the turn that resets the
//!    flag (the swap is `AcqRel`), so whatever work it published is visible to the
//!    thread that turned.
//! 2. **Shutdown** empties the table for good (table rule 3), then, outside the table
//!    lock, shuts down each entry (entry rule 3), then unparks so a blocked turn
//!    returns. Shutting down twice is harmless.

use super::context::{self, EnterGuard};
use super::entry::IoEntry;
use super::error;
use super::table::Table;
use super::wakeup::Wakeup;
use crate::loom::atomic::{AtomicBool, Ordering::AcqRel, Ordering::Release};
use crate::loom::{Arc, Mutex};
use mio::event::Source;
use mio::{Interest, Registry, Token};
use std::fmt;
use std::io;

/// The reactor state every handle and registration shares.
pub(crate) struct Shared {
    registry: Registry,
    pub(super) wakeup: Wakeup,
    /// An unpark is pending (rule 1).
    unparked: AtomicBool,
    pub(super) table: Mutex<Table>,
}

impl Shared {
    pub(super) fn new(registry: Registry) -> io::Result<Shared> {
        let wakeup = Wakeup::new(&registry)?;
        Ok(Shared {
            registry,
            wakeup,
            unparked: AtomicBool::new(false),
            table: Mutex::new(Table::new()),
        })
    }

    /// Consumes a pending unpark after the OS poll returned (rule 1).
    pub(super) fn take_unpark(&self) {
        self.unparked.swap(false, AcqRel);
    }

    /// Registers `source` for `interest`: its token and entry.
    pub(super) fn register(
        &self,
        source: &mut dyn Source,
        interest: Interest,
    ) -> io::Result<(Token, Arc<IoEntry>)> {
        let (token, entry) = self.table.lock().insert()?;
        if let Err(err) = self.registry.register(source, token, interest) {
            retire(&self.table, token);
            return Err(err);
        }
        Ok((token, entry))
    }

    /// Stops events for `source` and retires `token` (table rule 1).
    pub(super) fn deregister(&self, source: &mut dyn Source, token: Token) {
        // After a shutdown the registry may refuse; the socket closes right after
        // this call either way, which removes it from the OS poll set.
        let _ = self.registry.deregister(source);
        retire(&self.table, token);
    }
}

/// Removes `token`'s registration from `table` (table rule 1), dropping the entry
/// after the lock is released.
pub(super) fn retire(table: &Mutex<Table>, token: Token) {
    let removed = table.lock().remove(token);
    drop(removed);
}

/// Empties `table` for good and shuts down every entry it held, outside the table lock
/// (rule 2).
pub(super) fn shutdown_table(table: &Mutex<Table>) {
    let entries = table.lock().shutdown();
    for entry in entries {
        entry.shutdown();
    }
}

/// A cloneable, `Send + Sync` handle to a [`Reactor`](super::Reactor): registers
/// sockets, interrupts a turn, makes the reactor current on a thread, and shuts it
/// down.
///
/// ```
/// use weft_io::Reactor;
///
/// let reactor = Reactor::new()?;
/// let handle = reactor.handle();
/// std::thread::spawn(move || handle.unpark()).join().unwrap();
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Clone)]
pub struct ReactorHandle {
    pub(super) shared: Arc<Shared>,
}

impl ReactorHandle {
    /// Interrupts a [`Reactor::turn`](super::Reactor::turn) in progress on any thread.
    ///
    /// Never lost: if no turn is blocked, the next one returns promptly. Cheap when an
    /// unpark is already pending (one atomic swap, no system call).
    ///
    /// ```
    /// use weft_io::Reactor;
    ///
    /// let mut reactor = Reactor::new()?;
    /// reactor.handle().unpark();
    /// reactor.turn(None)?; // returns at once: the unpark came first
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn unpark(&self) {
        if !self.shared.unparked.swap(true, AcqRel) {
            // The eventfd/pipe write fails only if the reactor's descriptors are gone,
            // which a live handle rules out; mio itself handles a full counter. Should
            // it fail anyway, clear the flag so the next unpark tries again.
            if self.shared.wakeup.wake().is_err() {
                self.shared.unparked.store(false, Release);
            }
        }
    }

    /// Makes this reactor the thread's current one until the guard is dropped; sockets
    /// created meanwhile register with it. Guards nest and restore the previous
    /// reactor on drop.
    ///
    /// ```
    /// use weft_io::Reactor;
    ///
    /// let reactor = Reactor::new()?;
    /// let _guard = reactor.handle().enter();
    /// let _pair = weft_io::net::UnixStream::pair()?; // registers with `reactor`
    /// assert_eq!(reactor.handle().registrations(), 2);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn enter(&self) -> EnterGuard {
        context::enter(self)
    }

    /// The thread's current reactor, if one was entered. Crate-private on purpose:
    /// only whoever owns a reactor (the runtime) holds a handle that can shut it down
    /// or interrupt its turns; code that merely runs on a runtime's thread cannot
    /// reach it.
    pub(crate) fn try_current() -> Option<ReactorHandle> {
        context::try_current()
    }

    /// Shuts the reactor down: every registered socket's pending and future operations
    /// fail with an `io::Error` saying the runtime shut down, every waiter is woken,
    /// new sockets cannot register, and a turn in progress returns. Idempotent; never
    /// blocks on I/O.
    ///
    /// ```
    /// use weft_io::Reactor;
    ///
    /// let reactor = Reactor::new()?;
    /// reactor.handle().shutdown();
    /// assert!(reactor.handle().is_shutdown());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn shutdown(&self) {
        shutdown_table(&self.shared.table);
        self.unpark();
    }

    /// Whether [`ReactorHandle::shutdown`] has run (or the reactor was dropped).
    ///
    /// ```
    /// let reactor = weft_io::Reactor::new()?;
    /// assert!(!reactor.handle().is_shutdown());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn is_shutdown(&self) -> bool {
        self.shared.table.lock().is_shut_down()
    }

    /// The number of live socket registrations (sockets not yet dropped).
    ///
    /// ```
    /// let reactor = weft_io::Reactor::new()?;
    /// assert_eq!(reactor.handle().registrations(), 0);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn registrations(&self) -> usize {
        self.shared.table.lock().len()
    }

    /// The current reactor, or the error that tells the user to create sockets inside
    /// a runtime.
    pub(crate) fn current() -> io::Result<ReactorHandle> {
        ReactorHandle::try_current().ok_or_else(error::no_reactor)
    }
}

impl fmt::Debug for ReactorHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReactorHandle")
            .field("registrations", &self.registrations())
            .field("shutdown", &self.is_shutdown())
            .finish()
    }
}
