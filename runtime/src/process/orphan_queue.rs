//! [`OrphanQueue`]: children nobody waits for any more, reaped when they exit
//! (process rules 4 and 5). Generic over the child so its tests need no process.
//!
//! # Rules
//!
//! 1. **One lock.** The orphans are touched only under the queue's lock; a pass
//!    reaps with `waitpid(pid, WNOHANG)`, which never blocks.
//! 2. **Reaped on the spot first.** A pushed orphan that has already exited is reaped
//!    at once and never queued.
//! 3. **Gone means gone.** A pass drops every orphan reaped, and every one that is no
//!    longer ours to reap (`ECHILD`); the others stay for the next pass.

use crate::loom::Mutex;

/// A child process the queue can try to reap.
pub(crate) trait Orphan {
    /// Reaps the process if it has exited (`waitpid(pid, WNOHANG)`); `true` when it
    /// is gone: reaped now, or no longer ours to reap (rule 3).
    fn try_reap(&mut self) -> bool;
}

impl Orphan for std::process::Child {
    fn try_reap(&mut self) -> bool {
        !matches!(self.try_wait(), Ok(None))
    }
}

/// The orphans of the process.
#[derive(Debug)]
pub(crate) struct OrphanQueue<C> {
    orphans: Mutex<Vec<C>>,
}

impl<C: Orphan> OrphanQueue<C> {
    /// No orphan.
    pub(crate) fn new() -> OrphanQueue<C> {
        OrphanQueue {
            orphans: Mutex::new(Vec::new()),
        }
    }

    /// Adopts `orphan`: reaped on the spot if it has exited, queued otherwise
    /// (rule 2).
    pub(crate) fn push(&self, mut orphan: C) {
        let mut orphans = self.orphans.lock();
        if !orphan.try_reap() {
            orphans.push(orphan);
        }
    }

    /// Reaps every orphan that has exited (rule 3); returns how many are left.
    pub(crate) fn reap(&self) -> usize {
        let mut orphans = self.orphans.lock();
        orphans.retain_mut(|orphan| !orphan.try_reap());
        orphans.len()
    }

    /// Whether no orphan waits.
    pub(crate) fn is_empty(&self) -> bool {
        self.orphans.lock().is_empty()
    }
}

#[cfg(all(test, not(weft_loom)))]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
    use std::sync::Arc;

    /// A child that has exited once its flag is set; counts its reaps.
    struct Fake {
        exited: Arc<AtomicBool>,
        reaped: Arc<AtomicBool>,
    }

    impl Orphan for Fake {
        fn try_reap(&mut self) -> bool {
            let exited = self.exited.load(SeqCst);
            if exited {
                assert!(!self.reaped.swap(true, SeqCst), "reaped twice");
            }
            exited
        }
    }

    fn fake(exited: bool) -> (Fake, Arc<AtomicBool>, Arc<AtomicBool>) {
        let flags: (Arc<AtomicBool>, Arc<AtomicBool>) =
            (Arc::new(AtomicBool::new(exited)), Arc::default());
        let fake = Fake {
            exited: flags.0.clone(),
            reaped: flags.1.clone(),
        };
        (fake, flags.0, flags.1)
    }

    #[test]
    fn an_orphan_that_has_exited_is_reaped_on_the_spot() {
        let queue = OrphanQueue::new();
        let (orphan, _exited, reaped) = fake(true);
        queue.push(orphan);
        assert!(reaped.load(SeqCst));
        assert!(queue.is_empty());
    }

    #[test]
    fn a_running_orphan_waits_for_the_pass_after_its_exit() {
        let queue = OrphanQueue::new();
        let (orphan, exited, reaped) = fake(false);
        queue.push(orphan);
        assert_eq!(queue.reap(), 1);
        assert!(!reaped.load(SeqCst));
        exited.store(true, SeqCst);
        assert_eq!(queue.reap(), 0);
        assert!(reaped.load(SeqCst));
        assert_eq!(queue.reap(), 0, "a reaped orphan stays gone");
    }

    #[test]
    fn a_pass_reaps_the_exited_and_keeps_the_rest() {
        let queue = OrphanQueue::new();
        let orphans: Vec<_> = (0..4).map(|_| fake(false)).collect();
        let mut flags = Vec::new();
        for (orphan, exited, reaped) in orphans {
            queue.push(orphan);
            flags.push((exited, reaped));
        }
        flags[1].0.store(true, SeqCst);
        flags[3].0.store(true, SeqCst);
        assert_eq!(queue.reap(), 2);
        let reaped: Vec<bool> = flags.iter().map(|(_, r)| r.load(SeqCst)).collect();
        assert_eq!(reaped, [false, true, false, true]);
    }
}
