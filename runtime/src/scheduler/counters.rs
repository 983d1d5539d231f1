//! Per-worker event counters behind `Handle::metrics()`.
//!
//! Each worker writes only its own `WorkerCounters`, so an increment is a relaxed load
//! and store (no locked instruction); readers on other threads see a recent value.
//! The block is cache-padded so one worker's counting never invalidates another's line.

use crate::loom::sync::atomic::{AtomicU64, Ordering::Relaxed};
use crossbeam_utils::CachePadded;

/// A counter with a single writer (the worker, or for `handed_over` the monitor).
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
    /// Times the monitor handed this worker's waiting work to the others; written by
    /// the monitor thread only (`multi_thread/monitor.rs`).
    pub(crate) handed_over: Counter,
    /// Polls by duration, when the runtime times them (`Builder::poll_time_histogram`).
    pub(crate) poll_times: [Counter; POLL_TIME_BUCKETS],
}

/// How many buckets the poll-time histogram has.
pub(crate) const POLL_TIME_BUCKETS: usize = 7;

/// The upper bound of each bucket but the last, in nanoseconds: powers of ten from
/// 10 µs to 1 s; the last bucket takes everything longer.
pub(crate) const POLL_TIME_BOUNDS_NANOS: [u64; POLL_TIME_BUCKETS - 1] = [
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
    1_000_000_000,
];

impl WorkerCounters {
    /// Runs one poll, counting it, and timing it into the histogram if `timed`.
    #[inline]
    pub(crate) fn count_poll(&self, timed: bool, poll: impl FnOnce()) {
        self.polls.incr();
        if timed {
            self.timed_poll(poll);
        } else {
            poll();
        }
    }

    /// The histogram's path, out of line: the untimed poll, the default, pays a branch.
    #[cold]
    #[inline(never)]
    fn timed_poll(&self, poll: impl FnOnce()) {
        let start = std::time::Instant::now();
        poll();
        let nanos = u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.record_poll_time(nanos);
    }

    /// Counts one poll of `nanos` nanoseconds in its bucket.
    fn record_poll_time(&self, nanos: u64) {
        let bucket = POLL_TIME_BOUNDS_NANOS
            .iter()
            .position(|&bound| nanos < bound)
            .unwrap_or(POLL_TIME_BUCKETS - 1);
        self.poll_times[bucket].incr();
    }
}

pub(crate) type PaddedCounters = CachePadded<WorkerCounters>;
