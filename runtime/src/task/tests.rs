//! The task core by hand, on a scheduler with a plain queue (`model/task.rs`): every
//! path through the unsafe code — allocate, poll, wake by value and by reference,
//! complete, cancel, read the output, drop the handle early or late, free — so that
//! `cargo miri test -p weft-rt --lib` checks it for undefined behaviour and leaks.

use crate::model::task::ModelScheduler;
use crate::task::{cancellable, Task, TaskError, TaskOutcome};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

/// Pending until opened; hands out the waker it was polled with.
#[derive(Default)]
struct Gate {
    open: std::sync::atomic::AtomicBool,
    waker: Mutex<Option<Waker>>,
}

struct Gated(Arc<Gate>, #[allow(dead_code)] DropCount);

impl Future for Gated {
    type Output = DropCount;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<DropCount> {
        *self.0.waker.lock().unwrap() = Some(cx.waker().clone());
        if self.0.open.load(SeqCst) {
            Poll::Ready(DropCount(self.1 .0.clone()))
        } else {
            Poll::Pending
        }
    }
}

impl Gate {
    fn open(&self) {
        self.open.store(true, SeqCst);
        let waker = self.waker.lock().unwrap().take();
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    fn waker(&self) -> Waker {
        self.waker.lock().unwrap().clone().expect("polled")
    }
}

struct DropCount(Arc<AtomicUsize>);

impl Drop for DropCount {
    fn drop(&mut self) {
        self.0.fetch_add(1, SeqCst);
    }
}

struct CountWakes(AtomicUsize);

impl Wake for CountWakes {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, SeqCst);
    }
}

/// Polls a task's handle once with a counting waker.
fn poll_handle<T>(task: &mut Task<T>, wakes: &Arc<CountWakes>) -> Poll<Result<T, TaskError>> {
    let waker = Waker::from(wakes.clone());
    Pin::new(task).poll(&mut Context::from_waker(&waker))
}

fn setup() -> (Arc<ModelScheduler>, Arc<Gate>, Arc<AtomicUsize>, Gated) {
    let drops = Arc::new(AtomicUsize::new(0));
    let gate = Arc::new(Gate::default());
    let future = Gated(gate.clone(), DropCount(drops.clone()));
    (ModelScheduler::new(), gate, drops, future)
}

#[test]
fn a_task_completes_after_a_wake_and_its_handle_reads_the_output_once() {
    let (scheduler, gate, drops, future) = setup();
    let mut task = scheduler.spawn(future);
    let wakes = Arc::new(CountWakes(AtomicUsize::new(0)));
    assert_eq!(scheduler.run_queued(), 1);
    assert!(poll_handle(&mut task, &wakes).is_pending());
    gate.open();
    assert_eq!(scheduler.run_queued(), 1);
    assert_eq!(wakes.0.load(SeqCst), 1, "the join waker was woken");
    let output = match poll_handle(&mut task, &wakes) {
        Poll::Ready(output) => output.unwrap(),
        Poll::Pending => panic!("complete but pending"),
    };
    assert_eq!(drops.load(SeqCst), 1, "the future was dropped");
    drop(output);
    assert_eq!(drops.load(SeqCst), 2, "and then the output");
    assert_eq!(task.outcome(), Some(TaskOutcome::Returned));
}

#[test]
fn wakers_cloned_woken_by_ref_and_dropped_keep_the_count_balanced() {
    let (scheduler, gate, drops, future) = setup();
    let task = scheduler.spawn(future);
    scheduler.run_queued();
    let waker = gate.waker();
    let clones: Vec<Waker> = (0..3).map(|_| waker.clone()).collect();
    waker.wake_by_ref();
    waker.wake_by_ref(); // already queued: no second entry
    assert_eq!(scheduler.run_queued(), 1);
    drop(clones);
    drop(task);
    gate.open();
    scheduler.run_queued();
    assert_eq!(
        drops.load(SeqCst),
        2,
        "future and output dropped; the task freed"
    );
}

#[test]
fn dropping_the_handle_first_detaches_and_the_output_is_dropped_by_the_completer() {
    let (scheduler, gate, drops, future) = setup();
    drop(scheduler.spawn(future));
    scheduler.run_queued();
    gate.open();
    scheduler.run_queued();
    assert_eq!(drops.load(SeqCst), 2);
}

#[test]
fn dropping_the_handle_after_completion_drops_the_unread_output() {
    let (scheduler, gate, drops, future) = setup();
    let task = scheduler.spawn(future);
    gate.open();
    scheduler.run_queued();
    assert!(task.is_finished());
    assert_eq!(drops.load(SeqCst), 1);
    drop(task);
    assert_eq!(drops.load(SeqCst), 2);
}

#[test]
fn a_cancelled_task_drops_its_future_without_running_it_again() {
    let (scheduler, _gate, drops, future) = setup();
    let mut task = scheduler.spawn(future);
    scheduler.run_queued();
    assert!(task.cancel());
    assert_eq!(task.cancelling(), 1);
    scheduler.run_queued();
    assert_eq!(drops.load(SeqCst), 1);
    let wakes = Arc::new(CountWakes(AtomicUsize::new(0)));
    match poll_handle(&mut task, &wakes) {
        Poll::Ready(Err(err)) => assert!(err.is_cancelled()),
        _ => panic!("not cancelled"),
    }
    assert!(task.is_cancelled());
    assert!(!task.cancel(), "finished: nothing to cancel");
}

