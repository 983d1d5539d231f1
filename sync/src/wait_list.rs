//! The intrusive FIFO list of waiters every primitive in the crate is built on.
//!
//! A waiter is a [`Node`] embedded in the future that waits (so waiting allocates
//! nothing), linked into a [`WaitList`] that lives inside the primitive's mutex.
//! Each node carries a waker and a primitive-specific state `S`: what a semaphore
//! acquirer still needs, whether an event waiter was set, the item a queue getter
//! was handed. The notifier writes the state, unlinks the node and takes its waker;
//! the waiter reads the state the next time it is polled, or when it is dropped.
//!
//! # Protocol
//!
//! 1. A node's fields (links, waker, state) are read and written only while the
//!    lock that guards its list is held — `&mut WaitList` is that proof: the list
//!    is only reachable through the guard — with one exception: once `handed` is
//!    set (rule 4), the owner reads its state without the lock.
//! 2. A node is used with one list only, and is pinned from the moment it is
//!    pushed until its owner is done with it.
//! 3. The owner (a [`Waiter`]) records that it pushed its node (`queued`); every push
//!    clears `handed`, so a node reused for a second wait is handed nothing yet.
//!    Before the node's memory is freed, an owner that is still `queued` locks the list and calls
//!    [`WaitList::remove`] (idempotent: it reports whether the node was still
//!    linked), then reads the state to see what it was handed and passes it on.
//!    An owner that has observed, under the lock, that its node was unlinked is
//!    no longer `queued`: nobody else refers to an unlinked node outside the
//!    critical section that unlinked it.
//! 4. Notifiers pop from the front and touch a popped node only inside the same
//!    critical section (the [`Popped`] handle borrows the list). Wakers are moved
//!    into a `weft_core::WakeBatch` and woken after unlocking.
//!    The notifier's very last access is dropping the `Popped` handle, which sets
//!    the node's `handed` flag (`Release`). From then on the entry belongs to its
//!    owner alone: an owner that sees `handed` (`Acquire`) may read what it was
//!    handed without the lock ([`Waiter::take_handed`]) — a woken waiter's poll
//!    need not touch the lock at all.
//! 5. Every push is stamped with a sequence number. "Wake everyone who is waiting
//!    now" takes a [`mark`](WaitList::mark) first and pops only nodes stamped
//!    before it, so it can release the lock between batches without waking
//!    waiters who arrived afterwards.
//!
//! ```text
//!             push_back                pop_front / pop_front_before
//!  (unqueued) ---------> [ linked ] -----------------------------> [ handed ]
//!                            |      notifier sets state, takes waker   |
//!                 remove()   |                                         | owner polls or drops:
//!                 (drop)     v                                         v reads state, not queued
//!                        (unqueued, state passed on)               (done)
//! ```

use std::marker::PhantomData;
use std::marker::PhantomPinned;
use std::pin::Pin;
use std::ptr::NonNull;
use std::task::Waker;

use crate::loom::atomic::{AtomicBool, Ordering::*};
use crate::loom::UnsafeCell;

type Link<S> = Option<NonNull<Node<S>>>;

/// A waiter, embedded in the future that waits.
struct Node<S> {
    entry: UnsafeCell<Entry<S>>,
    /// Set by the notifier as its last access to a popped node (rule 4).
    handed: AtomicBool,
    /// Linked nodes are pointed to by their neighbours: the node must not move.
    _pinned: PhantomPinned,
}

struct Entry<S> {
    prev: Link<S>,
    next: Link<S>,
    linked: bool,
    seq: u64,
    waker: Option<Waker>,
    state: S,
}

// SAFETY: a node's entry is only touched under the lock of the list it belongs
// to (protocol rule 1), so moving the node to another thread moves nothing that
// another thread is using unsynchronised; the state and waker it owns are `Send`.
unsafe impl<S: Send> Send for Node<S> {}
// SAFETY: as for `Send`: `&Node` gives no access to the entry except through a
// `&mut WaitList` (under the lock) or, once `handed`, through the owning
// `Pin<&mut Waiter>` (exclusive); the `handed` flag itself is atomic.
unsafe impl<S: Send> Sync for Node<S> {}

