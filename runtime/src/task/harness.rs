//! The typed operations behind the vtable: poll, complete, cancel, read the output.
//!
//! Every function here is `unsafe fn(NonNull<Header>, ..)` monomorphised for one
//! `(F, S)`; `raw.rs` documents the layout and `state.rs` the protocol these follow.

use super::cancel;
use super::context;
use super::debug::{self, DebugConfig, PollTimer};
use super::done;
use super::raw::{Cell, Header, RawTask, Stage};
use super::report::Report;
use super::state::{TransitionToIdle, TransitionToRunning};
use super::waker::waker_ref;
use super::{Notified, Schedule, TaskError, TaskOutcome, TaskRef};
use crate::loom::sync::atomic::Ordering::Acquire;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::ptr::NonNull;
use std::task::{Context, Poll, Waker};

/// # Safety
///
/// `ptr` is the header of a live `Cell<F, S>`.
unsafe fn cell<'a, F: Future, S>(ptr: NonNull<Header>) -> &'a Cell<F, S> {
    // SAFETY: the caller's promise; `Header` is the first field of the `repr(C)` cell.
    unsafe { ptr.cast::<Cell<F, S>>().as_ref() }
}

/// A cancellable region is alive in the task (raw.rs, rule 5): a waiting request goes
/// to it rather than dropping the future.
fn has_regions(header: &Header) -> bool {
    header.regions.load(Acquire) > 0
}

/// # Safety
///
/// Consumes one `Notified` reference to a live `Cell<F, S>`.
pub(super) unsafe fn poll<F: Future + 'static, S: Schedule>(ptr: NonNull<Header>) {
    // SAFETY: the caller's reference keeps the cell alive for this call.
    let cell = unsafe { cell::<F, S>(ptr) };
    match cell.header.state.transition_to_running() {
        TransitionToRunning::Success => {}
        TransitionToRunning::Cancelled if has_regions(&cell.header) => {}
        TransitionToRunning::Cancelled | TransitionToRunning::Aborted => {
            cancel_future(cell);
            // SAFETY: we hold RUNNING and the poller's reference.
            unsafe { complete::<F, S>(ptr) };
            return;
        }
        TransitionToRunning::Failed => return,
        TransitionToRunning::Dealloc => {
            // SAFETY: the count reached zero.
            unsafe { dealloc::<F, S>(ptr) };
            return;
        }
    }

    // SAFETY: the waker borrows our reference for the length of the poll only.
    let waker = unsafe { waker_ref(ptr) };
    let mut cx = Context::from_waker(&waker);
    let ready = match cell.scheduler.debug() {
        None => poll_future(cell, ptr, &mut cx).is_ready(),
        Some(debug) => poll_timed(cell, ptr, &mut cx, debug),
    };
    if ready {
        if cancel::cancels_at_completion(&cell.header) {
            // A request no region took: the task ends cancelled (cancel/mod.rs, rule 1).
            cancel_future(cell);
        }
        // SAFETY: RUNNING is held and the output is stored.
        unsafe { complete::<F, S>(ptr) };
        return;
    }
    match cell
        .header
        .state
        .transition_to_idle(has_regions(&cell.header))
    {
        TransitionToIdle::Ok => {}
        TransitionToIdle::OkNotified => {
            // SAFETY: our reference became a `Notified` (state.rs, rule 2).
            let task = unsafe { Notified::<S>::from_raw(RawTask::from_raw(ptr)) };
            cell.scheduler.yield_now(task);
        }
        TransitionToIdle::OkDealloc => {
            // SAFETY: the count reached zero.
            unsafe { dealloc::<F, S>(ptr) };
        }
        TransitionToIdle::Cancelled => {
            cancel_future(cell);
            // SAFETY: RUNNING is still held.
            unsafe { complete::<F, S>(ptr) };
        }
    }
}

/// Debug mode's poll (debug.rs, rule 2): timed, and reported if slow. Out of line, so
/// the default path holds no timer across the poll.
#[cold]
#[inline(never)]
fn poll_timed<F: Future, S: Schedule>(
    cell: &Cell<F, S>,
    ptr: NonNull<Header>,
    cx: &mut Context<'_>,
    debug: &DebugConfig,
) -> bool {
    let timer = PollTimer::start();
    let ready = poll_future(cell, ptr, cx).is_ready();
    timer.finish(&cell.header, debug, |report| cell.scheduler.report(report));
    ready
}

