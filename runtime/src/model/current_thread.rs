//! The current-thread scheduler itself (`scheduler/current_thread.rs`): `block_on`
//! from several model threads at once — one drives, the others wait for the core and
//! take it over when the driver leaves — spawns from any thread, and shutdown.

use super::parts::{ModelHandle, RuntimeParts};
use crate::blocking::BlockingPool;
use crate::loom::Arc;
use crate::scheduler::current_thread::Shared;
use crate::scheduler::Handle;
use std::future::Future;

/// One current-thread runtime.
pub struct CurrentThreadModel {
    shared: Arc<Shared>,
    handle: ModelHandle,
    _pool: BlockingPool,
}

impl CurrentThreadModel {
    /// A runtime nobody drives yet.
    pub fn new() -> CurrentThreadModel {
        let parts = RuntimeParts::new();
        let shared = Shared::new(parts.pool.spawner().clone(), parts.driver, parts.config);
        CurrentThreadModel {
            handle: ModelHandle(Handle::CurrentThread(shared.clone())),
            shared,
            _pool: parts.pool,
        }
    }

    /// `Runtime::block_on`: drives the runtime if nobody does, else waits for the
    /// core while polling `future` (rule 2).
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.shared.block_on(self.handle.0.clone(), future)
    }

    /// Spawns from any thread (queued behind the others; the driving thread runs it).
    pub fn handle(&self) -> &ModelHandle {
        &self.handle
    }

    /// Shuts the runtime down (rule 6).
    pub fn shutdown(&self) {
        self.shared.shutdown();
    }

    /// How many hold the scheduler's shared state: the model (twice) and each task
    /// not yet freed. More than 2 once every handle is dropped means a task leaked.
    pub fn holders(&self) -> usize {
        Arc::strong_count(&self.shared)
    }
}
