//! Doors for the loom models (`loom-tests/tests/io_*.rs`) into the reactor's mio-free
//! core: the registration table, event delivery, shutdown, and an entry's readiness
//! and waiters. Exists only under `--cfg weft_loom`; hidden from the docs.
//!
//! mio cannot run under loom, so the models stand in for the OS: they call
//! [`Registrations::deliver`] where a turn would have read an event, and run the same
//! code the turn runs from there on.

use super::entry::IoEntry;
use super::handle::{retire, shutdown_table};
use super::readiness::{Clear, Direction, Ready, ReadyEvent, Spent};
use super::table::Table;
use super::waiters::Waiter;
use super::{deliver, Arc, Mutex};
use mio::Token;
use std::io;
use std::task::{Context, Poll};

/// A registration table, as a reactor's handle shares it.
#[derive(Debug)]
pub struct Registrations {
    table: Mutex<Table>,
}

impl Default for Registrations {
    fn default() -> Self {
        Registrations::new()
    }
}

impl Registrations {
    /// An empty table.
    pub fn new() -> Registrations {
        Registrations {
            table: Mutex::new(Table::new()),
        }
    }

    /// Registers a socket: its token and its entry.
    pub fn register(&self) -> io::Result<(usize, Registered)> {
        let (token, entry) = self.table.lock().insert()?;
        Ok((token.0, Registered { entry }))
    }

    /// Drops a socket's registration, as `Evented`'s drop does after the OS
    /// deregistration.
    pub fn deregister(&self, token: usize) {
        retire(&self.table, Token(token));
    }

    /// Delivers one event for `token`, as a turn does after the OS poll returns.
    pub fn deliver(&self, token: usize, readable: bool, writable: bool) {
        let mut ready = Ready::EMPTY;
        if readable {
            ready = ready | Ready::READABLE;
        }
        if writable {
            ready = ready | Ready::WRITABLE;
        }
        let mut scratch = Vec::new();
        deliver(
            &self.table,
            std::iter::once((Token(token), ready)),
            &mut scratch,
        );
    }

    /// Delivers a hang-up for `token`: the read direction readable and closed for
    /// good, as a turn does when the peer closes.
    pub fn deliver_hang_up(&self, token: usize) {
        let mut scratch = Vec::new();
        deliver(
            &self.table,
            std::iter::once((Token(token), Ready::READABLE | Ready::READ_CLOSED)),
            &mut scratch,
        );
    }

    /// Shuts every registration down, as `ReactorHandle::shutdown` does.
    pub fn shutdown(&self) {
        shutdown_table(&self.table);
    }
}

/// A socket's view of its registration: its entry.
#[derive(Debug, Clone)]
pub struct Registered {
    entry: Arc<IoEntry>,
}

/// The waiter a model task polls as.
#[derive(Debug)]
pub struct ModelWaiter(Waiter);

impl ModelWaiter {
    /// A stream-side waiter (`poll_read`).
    pub fn stream() -> ModelWaiter {
        ModelWaiter(Waiter::Stream)
    }

    /// An operation future's waiter (`accept`, `recv_from`, ...).
    pub fn op() -> ModelWaiter {
        ModelWaiter(Waiter::Op(None))
    }
}

/// Read readiness observed at one tick.
#[derive(Debug, Clone, Copy)]
pub struct Observed(ReadyEvent);

impl Registered {
    /// Polls read readiness as `waiter`.
    pub fn poll_read_ready(
        &self,
        waiter: &mut ModelWaiter,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<Observed>> {
        self.entry
            .poll_ready(Direction::Read, &mut waiter.0, cx)
            .map_ok(Observed)
    }

    /// Gives back readiness after `WouldBlock`; `true` if it was cleared, `false` if a
    /// newer event kept it.
    pub fn clear(&self, observed: Observed) -> bool {
        self.entry.clear(observed.0, Spent::WouldBlock) == Clear::Cleared
    }

    /// Releases an operation waiter's slot, as its future's drop does.
    pub fn release(&self, waiter: &mut ModelWaiter) {
        self.entry.release(&mut waiter.0);
    }

    /// Whether the read direction is marked ready now.
    pub fn is_read_ready(&self) -> bool {
        self.entry.is_read_ready()
    }

    /// Whether the entry is shut down.
    pub fn is_shutdown(&self) -> bool {
        self.entry.is_shutdown()
    }
}
