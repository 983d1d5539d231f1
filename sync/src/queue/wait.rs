//! The futures of `put` and `get`: each a queued [`Waiter`] that gives
//! back, when dropped, what it was handed (see the invariants in `state.rs`).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::queue::error::QueueShutDown;
use crate::queue::order::Order;
use crate::queue::state::{Get, Put, Shutdown, State};
use crate::queue::OrderedQueue;
use crate::wait_list::{Polled, Waiter};
use weft_core::WakeBatch;

/// The future of `put`.
pub(crate) struct PutWait<'a, T, O: Order<T>> {
    queue: &'a OrderedQueue<T, O>,
    item: Option<T>,
    waiter: Waiter<Put>,
}

impl<'a, T, O: Order<T>> PutWait<'a, T, O> {
    pub(crate) fn new(queue: &'a OrderedQueue<T, O>, item: T) -> Self {
        PutWait {
            queue,
            item: Some(item),
            waiter: Waiter::new(Put::Waiting),
        }
    }
}

impl<T, O: Order<T>> Future for PutWait<'_, T, O> {
    type Output = Result<(), QueueShutDown<T>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: `waiter` is structurally pinned; `item` is not pinned and is
        // only moved out by value, which pinning allows for an unpinned field.
        let this = unsafe { self.get_unchecked_mut() };
        // SAFETY: as above.
        let waiter = unsafe { Pin::new_unchecked(&mut this.waiter) };
        let item = this.item.take().expect("PutWait polled after completion");
        let mut batch = WakeBatch::new();
        let mut state = this.queue.state.lock();
        if !waiter.is_queued() {
            if state.shutdown != Shutdown::Open {
                return Poll::Ready(Err(QueueShutDown(item)));
            }
            if state.can_put_now() {
                state.put(item, &mut batch);
                this.queue.release_lock(state, batch);
                return Poll::Ready(Ok(()));
            }
            // SAFETY: the waiter is used with this queue's putter list only
            // (locked), and is not queued.
            unsafe { waiter.push(&mut state.putters, Put::Waiting, Some(cx.waker().clone())) };
            this.item = Some(item);
            return Poll::Pending;
        }
        // SAFETY: our waiter, queued on this queue's (locked) putter list.
        let handed = match unsafe { waiter.poll(&mut state.putters, cx.waker()) } {
            Polled::Waiting(stale) => {
                this.item = Some(item);
                drop(state);
                drop(stale);
                return Poll::Pending;
            }
            Polled::Handed(handed) => std::mem::replace(handed, Put::Waiting),
        };
        match handed {
            Put::Slot if state.shutdown == Shutdown::Open => {
                state.reserved -= 1;
                state.put(item, &mut batch);
                this.queue.release_lock(state, batch);
                Poll::Ready(Ok(()))
            }
            Put::Slot => {
                state.reserved -= 1;
                Poll::Ready(Err(QueueShutDown(item)))
            }
            Put::ShutDown | Put::Waiting => Poll::Ready(Err(QueueShutDown(item))),
        }
    }
}

impl<T, O: Order<T>> Drop for PutWait<'_, T, O> {
    fn drop(&mut self) {
        if self.waiter.is_queued() {
            // SAFETY: a queued waiter is pinned (queued only from `poll`) and
            // alive, and `putters` is the list it is queued on.
            unsafe {
                let waiter = Pin::new_unchecked(&mut self.waiter);
                self.queue.withdraw(
                    waiter,
                    |s| &mut s.putters,
                    Put::Waiting,
                    |state, handed, batch| {
                        if let Put::Slot = handed {
                            state.return_slot(batch);
                        }
                    },
                );
            }
        }
    }
}

/// The future of `get`.
pub(crate) struct GetWait<'a, T, O: Order<T>> {
    queue: &'a OrderedQueue<T, O>,
    waiter: Waiter<Get<T>>,
}

impl<'a, T, O: Order<T>> GetWait<'a, T, O> {
    pub(crate) fn new(queue: &'a OrderedQueue<T, O>) -> Self {
        GetWait {
            queue,
            waiter: Waiter::new(Get::Waiting),
        }
    }
}

impl<T, O: Order<T>> Future for GetWait<'_, T, O> {
    type Output = Result<T, QueueShutDown>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: `waiter` is structurally pinned; nothing is moved out.
        let this = unsafe { self.get_unchecked_mut() };
        // SAFETY: as above.
        let waiter = unsafe { Pin::new_unchecked(&mut this.waiter) };
        let mut batch = WakeBatch::new();
        let mut state = this.queue.state.lock();
        if !waiter.is_queued() {
            if let Some(item) = state.take(&mut batch) {
                this.queue.release_lock(state, batch);
                return Poll::Ready(Ok(item));
            }
            if state.shutdown != Shutdown::Open {
                return Poll::Ready(Err(QueueShutDown(())));
            }
            // SAFETY: the waiter is used with this queue's getter list only
            // (locked), and is not queued.
            unsafe { waiter.push(&mut state.getters, Get::Waiting, Some(cx.waker().clone())) };
            return Poll::Pending;
        }
        // SAFETY: our waiter, queued on this queue's (locked) getter list.
        let handed = match unsafe { waiter.poll(&mut state.getters, cx.waker()) } {
            Polled::Waiting(stale) => {
                drop(state);
                drop(stale);
                return Poll::Pending;
            }
            Polled::Handed(handed) => std::mem::replace(handed, Get::Waiting),
        };
        match handed {
            Get::Item(item) => {
                state.took_handed(&mut batch);
                this.queue.release_lock(state, batch);
                Poll::Ready(Ok(item))
            }
            Get::ShutDown | Get::Waiting => Poll::Ready(Err(QueueShutDown(()))),
        }
    }
}

impl<T, O: Order<T>> Drop for GetWait<'_, T, O> {
    fn drop(&mut self) {
        if self.waiter.is_queued() {
            let give_back = |state: &mut State<T, O>, handed, batch: &mut WakeBatch| match handed {
                Get::Item(item) => state.return_handed(item, batch),
                Get::Waiting | Get::ShutDown => None,
            };
            // SAFETY: a queued waiter is pinned (queued only from `poll`) and
            // alive, and `getters` is the list it is queued on.
            let discarded = unsafe {
                let waiter = Pin::new_unchecked(&mut self.waiter);
                self.queue
                    .withdraw(waiter, |s| &mut s.getters, Get::Waiting, give_back)
            };
            // After the lock is released (`withdraw` unlocked).
            drop(discarded);
        }
    }
}
