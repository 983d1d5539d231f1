//! One signal's slot: the hand-off from a handler's record, through dispatchers, to
//! listeners (`signal/slot.rs`). The OS half — the handler itself and the self-pipe —
//! cannot run under loom; a model calls `record` where the handler would, and
//! `dispatch` where a runtime's dispatcher would after draining the pipe.

use crate::signal::{Slot, Subscription};
use std::task::{Context, Poll, Waker};

/// A signal's slot, as the process-wide table holds one.
#[derive(Debug)]
pub struct SlotModel {
    slot: Slot,
}

/// A listener, as `weft::signal::unix::Signal` holds one.
#[derive(Debug)]
pub struct ModelListener {
    subscription: Subscription,
}

impl SlotModel {
    /// Nothing pending, no listener.
    pub fn new() -> SlotModel {
        SlotModel { slot: Slot::new() }
    }

    /// What the signal handler does.
    pub fn record(&self) {
        self.slot.record();
    }

    /// What a dispatcher does after draining the pipe: whether it took a delivery.
    pub fn dispatch(&self) -> bool {
        self.slot.dispatch()
    }

    /// A new listener, as `signal(kind)` makes.
    pub fn subscribe(&self) -> ModelListener {
        ModelListener {
            subscription: self.slot.subscribe(),
        }
    }

    /// Polls a listener, as `Signal::poll_recv` does.
    pub fn poll(&self, listener: &mut ModelListener, waker: &Waker) -> Poll<()> {
        self.slot
            .poll_delivery(&mut listener.subscription, &mut Context::from_waker(waker))
    }

    /// Drops a listener, as `Signal`'s drop does.
    pub fn unsubscribe(&self, listener: ModelListener) {
        self.slot.unsubscribe(&listener.subscription);
    }

    /// Deliveries dispatched so far.
    pub fn generation(&self) -> usize {
        self.slot.generation()
    }
}
