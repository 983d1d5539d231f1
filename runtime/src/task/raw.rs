//! The task allocation and the type-erased pointer to it.
//!
//! One allocation per task, laid out `#[repr(C)]` so a `NonNull<Header>` is also a
//! pointer to the whole cell:
//!
//! ```text
//! +--------------------------- Cell<F, S> ----------------------------+
//! | Header: state | vtable | owned-list links | id | join waker       |
//! |         spawn location | side block | regions, requests | outcome  |
//! |         wait record | blocking-job flag                           |
//! | scheduler handle S                                                 |
//! | stage: Running(F) -> Finished(Result<F::Output, TaskError>) -> Consumed |
//! +--------------------------------------------------------------------+
//! ```
//!
//! # Rules
//!
//! 1. `Header` is the first field; every erased operation goes through `vtable`, which
//!    was built for the cell's real `F` and `S`.
//! 2. The `stage` is touched only by the holder of RUNNING, or after COMPLETE by the one
//!    side the state word names (see `state.rs`, rule 4).
//! 3. `join_waker` follows the JOIN_WAKER hand-off (`state.rs`, rule 5).
//! 4. `owned` links are touched only under the lock of the owned-list shard the task
//!    belongs to.
//! 5. `regions` counts the task's live cancellable regions; only code polled by the
//!    task (or dropping its future) changes it, so the poller's reads are exact.
//!    `requests` counts `cancel()` calls not undone by `uncancel()` (asyncio's
//!    `cancelling()`); `outcome` is written once, before COMPLETE is published.
//! 6. `wait` is written only by the task's poller (`weft_core::waiting`, rule 2);
//!    `blocking_job` is fixed at allocation.

use super::harness;
use super::list::Links;
use super::report::Report;
use super::side::SideSlot;
use super::state::State;
use super::{Schedule, SpawnMeta, TaskError, TaskId, TaskOutcome};
use crate::loom::sync::atomic::{
    AtomicU32, AtomicU8, Ordering::Acquire, Ordering::Relaxed, Ordering::Release,
};
use crate::loom::UnsafeCell;
use std::future::Future;
use std::panic::Location;
use std::ptr::NonNull;
use std::task::Waker;
use weft_core::waiting::WaitSlot;

/// The type-independent part of a task, at offset 0 of its allocation.
#[repr(C)]
pub(crate) struct Header {
    pub(crate) state: State,
    pub(crate) vtable: &'static Vtable,
    pub(crate) owned: Links,
    pub(crate) id: TaskId,
    pub(crate) join_waker: UnsafeCell<Option<Waker>>,
    pub(crate) spawned_at: &'static Location<'static>,
    pub(crate) side: SideSlot,
    /// Live cancellable regions (rule 5).
    pub(crate) regions: AtomicU32,
    /// Cancel requests not undone (rule 5).
    pub(crate) requests: AtomicU32,
    /// How it ended, once COMPLETE (rule 5).
    outcome: AtomicU8,
    /// Polls so far; written by the poller only (polls never overlap).
    polls: AtomicU32,
    /// A job of the blocking pool, not a task of a scheduler (rule 6).
    pub(crate) blocking_job: bool,
    /// What the task waits on, and where (rule 6).
    pub(crate) wait: WaitSlot,
}

impl Header {
    pub(crate) fn set_outcome(&self, outcome: TaskOutcome) {
        self.outcome.store(outcome as u8, Release);
    }

    /// How the task ended; meaningful once COMPLETE is set.
    pub(crate) fn outcome(&self) -> TaskOutcome {
        TaskOutcome::from_u8(self.outcome.load(Acquire))
    }

    /// Counts one poll. Only the poller calls this, under RUNNING.
    #[inline]
    pub(crate) fn count_poll(&self) {
        self.polls
            .store(self.polls.load(Relaxed).wrapping_add(1), Relaxed);
    }

    /// Polls so far.
    pub(crate) fn polls(&self) -> u32 {
        self.polls.load(Relaxed)
    }

    pub(crate) fn name(&self) -> Option<&std::sync::Arc<str>> {
        self.side.get().and_then(|side| side.name.as_ref())
    }
}

/// What a task is doing with its one slot of storage.
pub(crate) enum Stage<F: Future> {
    Running(F),
    Finished(Result<F::Output, TaskError>),
    Consumed,
}

/// The whole allocation.
#[repr(C)]
pub(crate) struct Cell<F: Future, S> {
    pub(crate) header: Header,
    pub(crate) scheduler: S,
    pub(crate) stage: UnsafeCell<Stage<F>>,
}

