//! `Builder`: every knob of a runtime, checked once in `build`.

use super::Runtime;
use crate::blocking::BlockingPool;
use crate::loom::Arc;
use crate::scheduler::multi_thread::DEFAULT_MONITOR_THRESHOLD;
use crate::scheduler::{RuntimeId, TaskConfig};
use crate::task::debug::{self, DebugConfig, DEFAULT_SLOW_POLL};
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
    /// `None`: no monitor thread.
    pub(super) monitor: Option<Duration>,
    pub(super) poll_time_histogram: bool,
    /// `None`: as the environment says (`WEFT_DEBUG`).
    pub(super) debug: Option<bool>,
    pub(super) slow_poll: Duration,
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
            monitor: Some(DEFAULT_MONITOR_THRESHOLD),
            poll_time_histogram: false,
            debug: None,
            slow_poll: DEFAULT_SLOW_POLL,
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

    /// Whether the multi-thread flavour runs a monitor thread (default: yes). The
    /// monitor notices a worker stuck in one poll for longer than the
    /// [threshold](Self::monitor_threshold) while tasks wait behind it — a task just
    /// spawned or woken by the stuck one, timers or I/O that worker was to look at —
    /// and hands that work to an idle worker, as Go's runtime does. Without it, such a
    /// task waits until the long poll ends. The monitor sleeps while every worker does;
    /// the current-thread flavour has none (one thread has nobody to hand work to).
    ///
    /// ```
    /// use std::sync::atomic::{AtomicBool, Ordering};
    /// use std::sync::Arc;
    ///
    /// let rt = weft::Runtime::builder().worker_threads(2).build().unwrap();
    /// rt.block_on(rt.spawn(async {
    ///     let child_ran = Arc::new(AtomicBool::new(false));
    ///     let flag = child_ran.clone();
    ///     let _child = weft::spawn(async move { flag.store(true, Ordering::SeqCst) });
    ///     // Computes without awaiting: the monitor hands the child to the other worker.
    ///     while !child_ran.load(Ordering::SeqCst) {
    ///         std::hint::spin_loop();
    ///     }
    /// }))
    /// .unwrap();
    /// ```
    pub fn monitor(&mut self, enabled: bool) -> &mut Self {
        self.monitor = enabled.then(|| self.monitor.unwrap_or(DEFAULT_MONITOR_THRESHOLD));
        self
    }

    /// How long one poll may hold a worker before the monitor hands the work waiting
    /// behind it to an idle worker (default 10 ms; turns the monitor on). A task then
    /// waits at most about twice this long behind a long poll while a worker is idle.
    /// Zero is refused by [`build`](Self::build).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let rt = weft::Runtime::builder().monitor_threshold(Duration::from_millis(2)).build();
    /// assert!(rt.is_ok());
    /// ```
    pub fn monitor_threshold(&mut self, threshold: Duration) -> &mut Self {
        self.monitor = Some(threshold);
        self
    }

    /// Times every poll into a per-worker histogram, read through
    /// [`WorkerMetrics::poll_times`](crate::runtime::WorkerMetrics::poll_times)
    /// (default: off; it costs two clock reads per poll). Long polls show up there
    /// without debug mode.
    ///
    /// ```
    /// let rt = weft::Runtime::builder().current_thread().poll_time_histogram(true).build().unwrap();
    /// rt.block_on(async { weft::spawn(async {}).await.unwrap() });
    /// assert_eq!(rt.handle().metrics().total().poll_times.total(), 1);
    /// ```
    pub fn poll_time_histogram(&mut self, enabled: bool) -> &mut Self {
        self.poll_time_histogram = enabled;
        self
    }

    /// Debug mode (asyncio's `debug=True`; default: off unless the environment
    /// variable `WEFT_DEBUG` is set to anything but empty or `0`, as
    /// `PYTHONASYNCIODEBUG` is). The runtime then reports, through its
    /// [report hook](Self::report_hook) (or `tracing`, or standard error):
    ///
    /// - every poll that holds its worker at least the
    ///   [slow-poll threshold](Self::slow_poll_threshold)
    ///   ([`Report::SlowPoll`](crate::task::Report::SlowPoll));
    /// - every task that panicked and whose output was dropped unread
    ///   ([`Report::PanicNeverRetrieved`](crate::task::Report::PanicNeverRetrieved));
    /// - every task still pending when the runtime shuts down
    ///   ([`Report::PendingAtShutdown`](crate::task::Report::PendingAtShutdown));
    ///
    /// and counts each task's busy time ([`TaskInfo::busy`](crate::task::TaskInfo::busy)).
    /// Off, it costs one branch per poll. `debug(false)` overrides the environment.
    ///
    /// ```
    /// use std::sync::{Arc, Mutex};
    /// use std::time::Duration;
    /// use weft::task::Report;
    ///
    /// let reports = Arc::new(Mutex::new(Vec::new()));
    /// let rt = weft::Runtime::builder()
    ///     .current_thread()
    ///     .debug(true)
    ///     .slow_poll_threshold(Duration::from_millis(10))
    ///     .report_hook({
    ///         let reports = reports.clone();
    ///         move |report: &Report| reports.lock().unwrap().push(report.clone())
    ///     })
    ///     .build()
    ///     .unwrap();
    /// rt.block_on(async {
    ///     // Blocks its thread: exactly what debug mode is for.
    ///     weft::spawn(async { std::thread::sleep(Duration::from_millis(20)) }).await.unwrap();
    /// });
    /// assert!(matches!(reports.lock().unwrap()[0], Report::SlowPoll { .. }));
    /// ```
    pub fn debug(&mut self, enabled: bool) -> &mut Self {
        self.debug = Some(enabled);
        self
    }

    /// How long a poll may take before debug mode reports it (asyncio's
    /// `loop.slow_callback_duration`; default 100 ms). Only debug mode looks at it.
    pub fn slow_poll_threshold(&mut self, threshold: Duration) -> &mut Self {
        self.slow_poll = threshold;
        self
    }

    /// Builds the runtime, starting its threads.
    ///
    /// # Errors
    ///
    /// `InvalidInput` for zero worker or blocking threads, a zero monitor threshold, or a paused clock on the
    /// multi-thread flavour; the OS's error if a thread or the I/O driver cannot be
    /// started.
    pub fn build(&mut self) -> io::Result<Runtime> {
        if self.worker_threads == Some(0) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "worker_threads must be at least 1",
            ));
        }
        if self.monitor == Some(Duration::ZERO) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "monitor_threshold must be longer than zero",
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
            poll_time_histogram: self.poll_time_histogram,
            debug: self
                .debug
                .unwrap_or_else(debug::env_asks_for_debug)
                .then_some(DebugConfig {
                    slow_poll: self.slow_poll,
                }),
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
