//! The workers' park protocol (`scheduler/multi_thread/idle.rs`, rule 3) on a shared
//! queue: a model pushes from one thread while the last worker parks on another. And
//! the parker itself around a driver (`scheduler/park.rs`, `driver.rs`): one thread
//! sleeps in the driver while another sleeps on its condition variable, and the
//! monitor's wake of a sleeper when nobody holds the driver
//! (`scheduler/multi_thread/monitor.rs`, rule 3).

use crate::driver::{self, Driver};
use crate::loom::deque::{Injector, Steal};
use crate::loom::sync::atomic::{fence, Ordering::SeqCst};
use crate::loom::Mutex;
use crate::scheduler::multi_thread::monitor::wake_a_sleeper_if_driver_free;
use crate::scheduler::multi_thread::{Idle, Unparked};
use crate::scheduler::park::Parker;

/// `workers` parkers around one queue of numbers, parked and woken exactly as the
/// multi-thread workers park and are woken.
pub struct ParkModel {
    idle: Idle,
    parkers: Vec<Parker>,
    queue: Injector<u32>,
}

impl ParkModel {
    /// `workers` idle workers around an empty queue.
    pub fn new(workers: usize) -> ParkModel {
        ParkModel {
            idle: Idle::new(workers),
            parkers: (0..workers).map(|_| Parker::new()).collect(),
            queue: Injector::new(),
        }
    }

    /// Pushes `item` and wakes a sleeper if nobody searches: `Shared::push_remote`.
    pub fn push(&self, item: u32) {
        self.queue.push(item);
        fence(SeqCst);
        if let Some(worker) = self.idle.worker_to_notify() {
            self.parkers[worker].unparker().unpark();
        }
    }

    /// Takes an item, if any.
    pub fn pop(&self) -> Option<u32> {
        loop {
            match self.queue.steal() {
                Steal::Success(item) => return Some(item),
                Steal::Empty => return None,
                Steal::Retry => continue,
            }
        }
    }

    /// Worker `worker` takes one item, parking while there is none, counting itself
    /// searching when woken and giving that up when it finds work — as `Worker::run`,
    /// `Worker::park` and `Worker::run_task` do.
    pub fn take_one(&self, worker: usize) -> u32 {
        let mut searching = false;
        loop {
            if let Some(item) = self.pop() {
                if searching {
                    if let Some(sleeper) = self.idle.searcher_found_work(|| !self.queue.is_empty())
                    {
                        self.parkers[sleeper].unparker().unpark();
                    }
                }
                return item;
            }
            let unparked = self.idle.park_worker(
                worker,
                searching,
                || !self.queue.is_empty(),
                || self.parkers[worker].park(),
            );
            searching = unparked != Unparked::FoundWork;
        }
    }
}

/// Parkers around one driver, as a runtime's workers are: whoever wins the driver's
/// lock sleeps in it (its reactor's poll), the others on their condition variables.
pub struct DriverParkModel {
    driver: Mutex<Driver>,
    handle: driver::Handle,
    parkers: Vec<Parker>,
}

impl DriverParkModel {
    /// `parkers` parkers around one new driver, on a running clock.
    pub fn new(parkers: usize) -> DriverParkModel {
        let (driver, handle) = Driver::new(false).expect("a reactor for the model");
        DriverParkModel {
            driver: Mutex::new(driver),
            parkers: (0..parkers)
                .map(|_| Parker::with_driver(handle.clone()))
                .collect(),
            handle,
        }
    }

    /// Runs `f` with the driver's lock held, as by a worker that is not asleep in it
    /// (turning it between polls, or just woken in it), and lets go after.
    pub fn with_driver_held<R>(&self, f: impl FnOnce() -> R) -> R {
        let _held = self.driver.lock();
        f()
    }

    /// Something for the driver to deliver — I/O readiness, a timer due: the reactor's
    /// wake, which ends a poll under way or makes the next one return at once.
    pub fn wake_driver(&self) {
        self.handle.unpark();
    }

    /// The monitor's look at a runtime with a stuck worker (`monitor.rs`, rule 3):
    /// wakes parker `sleeper` if nobody holds the driver.
    pub fn monitor_looks(&self, sleeper: usize) {
        wake_a_sleeper_if_driver_free(&self.driver, || self.unpark(sleeper));
    }

    /// Parker `index` sleeps until unparked, in the driver if its lock is free
    /// (`Parker::park_in_driver`); it may return spuriously (park.rs, rule 3).
    pub fn park(&self, index: usize) {
        self.parkers[index].park_in_driver(&self.driver);
    }

    /// Wakes parker `index`, wherever it sleeps (park.rs, rule 1).
    pub fn unpark(&self, index: usize) {
        self.parkers[index].unparker().unpark();
    }
}