/// The operations that need to know `F` and `S`.
pub(crate) struct Vtable {
    /// Runs one poll; consumes a `Notified` reference.
    pub(crate) poll: unsafe fn(NonNull<Header>),
    /// Queues the task on its scheduler; consumes the reference the caller passes.
    pub(crate) schedule: unsafe fn(NonNull<Header>),
    /// Frees the allocation; called once, when the reference count reaches zero.
    pub(crate) dealloc: unsafe fn(NonNull<Header>),
    /// Moves the output into `*dst` (a `Poll<Result<T, TaskError>>`) if it is ready,
    /// otherwise registers the waker.
    pub(crate) try_read_output: unsafe fn(NonNull<Header>, *mut (), &Waker),
    /// The `Task<T>` handle's drop when the fast path failed; consumes its reference.
    pub(crate) drop_join_handle_slow: unsafe fn(NonNull<Header>),
    /// Cancels the task for runtime shutdown; consumes the owned list's reference.
    pub(crate) shutdown: unsafe fn(NonNull<Header>),
    /// How the task ended, read from the stage by the completer (which holds RUNNING
    /// and has stored the output).
    pub(crate) outcome: unsafe fn(NonNull<Header>) -> TaskOutcome,
    /// Hands a report to the task's scheduler (`report.rs`).
    pub(crate) report: unsafe fn(NonNull<Header>, &Report),
}

/// The vtable for one `(F, S)` pair, as a promoted constant.
struct VtableFor<F, S>(std::marker::PhantomData<(F, S)>);

impl<F: Future + 'static, S: Schedule> VtableFor<F, S> {
    const VTABLE: Vtable = Vtable {
        poll: harness::poll::<F, S>,
        schedule: harness::schedule::<F, S>,
        dealloc: harness::dealloc::<F, S>,
        try_read_output: harness::try_read_output::<F, S>,
        drop_join_handle_slow: harness::drop_join_handle_slow::<F, S>,
        shutdown: harness::shutdown::<F, S>,
        outcome: harness::outcome::<F, S>,
        report: harness::report::<F, S>,
    };
}

/// The vtable of a task whose future ends with its own `TaskError` (a TaskGroup child
/// that failed): the `Task<T>` handle reads the inner result, flattened.
struct FallibleVtableFor<F, S, T>(std::marker::PhantomData<(F, S, T)>);

impl<F, S, T> FallibleVtableFor<F, S, T>
where
    F: Future<Output = Result<T, TaskError>> + 'static,
    S: Schedule,
    T: 'static,
{
    const VTABLE: Vtable = Vtable {
        try_read_output: harness::try_read_output_flattened::<F, S, T>,
        outcome: harness::outcome_flattened::<F, S, T>,
        ..VtableFor::<F, S>::VTABLE
    };
}

/// An untyped, uncounted pointer to a task. The typed wrappers in `mod.rs` own the
/// reference counting.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct RawTask {
    ptr: NonNull<Header>,
}

impl RawTask {
    /// Allocates a task holding `future`, with the initial three references.
    pub(crate) fn new<F, S>(future: F, scheduler: S, meta: SpawnMeta) -> RawTask
    where
        F: Future + 'static,
        S: Schedule,
    {
        RawTask::allocate(future, scheduler, meta, &VtableFor::<F, S>::VTABLE)
    }

    /// As [`new`](Self::new), for a future that ends with its own `TaskError`: its
    /// `Task<T>` handle sees that error as the task's.
    pub(crate) fn new_fallible<F, S, T>(future: F, scheduler: S, meta: SpawnMeta) -> RawTask
    where
        F: Future<Output = Result<T, TaskError>> + 'static,
        S: Schedule,
        T: 'static,
    {
        RawTask::allocate(
            future,
            scheduler,
            meta,
            &FallibleVtableFor::<F, S, T>::VTABLE,
        )
    }

