//! What a task waits on: the record each of weft's own awaits leaves in the task it
//! suspends, for `Handle::dump()` and `TaskInfo` (asyncio's `Task.get_stack` and 3.14's
//! call graph).
//!
//! The leaf futures of `weft-rt-sync` and `weft-rt-io` know no runtime, so they record
//! through a hook: as the runtime enters a task for a poll it calls [`enter`], which
//! points a thread-local at the task's [`WaitSlot`] until its guard drops; a future that returns `Pending` calls
//! [`record`] (or is wrapped in [`Recorded`]), which writes what it waits on and the
//! user's source line there. Outside a weft task (another executor, a plain thread) the
//! thread-local is null and recording costs that one read.
//!
//! # Rules
//!
//! 1. The hook points at a slot only while an [`Entered`] guard from [`enter`] (or the
//!    [`recording`] call around it) lives, and the caller holds the slot until the guard
//!    drops; the drop restores the hook, unwinding included, so nested polls (an eager
//!    spawn) record into their own task and give the hook back.
//! 2. A slot has one writer at a time: the thread polling its task (it holds the
//!    task's RUNNING bit). Readers on any thread go through the sequence number — odd
//!    while a write is under way — and retry, so they never see a torn record.
//! 3. [`enter`] empties the slot when the poll starts: a task that runs on and
//!    then suspends somewhere unrecorded shows no stale wait.
//! 4. Leaves overwrite ([`record`]); futures that wrap a user's future (a timeout)
//!    use [`record_outer`], which writes only when nothing inside recorded during the
//!    poll, so the innermost wait is the one shown — but gives its line to a record
//!    that has none: a socket's readiness wait knows what it waits on
//!    ([`record_unlocated`]) and the `read_exact` future around it knows the line.
//! 5. A record's time is a coarse monotonic clock's (`coarse_nanos`), read once per
//!    `Pending` that records: the per-`Pending` cost is that read and five stores to
//!    a cache line the poller already owns; the poll itself reads no clock.

use crate::loom::sync::atomic::{AtomicPtr, AtomicU32, AtomicU64, Ordering};
use std::cell::Cell;
use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
#[cfg(not(any(target_os = "linux", target_os = "android")))]
use std::{sync::OnceLock, time::Instant};

/// What a wait is on, as shown in a dump: `"Queue::get"`, `"TcpStream::read"`.
///
/// A static descriptor, so a record stores one thin pointer: write `&WaitOn("...")`,
/// which Rust promotes to a `'static` constant.
///
/// ```
/// use weft_core::waiting::WaitOn;
/// static GET: &WaitOn = &WaitOn("Queue::get");
/// assert_eq!(GET.0, "Queue::get");
/// ```
#[derive(Debug)]
pub struct WaitOn(pub &'static str);

/// One task's wait record (rules 2-3). Lives in the task's header.
#[derive(Debug)]
pub struct WaitSlot {
    /// Odd while the writer is mid-write (rule 2).
    seq: AtomicU32,
    /// Null when the task waits on nothing recorded.
    what: AtomicPtr<WaitOn>,
    at: AtomicPtr<Location<'static>>,
    /// [`coarse_nanos`] when the wait was recorded.
    since: AtomicU64,
    /// The id of the task awaited, or 0.
    awaiting: AtomicU64,
}

/// A copy of a [`WaitSlot`]'s record.
///
/// ```
/// use weft_core::waiting::{record, recording, WaitOn, WaitSlot};
/// let slot = WaitSlot::new();
/// recording(&slot, || record(&WaitOn("sleep"), std::panic::Location::caller()));
/// let wait = slot.read().unwrap();
/// assert_eq!((wait.what, wait.awaiting), ("sleep", None));
/// assert!(wait.at.is_some() && wait.waited < std::time::Duration::from_secs(3600));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wait {
    /// What it waits on.
    pub what: &'static str,
    /// The user's source line that awaits, when the recording future knew it.
    pub at: Option<&'static Location<'static>>,
    /// How long ago the wait was recorded, when the record was read: on the real
    /// clock (not a runtime's paused one), to within a few milliseconds (rule 5).
    pub waited: Duration,
    /// The id of the task it awaits, when it awaits a task.
    pub awaiting: Option<u64>,
}

