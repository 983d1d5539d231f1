//! The accept loop: takes connections until the stop signal, riding out the errors a
//! busy server meets.
//!
//! # Rules
//!
//! 1. **The stop signal wins.** It is polled before every accept and during every
//!    back-off, so a server stops accepting as soon as it is told to.
//! 2. **Only the runtime's shutdown ends the loop with an error.** Running out of
//!    descriptors or memory (`EMFILE`, `ENFILE`, `ENOBUFS`, `ENOMEM`) backs off — 1 ms,
//!    doubling up to 1 s — and retries, so the server serves again once descriptors
//!    are freed; any other error (a connection reset while queued) retries after a
//!    yield, so no error can spin the loop.

use super::unless::unless;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::time::Duration;
use weft::net::{RuntimeShutdown, TcpListener, TcpStream};

/// The first back-off after running out of descriptors (rule 2).
const FIRST_BACKOFF: Duration = Duration::from_millis(1);
/// The longest back-off.
const MAX_BACKOFF: Duration = Duration::from_secs(1);

/// The signal that ends the accept loop.
pub(crate) type StopSignal = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Accepts on `listener` and hands each connection to `accepted`, until `stop`
/// completes (`Ok`) or the runtime shuts down (`Err`).
///
/// # Cancel safety
///
/// Cancel safe: a connection is either handed to `accepted` or left queued.
pub(crate) async fn accept_until(
    listener: &TcpListener,
    stop: &mut StopSignal,
    mut accepted: impl FnMut(TcpStream, SocketAddr),
) -> io::Result<()> {
    let mut backoff = FIRST_BACKOFF;
    loop {
        let Some(result) = unless(stop.as_mut(), listener.accept()).await else {
            return Ok(());
        };
        match result {
            Ok((stream, peer)) => {
                backoff = FIRST_BACKOFF;
                accepted(stream, peer);
            }
            Err(err) if RuntimeShutdown::is(&err) => return Err(err),
            Err(err) if is_out_of_resources(&err) => {
                if unless(stop.as_mut(), weft::time::sleep(backoff))
                    .await
                    .is_none()
                {
                    return Ok(());
                }
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
            Err(_) => weft::yield_now().await,
        }
    }
}

/// Errors that mean "not now" rather than "not this connection" (rule 2).
fn is_out_of_resources(err: &io::Error) -> bool {
    const ENOMEM: i32 = 12;
    const ENFILE: i32 = 23;
    const EMFILE: i32 = 24;
    const ENOBUFS: i32 = 105;
    matches!(err.raw_os_error(), Some(ENOMEM | ENFILE | EMFILE | ENOBUFS))
        || err.kind() == io::ErrorKind::OutOfMemory
}
