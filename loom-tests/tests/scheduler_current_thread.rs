//! loom: the current-thread scheduler's core hand-off (`scheduler/current_thread.rs`,
//! rules 2-3). Two threads call `block_on` at once: one takes the core and drives, the
//! other polls only its own future and waits; when the driver leaves — its future
//! done, or unwinding from its panic — the waiting thread is unparked and takes the
//! core over. The waiting thread's future needs a task only a driver runs, so a lost
//! hand-off (a core left taken, or an unpark lost) deadlocks the model, which loom
//! reports. And a push from another thread wakes the driver asleep in the driver
//! (rule 3).
#![cfg(weft_loom)]

use loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use loom::thread;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Once};
use weft::__loom::current_thread::CurrentThreadModel;
use weft_sync::Event;

/// The panic the unwinding driver raises; the hook keeps it off the output.
const DRIVER_PANIC: &str = "the driving block_on's future panics";

/// Runs `leave` (a `block_on` that ends one way or another) on one thread while this
/// thread blocks on a queued task that only the driving thread runs.
fn hand_off(leave: impl FnOnce(&CurrentThreadModel) + Send + 'static) {
    let model = Arc::new(CurrentThreadModel::new());
    let runs = Arc::new(AtomicUsize::new(0));
    let task = model.handle().spawn({
        let runs = runs.clone();
        async move {
            runs.fetch_add(1, SeqCst);
        }
    });
    let leaver = thread::spawn({
        let model = model.clone();
        move || leave(&model)
    });
    model.block_on(task).unwrap();
    leaver.join().unwrap();
    assert_eq!(runs.load(SeqCst), 1);
    model.shutdown();
    assert_eq!(model.holders(), 2, "a task outlived the runtime");
}

#[test]
fn the_core_passes_on_when_the_driver_returns() {
    loom::model(|| {
        hand_off(|model| model.block_on(async {}));
    });
}

#[test]
fn the_core_passes_on_when_the_driver_unwinds() {
    quiet_driver_panics();
    loom::model(|| {
        hand_off(|model| {
            let unwound = catch_unwind(AssertUnwindSafe(|| {
                model.block_on(async { std::panic::panic_any(DRIVER_PANIC) })
            }));
            assert!(unwound.is_err());
        });
    });
}

/// A task spawned from a thread that is not driving while the driving thread parks in
/// the driver: the push alone must wake it (rule 3), since the task is what sets the
/// event the driver's own future waits for.
#[test]
fn a_spawn_from_another_thread_wakes_the_driver_parked_in_the_driver() {
    loom::model(|| {
        let model = Arc::new(CurrentThreadModel::new());
        let event = Arc::new(Event::new());
        let spawner = thread::spawn({
            let (model, event) = (model.clone(), event.clone());
            move || drop(model.handle().spawn(async move { event.set() }))
        });
        model.block_on(event.wait());
        spawner.join().unwrap();
        model.shutdown();
        assert_eq!(model.holders(), 2, "a task outlived the runtime");
    });
}

/// Keeps the unwinding model's expected panic off the test output (once per
/// process; every other panic still reaches the default hook).
fn quiet_driver_panics() {
    static QUIET: Once = Once::new();
    QUIET.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if info.payload().downcast_ref::<&str>() != Some(&DRIVER_PANIC) {
                default(info);
            }
        }));
    });
}
