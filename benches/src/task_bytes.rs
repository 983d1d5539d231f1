//! Bytes allocated per spawned task, weft beside tokio: the figures behind
//! `tests/task_bytes.rs` (which asserts weft ≤ tokio) and `src/bin/task_bytes.rs`
//! (which prints them for the docs).
//!
//! # Method
//!
//! The task is [`Payload`], an 80-byte future. A *round* spawns `count` tasks with the
//! spawning thread's allocations counted ([`CountingAllocator`](crate::CountingAllocator)
//! must be the global allocator), then awaits them all. After a warm-up round of `2n`
//! (which pays for lazy initialisation and leaves the run queues and the handle vector
//! the capacity for `2n`), a round of `n` and a round of `2n` are measured; the
//! per-task figure is their difference divided by `n`, so every fixed cost — the
//! baseline — cancels and only what grows with the number of spawns is left.
//!
//! Only the spawning thread's allocations count, so the figures are deterministic:
//!
//! - *current thread*: each runtime's current-thread flavour, spawning inside
//!   `block_on`; the tasks run once the spawns are done. This is the task allocation
//!   itself plus whatever the local run queue allocates per task.
//! - *multi-thread, spawned from outside*: 2 workers, spawning through the runtime's
//!   handle from a plain thread while the workers run the tasks. This adds what the
//!   queue for work from outside allocates per task (weft's crossbeam `Injector` takes
//!   a block of 63 slots at a time; tokio's injection queue is an intrusive list).

use crate::contender::{CurrentThread, Spawner, Tokio, Weft};
use crate::AllocationCount;
use std::future::Future;
use std::hint::black_box;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Tasks per measured round (and twice that in the second round).
pub const TASKS: usize = 10_000;

/// An 80-byte future, ready at its first poll (tokio's `spawn_size` bench's
/// `SizedFuture`).
#[derive(Debug)]
pub struct Payload {
    bytes: [u8; 80],
}

impl Payload {
    /// A payload whose first byte is its output.
    pub fn new(first: u8) -> Payload {
        let mut bytes = [0; 80];
        bytes[0] = first;
        Payload { bytes }
    }
}

impl Future for Payload {
    type Output = u8;

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<u8> {
        Poll::Ready(self.bytes[0])
    }
}

/// What one spawned task costs in allocations.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PerTask {
    /// Bytes allocated per task.
    pub bytes: f64,
    /// Allocator calls per task.
    pub allocations: f64,
}

/// One runtime's figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figures {
    /// Current-thread flavour, spawning inside `block_on`.
    pub current_thread: PerTask,
    /// Multi-thread flavour (2 workers), spawning from a plain thread.
    pub multi_thread_remote: PerTask,
}

/// weft's figures, from rounds of `n` and `2n` tasks.
pub fn weft(n: usize) -> Figures {
    figures::<Weft>(n)
}

/// tokio's figures, from rounds of `n` and `2n` tasks.
pub fn tokio(n: usize) -> Figures {
    figures::<Tokio>(n)
}

fn figures<C: CurrentThread>(n: usize) -> Figures {
    let local = C::current_thread();
    let spawner = local.spawner();
    let mut tasks = Vec::new();
    let current_thread = per_task(n, |count| {
        local.block_on(async {
            let spawned = spawn_counted(count, &mut tasks, |p| spawner.spawn(p));
            join_all(&mut tasks).await;
            spawned
        })
    });

    let pool = C::with_workers(2);
    let mut tasks = Vec::new();
    let multi_thread_remote = per_task(n, |count| {
        let spawned = spawn_counted(count, &mut tasks, |p| pool.spawn_remote(p));
        pool.block_on(join_all(&mut tasks));
        spawned
    });

    Figures {
        current_thread,
        multi_thread_remote,
    }
}

/// The per-task difference between a round of `n` and a round of `2n`, after a warm-up
/// round of `2n` (see the module's method).
fn per_task(n: usize, mut round: impl FnMut(usize) -> AllocationCount) -> PerTask {
    round(2 * n);
    let one = round(n);
    let two = round(2 * n);
    PerTask {
        bytes: two.bytes.saturating_sub(one.bytes) as f64 / n as f64,
        allocations: two.allocations.saturating_sub(one.allocations) as f64 / n as f64,
    }
}

/// Spawns `count` payloads into `tasks` and returns what this thread allocated doing
/// it. `tasks` is reserved first, outside the count.
fn spawn_counted<J>(
    count: usize,
    tasks: &mut Vec<J>,
    spawn: impl Fn(Payload) -> J,
) -> AllocationCount {
    tasks.reserve(count);
    let before = AllocationCount::now();
    for i in 0..count {
        tasks.push(spawn(Payload::new(i as u8)));
    }
    before.elapsed()
}

async fn join_all<J: Future>(tasks: &mut Vec<J>) {
    for task in tasks.drain(..) {
        black_box(task.await);
    }
}
