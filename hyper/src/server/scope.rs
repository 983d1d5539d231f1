//! `Scope`: where a server's connections and hyper's HTTP/2 stream tasks run — one
//! `weft::TaskGroup`, and the count of what is still running in it.
//!
//! # Rules
//!
//! 1. **Everything a server runs is a child of its group**: each connection, and each
//!    task hyper spawns for it (HTTP/2 streams, through the scoped
//!    [`WeftExecutor`](crate::rt::WeftExecutor)). Cancelling the group cancels them
//!    all, and the group's future ends only when every one has been dropped.
//! 2. **A child never fails the group.** Its future is wrapped so that a panic is
//!    caught (and counted, and reported to the error hook) inside the child: one
//!    panicking service ends its own connection or stream, never the server.
//! 3. **`live` counts the children**, each from before its spawn until its future is
//!    dropped (a guard moved into the future, so a child cancelled before its first
//!    poll still counts down). `drained` is set once draining has begun *and* `live`
//!    is zero, by whichever of the two happens last: `begin_draining` sets `draining`
//!    then reads `live`; a child's guard decrements `live` then reads `draining` (all
//!    SeqCst), so at least one of them sees both.
//! 4. **No child is added after draining begins**: the accept loop has ended and the
//!    listener is closed before `begin_draining`, and a connection asked to shut down
//!    gracefully starts no new HTTP/2 stream.

use super::stats::Counters;
use std::any::Any;
use std::future::{poll_fn, Future};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, OnceLock};
use std::task::Poll;
use weft::sync::Event;
use weft::TaskGroup;

/// The scope a server's executor spawns into, set once the server's group exists.
pub(crate) type ScopeSlot = OnceLock<Scope>;

#[derive(Clone)]
pub(crate) struct Scope {
    group: TaskGroup,
    shared: Arc<Shared>,
}

struct Shared {
    /// Children running (rule 3).
    live: AtomicUsize,
    /// Draining has begun (rule 3).
    draining: AtomicBool,
    /// Set at the draining's start: connections shut down gracefully.
    shutting_down: Event,
    /// Set once draining has begun and no child runs (rule 3).
    drained: Event,
    counters: Arc<Counters>,
}

impl Scope {
    pub(crate) fn new(group: TaskGroup, counters: Arc<Counters>) -> Scope {
        Scope {
            group,
            shared: Arc::new(Shared {
                live: AtomicUsize::new(0),
                draining: AtomicBool::new(false),
                shutting_down: Event::new(),
                drained: Event::new(),
                counters,
            }),
        }
    }

    /// Runs `future` as a child (rules 1-3). A panic is counted and reported as
    /// `on_panic(payload)` instead of failing the group, both before the future is
    /// dropped (so a client sees its connection close only once it is counted).
    pub(crate) fn spawn_catching<F>(
        &self,
        future: F,
        on_panic: impl FnOnce(Box<dyn Any + Send>) + Send + 'static,
    ) where
        F: Future<Output = ()> + Send + 'static,
    {
        let live = Live::new(&self.shared);
        let counters = self.shared.counters.clone();
        drop(self.group.spawn(async move {
            let _live = live;
            catch_panic(future, move |payload| {
                counters.panicked.fetch_add(1, SeqCst);
                on_panic(payload);
            })
            .await;
        }));
    }

    /// Runs `future` as a child whose panic is only counted (an HTTP/2 stream's).
    pub(crate) fn spawn<F>(&self, future: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        self.spawn_catching(future, drop);
    }

    /// The graceful-shutdown signal connections watch (see `connection.rs`).
    pub(crate) fn shutting_down(&self) -> &Event {
        &self.shared.shutting_down
    }

    /// Asks every connection to finish (rule 4: nothing new is accepted by now).
    pub(crate) fn begin_draining(&self) {
        self.shared.shutting_down.set();
        self.shared.draining.store(true, SeqCst);
        if self.shared.live.load(SeqCst) == 0 {
            self.shared.drained.set();
        }
    }

    /// Waits until draining has begun and no child runs.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: waiting again resumes it.
    pub(crate) async fn drained(&self) {
        self.shared.drained.wait().await;
    }

    /// Cancels every child (rule 1).
    pub(crate) fn cancel_all(&self) {
        self.group.cancel();
    }
}

/// Counts one child in `live` while it exists (rule 3).
struct Live(Arc<Shared>);

impl Live {
    fn new(shared: &Arc<Shared>) -> Live {
        shared.live.fetch_add(1, SeqCst);
        Live(shared.clone())
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        if self.0.live.fetch_sub(1, SeqCst) == 1 && self.0.draining.load(SeqCst) {
            self.0.drained.set();
        }
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
