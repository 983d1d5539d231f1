//! [`AsyncFd`]: any descriptor the OS can poll — a pipe, a pidfd, an eventfd, a
//! terminal — registered with the reactor, for code that makes its own system calls.
//!
//! The sockets of [`net`](crate::net) wrap their system calls in the reactor's
//! readiness loop themselves (registration rule 2). An `AsyncFd` hands that loop to
//! its user in two halves: wait for readiness ([`AsyncFd::readable`],
//! [`AsyncFd::poll_read_ready`], ...), which yields a guard naming the event seen;
//! then try the call and, if the OS says `WouldBlock`, give the readiness back through
//! the guard ([`AsyncFdReadyGuard::try_io`], [`AsyncFdReadyGuard::clear_ready`]).
//!
//! # Rules
//!
//! 1. **Registered for its life.** An `AsyncFd` registers its descriptor with the
//!    thread's current reactor, for both directions, when it is made, and deregisters
//!    it when dropped — before the wrapped value closes it (the field order keeps this)
//!    — or when [`AsyncFd::into_inner`] hands the value back, still open
//!    (registration rule 1).
//! 2. **Only a `WouldBlock` clears readiness.** A guard remembers the direction and
//!    the tick it saw ready; it clears that readiness only when its user says the OS
//!    answered `WouldBlock`. A clear after a newer event is stale and keeps the
//!    readiness (readiness rule 2), so an edge-triggered event is never lost. A guard
//!    dropped without a clear leaves the descriptor ready: the next wait returns at
//!    once.
//! 3. **Two ways to wait.** `poll_read_ready` / `poll_write_ready` keep one waker per
//!    direction (the last poller's), as a stream's `poll_read` does; the futures of
//!    `readable` / `writable` each hold their own waiter slot from their first
//!    `Pending` until dropped (waiters rule 2), so any number of tasks may wait at once.
//! 4. **Shutdown is loud.** Once the reactor shuts down, every wait fails with the
//!    runtime-shut-down error (entry rule 3).

use super::readiness::{Direction, ReadyEvent};
use super::registration::{Evented, Registration};
use super::wait_names::{IoWaits, WaitNames};
use super::waiters::Waiter;
use mio::event::Source;
use mio::unix::SourceFd;
use mio::{Interest, Registry, Token};
use std::fmt;
use std::future::Future;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::pin::Pin;
use std::task::{Context, Poll};

/// A file descriptor registered with the reactor: wait until it is readable or
/// writable, then make the system call yourself (tokio's `io::unix::AsyncFd`).
///
/// The descriptor must be in non-blocking mode (`O_NONBLOCK`), or a call made after a
/// stale readiness blocks the worker. Any descriptor `epoll` accepts works — pipes,
/// sockets, pidfds, eventfds, terminals — but not a regular file (the OS refuses it
/// with `EPERM`), and one descriptor (one open file) cannot be registered twice with
/// the same reactor.
///
/// ```
/// use std::io::{Read, Write};
/// use std::os::unix::net::UnixStream;
/// use std::task::{Context, Poll, Waker};
/// use std::time::Duration;
/// use weft_io::io::unix::AsyncFd;
///
/// let mut reactor = weft_io::Reactor::new()?;
/// let _guard = reactor.handle().enter();
/// let (ours, mut theirs) = UnixStream::pair()?;
/// ours.set_nonblocking(true)?;
/// let fd = AsyncFd::new(ours)?;
///
/// theirs.write_all(b"hi")?;
/// reactor.turn(Some(Duration::from_secs(5)))?; // the reactor sees `ours` readable
///
/// let mut cx = Context::from_waker(Waker::noop());
/// let Poll::Ready(guard) = fd.poll_read_ready(&mut cx) else { unreachable!() };
/// let mut buf = [0; 8];
/// let n = guard?.try_io(|fd| fd.get_ref().read(&mut buf)).expect("data is there")?;
/// assert_eq!(&buf[..n], b"hi");
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct AsyncFd<T: AsRawFd> {
    /// Declared before `inner`, so dropped first: the reactor forgets the descriptor
    /// while it is still open (rule 1).
    io: Evented<FdSource>,
    inner: T,
}

/// The raw descriptor as mio wants it; the `AsyncFd`'s value owns the descriptor.
#[derive(Debug)]
struct FdSource(RawFd);

impl WaitNames for FdSource {
    const WAITS: &'static IoWaits = &IoWaits::new("AsyncFd::readable", "AsyncFd::writable");
}