impl Default for WaitSlot {
    fn default() -> Self {
        Self::new()
    }
}

impl WaitSlot {
    /// An empty slot.
    ///
    /// ```
    /// assert!(weft_core::waiting::WaitSlot::new().read().is_none());
    /// ```
    pub fn new() -> WaitSlot {
        WaitSlot {
            seq: AtomicU32::new(0),
            what: AtomicPtr::new(std::ptr::null_mut()),
            at: AtomicPtr::new(std::ptr::null_mut()),
            since: AtomicU64::new(0),
            awaiting: AtomicU64::new(0),
        }
    }

    /// The record, if there is one; `None` also if a writer kept it busy for every
    /// one of a few tries (rule 2).
    ///
    /// ```
    /// use weft_core::waiting::{record, recording, WaitOn, WaitSlot};
    /// let slot = WaitSlot::new();
    /// recording(&slot, || record(&WaitOn("Event::wait"), std::panic::Location::caller()));
    /// assert_eq!(slot.read().unwrap().what, "Event::wait");
    /// ```
    pub fn read(&self) -> Option<Wait> {
        for _ in 0..64 {
            let before = self.seq.load(Ordering::Acquire);
            if before & 1 == 1 {
                std::hint::spin_loop();
                continue;
            }
            // Acquire loads: a value from a newer write comes with that write's odd
            // sequence number, which the check below then sees (rule 2).
            let what = self.what.load(Ordering::Acquire);
            let at = self.at.load(Ordering::Acquire);
            let since = self.since.load(Ordering::Acquire);
            let awaiting = self.awaiting.load(Ordering::Acquire);
            if self.seq.load(Ordering::Relaxed) != before {
                continue;
            }
            if what.is_null() {
                return None;
            }
            // SAFETY: non-null pointers here were stored from `&'static` references
            // by `write`, and statics live forever.
            let (what, at) = unsafe { (&*what, at.as_ref()) };
            return Some(Wait {
                what: what.0,
                at,
                waited: Duration::from_nanos(coarse_nanos().saturating_sub(since)),
                awaiting: (awaiting != 0).then_some(awaiting),
            });
        }
        None
    }

    /// Writes a record; only the slot's one writer calls this (rule 2).
    fn write(&self, what: *mut WaitOn, at: *mut Location<'static>, awaiting: u64) {
        let seq = self.seq.load(Ordering::Relaxed);
        self.seq.store(seq.wrapping_add(1), Ordering::Relaxed);
        let since = if what.is_null() { 0 } else { coarse_nanos() };
        // Release stores: a reader that sees one also sees the odd number above.
        self.what.store(what, Ordering::Release);
        self.at.store(at, Ordering::Release);
        self.since.store(since, Ordering::Release);
        self.awaiting.store(awaiting, Ordering::Release);
        self.seq.store(seq.wrapping_add(2), Ordering::Release);
    }

    /// Empties the slot (rule 3); a slot already empty costs one load.
    #[inline]
    fn clear(&self) {
        if !self.what.load(Ordering::Relaxed).is_null() {
            self.write(std::ptr::null_mut(), std::ptr::null_mut(), 0);
        }
    }

    /// Gives the record a line if it has none, or writes `what` at `at` if the slot
    /// is empty (rule 4). Only the writer calls this, so its own loads are exact.
    fn write_outer(&self, what: *mut WaitOn, at: *mut Location<'static>) {
        let recorded = self.what.load(Ordering::Relaxed);
        if recorded.is_null() {
            self.write(what, at, 0);
        } else if self.at.load(Ordering::Relaxed).is_null() {
            self.write(recorded, at, self.awaiting.load(Ordering::Relaxed));
        }
    }
}

