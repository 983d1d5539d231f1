//! weft: a multi-threaded work-stealing async runtime with asyncio's task model.
//!
//! ```
//! let rt = weft::Runtime::builder().worker_threads(2).build().unwrap();
//! let total = rt.block_on(async {
//!     let a = weft::spawn(async { 20 });
//!     let b = weft::spawn(async { 22 });
//!     a.await.unwrap() + b.await.unwrap()
//! });
//! assert_eq!(total, 42);
//! ```
//!
//! | asyncio                              | weft                                   |
//! |--------------------------------------|----------------------------------------|
//! | `asyncio.run(main())`                | [`run`]`(main())`                      |
//! | `asyncio.create_task(coro)`          | [`spawn`]`(fut)` → [`Task`]            |
//! | `task.cancel()`                      | [`Task::cancel`]                       |
//! | `await asyncio.sleep(0)`             | [`yield_now`]`().await`                |
//! | `asyncio.to_thread(f)`               | [`to_thread`]`(f).await`               |
//! | `loop.run_in_executor(None, f)`      | [`spawn_blocking`]`(f).await`          |
//! | `run_coroutine_threadsafe(c, loop)`  | [`Handle::spawn`] + [`Task::join_blocking`] |
//! | `aiofiles.open(p)`, `async for line in f` | [`fs::File::open`]`(p)`, [`io::BufReader::lines`] |
//!
//! The full table is [`guide::asyncio`]; the whole guide, chapter by chapter, is [`guide`].
#![warn(missing_docs)]

mod blocking;
pub mod combinator;
mod driver;
pub mod fs;
mod loom;
#[cfg(weft_loom)]
#[doc(hidden)]
#[allow(
    missing_docs,
    unreachable_pub,
    clippy::new_without_default,
    clippy::len_without_is_empty
)]
pub mod __loom {
    pub use crate::model::*;
}
#[cfg(any(weft_loom, test))]
#[allow(unreachable_pub, dead_code)]
mod model;
pub mod net;
pub mod process;
pub mod runtime;
mod scheduler;
pub mod signal;
pub mod structured;
pub mod task;
pub mod time;

pub use combinator::{join_all, select_all};
pub use runtime::{Builder, Handle, Runtime};
pub use structured::{
    as_completed, gather_all, shield, task_group, try_gather, wait, GroupError, ReturnWhen,
    TaskGroup,
};
pub use task::{cancellable, yield_now, Cancelled, Task, TaskError};

/// Runs `async fn main` on a new runtime (asyncio's `asyncio.run(main())`).
///
/// ```
/// #[weft::main]
/// async fn main() -> Result<(), std::num::ParseIntError> {
///     let n: u32 = "21".parse()?;
///     let doubled = weft::spawn(async move { n * 2 }).await.unwrap();
///     assert_eq!(doubled, 42);
///     Ok(())
/// }
/// ```
///
/// Options pick the runtime: `flavor = "current_thread" | "multi_thread"` (default
/// `"multi_thread"`), `worker_threads = N`, `start_paused = true` (current-thread only)
/// and `crate = "path::to::weft"`.
///
/// ```
/// #[weft::main(flavor = "multi_thread", worker_threads = 2)]
/// async fn main() {
///     let m = weft::Handle::current().metrics();
///     assert_eq!(m.num_workers(), 2);
/// }
/// ```
#[doc(inline)]
pub use weft_macros::main;

/// Runs an `async fn` test on its own runtime; the current-thread flavor unless
/// `flavor = "multi_thread"` is given, so the test and its tasks run in a deterministic
/// order on the test's thread.
///
/// ```
/// #[weft::test]
/// async fn spawned_tasks_run() {
///     assert_eq!(weft::spawn(async { 1 + 1 }).await.unwrap(), 2);
/// }
///
/// #[weft::test(flavor = "multi_thread", worker_threads = 2)]
/// async fn returns_a_result() -> Result<(), weft::TaskError> {
///     weft::spawn(async {}).await
/// }
/// # fn main() {}
/// ```
#[doc(inline)]
pub use weft_macros::test;