/// Polls the future once as the current task (context.rs, rule 4), catching a panic.
/// On `Ready` the stage holds the output. Inlined into both of its callers: a call here
/// costs the hot path a frame per poll.
#[inline(always)]
fn poll_future<F: Future, S>(
    cell: &Cell<F, S>,
    ptr: NonNull<Header>,
    cx: &mut Context<'_>,
) -> Poll<()> {
    let id = cell.header.id;
    let side = cell.header.side.get();
    let variables = side.and_then(|side| side.context.lock().take());
    // SAFETY: `ptr` is this live task; the poller's reference outlives the guard, which
    // is left below, before this function returns, or dropped if it unwinds. Its awaits
    // record what it waits on in its header (`weft_core::waiting`).
    let guard = unsafe { context::enter_task(RawTask::from_raw(ptr), variables) };
    #[cfg(feature = "tracing")]
    let span = super::trace::enter(side);
    let poll = || {
        cell.stage.with_mut(|stage| {
            // SAFETY: we hold RUNNING, so the stage is ours (raw.rs, rule 2).
            match unsafe { &mut *stage } {
                // SAFETY: a future in the stage is never moved: the cell is
                // heap-allocated and stays put until it is freed, and the stage is
                // only overwritten after the future has been dropped in place.
                Stage::Running(future) => unsafe { Pin::new_unchecked(future) }.poll(cx),
                _ => unreachable!("a task was polled after it completed"),
            }
        })
    };
    let result = catch_unwind(AssertUnwindSafe(poll));
    cell.header.count_poll();
    #[cfg(feature = "tracing")]
    drop(span);
    if let Some(variables) = guard.leave() {
        *cell.header.side.get_or_init().context.lock() = Some(variables);
    }
    let output = match result {
        Ok(Poll::Pending) => return Poll::Pending,
        Ok(Poll::Ready(value)) => Ok(value),
        Err(payload) => Err(TaskError::panicked(id, payload)),
    };
    // Drop the future before storing the output; a panicking destructor turns the
    // result into a panic error.
    let output = match drop_stage(cell) {
        Ok(()) => output,
        Err(payload) => Err(TaskError::panicked(id, payload)),
    };
    store_output(cell, output);
    Poll::Ready(())
}

/// Drops the future (or the output) of a task whose cancellation is being delivered
/// and stores the cancellation error (or the panic its destructor raised).
fn cancel_future<F: Future, S>(cell: &Cell<F, S>) {
    let id = cell.header.id;
    let output = match drop_stage(cell) {
        Ok(()) => {
            let message = cell
                .header
                .side
                .get()
                .and_then(|side| side.cancel_message.lock().take());
            Err(TaskError::cancelled(id, message))
        }
        Err(payload) => Err(TaskError::panicked(id, payload)),
    };
    store_output(cell, output);
}

/// Debug mode (debug.rs, rule 3): the output is about to be dropped unread.
fn report_unretrieved<F: Future, S: Schedule>(cell: &Cell<F, S>) {
    if cell.scheduler.debug().is_none() {
        return;
    }
    cell.stage.with(|stage| {
        // SAFETY: the caller holds the stage (the completer with no handle left, or
        // the handle after COMPLETE) and only reads it here.
        if let Stage::Finished(output) = unsafe { &*stage } {
            debug::report_unretrieved(&cell.header, output, |report| cell.scheduler.report(report));
        }
    });
}

/// Replaces the stage with `Consumed`, catching a panic from the old value's drop.
fn drop_stage<F: Future, S>(cell: &Cell<F, S>) -> std::thread::Result<()> {
    catch_unwind(AssertUnwindSafe(|| {
        cell.stage.with_mut(|stage| {
            // SAFETY: the caller holds the stage (RUNNING, or the completer/handle role
            // the state word gave it).
            unsafe { *stage = Stage::Consumed };
        })
    }))
}

