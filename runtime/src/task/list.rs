//! The owned-task list: every live task of a scheduler, so shutdown can reach the idle
//! ones that sit in no queue.
//!
//! An intrusive doubly-linked list through each header's `owned` links, split into
//! shards by task id so spawns and completions on different workers rarely meet on one
//! lock.
//!
//! # Rules
//!
//! 1. The list holds one reference per task in it (`state.rs`, rule 6); `bind` moves
//!    the new task's list reference in, `remove` and the shutdown pass move it out.
//! 2. A task's links are read and written only under its shard's lock (`id & mask`).
//! 3. A task is in the list iff its `prev` is set or it is its shard's head; an unlinked
//!    task has both links `None`, which makes `remove` idempotent.
//! 4. Once `closed` is set (under every shard's lock in turn) no task is added: `bind`
//!    shuts the task down instead, so a spawn racing shutdown ends cancelled, never lost.

use super::raw::{Header, RawTask};
use super::{Notified, Schedule, TaskRef};
use crate::loom::sync::atomic::{AtomicBool, Ordering::Acquire, Ordering::Release};
use crate::loom::{Mutex, UnsafeCell};
use crossbeam_utils::CachePadded;
use std::marker::PhantomData;
use std::ptr::NonNull;

/// The links a header carries for the owned list.
pub(crate) struct Links {
    prev: UnsafeCell<Option<NonNull<Header>>>,
    next: UnsafeCell<Option<NonNull<Header>>>,
}

impl Links {
    pub(crate) fn new() -> Links {
        Links {
            prev: UnsafeCell::new(None),
            next: UnsafeCell::new(None),
        }
    }
}

struct Shard {
    head: Option<NonNull<Header>>,
    len: usize,
}

// SAFETY: the pointers are only followed under the shard's lock (rule 2).
unsafe impl Send for Shard {}

/// Every live task of one scheduler.
pub(crate) struct OwnedTasks<S: 'static> {
    shards: Box<[CachePadded<Mutex<Shard>>]>,
    mask: usize,
    closed: AtomicBool,
    _scheduler: PhantomData<S>,
}

impl<S: Schedule> OwnedTasks<S> {
    /// A list with at least `shards` shards (rounded up to a power of two).
    pub(crate) fn new(shards: usize) -> OwnedTasks<S> {
        let n = shards.max(1).next_power_of_two();
        OwnedTasks {
            shards: (0..n)
                .map(|_| CachePadded::new(Mutex::new(Shard { head: None, len: 0 })))
                .collect(),
            mask: n - 1,
            closed: AtomicBool::new(false),
            _scheduler: PhantomData,
        }
    }

    fn shard_of(&self, header: &Header) -> &Mutex<Shard> {
        &self.shards[header.id.as_u64() as usize & self.mask]
    }

    /// Adds a new task. Returns its `Notified` to queue, or `None` if the list is closed,
    /// in which case the task has been shut down (its handle reports cancellation).
    pub(crate) fn bind(&self, task: TaskRef<S>, notified: Notified<S>) -> Option<Notified<S>> {
        let raw = task.raw();
        {
            let mut shard = self.shard_of(raw.header()).lock();
            if !self.closed.load(Acquire) {
                let ptr = raw.header_ptr();
                // SAFETY: we hold the shard lock (rule 2) and the task is new, so its
                // links are unset; the old head is in this shard.
                unsafe {
                    set_next(ptr, shard.head);
                    if let Some(head) = shard.head {
                        set_prev(head, Some(ptr));
                    }
                }
                shard.head = Some(ptr);
                shard.len += 1;
                std::mem::forget(task);
                return Some(notified);
            }
        }
        drop(notified);
        // SAFETY: the list reference is ours to give up; the task never entered the list.
        unsafe { task.into_raw().shutdown() };
        None
    }

    /// Takes a completed task out of the list; returns the list's reference, or `None`
    /// if it was already taken out (by the shutdown pass).
    pub(crate) fn remove(&self, task: &TaskRef<S>) -> Option<TaskRef<S>> {
        let raw = task.raw();
        let ptr = raw.header_ptr();
        let mut shard = self.shard_of(raw.header()).lock();
        // SAFETY: under the shard lock (rule 2).
        unsafe {
            let prev = get_prev(ptr);
            let next = get_next(ptr);
            if prev.is_none() && shard.head != Some(ptr) {
                return None;
            }
            match prev {
                Some(prev) => set_next(prev, next),
                None => shard.head = next,
            }
            if let Some(next) = next {
                set_prev(next, prev);
            }
            set_prev(ptr, None);
            set_next(ptr, None);
        }
        shard.len -= 1;
        // SAFETY: the list's reference moves out to the caller (rule 1).
        Some(unsafe { TaskRef::from_raw(raw) })
    }