/// weft's synchronisation primitives (`weft-sync`): cancellation-aware and
/// executor-agnostic.
pub use weft_sync as sync;

/// Asynchronous I/O: the futures-io `AsyncRead`/`AsyncWrite`/`AsyncSeek` traits every
/// weft stream and file implements, their extension methods, `copy`, asyncio's
/// `BufReader` with `read_line`/`read_until` and `lines`, `BufWriter`, and `split` for a
/// reader and a writer of any stream (from
/// `weft-io`).
pub use weft_io::io;

use std::future::Future;

#[doc(hidden)]
pub use combinator::macro_support as __private;

/// Builds a crate's guide module from its Markdown chapters (`weft_hyper::guide`).
#[doc(hidden)]
pub use weft_macros::guide as __guide;

/// The README's code, compiled and run as a doctest so it stays true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;

/// Spawns a task on the current runtime (asyncio's `create_task`).
///
/// The task starts running at once on some worker; the returned [`Task`] awaits its
/// output, cancels it, or — when dropped — detaches it.
///
/// ```
/// let rt = weft::Runtime::builder().worker_threads(2).build().unwrap();
/// rt.block_on(async {
///     let task = weft::spawn(async { "hello" });
///     assert_eq!(task.await.unwrap(), "hello");
/// });
/// ```
///
/// # Cancel safety
///
/// Awaiting the returned [`Task`] by reference is cancel safe; see [`Task`].
///
/// # Panics
///
/// Outside a weft runtime (no `block_on`, task or `Handle::enter` on this thread);
/// use [`Handle::spawn`] to spawn from anywhere.
#[track_caller]
pub fn spawn<F>(future: F) -> Task<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let location = std::panic::Location::caller();
    let (task, first_poll) = scheduler::context::with_current(|handle| match handle {
        Some(handle) => {
            let meta = task::SpawnMeta::new(location, None, handle.eager_by_default());
            handle.spawn_deferred(future, meta)
        }
        None => panic!(
            "weft::spawn was called outside a weft runtime: call it from inside \
             Runtime::block_on or a task, or use Handle::spawn"
        ),
    });
    // An eager task's first poll runs outside the context's borrow: its code may enter
    // a handle or drop a runtime, which change the context.
    if let Some(first_poll) = first_poll {
        first_poll.run();
    }
    task
}

/// Spawns a task whose future need not be `Send` on this thread, where it stays: it is
/// polled only here and never moves to another thread (asyncio's tasks, which all live
/// on their loop's thread). The returned [`LocalTask`](task::LocalTask) is not `Send`
/// either.
///
/// - On a multi-thread worker (inside a task) the task is pinned to that worker: it
///   runs in its turn with the worker's other tasks and is never stolen.
/// - Inside `block_on` (either flavour) it runs on the `block_on` thread, while that
///   thread waits for its future (on the current-thread flavour, between the runtime's
///   other tasks).
///
/// Everything else is a task's: [`cancel`](Task::cancel) with
/// [`cancellable`](task::cancellable()) regions, names
/// ([`task::Builder::spawn_local`]), [`task::current`], context variables,
/// done-callbacks, and awaiting it from another local task. Wakes from other threads
/// (I/O, timers, a `Send` task) bring it back to its own thread. When the runtime shuts
/// down, local tasks are dropped on their own thread (a worker as it stops, a `block_on`
/// thread when it shuts the runtime down or exits).
///
/// ```
/// use std::cell::RefCell;
/// use std::rc::Rc;
///
/// #[weft::main(flavor = "current_thread")]
/// async fn main() {
///     let log = Rc::new(RefCell::new(Vec::new())); // not Send
///     let tasks: Vec<_> = (0..3)
///         .map(|i| {
///             let log = log.clone();
///             weft::spawn_local(async move {
///                 weft::yield_now().await;
///                 log.borrow_mut().push(i);
///             })
///         })
///         .collect();
///     for task in tasks {
///         task.await.unwrap();
///     }
///     assert_eq!(*log.borrow(), [0, 1, 2]);
/// }
/// ```
///
/// # Panics
///
/// On a thread that runs no weft runtime, or that only entered one
/// ([`Handle::enter`]) or runs its blocking pool: a local task needs a thread that
/// will come back to poll it — a worker, or one inside `block_on`.
#[track_caller]
pub fn spawn_local<F>(future: F) -> task::LocalTask<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    task::Builder::new().spawn_local(future)
}