    fn allocate<F, S>(future: F, scheduler: S, meta: SpawnMeta, vtable: &'static Vtable) -> RawTask
    where
        F: Future + 'static,
        S: Schedule,
    {
        // Allocated first and written in place: built on the stack and then moved, a
        // `Cell` this size cost a `memcpy` per spawn.
        let mut cell = Box::<Cell<F, S>>::new_uninit();
        let slot = cell.as_mut_ptr();
        // SAFETY: `slot` points to the uninitialised `Cell` just allocated; each field
        // is written once through a raw pointer, never read, before `assume_init`.
        unsafe {
            std::ptr::addr_of_mut!((*slot).header).write(Header {
                state: State::new(),
                vtable,
                owned: Links::new(),
                id: meta.id,
                join_waker: UnsafeCell::new(None),
                spawned_at: meta.location,
                side: SideSlot::new(meta.side),
                regions: AtomicU32::new(0),
                requests: AtomicU32::new(0),
                outcome: AtomicU8::new(TaskOutcome::Returned as u8),
                polls: AtomicU32::new(0),
                blocking_job: meta.blocking_job,
                wait: WaitSlot::new(),
            });
            std::ptr::addr_of_mut!((*slot).scheduler).write(scheduler);
            std::ptr::addr_of_mut!((*slot).stage).write(UnsafeCell::new(Stage::Running(future)));
        }
        // SAFETY: every field of the `Cell` was written above.
        let cell = unsafe { cell.assume_init() };
        let ptr = NonNull::from(Box::leak(cell)).cast::<Header>();
        RawTask { ptr }
    }

    /// # Safety
    ///
    /// `ptr` must point to the header of a live task allocation.
    pub(crate) unsafe fn from_raw(ptr: NonNull<Header>) -> RawTask {
        RawTask { ptr }
    }

    pub(crate) fn header_ptr(self) -> NonNull<Header> {
        self.ptr
    }

    pub(crate) fn header(&self) -> &Header {
        // SAFETY: a `RawTask` is only built from a live allocation and every holder
        // keeps a reference counted in the state word, so the header outlives `self`.
        unsafe { self.ptr.as_ref() }
    }

    pub(crate) fn state(&self) -> &State {
        &self.header().state
    }

    /// # Safety
    ///
    /// The caller gives up one `Notified` reference.
    pub(crate) unsafe fn poll(self) {
        // SAFETY: the vtable matches the allocation (rule 1); the caller's reference is
        // passed on as the function requires.
        unsafe { (self.header().vtable.poll)(self.ptr) }
    }

    /// # Safety
    ///
    /// The caller gives up one reference, which becomes the queued `Notified`.
    pub(crate) unsafe fn schedule(self) {
        // SAFETY: as for `poll`.
        unsafe { (self.header().vtable.schedule)(self.ptr) }
    }

    /// # Safety
    ///
    /// The reference count must have reached zero; nobody touches the task after.
    pub(crate) unsafe fn dealloc(self) {
        // SAFETY: as for `poll`.
        unsafe { (self.header().vtable.dealloc)(self.ptr) }
    }

    /// # Safety
    ///
    /// `dst` points to a `Poll<Result<T, TaskError>>` whose `T` is this task's output
    /// type, and the caller is the task's `Task<T>` handle.
    pub(crate) unsafe fn try_read_output(self, dst: *mut (), waker: &Waker) {
        // SAFETY: as for `poll`; the output type is the caller's promise.
        unsafe { (self.header().vtable.try_read_output)(self.ptr, dst, waker) }
    }

    /// # Safety
    ///
    /// Called once by the `Task<T>` handle, giving up its reference.
    pub(crate) unsafe fn drop_join_handle_slow(self) {
        // SAFETY: as for `poll`.
        unsafe { (self.header().vtable.drop_join_handle_slow)(self.ptr) }
    }

    /// # Safety
    ///
    /// The caller gives up the owned list's reference.
    pub(crate) unsafe fn shutdown(self) {
        // SAFETY: as for `poll`.
        unsafe { (self.header().vtable.shutdown)(self.ptr) }
    }

    /// Hands `report` to the task's scheduler.
    ///
    /// # Safety
    ///
    /// The caller holds a reference for the length of the call.
    pub(crate) unsafe fn report(self, report: &Report) {
        // SAFETY: as for `poll`.
        unsafe { (self.header().vtable.report)(self.ptr, report) }
    }

    /// Drops one reference, freeing the task if it was the last.
    ///
    /// # Safety
    ///
    /// The caller owns the reference it drops.
    pub(crate) unsafe fn drop_reference(self) {
        if self.state().ref_dec() {
            // SAFETY: that was the last reference.
            unsafe { self.dealloc() }
        }
    }
}

/// A counted reference to a task of any type and scheduler: keeps the header alive
/// for whoever needs it outside the task's own machinery (a cancellable region, a
/// `Cancelled` error that can re-arm the request, a TaskGroup cancelling its children).
pub(crate) struct CountedRef(RawTask);

impl CountedRef {
    /// A new reference to the task `raw` points to.
    ///
    /// # Safety
    ///
    /// The caller holds a reference to the task for the length of this call.
    pub(crate) unsafe fn new(raw: RawTask) -> CountedRef {
        raw.state().ref_inc();
        CountedRef(raw)
    }

    pub(crate) fn raw(&self) -> RawTask {
        self.0
    }

    pub(crate) fn header(&self) -> &Header {
        self.0.header()
    }
}

impl Clone for CountedRef {
    fn clone(&self) -> CountedRef {
        // SAFETY: `self` holds a reference.
        unsafe { CountedRef::new(self.0) }
    }
}

impl Drop for CountedRef {
    fn drop(&mut self) {
        // SAFETY: a `CountedRef` owns one reference.
        unsafe { self.0.drop_reference() };
    }
}

// SAFETY: a `RawTask` is a pointer to a task whose shared parts are atomics or guarded
// by the state-word protocol; the typed wrappers only hand it to other threads for
// futures and outputs that are `Send`.
unsafe impl Send for RawTask {}
// SAFETY: as above.
unsafe impl Sync for RawTask {}
