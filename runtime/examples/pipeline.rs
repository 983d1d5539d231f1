//! asyncio's everyday patterns, in weft: producers and consumers over a bounded queue
//! inside a TaskGroup, a rate limiter on a Semaphore, a manager of background tasks
//! that cancels and gathers them at shutdown, an async iterator, and blocking work on
//! a thread.
//!
//! ```text
//! cargo run --example pipeline
//! ```

use std::collections::HashMap;
use std::error::Error;
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex, Weak};
use std::task::{ready, Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use weft::sync::{oneshot, AcquireError, Queue, QueueShutDown, Semaphore, TaskDoneError};
use weft::task::TaskId;
use weft::time::{interval, sleep, Sleep};
use weft::Task;

type AnyResult<T = ()> = Result<T, Box<dyn Error>>;

// ---------------------------------------------------------------------------------
// Producers and consumers
// ---------------------------------------------------------------------------------

async fn producer(
    queue: Arc<Queue<u64>>,
    items: impl Iterator<Item = u64>,
) -> Result<(), QueueShutDown<u64>> {
    for item in items {
        // Waits while the queue is full: the bound is the back-pressure.
        queue.put(item).await?;
        sleep(Duration::from_millis(1)).await;
    }
    Ok(())
}

async fn consumer(queue: Arc<Queue<u64>>, total: Arc<AtomicU64>) -> Result<(), TaskDoneError> {
    // `get` fails once the queue is shut down and drained: the loop's way out.
    while let Ok(item) = queue.get().await {
        sleep(Duration::from_millis(2)).await; // process the item
        total.fetch_add(item, SeqCst);
        queue.task_done()?;
    }
    Ok(())
}

/// Two producers (the odd and the even numbers in `1..=num_items`) and `num_workers`
/// consumers in a TaskGroup; returns the sum of the items processed.
async fn run_pipeline(num_items: u64, num_workers: usize) -> AnyResult<u64> {
    let queue = Arc::new(Queue::new(10));
    let total = Arc::new(AtomicU64::new(0));
    weft::task_group(|tg| {
        let (queue, total) = (queue.clone(), total.clone());
        async move {
            let producers = [
                tg.spawn(producer(queue.clone(), (1..=num_items).step_by(2))),
                tg.spawn(producer(queue.clone(), (2..=num_items).step_by(2))),
            ];
            for _ in 0..num_workers {
                tg.spawn(consumer(queue.clone(), total.clone()));
            }
            // `join` returns once every item put *so far* is done, which is already
            // true before the first put: wait for the producers first. (Should one
            // fail, the group fails with its error; the body need not look.)
            for producing in producers {
                let _ = producing.await;
            }
            queue.join().await;
            // The consumers would now wait for more items forever, and the group with
            // them (asyncio's recipe never ends). Shutting the queue down makes their
            // `get` fail, so they return and the group finishes.
            queue.shutdown(false);
        }
    })
    .await?;
    Ok(total.load(SeqCst))
}

// ---------------------------------------------------------------------------------
// A rate limiter
// ---------------------------------------------------------------------------------

/// At most `max_concurrent` calls of `process` run at once; the others wait their turn,
/// first come first served.
struct RateLimiter {
    semaphore: Semaphore,
    running: AtomicUsize,
    peak: AtomicUsize,
}

impl RateLimiter {
    fn new(max_concurrent: usize) -> RateLimiter {
        RateLimiter {
            semaphore: Semaphore::new(max_concurrent),
            running: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
        }
    }

    async fn process(&self, item: String) -> Result<String, AcquireError> {
        let _permit = self.semaphore.acquire().await?;
        let now_running = self.running.fetch_add(1, SeqCst) + 1;
        self.peak.fetch_max(now_running, SeqCst);
        sleep(Duration::from_millis(3)).await; // the expensive operation
        self.running.fetch_sub(1, SeqCst);
        Ok(item.to_uppercase())
    } // the permit is released here, and goes straight to the first waiter

    /// The most calls that were ever inside `process` at once.
    fn peak(&self) -> usize {
        self.peak.load(SeqCst)
    }
}

/// Six calls through a limiter of two.
async fn rate_limited_calls() -> AnyResult {
    let limiter = Arc::new(RateLimiter::new(2));
    let calls = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"].map(|item| {
        let limiter = limiter.clone();
        async move { limiter.process(item.to_owned()).await }
    });
    let processed = weft::try_gather(calls).await?;
    assert!(limiter.peak() <= 2);
    println!(
        "rate limiter: {} calls, never more than 2 at once: {}",
        processed.len(),
        processed.join(" ")
    );
    Ok(())
}

// ---------------------------------------------------------------------------------
// Background tasks
// ---------------------------------------------------------------------------------

/// Keeps the tasks it spawned until they finish, and cancels the rest at shutdown.
#[derive(Default)]
struct BackgroundTasks {
    tasks: Arc<Mutex<HashMap<TaskId, Task<()>>>>,
}

