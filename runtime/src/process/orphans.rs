//! The process's orphan queue and what reaps it: every spawn, and every SIGCHLD a
//! runtime's signal dispatcher takes (process rules 4 and 5).

use super::orphan_queue::OrphanQueue;
use crate::scheduler;
use crate::signal::unix::{listen, SignalKind};
use crate::signal::when_dispatched;
use std::sync::OnceLock;

/// Every orphan of the process, whichever runtime spawned it: a zombie belongs to the
/// process, not to a runtime.
static ORPHANS: OnceLock<OrphanQueue<std::process::Child>> = OnceLock::new();

fn orphans() -> &'static OrphanQueue<std::process::Child> {
    ORPHANS.get_or_init(OrphanQueue::new)
}

/// Hands `child`, which nobody will wait for, to the orphan queue (process rule 3):
/// first SIGCHLD is watched on `runtime`, then the child is reaped on the spot or
/// queued (process rule 5).
pub(crate) fn adopt(child: std::process::Child, runtime: &scheduler::Handle) {
    watch_sigchld(runtime);
    orphans().push(child);
}

/// The pass every spawn makes first (process rule 4); if orphans wait, SIGCHLD is
/// watched on `runtime` before the pass, so those still running are reaped when they
/// exit even if every runtime that adopted them is gone (process rule 5).
pub(crate) fn reap(runtime: &scheduler::Handle) {
    if !orphans().is_empty() {
        watch_sigchld(runtime);
    }
    orphans().reap();
}

/// Makes sure a SIGCHLD from now on reaps the queue: the handler installed, this
/// runtime's dispatcher running, the queue's pass hooked to the dispatch. If that
/// fails (`EMFILE`, the runtime shut down), the orphans wait for another runtime's
/// SIGCHLD or the next spawn.
fn watch_sigchld(runtime: &scheduler::Handle) {
    when_dispatched(SignalKind::child(), reap_on_sigchld);
    // The listener itself is not needed: making it installs the handler and starts
    // the runtime's dispatcher, which stays for the runtime's life.
    drop(listen(SignalKind::child(), runtime));
}

/// What a dispatcher runs when it takes a SIGCHLD delivery.
fn reap_on_sigchld() {
    orphans().reap();
}
