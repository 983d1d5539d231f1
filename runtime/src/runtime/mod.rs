//! The runtime: building it, entering it, running a future on it, shutting it down.
//!
//! # Shutdown, step by step
//!
//! 1. Workers are told to stop and unparked; each finishes the poll it is in, drops
//!    the references its own queues hold, and exits.
//! 2. The caller waits for the worker threads (up to the `shutdown_timeout`).
//! 3. The owned list is closed and every task left in it is cancelled: its future is
//!    dropped here, exactly once, with this runtime current, so a destructor that
//!    spawns gets an already-cancelled task and one that wakes another task just queues
//!    a reference that is dropped — no deadlock, no leak.
//! 4. The blocking pool stops taking jobs, cancels the queued ones and waits for the
//!    running ones (up to what is left of the timeout).

mod builder;
mod call;
mod handle;
mod metrics;
mod spawn;

pub use builder::Builder;
pub use call::CallHandle;
pub use handle::{EnterGuard, Handle, TryCurrentError};
pub use metrics::{PollTimeHistogram, RuntimeMetrics, WorkerMetrics};

use crate::blocking::BlockingPool;
use crate::driver::Driver;
use crate::loom::{thread, Arc, Condvar, Mutex};
use crate::scheduler::local::LocalScheduler;
use crate::scheduler::{self, context, current_thread, multi_thread, park::Parker};
use std::fmt;
use std::future::Future;
use std::io;
use std::pin::pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// A weft runtime: its worker threads, blocking pool and tasks.
///
/// ```
/// let rt = weft::Runtime::builder().worker_threads(2).build().unwrap();
/// let sum = rt.block_on(async {
///     let tasks: Vec<_> = (0..10u64).map(|i| weft::spawn(async move { i * i })).collect();
///     let mut sum = 0;
///     for t in tasks {
///         sum += t.await.unwrap();
///     }
///     sum
/// });
/// assert_eq!(sum, 285);
/// ```
pub struct Runtime {
    handle: Handle,
    workers: Option<WorkerThreads>,
    pool: BlockingPool,
    /// Set by the first shutdown; a later one (the drop after `shutdown_timeout`)
    /// has nothing left to do and must not wait again.
    is_shut_down: bool,
}

/// The multi-thread flavour's threads (workers and monitor) and the count of those
/// still running.
struct WorkerThreads {
    threads: Vec<thread::JoinHandle<()>>,
    running: Arc<(Mutex<usize>, Condvar)>,
}

/// Counts a worker thread out when it exits, however it exits.
struct ExitSignal(Arc<(Mutex<usize>, Condvar)>);

impl Drop for ExitSignal {
    fn drop(&mut self) {
        let (count, cvar) = &*self.0;
        *count.lock() -= 1;
        cvar.notify_all();
    }
}

impl Runtime {
    /// A builder for a runtime (multi-thread by default).
    pub fn builder() -> Builder {
        Builder::new()
    }

    /// A multi-thread runtime with default settings.
    ///
    /// # Errors
    ///
    /// The OS's error if a worker thread cannot be started.
    pub fn new() -> io::Result<Runtime> {
        Builder::new().build()
    }

    pub(super) fn new_current_thread(builder: &Builder, pool: BlockingPool) -> io::Result<Runtime> {
        let shared = current_thread::Shared::new(
            pool.spawner().clone(),
            Driver::new(builder.start_paused)?,
            builder.task_config(),
        );
        Ok(Runtime {
            handle: Handle {
                inner: scheduler::Handle::CurrentThread(shared),
            },
            workers: None,
            pool,
            is_shut_down: false,
        })
    }

    pub(super) fn new_multi_thread(
        builder: &Builder,
        num_workers: usize,
        pool: BlockingPool,
    ) -> io::Result<Runtime> {
        let (shared, workers) = multi_thread::Shared::new(
            num_workers,
            pool.spawner().clone(),
            Driver::new(false)?,
            builder.task_config(),
        );
        let handle = scheduler::Handle::MultiThread(shared.clone());
        let mut threads = WorkerThreads {
            threads: Vec::with_capacity(num_workers + 1),
            running: Arc::new((Mutex::new(0usize), Condvar::new())),
        };
        let mut started = Ok(());
        for worker in workers {
            let mut b = thread::Builder::new().name((builder.thread_name)());
            if let Some(size) = builder.thread_stack_size {
                b = b.stack_size(size);
            }
            let handle = handle.clone();
            started = threads.start(b, move || worker.run(handle));
            if started.is_err() {
                break;
            }
        }
        if let (Some(threshold), Ok(())) = (builder.monitor, &started) {
            let shared = shared.clone();
            started = threads.start(
                thread::Builder::new().name("weft-monitor".to_owned()),
                move || multi_thread::monitor::run(&shared, threshold),
            );
        }
        let rt = Runtime {
            handle: Handle { inner: handle },
            workers: Some(threads),
            pool,
            is_shut_down: false,
        };
        // On failure, dropping `rt` stops the workers that did start.
        started.map(|()| rt)
    }

    /// The runtime's handle, to spawn from anywhere or to clone.
    pub fn handle(&self) -> &Handle {
        &self.handle
    }

