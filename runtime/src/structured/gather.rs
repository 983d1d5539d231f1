//! `gather!`, `gather_all`, `try_gather`: run futures as tasks and collect their
//! results (asyncio's `gather`).
//!
//! Each future is spawned as a task of its own, so they run concurrently (on every
//! worker) whether or not the gathering future is being polled, as asyncio's gather
//! wraps coroutines in tasks. asyncio's `return_exceptions=True` is simply getting the
//! `Result`s.
//!
//! # Rules
//!
//! 1. Dropping (cancelling) a gathering future cancels every child not finished.
//! 2. `gather!` and `gather_all` return every child's `Result`, in argument order.
//! 3. `try_gather` returns at the first error — a child's `Err`, panic or cancellation —
//!    after cancelling the others; otherwise every value, in argument order.

use super::finish_order::FinishOrder;
use crate::task::{Task, TaskError};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Runs futures of different types concurrently, each as a task, and resolves to a
/// tuple of their results, in order (asyncio's `gather(a, b, c)`, with
/// `return_exceptions=True`). Up to 12 futures. Dropping it cancels the children.
///
/// ```
/// let rt = weft::Runtime::builder().worker_threads(2).build().unwrap();
/// rt.block_on(async {
///     let (a, b, c) = weft::gather!(async { 1 }, async { "two" }, async { 3.0 }).await;
///     assert_eq!((a.unwrap(), b.unwrap(), c.unwrap()), (1, "two", 3.0));
/// });
/// ```
///
/// # Cancel safety
///
/// Not cancel safe: dropping the [`Gather`](crate::structured::Gather) cancels every child not
/// finished, so their work and the results already in are lost (rule 1). To wait
/// on tasks in a `select!` loop without losing them, await each `&mut task`, or use
/// [`as_completed`](crate::as_completed).
///
/// # Panics
///
/// Outside a weft runtime (it spawns).
#[macro_export]
macro_rules! gather {
    ($($future:expr),+ $(,)?) => {
        $crate::structured::Gather::new(($($crate::spawn($future),)+))
    };
}

/// Tuples of tasks that [`gather!`](crate::gather) can wait on: `(Task<A>,)` up to
/// twelve tasks. Sealed: only weft implements it.
pub trait GatherTasks: Unpin + sealed::Sealed {
    /// The tuple of results.
    type Output;
    /// Results collected so far.
    #[doc(hidden)]
    type Slots: Default;
    /// Polls every unfinished task; `true` once all have finished.
    #[doc(hidden)]
    fn poll_all(&mut self, slots: &mut Self::Slots, cx: &mut Context<'_>) -> bool;
    /// The collected results (all present).
    #[doc(hidden)]
    fn take(slots: &mut Self::Slots) -> Self::Output;
    /// Cancels every task without a result yet.
    #[doc(hidden)]
    fn cancel_unfinished(&self, slots: &Self::Slots);
}

mod sealed {
    /// Keeps [`GatherTasks`](super::GatherTasks) to the tuples weft implements it for.
    pub trait Sealed {}
}

macro_rules! gather_tasks_for_tuple {
    ($($T:ident $i:tt),+) => {
        impl<$($T),+> sealed::Sealed for ($(Task<$T>,)+) {}

        impl<$($T),+> GatherTasks for ($(Task<$T>,)+) {
            type Output = ($(Result<$T, TaskError>,)+);
            type Slots = ($(Option<Result<$T, TaskError>>,)+);

            fn poll_all(&mut self, slots: &mut Self::Slots, cx: &mut Context<'_>) -> bool {
                let mut all = true;
                $(
                    if slots.$i.is_none() {
                        match Pin::new(&mut self.$i).poll(cx) {
                            Poll::Ready(result) => slots.$i = Some(result),
                            Poll::Pending => all = false,
                        }
                    }
                )+
                all
            }

            fn take(slots: &mut Self::Slots) -> Self::Output {
                ($(slots.$i.take().expect("gathered once, when all finished"),)+)
            }

            fn cancel_unfinished(&self, slots: &Self::Slots) {
                $(
                    if slots.$i.is_none() {
                        self.$i.cancel();
                    }
                )+
            }
        }
    };
}

gather_tasks_for_tuple!(A 0);
gather_tasks_for_tuple!(A 0, B 1);
gather_tasks_for_tuple!(A 0, B 1, C 2);
gather_tasks_for_tuple!(A 0, B 1, C 2, D 3);
gather_tasks_for_tuple!(A 0, B 1, C 2, D 3, E 4);
gather_tasks_for_tuple!(A 0, B 1, C 2, D 3, E 4, F 5);
gather_tasks_for_tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
gather_tasks_for_tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);
gather_tasks_for_tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8);
gather_tasks_for_tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9);
gather_tasks_for_tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10);
gather_tasks_for_tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11);

