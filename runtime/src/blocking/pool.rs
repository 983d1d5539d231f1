//! The pool: a queue, threads that grow on demand and retire when idle.
//!
//! # Rules
//!
//! 1. Everything below `state` changes under its lock; `cvar` wakes idle threads and
//!    `exited` signals a thread's exit to a waiting shutdown.
//! 2. A push hands the job to an idle thread when one is not yet promised a job
//!    (`num_idle > num_notify`), else starts a thread while there are fewer than
//!    `max_threads`, else leaves the job queued for the next free thread.
//! 3. An idle thread retires after `keep_alive` without work.
//! 4. Shutdown: no job is accepted afterwards; queued jobs are cancelled (their
//!    `Task`s report cancellation) except *mandatory* ones, which the pool threads
//!    still run before they exit; running jobs cannot be interrupted, so shutdown
//!    waits for their threads up to its timeout and leaves the rest detached. A
//!    mandatory job is work a caller was told is done (bytes a `weft::fs::File` write
//!    accepted): cancelling it would lose it silently. A refused job's `Task` is
//!    cancelled before `spawn_*` returns, so the spawner can tell at once.
//! 5. A job carries the runtime handle of its spawner, entered while it runs, so
//!    `weft::spawn` works inside blocking code.
//! 6. A job counts as in flight from the moment it is queued until its task has
//!    completed — its output stored and whoever awaits it woken — or it was cancelled
//!    unrun: the count lives in the queued [`Job`], and a pool thread drops it only
//!    after `run` returns. Dropping it earlier, when the closure returned, let the
//!    runtime look in between, see no job in flight and no task woken, and jump a
//!    paused clock past a timer while the job's awaiter was about to run. When the
//!    count drops to zero the job's runtime is told, so that a paused clock held back
//!    while jobs ran (current_thread.rs, rule 5) gets to jump even if the last job
//!    woke nobody.

use super::task::BlockingTask;
use crate::loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use crate::loom::{thread, Arc, Condvar, Mutex};
use crate::scheduler;
use crate::task::report::{Report, Reporter};
use crate::task::{self, Notified, Schedule, SpawnMeta, Task, TaskRef};
use std::collections::{HashMap, VecDeque};
use std::io;
use std::time::{Duration, Instant};

/// Names pool threads.
pub(crate) type ThreadNameFn = Arc<dyn Fn() -> String + Send + Sync>;

/// Adds work to the pool; held by every handle of the runtime.
#[derive(Clone)]
pub(crate) struct Spawner {
    inner: Arc<Inner>,
}

/// The pool's owner side: shuts it down.
pub(crate) struct BlockingPool {
    spawner: Spawner,
}

struct Inner {
    state: Mutex<State>,
    /// Jobs queued or running (rule 6).
    in_flight: AtomicUsize,
    cvar: Condvar,
    exited: Condvar,
    max_threads: usize,
    keep_alive: Duration,
    thread_name: ThreadNameFn,
    stack_size: Option<usize>,
    reporter: Reporter,
}

struct State {
    queue: VecDeque<Job>,
    shutdown: bool,
    num_threads: usize,
    num_idle: usize,
    num_notify: usize,
    next_id: usize,
    threads: HashMap<usize, thread::JoinHandle<()>>,
}

struct Job {
    task: Notified<Spawner>,
    handle: Option<scheduler::Handle>,
    /// The job's share of the in-flight count (rule 6); `None` for a task queued
    /// again by a wake, which the harness never sends to a finished pool task.
    in_flight: Option<InFlight>,
    /// Runs even if the pool shuts down while it is queued (rule 4).
    mandatory: bool,
}

impl BlockingPool {
    pub(crate) fn new(
        max_threads: usize,
        keep_alive: Duration,
        thread_name: ThreadNameFn,
        stack_size: Option<usize>,
        reporter: Reporter,
    ) -> BlockingPool {
        BlockingPool {
            spawner: Spawner {
                inner: Arc::new(Inner {
                    in_flight: AtomicUsize::new(0),
                    state: Mutex::new(State {
                        queue: VecDeque::new(),
                        shutdown: false,
                        num_threads: 0,
                        num_idle: 0,
                        num_notify: 0,
                        next_id: 0,
                        threads: HashMap::new(),
                    }),
                    cvar: Condvar::new(),
                    exited: Condvar::new(),
                    max_threads,
                    keep_alive,
                    thread_name,
                    stack_size,
                    reporter,
                }),
            },
        }
    }

    pub(crate) fn spawner(&self) -> &Spawner {
        &self.spawner
    }

    /// Rule 4. `timeout: None` waits for every running job.
    pub(crate) fn shutdown(&self, timeout: Option<Duration>) {
        let inner = &self.spawner.inner;
        let deadline = timeout.and_then(|t| Instant::now().checked_add(t));
        let queued: VecDeque<Job> = {
            let mut state = inner.state.lock();
            state.shutdown = true;
            let (mandatory, cancelled) = state.queue.drain(..).partition(|job| job.mandatory);
            state.queue = mandatory;
            cancelled
        };
        inner.cvar.notify_all();
        for job in queued {
            job.task.shutdown();
        }
        let mut state = inner.state.lock();
        while state.num_threads > 0 {
            match deadline {
                // No timeout, or one too large to represent: wait for every job.
                None => inner.exited.wait(&mut state),
                Some(deadline) => {
                    let now = Instant::now();
                    if now >= deadline {
                        break;
                    }
                    inner.exited.wait_timeout(&mut state, deadline - now);
                }
            }
        }
        let finished: Vec<_> = state.threads.drain().map(|(_, h)| h).collect();
        let all_exited = state.num_threads == 0;
        drop(state);
        if all_exited {
            for handle in finished {
                let _ = handle.join();
            }
        }
        // Otherwise the handles drop here and the stragglers run on detached.
    }
}

