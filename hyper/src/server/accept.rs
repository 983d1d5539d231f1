//! The accept loop: takes connections until the stop signal, riding out the errors a
//! busy server meets.
//!
//! # Rules
//!
//! 1. **The stop signal wins.** It is polled before every accept and during every
//!    back-off, so a server stops accepting as soon as it is told to.
//! 2. **Only the runtime's shutdown ends the loop with an error**; every other accept
//!    error is weft's [`AcceptBackoff`]'s to wait out (the policy of
//!    `weft::net::start_server`).

use super::unless::unless;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use weft::net::{AcceptBackoff, TcpListener, TcpStream};

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
    let mut backoff = AcceptBackoff::new();
    loop {
        let Some(result) = unless(stop.as_mut(), listener.accept()).await else {
            return Ok(());
        };
        match result {
            Ok((stream, peer)) => {
                backoff.reset();
                accepted(stream, peer);
            }
            Err(err) => match unless(stop.as_mut(), backoff.wait(err)).await {
                None | Some(Ok(())) => {}
                Some(Err(shutdown)) => return Err(shutdown),
            },
        }
    }
}
