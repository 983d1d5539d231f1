//! async-executor on a pool of threads of our own, as a contender.
//!
//! async-executor has no threads: `Executor::run` turns the calling thread into a
//! worker for as long as its future runs. The pool runs it on `n` threads until the
//! contender is dropped; `block_on` is futures-lite's parker-based one.

use super::{Contender, Spawner};
use async_executor::{Executor, Task};
use std::future::Future;
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use weft_sync::Event;

/// An async-executor `Executor` run by `n` threads.
#[derive(Debug)]
pub struct AsyncExecutor {
    executor: &'static Executor<'static>,
    stop: Arc<Event>,
    threads: Vec<JoinHandle<()>>,
}

/// Spawns on the pool's executor.
#[derive(Debug, Clone, Copy)]
pub struct AsyncExecutorSpawner(&'static Executor<'static>);

impl Contender for AsyncExecutor {
    const NAME: &'static str = "async-executor";
    type Spawner = AsyncExecutorSpawner;

    fn with_workers(workers: usize) -> AsyncExecutor {
        // Leaked, so that tasks spawn through a plain reference, as through tokio's and
        // weft's thread-local handles, rather than cloning an `Arc` per spawn. One
        // executor per bench function: a few kilobytes per bench run.
        let executor: &'static Executor<'static> = Box::leak(Box::new(Executor::new()));
        let stop = Arc::new(Event::new());
        let threads = (0..workers)
            .map(|i| {
                let stop = stop.clone();
                thread::Builder::new()
                    .name(format!("async-executor-{i}"))
                    .spawn(move || futures_lite::future::block_on(executor.run(stop.wait())))
                    .expect("an async-executor thread")
            })
            .collect();
        AsyncExecutor {
            executor,
            stop,
            threads,
        }
    }

    fn spawner(&self) -> AsyncExecutorSpawner {
        AsyncExecutorSpawner(self.executor)
    }

    fn block_on<F: Future>(&self, future: F) -> F::Output {
        futures_lite::future::block_on(future)
    }

    fn spawn_remote<F>(&self, future: F) -> Task<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.executor.spawn(future)
    }
}

impl Drop for AsyncExecutor {
    fn drop(&mut self) {
        self.stop.set();
        for thread in self.threads.drain(..) {
            // A panic on a pool thread has already been reported by the panic hook.
            let _ = thread.join();
        }
    }
}

impl Spawner for AsyncExecutorSpawner {
    type Join<T: Send + 'static> = Task<T>;

    fn spawn<F>(&self, future: F) -> Task<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.0.spawn(future)
    }

    fn spawn_detached<F>(&self, future: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        // Dropping an async-executor `Task` cancels it; detaching lets it run.
        self.0.spawn(future).detach();
    }

    fn yield_now() -> impl Future<Output = ()> + Send {
        futures_lite::future::yield_now()
    }
}