impl Source for FdSource {
    fn register(
        &mut self,
        registry: &Registry,
        token: Token,
        interest: Interest,
    ) -> io::Result<()> {
        SourceFd(&self.0).register(registry, token, interest)
    }

    fn reregister(
        &mut self,
        registry: &Registry,
        token: Token,
        interest: Interest,
    ) -> io::Result<()> {
        SourceFd(&self.0).reregister(registry, token, interest)
    }

    fn deregister(&mut self, registry: &Registry) -> io::Result<()> {
        SourceFd(&self.0).deregister(registry)
    }
}

impl<T: AsRawFd> AsyncFd<T> {
    /// Registers `inner`'s descriptor with the thread's current reactor, for reading
    /// and writing (rule 1).
    ///
    /// # Errors
    ///
    /// No current reactor (outside a runtime), the runtime-shut-down error, or the
    /// OS's refusal (`EPERM` for a regular file, `EEXIST` for a descriptor already
    /// registered). `inner` is dropped then.
    ///
    /// ```
    /// use weft_io::io::unix::AsyncFd;
    ///
    /// let reactor = weft_io::Reactor::new()?;
    /// let _guard = reactor.handle().enter();
    /// let (a, _b) = std::os::unix::net::UnixStream::pair()?;
    /// a.set_nonblocking(true)?;
    /// let fd = AsyncFd::new(a)?;
    /// assert_eq!(reactor.handle().registrations(), 1);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn new(inner: T) -> io::Result<AsyncFd<T>> {
        let io = Evented::new(FdSource(inner.as_raw_fd()))?;
        Ok(AsyncFd { io, inner })
    }

    /// The wrapped value.
    ///
    /// ```
    /// # let reactor = weft_io::Reactor::new()?;
    /// # let _guard = reactor.handle().enter();
    /// # let (a, _b) = std::os::unix::net::UnixStream::pair()?;
    /// let fd = weft_io::io::unix::AsyncFd::new(a)?;
    /// let addr = fd.get_ref().local_addr()?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn get_ref(&self) -> &T {
        &self.inner
    }

    /// The wrapped value, mutably. Replacing its descriptor breaks the registration;
    /// use it for calls that need `&mut`.
    ///
    /// ```
    /// # let reactor = weft_io::Reactor::new()?;
    /// # let _guard = reactor.handle().enter();
    /// # let (a, _b) = std::os::unix::net::UnixStream::pair()?;
    /// let mut fd = weft_io::io::unix::AsyncFd::new(a)?;
    /// let _stream: &mut std::os::unix::net::UnixStream = fd.get_mut();
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn get_mut(&mut self) -> &mut T {
        &mut self.inner
    }

    /// Deregisters the descriptor and hands the value back, still open (rule 1).
    ///
    /// ```
    /// # let reactor = weft_io::Reactor::new()?;
    /// # let _guard = reactor.handle().enter();
    /// # let (a, _b) = std::os::unix::net::UnixStream::pair()?;
    /// let fd = weft_io::io::unix::AsyncFd::new(a)?;
    /// let a = fd.into_inner();
    /// assert_eq!(reactor.handle().registrations(), 0);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn into_inner(self) -> T {
        let AsyncFd { io, inner } = self;
        drop(io);
        inner
    }

    /// Polls for read readiness; on `Pending` this task is woken when it comes. Only
    /// the last task to poll a direction this way is woken (rule 3): use
    /// [`readable`](Self::readable) when several tasks wait.
    ///
    /// # Errors
    ///
    /// The runtime-shut-down error (rule 4).
    ///
    /// ```
    /// use std::task::{Context, Waker};
    ///
    /// # let reactor = weft_io::Reactor::new()?;
    /// # let _guard = reactor.handle().enter();
    /// # let (a, _b) = std::os::unix::net::UnixStream::pair()?;
    /// let fd = weft_io::io::unix::AsyncFd::new(a)?;
    /// let mut cx = Context::from_waker(Waker::noop());
    /// assert!(fd.poll_read_ready(&mut cx).is_pending()); // nothing sent yet
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn poll_read_ready<'a>(
        &'a self,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<AsyncFdReadyGuard<'a, T>>> {
        self.poll_ready(Direction::Read, cx)
    }

    /// Polls for write readiness; see [`poll_read_ready`](Self::poll_read_ready).
    ///
    /// # Errors
    ///
    /// The runtime-shut-down error (rule 4).
    ///
    /// ```
    /// use std::task::{Context, Waker};
    /// use std::time::Duration;
    ///
    /// # let mut reactor = weft_io::Reactor::new()?;
    /// # let _guard = reactor.handle().enter();
    /// # let (a, _b) = std::os::unix::net::UnixStream::pair()?;
    /// let fd = weft_io::io::unix::AsyncFd::new(a)?;
    /// reactor.turn(Some(Duration::from_secs(5)))?; // an empty socket is writable
    /// let mut cx = Context::from_waker(Waker::noop());
    /// assert!(fd.poll_write_ready(&mut cx).is_ready());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn poll_write_ready<'a>(
        &'a self,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<AsyncFdReadyGuard<'a, T>>> {
        self.poll_ready(Direction::Write, cx)
    }

    /// Waits until the descriptor is readable (rule 3: any number of tasks may wait).
    ///
    /// # Errors
    ///
    /// The runtime-shut-down error (rule 4).
    ///
    /// # Cancel safety
    ///
    /// Cancel-safe: waiting consumes nothing, and a dropped wait gives up its slot.
    ///
    /// ```no_run
    /// use std::io::Read;
    /// use weft_io::io::unix::AsyncFd;
    ///
    /// async fn read(fd: &AsyncFd<std::fs::File>, buf: &mut [u8]) -> std::io::Result<usize> {
    ///     loop {
    ///         let mut guard = fd.readable().await?;
    ///         match guard.try_io(|fd| fd.get_ref().read(buf)) {
    ///             Ok(result) => return result,
    ///             Err(_would_block) => continue, // readiness cleared: wait again
    ///         }
    ///     }
    /// }
    /// ```
    pub async fn readable(&self) -> io::Result<AsyncFdReadyGuard<'_, T>> {
        self.wait(Direction::Read).await
    }

    /// Waits until the descriptor is writable; see [`readable`](Self::readable).
    ///
    /// # Errors
    ///
    /// The runtime-shut-down error (rule 4).
    ///
    /// # Cancel safety
    ///
    /// Cancel-safe: waiting consumes nothing, and a dropped wait gives up its slot.
    ///
    /// ```no_run
    /// use std::io::Write;
    /// use weft_io::io::unix::AsyncFd;
    ///
    /// async fn write(fd: &AsyncFd<std::fs::File>, buf: &[u8]) -> std::io::Result<usize> {
    ///     loop {
    ///         let mut guard = fd.writable().await?;
    ///         if let Ok(result) = guard.try_io(|fd| fd.get_ref().write(buf)) {
    ///             return result;
    ///         }
    ///     }
    /// }
    /// ```
    pub async fn writable(&self) -> io::Result<AsyncFdReadyGuard<'_, T>> {
        self.wait(Direction::Write).await
    }

    fn poll_ready<'a>(
        &'a self,
        direction: Direction,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<AsyncFdReadyGuard<'a, T>>> {
        self.registration()
            .poll_ready(direction, &mut Waiter::Stream, cx)
            .map_ok(|event| self.guard(event))
    }

    fn wait(&self, direction: Direction) -> ReadyWait<'_, T> {
        ReadyWait {
            async_fd: self,
            direction,
            waiter: Waiter::Op(None),
        }
    }

    fn guard(&self, event: ReadyEvent) -> AsyncFdReadyGuard<'_, T> {
        AsyncFdReadyGuard {
            async_fd: self,
            event,
        }
    }

    fn registration(&self) -> &Registration {
        self.io.registration()
    }
}