impl<S> Node<S> {
    fn new(state: S) -> Self {
        Node {
            entry: UnsafeCell::new(Entry {
                prev: None,
                next: None,
                linked: false,
                seq: 0,
                waker: None,
                state,
            }),
            handed: AtomicBool::new(false),
            _pinned: PhantomPinned,
        }
    }
}

/// An intrusive doubly-linked FIFO of [`Node`]s; lives inside a mutex.
pub(crate) struct WaitList<S> {
    head: Link<S>,
    tail: Link<S>,
    next_seq: u64,
}

// SAFETY: the list only points at nodes, whose entries are touched only through
// `&mut WaitList` (under the lock that guards the list); sending the list sends
// the right to touch them, which is what the lock hands between threads.
unsafe impl<S: Send> Send for WaitList<S> {}
// SAFETY: `&WaitList` only reads `head`/`next_seq`; nothing reachable through it
// touches a node.
unsafe impl<S: Send> Sync for WaitList<S> {}

impl<S> WaitList<S> {
    pub(crate) const fn new() -> Self {
        WaitList {
            head: None,
            tail: None,
            next_seq: 0,
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.head.is_none()
    }

    /// The sequence number the next push will get: nodes pushed from now on
    /// compare `>=` to it.
    pub(crate) fn mark(&self) -> u64 {
        self.next_seq
    }

    /// The entry behind `node`.
    ///
    /// # Safety
    ///
    /// `node` belongs to this list and is alive (protocol rules 1–3); the
    /// returned borrow is tied to `&mut self`, so no two entries are borrowed at
    /// once through it.
    unsafe fn entry(&mut self, node: NonNull<Node<S>>) -> &mut Entry<S> {
        // SAFETY: the caller guarantees `node` is alive and guarded by the lock
        // that `&mut self` proves is held; `&mut self` makes this the only borrow.
        unsafe { (*node.as_ptr()).entry.with_mut(|entry| &mut *entry) }
    }

    /// Links `node` at the back with `state` and `waker`.
    ///
    /// # Safety
    ///
    /// `node` is pinned, belongs to this list only, is not linked, and its owner
    /// follows protocol rule 3 from now on.
    unsafe fn push_back(&mut self, node: Pin<&Node<S>>, state: S, waker: Option<Waker>) {
        let ptr = NonNull::from(node.get_ref());
        let seq = self.next_seq;
        self.next_seq += 1;
        let tail = self.tail;
        // SAFETY: the caller hands us `node` under the lock; it is alive.
        let entry = unsafe { self.entry(ptr) };
        debug_assert!(!entry.linked, "a node was pushed twice");
        entry.prev = tail;
        entry.next = None;
        entry.linked = true;
        entry.seq = seq;
        entry.waker = waker;
        entry.state = state;
        // A node pushed again after an earlier round was handed over starts unhanded:
        // `take_handed` must not mistake the old round for this one. No notifier
        // touches an unlinked node, so a plain store under the lock suffices.
        // SAFETY: as above.
        unsafe { ptr.as_ref() }.handed.store(false, Relaxed);
        match tail {
            // SAFETY: `tail` is linked into this list, hence alive (rule 3).
            Some(tail) => unsafe { self.entry(tail) }.next = Some(ptr),
            None => self.head = Some(ptr),
        }
        self.tail = Some(ptr);
    }

    /// Unlinks `node` if it is linked; returns whether it was. Idempotent.
    ///
    /// # Safety
    ///
    /// `node` belongs to this list and is alive.
    unsafe fn remove(&mut self, node: Pin<&Node<S>>) -> bool {
        let ptr = NonNull::from(node.get_ref());
        // SAFETY: guaranteed by the caller.
        let entry = unsafe { self.entry(ptr) };
        if !entry.linked {
            return false;
        }
        entry.linked = false;
        let (prev, next) = (entry.prev.take(), entry.next.take());
        match prev {
            // SAFETY: a linked node's neighbours are linked, hence alive.
            Some(prev) => unsafe { self.entry(prev) }.next = next,
            None => self.head = next,
        }
        match next {
            // SAFETY: as above.
            Some(next) => unsafe { self.entry(next) }.prev = prev,
            None => self.tail = prev,
        }
        true
    }

    /// Whether `node` is linked (not yet handed anything, not yet removed).
    ///
    /// # Safety
    ///
    /// `node` belongs to this list and is alive.
    unsafe fn is_linked(&mut self, node: Pin<&Node<S>>) -> bool {
        // SAFETY: guaranteed by the caller.
        unsafe { self.entry(NonNull::from(node.get_ref())) }.linked
    }

    /// The state of `node`.
    ///
    /// # Safety
    ///
    /// `node` belongs to this list and is alive.
    unsafe fn state(&mut self, node: Pin<&Node<S>>) -> &mut S {
        // SAFETY: guaranteed by the caller.
        &mut unsafe { self.entry(NonNull::from(node.get_ref())) }.state
    }

    /// Makes `waker` the one woken for `node`; returns the waker it replaces,
    /// for the caller to drop after unlocking.
    ///
    /// # Safety
    ///
    /// `node` belongs to this list and is alive.
    unsafe fn set_waker(&mut self, node: Pin<&Node<S>>, waker: &Waker) -> Option<Waker> {
        // SAFETY: guaranteed by the caller.
        let slot = &mut unsafe { self.entry(NonNull::from(node.get_ref())) }.waker;
        match slot {
            Some(current) if current.will_wake(waker) => None,
            _ => slot.replace(waker.clone()),
        }
    }

    /// The state of the front node, left linked.
    pub(crate) fn front_state(&mut self) -> Option<&mut S> {
        let head = self.head?;
        // SAFETY: `head` is linked into this list, hence alive (rule 3), and we
        // hold the lock (`&mut self`).
        Some(&mut unsafe { self.entry(head) }.state)
    }

    /// Unlinks the front node.
    pub(crate) fn pop_front(&mut self) -> Option<Popped<'_, S>> {
        self.pop_front_before(u64::MAX)
    }