/// The future of [`gather!`](crate::gather).
#[must_use = "futures do nothing unless awaited"]
pub struct Gather<T: GatherTasks> {
    tasks: T,
    slots: T::Slots,
    done: bool,
}

impl<T: GatherTasks> Gather<T> {
    #[doc(hidden)]
    pub fn new(tasks: T) -> Gather<T> {
        Gather {
            tasks,
            slots: T::Slots::default(),
            done: false,
        }
    }
}

// Nothing in a `Gather` is pinned: the tasks are `Unpin` handles and the results are
// plain values moved out at the end.
impl<T: GatherTasks> Unpin for Gather<T> {}

impl<T: GatherTasks> Future for Gather<T> {
    type Output = T::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T::Output> {
        let this = &mut *self;
        if !this.tasks.poll_all(&mut this.slots, cx) {
            return Poll::Pending;
        }
        this.done = true;
        Poll::Ready(T::take(&mut this.slots))
    }
}

impl<T: GatherTasks> Drop for Gather<T> {
    fn drop(&mut self) {
        if !self.done {
            self.tasks.cancel_unfinished(&self.slots);
        }
    }
}

impl<T: GatherTasks> fmt::Debug for Gather<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Gather").field("done", &self.done).finish()
    }
}

/// Runs every future concurrently, each as a task, and resolves to their results in
/// order (asyncio's `gather(*aws, return_exceptions=True)`). Dropping it cancels the
/// children.
///
/// ```
/// let rt = weft::Runtime::builder().worker_threads(2).build().unwrap();
/// rt.block_on(async {
///     let squares = weft::gather_all((0..10u64).map(|i| async move { i * i })).await;
///     let squares: Vec<u64> = squares.into_iter().map(Result::unwrap).collect();
///     assert_eq!(squares[9], 81);
/// });
/// ```
///
/// # Cancel safety
///
/// Not cancel safe: dropping it cancels every child not finished, and the results
/// already in are lost with it (rule 1).
///
/// # Panics
///
/// Outside a weft runtime (it spawns).
#[track_caller]
pub fn gather_all<I>(futures: I) -> GatherAll<<I::Item as Future>::Output>
where
    I: IntoIterator,
    I::Item: Future + Send + 'static,
    <I::Item as Future>::Output: Send + 'static,
{
    let tasks: Vec<_> = futures.into_iter().map(crate::spawn).collect();
    GatherAll {
        results: Vec::with_capacity(tasks.len()),
        tasks,
    }
}

/// The future of [`gather_all`].
#[must_use = "futures do nothing unless awaited"]
pub struct GatherAll<T> {
    tasks: Vec<Task<T>>,
    /// Results of `tasks[..results.len()]`: they are awaited in order, which waits for
    /// all of them and polls each about once.
    results: Vec<Result<T, TaskError>>,
}

// Nothing in it is pinned: task handles and results only.
impl<T> Unpin for GatherAll<T> {}

impl<T> Future for GatherAll<T> {
    type Output = Vec<Result<T, TaskError>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        while this.results.len() < this.tasks.len() {
            let next = this.results.len();
            match Pin::new(&mut this.tasks[next]).poll(cx) {
                Poll::Ready(result) => this.results.push(result),
                Poll::Pending => return Poll::Pending,
            }
        }
        this.tasks.clear();
        Poll::Ready(std::mem::take(&mut this.results))
    }
}

impl<T> Drop for GatherAll<T> {
    fn drop(&mut self) {
        for task in &self.tasks[self.results.len().min(self.tasks.len())..] {
            task.cancel();
        }
    }
}

impl<T> fmt::Debug for GatherAll<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GatherAll")
            .field("tasks", &self.tasks.len())
            .field("finished", &self.results.len())
            .finish()
    }
}