/// The monotonic clock in nanoseconds, coarse (rule 5): on Linux
/// `CLOCK_MONOTONIC_COARSE`, which the vDSO answers from memory without reading the
/// cycle counter (a few ns, to the kernel's tick); elsewhere std's `Instant`.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn coarse_nanos() -> u64 {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid, writable timespec; the clock id is a constant Linux
    // supports since 2.6.32, and on failure `now` stays zero.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC_COARSE, &mut now) };
    let secs = u64::try_from(now.tv_sec).unwrap_or(0);
    let nanos = u64::try_from(now.tv_nsec).unwrap_or(0);
    secs.saturating_mul(1_000_000_000).saturating_add(nanos)
}

/// As above, off Linux: nanoseconds since the first call.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn coarse_nanos() -> u64 {
    static BASE: OnceLock<Instant> = OnceLock::new();
    let base = *BASE.get_or_init(Instant::now);
    u64::try_from(base.elapsed().as_nanos()).unwrap_or(u64::MAX)
}

#[cfg(not(weft_loom))]
thread_local! {
    static HOOK: Cell<*const WaitSlot> = const { Cell::new(std::ptr::null()) };
}

#[cfg(weft_loom)]
loom::thread_local! {
    static HOOK: Cell<*const WaitSlot> = Cell::new(std::ptr::null());
}

/// Runs `poll` (one poll of a task) with `slot` as the place its awaits record into,
/// after emptying it (rules 1, 3): [`enter`] for a caller that holds the slot on its
/// own stack.
///
/// ```
/// use weft_core::waiting::{record, recording, WaitOn, WaitSlot};
/// let slot = WaitSlot::new();
/// recording(&slot, || record(&WaitOn("sleep"), std::panic::Location::caller()));
/// assert!(slot.read().is_some());
/// recording(&slot, || {}); // polled again, waits on nothing recorded
/// assert!(slot.read().is_none());
/// ```
pub fn recording<R>(slot: &WaitSlot, poll: impl FnOnce() -> R) -> R {
    // SAFETY: `slot` is borrowed for this whole call and the guard is dropped before
    // it returns, unwinding included; it is never forgotten.
    let _entered = unsafe { enter(slot) };
    poll()
}

/// Empties `slot` and points this thread's hook at it until the returned guard drops,
/// which gives the hook back to the slot it pointed at before (rules 1, 3). The
/// runtime calls this as it enters a task for a poll, beside its own task context, so
/// the hook costs a thread-local swap and no call of its own.
///
/// # Safety
///
/// `slot` must stay alive, at the same address, until the guard is dropped, and the
/// guard must be dropped (not forgotten) on this thread; guards must drop in the
/// reverse order of their `enter` (they nest). Until then any code on this thread may
/// write to the slot.
///
/// ```
/// use weft_core::waiting::{enter, record, WaitOn, WaitSlot};
/// let slot = WaitSlot::new();
/// {
///     // SAFETY: `slot` outlives the guard, which drops at the end of this block.
///     let _entered = unsafe { enter(&slot) };
///     record(&WaitOn("sleep"), std::panic::Location::caller());
/// }
/// assert_eq!(slot.read().unwrap().what, "sleep");
/// ```
#[inline]
pub unsafe fn enter(slot: &WaitSlot) -> Entered {
    slot.clear();
    let outer = HOOK
        .try_with(|hook| hook.replace(slot))
        .unwrap_or(std::ptr::null());
    Entered { outer }
}

/// The hook [`enter`] replaced; dropping it puts that one back.
#[derive(Debug)]
#[must_use = "the slot records only until the guard drops"]
pub struct Entered {
    outer: *const WaitSlot,
}

impl Drop for Entered {
    #[inline]
    fn drop(&mut self) {
        let _ = HOOK.try_with(|hook| hook.set(self.outer));
    }
}

/// Runs `f` on the slot of the task being polled on this thread, if any (rule 1).
#[inline]
fn with_current(f: impl FnOnce(&WaitSlot)) {
    let slot = HOOK.try_with(Cell::get).unwrap_or(std::ptr::null());
    if slot.is_null() {
        return;
    }
    // SAFETY: a non-null hook was set by `enter`, whose caller holds the slot until
    // its guard restores the hook, and that guard is alive on this thread (rule 1).
    f(unsafe { &*slot });
}