impl<T: AsRawFd> AsRawFd for AsyncFd<T> {
    fn as_raw_fd(&self) -> RawFd {
        self.inner.as_raw_fd()
    }
}

impl<T: AsRawFd + AsFd> AsFd for AsyncFd<T> {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.inner.as_fd()
    }
}

impl<T: AsRawFd + fmt::Debug> fmt::Debug for AsyncFd<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncFd")
            .field("inner", &self.inner)
            .field("io", &self.io)
            .finish()
    }
}

/// The future behind `readable` and `writable`: an operation waiter with its own slot
/// (rule 3), released when dropped.
struct ReadyWait<'a, T: AsRawFd> {
    async_fd: &'a AsyncFd<T>,
    direction: Direction,
    waiter: Waiter,
}

impl<'a, T: AsRawFd> Future for ReadyWait<'a, T> {
    type Output = io::Result<AsyncFdReadyGuard<'a, T>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let async_fd = this.async_fd;
        async_fd
            .registration()
            .poll_ready(this.direction, &mut this.waiter, cx)
            .map_ok(|event| async_fd.guard(event))
    }
}

impl<T: AsRawFd> Drop for ReadyWait<'_, T> {
    fn drop(&mut self) {
        self.async_fd.registration().release(&mut self.waiter);
    }
}

