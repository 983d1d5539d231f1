//! weft's runtime as a contender.

use super::{Contender, CurrentThread, Joined, Spawner, Timers};
use std::future::Future;
use std::time::Duration;

/// A weft runtime: multi-thread, or current-thread where the caller asks.
#[derive(Debug)]
pub struct Weft {
    runtime: weft::Runtime,
}

/// Spawns with `weft::spawn` on the runtime the calling task runs on.
#[derive(Debug, Clone, Copy)]
pub struct WeftSpawner;

impl Contender for Weft {
    const NAME: &'static str = "weft";
    type Spawner = WeftSpawner;

    fn with_workers(workers: usize) -> Weft {
        let runtime = weft::Runtime::builder()
            .worker_threads(workers)
            .build()
            .expect("a weft runtime");
        Weft { runtime }
    }

    fn spawner(&self) -> WeftSpawner {
        WeftSpawner
    }

    fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    fn spawn_remote<F>(&self, future: F) -> Joined<weft::Task<F::Output>>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        Joined(self.runtime.handle().spawn(future))
    }
}

impl CurrentThread for Weft {
    fn current_thread() -> Weft {
        let runtime = weft::Runtime::builder()
            .current_thread()
            .build()
            .expect("a weft current-thread runtime");
        Weft { runtime }
    }
}

impl Spawner for WeftSpawner {
    type Join<T: Send + 'static> = Joined<weft::Task<T>>;

    fn spawn<F>(&self, future: F) -> Joined<weft::Task<F::Output>>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        Joined(weft::spawn(future))
    }

    fn spawn_detached<F>(&self, future: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        // Dropping a weft `Task` detaches it.
        drop(weft::spawn(future));
    }

    fn yield_now() -> impl Future<Output = ()> + Send {
        weft::yield_now()
    }
}

impl Timers for Weft {
    fn sleep(duration: Duration) -> impl Future<Output = ()> + Send {
        weft::time::sleep(duration)
    }

    fn timeout<F>(duration: Duration, future: F) -> impl Future + Send
    where
        F: Future + Send,
    {
        weft::time::timeout(duration, future)
    }
}
