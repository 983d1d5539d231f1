//! [`WeftExecutor`]: hyper's `Executor` on `weft::spawn` (hyper-util's `TokioExecutor`).
//!
//! hyper spawns through it what must run beside a connection: each HTTP/2 stream's
//! service call on a server, each connection's I/O loop in the pooled client. A
//! server made by [`serve`](crate::server::serve) hands hyper an executor bound to
//! its connection scope instead, so those tasks count as the server's and are
//! cancelled with it (`server/scope.rs`).

use crate::server::ScopeSlot;
use std::fmt;
use std::future::Future;
use std::sync::Arc;

/// Runs hyper's background futures as weft tasks (hyper-util's `TokioExecutor`);
/// HTTP/2 needs one, on the server and in the client.
///
/// ```
/// use hyper::server::conn::http2;
/// use weft_hyper::rt::{WeftExecutor, WeftTimer};
///
/// let mut builder = http2::Builder::new(WeftExecutor::new());
/// builder.timer(WeftTimer::new());
/// ```
///
/// # Panics
///
/// hyper calls it from inside its connection futures; it panics there if those are
/// polled outside a weft runtime (as `weft::spawn` does).
#[derive(Clone, Default)]
pub struct WeftExecutor {
    /// A server's connection scope; `None`: plain `weft::spawn`.
    scope: Option<Arc<ScopeSlot>>,
}

impl WeftExecutor {
    /// An executor that spawns on the current weft runtime.
    ///
    /// ```
    /// let builder = hyper::server::conn::http2::Builder::new(weft_hyper::rt::WeftExecutor::new());
    /// # drop(builder);
    /// ```
    pub fn new() -> WeftExecutor {
        WeftExecutor { scope: None }
    }

    /// An executor that spawns into a server's connection scope once it is open.
    pub(crate) fn scoped(scope: Arc<ScopeSlot>) -> WeftExecutor {
        WeftExecutor { scope: Some(scope) }
    }
}

impl<F> hyper::rt::Executor<F> for WeftExecutor
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    fn execute(&self, future: F) {
        match self.scope.as_ref().and_then(|slot| slot.get()) {
            Some(scope) => scope.spawn(async move {
                drop(future.await);
            }),
            None => drop(weft::spawn(future)),
        }
    }
}

impl fmt::Debug for WeftExecutor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WeftExecutor")
            .field("scoped", &self.scope.is_some())
            .finish()
    }
}
