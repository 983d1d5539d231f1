//! `Queue`, `LifoQueue`, `PriorityQueue`: asyncio's queues, multi-producer,
//! multi-consumer, FIFO-fair to both producers and consumers.
//!
//! One generic [`OrderedQueue`] is parameterised by its storage ([`Order`]);
//! the state and its transitions are in `state.rs` (with the invariants), the
//! wait futures in `wait.rs`, the errors in `error.rs`.

pub(crate) mod error;
pub(crate) mod order;
mod state;
mod wait;

use std::fmt;
use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
use weft_core::waiting::{recorded, WaitOn};

use crate::loom::{Mutex, MutexGuard};
use crate::notified::Notified;
use crate::wait_list::{WaitList, Waiter};
use crate::wake_queued::wake_queued;
use error::{QueueShutDown, TaskDoneError, TryGetError, TryPutError};
use order::{Fifo, Lifo, Order, Priority};
use state::{Get, Put, Shutdown, State};
use wait::{GetWait, PutWait};
use weft_core::WakeBatch;

/// asyncio's `Queue`: first in, first out.
///
/// ```
/// use std::sync::Arc;
/// use weft_sync::Queue;
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let q = Arc::new(Queue::new(2)); // at most two items waiting
/// let producer = tokio::spawn({
///     let q = q.clone();
///     async move {
///         for i in 0..5 {
///             q.put(i).await.unwrap();
///         }
///     }
/// });
/// let mut got = Vec::new();
/// for _ in 0..5 {
///     got.push(q.get().await.unwrap());
///     q.task_done().unwrap();
/// }
/// producer.await.unwrap();
/// q.join().await; // every item put was marked done
/// assert_eq!(got, [0, 1, 2, 3, 4]);
/// # });
/// ```
pub type Queue<T> = OrderedQueue<T, Fifo<T>>;

/// asyncio's `LifoQueue`: last in, first out.
///
/// ```
/// let q = weft_sync::LifoQueue::new(0);
/// q.put_nowait(1).unwrap();
/// q.put_nowait(2).unwrap();
/// assert_eq!(q.get_nowait().unwrap(), 2);
/// ```
pub type LifoQueue<T> = OrderedQueue<T, Lifo<T>>;

/// asyncio's `PriorityQueue`: smallest first (wrap items in
/// [`std::cmp::Reverse`] for largest first).
///
/// ```
/// let q = weft_sync::PriorityQueue::new(0);
/// q.put_nowait((2, "later")).unwrap();
/// q.put_nowait((1, "first")).unwrap();
/// assert_eq!(q.get_nowait().unwrap(), (1, "first"));
/// ```
pub type PriorityQueue<T> = OrderedQueue<T, Priority<T>>;

/// A multi-producer, multi-consumer async queue whose storage `O` decides the
/// order items come out in; use it through [`Queue`], [`LifoQueue`] or
/// [`PriorityQueue`].
///
/// Fair in both directions: `get`s are served in the order they began to wait
/// (an item put while a getter waits goes straight to the first getter, and a
/// newcomer never takes it), and a slot freed while `put`s wait goes to the
/// first of them.
///
/// Drop-safe: a `get` dropped after it was handed an item gives the item to the
/// next getter, or puts it back in its place; a `put` dropped after it was given
/// a slot passes the slot on and puts nothing. A cancelled `put` never puts.
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let q = weft_sync::Queue::new(0);
/// q.put("hello").await.unwrap();
/// assert_eq!(q.get().await.unwrap(), "hello");
/// # });
/// ```
pub struct OrderedQueue<T, O: Order<T>> {
    state: Mutex<State<T, O>>,
    maxsize: usize,
}

impl<T, O: Order<T>> OrderedQueue<T, O> {
    /// A queue holding at most `maxsize` items; 0 means unbounded.
    ///
    /// ```
    /// let q = weft_sync::Queue::<u8>::new(10);
    /// assert_eq!(q.maxsize(), 10);
    /// ```
    pub fn new(maxsize: usize) -> Self {
        OrderedQueue {
            state: Mutex::new(State::new(maxsize)),
            maxsize,
        }
    }

    /// The bound given to [`new`](Self::new) (0: unbounded).
    ///
    /// ```
    /// assert_eq!(weft_sync::Queue::<u8>::new(0).maxsize(), 0);
    /// ```
    pub fn maxsize(&self) -> usize {
        self.maxsize
    }

    /// The number of items in the queue: stored, or handed to a `get` that has
    /// not returned yet.
    ///
    /// ```
    /// let q = weft_sync::Queue::new(0);
    /// q.put_nowait(1).unwrap();
    /// assert_eq!(q.qsize(), 1);
    /// ```
    pub fn qsize(&self) -> usize {
        self.state.lock().qsize()
    }

