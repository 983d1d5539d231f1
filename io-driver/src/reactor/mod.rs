//! The reactor: a mio `Poll` that delivers readiness to registered sockets, turned by
//! whichever thread parks.
//!
//! ```text
//!   socket created ──register──▶ Table (token ─▶ IoEntry) ◀──lookup── Reactor::turn
//!        │                            ▲                                  │
//!        │ poll_ready / clear         │ remove on drop          OS poll: events
//!        ▼                            │                                  │
//!     IoEntry: readiness word + waiters ◀────────── set_ready + wake ────┘
//! ```
//!
//! # Rules
//!
//! 1. **One turner.** [`Reactor::turn`] takes `&mut self`: one thread at a time blocks
//!    in the OS poll. Everything else goes through a [`ReactorHandle`].
//! 2. **Deliver, then wake, lock-free.** A turn looks up each event's entry under the
//!    table lock, takes a reference to it, releases the lock, and only then marks
//!    readiness and wakes waiters (entry rules 1 and 4). An entry removed between the
//!    lookup and the delivery stays alive through that reference and receives an event
//!    nobody waits for; its token is already retired (table rule 1).
//! 3. **Events map to directions.** Readable, read-closed and error wake the read
//!    direction; writable, write-closed and error wake the write direction. An error
//!    wakes both, so whichever operation runs next reports it from the OS.
//! 4. **Dropping the reactor shuts it down** ([`ReactorHandle::shutdown`]): no socket
//!    outlives its reactor waiting for an event that cannot come.

mod async_fd;
mod context;
mod entry;
mod error;
mod handle;
#[cfg(weft_loom)]
pub mod model;
mod op;
mod readiness;
mod registration;
mod slab;
mod table;
mod wait_names;
mod waiters;
mod wakeup;

pub use async_fd::{AsyncFd, AsyncFdReadyGuard, TryIoError};
pub use context::EnterGuard;
pub use error::RuntimeShutdown;
pub use handle::ReactorHandle;
pub(crate) use op::Op;
pub(crate) use readiness::Direction;
pub(crate) use registration::Evented;

use entry::IoEntry;
use handle::Shared;
use readiness::Ready;
use table::{Table, WAKE_TOKEN};

use crate::loom::{Arc, Mutex};
use mio::event::Event;
use mio::{Events, Poll, Token};
use std::fmt;
use std::io;
use std::time::Duration;

/// How many events one turn takes from the OS; more wait for the next turn.
const EVENTS_PER_TURN: usize = 1024;

/// The I/O reactor: owns the mio `Poll` and the registration table, and is turned by
/// one thread at a time.
///
/// A runtime keeps one `Reactor`, gives [`ReactorHandle`]s to its threads, and calls
/// [`Reactor::turn`] from the worker that parks.
///
/// ```
/// use std::time::Duration;
/// use weft_io::Reactor;
///
/// let mut reactor = Reactor::new()?;
/// let _guard = reactor.handle().enter(); // sockets made on this thread register here
/// reactor.turn(Some(Duration::ZERO))?;   // deliver whatever is ready, without blocking
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct Reactor {
    poll: Poll,
    events: Events,
    /// Entries looked up in this turn, delivered after the table lock is released
    /// (rule 2); kept to reuse its allocation.
    delivered: Vec<(Arc<IoEntry>, Ready)>,
    handle: ReactorHandle,
}

impl Reactor {
    /// A reactor with its own OS poll instance.
    ///
    /// # Errors
    ///
    /// The OS's error when it cannot create the poll instance or its waker (for
    /// example `EMFILE`: too many open files).
    ///
    /// ```
    /// let reactor = weft_io::Reactor::new()?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn new() -> io::Result<Reactor> {
        let poll = Poll::new()?;
        let shared = Shared::new(poll.registry().try_clone()?)?;
        Ok(Reactor {
            poll,
            events: Events::with_capacity(EVENTS_PER_TURN),
            delivered: Vec::new(),
            handle: ReactorHandle {
                shared: Arc::new(shared),
            },
        })
    }

    /// A handle for registering sockets, unparking, entering and shutting down.
    ///
    /// ```
    /// let reactor = weft_io::Reactor::new()?;
    /// let handle = reactor.handle();
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn handle(&self) -> ReactorHandle {
        self.handle.clone()
    }

    /// Blocks in the OS poll for at most `timeout` (`None`: until an event or a
    /// [`ReactorHandle::unpark`]), then delivers readiness and wakes the affected
    /// wakers, holding no lock while it wakes.
    ///
    /// Returns early, with `Ok`, when a signal interrupts the poll. After
    /// [`ReactorHandle::shutdown`] it still blocks for `timeout` or an unpark, but
    /// delivers nothing.
    ///
    /// # Errors
    ///
    /// The OS poll's error, other than `EINTR`.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let mut reactor = weft_io::Reactor::new()?;
    /// reactor.turn(Some(Duration::from_millis(1)))?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn turn(&mut self, timeout: Option<Duration>) -> io::Result<()> {
        let shared = &self.handle.shared;
        match shared
            .wakeup
            .poll(&mut self.poll, &mut self.events, timeout)
        {
            Ok(()) => {}
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
        shared.take_unpark();
        let events = self
            .events
            .iter()
            .filter(|event| event.token() != WAKE_TOKEN)
            .map(|event| (event.token(), ready_of(event)));
        deliver(&shared.table, events, &mut self.delivered);
        Ok(())
    }
}

/// Marks readiness on the entries `events` name and wakes their waiters (rule 2):
/// look up under the table lock, deliver and wake after releasing it. `scratch` is
/// left empty.
fn deliver(
    table: &Mutex<Table>,
    events: impl Iterator<Item = (Token, Ready)>,
    scratch: &mut Vec<(Arc<IoEntry>, Ready)>,
) {
    {
        let table = table.lock();
        for (token, ready) in events {
            if let Some(entry) = table.get(token) {
                scratch.push((entry.clone(), ready));
            }
        }
    }
    for (entry, ready) in scratch.drain(..) {
        entry.set_ready(ready);
    }
}

/// The directions an event wakes (rule 3), and which it closes for good.
fn ready_of(event: &Event) -> Ready {
    let mut ready = Ready::EMPTY;
    if event.is_readable() {
        ready = ready | Ready::READABLE;
    }
    if event.is_writable() {
        ready = ready | Ready::WRITABLE;
    }
    if event.is_read_closed() || event.is_error() {
        ready = ready | Ready::READ_CLOSED;
    }
    if event.is_write_closed() || event.is_error() {
        ready = ready | Ready::WRITE_CLOSED;
    }
    ready
}

impl Drop for Reactor {
    fn drop(&mut self) {
        self.handle.shutdown();
    }
}

impl fmt::Debug for Reactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reactor")
            .field("handle", &self.handle)
            .finish_non_exhaustive()
    }
}
