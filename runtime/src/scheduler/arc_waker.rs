//! `Waker`s built from an `Arc` of anything that knows how to wake.
//!
//! std's `Wake` trait only accepts `std::sync::Arc`; this does the same for the
//! crate's `loom::Arc`, so the parkers behind `block_on` run under loom too.

use crate::loom::Arc;
use std::marker::PhantomData;
use std::task::{RawWaker, RawWakerVTable, Waker};

/// Something a `Waker` can wake.
pub(crate) trait ArcWake: Send + Sync + 'static {
    fn wake(&self);
}

/// A `Waker` owning one count of `arc`.
pub(crate) fn waker<W: ArcWake>(arc: Arc<W>) -> Waker {
    let data = Arc::into_raw(arc) as *const ();
    // SAFETY: the vtable for `W` treats the data pointer as `Arc::into_raw` of an
    // `Arc<W>`, which is what `data` is, and keeps the count balanced.
    unsafe { Waker::from_raw(RawWaker::new(data, &VtableFor::<W>::VTABLE)) }
}

struct VtableFor<W>(PhantomData<W>);

impl<W: ArcWake> VtableFor<W> {
    const VTABLE: RawWakerVTable =
        RawWakerVTable::new(clone::<W>, wake::<W>, wake_by_ref::<W>, drop::<W>);
}

unsafe fn clone<W: ArcWake>(data: *const ()) -> RawWaker {
    // SAFETY: `data` is a live `Arc<W>` (the waker being cloned owns a count); the
    // clone gets a count of its own.
    unsafe { Arc::increment_strong_count(data as *const W) };
    RawWaker::new(data, &VtableFor::<W>::VTABLE)
}

unsafe fn wake<W: ArcWake>(data: *const ()) {
    // SAFETY: the consumed waker owns this count.
    let arc = unsafe { Arc::from_raw(data as *const W) };
    arc.wake();
}

unsafe fn wake_by_ref<W: ArcWake>(data: *const ()) {
    // SAFETY: the waker keeps its count for the length of this call.
    unsafe { &*(data as *const W) }.wake();
}

unsafe fn drop<W: ArcWake>(data: *const ()) {
    // SAFETY: the dropped waker owns this count.
    std::mem::drop(unsafe { Arc::from_raw(data as *const W) });
}