    /// Unlinks the front node if it was pushed before `mark` (see [`mark`](Self::mark)).
    pub(crate) fn pop_front_before(&mut self, mark: u64) -> Option<Popped<'_, S>> {
        let head = self.head?;
        // SAFETY: `head` is linked, hence alive; we hold the lock.
        let entry = unsafe { self.entry(head) };
        if entry.seq >= mark {
            return None;
        }
        let next = entry.next.take();
        entry.linked = false;
        entry.prev = None;
        match next {
            // SAFETY: linked, hence alive.
            Some(next) => unsafe { self.entry(next) }.prev = None,
            None => self.tail = None,
        }
        self.head = next;
        Some(Popped {
            node: head,
            _list: PhantomData,
        })
    }
}

impl<S> Drop for WaitList<S> {
    fn drop(&mut self) {
        // Every waiter borrows (or holds an `Arc` to) its primitive, so none can
        // still be linked when the primitive goes.
        debug_assert!(
            self.is_empty(),
            "a WaitList was dropped with waiters linked"
        );
    }
}

/// A node just unlinked from the front; usable only while the list stays borrowed
/// (that is, inside the critical section that popped it).
pub(crate) struct Popped<'a, S> {
    node: NonNull<Node<S>>,
    _list: PhantomData<&'a mut WaitList<S>>,
}

impl<S> Popped<'_, S> {
    fn entry(&mut self) -> &mut Entry<S> {
        // SAFETY: the node was linked when popped and its owner cannot free it
        // without taking the lock we still hold (the borrow of the list lives as
        // long as `self`); `&mut self` makes this the only borrow.
        unsafe { (*self.node.as_ptr()).entry.with_mut(|entry| &mut *entry) }
    }

    /// The popped node's state, for the notifier to write what it hands over.
    pub(crate) fn state(&mut self) -> &mut S {
        &mut self.entry().state
    }

    /// The popped node's waker, to be woken after unlocking.
    pub(crate) fn take_waker(&mut self) -> Option<Waker> {
        self.entry().waker.take()
    }
}

impl<S> Drop for Popped<'_, S> {
    fn drop(&mut self) {
        // SAFETY: as in `entry`: the node is alive until its owner sees this
        // store (or takes the lock we hold). Rule 4: this is our last access.
        unsafe { (*self.node.as_ptr()).handed.store(true, Release) };
    }
}

/// The waiting side of the protocol: a [`Node`] and whether it is `queued`.
///
/// Embedded (pinned) in each primitive's wait future. Every method takes the
/// locked list and is `unsafe` for one reason only: the list must be the one
/// this waiter is used with, for its whole life (protocol rule 2).
pub(crate) struct Waiter<S> {
    node: Node<S>,
    /// Our node is, or may be, referenced by the list (protocol rule 3).
    queued: bool,
}

