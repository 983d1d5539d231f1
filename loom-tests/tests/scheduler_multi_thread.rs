//! loom: the multi-thread scheduler itself — real workers running their real loop
//! (`scheduler/multi_thread/worker.rs`) on model threads, with crossbeam-deque replaced
//! by the loom facade's stand-in, so what is checked is weft's own orderings around
//! the queues:
//!
//! - the LIFO slot and the local deque while a peer steals a batch, and the injector's
//!   batch moves into a local deque (`multi_thread/mod.rs`, rules 1-2): every task is
//!   run exactly once and none is left behind;
//! - work from outside while the worker parks in the driver (`mod.rs`, rule 2;
//!   `idle.rs`, rule 3; `scheduler/park.rs`, rule 1): a lost wakeup leaves a task
//!   unrun and the model deadlocks, which loom reports;
//! - a spawn from outside racing shutdown (`mod.rs`, rule 3; `task/list.rs`, rule 4):
//!   the task is run or shut down exactly once, and no queued reference outlives the
//!   runtime.
//!
//! Every model ends as `Runtime::shutdown` does and then checks that no task leaked: a
//! task holds its scheduler, so once the workers are joined and the handles dropped
//! only the model holds it.
#![cfg(weft_loom)]

use loom::future::block_on;
use loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use loom::thread::{self, JoinHandle};
use std::sync::Arc;
use weft::__loom::multi_thread::{ModelWorker, MultiThreadModel};

/// Starts each worker's loop on its own model thread.
fn start(workers: Vec<ModelWorker>) -> Vec<JoinHandle<()>> {
    workers
        .into_iter()
        .map(|worker| thread::spawn(move || worker.run()))
        .collect()
}

/// `Runtime::shutdown`: the flag and the unparks, the workers joined, the tasks left
/// shut down; then nothing but the model may hold the scheduler.
fn shut_down(model: &MultiThreadModel, workers: Vec<JoinHandle<()>>) {
    model.begin_shutdown();
    for worker in workers {
        worker.join().unwrap();
    }
    model.finish_shutdown();
    assert_eq!(model.live_tasks(), 0);
    assert!(!model.injector_has_work());
    assert_eq!(model.holders(), 2, "a task outlived the runtime");
}

/// A task that counts its polls and is done in one.
fn counted(runs: &Arc<AtomicUsize>) -> impl std::future::Future<Output = ()> + Send + 'static {
    let runs = runs.clone();
    async move {
        runs.fetch_add(1, SeqCst);
    }
}

/// Three tasks spawned on one worker, as its running tasks would spawn them: the last
/// takes the LIFO slot, the first two go onto the deque. The owner runs its turns
/// (slot first) while the other worker runs its own, stealing a batch from the owner's
/// deque. Each task runs exactly once and none is left behind.
#[test]
fn lifo_slot_and_deque_tasks_run_once_while_a_peer_steals() {
    loom::model(|| {
        let (model, workers) = MultiThreadModel::new(2);
        let runs = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..3).map(|_| workers[0].spawn(counted(&runs))).collect();
        each_ran_once(&model, run_turns_until_idle(workers), tasks, &runs);
    });
}

/// Three tasks from outside land in the injector; each worker takes a batch
/// (`steal_batch_and_pop`: one to run, the next into its deque), or steals from the
/// other's deque. Each task runs exactly once and none is left behind.
#[test]
fn injector_batches_and_steals_run_each_task_once() {
    loom::model(|| {
        let (model, workers) = MultiThreadModel::new(2);
        let runs = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..3)
            .map(|_| model.handle().spawn(counted(&runs)))
            .collect();
        each_ran_once(&model, run_turns_until_idle(workers), tasks, &runs);
    });
}

