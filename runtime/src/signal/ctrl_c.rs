//! [`ctrl_c`]: asyncio's `loop.add_signal_handler(signal.SIGINT, ...)` for the common
//! case, as a future.

use super::unix::{signal, SignalKind};
use std::future::Future;
use std::io;
use std::panic::Location;
use weft_core::waiting::{recorded, WaitOn};

/// Waits for the next Ctrl-C (`SIGINT`) delivered to this process.
///
/// The first call installs weft's `SIGINT` handler for the rest of the process: from
/// then on Ctrl-C no longer ends the program by itself — the program decides, here.
///
/// # Errors
///
/// As [`signal`]: outside a weft runtime, the OS's error making the self-pipe; and
/// an error saying so when the runtime shuts down before a Ctrl-C comes.
///
/// # Cancel safety
///
/// The listener is made when the future is first polled, and dropped with it: a
/// Ctrl-C before the first poll, or after the future is dropped, is not seen by it.
/// To miss none in a loop, keep one [`signal`]`(SignalKind::interrupt())` and call
/// its `recv`.
///
/// ```
/// let rt = weft::Runtime::builder().current_thread().build()?;
/// rt.block_on(async {
///     // Eager: polled once inside `spawn`, so it listens from here on.
///     let ctrl_c = weft::task::Builder::new().eager(true).spawn(weft::signal::ctrl_c());
///     // SAFETY: raising a signal at ourselves (the user pressing Ctrl-C).
///     unsafe { libc::raise(libc::SIGINT) };
///     ctrl_c.await.unwrap()?;
///     println!("shutting down");
///     std::io::Result::Ok(())
/// })?;
/// # Ok::<(), std::io::Error>(())
/// ```
#[track_caller]
pub fn ctrl_c() -> impl Future<Output = io::Result<()>> {
    recorded(&WaitOn("ctrl_c"), Location::caller(), ctrl_c_unrecorded())
}

/// [`ctrl_c`](Self::ctrl_c) without its wait record.
async fn ctrl_c_unrecorded() -> io::Result<()> {
    let mut interrupts = signal(SignalKind::interrupt())?;
    interrupts.recv().await.ok_or_else(|| {
        io::Error::other("the weft runtime shut down before a Ctrl-C (SIGINT) arrived")
    })
}