fn store_output<F: Future, S>(cell: &Cell<F, S>, output: Result<F::Output, TaskError>) {
    cell.stage.with_mut(|stage| {
        // SAFETY: the caller holds RUNNING; the stage is `Consumed`, so nothing drops.
        unsafe { stage.write(Stage::Finished(output)) };
    });
}

/// RUNNING -> COMPLETE, takes the task out of the owned list, runs the done-callbacks,
/// hands the output over, and drops the runner's references (and the list's).
///
/// # Safety
///
/// The caller holds RUNNING and one reference (the poller's, or on shutdown the owned
/// list's), and the stage holds the output.
unsafe fn complete<F: Future + 'static, S: Schedule>(ptr: NonNull<Header>) {
    // SAFETY: the caller's reference keeps the cell alive.
    let cell = unsafe { cell::<F, S>(ptr) };
    // SAFETY: RUNNING is held and the output stored, as `outcome` requires.
    let outcome = unsafe { (cell.header.vtable.outcome)(ptr) };
    cell.header.set_outcome(outcome);
    #[cfg(feature = "tracing")]
    cell.stage.with(|stage| {
        // SAFETY: RUNNING is held: the stage is ours to read.
        let panic = match unsafe { &*stage } {
            Stage::Finished(Err(err)) => err.panic_message(),
            _ => None,
        };
        super::trace::completed(&cell.header, outcome, panic);
    });
    let snapshot = cell.header.state.transition_to_complete();
    // Out of the owned list before anyone hears of the completion: whoever the join
    // waker or a done-callback wakes must not find it in `task::all()` any more.
    // SAFETY: a fresh view of our own reference; `release` only compares it.
    let me = std::mem::ManuallyDrop::new(unsafe { TaskRef::<S>::from_raw(RawTask::from_raw(ptr)) });
    let references = match cell.scheduler.release(&me) {
        Some(list_ref) => {
            // Dropped with ours, by the terminal transition below.
            std::mem::forget(list_ref);
            2
        }
        None => 1,
    };
    done::fire(&cell.header, |report| cell.scheduler.report(report));
    if !snapshot.is_join_interested() {
        // Nobody will read the output (state.rs, rule 4); a panic from its destructor
        // has no one to go to.
        report_unretrieved(cell);
        let _ = drop_stage(cell);
    } else if snapshot.is_join_waker_set() {
        cell.header.join_waker.with(|waker| {
            // SAFETY: JOIN_WAKER and COMPLETE are set: the slot is ours to read
            // (state.rs, rule 5).
            if let Some(waker) = unsafe { &*waker } {
                wake_without_unwinding(waker);
            }
        });
        let after = cell.header.state.unset_join_waker_after_complete();
        if !after.is_join_interested() {
            // The handle went away while we woke it and left the waker to us.
            cell.header.join_waker.with_mut(|waker| {
                // SAFETY: COMPLETE set, JOIN_INTEREST unset: nobody else touches it.
                unsafe { *waker = None };
            });
        }
    }
    if cell.header.state.transition_to_terminal(references) {
        // SAFETY: the count reached zero.
        unsafe { dealloc::<F, S>(ptr) };
    }
}

/// Calls a foreign waker; a panic there cannot be reported to anyone, so it aborts
/// with a message rather than unwinding through the scheduler.
fn wake_without_unwinding(waker: &Waker) {
    if catch_unwind(AssertUnwindSafe(|| waker.wake_by_ref())).is_err() {
        eprintln!("weft: a join waker panicked while being woken; aborting");
        std::process::abort();
    }
}

/// # Safety
///
/// Consumes one reference, which becomes the queued `Notified`.
pub(super) unsafe fn schedule<F: Future + 'static, S: Schedule>(ptr: NonNull<Header>) {
    // SAFETY: the caller's reference keeps the cell alive.
    let cell = unsafe { cell::<F, S>(ptr) };
    // SAFETY: the caller's reference is the `Notified`'s.
    let task = unsafe { Notified::<S>::from_raw(RawTask::from_raw(ptr)) };
    cell.scheduler.schedule(task);
}