    /// Whether [`qsize`](Self::qsize) is 0.
    ///
    /// ```
    /// assert!(weft_sync::Queue::<u8>::new(0).empty());
    /// ```
    pub fn empty(&self) -> bool {
        self.qsize() == 0
    }

    /// Whether a `put` now would wait: the queue is bounded and every slot is
    /// taken (by items, or assigned to `put`s about to run). Never true for an
    /// unbounded queue.
    ///
    /// ```
    /// let q = weft_sync::Queue::new(1);
    /// q.put_nowait(()).unwrap();
    /// assert!(q.full());
    /// ```
    pub fn full(&self) -> bool {
        self.state.lock().is_full()
    }

    /// Puts `item`, waiting for a free slot if the queue is full.
    ///
    /// Fails, handing the item back, once the queue is
    /// [shut down](Self::shutdown) — including for a `put` that was waiting.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a dropped `put` has not put its item (the item is dropped
    /// with the future) and leaves no waiter behind; a slot that had been
    /// assigned to it goes to the next waiting `put`.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let q = weft_sync::Queue::new(1);
    /// q.put(1).await.unwrap();
    /// assert!(q.full());
    /// # });
    /// ```
    #[track_caller]
    pub fn put(&self, item: T) -> impl Future<Output = Result<(), QueueShutDown<T>>> + '_ {
        recorded(
            &WaitOn("Queue::put"),
            Location::caller(),
            self.put_unrecorded(item),
        )
    }

    /// [`put`](Self::put) without its wait record.
    async fn put_unrecorded(&self, item: T) -> Result<(), QueueShutDown<T>> {
        PutWait::new(self, item).await
    }

    /// Puts `item` if a slot is free and no `put` is waiting; otherwise hands
    /// it back in the error.
    ///
    /// ```
    /// use weft_sync::{Queue, TryPutError};
    /// let q = Queue::new(1);
    /// assert_eq!(q.put_nowait(1), Ok(()));
    /// assert_eq!(q.put_nowait(2), Err(TryPutError::Full(2)));
    /// ```
    pub fn put_nowait(&self, item: T) -> Result<(), TryPutError<T>> {
        let mut batch = WakeBatch::new();
        let mut state = self.state.lock();
        if state.shutdown != Shutdown::Open {
            return Err(TryPutError::ShutDown(item));
        }
        if !state.can_put_now() {
            return Err(TryPutError::Full(item));
        }
        state.put(item, &mut batch);
        self.release_lock(state, batch);
        Ok(())
    }

    /// Takes the next item, waiting for one if the queue is empty.
    ///
    /// Once the queue is shut down, returns what is left, then fails (at once,
    /// after `shutdown(true)`).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: no item is lost. If an item had already been handed to the
    /// dropped `get`, it goes to the next waiting `get`, or back into the queue
    /// in its place (the front, for a FIFO queue).
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let q = weft_sync::Queue::new(0);
    /// q.put(5).await.unwrap();
    /// assert_eq!(q.get().await, Ok(5));
    /// # });
    /// ```
    #[track_caller]
    pub fn get(&self) -> impl Future<Output = Result<T, QueueShutDown>> + '_ {
        recorded(
            &WaitOn("Queue::get"),
            Location::caller(),
            self.get_unrecorded(),
        )
    }

    /// [`get`](Self::get) without its wait record.
    async fn get_unrecorded(&self) -> Result<T, QueueShutDown> {
        GetWait::new(self).await
    }

    /// Takes the next item if one is ready.
    ///
    /// ```
    /// use weft_sync::{Queue, TryGetError};
    /// let q = Queue::new(0);
    /// assert_eq!(q.get_nowait(), Err(TryGetError::Empty));
    /// q.put_nowait(1).unwrap();
    /// assert_eq!(q.get_nowait(), Ok(1));
    /// ```
    pub fn get_nowait(&self) -> Result<T, TryGetError> {
        let mut batch = WakeBatch::new();
        let mut state = self.state.lock();
        match state.take(&mut batch) {
            Some(item) => {
                self.release_lock(state, batch);
                Ok(item)
            }
            None if state.shutdown != Shutdown::Open => Err(TryGetError::ShutDown),
            None => Err(TryGetError::Empty),
        }
    }

    /// Marks one item that was put as processed; when every item put has been
    /// marked, [`join`](Self::join) returns.
    ///
    /// Returns [`TaskDoneError`] if called more times than items were put.
    ///
    /// ```
    /// let q = weft_sync::Queue::new(0);
    /// q.put_nowait(()).unwrap();
    /// q.get_nowait().unwrap();
    /// assert!(q.task_done().is_ok());
    /// assert!(q.task_done().is_err());
    /// ```
    pub fn task_done(&self) -> Result<(), TaskDoneError> {
        let mut state = self.state.lock();
        if state.unfinished == 0 {
            return Err(TaskDoneError(()));
        }
        state.unfinished -= 1;
        self.release_lock(state, WakeBatch::new());
        Ok(())
    }

    /// Waits until every item put has been marked with
    /// [`task_done`](Self::task_done) (or discarded by `shutdown(true)`).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a dropped `join` just leaves the queue of joiners.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let q = weft_sync::Queue::<u8>::new(0);
    /// q.join().await; // nothing was put: returns at once
    /// # });
    /// ```
    #[track_caller]
    pub fn join(&self) -> impl Future<Output = ()> + '_ {
        recorded(
            &WaitOn("Queue::join"),
            Location::caller(),
            self.join_unrecorded(),
        )
    }

    /// [`join`](Self::join) without its wait record.
    async fn join_unrecorded(&self) {
        Notified::new(
            &self.state,
            |s| &mut s.joiners,
            |s| s.unfinished == 0,
            false,
        )
        .await
    }

    /// Shuts the queue down, as asyncio 3.13's `Queue.shutdown`.
    ///
    /// Every `put` fails from now on, waiting ones included. With
    /// `immediate == false`, `get`s return the items still queued, then fail.
    /// With `immediate == true`, the queued items are discarded (each counted
    /// as done, which may release [`join`](Self::join)) and `get`s fail at once.
    ///
    /// ```
    /// let q = weft_sync::Queue::new(0);
    /// q.put_nowait(1).unwrap();
    /// q.shutdown(false);
    /// assert_eq!(q.get_nowait(), Ok(1));       // drains
    /// assert!(q.get_nowait().unwrap_err().is_shut_down());
    /// ```
    pub fn shutdown(&self, immediate: bool) {
        let mut state = self.state.lock();
        let discarded = state.shut_down(immediate);
        let mark = state.getters.mark();
        wake_queued(
            &self.state,
            state,
            |s| &mut s.getters,
            mark,
            usize::MAX,
            |g| *g = Get::ShutDown,
        );
        let state = self.state.lock();
        let mark = state.putters.mark();
        wake_queued(
            &self.state,
            state,
            |s| &mut s.putters,
            mark,
            usize::MAX,
            |p| *p = Put::ShutDown,
        );
        self.release_lock(self.state.lock(), WakeBatch::new());
        drop(discarded);
    }

    /// Whether [`shutdown`](Self::shutdown) was called.
    ///
    /// ```
    /// let q = weft_sync::Queue::<u8>::new(0);
    /// q.shutdown(true);
    /// assert!(q.is_shut_down());
    /// ```
    pub fn is_shut_down(&self) -> bool {
        self.state.lock().shutdown != Shutdown::Open
    }

    /// Takes a dropped, queued `waiter` off its list (`list_of`), hands what it
    /// had been given (`idle` if nothing) to `give_back` under the lock, then
    /// unlocks and wakes.
    ///
    /// # Safety
    ///
    /// `waiter` is queued, and on that list of this queue.
    unsafe fn withdraw<S, R>(
        &self,
        waiter: Pin<&mut Waiter<S>>,
        list_of: fn(&mut State<T, O>) -> &mut WaitList<S>,
        idle: S,
        give_back: impl FnOnce(&mut State<T, O>, S, &mut WakeBatch) -> R,
    ) -> R {
        let mut batch = WakeBatch::new();
        let mut state = self.state.lock();
        // SAFETY: the caller's promise; we hold the lock.
        let (_, handed) = unsafe { waiter.cancel(list_of(&mut state)) };
        let handed = std::mem::replace(handed, idle);
        let out = give_back(&mut state, handed, &mut batch);
        self.release_lock(state, batch);
        out
    }

    /// Unlocks; then wakes `batch` and, if every item is done, the joiners.
    fn release_lock(&self, state: MutexGuard<'_, State<T, O>>, mut batch: WakeBatch) {
        if state.joiners_due() {
            let mark = state.joiners.mark();
            wake_queued(
                &self.state,
                state,
                |s| &mut s.joiners,
                mark,
                usize::MAX,
                |_| {},
            );
        } else {
            drop(state);
        }
        batch.wake_all();
    }
}

impl<T, O: Order<T>> fmt::Debug for OrderedQueue<T, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OrderedQueue")
            .field("maxsize", &self.maxsize)
            .field("qsize", &self.qsize())
            .field("shut_down", &self.is_shut_down())
            .finish()
    }
}
