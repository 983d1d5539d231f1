//! [`Registration`]: one socket's place in the reactor, and [`Evented`]: a mio socket
//! together with its registration.
//!
//! # Rules
//!
//! 1. A registration is made on the thread's current reactor when its socket is
//!    created, and undone when the socket is dropped: first the OS stops reporting
//!    events for the socket, then its token is retired, then the socket closes.
//! 2. Every I/O operation goes through [`Registration::poll_io`]: wait for the
//!    direction's readiness, try the system call, and on `WouldBlock` clear the
//!    readiness observed — closed bit included (readiness rule 2) — and wait again.
//!    The system call runs only inside a poll that returns its result, so an
//!    operation future dropped between polls has consumed nothing. A `WouldBlock` is
//!    retried only if an event arrived meanwhile (the clear was stale), so a poll
//!    never spins on a socket the OS keeps saying is empty.
//! 3. A stream read or write that moved fewer bytes than asked has drained the
//!    socket's buffer (edge-triggered readiness will report it when that changes), so
//!    it clears the readiness observed too, keeping a closed direction's bit (the EOF
//!    after the data is still to be read) — the tick keeps a fresh event from being
//!    cleared. The next call then waits for readiness instead of spending a system
//!    call on `WouldBlock`, and a task serving a busy connection yields between
//!    requests instead of holding its worker.
//! 4. After shutdown every operation fails with the runtime-shut-down error, even
//!    if the socket still has readiness recorded.
//! 5. A readiness wait that returns `Pending` records, in the task polling it, what it
//!    waits on (`TcpStream::read`: `wait_names.rs`), without a line.

use super::entry::IoEntry;
use super::error;
use super::handle::{ReactorHandle, Shared};
use super::readiness::{Direction, ReadyEvent, Spent};
use super::wait_names::{IoWaits, WaitNames};
use super::waiters::Waiter;
use crate::loom::Arc;
use mio::event::Source;
use mio::{Interest, Token};
use std::fmt;
use std::io::{self, IoSlice, Read, Write};
use std::task::{ready, Context, Poll};
use weft_core::waiting;

/// A socket's registration with a reactor.
pub(crate) struct Registration {
    shared: Arc<Shared>,
    token: Token,
    entry: Arc<IoEntry>,
    /// What a task waiting on this socket waits on (rule 5).
    waits: &'static IoWaits,
}

impl Registration {
    /// Registers `source` for `interest` with the reactor of `handle`.
    fn new(
        handle: &ReactorHandle,
        source: &mut dyn Source,
        interest: Interest,
        waits: &'static IoWaits,
    ) -> io::Result<Registration> {
        let (token, entry) = handle.shared.register(source, interest)?;
        Ok(Registration {
            shared: handle.shared.clone(),
            token,
            entry,
            waits,
        })
    }