/// # Safety
///
/// The caller holds a reference to a live `Cell<F, S>`.
pub(super) unsafe fn report<F: Future + 'static, S: Schedule>(
    ptr: NonNull<Header>,
    report: &Report,
) {
    // SAFETY: the caller's reference keeps the cell alive.
    let cell = unsafe { cell::<F, S>(ptr) };
    cell.scheduler.report(report);
}

/// # Safety
///
/// The reference count is zero.
pub(super) unsafe fn dealloc<F: Future + 'static, S: Schedule>(ptr: NonNull<Header>) {
    // SAFETY: the allocation came from `Box<Cell<F, S>>` in `RawTask::new` and nobody
    // references it any more.
    drop(unsafe { Box::from_raw(ptr.cast::<Cell<F, S>>().as_ptr()) });
}

/// # Safety
///
/// `dst` is a `*mut Poll<Result<F::Output, TaskError>>` and the caller is the handle.
pub(super) unsafe fn try_read_output<F: Future + 'static, S: Schedule>(
    ptr: NonNull<Header>,
    dst: *mut (),
    waker: &Waker,
) {
    // SAFETY: the handle's reference keeps the cell alive; `dst` is the caller's promise.
    if let Some(output) = unsafe { take_output::<F, S>(ptr, waker) } {
        // SAFETY: the caller's promise about `dst`; the old value is `Pending`, which
        // owns nothing, so overwriting without dropping leaks nothing.
        unsafe {
            dst.cast::<Poll<Result<F::Output, TaskError>>>()
                .write(Poll::Ready(output))
        };
    }
}

/// As [`try_read_output`] for a task whose future ends with its own `TaskError`:
/// `dst` is a `*mut Poll<Result<T, TaskError>>` and the two errors are one.
///
/// # Safety
///
/// As for [`try_read_output`], with `F::Output = Result<T, TaskError>`.
pub(super) unsafe fn try_read_output_flattened<F, S, T>(
    ptr: NonNull<Header>,
    dst: *mut (),
    waker: &Waker,
) where
    F: Future<Output = Result<T, TaskError>> + 'static,
    S: Schedule,
{
    // SAFETY: as for `try_read_output`.
    if let Some(output) = unsafe { take_output::<F, S>(ptr, waker) } {
        // SAFETY: as for `try_read_output`.
        unsafe {
            dst.cast::<Poll<Result<T, TaskError>>>()
                .write(Poll::Ready(output.and_then(|inner| inner)))
        };
    }
}

/// Takes the output if the task is complete; otherwise leaves `waker` to be woken.
///
/// # Safety
///
/// The caller is the task's handle, holding its reference.
unsafe fn take_output<F: Future + 'static, S: Schedule>(
    ptr: NonNull<Header>,
    waker: &Waker,
) -> Option<Result<F::Output, TaskError>> {
    // SAFETY: the handle's reference keeps the cell alive.
    let cell = unsafe { cell::<F, S>(ptr) };
    if !can_read_output(&cell.header, waker) {
        return None;
    }
    Some(cell.stage.with_mut(|stage| {
        // SAFETY: COMPLETE with JOIN_INTEREST: the stage is the handle's (rule 4).
        match std::mem::replace(unsafe { &mut *stage }, Stage::Consumed) {
            Stage::Finished(output) => output,
            _ => panic!("a weft Task was polled again after it returned its output"),
        }
    }))
}

/// # Safety
///
/// The caller holds RUNNING and the stage holds the output.
pub(super) unsafe fn outcome<F: Future + 'static, S: Schedule>(
    ptr: NonNull<Header>,
) -> TaskOutcome {
    // SAFETY: the caller's reference keeps the cell alive; RUNNING makes the stage ours.
    let cell = unsafe { cell::<F, S>(ptr) };
    cell.stage.with(|stage| {
        // SAFETY: RUNNING is held, so the stage is ours to read (raw.rs, rule 2).
        match unsafe { &*stage } {
            Stage::Finished(Err(err)) => err.outcome(),
            _ => TaskOutcome::Returned,
        }
    })
}

