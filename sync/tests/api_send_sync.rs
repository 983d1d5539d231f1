//! Which of weft-sync's public types cross threads, checked at compile time: each
//! primitive and guard is `Send` and `Sync` when what it holds is (as std's `Mutex`
//! and `MutexGuard` are), and the future of every async fn is `Send`, so a task that
//! awaits it can be spawned on a multi-thread runtime.
//!
//! The claims are `static_assertions`' (`assert_impl_all!`, `assert_not_impl_any!`):
//! the file does not compile if one is false. The functions that build futures are
//! compiled, never run: the type checker is the test.

use static_assertions::{assert_impl_all, assert_not_impl_any};
use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;
use std::sync::Arc;
use weft_sync::oneshot::{self, RecvError, TryRecvError};
use weft_sync::{
    AcquireError, Barrier, BarrierWaitResult, BoundExceeded, BoundedSemaphore, BrokenBarrier,
    Condition, Event, Fifo, Lifo, LifoQueue, Lock, LockGuard, OrderedQueue, OwnedLockGuard,
    OwnedSemaphorePermit, Priority, PriorityQueue, Queue, QueueShutDown, Semaphore,
    SemaphorePermit, TaskDoneError, TryAcquireError, TryGetError, TryLockError, TryPutError,
};

fn future_is_send<F: Future + Send>(_: F) {}

// The primitives. A lock hands its value to whichever thread holds it: the value must
// be `Send`, and need not be `Sync` (as with std's `Mutex`).
assert_impl_all!(Lock<u8>: Send, Sync);
assert_impl_all!(Lock<Cell<u8>>: Send, Sync);
assert_not_impl_any!(Lock<Rc<u8>>: Send, Sync);
assert_impl_all!(Condition<u8>: Send, Sync);
assert_impl_all!(Condition<Cell<u8>>: Send, Sync);
assert_impl_all!(Semaphore: Send, Sync);
assert_impl_all!(BoundedSemaphore: Send, Sync);
assert_impl_all!(Event: Send, Sync);
assert_impl_all!(Barrier: Send, Sync);
assert_impl_all!(Queue<u8>: Send, Sync);
assert_not_impl_any!(Queue<Rc<u8>>: Send, Sync);
assert_impl_all!(LifoQueue<u8>: Send, Sync);
assert_impl_all!(PriorityQueue<u8>: Send, Sync);
assert_impl_all!(OrderedQueue<u8, Fifo<u8>>: Send, Sync);
assert_impl_all!(Fifo<u8>: Send, Sync);
assert_impl_all!(Lifo<u8>: Send, Sync);
assert_impl_all!(Priority<u8>: Send, Sync);
assert_impl_all!(oneshot::Sender<u8>: Send, Sync);
assert_impl_all!(oneshot::Receiver<u8>: Send, Sync);
assert_not_impl_any!(oneshot::Sender<Rc<u8>>: Send, Sync);

// Guards and permits. A guard gives `&T` to whoever shares it, so it is `Sync` only
// when `T` is (std's `MutexGuard` too); unlike std's, it may move to another thread,
// so a task may hold it across an await.
assert_impl_all!(LockGuard<'static, u8>: Send, Sync);
assert_impl_all!(OwnedLockGuard<u8>: Send, Sync);
assert_impl_all!(LockGuard<'static, Cell<u8>>: Send);
assert_not_impl_any!(LockGuard<'static, Cell<u8>>: Sync);
assert_impl_all!(OwnedLockGuard<Cell<u8>>: Send);
assert_not_impl_any!(OwnedLockGuard<Cell<u8>>: Sync);
assert_impl_all!(SemaphorePermit<'static>: Send, Sync);
assert_impl_all!(OwnedSemaphorePermit: Send, Sync);
assert_impl_all!(BarrierWaitResult: Send, Sync);

// Errors.
assert_impl_all!(AcquireError: Send, Sync);
assert_impl_all!(TryAcquireError: Send, Sync);
assert_impl_all!(BoundExceeded: Send, Sync);
assert_impl_all!(TryLockError: Send, Sync);
assert_impl_all!(BrokenBarrier: Send, Sync);
assert_impl_all!(QueueShutDown<u8>: Send, Sync);
assert_impl_all!(TryPutError<u8>: Send, Sync);
assert_impl_all!(TryGetError: Send, Sync);
assert_impl_all!(TaskDoneError: Send, Sync);
assert_impl_all!(RecvError: Send, Sync);
assert_impl_all!(TryRecvError: Send, Sync);

/// Every async fn's future (and the `oneshot::Receiver`, itself a future).
#[allow(dead_code)]
fn lock_and_semaphore_futures_are_send(
    lock: Arc<Lock<u8>>,
    semaphore: Arc<Semaphore>,
    bounded: &BoundedSemaphore,
) {
    future_is_send(lock.lock());
    future_is_send(lock.clone().lock_owned());
    future_is_send(semaphore.acquire());
    future_is_send(semaphore.acquire_many(2));
    future_is_send(semaphore.clone().acquire_owned());
    future_is_send(semaphore.clone().acquire_many_owned(2));
    future_is_send(bounded.acquire());
    future_is_send(bounded.acquire_many(2));
}

#[allow(dead_code)]
fn waiting_futures_are_send(
    event: &Event,
    condition: &Condition<u8>,
    barrier: &Barrier,
    queue: &Queue<u8>,
    priority: &PriorityQueue<u8>,
    receiver: oneshot::Receiver<u8>,
) {
    future_is_send(event.wait());
    future_is_send(condition.lock());
    future_is_send(async {
        let guard = condition.lock().await;
        let guard = condition.wait(guard).await;
        drop(condition.wait_for(guard, |value| *value > 0).await);
    });
    future_is_send(barrier.wait());
    future_is_send(queue.put(1));
    future_is_send(queue.get());
    future_is_send(queue.join());
    future_is_send(priority.put(1));
    future_is_send(priority.get());
    future_is_send(receiver);
}
