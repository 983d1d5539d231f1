//! `Builder`: every knob of a runtime, checked once in `build`.

use super::Runtime;
use crate::blocking::BlockingPool;
use crate::loom::Arc;
use crate::scheduler::{RuntimeId, TaskConfig};
use crate::task::report::{Report, ReportHook, Reporter};
use std::fmt;
use std::io;
use std::time::Duration;

/// Configures and builds a [`Runtime`].
///
/// ```
/// let rt = weft::Runtime::builder()
///     .worker_threads(2)
///     .max_blocking_threads(16)
///     .thread_name("my-app")
///     .build()
///     .unwrap();
/// assert_eq!(rt.block_on(async { 1 + 1 }), 2);
/// ```
pub struct Builder {
    pub(super) flavor: Flavor,
    pub(super) worker_threads: Option<usize>,
    pub(super) max_blocking_threads: usize,
    pub(super) thread_name: Arc<dyn Fn() -> String + Send + Sync>,
    pub(super) thread_stack_size: Option<usize>,
    pub(super) keep_alive: Duration,
    pub(super) start_paused: bool,
    pub(super) eager_tasks: bool,
    pub(super) report_hook: Option<ReportHook>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Flavor {
    MultiThread,
    CurrentThread,
}

/// The default cap on blocking-pool threads.
const DEFAULT_MAX_BLOCKING_THREADS: usize = 512;
/// How long an idle blocking-pool thread waits for work before it exits.
const DEFAULT_KEEP_ALIVE: Duration = Duration::from_secs(10);

impl Builder {
    /// A builder for the multi-thread flavour with default settings.
    pub fn new() -> Builder {
        Builder {
            flavor: Flavor::MultiThread,
            worker_threads: None,
            max_blocking_threads: DEFAULT_MAX_BLOCKING_THREADS,
            thread_name: Arc::new(|| "weft-worker".to_owned()),
            thread_stack_size: None,
            keep_alive: DEFAULT_KEEP_ALIVE,
            start_paused: false,
            eager_tasks: false,
            report_hook: None,
        }
    }

    /// One thread, the one calling `block_on`, runs every task in FIFO order:
    /// deterministic, for tests and for asyncio's step-by-step semantics.
    pub fn current_thread(&mut self) -> &mut Self {
        self.flavor = Flavor::CurrentThread;
        self
    }

    /// Work-stealing workers on threads of their own (the default).
    pub fn multi_thread(&mut self) -> &mut Self {
        self.flavor = Flavor::MultiThread;
        self
    }

    /// How many worker threads (multi-thread flavour). Defaults to the number of
    /// CPUs available. Zero is refused by [`build`](Self::build).
    pub fn worker_threads(&mut self, n: usize) -> &mut Self {
        self.worker_threads = Some(n);
        self
    }

    /// The most threads the blocking pool may run at once (default 512). Zero is
    /// refused by [`build`](Self::build).
    pub fn max_blocking_threads(&mut self, n: usize) -> &mut Self {
        self.max_blocking_threads = n;
        self
    }

    /// The name of the runtime's threads (default `weft-worker`).
    pub fn thread_name(&mut self, name: impl Into<String>) -> &mut Self {
        let name = name.into();
        self.thread_name = Arc::new(move || name.clone());
        self
    }

    /// Names the runtime's threads with a function called for each new thread.
    pub fn thread_name_fn(&mut self, f: impl Fn() -> String + Send + Sync + 'static) -> &mut Self {
        self.thread_name = Arc::new(f);
        self
    }

    /// The stack size of the runtime's threads, in bytes.
    pub fn thread_stack_size(&mut self, bytes: usize) -> &mut Self {
        self.thread_stack_size = Some(bytes);
        self
    }

    /// How long an idle blocking-pool thread waits for work before it exits
    /// (default 10 s).
    pub fn thread_keep_alive(&mut self, keep_alive: Duration) -> &mut Self {
        self.keep_alive = keep_alive;
        self
    }

    /// Starts the runtime with its clock paused (current-thread flavour only): time
    /// stands still until [`weft::time::advance`](crate::time::advance) moves it, or
    /// until every task is idle, when it jumps to the next timer. A test full of
    /// hour-long sleeps runs in microseconds, in the order real time would give.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let rt = weft::Runtime::builder().current_thread().start_paused(true).build().unwrap();
    /// rt.block_on(async {
    ///     let start = weft::time::Instant::now();
    ///     weft::time::sleep(Duration::from_secs(86_400)).await;
    ///     assert_eq!(start.elapsed(), Duration::from_secs(86_400));
    /// });
    /// ```
    pub fn start_paused(&mut self, paused: bool) -> &mut Self {
        self.start_paused = paused;
        self
    }