/// # Safety
///
/// As for [`outcome`], with `F::Output = Result<T, TaskError>`.
pub(super) unsafe fn outcome_flattened<F, S, T>(ptr: NonNull<Header>) -> TaskOutcome
where
    F: Future<Output = Result<T, TaskError>> + 'static,
    S: Schedule,
{
    // SAFETY: as for `outcome`.
    let cell = unsafe { cell::<F, S>(ptr) };
    cell.stage.with(|stage| {
        // SAFETY: as in `outcome`.
        match unsafe { &*stage } {
            Stage::Finished(Err(err)) | Stage::Finished(Ok(Err(err))) => err.outcome(),
            _ => TaskOutcome::Returned,
        }
    })
}

/// Returns `true` if the task is complete; otherwise leaves `waker` to be woken at
/// completion (state.rs, rule 5).
pub(super) fn can_read_output(header: &Header, waker: &Waker) -> bool {
    let snapshot = header.state.load();
    if snapshot.is_complete() {
        return true;
    }
    let res = if !snapshot.is_join_waker_set() {
        // SAFETY: JOIN_WAKER unset: the handle owns the slot.
        unsafe { set_join_waker(header, waker.clone()) }
    } else {
        let same = header.join_waker.with(|slot| {
            // SAFETY: JOIN_WAKER set and not complete: the task side only reads the
            // slot after COMPLETE, so reading it here races with nothing that writes.
            unsafe { &*slot }
                .as_ref()
                .is_some_and(|w| w.will_wake(waker))
        });
        if same {
            return false;
        }
        header
            .state
            .unset_join_waker()
            // SAFETY: JOIN_WAKER now unset by us: the slot is the handle's again.
            .and_then(|_| unsafe { set_join_waker(header, waker.clone()) })
    };
    match res {
        Ok(_) => false,
        Err(snapshot) => {
            debug_assert!(snapshot.is_complete());
            true
        }
    }
}

/// Writes the waker and publishes it.
///
/// # Safety
///
/// JOIN_WAKER is unset and the caller is the handle.
unsafe fn set_join_waker(
    header: &Header,
    waker: Waker,
) -> Result<super::state::Snapshot, super::state::Snapshot> {
    header.join_waker.with_mut(|slot| {
        // SAFETY: the caller's promise: the slot is the handle's.
        unsafe { *slot = Some(waker) };
    });
    let res = header.state.set_join_waker();
    if res.is_err() {
        // Completed meanwhile: the slot stays ours; empty it now.
        header.join_waker.with_mut(|slot| {
            // SAFETY: JOIN_WAKER is still unset, so the slot is still the handle's.
            unsafe { *slot = None };
        });
    }
    res
}

/// # Safety
///
/// Consumes the handle's reference.
pub(super) unsafe fn drop_join_handle_slow<F: Future + 'static, S: Schedule>(ptr: NonNull<Header>) {
    // SAFETY: the handle's reference keeps the cell alive.
    let cell = unsafe { cell::<F, S>(ptr) };
    let transition = cell.header.state.transition_to_join_handle_dropped();
    if transition.drop_output {
        // The output's destructor runs here, on the dropping thread; a panic in it is
        // the dropper's, but we must not unwind out with the reference still held.
        report_unretrieved(cell);
        let _ = drop_stage(cell);
    }
    if transition.drop_waker {
        cell.header.join_waker.with_mut(|slot| {
            // SAFETY: JOIN_WAKER unset: the slot is the handle's (rule 5).
            unsafe { *slot = None };
        });
    }
    // SAFETY: the handle's reference.
    unsafe { RawTask::from_raw(ptr).drop_reference() };
}

/// # Safety
///
/// Consumes the owned list's reference.
pub(super) unsafe fn shutdown<F: Future + 'static, S: Schedule>(ptr: NonNull<Header>) {
    // SAFETY: the list's reference keeps the cell alive.
    let cell = unsafe { cell::<F, S>(ptr) };
    if !cell.header.state.transition_to_shutdown() {
        // Running elsewhere (its poller will see ABORTED) or already complete.
        // SAFETY: the list's reference.
        unsafe { RawTask::from_raw(ptr).drop_reference() };
        return;
    }
    cancel_future(cell);
    // SAFETY: we took RUNNING and hold the list's reference, which `complete` drops.
    unsafe { complete::<F, S>(ptr) };
}