    /// Spawns a task onto the runtime; see [`crate::spawn`].
    #[track_caller]
    pub fn spawn<F>(&self, future: F) -> crate::Task<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.handle.spawn(future)
    }

    /// Runs `future` to completion on the current thread, with this runtime current
    /// (asyncio's `loop.run_until_complete`). On the current-thread flavour this
    /// thread also runs the spawned tasks while it waits.
    ///
    /// # Panics
    ///
    /// If called on a thread that already runs a weft runtime (a worker, or inside
    /// another `block_on`): that would deadlock, so it fails loudly instead.
    #[track_caller]
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        match &self.handle.inner {
            scheduler::Handle::CurrentThread(shared) => {
                shared.block_on(self.handle.inner.clone(), future)
            }
            scheduler::Handle::MultiThread(shared) => {
                let _enter = context::enter_runtime(self.handle.inner.clone(), "Runtime::block_on");
                let local_tasks = shared.locals.for_block_on(&shared.config);
                park_running_local_tasks(future, &local_tasks)
            }
        }
    }

    /// The live tasks, what each waits on and where, and who awaits whom: the same as
    /// [`Handle::dump`].
    ///
    /// ```
    /// let rt = weft::Runtime::builder().current_thread().build().unwrap();
    /// let _idle = rt.spawn(std::future::pending::<()>());
    /// assert!(rt.dump().to_string().starts_with("1 live tasks"));
    /// ```
    pub fn dump(&self) -> crate::task::Dump {
        self.handle.dump()
    }

    /// Shuts the runtime down, waiting at most `timeout` for worker threads and running
    /// blocking jobs; those still running then are left detached.
    pub fn shutdown_timeout(mut self, timeout: Duration) {
        self.shutdown(Some(timeout));
    }

    /// Shuts the runtime down without waiting for threads that are still busy.
    pub fn shutdown_background(mut self) {
        self.shutdown(Some(Duration::ZERO));
    }

    fn shutdown(&mut self, timeout: Option<Duration>) {
        if self.is_shut_down {
            return;
        }
        let deadline = timeout.and_then(|t| Instant::now().checked_add(t));
        let _current = context::set_handle(self.handle.inner.clone());
        // Marked only now that shutdown can go on: had anything before panicked, the
        // drop that follows would try again rather than leave the workers running.
        self.is_shut_down = true;
        match &self.handle.inner {
            scheduler::Handle::MultiThread(shared) => {
                shared.begin_shutdown();
                if let Some(workers) = self.workers.take() {
                    workers.join(deadline);
                }
                shared.finish_shutdown();
            }
            scheduler::Handle::CurrentThread(shared) => shared.shutdown(),
        }
        let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
        self.pool.shutdown(left);
    }
}

impl WorkerThreads {
    /// Starts one of the runtime's threads, counted in `running` until it exits.
    fn start(
        &mut self,
        builder: thread::Builder,
        run: impl FnOnce() + Send + 'static,
    ) -> io::Result<()> {
        *self.running.0.lock() += 1;
        let exit = ExitSignal(self.running.clone());
        let thread = builder.spawn(move || {
            let _exit = exit;
            run();
        })?;
        self.threads.push(thread);
        Ok(())
    }

    /// Step 2: waits for the workers until `deadline` (`None`: as long as it takes),
    /// unless this thread is one of them.
    fn join(self, deadline: Option<Instant>) {
        let (count, cvar) = &*self.running;
        let me = thread::current().id();
        if self.threads.iter().any(|t| t.thread().id() == me) {
            // Dropped from inside one of its own tasks: waiting would wait on ourselves.
            return;
        }
        let mut running = count.lock();
        while *running > 0 {
            match deadline {
                None => cvar.wait(&mut running),
                Some(deadline) => {
                    let now = Instant::now();
                    if now >= deadline {
                        return;
                    }
                    cvar.wait_timeout(&mut running, deadline - now);
                }
            }
        }
        drop(running);
        for t in self.threads {
            let _ = t.join();
        }
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        self.shutdown(None);
    }
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runtime")
            .field("handle", &self.handle)
            .finish()
    }
}

/// Polls `future` on this thread, sleeping between wakes.
fn park_until_ready<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let parker = Parker::new();
    let waker = parker.unparker().into_waker();
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
        parker.park();
    }
}

/// As [`park_until_ready`], running this thread's local tasks while `future` waits
/// (`scheduler/local.rs`).
fn park_running_local_tasks<F: Future>(future: F, local_tasks: &Arc<LocalScheduler>) -> F::Output {
    /// Local tasks run between two looks at the `block_on` future.
    const LOCAL_BATCH: usize = 61;
    let mut future = pin!(future);
    let parker = Parker::new();
    let waker = parker.unparker().into_waker();
    let mut cx = Context::from_waker(&waker);
    let _local = local_tasks.enter(waker.clone());
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
        if local_tasks.run_ready(LOCAL_BATCH) == 0 && !local_tasks.has_work() {
            parker.park();
        }
    }
}

/// Blocks a plain thread on `future`; `what` names the caller for the panic message.
///
/// # Panics
///
/// On a thread that runs a weft runtime.
#[track_caller]
pub(crate) fn block_on_plain_thread<F: Future>(what: &str, future: F) -> F::Output {
    context::assert_not_in_runtime(what);
    park_until_ready(future)
}
