//! [`RuntimeWatch`]: one runtime's part in signal delivery — a duplicate of the
//! self-pipe's read end on the runtime's reactor, and the dispatcher task that drains
//! it (signal rules 3, 4 and 6).

use super::table::{table, Table};
use crate::loom::sync::atomic::{AtomicBool, Ordering::SeqCst};
use crate::loom::Arc;
use crate::scheduler;
use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::sync::Weak;
use weft_io::io::unix::AsyncFd;

/// A runtime whose dispatcher serves signal listeners.
pub(crate) struct RuntimeWatch {
    /// Which runtime: the one whose listeners this watch closes (rule 6).
    runtime: scheduler::Handle,
    /// The dispatcher has ended (the runtime shut down): its listeners yield `None`.
    closed: AtomicBool,
}

impl fmt::Debug for RuntimeWatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RuntimeWatch")
            .field("closed", &self.is_closed())
            .finish_non_exhaustive()
    }
}

impl RuntimeWatch {
    /// Whether this runtime's dispatcher has ended (signal rule 6).
    pub(crate) fn is_closed(&self) -> bool {
        self.closed.load(SeqCst)
    }
}

/// The watch of the runtime `runtime`, starting its dispatcher on first use (signal
/// rule 3).
///
/// # Errors
///
/// The OS's error duplicating or registering the pipe (`EMFILE`), or the
/// runtime-shut-down error.
pub(crate) fn watch(runtime: &scheduler::Handle) -> io::Result<Arc<RuntimeWatch>> {
    let table = table()?;
    let (watch, pipe) = {
        let mut watches = table.watches.lock();
        watches.retain(|watch| watch.strong_count() > 0);
        let live = watches
            .iter()
            .filter_map(Weak::upgrade)
            .find(|watch| !watch.is_closed() && watch.runtime.ptr_eq(runtime));
        if let Some(watch) = live {
            return Ok(watch);
        }
        // Registered with this runtime's reactor, whichever thread we are on.
        let _reactor = runtime.driver().io.enter();
        let pipe = AsyncFd::new(table.watch_pipe()?)?;
        let watch = Arc::new(RuntimeWatch {
            runtime: runtime.clone(),
            closed: AtomicBool::new(false),
        });
        watches.push(Arc::downgrade(&watch));
        (watch, pipe)
    };
    // Spawned after the lock is released: an eager first poll must not find it held.
    let dispatcher = dispatch(table, Closer(watch.clone()), pipe);
    let handle = crate::Handle {
        inner: runtime.clone(),
    };
    drop(
        crate::task::Builder::new()
            .name("weft::signal dispatcher")
            .spawn_on(dispatcher, &handle),
    );
    Ok(watch)
}

/// Marks the watch closed and wakes every listener when the dispatcher ends, however
/// it ends (signal rule 6).
struct Closer(Arc<RuntimeWatch>);

impl Drop for Closer {
    fn drop(&mut self) {
        self.0.closed.store(true, SeqCst);
        if let Ok(table) = table() {
            table.wake_everyone();
        }
    }
}

/// The dispatcher: waits for the pipe, drains it, then dispatches every pending
/// delivery (signal rule 4) — until the reactor shuts down.
async fn dispatch(table: &'static Table, closer: Closer, pipe: AsyncFd<File>) {
    let _closer = closer;
    let mut scratch = [0u8; 64];
    loop {
        let Ok(mut guard) = pipe.readable().await else {
            return; // the reactor shut down
        };
        // Drain to `WouldBlock` (which clears the readiness), then take the flags: a
        // handler's flag is stored before its byte is written (signal rule 4).
        loop {
            match guard.try_io(|pipe| pipe.get_ref().read(&mut scratch)) {
                Ok(Ok(n)) if n > 0 => {}
                Ok(Err(err)) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(_would_block) => break,
                // End of file or another error cannot happen while the table holds
                // the write end; if it did, the pipe would stay ready and this loop
                // would spin. Deliver what is pending and end: the watch closes, and
                // the next listener of this runtime starts a new dispatcher.
                Ok(_) => {
                    table.dispatch_all();
                    return;
                }
            }
        }
        table.dispatch_all();
    }
}