/// Runs a blocking function on the runtime's blocking pool and returns a [`Task`] for
/// its result (asyncio's `loop.run_in_executor(None, f)`).
///
/// The pool grows on demand up to `max_blocking_threads`; a panic in `f` comes back as
/// [`TaskError::is_panic`].
///
/// ```
/// let rt = weft::Runtime::builder().worker_threads(1).build().unwrap();
/// let n = rt.block_on(async { weft::spawn_blocking(|| 6 * 7).await.unwrap() });
/// assert_eq!(n, 42);
/// ```
///
/// # Cancel safety
///
/// Awaiting the returned [`Task`] by reference is cancel safe; see [`Task`]. Dropping
/// the `Task` does not stop `f`: a blocking function cannot be interrupted.
///
/// # Panics
///
/// Outside a weft runtime; use [`Handle::spawn_blocking`] from anywhere.
#[track_caller]
pub fn spawn_blocking<F, R>(f: F) -> Task<R>
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    match Handle::try_current() {
        Ok(handle) => handle.spawn_blocking(f),
        Err(err) => panic!("weft::spawn_blocking: {err}"),
    }
}

/// asyncio's `to_thread`: runs `f` on the blocking pool; await the returned [`Task`].
///
/// ```
/// let rt = weft::Runtime::builder().current_thread().build().unwrap();
/// let len = rt.block_on(async { weft::to_thread(|| "abc".len()).await.unwrap() });
/// assert_eq!(len, 3);
/// ```
///
/// # Cancel safety
///
/// Awaiting the returned [`Task`] by reference is cancel safe; see [`Task`].
///
/// # Panics
///
/// Outside a weft runtime.
#[track_caller]
pub fn to_thread<F, R>(f: F) -> Task<R>
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    spawn_blocking(f)
}

/// asyncio's `run`: builds a multi-thread runtime, runs `future` on it, and shuts the
/// runtime down (cancelling the tasks still running) before returning.
///
/// ```
/// let out = weft::run(async { weft::spawn(async { 3 }).await.unwrap() * 2 });
/// assert_eq!(out, 6);
/// ```
///
/// # Panics
///
/// If the runtime cannot be built (the OS refuses to start its threads), or if called
/// inside a runtime.
#[track_caller]
pub fn run<F: Future>(future: F) -> F::Output {
    let rt = match Runtime::new() {
        Ok(rt) => rt,
        Err(err) => panic!("weft::run could not start a runtime: {err}"),
    };
    rt.block_on(future)
}

weft_macros::guide! {
    /// The guide: weft's chapters, one module each; every code block is a doc test.
    ///
    pub mod guide from "docs/index.md";
    chapter tasks from "docs/tasks.md";
    chapter cancellation from "docs/cancellation.md";
    chapter structured from "docs/structured.md";
    chapter select from "docs/select.md";
    chapter time from "docs/time.md";
    chapter sync from "docs/sync.md";
    chapter net from "docs/net.md";
    chapter process from "docs/process.md";
    chapter signal from "docs/signal.md";
    chapter fs from "docs/fs.md";
    chapter ecosystem from "docs/ecosystem.md";
    chapter runtime from "docs/runtime.md";
    chapter asyncio from "docs/asyncio.md";
    chapter architecture from "docs/architecture.md";
    chapter performance from "docs/performance.md";
    chapter reliability from "docs/reliability.md";
    link http to "https://docs.rs/weft-rt-hyper/latest/weft_hyper/guide/index.html";
    chapter debugging from "docs/debugging.md";
}