#[test]
fn a_region_takes_the_request_and_the_task_returns_a_value() {
    let scheduler = ModelScheduler::new();
    let gate = Arc::new(Gate::default());
    let drops = Arc::new(AtomicUsize::new(0));
    let inner = Gated(gate.clone(), DropCount(drops.clone()));
    let mut task = scheduler.spawn(async move {
        match cancellable(inner).await {
            Ok(_) => "completed",
            Err(cancelled) => {
                assert_eq!(cancelled.message(), Some("stop"));
                "caught"
            }
        }
    });
    scheduler.run_queued();
    task.cancel_with("stop");
    scheduler.run_queued();
    let wakes = Arc::new(CountWakes(AtomicUsize::new(0)));
    assert!(matches!(
        poll_handle(&mut task, &wakes),
        Poll::Ready(Ok("caught"))
    ));
    assert_eq!(drops.load(SeqCst), 1, "the region dropped its future");
    assert!(!task.is_cancelled());
}

#[test]
fn a_panic_is_caught_and_its_payload_handed_to_the_handle() {
    let scheduler = ModelScheduler::new();
    let mut task = scheduler.spawn(async {
        if true {
            panic!("in the task core");
        }
    });
    scheduler.run_queued();
    let wakes = Arc::new(CountWakes(AtomicUsize::new(0)));
    match poll_handle(&mut task, &wakes) {
        Poll::Ready(Err(err)) => {
            assert!(err.is_panic());
            assert_eq!(
                err.into_panic().downcast_ref::<&str>(),
                Some(&"in the task core")
            );
        }
        _ => panic!("no panic reported"),
    }
}

#[test]
fn the_side_block_carries_done_callbacks_and_a_cancel_message() {
    let (scheduler, gate, _drops, future) = setup();
    let task = scheduler.spawn(future);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let first = task.add_done_callback({
        let seen = seen.clone();
        move |done| seen.lock().unwrap().push(done.outcome())
    });
    task.add_done_callback({
        let seen = seen.clone();
        move |done| seen.lock().unwrap().push(done.outcome())
    });
    assert!(task.remove_done_callback(first));
    scheduler.run_queued();
    gate.open();
    scheduler.run_queued();
    assert_eq!(*seen.lock().unwrap(), [TaskOutcome::Returned]);
}

#[test]
fn a_queued_reference_dropped_unrun_frees_nothing_twice() {
    let (scheduler, _gate, drops, future) = setup();
    let task = scheduler.spawn(future);
    scheduler.drain();
    drop(task);
    assert_eq!(drops.load(SeqCst), 0, "the owned list still holds the task");
    scheduler.shutdown();
    assert_eq!(
        drops.load(SeqCst),
        1,
        "shutdown dropped the future and the last reference freed it"
    );
    assert_eq!(scheduler.live_tasks(), 0);
}

#[test]
fn a_spawn_after_shutdown_ends_cancelled_and_frees_the_task() {
    let (scheduler, _gate, drops, future) = setup();
    scheduler.shutdown();
    let mut task = scheduler.spawn(future);
    assert_eq!(
        drops.load(SeqCst),
        1,
        "the closed list shut it down at once"
    );
    let wakes = Arc::new(CountWakes(AtomicUsize::new(0)));
    match poll_handle(&mut task, &wakes) {
        Poll::Ready(Err(err)) => assert!(err.is_cancelled()),
        _ => panic!("not cancelled"),
    }
    assert_eq!(scheduler.run_queued(), 0, "nothing was queued");
}

#[test]
fn shutdown_of_an_idle_task_hands_its_handle_the_cancellation() {
    let (scheduler, _gate, drops, future) = setup();
    let mut task = scheduler.spawn(future);
    scheduler.run_queued();
    scheduler.shutdown();
    assert_eq!(drops.load(SeqCst), 1);
    let wakes = Arc::new(CountWakes(AtomicUsize::new(0)));
    match poll_handle(&mut task, &wakes) {
        Poll::Ready(Err(err)) => assert!(err.is_cancelled()),
        _ => panic!("not cancelled"),
    }
    assert_eq!(scheduler.live_tasks(), 0);
}

#[test]
fn a_fallible_task_hands_its_own_error_to_its_handle() {
    let scheduler = ModelScheduler::new();
    let error: Arc<dyn std::error::Error + Send + Sync> =
        Arc::new(std::io::Error::other("child failed"));
    let mut failed = scheduler.spawn_fallible({
        let error = error.clone();
        async move { Err::<u8, _>(TaskError::failed(crate::task::TaskId::next(), error)) }
    });
    let mut fine = scheduler.spawn_fallible(async { Ok::<_, TaskError>(5u8) });
    scheduler.run_queued();
    let wakes = Arc::new(CountWakes(AtomicUsize::new(0)));
    match poll_handle(&mut failed, &wakes) {
        Poll::Ready(Err(err)) => assert_eq!(err.failure().unwrap().to_string(), "child failed"),
        _ => panic!("the failure was not handed over"),
    }
    assert_eq!(failed.outcome(), Some(TaskOutcome::Failed));
    assert!(matches!(poll_handle(&mut fine, &wakes), Poll::Ready(Ok(5))));
}
