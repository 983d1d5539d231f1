//! `RuntimeMetrics`: counts for tuning a runtime.

use crate::scheduler;
use crate::scheduler::counters::{WorkerCounters, POLL_TIME_BOUNDS_NANOS, POLL_TIME_BUCKETS};
use std::fmt;
use std::time::Duration;

/// A snapshot of a runtime's counters, taken by [`Handle::metrics`](crate::Handle::metrics).
///
/// ```
/// let rt = weft::Runtime::builder().worker_threads(2).build().unwrap();
/// rt.block_on(async { weft::spawn(async {}).await.unwrap() });
/// let m = rt.handle().metrics();
/// assert_eq!(m.num_workers(), 2);
/// assert!(m.total().polls >= 1);
/// ```
#[derive(Clone, Debug)]
pub struct RuntimeMetrics {
    pub(crate) workers: Vec<WorkerMetrics>,
    pub(crate) live_tasks: usize,
    pub(crate) blocking_threads: usize,
    pub(crate) idle_blocking_threads: usize,
    pub(crate) timers: usize,
    pub(crate) io_registrations: usize,
}

/// What one worker has done since the runtime started.
///
/// The current-thread flavour reports its one thread as worker 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct WorkerMetrics {
    /// Task polls run by this worker.
    pub polls: u64,
    /// Successful steals of a batch from another worker's queue.
    pub steals: u64,
    /// Times the worker went to sleep.
    pub parks: u64,
    /// Times the worker was woken to help and found nothing to do.
    pub noop_wakes: u64,
    /// Tasks taken from the LIFO slot (a task woken by the task just polled).
    pub lifo_hits: u64,
    /// Tasks taken from the global injector queue.
    pub injector_pops: u64,
    /// Times the monitor found this worker stuck in one poll with work waiting behind
    /// it and handed that work to the others ([`Builder::monitor`](crate::Builder::monitor)).
    pub handed_over: u64,
    /// This worker's polls by duration, counted when the runtime was built with
    /// [`Builder::poll_time_histogram`](crate::Builder::poll_time_histogram).
    pub poll_times: PollTimeHistogram,
}

/// Polls counted by how long they took, in buckets fixed at build time: under 10 µs,
/// 100 µs, 1 ms, 10 ms, 100 ms, 1 s, and longer. A poll that lands in the last
/// buckets held its worker that long: look for blocking calls or long computations.
///
/// ```
/// use std::time::Duration;
///
/// let rt = weft::Runtime::builder().current_thread().poll_time_histogram(true).build().unwrap();
/// rt.block_on(async {
///     weft::spawn(async { std::thread::sleep(Duration::from_millis(20)) }).await.unwrap();
/// });
/// let histogram = rt.handle().metrics().total().poll_times;
/// assert!(histogram.count_at_least(Duration::from_millis(10)) >= 1);
/// for (below, count) in histogram.buckets() {
///     println!("{:?}: {count}", below);
/// }
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PollTimeHistogram {
    counts: [u64; POLL_TIME_BUCKETS],
}

impl PollTimeHistogram {
    /// Each bucket's upper bound (`None` for the last, unbounded one) and its count.
    pub fn buckets(&self) -> impl Iterator<Item = (Option<Duration>, u64)> + '_ {
        self.counts.iter().enumerate().map(|(i, &count)| {
            let bound = POLL_TIME_BOUNDS_NANOS
                .get(i)
                .map(|&n| Duration::from_nanos(n));
            (bound, count)
        })
    }

    /// Polls counted in all buckets.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Polls in the buckets that start at or above `at_least` (rounded down to a
    /// bucket bound: `count_at_least(15 ms)` counts the buckets from 10 ms up).
    pub fn count_at_least(&self, at_least: Duration) -> u64 {
        let nanos = u64::try_from(at_least.as_nanos()).unwrap_or(u64::MAX);
        let first = POLL_TIME_BOUNDS_NANOS
            .iter()
            .take_while(|&&bound| bound <= nanos)
            .count();
        self.counts[first..].iter().sum()
    }

    fn add(mut self, other: PollTimeHistogram) -> PollTimeHistogram {
        for (a, b) in self.counts.iter_mut().zip(other.counts) {
            *a += b;
        }
        self
    }
}

