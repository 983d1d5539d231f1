//! Per-worker event counters behind `Handle::metrics()`.
//!
//! Each worker writes only its own `WorkerCounters`, so an increment is a relaxed load
//! and store (no locked instruction); readers on other threads see a recent value.
//! The block is cache-padded so one worker's counting never invalidates another's line.

use crate::loom::sync::atomic::{AtomicU64, Ordering::Relaxed};
use crossbeam_utils::CachePadded;

/// A counter with a single writer.
#[derive(Default)]
pub(crate) struct Counter(AtomicU64);

impl Counter {
    /// Adds one. Only the owning worker calls this.
    #[inline]
    pub(crate) fn incr(&self) {
        self.0.store(self.0.load(Relaxed).wrapping_add(1), Relaxed);
    }

    pub(crate) fn get(&self) -> u64 {
        self.0.load(Relaxed)
    }
}

/// The counters of one worker.
#[derive(Default)]
pub(crate) struct WorkerCounters {
    pub(crate) polls: Counter,
    pub(crate) steals: Counter,
    pub(crate) parks: Counter,
    pub(crate) noop_wakes: Counter,
    pub(crate) lifo_hits: Counter,
    pub(crate) injector_pops: Counter,
}

pub(crate) type PaddedCounters = CachePadded<WorkerCounters>;
