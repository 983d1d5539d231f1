//! Cancellation-aware, executor-agnostic synchronisation primitives: asyncio's
//! `Lock`, `Semaphore`, `BoundedSemaphore`, `Event`, `Condition`, `Barrier`,
//! `Queue`/`LifoQueue`/`PriorityQueue` and `Future` (as [`oneshot`]), for Rust.
//!
//! Re-exported by the runtime as `weft::sync`; usable under any executor (tokio,
//! smol, …): the only contract with the executor is [`Waker`](std::task::Waker).
//!
//! # The invariant: drop-safety
//!
//! A waiter dropped at any moment — before it was woken, after it was woken,
//! after it was handed a permit, the lock, an item or a notification — loses
//! nothing: what it was handed passes to the next waiter. Waiters are served
//! strictly first-come, first-served; a newcomer never barges past a waiter.
//!
//! Every primitive is built on one intrusive waiter list (`wait_list.rs`): a
//! waiter's node lives inside its future (waiting allocates nothing), notifiers
//! write what they hand over into the node, and a dropped waiter reads it back
//! and passes it on. Wakers are never woken or dropped while a lock is held.
//! The cancel races are model-checked with loom (`loom-tests/tests/sync_*.rs`).
//!
//! ```
//! use std::sync::Arc;
//! use weft_sync::{Lock, Semaphore};
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let limit = Arc::new(Semaphore::new(2));
//! let total = Arc::new(Lock::new(0u64));
//! let mut tasks = Vec::new();
//! for i in 0..8 {
//!     let (limit, total) = (limit.clone(), total.clone());
//!     tasks.push(tokio::spawn(async move {
//!         let _permit = limit.acquire().await.unwrap();
//!         *total.lock().await += i;
//!     }));
//! }
//! for t in tasks {
//!     t.await.unwrap();
//! }
//! assert_eq!(*total.lock().await, 28);
//! # });
//! ```
#![warn(missing_docs)]

mod loom;
mod notified;
mod wait_list;
mod wake_queued;

mod barrier;
mod condition;
mod event;
mod lock;
pub mod oneshot;
mod queue;
mod semaphore;

pub use barrier::{Barrier, BarrierWaitResult, BrokenBarrier};
pub use condition::Condition;
pub use event::Event;
pub use lock::{Lock, LockGuard, OwnedLockGuard, TryLockError};
pub use queue::error::{QueueShutDown, TaskDoneError, TryGetError, TryPutError};
pub use queue::order::{Fifo, Lifo, Order, Priority};
pub use queue::{LifoQueue, OrderedQueue, PriorityQueue, Queue};
pub use semaphore::bounded::BoundedSemaphore;
pub use semaphore::error::{AcquireError, BoundExceeded, TryAcquireError};
pub use semaphore::{OwnedSemaphorePermit, Semaphore, SemaphorePermit};
