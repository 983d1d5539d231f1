//! The monitor's hand-over (`scheduler/multi_thread/monitor.rs`): the real LIFO slot
//! emptied by its owner and the monitor at once, and the real sleep handshake between
//! the monitor and a worker leaving its park.

use crate::scheduler::multi_thread::lifo::LifoSlot;
use crate::scheduler::multi_thread::monitor::MonitorSleep;
use crate::scheduler::multi_thread::Idle;

/// One worker's LIFO slot holding numbered tasks.
pub struct LifoModel {
    slot: LifoSlot<Box<u32>>,
}

impl LifoModel {
    /// An empty slot.
    pub fn new() -> LifoModel {
        LifoModel {
            slot: LifoSlot::new(),
        }
    }

    /// The owner fills the slot (`Worker::schedule_local`); returns the task it
    /// displaced.
    pub fn put(&self, task: u32) -> Option<u32> {
        self.slot.put(Box::new(task)).map(|task| *task)
    }

    /// The owner's next task, or the monitor's steal: the same swap.
    pub fn take(&self) -> Option<u32> {
        self.slot.take().map(|task| *task)
    }
}

/// The monitor asleep beside one worker that is parked and about to leave its park.
pub struct MonitorSleepModel {
    idle: Idle,
    sleep: MonitorSleep,
}

impl MonitorSleepModel {
    /// One worker, parked.
    pub fn new() -> MonitorSleepModel {
        let idle = Idle::new(1);
        idle.transition_worker_to_parked(0, false);
        MonitorSleepModel {
            idle,
            sleep: MonitorSleep::new(),
        }
    }

    /// The worker leaves its park as `Worker::park` does: counted unparked, then a
    /// look at the monitor.
    pub fn worker_unparks(&self) {
        assert!(self.idle.unpark_worker_by_id(0));
        self.sleep.worker_unparked();
    }

    /// The monitor's sleep while every worker is parked: must end once the worker runs.
    pub fn monitor_sleeps(&self) {
        self.sleep.sleep_while(|| self.idle.all_parked());
    }
}

impl Default for LifoModel {
    fn default() -> LifoModel {
        LifoModel::new()
    }
}

impl Default for MonitorSleepModel {
    fn default() -> MonitorSleepModel {
        MonitorSleepModel::new()
    }
}