impl BackgroundTasks {
    fn spawn(&self, future: impl Future<Output = ()> + Send + 'static) {
        let task = weft::spawn(future);
        let id = task.id();
        // asyncio: `task.add_done_callback(self._tasks.discard)`. The callback runs on
        // the thread that completes the task (at once if it already has), so it must
        // not find the map locked by us: add it before taking the lock.
        let tasks: Weak<_> = Arc::downgrade(&self.tasks);
        task.add_done_callback(move |done| {
            if let Some(tasks) = tasks.upgrade() {
                tasks.lock().unwrap().remove(&done.id());
            }
        });
        // A task that finished already has run its callback (completion comes first,
        // then the callbacks); one not finished yet runs it after we unlock.
        let mut tasks = self.tasks.lock().unwrap();
        if !task.is_finished() {
            tasks.insert(id, task);
        }
    }

    fn len(&self) -> usize {
        self.tasks.lock().unwrap().len()
    }

    /// Cancels every task still running and waits for each; returns how many it
    /// cancelled.
    async fn shutdown(&self) -> usize {
        let tasks: Vec<Task<()>> = self.tasks.lock().unwrap().drain().map(|(_, t)| t).collect();
        for task in &tasks {
            task.cancel();
        }
        // asyncio: `await gather(*self._tasks, return_exceptions=True)`.
        let mut cancelled = 0;
        for task in tasks {
            if task.await.is_err_and(|err| err.is_cancelled()) {
                cancelled += 1;
            }
        }
        cancelled
    }
}

/// A background job that runs until it is cancelled.
async fn heartbeat() {
    let mut ticks = interval(Duration::from_millis(5));
    loop {
        ticks.tick().await; // report that we are alive, refresh a cache, ...
    }
}

/// A background job that finishes by itself, and says so.
async fn one_off(done: oneshot::Sender<()>) {
    sleep(Duration::from_millis(1)).await;
    let _ = done.send(());
}

/// Three heartbeats that run until shutdown and two jobs that end by themselves.
async fn background_tasks() -> AnyResult {
    let background = BackgroundTasks::default();
    for _ in 0..3 {
        background.spawn(heartbeat());
    }
    let mut finished = Vec::new();
    for _ in 0..2 {
        let (done, finished_rx) = oneshot::channel();
        background.spawn(one_off(done));
        finished.push(finished_rx);
    }
    for finished_rx in finished {
        finished_rx.await?;
    }
    let cancelled = background.shutdown().await;
    assert_eq!(background.len(), 0);
    println!(
        "background: 5 tasks started, 2 finished by themselves, shutdown cancelled {cancelled}"
    );
    Ok(())
}

// ---------------------------------------------------------------------------------
// An async iterator
// ---------------------------------------------------------------------------------

/// asyncio's `AsyncRange`: the numbers `start..end`, each after a short async pause.
/// A `Stream` is Rust's async iterator.
struct AsyncRange {
    current: u32,
    end: u32,
    pause: Option<Sleep>,
}

impl AsyncRange {
    fn new(start: u32, end: u32) -> AsyncRange {
        AsyncRange {
            current: start,
            end,
            pause: None,
        }
    }
}

impl Stream for AsyncRange {
    type Item = u32;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<u32>> {
        if self.current >= self.end {
            return Poll::Ready(None); // StopAsyncIteration
        }
        // The pause survives between polls; `Sleep` is `Unpin`, so it needs no pinning.
        let pause = self
            .pause
            .get_or_insert_with(|| sleep(Duration::from_millis(1)));
        ready!(Pin::new(pause).poll(cx));
        self.pause = None;
        let value = self.current;
        self.current += 1;
        Poll::Ready(Some(value))
    }
}

/// The next item of a stream: `async for`'s step (`StreamExt::next` in futures-lite or
/// futures-util does the same).
async fn next<S: Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)).await
}

/// asyncio: `[i async for i in AsyncRange(0, 5)]`.
async fn async_iteration() {
    let mut range = AsyncRange::new(0, 5);
    let mut numbers = Vec::new();
    while let Some(i) = next(&mut range).await {
        numbers.push(i);
    }
    println!("async range: {numbers:?}");
}

// ---------------------------------------------------------------------------------
// Blocking work
// ---------------------------------------------------------------------------------

/// Plain blocking code: it would stall a worker if called in a task.
fn checksum(data: &[u8]) -> u64 {
    std::thread::sleep(Duration::from_millis(5)); // say, reading from a slow disk
    data.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3)
    })
}

/// asyncio: `await asyncio.to_thread(checksum, data)`.
async fn blocking_work() -> AnyResult {
    let data = b"weft: asyncio for Rust".to_vec();
    let digest = weft::to_thread(move || checksum(&data)).await?;
    println!("to_thread: checksum {digest:016x}");
    Ok(())
}

#[weft::main]
async fn main() -> AnyResult {
    let total = run_pipeline(20, 3).await?;
    assert_eq!(total, (1..=20).sum());
    println!("pipeline: 2 producers, 3 consumers, 20 items processed, sum {total}");

    rate_limited_calls().await?;
    background_tasks().await?;
    async_iteration().await;
    blocking_work().await
}