/// What [`Waiter::poll`] found.
pub(crate) enum Polled<'l, S> {
    /// Still linked; the waker was refreshed. Drop the stale one after unlocking.
    Waiting(Option<Waker>),
    /// Popped by a notifier, which left this state.
    Handed(&'l mut S),
}

impl<S> Waiter<S> {
    pub(crate) fn new(state: S) -> Self {
        Waiter {
            node: Node::new(state),
            queued: false,
        }
    }

    /// Whether the owner must lock the list and [`cancel`](Self::cancel) before
    /// the waiter is freed.
    pub(crate) fn is_queued(&self) -> bool {
        self.queued
    }

    fn node(self: Pin<&mut Self>) -> (Pin<&Node<S>>, &mut bool) {
        // SAFETY: the node is structurally pinned: it is never moved out of, and
        // `queued` is a plain bool that is not pinned.
        let this = unsafe { self.get_unchecked_mut() };
        // SAFETY: as above.
        (unsafe { Pin::new_unchecked(&this.node) }, &mut this.queued)
    }

    /// Queues the waiter at the back of `list`. `waker` may be `None` for a
    /// waiter that registers before its first poll (a `Condition` waiter queues
    /// before it unlocks); it is set at the first [`poll`](Self::poll).
    ///
    /// # Safety
    ///
    /// `list` is the (locked) list this waiter is used with, and the waiter is
    /// not queued.
    pub(crate) unsafe fn push(
        self: Pin<&mut Self>,
        list: &mut WaitList<S>,
        state: S,
        waker: Option<Waker>,
    ) {
        let (node, queued) = self.node();
        debug_assert!(!*queued, "a waiter was queued twice");
        // SAFETY: pinned, used with this list only (caller), not linked; our
        // owner calls `cancel` before freeing us while `queued`.
        unsafe { list.push_back(node, state, waker) };
        *queued = true;
    }

    /// Without the lock: if a notifier has handed this queued waiter something
    /// (rule 4), marks it no longer queued and returns its state.
    pub(crate) fn take_handed(self: Pin<&mut Self>) -> Option<&mut S> {
        let (node, queued) = self.node();
        if !*queued || !node.handed.load(Acquire) {
            return None;
        }
        *queued = false;
        let node = node.get_ref();
        // SAFETY: `handed` was set by the notifier as its last access to the
        // node, and synchronises with us (`Acquire`); the node is unlinked, so
        // nobody else refers to it; `&mut self` makes this the only borrow.
        Some(node.entry.with_mut(|entry| unsafe { &mut (*entry).state }))
    }

    /// Checks a queued waiter: still linked (waker refreshed), or handed
    /// something (and no longer queued).
    ///
    /// # Safety
    ///
    /// `list` is the (locked) list this waiter is used with, and it is queued.
    pub(crate) unsafe fn poll<'l>(
        self: Pin<&mut Self>,
        list: &'l mut WaitList<S>,
        waker: &Waker,
    ) -> Polled<'l, S> {
        let (node, queued) = self.node();
        debug_assert!(*queued, "polled a waiter that is not queued");
        // SAFETY: our node, alive and pinned; the caller holds the list's lock.
        if unsafe { list.is_linked(node) } {
            // SAFETY: as above.
            return Polled::Waiting(unsafe { list.set_waker(node, waker) });
        }
        *queued = false;
        // SAFETY: as above.
        Polled::Handed(unsafe { list.state(node) })
    }

    /// Takes a queued waiter off `list` for good: returns whether it was still
    /// linked (`false`: a notifier had popped it and handed it something) and
    /// its state, for the owner to pass on what it was handed.
    ///
    /// # Safety
    ///
    /// `list` is the (locked) list this waiter is used with, and it is queued.
    pub(crate) unsafe fn cancel<'l>(
        self: Pin<&mut Self>,
        list: &'l mut WaitList<S>,
    ) -> (bool, &'l mut S) {
        let (node, queued) = self.node();
        debug_assert!(*queued, "cancelled a waiter that is not queued");
        *queued = false;
        // SAFETY: our node, alive and pinned; the caller holds the list's lock.
        let was_linked = unsafe { list.remove(node) };
        // SAFETY: as above.
        (was_linked, unsafe { list.state(node) })
    }
}
