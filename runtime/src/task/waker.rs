//! The task's `Waker`: a counted pointer to the header.
//!
//! A waker holds one task reference. `wake_by_ref` and `wake` turn a wake into a
//! queued `Notified` through the state word (`state.rs`, rules 2 and 3); the poll-time
//! waker built by [`waker_ref`] borrows the poller's reference instead of counting one.

use super::raw::{Header, RawTask};
use super::state::TransitionToNotified;
use std::marker::PhantomData;
use std::mem::ManuallyDrop;
use std::ops::Deref;
use std::ptr::NonNull;
use std::task::{RawWaker, RawWakerVTable, Waker};

static WAKER_VTABLE: RawWakerVTable =
    RawWakerVTable::new(clone, wake_by_val, wake_by_ref, drop_waker);

/// A waker that borrows a reference for as long as `'a`.
pub(super) struct WakerRef<'a> {
    waker: ManuallyDrop<Waker>,
    _borrow: PhantomData<&'a Header>,
}

impl Deref for WakerRef<'_> {
    type Target = Waker;

    fn deref(&self) -> &Waker {
        &self.waker
    }
}

/// Builds the waker handed to the future during a poll without touching the count.
///
/// # Safety
///
/// The caller holds a reference to the task for the life of the returned value.
pub(super) unsafe fn waker_ref<'a>(header: NonNull<Header>) -> WakerRef<'a> {
    let raw = RawWaker::new(header.as_ptr() as *const (), &WAKER_VTABLE);
    // SAFETY: the vtable's functions implement the RawWaker contract for a pointer to
    // a task header; `ManuallyDrop` keeps the borrowed reference from being dropped.
    let waker = unsafe { Waker::from_raw(raw) };
    WakerRef {
        waker: ManuallyDrop::new(waker),
        _borrow: PhantomData,
    }
}

/// # Safety
///
/// `ptr` came from a task waker, so it is the header of a live task.
unsafe fn raw_task(ptr: *const ()) -> RawTask {
    // SAFETY: the caller's promise; a waker's data pointer is never null.
    unsafe { RawTask::from_raw(NonNull::new_unchecked(ptr as *mut Header)) }
}

unsafe fn clone(ptr: *const ()) -> RawWaker {
    // SAFETY: the waker being cloned holds a reference.
    unsafe { raw_task(ptr) }.state().ref_inc();
    RawWaker::new(ptr, &WAKER_VTABLE)
}

unsafe fn wake_by_val(ptr: *const ()) {
    // SAFETY: the waker being consumed holds a reference.
    let task = unsafe { raw_task(ptr) };
    match task.state().transition_to_notified_by_val() {
        // SAFETY: the waker's reference became the `Notified`.
        TransitionToNotified::Submit => unsafe { task.schedule() },
        // SAFETY: that was the last reference.
        TransitionToNotified::Dealloc => unsafe { task.dealloc() },
        TransitionToNotified::DoNothing => {}
    }
}

unsafe fn wake_by_ref(ptr: *const ()) {
    // SAFETY: the waker holds a reference for the length of this call.
    let task = unsafe { raw_task(ptr) };
    match task.state().transition_to_notified_by_ref() {
        // SAFETY: the transition counted a new reference for the `Notified`.
        TransitionToNotified::Submit => unsafe { task.schedule() },
        TransitionToNotified::Dealloc => unreachable!("wake_by_ref never drops a reference"),
        TransitionToNotified::DoNothing => {}
    }
}

unsafe fn drop_waker(ptr: *const ()) {
    // SAFETY: the waker being dropped owns a reference.
    unsafe { raw_task(ptr).drop_reference() };
}