/// Runs every future concurrently, each as a task, and resolves to all their values in
/// order — or, at the first failure, cancels the others and returns it (rule 3).
///
/// ```
/// let rt = weft::Runtime::builder().worker_threads(2).build().unwrap();
/// rt.block_on(async {
///     let ok = weft::try_gather((1..=3).map(|i| async move { Ok::<_, String>(i) })).await;
///     assert_eq!(ok.unwrap(), [1, 2, 3]);
///     let failed = weft::try_gather([
///         Box::pin(async { Err::<i32, _>("no".to_owned()) }) as std::pin::Pin<Box<dyn std::future::Future<Output = _> + Send>>,
///         Box::pin(std::future::pending()),
///     ])
///     .await;
///     assert!(matches!(failed, Err(weft::structured::TryGatherError::Failed(e)) if e == "no"));
/// });
/// ```
///
/// # Cancel safety
///
/// Not cancel safe: dropping it cancels every child not finished, and the results
/// already in are lost with it (rule 1).
///
/// # Panics
///
/// Outside a weft runtime (it spawns).
#[track_caller]
pub fn try_gather<I, T, E>(futures: I) -> TryGather<T, E>
where
    I: IntoIterator,
    I::Item: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    let tasks: Vec<_> = futures.into_iter().map(crate::spawn).collect();
    let n = tasks.len();
    TryGather {
        order: FinishOrder::new(tasks),
        values: (0..n).map(|_| None).collect(),
        done: false,
    }
}

/// Why [`try_gather`] stopped.
#[derive(Debug)]
pub enum TryGatherError<E> {
    /// A child returned this error.
    Failed(E),
    /// A child panicked or was cancelled.
    Task(TaskError),
}

impl<E: fmt::Display> fmt::Display for TryGatherError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TryGatherError::Failed(err) => write!(f, "a gathered task failed: {err}"),
            TryGatherError::Task(err) => err.fmt(f),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for TryGatherError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TryGatherError::Failed(err) => Some(err),
            TryGatherError::Task(err) => Some(err),
        }
    }
}

/// The future of [`try_gather`].
#[must_use = "futures do nothing unless awaited"]
pub struct TryGather<T, E> {
    order: FinishOrder<Result<T, E>>,
    values: Vec<Option<T>>,
    done: bool,
}

// Nothing in it is pinned: task handles and results only.
impl<T, E> Unpin for TryGather<T, E> {}

impl<T, E> Future for TryGather<T, E> {
    type Output = Result<Vec<T>, TryGatherError<E>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        loop {
            let index = match this.order.poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(index)) => index,
                Poll::Ready(None) => {
                    this.done = true;
                    let values = this
                        .values
                        .drain(..)
                        .map(|v| v.expect("every child gave a value"));
                    return Poll::Ready(Ok(values.collect()));
                }
            };
            let result = match this
                .order
                .take(index)
                .map(|mut task| take_finished(&mut task))
            {
                Some(result) => result,
                None => continue,
            };
            match result {
                Ok(Ok(value)) => this.values[index] = Some(value),
                Ok(Err(err)) => return Poll::Ready(Err(this.fail(TryGatherError::Failed(err)))),
                Err(err) => return Poll::Ready(Err(this.fail(TryGatherError::Task(err)))),
            }
        }
    }
}

impl<T, E> TryGather<T, E> {
    fn fail(&mut self, err: TryGatherError<E>) -> TryGatherError<E> {
        self.done = true;
        self.order.cancel_unreported();
        err
    }
}

impl<T, E> Drop for TryGather<T, E> {
    fn drop(&mut self) {
        if !self.done {
            self.order.cancel_unreported();
        }
    }
}

impl<T, E> fmt::Debug for TryGather<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TryGather")
            .field("tasks", &self.order.len())
            .field("done", &self.done)
            .finish()
    }
}

/// The result of a task known to be finished.
pub(crate) fn take_finished<T>(task: &mut Task<T>) -> Result<T, TaskError> {
    let waker = std::task::Waker::noop();
    match Pin::new(task).poll(&mut Context::from_waker(waker)) {
        Poll::Ready(result) => result,
        Poll::Pending => unreachable!("take_finished on a task that has not finished"),
    }
}
