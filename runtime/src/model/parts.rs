//! What a scheduler model is built from, as `Builder::build` builds a runtime: a
//! driver (its reactor's OS poll is the loom stand-in of weft-io's `wakeup.rs`), a
//! blocking pool that starts no thread until a job comes, and the default task
//! configuration; and the handle a model spawns through.

use crate::blocking::BlockingPool;
use crate::driver::{self, Driver};
use crate::loom::Arc;
use crate::scheduler::{Handle, TaskConfig};
use crate::task::report::Reporter;
use crate::task::{SpawnMeta, Task};
use std::future::Future;
use std::panic::Location;
use std::time::Duration;

/// The parts of one runtime, before a scheduler takes them.
pub(crate) struct RuntimeParts {
    pub(crate) pool: BlockingPool,
    pub(crate) driver: (Driver, driver::Handle),
    pub(crate) config: TaskConfig,
}

impl RuntimeParts {
    /// A driver on a running clock, an idle pool, lazy tasks, reports to stderr.
    pub(crate) fn new() -> RuntimeParts {
        RuntimeParts {
            pool: BlockingPool::new(
                1,
                Duration::from_secs(10),
                Arc::new(|| "weft-model-blocking".to_owned()),
                None,
                Reporter::new(None),
            ),
            driver: Driver::new(false).expect("a reactor for the model"),
            config: TaskConfig::default(),
        }
    }
}

/// A runtime's handle, as a model thread spawns through it.
pub struct ModelHandle(pub(crate) Handle);

impl ModelHandle {
    /// Spawns `future` as `weft::spawn` does from the calling thread: into a worker's
    /// LIFO slot when the caller is that worker, else from outside — the injector, or
    /// the back of the current-thread queue.
    #[track_caller]
    pub fn spawn<F>(&self, future: F) -> Task<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let meta = SpawnMeta::new(Location::caller(), None, false);
        self.0.spawn(future, meta)
    }
}