/// Records, in the task being polled, that it waits on `what` at `at`; called by a
/// leaf future as it returns `Pending` (rule 4). Does nothing outside a weft task.
///
/// ```
/// use weft_core::waiting::{record, WaitOn};
/// // Outside a weft task this is a no-op.
/// record(&WaitOn("Queue::get"), std::panic::Location::caller());
/// ```
#[inline]
pub fn record(what: &'static WaitOn, at: &'static Location<'static>) {
    with_current(|slot| slot.write(as_mut_ptr(what), as_mut_ptr(at), 0));
}

/// As [`record`], for a wait on another task (`id`, its task id as a number).
///
/// ```
/// use weft_core::waiting::{record_task, recording, WaitOn, WaitSlot};
/// let slot = WaitSlot::new();
/// recording(&slot, || record_task(&WaitOn("Task"), std::panic::Location::caller(), 17));
/// assert_eq!(slot.read().unwrap().awaiting, Some(17));
/// ```
#[inline]
pub fn record_task(what: &'static WaitOn, at: &'static Location<'static>, id: u64) {
    with_current(|slot| slot.write(as_mut_ptr(what), as_mut_ptr(at), id));
}

/// As [`record`], without a line: for a leaf that does not know the user's line (a
/// socket's readiness wait); a future around it may supply one ([`record_outer`]).
///
/// ```
/// use weft_core::waiting::{record_unlocated, recording, WaitOn, WaitSlot};
/// let slot = WaitSlot::new();
/// recording(&slot, || record_unlocated(&WaitOn("TcpStream::read")));
/// assert_eq!(slot.read().unwrap().at, None);
/// ```
#[inline]
pub fn record_unlocated(what: &'static WaitOn) {
    with_current(|slot| slot.write(as_mut_ptr(what), std::ptr::null_mut(), 0));
}

/// As [`record`], unless something inside already recorded during this poll — then it
/// only gives that record the line `at` if it had none (rule 4): for futures that wrap
/// another, such as a timeout or `read_exact`.
///
/// ```
/// use weft_core::waiting::{record, record_outer, record_unlocated, recording, WaitOn, WaitSlot};
/// use std::panic::Location;
/// let slot = WaitSlot::new();
/// recording(&slot, || {
///     record(&WaitOn("Queue::get"), Location::caller());
///     record_outer(&WaitOn("timeout"), Location::caller());
/// });
/// assert_eq!(slot.read().unwrap().what, "Queue::get");
///
/// let here = Location::caller();
/// recording(&slot, || {
///     record_unlocated(&WaitOn("TcpStream::read"));
///     record_outer(&WaitOn("read_exact"), here);
/// });
/// let wait = slot.read().unwrap();
/// assert_eq!((wait.what, wait.at), ("TcpStream::read", Some(here)));
/// ```
#[inline]
pub fn record_outer(what: &'static WaitOn, at: &'static Location<'static>) {
    with_current(|slot| slot.write_outer(as_mut_ptr(what), as_mut_ptr(at)));
}

/// `poll`, after [`record_outer`] with the caller's line if it is `Pending`: the tail
/// of a `#[track_caller]` `Future::poll` of a helper future, whose caller is the
/// `.await` (so the line is the user's).
///
/// ```
/// use std::panic::Location;
/// use std::task::Poll;
/// use weft_core::waiting::{outer, record_unlocated, recording, WaitOn, WaitSlot};
/// let slot = WaitSlot::new();
/// let line = line!() + 3;
/// recording(&slot, || {
///     record_unlocated(&WaitOn("TcpStream::read"));
///     outer(&WaitOn("AsyncRead::read"), Poll::<()>::Pending)
/// });
/// assert_eq!(slot.read().unwrap().at.unwrap().line(), line);
/// ```
#[inline]
#[track_caller]
pub fn outer<T>(what: &'static WaitOn, poll: Poll<T>) -> Poll<T> {
    if poll.is_pending() {
        record_outer(what, Location::caller());
    }
    poll
}

