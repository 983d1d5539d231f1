//! `Scope`: where a server's connections and hyper's HTTP/2 stream tasks run — one
//! `weft::TaskGroup` — and the signal that asks them to finish.
//!
//! # Rules
//!
//! 1. **Everything a server runs is a child of its group**: each connection, and each
//!    task hyper spawns for it (HTTP/2 streams, through the scoped
//!    [`WeftExecutor`](crate::rt::WeftExecutor)). The group's future ends only once
//!    the accept loop (its body) has returned and every child has been dropped;
//!    cancelling the group cancels every child.
//! 2. **A child never fails the group.** Its future is wrapped so that a panic is
//!    caught inside the child, counted and reported to the error hook. This is the
//!    backstop: a panic in the service's own call is caught closer, and answered with
//!    a 500 (`catch_panic.rs`); what reaches here (a panicking response body, say)
//!    ends its own connection or stream, never the server.
//! 3. **No child is added after draining begins**: the accept loop has ended and the
//!    listener is closed before `begin_draining`, and a connection asked to shut down
//!    gracefully starts no new HTTP/2 stream.

use super::stats::Counters;
use std::any::Any;
use std::future::{poll_fn, Future};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::pin;
use std::sync::atomic::Ordering::SeqCst;
use std::sync::{Arc, OnceLock};
use std::task::Poll;
use weft::sync::Event;
use weft::TaskGroup;

/// The scope a server's executor spawns into, set once the server's group exists.
pub(crate) type ScopeSlot = OnceLock<Scope>;

#[derive(Clone)]
pub(crate) struct Scope {
    group: TaskGroup,
    /// Set when draining begins: connections shut down gracefully.
    shutting_down: Arc<Event>,
    counters: Arc<Counters>,
}

impl Scope {
    pub(crate) fn new(
        group: TaskGroup,
        shutting_down: Arc<Event>,
        counters: Arc<Counters>,
    ) -> Scope {
        Scope {
            group,
            shutting_down,
            counters,
        }
    }

    /// Runs `future` as a child (rules 1, 2); a panic goes to `on_panic(payload)`
    /// instead of failing the group.
    pub(crate) fn spawn_catching<F>(
        &self,
        future: F,
        on_panic: impl FnOnce(Box<dyn Any + Send>) + Send + 'static,
    ) where
        F: Future<Output = ()> + Send + 'static,
    {
        drop(self.group.spawn(catch_panic(future, on_panic)));
    }

    /// Runs `future` as a child whose panic is only counted (an HTTP/2 stream's:
    /// the service's own panics are caught inside it already, `catch_panic.rs`).
    pub(crate) fn spawn<F>(&self, future: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let counters = self.counters.clone();
        self.spawn_catching(future, move |_payload| {
            counters.panicked.fetch_add(1, SeqCst);
        });
    }

    /// The graceful-shutdown signal connections watch (see `connection.rs`).
    pub(crate) fn shutting_down(&self) -> &Event {
        &self.shutting_down
    }

    /// Asks every connection to finish (rule 3: nothing new is accepted by now).
    pub(crate) fn begin_draining(&self) {
        self.shutting_down.set();
    }

    /// Cancels every child (rule 1).
    pub(crate) fn cancel_all(&self) {
        self.group.cancel();
    }
}

/// Polls `future`, handing a panic in any poll to `on_panic` (rule 2) and then ending
/// as if the future had; the future is dropped after `on_panic` returns.
///
/// # Cancel safety
///
/// Dropping it drops `future`.
async fn catch_panic<F: Future<Output = ()>>(
    future: F,
    on_panic: impl FnOnce(Box<dyn Any + Send>),
) {
    let mut future = pin!(future);
    let mut on_panic = Some(on_panic);
    poll_fn(
        move |cx| match catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(cx))) {
            Ok(poll) => poll,
            Err(payload) => {
                if let Some(on_panic) = on_panic.take() {
                    on_panic(payload);
                }
                Poll::Ready(())
            }
        },
    )
    .await
}
