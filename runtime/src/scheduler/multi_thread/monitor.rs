//! The monitor: a thread that hands a stuck worker's waiting work to an idle one.
//!
//! A task that computes for a long time without awaiting holds its worker; the task it
//! just spawned or woke sits in that worker's LIFO slot, which no peer may steal, and a
//! single queued task wakes no peer (`mod.rs`, rule 2). Timers and I/O wait too when
//! the stuck worker was the one that turned the driver. Go's runtime has the same
//! problem and the same answer: a monitor thread (`sysmon`).
//!
//! ```text
//!   every `threshold`:                       worker i, polls counter unchanged
//!   for each worker i  ──────────────────▶   and not parked  =  stuck in one poll
//!                                                 │
//!        LIFO slot full? ── steal ──▶ injector ───┤── wakes a sleeper, which runs it
//!        deque not empty? ─────────── fence ──────┤── wakes a sleeper, which steals
//!        driver lock free? ── wake a sleeper ─────┘── it parks in the driver, which
//!                                                     fires timers and delivers I/O
//! ```
//!
//! # Rules
//!
//! 1. **Nothing new on the hot path.** A worker already counts its polls (one relaxed
//!    store, `counters.rs`); a counter that has not moved between two looks, on a
//!    worker that is not parked, means one poll has lasted at least `threshold`.
//! 2. **Hand over, never run.** The monitor runs no task. It empties the stuck worker's
//!    LIFO slot with a swap (`lifo.rs`, rule 2: exactly one of the owner and the
//!    monitor gets the task) and queues the task on the injector, whose push wakes a
//!    sleeper (`idle.rs`, rule 3). Tasks in the stuck worker's deque are already
//!    stealable: a fence and a wake suffice.
//! 3. **Somebody turns the driver.** If a worker is stuck and nobody holds the driver
//!    (the stuck worker was the one parked in it), the monitor wakes a sleeper without
//!    taking it out of `sleepers`: a spurious wake, after which the sleeper parks again,
//!    in the driver now that it is free, and runs what the timers and I/O wake. The
//!    monitor never turns the driver itself: only workers hold its lock for longer than
//!    a look, so a worker that finds the lock taken can always sleep on its condition
//!    variable, sure that the holder will turn it (`driver.rs`, rule 1). (A first
//!    version turned the driver from the monitor; a worker that found the lock held by
//!    the monitor slept on its condition variable, the monitor let go, and nobody
//!    turned the driver again: the short soak hung with its timers due.) The look
//!    itself holds the lock for a `try_lock` only, and wakes a sleeper after it.
//! 4. **Asleep while the runtime is.** After a few looks that find every worker parked,
//!    the monitor sleeps without a timeout. It first says so (`asleep`), fences
//!    (SeqCst), then looks at the count once more; a worker that leaves its park is
//!    first counted unparked, then fences and reads `asleep`. One of the two sees the
//!    other, so the monitor is never left asleep beside a running worker
//!    (`loom-tests/tests/scheduler_monitor.rs`).
//! 5. **Shutdown** sets the runtime's flag, then wakes the monitor, which exits at
//!    its next look; the runtime joins it with the workers.

use super::Shared;
use crate::driver::Driver;
use crate::loom::sync::atomic::{fence, AtomicBool, Ordering::SeqCst};
use crate::loom::{Condvar, Mutex};
use std::time::Duration;

/// The default `threshold`: a poll longer than this with work waiting behind it gets
/// that work handed over.
pub(crate) const DEFAULT_THRESHOLD: Duration = Duration::from_millis(10);

/// Looks in a row that find every worker parked before the monitor sleeps for good.
const IDLE_LOOKS_BEFORE_SLEEP: u32 = 8;

/// The monitor's sleep, and the way to end it (rules 4 and 5).
pub(crate) struct MonitorSleep {
    asleep: AtomicBool,
    woken: Mutex<bool>,
    cvar: Condvar,
}

impl MonitorSleep {
    pub(crate) fn new() -> MonitorSleep {
        MonitorSleep {
            asleep: AtomicBool::new(false),
            woken: Mutex::new(false),
            cvar: Condvar::new(),
        }
    }