/// One direction of an [`AsyncFd`] seen ready: try the system call, and give the
/// readiness back if the OS says `WouldBlock` (rule 2).
///
/// Dropping the guard without clearing leaves the direction ready, so the next wait
/// returns at once.
///
/// ```
/// use std::task::{Context, Waker};
/// use std::time::Duration;
///
/// # let mut reactor = weft_io::Reactor::new()?;
/// # let _guard = reactor.handle().enter();
/// # let (a, _b) = std::os::unix::net::UnixStream::pair()?;
/// # a.set_nonblocking(true)?;
/// let fd = weft_io::io::unix::AsyncFd::new(a)?;
/// reactor.turn(Some(Duration::from_secs(5)))?;
/// let mut cx = Context::from_waker(Waker::noop());
/// if let std::task::Poll::Ready(guard) = fd.poll_write_ready(&mut cx) {
///     let mut guard = guard?;
///     guard.clear_ready(); // as if the OS had said WouldBlock
/// }
/// assert!(fd.poll_write_ready(&mut cx).is_pending());
/// # Ok::<(), std::io::Error>(())
/// ```
#[must_use = "a guard says the descriptor is ready: make the system call, and clear \
              the readiness if it says WouldBlock"]
pub struct AsyncFdReadyGuard<'a, T: AsRawFd> {
    async_fd: &'a AsyncFd<T>,
    event: ReadyEvent,
}

impl<'a, T: AsRawFd> AsyncFdReadyGuard<'a, T> {
    /// Gives the readiness back: call it when the OS said `WouldBlock`. Unless an
    /// event arrived since the guard was made (then the readiness stays), the next
    /// wait blocks until the reactor sees the descriptor ready again (rule 2).
    pub fn clear_ready(&mut self) {
        self.async_fd.registration().clear(self.event);
    }

    /// Runs `f`, clearing the readiness if it fails with `WouldBlock`.
    ///
    /// # Errors
    ///
    /// [`TryIoError`] when `f` said `WouldBlock` (wait again); `f`'s own result,
    /// success or other error, otherwise.
    ///
    /// ```no_run
    /// use std::io::Read;
    /// # async fn demo(fd: weft_io::io::unix::AsyncFd<std::fs::File>) -> std::io::Result<()> {
    /// let mut buf = [0; 64];
    /// let mut guard = fd.readable().await?;
    /// match guard.try_io(|fd| fd.get_ref().read(&mut buf)) {
    ///     Ok(result) => println!("read {} bytes", result?),
    ///     Err(_would_block) => println!("nothing after all; wait again"),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn try_io<R>(
        &mut self,
        f: impl FnOnce(&'a AsyncFd<T>) -> io::Result<R>,
    ) -> Result<io::Result<R>, TryIoError> {
        match f(self.async_fd) {
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => {
                self.clear_ready();
                Err(TryIoError(()))
            }
            result => Ok(result),
        }
    }

    /// The [`AsyncFd`] this guard belongs to.
    ///
    /// ```no_run
    /// # async fn demo(fd: weft_io::io::unix::AsyncFd<std::fs::File>) -> std::io::Result<()> {
    /// let guard = fd.readable().await?;
    /// let file: &std::fs::File = guard.get_ref().get_ref();
    /// # Ok(()) }
    /// ```
    pub fn get_ref(&self) -> &'a AsyncFd<T> {
        self.async_fd
    }
}

impl<T: AsRawFd + fmt::Debug> fmt::Debug for AsyncFdReadyGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncFdReadyGuard")
            .field("async_fd", &self.async_fd)
            .field("event", &self.event)
            .finish()
    }
}

/// [`AsyncFdReadyGuard::try_io`]'s closure said `WouldBlock`: the readiness is
/// cleared; wait for it again.
///
/// ```no_run
/// use std::io::Write;
/// use weft_io::io::unix::TryIoError;
///
/// # async fn demo(fd: weft_io::io::unix::AsyncFd<std::fs::File>) -> std::io::Result<()> {
/// let mut guard = fd.writable().await?;
/// let outcome: Result<std::io::Result<usize>, TryIoError> =
///     guard.try_io(|fd| fd.get_ref().write(b"x"));
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct TryIoError(());
