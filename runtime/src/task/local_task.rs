//! `LocalTask<T>`: the handle to a task spawned with `spawn_local`, whose future need
//! not be `Send` and never leaves the thread that spawned it.

use super::{Task, TaskError};
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::ops::Deref;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

/// A handle to a local task ([`spawn_local`](crate::spawn_local)): a [`Task`] that cannot
/// leave the thread it was spawned on, because neither can the task.
///
/// Everything a [`Task`] does, a `LocalTask` does — await it, [`cancel`](Task::cancel)
/// it, read its [`name`](Task::name) or [`id`](Task::id), add done-callbacks — through
/// `Deref`. It is not `Send`: the task's output (which need not be `Send` either) is
/// read on the task's own thread.
///
/// ```
/// use std::rc::Rc;
///
/// let rt = weft::Runtime::builder().current_thread().build().unwrap();
/// rt.block_on(async {
///     let shared = Rc::new(5); // not Send: a plain spawn would not compile
///     let task: weft::task::LocalTask<Rc<i32>> = weft::spawn_local({
///         let shared = shared.clone();
///         async move { shared }
///     });
///     assert_eq!(*task.await.unwrap(), 5);
/// });
/// ```
///
/// ```compile_fail
/// let rt = weft::Runtime::builder().current_thread().build().unwrap();
/// rt.block_on(async {
///     let task = weft::spawn_local(async { 1 });
///     std::thread::spawn(move || drop(task)); // a LocalTask is not Send
/// });
/// ```
pub struct LocalTask<T> {
    task: Task<T>,
    /// Neither `Send` nor `Sync`.
    _not_send: PhantomData<Rc<()>>,
}

impl<T> LocalTask<T> {
    /// Wraps the handle of a task spawned as local.
    pub(crate) fn new(task: Task<T>) -> LocalTask<T> {
        LocalTask {
            task,
            _not_send: PhantomData,
        }
    }
}

impl<T> Deref for LocalTask<T> {
    type Target = Task<T>;

    fn deref(&self) -> &Task<T> {
        &self.task
    }
}

impl<T> Future for LocalTask<T> {
    type Output = Result<T, TaskError>;

    #[track_caller]
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.task).poll(cx)
    }
}

impl<T> fmt::Debug for LocalTask<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("LocalTask").field(&self.task).finish()
    }
}