    /// Waits for `direction`'s readiness, recording the wait if it is pending (rule 5).
    fn poll_readiness(
        &self,
        direction: Direction,
        waiter: &mut Waiter,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<ReadyEvent>> {
        let poll = self.entry.poll_ready(direction, waiter, cx);
        if poll.is_pending() {
            waiting::record_unlocated(self.waits.of(direction));
        }
        poll
    }

    /// The reactor this registration belongs to.
    pub(crate) fn handle(&self) -> ReactorHandle {
        ReactorHandle {
            shared: self.shared.clone(),
        }
    }

    /// Fails if the reactor has shut down (rule 4): the check synchronous operations
    /// make before touching the socket.
    pub(crate) fn check(&self) -> io::Result<()> {
        if self.entry.is_shutdown() {
            return Err(error::shut_down());
        }
        Ok(())
    }

    /// Runs `op` when `direction` is ready, until it stops saying `WouldBlock`
    /// (rule 2).
    pub(crate) fn poll_io<R>(
        &self,
        direction: Direction,
        waiter: &mut Waiter,
        cx: &mut Context<'_>,
        op: impl FnMut() -> io::Result<R>,
    ) -> Poll<io::Result<R>> {
        self.poll_io_draining(direction, waiter, cx, op, |_| false)
    }

    /// As [`poll_io`](Self::poll_io), clearing the readiness observed also when
    /// `drained` says the operation emptied the socket's buffer (rule 3).
    pub(crate) fn poll_io_draining<R>(
        &self,
        direction: Direction,
        waiter: &mut Waiter,
        cx: &mut Context<'_>,
        mut op: impl FnMut() -> io::Result<R>,
        drained: impl Fn(&R) -> bool,
    ) -> Poll<io::Result<R>> {
        loop {
            let event = ready!(self.poll_readiness(direction, waiter, cx))?;
            match op() {
                Err(err) if error::is_would_block(&err) => {
                    // Stale or not, poll again: a stale clear means fresh readiness;
                    // a clear one leaves the direction not ready, so the next look
                    // stores the waker and returns `Pending`.
                    let _ = self.entry.clear(event, Spent::WouldBlock);
                }
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Ok(value) => {
                    if drained(&value) {
                        let _ = self.entry.clear(event, Spent::Drained);
                    }
                    return Poll::Ready(Ok(value));
                }
                result => return Poll::Ready(result),
            }
        }
    }

    /// Gives up an operation future's waiter slot.
    pub(crate) fn release(&self, waiter: &mut Waiter) {
        self.entry.release(waiter);
    }

    /// Waits for `direction`'s readiness without running an operation: the event to
    /// give back with [`clear`](Self::clear) once the OS says `WouldBlock`
    /// (rule 2, for callers that make the system call themselves: `AsyncFd`).
    pub(crate) fn poll_ready(
        &self,
        direction: Direction,
        waiter: &mut Waiter,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<ReadyEvent>> {
        self.poll_readiness(direction, waiter, cx)
    }

    /// Gives back readiness the caller found spent by `WouldBlock` (rule 2); a stale
    /// clear leaves it, so the next poll tries again.
    pub(crate) fn clear(&self, event: ReadyEvent) {
        let _ = self.entry.clear(event, Spent::WouldBlock);
    }
}

/// A mio socket registered with a reactor; deregistered when dropped (rule 1).
pub(crate) struct Evented<S: Source> {
    io: S,
    registration: Registration,
}

impl<S: Source> Evented<S> {
    /// Registers `io` with the thread's current reactor for both directions.
    pub(crate) fn new(io: S) -> io::Result<Evented<S>>
    where
        S: WaitNames,
    {
        Evented::with_interest(
            &ReactorHandle::current()?,
            io,
            Interest::READABLE | Interest::WRITABLE,
        )
    }

    /// Registers `io` for `interest` with the reactor of `handle` (an accepted
    /// stream joins its listener's reactor; a listener never writes).
    pub(crate) fn with_interest(
        handle: &ReactorHandle,
        mut io: S,
        interest: Interest,
    ) -> io::Result<Evented<S>>
    where
        S: WaitNames,
    {
        let registration = Registration::new(handle, &mut io, interest, S::WAITS)?;
        Ok(Evented { io, registration })
    }

    /// The socket, for calls that do not wait (addresses, options).
    pub(crate) fn get_ref(&self) -> &S {
        &self.io
    }

    /// The reactor the socket is registered with.
    pub(crate) fn handle(&self) -> ReactorHandle {
        self.registration.handle()
    }

    /// The registration, for operation futures.
    pub(crate) fn registration(&self) -> &Registration {
        &self.registration
    }

    /// Runs `op` on the socket after checking the reactor is alive (rule 4): for
    /// synchronous operations such as `shutdown(Write)`.
    pub(crate) fn try_io<R>(&self, op: impl FnOnce(&S) -> io::Result<R>) -> io::Result<R> {
        self.registration.check()?;
        op(&self.io)
    }

    /// Runs `op` when `direction` is ready, as the direction's stream-side waiter.
    pub(crate) fn poll_io<R>(
        &self,
        direction: Direction,
        cx: &mut Context<'_>,
        mut op: impl FnMut(&S) -> io::Result<R>,
    ) -> Poll<io::Result<R>> {
        self.registration
            .poll_io(direction, &mut Waiter::Stream, cx, || op(&self.io))
    }
}

impl<S: Source> Evented<S>
where
    for<'a> &'a S: Read + Write,
{
    /// Runs `op` on a stream socket when `direction` is ready; a transfer shorter
    /// than `wanted` bytes drained the buffer (rule 3). A zero-length transfer (end of
    /// stream, or nothing asked) leaves readiness alone.
    fn poll_transfer(
        &self,
        direction: Direction,
        cx: &mut Context<'_>,
        wanted: usize,
        mut op: impl FnMut(&S) -> io::Result<usize>,
    ) -> Poll<io::Result<usize>> {
        self.registration.poll_io_draining(
            direction,
            &mut Waiter::Stream,
            cx,
            || op(&self.io),
            |&n| n > 0 && n < wanted,
        )
    }

    /// `AsyncRead::poll_read` for a stream socket.
    pub(crate) fn poll_read(
        &self,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        let wanted = buf.len();
        self.poll_transfer(Direction::Read, cx, wanted, |mut io| io.read(buf))
    }

    /// `AsyncWrite::poll_write` for a stream socket.
    pub(crate) fn poll_write(&self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        self.poll_transfer(Direction::Write, cx, buf.len(), |mut io| io.write(buf))
    }

    /// `AsyncWrite::poll_write_vectored` for a stream socket.
    pub(crate) fn poll_write_vectored(
        &self,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let wanted = bufs.iter().map(|b| b.len()).sum();
        self.poll_transfer(Direction::Write, cx, wanted, |mut io| {
            io.write_vectored(bufs)
        })
    }
}

impl<S: Source> Drop for Evented<S> {
    fn drop(&mut self) {
        self.registration
            .shared
            .deregister(&mut self.io, self.registration.token);
    }
}

impl<S: Source + fmt::Debug> fmt::Debug for Evented<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Evented")
            .field("io", &self.io)
            .field("token", &self.registration.token)
            .finish()
    }
}
