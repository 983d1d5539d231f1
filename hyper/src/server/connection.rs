//! One connection of a server: hyper-util's auto builder (HTTP/1.1 or HTTP/2, told
//! apart by the client's first bytes) over a weft socket, shut down gracefully when
//! the server drains.
//!
//! # Rules
//!
//! 1. **Graceful shutdown is hyper's**: when the server's `shutting_down` event is
//!    set, the connection calls `graceful_shutdown` once and goes on being polled —
//!    HTTP/1 finishes the request in flight and closes, HTTP/2 sends GOAWAY and
//!    finishes its open streams.
//! 2. **The event is polled on the first poll and then only once it is set.** The
//!    first poll queues this task's waker on the event, and `set` wakes it; a weft
//!    task's waker is the same at every poll, so no later poll needs to re-register,
//!    and a busy connection does not take the event's lock on every poll.
//! 3. **A silent client meets the header-read timeout too.** hyper arms that timer
//!    when it starts reading a request head, but the auto builder first waits for the
//!    bytes that tell HTTP/1 from HTTP/2, with no timer. So, when a header-read timeout
//!    is set, the connection first waits (a `peek`, consuming nothing) for the first
//!    byte under the same limit: a client that connects and says nothing is dropped
//!    when it runs out, as hyper drops one that stops half-way through a head.

use super::unless::unless;
use super::HttpService;
use crate::rt::{WeftExecutor, WeftIo};
use hyper_util::server::conn::auto;
use std::error::Error;
use std::future::{poll_fn, Future};
use std::io;
use std::pin::pin;
use std::time::Duration;
use weft::net::TcpStream;
use weft::sync::Event;

/// What serving one connection needs besides the connection.
pub(crate) struct ConnectionSetup<'a> {
    pub(crate) builder: &'a auto::Builder<WeftExecutor>,
    pub(crate) shutting_down: &'a Event,
    /// The header-read timeout, applied to the first byte too (rule 3).
    pub(crate) first_byte_timeout: Option<Duration>,
}

/// Serves `stream` with `service` until the client or the server closes it; a
/// failure goes to `failed` while the connection is still open, so the client sees
/// it close only after it was accounted for.
///
/// # Cancel safety
///
/// Dropping it closes the connection at once, dropping any request in flight.
pub(crate) async fn serve_connection<S: HttpService>(
    setup: ConnectionSetup<'_>,
    stream: TcpStream,
    service: S,
    failed: impl FnOnce(Box<dyn Error + Send + Sync>),
) {
    if let Some(limit) = setup.first_byte_timeout {
        let stop = pin!(setup.shutting_down.wait());
        match unless(stop, first_byte(&stream, limit)).await {
            Some(Ok(true)) => {}
            // Closed without a request, or the server is draining: nothing to serve.
            Some(Ok(false)) | None => return,
            Some(Err(err)) => return failed(err.into()),
        }
    }
    let conn = setup
        .builder
        .serve_connection_with_upgrades(WeftIo::new(stream), service);
    let mut conn = pin!(conn);
    let mut signal = pin!(setup.shutting_down.wait());
    let mut registered = false;
    let mut asked = false;
    let served = poll_fn(|cx| {
        // Rule 2: register once, then look again only once the flag is up.
        if !asked && (!registered || setup.shutting_down.is_set()) {
            registered = true;
            if signal.as_mut().poll(cx).is_ready() {
                asked = true;
                conn.as_mut().graceful_shutdown(); // rule 1
            }
        }
        conn.as_mut().poll(cx)
    })
    .await;
    if let Err(err) = served {
        failed(err);
    }
}

/// Waits for the client's first byte (rule 3): `true` once one is there, `false` if
/// the client closed first.
///
/// # Cancel safety
///
/// Cancel safe: a peek consumes nothing.
async fn first_byte(stream: &TcpStream, limit: Duration) -> io::Result<bool> {
    let mut byte = [0u8; 1];
    match weft::time::timeout(limit, stream.peek(&mut byte)).await {
        Ok(peeked) => Ok(peeked? > 0),
        Err(_elapsed) => Err(io::Error::new(
            io::ErrorKind::TimedOut,
            format!("the client sent nothing within the header-read timeout ({limit:?})"),
        )),
    }
}