    /// Sleeps until `wake`, for as long as `still_idle()` holds when looked at after
    /// saying so (rule 4).
    pub(crate) fn sleep_while(&self, still_idle: impl Fn() -> bool) {
        *self.woken.lock() = false;
        self.asleep.store(true, SeqCst);
        fence(SeqCst);
        if still_idle() {
            let mut woken = self.woken.lock();
            while !*woken {
                self.cvar.wait(&mut woken);
            }
        }
        self.asleep.store(false, SeqCst);
    }

    /// Waits `timeout`, or less if woken.
    pub(crate) fn pause(&self, timeout: Duration) {
        let mut woken = self.woken.lock();
        if !*woken {
            self.cvar.wait_timeout(&mut woken, timeout);
        }
        *woken = false;
    }

    /// Called by a worker that just left its park, after it was counted unparked:
    /// wakes the monitor if it sleeps for good (rule 4). A fence and a load otherwise,
    /// once per park, never per poll.
    #[inline]
    pub(crate) fn worker_unparked(&self) {
        fence(SeqCst);
        if self.asleep.load(SeqCst) && self.asleep.swap(false, SeqCst) {
            self.wake();
        }
    }

    /// Ends the current sleep or pause (and the next, if none is under way).
    pub(crate) fn wake(&self) {
        *self.woken.lock() = true;
        self.cvar.notify_one();
    }
}

/// The monitor's loop; returns once the runtime shuts down.
pub(crate) fn run(shared: &Shared, threshold: Duration) {
    let mut last_polls = poll_counts(shared);
    let mut idle_looks = 0;
    while !shared.is_shutdown() {
        if shared.idle().all_parked() {
            idle_looks += 1;
            if idle_looks >= IDLE_LOOKS_BEFORE_SLEEP {
                shared
                    .monitor
                    .sleep_while(|| shared.idle().all_parked() && !shared.is_shutdown());
                idle_looks = 0;
                last_polls = poll_counts(shared);
                continue;
            }
        } else {
            idle_looks = 0;
        }
        shared.monitor.pause(threshold);
        look(shared, &mut last_polls);
    }
}

/// One look at every worker (rules 1-3).
fn look(shared: &Shared, last_polls: &mut [u64]) {
    let mut any_stuck = false;
    for (index, last) in last_polls.iter_mut().enumerate() {
        let polls = shared.remotes[index].counters.polls.get();
        let moved = std::mem::replace(last, polls) != polls;
        if moved || shared.idle().is_parked(index) {
            continue;
        }
        any_stuck = true;
        hand_over(shared, index);
    }
    if any_stuck {
        wake_a_sleeper_if_driver_free(&shared.driver, || {
            if let Some(sleeper) = shared.idle().any_sleeper() {
                shared.remotes[sleeper].unpark.unpark();
            }
        });
    }
}

/// Rule 3: if nobody holds the driver, nobody turns it; `wake_sleeper` wakes a worker
/// that will park again, in the driver now that its lock is free. The lock is held
/// for the `try_lock` only, and let go before the wake (loom:
/// `loom-tests/tests/scheduler_monitor.rs`).
pub(crate) fn wake_a_sleeper_if_driver_free(driver: &Mutex<Driver>, wake_sleeper: impl FnOnce()) {
    let free = driver.try_lock().is_some();
    if free {
        wake_sleeper();
    }
}

/// Rule 2: makes worker `index`'s waiting work reachable by the others.
fn hand_over(shared: &Shared, index: usize) {
    let remote = &shared.remotes[index];
    if let Some(task) = remote.lifo.take() {
        remote.counters.handed_over.incr();
        shared.push_remote(task);
    } else if !remote.stealer.is_empty() {
        remote.counters.handed_over.incr();
        fence(SeqCst);
        shared.notify_parked();
    }
}

fn poll_counts(shared: &Shared) -> Vec<u64> {
    shared
        .remotes
        .iter()
        .map(|r| r.counters.polls.get())
        .collect()
}