/// Runs each worker's turns on its own model thread until it finds nothing to do;
/// hands the workers back.
fn run_turns_until_idle(workers: Vec<ModelWorker>) -> Vec<ModelWorker> {
    let threads: Vec<_> = workers
        .into_iter()
        .map(|worker| {
            thread::spawn(move || {
                worker.run_until_idle();
                worker
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join().unwrap()).collect()
}

/// Once the workers went idle: every task finished, each ran once, and none is left
/// behind after shutdown.
fn each_ran_once(
    model: &MultiThreadModel,
    workers: Vec<ModelWorker>,
    tasks: Vec<weft::Task<()>>,
    runs: &AtomicUsize,
) {
    let count = tasks.len();
    for task in tasks {
        assert!(task.is_finished(), "a task was left queued");
        block_on(task).unwrap();
    }
    assert_eq!(runs.load(SeqCst), count);
    finish(model, workers);
}

/// Shutdown with no worker thread running: the flag, the workers dropped, the tasks
/// left shut down; then nothing but the model may hold the scheduler.
fn finish(model: &MultiThreadModel, workers: Vec<ModelWorker>) {
    model.begin_shutdown();
    drop(workers);
    model.finish_shutdown();
    assert_eq!(model.live_tasks(), 0);
    assert!(!model.injector_has_work());
    assert_eq!(model.holders(), 2, "a task outlived the runtime");
}

/// The worker goes idle and sleeps in the driver (it wins the driver's lock) while a
/// task arrives from outside: the push must wake it (`mod.rs`, rule 2; `park.rs`,
/// rule 1), or the task is never run and the model deadlocks. Shutdown then wakes it
/// again. One worker: two running their whole loops (the second asleep on its
/// condition variable) take minutes at bound 3; `scheduler_park.rs` checks the
/// parker in the driver and on the condition variable side by side.
#[test]
fn work_from_outside_reaches_a_worker_parked_in_the_driver() {
    loom::model(|| {
        let (model, workers) = MultiThreadModel::new(1);
        let workers = start(workers);
        let runs = Arc::new(AtomicUsize::new(0));
        block_on(model.handle().spawn(counted(&runs))).unwrap();
        assert_eq!(runs.load(SeqCst), 1);
        shut_down(&model, workers);
    });
}

/// A spawn from outside races shutdown: it is bound before the owned list closes (and
/// shut down through it) or after (and shut down by the bind), and its push may land
/// after the shutdown pass drained the injector (then the pusher drains it). Either
/// way the task is run at most once, its future dropped exactly once, and no queued
/// reference is left.
#[test]
fn a_spawn_racing_shutdown_is_run_or_shut_down_once_and_never_leaked() {
    loom::model(|| {
        let (model, mut workers) = MultiThreadModel::new(1);
        let model = Arc::new(model);
        let worker = start(vec![workers.pop().unwrap()]);
        let drops = Arc::new(AtomicUsize::new(0));
        let runs = Arc::new(AtomicUsize::new(0));
        let spawner = thread::spawn({
            let (model, drops, runs) = (model.clone(), drops.clone(), runs.clone());
            move || {
                let dropped = DropCounted(drops);
                let task = model.handle().spawn(async move {
                    let _dropped = dropped;
                    runs.fetch_add(1, SeqCst);
                });
                block_on(task).map_err(|err| assert!(err.is_cancelled(), "{err}"))
            }
        });
        shut_down_racing(&model, worker, spawner, &runs);
        assert_eq!(drops.load(SeqCst), 1, "the future was dropped once");
        assert!(runs.load(SeqCst) <= 1);
    });
}

/// As [`shut_down`], with a spawner still at work: it is joined after the shutdown
/// pass, so its push may come after the drain.
fn shut_down_racing(
    model: &MultiThreadModel,
    workers: Vec<JoinHandle<()>>,
    spawner: JoinHandle<Result<(), ()>>,
    runs: &AtomicUsize,
) {
    model.begin_shutdown();
    for worker in workers {
        worker.join().unwrap();
    }
    model.finish_shutdown();
    let ran = spawner.join().unwrap().is_ok();
    assert_eq!(ran, runs.load(SeqCst) == 1, "Ok iff it ran");
    assert_eq!(model.live_tasks(), 0);
    assert!(!model.injector_has_work());
    assert_eq!(model.holders(), 2, "a task outlived the runtime");
}

/// Counts its drop.
struct DropCounted(Arc<AtomicUsize>);

impl Drop for DropCounted {
    fn drop(&mut self) {
        self.0.fetch_add(1, SeqCst);
    }
}