/// The pointer a slot stores; it is only ever read back as a shared reference.
fn as_mut_ptr<T>(r: &'static T) -> *mut T {
    r as *const T as *mut T
}

/// A future that records `what` at `at` each time its inner future returns `Pending`
/// (rule 4: a leaf's record). Built by [`recorded`].
///
/// # Cancel safety
///
/// As cancel safe as the inner future: dropping it drops that future and nothing
/// else (a record it left is emptied at the task's next poll).
///
/// ```
/// use std::future::Future;
/// use std::task::{Context, Waker};
/// use weft_core::waiting::{recorded, recording, WaitOn, WaitSlot};
/// let slot = WaitSlot::new();
/// let mut never = std::pin::pin!(recorded(
///     &WaitOn("never"),
///     std::panic::Location::caller(),
///     std::future::pending::<()>(),
/// ));
/// let mut cx = Context::from_waker(Waker::noop());
/// recording(&slot, || assert!(never.as_mut().poll(&mut cx).is_pending()));
/// assert_eq!(slot.read().unwrap().what, "never");
/// ```
#[derive(Debug)]
#[must_use = "futures do nothing unless polled"]
pub struct Recorded<F> {
    inner: F,
    what: &'static WaitOn,
    at: &'static Location<'static>,
}

/// Wraps `future` so each `Pending` it returns records `what` at `at`: the body of a
/// `#[track_caller]` function that returns a future, with `at` its
/// `Location::caller()`.
///
/// ```
/// use weft_core::waiting::{recorded, WaitOn};
/// #[track_caller]
/// fn wait_a_bit() -> impl std::future::Future<Output = ()> {
///     recorded(&WaitOn("wait_a_bit"), std::panic::Location::caller(), async {})
/// }
/// let _future = wait_a_bit();
/// ```
pub fn recorded<F: Future>(
    what: &'static WaitOn,
    at: &'static Location<'static>,
    future: F,
) -> Recorded<F> {
    Recorded {
        inner: future,
        what,
        at,
    }
}

impl<F: Future> Future for Recorded<F> {
    type Output = F::Output;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        // SAFETY: `inner` is structurally pinned: it is never moved out of `self`,
        // `Recorded` has no `Drop` that could move it, and it is `Unpin` only when `F`
        // is (the auto trait).
        let this = unsafe { self.get_unchecked_mut() };
        // SAFETY: as above.
        let inner = unsafe { Pin::new_unchecked(&mut this.inner) };
        let poll = inner.poll(cx);
        if poll.is_pending() {
            record(this.what, this.at);
        }
        poll
    }
}

#[cfg(all(test, not(weft_loom)))]
mod tests {
    use super::*;

    #[test]
    fn recording_nests_and_restores_the_outer_slot() {
        let outer = WaitSlot::new();
        let inner = WaitSlot::new();
        recording(&outer, || {
            recording(&inner, || record(&WaitOn("inner"), Location::caller()));
            record(&WaitOn("outer"), Location::caller());
        });
        assert_eq!(outer.read().unwrap().what, "outer");
        assert_eq!(inner.read().unwrap().what, "inner");
    }

    #[test]
    fn a_panicking_poll_gives_the_hook_back() {
        let slot = WaitSlot::new();
        let result = std::panic::catch_unwind(|| recording(&slot, || panic!("boom")));
        assert!(result.is_err());
        record(&WaitOn("after"), Location::caller());
        assert!(slot.read().is_none(), "the hook is gone with the poll");
    }

    #[test]
    fn the_recorded_line_is_the_callers() {
        let slot = WaitSlot::new();
        let line = line!() + 1;
        recording(&slot, || record(&WaitOn("x"), Location::caller()));
        let wait = slot.read().unwrap();
        assert_eq!(wait.at.unwrap().line(), line);
        assert!(wait.waited < Duration::from_secs(3600));
        assert_eq!(wait.awaiting, None);
    }
}
