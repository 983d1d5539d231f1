//! Unix signals by kind: [`signal`] makes a [`Signal`], a stream of deliveries.

use super::runtime_watch::{self, RuntimeWatch};
use super::slot::{Slot, Subscription};
use super::table::table;
use crate::loom::Arc;
use crate::scheduler;
use futures_core::Stream;
use std::fmt;
use std::future::poll_fn;
use std::future::Future;
use std::io;
use std::panic::Location;
use std::pin::Pin;
use std::task::{Context, Poll};
use weft_core::waiting::{recorded, WaitOn};

pub use super::kind::SignalKind;

/// Listens for `kind`: every delivery of the signal to this process after this call
/// is seen by the returned [`Signal`] (a burst may arrive as one), in every runtime
/// that listens (signal rules 1 to 5).
///
/// The first call for a signal installs weft's handler for it, for the rest of the
/// process: from then on the signal's default action (for `SIGINT` and `SIGTERM`:
/// ending the process) no longer happens, even after every `Signal` is dropped.
///
/// # Errors
///
/// `InvalidInput` for a number that is not a signal or cannot be caught (`SIGKILL`,
/// `SIGSTOP`) or must not be (`SIGSEGV`, `SIGILL`, `SIGFPE`); the OS's error when the
/// self-pipe cannot be made (`EMFILE`); an error saying so outside a weft runtime or
/// once it has shut down.
///
/// ```
/// use weft::signal::unix::{signal, SignalKind};
///
/// weft::run(async {
///     let mut hangups = signal(SignalKind::hangup())?;
///     // SAFETY: raising a signal at ourselves; weft handles SIGHUP now.
///     unsafe { libc::raise(libc::SIGHUP) };
///     hangups.recv().await;
///     println!("reloading the configuration");
///     std::io::Result::Ok(())
/// })?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn signal(kind: SignalKind) -> io::Result<Signal> {
    let runtime = crate::scheduler::context::try_current().ok_or_else(|| {
        io::Error::other(
            "weft::signal::unix::signal was called outside a weft runtime: call it from \
             inside Runtime::block_on or a task",
        )
    })?;
    listen(kind, &runtime)
}

/// [`signal`] for the runtime `runtime`, from any thread (the process module's
/// SIGCHLD listeners).
pub(crate) fn listen(kind: SignalKind, runtime: &scheduler::Handle) -> io::Result<Signal> {
    let index = kind.listenable()?;
    let table = table()?;
    // The handler first: a subscription must only promise deliveries the handler
    // will record (rule 1).
    table.install(kind, index)?;
    let watch = runtime_watch::watch(runtime)?;
    let slot = table.slot(index);
    Ok(Signal {
        kind,
        slot,
        subscription: slot.subscribe(),
        watch,
    })
}

/// The deliveries of one signal to this process, from [`signal`]: a
/// [`Stream`] of `()`, or [`Signal::recv`] in a loop.
///
/// Each `Signal` sees every delivery made after it was created; deliveries that come
/// faster than it is polled coalesce into one. It ends (`None`) when the runtime it
/// was created in shuts down. Dropping it stops listening; the handler stays.
///
/// ```
/// use weft::signal::unix::{signal, SignalKind};
///
/// weft::run(async {
///     let mut winch = signal(SignalKind::window_change())?;
///     let listener = weft::spawn(async move {
///         winch.recv().await;
///         "resized"
///     });
///     // SAFETY: raising a signal at ourselves; weft handles SIGWINCH now.
///     unsafe { libc::raise(libc::SIGWINCH) };
///     assert_eq!(listener.await.unwrap(), "resized");
///     std::io::Result::Ok(())
/// })?;
/// # Ok::<(), std::io::Error>(())
/// ```
#[must_use = "a Signal sees deliveries only while it is polled; drop it to stop listening"]
pub struct Signal {
    kind: SignalKind,
    slot: &'static Slot,
    subscription: Subscription,
    watch: Arc<RuntimeWatch>,
}

impl Signal {
    /// Waits for the next delivery: `Some(())`, or `None` once the runtime has shut
    /// down and no more can come.
    ///
    /// # Cancel safety
    ///
    /// Cancel-safe: a delivery that arrives while the future is dropped is seen by the
    /// next `recv` (the `Signal` keeps the count, not the future).
    ///
    /// ```
    /// use weft::signal::unix::{signal, SignalKind};
    ///
    /// weft::run(async {
    ///     let mut usr2 = signal(SignalKind::user_defined2())?;
    ///     // SAFETY: raising a signal at ourselves; weft handles SIGUSR2 now.
    ///     unsafe { libc::raise(libc::SIGUSR2) };
    ///     assert_eq!(usr2.recv().await, Some(()));
    ///     std::io::Result::Ok(())
    /// })?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    #[track_caller]
    pub fn recv(&mut self) -> impl Future<Output = Option<()>> + '_ {
        recorded(
            &WaitOn("Signal::recv"),
            Location::caller(),
            self.recv_unrecorded(),
        )
    }

    /// [`recv`](Self::recv) without its wait record.
    async fn recv_unrecorded(&mut self) -> Option<()> {
        poll_fn(|cx| self.poll_recv(cx)).await
    }

    /// Polls for the next delivery; on `Pending` the task is woken when one arrives
    /// (slot rule 3).
    ///
    /// ```
    /// use std::future::poll_fn;
    /// use weft::signal::unix::{signal, SignalKind};
    ///
    /// weft::run(async {
    ///     let mut usr1 = signal(SignalKind::user_defined1())?;
    ///     // SAFETY: raising a signal at ourselves; weft handles SIGUSR1 now.
    ///     unsafe { libc::raise(libc::SIGUSR1) };
    ///     assert_eq!(poll_fn(|cx| usr1.poll_recv(cx)).await, Some(()));
    ///     std::io::Result::Ok(())
    /// })?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<()>> {
        match self.slot.poll_delivery(&mut self.subscription, cx) {
            Poll::Ready(()) => Poll::Ready(Some(())),
            // Checked after the waker is stored: a dispatcher that ends after this
            // wakes us (signal rule 6).
            Poll::Pending if self.watch.is_closed() => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }

    /// The signal this listens for.
    ///
    /// ```
    /// use weft::signal::unix::{signal, SignalKind};
    ///
    /// weft::run(async {
    ///     let usr1 = signal(SignalKind::user_defined1())?;
    ///     assert_eq!(usr1.kind(), SignalKind::user_defined1());
    ///     std::io::Result::Ok(())
    /// })?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn kind(&self) -> SignalKind {
        self.kind
    }
}

impl Stream for Signal {
    type Item = ();

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<()>> {
        self.get_mut().poll_recv(cx)
    }
}

impl Drop for Signal {
    fn drop(&mut self) {
        self.slot.unsubscribe(&self.subscription);
    }
}

impl fmt::Debug for Signal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signal")
            .field("kind", &self.kind)
            .field("subscription", &self.subscription)
            .finish_non_exhaustive()
    }
}
