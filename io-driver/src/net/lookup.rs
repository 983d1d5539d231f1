//! Host name resolution off the caller's thread.
//!
//! The OS resolver (`getaddrinfo`) blocks, for as long as DNS takes. A task must not
//! block its worker, so a name that is not a literal address is resolved on a
//! short-lived std thread, which hands the result back and wakes the waiting task.
//!
//! # Rules
//!
//! 1. The resolver thread writes the result, then takes the waker, under the lock;
//!    the waiting future takes the result, or stores its waker, under the same lock.
//!    Whichever comes second sees the other: no lost wakeup.
//! 2. The waker is woken, and a displaced waker dropped, outside the lock.
//! 3. Dropping the future abandons the lookup: the thread finishes on its own and its
//!    result is dropped with the shared slot.

use crate::loom::{thread, Arc, Mutex};
use std::fmt;
use std::future::Future;
use std::io;
use std::net::{SocketAddr, ToSocketAddrs as _};
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

#[derive(Default)]
struct Slot {
    result: Option<io::Result<Vec<SocketAddr>>>,
    waker: Option<Waker>,
}

/// The result of resolving `host:port` on a resolver thread.
#[must_use = "futures do nothing unless polled"]
pub(crate) struct Lookup {
    slot: Arc<Mutex<Slot>>,
}

impl Lookup {
    /// Starts resolving `host_port` (a `host:port` string) on a new thread.
    pub(crate) fn spawn(host_port: String) -> io::Result<Lookup> {
        let slot = Arc::new(Mutex::new(Slot::default()));
        let theirs = slot.clone();
        thread::Builder::new()
            .name("weft-resolve".to_owned())
            .spawn(move || {
                let result = host_port
                    .to_socket_addrs()
                    .map(|addrs| addrs.collect::<Vec<_>>());
                let waker = {
                    let mut slot = theirs.lock();
                    slot.result = Some(result);
                    slot.waker.take()
                };
                if let Some(waker) = waker {
                    waker.wake();
                }
            })?;
        Ok(Lookup { slot })
    }
}

impl Future for Lookup {
    type Output = io::Result<Vec<SocketAddr>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut slot = self.slot.lock();
        if let Some(result) = slot.result.take() {
            return Poll::Ready(result);
        }
        let displaced = match &slot.waker {
            Some(waker) if waker.will_wake(cx.waker()) => None,
            _ => slot.waker.replace(cx.waker().clone()),
        };
        drop(slot);
        drop(displaced);
        Poll::Pending
    }
}

impl fmt::Debug for Lookup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lookup").finish_non_exhaustive()
    }
}
