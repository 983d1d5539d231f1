//! tokio's runtime as a contender.

use super::{Contender, CurrentThread, Joined, Spawner, Timers};
use std::future::Future;
use std::time::Duration;

/// A tokio runtime with I/O and timers enabled: multi-thread, or current-thread where
/// the caller asks.
#[derive(Debug)]
pub struct Tokio {
    runtime: tokio::runtime::Runtime,
}

/// Spawns with `tokio::spawn` on the runtime the calling task runs on.
#[derive(Debug, Clone, Copy)]
pub struct TokioSpawner;

impl Contender for Tokio {
    const NAME: &'static str = "tokio";
    type Spawner = TokioSpawner;

    fn with_workers(workers: usize) -> Tokio {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers)
            .enable_all()
            .build()
            .expect("a tokio runtime");
        Tokio { runtime }
    }

    fn spawner(&self) -> TokioSpawner {
        TokioSpawner
    }

    fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    fn spawn_remote<F>(&self, future: F) -> Joined<tokio::task::JoinHandle<F::Output>>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        Joined(self.runtime.handle().spawn(future))
    }
}

impl CurrentThread for Tokio {
    fn current_thread() -> Tokio {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio current-thread runtime");
        Tokio { runtime }
    }
}

impl Spawner for TokioSpawner {
    type Join<T: Send + 'static> = Joined<tokio::task::JoinHandle<T>>;

    fn spawn<F>(&self, future: F) -> Joined<tokio::task::JoinHandle<F::Output>>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        Joined(tokio::spawn(future))
    }

    fn spawn_detached<F>(&self, future: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        // Dropping a `JoinHandle` detaches the task.
        drop(tokio::spawn(future));
    }

    fn yield_now() -> impl Future<Output = ()> + Send {
        tokio::task::yield_now()
    }
}

impl Timers for Tokio {
    fn sleep(duration: Duration) -> impl Future<Output = ()> + Send {
        tokio::time::sleep(duration)
    }

    fn timeout<F>(duration: Duration, future: F) -> impl Future + Send
    where
        F: Future + Send,
    {
        tokio::time::timeout(duration, future)
    }
}