    /// Makes every task eager unless spawned otherwise (asyncio's
    /// `eager_task_factory`): `spawn` polls the new future once inline, and a future
    /// that finishes there is never queued. Worth it when most tasks complete without
    /// waiting (cache hits, ready channels).
    ///
    /// ```
    /// let rt = weft::Runtime::builder().current_thread().eager_tasks(true).build().unwrap();
    /// rt.block_on(async {
    ///     let task = weft::spawn(async { 5 });
    ///     assert!(task.is_finished());
    /// });
    /// ```
    pub fn eager_tasks(&mut self, eager: bool) -> &mut Self {
        self.eager_tasks = eager;
        self
    }

    /// Sends the runtime's [`Report`]s — what it tells its user outside any await, such
    /// as a done-callback that panicked — to `hook` instead of standard error
    /// (asyncio's `loop.set_exception_handler`). A hook that panics is caught and the
    /// report goes to standard error.
    ///
    /// ```
    /// use std::sync::{Arc, Mutex};
    /// use weft::task::Report;
    ///
    /// let reports = Arc::new(Mutex::new(Vec::new()));
    /// let rt = weft::Runtime::builder()
    ///     .current_thread()
    ///     .report_hook({
    ///         let reports = reports.clone();
    ///         move |report: &Report| reports.lock().unwrap().push(report.clone())
    ///     })
    ///     .build()
    ///     .unwrap();
    /// rt.block_on(async {
    ///     let task = weft::spawn(async {});
    ///     task.add_done_callback(|_| panic!("in a callback"));
    ///     let _ = task.await;
    /// });
    /// assert!(matches!(reports.lock().unwrap()[0], Report::DoneCallbackPanicked { .. }));
    /// ```
    pub fn report_hook(&mut self, hook: impl Fn(&Report) + Send + Sync + 'static) -> &mut Self {
        self.report_hook = Some(std::sync::Arc::new(hook));
        self
    }

    /// Builds the runtime, starting its threads.
    ///
    /// # Errors
    ///
    /// `InvalidInput` for zero worker or blocking threads, or a paused clock on the
    /// multi-thread flavour; the OS's error if a thread or the I/O driver cannot be
    /// started.
    pub fn build(&mut self) -> io::Result<Runtime> {
        if self.worker_threads == Some(0) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "worker_threads must be at least 1",
            ));
        }
        if self.max_blocking_threads == 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "max_blocking_threads must be at least 1",
            ));
        }
        let pool = BlockingPool::new(
            self.max_blocking_threads,
            self.keep_alive,
            self.thread_name.clone(),
            self.thread_stack_size,
            self.task_config().reporter,
        );
        if self.start_paused && self.flavor == Flavor::MultiThread {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "start_paused needs the current-thread flavour: a paused clock is \
                 only deterministic with one thread (call current_thread() first)",
            ));
        }
        match self.flavor {
            Flavor::CurrentThread => Runtime::new_current_thread(self, pool),
            Flavor::MultiThread => {
                let workers = self.worker_threads.unwrap_or_else(default_worker_threads);
                Runtime::new_multi_thread(self, workers, pool)
            }
        }
    }
}

impl Builder {
    pub(super) fn task_config(&self) -> TaskConfig {
        TaskConfig {
            runtime: RuntimeId::next(),
            eager_tasks: self.eager_tasks,
            reporter: Reporter::new(self.report_hook.clone()),
        }
    }
}

fn default_worker_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

impl Default for Builder {
    fn default() -> Builder {
        Builder::new()
    }
}

impl fmt::Debug for Builder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Builder")
            .field("flavor", &self.flavor)
            .field("worker_threads", &self.worker_threads)
            .field("max_blocking_threads", &self.max_blocking_threads)
            .field("thread_stack_size", &self.thread_stack_size)
            .field("keep_alive", &self.keep_alive)
            .field("start_paused", &self.start_paused)
            .field("eager_tasks", &self.eager_tasks)
            .field("report_hook", &self.report_hook.is_some())
            .finish_non_exhaustive()
    }
}