impl RuntimeMetrics {
    /// A snapshot of `handle`'s runtime.
    pub(crate) fn of(handle: &scheduler::Handle) -> RuntimeMetrics {
        let driver = handle.driver();
        let (blocking_threads, idle_blocking_threads) = handle.blocking().thread_counts();
        RuntimeMetrics {
            workers: handle
                .worker_counters()
                .into_iter()
                .map(WorkerMetrics::of)
                .collect(),
            live_tasks: handle.live_task_count(),
            blocking_threads,
            idle_blocking_threads,
            timers: driver.timers.len(),
            io_registrations: driver.io.registrations(),
        }
    }

    /// How many workers the runtime has (1 for the current-thread flavour).
    pub fn num_workers(&self) -> usize {
        self.workers.len()
    }

    /// The counters of worker `index`, or `None` past the last worker.
    pub fn worker(&self, index: usize) -> Option<WorkerMetrics> {
        self.workers.get(index).copied()
    }

    /// Every worker's counters, summed.
    pub fn total(&self) -> WorkerMetrics {
        self.workers
            .iter()
            .fold(WorkerMetrics::default(), |a, w| WorkerMetrics {
                polls: a.polls + w.polls,
                steals: a.steals + w.steals,
                parks: a.parks + w.parks,
                noop_wakes: a.noop_wakes + w.noop_wakes,
                lifo_hits: a.lifo_hits + w.lifo_hits,
                injector_pops: a.injector_pops + w.injector_pops,
                handed_over: a.handed_over + w.handed_over,
                poll_times: a.poll_times.add(w.poll_times),
            })
    }

    /// Tasks spawned and not yet finished.
    pub fn live_tasks(&self) -> usize {
        self.live_tasks
    }

    /// Threads in the blocking pool, busy or idle.
    pub fn blocking_threads(&self) -> usize {
        self.blocking_threads
    }

    /// Blocking-pool threads waiting for work.
    pub fn idle_blocking_threads(&self) -> usize {
        self.idle_blocking_threads
    }

    /// Timers registered with the runtime's timer wheel (sleeps, timeouts and
    /// intervals that have been polled and not yet completed or dropped).
    pub fn timers(&self) -> usize {
        self.timers
    }

    /// Sockets registered with the runtime's I/O reactor.
    pub fn io_registrations(&self) -> usize {
        self.io_registrations
    }
}

impl WorkerMetrics {
    fn of(counters: &WorkerCounters) -> WorkerMetrics {
        WorkerMetrics {
            polls: counters.polls.get(),
            steals: counters.steals.get(),
            parks: counters.parks.get(),
            noop_wakes: counters.noop_wakes.get(),
            lifo_hits: counters.lifo_hits.get(),
            injector_pops: counters.injector_pops.get(),
            handed_over: counters.handed_over.get(),
            poll_times: PollTimeHistogram {
                counts: std::array::from_fn(|i| counters.poll_times[i].get()),
            },
        }
    }
}

impl fmt::Display for RuntimeMetrics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} workers, {} live tasks, {} blocking threads ({} idle), {} timers, {} sockets",
            self.num_workers(),
            self.live_tasks,
            self.blocking_threads,
            self.idle_blocking_threads,
            self.timers,
            self.io_registrations
        )?;
        for (i, w) in self.workers.iter().enumerate() {
            writeln!(
                f,
                "  worker {i}: polls {} steals {} parks {} noop wakes {} lifo hits {} injector pops {} handed over {}",
                w.polls, w.steals, w.parks, w.noop_wakes, w.lifo_hits, w.injector_pops, w.handed_over
            )?;
            if w.poll_times.total() > 0 {
                write!(f, "    poll times:")?;
                for (below, count) in w.poll_times.buckets() {
                    match below {
                        Some(below) => write!(f, " <{below:?}: {count}")?,
                        None => write!(f, " longer: {count}")?,
                    }
                }
                writeln!(f)?;
            }
        }
        Ok(())
    }
}
