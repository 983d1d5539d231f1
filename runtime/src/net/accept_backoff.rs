//! [`AcceptBackoff`]: what an accept loop does after `accept` fails — the policy of
//! [`start_server`](super::start_server)'s loop, for loops written elsewhere (the
//! HTTP server in `weft-rt-hyper`).
//!
//! # Rules
//!
//! 1. **Only the runtime's shutdown ends a loop.** Every other error is retried.
//! 2. **Running out of descriptors or memory** (`EMFILE`, `ENFILE`, `ENOBUFS`,
//!    `ENOMEM`) **backs off** — 1 ms, doubling up to 1 s — so the server serves again
//!    once descriptors are freed instead of spinning on a queued connection it cannot
//!    take; a success starts the back-off over.
//! 3. **Any other error** (a connection reset while it was queued) **retries after a
//!    yield**, so no error can spin the loop.

use std::io;
use std::time::Duration;
use weft_io::RuntimeShutdown;

/// The first back-off after running out of descriptors (rule 2).
const FIRST_BACKOFF: Duration = Duration::from_millis(1);
/// The longest back-off.
const MAX_BACKOFF: Duration = Duration::from_secs(1);

/// The error policy of an accept loop (see the rules above): after a failed `accept`,
/// [`wait`](AcceptBackoff::wait) says whether to go on, and waits as long as the error
/// calls for; after a successful one, [`reset`](AcceptBackoff::reset).
///
/// ```no_run
/// use weft::net::{AcceptBackoff, TcpListener};
///
/// # async fn demo(listener: TcpListener) -> std::io::Result<()> {
/// let mut backoff = AcceptBackoff::new();
/// loop {
///     match listener.accept().await {
///         Ok((stream, _peer)) => {
///             backoff.reset();
///             drop(weft::spawn(async move { drop(stream) }));
///         }
///         // Out of descriptors: wait and retry; the runtime shut down: stop.
///         Err(err) => backoff.wait(err).await?,
///     }
/// }
/// # }
/// ```
#[derive(Debug)]
pub struct AcceptBackoff {
    next: Duration,
}

impl AcceptBackoff {
    /// A loop's policy, with no back-off yet.
    pub fn new() -> AcceptBackoff {
        AcceptBackoff {
            next: FIRST_BACKOFF,
        }
    }

    /// After a successful accept: the next resource error waits 1 ms again (rule 2).
    pub fn reset(&mut self) {
        self.next = FIRST_BACKOFF;
    }

    /// After `accept` failed with `err`: `Err(err)` if the loop must stop (the
    /// runtime shut down, rule 1); otherwise waits — backs off for a resource error
    /// (rule 2), yields for any other (rule 3) — and returns `Ok(())` to retry.
    ///
    /// # Errors
    ///
    /// `err` itself, when it is the runtime's shutdown error.
    ///
    /// # Cancel safety
    ///
    /// Dropping it cuts the wait short; the back-off has already grown.
    pub async fn wait(&mut self, err: io::Error) -> io::Result<()> {
        if RuntimeShutdown::is(&err) {
            return Err(err);
        }
        if is_out_of_resources(&err) {
            let wait = self.next;
            self.next = (self.next * 2).min(MAX_BACKOFF);
            crate::time::sleep(wait).await;
        } else {
            crate::yield_now().await;
        }
        Ok(())
    }
}

impl Default for AcceptBackoff {
    fn default() -> AcceptBackoff {
        AcceptBackoff::new()
    }
}

/// Errors that mean "not now" rather than "not this connection" (rule 2).
fn is_out_of_resources(err: &io::Error) -> bool {
    const EMFILE: i32 = 24;
    const ENFILE: i32 = 23;
    const ENOBUFS: i32 = 105;
    const ENOMEM: i32 = 12;
    matches!(err.raw_os_error(), Some(EMFILE | ENFILE | ENOBUFS | ENOMEM))
        || err.kind() == io::ErrorKind::OutOfMemory
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paused() -> crate::Runtime {
        crate::Runtime::builder()
            .current_thread()
            .start_paused(true)
            .build()
            .unwrap()
    }

    #[test]
    fn resource_errors_back_off_doubling_and_a_success_starts_over() {
        paused().block_on(async {
            let mut backoff = AcceptBackoff::new();
            let emfile = || io::Error::from_raw_os_error(24);
            let mut waited = Vec::new();
            for _ in 0..12 {
                let start = crate::time::Instant::now();
                backoff.wait(emfile()).await.unwrap();
                waited.push(start.elapsed().as_millis());
            }
            assert_eq!(waited[..4], [1, 2, 4, 8]);
            assert_eq!(*waited.last().unwrap(), 1000);
            backoff.reset();
            let start = crate::time::Instant::now();
            backoff.wait(emfile()).await.unwrap();
            assert_eq!(start.elapsed().as_millis(), 1);
        });
    }

    #[test]
    fn other_errors_retry_at_once_and_shutdown_stops() {
        paused().block_on(async {
            let mut backoff = AcceptBackoff::new();
            let start = crate::time::Instant::now();
            let reset = io::Error::from(io::ErrorKind::ConnectionReset);
            backoff.wait(reset).await.unwrap();
            assert_eq!(start.elapsed(), Duration::ZERO);
            let shutdown = io::Error::other(RuntimeShutdown);
            assert!(backoff.wait(shutdown).await.is_err());
        });
    }
}