    fn pop(&self, shard: &Mutex<Shard>) -> Option<TaskRef<S>> {
        let mut shard = shard.lock();
        let ptr = shard.head?;
        // SAFETY: under the shard lock; `ptr` is the head, so it has no `prev`.
        unsafe {
            let next = get_next(ptr);
            if let Some(next) = next {
                set_prev(next, None);
            }
            set_next(ptr, None);
            shard.head = next;
        }
        shard.len -= 1;
        // SAFETY: the list's reference moves out (rule 1).
        Some(unsafe { TaskRef::from_raw(RawTask::from_raw(ptr)) })
    }

    /// Closes the list and shuts down every task in it, one at a time and outside the
    /// shard lock, so a destructor that spawns or wakes cannot deadlock.
    /// Takes no new task from now on (rule 4), leaving the tasks in the list alone:
    /// whoever owns them shuts them down later.
    pub(crate) fn close(&self) {
        for shard in self.shards.iter() {
            let _guard = shard.lock();
            self.closed.store(true, Release);
        }
    }

    pub(crate) fn close_and_shutdown_all(&self) {
        for shard in self.shards.iter() {
            let _guard = shard.lock();
            self.closed.store(true, Release);
        }
        for shard in self.shards.iter() {
            while let Some(task) = self.pop(shard) {
                // SAFETY: the list's reference, popped above.
                unsafe { task.into_raw().shutdown() };
            }
        }
    }

    /// A snapshot of every task in the list (for `task::all` and dumps).
    pub(crate) fn infos(&self) -> Vec<super::TaskInfo> {
        let mut infos = Vec::new();
        for shard in self.shards.iter() {
            let shard = shard.lock();
            let mut next = shard.head;
            while let Some(ptr) = next {
                // SAFETY: under the shard lock (rule 2) every linked task is alive: the
                // list holds a reference to it (rule 1).
                let header = unsafe { ptr.as_ref() };
                infos.push(super::TaskInfo::of(header));
                // SAFETY: as above.
                next = unsafe { get_next(ptr) };
            }
        }
        infos
    }

    /// How many tasks are alive (a racy snapshot).
    pub(crate) fn len(&self) -> usize {
        self.shards.iter().map(|s| s.lock().len).sum()
    }
}

// SAFETY: the list only holds task pointers, reached under locks; tasks are `Send`.
unsafe impl<S> Send for OwnedTasks<S> {}
// SAFETY: as above: all shared access is under the shard locks or atomic.
unsafe impl<S> Sync for OwnedTasks<S> {}

/// # Safety
///
/// The caller holds the lock of the shard `ptr` belongs to.
unsafe fn get_prev(ptr: NonNull<Header>) -> Option<NonNull<Header>> {
    // SAFETY: the caller's lock makes this the only access (rule 2).
    unsafe { ptr.as_ref() }.owned.prev.with(|p| unsafe { *p })
}

/// # Safety
///
/// As for [`get_prev`].
unsafe fn get_next(ptr: NonNull<Header>) -> Option<NonNull<Header>> {
    // SAFETY: as for `get_prev`.
    unsafe { ptr.as_ref() }.owned.next.with(|p| unsafe { *p })
}

/// # Safety
///
/// As for [`get_prev`].
unsafe fn set_prev(ptr: NonNull<Header>, value: Option<NonNull<Header>>) {
    // SAFETY: as for `get_prev`.
    unsafe { ptr.as_ref() }
        .owned
        .prev
        .with_mut(|p| unsafe { *p = value });
}

/// # Safety
///
/// As for [`get_prev`].
unsafe fn set_next(ptr: NonNull<Header>, value: Option<NonNull<Header>>) {
    // SAFETY: as for `get_prev`.
    unsafe { ptr.as_ref() }
        .owned
        .next
        .with_mut(|p| unsafe { *p = value });
}