impl Spawner {
    /// Queues `f` on the pool (rule 2); it sees the caller's context variables.
    #[track_caller]
    pub(crate) fn spawn_blocking<F, R>(&self, handle: Option<scheduler::Handle>, f: F) -> Task<R>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        self.spawn(handle, f, false)
    }

    /// As [`Spawner::spawn_blocking`], but a shutdown that finds `f` queued runs it
    /// instead of cancelling it (rule 4).
    #[track_caller]
    pub(crate) fn spawn_mandatory_blocking<F, R>(
        &self,
        handle: Option<scheduler::Handle>,
        f: F,
    ) -> Task<R>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        self.spawn(handle, f, true)
    }

    #[track_caller]
    fn spawn<F, R>(&self, handle: Option<scheduler::Handle>, f: F, mandatory: bool) -> Task<R>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        self.inner.in_flight.fetch_add(1, SeqCst);
        let in_flight = InFlight {
            spawner: self.clone(),
            handle: handle.clone(),
        };
        let meta = SpawnMeta::new(std::panic::Location::caller(), None, false).blocking_job();
        let (list_ref, notified, join) = task::new_task(BlockingTask::new(f), self.clone(), meta);
        // Pool tasks live in no owned list: the queue and the running thread hold them.
        drop(list_ref);
        self.push(Job {
            task: notified,
            handle,
            in_flight: Some(in_flight),
            mandatory,
        });
        join
    }

    fn push(&self, job: Job) {
        let inner = &self.inner;
        let mut state = inner.state.lock();
        if state.shutdown {
            drop(state);
            job.task.shutdown();
            return;
        }
        state.queue.push_back(job);
        if state.num_idle > state.num_notify {
            state.num_notify += 1;
            drop(state);
            inner.cvar.notify_one();
            return;
        }
        if state.num_threads >= inner.max_threads {
            return;
        }
        let id = state.next_id;
        state.next_id += 1;
        match self.start_thread(id) {
            Ok(handle) => {
                state.num_threads += 1;
                state.threads.insert(id, handle);
            }
            Err(_) if state.num_threads == 0 => {
                // No thread exists to ever run the queue: cancel rather than hang.
                let stranded: Vec<Job> = state.queue.drain(..).collect();
                drop(state);
                for job in stranded {
                    job.task.shutdown();
                }
            }
            // Running threads will get to the job.
            Err(_) => {}
        }
    }

    fn start_thread(&self, id: usize) -> io::Result<thread::JoinHandle<()>> {
        let mut builder = thread::Builder::new().name((self.inner.thread_name)());
        if let Some(size) = self.inner.stack_size {
            builder = builder.stack_size(size);
        }
        let spawner = self.clone();
        builder.spawn(move || spawner.run(id))
    }

    /// A pool thread's life (rules 2-3).
    fn run(&self, id: usize) {
        let inner = &self.inner;
        let mut state = inner.state.lock();
        'work: loop {
            while let Some(job) = state.queue.pop_front() {
                drop(state);
                let _handle = job.handle.map(crate::scheduler::context::set_handle);
                job.task.run();
                // Only now: the task has completed and woken its awaiter (rule 6).
                drop(job.in_flight);
                state = inner.state.lock();
            }
            if state.shutdown {
                break;
            }
            loop {
                state.num_idle += 1;
                let timed_out = inner.cvar.wait_timeout(&mut state, inner.keep_alive);
                state.num_idle -= 1;
                if state.num_notify > 0 {
                    state.num_notify -= 1;
                    continue 'work;
                }
                if state.shutdown || !state.queue.is_empty() {
                    continue 'work;
                }
                if timed_out {
                    // Retire (rule 3): our handle is dropped, which detaches us.
                    state.threads.remove(&id);
                    break 'work;
                }
            }
        }
        state.num_threads -= 1;
        drop(state);
        inner.exited.notify_all();
    }

    /// `true` while a job is queued or running: it may wake a task at any moment (a
    /// paused clock must not jump meanwhile).
    pub(crate) fn has_jobs_in_flight(&self) -> bool {
        self.inner.in_flight.load(SeqCst) > 0
    }

    /// (threads, idle threads) right now.
    pub(crate) fn thread_counts(&self) -> (usize, usize) {
        let state = self.inner.state.lock();
        (state.num_threads, state.num_idle)
    }
}

/// One job's share of the in-flight count, given back on drop (rule 6).
struct InFlight {
    spawner: Spawner,
    handle: Option<scheduler::Handle>,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if self.spawner.inner.in_flight.fetch_sub(1, SeqCst) == 1 {
            if let Some(handle) = &self.handle {
                handle.blocking_jobs_done();
            }
        }
    }
}

impl Schedule for Spawner {
    /// A pool task completes on its only poll, so nothing wakes it; if something ever
    /// did, running it again on the pool is the harmless answer.
    fn schedule(&self, task: Notified<Self>) {
        self.push(Job {
            task,
            handle: crate::scheduler::context::try_current(),
            in_flight: None,
            mandatory: false,
        });
    }

    fn report(&self, report: &Report) {
        self.inner.reporter.report(report);
    }

    fn release(&self, _task: &TaskRef<Self>) -> Option<TaskRef<Self>> {
        None
    }
}
