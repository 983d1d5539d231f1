//! [`Slot`]: one signal's deliveries, from the handler that records them to the
//! listeners that wait for them.
//!
//! ```text
//!  handler (any thread, signal context)      dispatcher (a runtime's task)          listener (a task)
//!  ──────────────────────────────────      ─────────────────────────────────      ─────────────────────
//!  record(): pending = true                 dispatch(): pending true→false?        subscribe(): seen = generation
//!                                              generation += 1                     poll(): generation != seen?
//!                                              lock; take wakers; unlock; wake        lock; store waker;
//!                                                                                     reload generation; unlock
//! ```
//!
//! # Rules
//!
//! 1. **Record, then notify.** The handler only stores `pending = true` (one atomic
//!    store: async-signal-safe); what makes a dispatcher run is the caller's business
//!    (signal rule 2).
//! 2. **One bump per taken flag.** A dispatcher bumps `generation` only when it
//!    took `pending` from `true` to `false` (a compare-exchange), so two dispatchers
//!    racing over one record count it once; records that land before a take
//!    coalesce into one bump.
//! 3. **Bump, then wake under the lock; store, then reload under the lock.** A
//!    dispatcher bumps `generation` before it takes the listeners' lock to collect
//!    their wakers; a listener stores its waker under that lock, then reloads
//!    `generation` before it returns `Pending`. Whichever takes the lock second sees
//!    the other's write: the listener sees the bump, or the dispatcher sees the waker.
//!    No delivery after a subscription is lost, whether it lands before a poll,
//!    between two polls, or during one.
//! 4. **A listener sees what came after it subscribed.** A subscription starts at the
//!    generation current then; each poll that finds the generation moved is one
//!    delivery, however many bumps it covers (bursts coalesce).
//! 5. **Wakers leave the lock first.** Wakers are woken, and displaced ones dropped,
//!    after the lock is released. Waking takes a listener's waker and keeps its key,
//!    which only [`Slot::unsubscribe`] frees.

use crate::loom::sync::atomic::{
    AtomicBool, AtomicUsize, Ordering::AcqRel, Ordering::Acquire, Ordering::SeqCst,
};
use crate::loom::Mutex;
use std::task::{Context, Poll, Waker};

/// One signal's pending flag, delivery count and listeners.
#[derive(Debug)]
pub(crate) struct Slot {
    /// A delivery was recorded and no dispatcher has taken it yet (rules 1, 2).
    pending: AtomicBool,
    /// Deliveries dispatched so far, wrapping (rule 4).
    generation: AtomicUsize,
    listeners: Mutex<Listeners>,
}

/// One listener's place in a slot: its key and the generation it last saw.
#[derive(Debug)]
pub(crate) struct Subscription {
    key: usize,
    seen: usize,
}

/// The wakers of a slot's listeners, by key; a key is reused after unsubscribe.
#[derive(Debug, Default)]
struct Listeners {
    /// `None`: the listener is subscribed but stored no waker since its last wake.
    wakers: Vec<Option<Waker>>,
    free: Vec<usize>,
}

impl Slot {
    /// Nothing pending, generation 0, no listener.
    pub(crate) fn new() -> Slot {
        Slot {
            pending: AtomicBool::new(false),
            generation: AtomicUsize::new(0),
            listeners: Mutex::new(Listeners::default()),
        }
    }

    /// The handler's part (rule 1): one atomic store, safe in a signal handler.
    pub(crate) fn record(&self) {
        self.pending.store(true, SeqCst);
    }

    /// Takes a recorded delivery, if any, counts it and wakes every listener (rules 2
    /// and 3). Returns whether there was one.
    pub(crate) fn dispatch(&self) -> bool {
        // A compare-exchange, not a swap: it writes only when there is something to
        // take (a dispatch looks at every signal's slot), and loom 0.7 models a swap
        // racing a plain store wrongly (the store can vanish).
        if self
            .pending
            .compare_exchange(true, false, SeqCst, SeqCst)
            .is_err()
        {
            return false;
        }
        self.generation.fetch_add(1, AcqRel);
        self.wake_all();
        true
    }

    /// Wakes every listener that stored a waker, outside the lock (rule 5): after a
    /// bump, or when the runtime serving some of them goes away.
    pub(crate) fn wake_all(&self) {
        let wakers: Vec<Waker> = {
            let mut listeners = self.listeners.lock();
            listeners
                .wakers
                .iter_mut()
                .filter_map(Option::take)
                .collect()
        };
        for waker in wakers {
            waker.wake();
        }
    }

    /// A new listener, which sees the deliveries dispatched from now on (rule 4).
    pub(crate) fn subscribe(&self) -> Subscription {
        let key = {
            let mut listeners = self.listeners.lock();
            match listeners.free.pop() {
                Some(key) => key,
                None => {
                    listeners.wakers.push(None);
                    listeners.wakers.len() - 1
                }
            }
        };
        Subscription {
            key,
            seen: self.generation.load(Acquire),
        }
    }

    /// Ready once per poll that finds a delivery newer than the last one this listener
    /// saw; otherwise stores `cx`'s waker (rule 3).
    pub(crate) fn poll_delivery(&self, sub: &mut Subscription, cx: &mut Context<'_>) -> Poll<()> {
        if sub.take_news(self.generation.load(Acquire)) {
            return Poll::Ready(());
        }
        let displaced = {
            let mut listeners = self.listeners.lock();
            let slot = &mut listeners.wakers[sub.key];
            match slot {
                Some(current) if current.will_wake(cx.waker()) => None,
                _ => slot.replace(cx.waker().clone()),
            }
        };
        let news = sub.take_news(self.generation.load(Acquire));
        drop(displaced);
        if news {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }

    /// Removes a listener; its key may be reused (rule 5).
    pub(crate) fn unsubscribe(&self, sub: &Subscription) {
        let waker = {
            let mut listeners = self.listeners.lock();
            listeners.free.push(sub.key);
            listeners.wakers[sub.key].take()
        };
        drop(waker);
    }

    /// Deliveries dispatched so far (wrapping); for tests and models.
    #[cfg(any(test, weft_loom))]
    pub(crate) fn generation(&self) -> usize {
        self.generation.load(Acquire)
    }
}

impl Subscription {
    /// Whether `generation` is news to this listener; if so, it is seen now (rule 4).
    fn take_news(&mut self, generation: usize) -> bool {
        if generation == self.seen {
            return false;
        }
        self.seen = generation;
        true
    }
}

#[cfg(all(test, not(weft_loom)))]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
    use std::sync::Arc;
    use std::task::Wake;

    #[derive(Default)]
    struct Count(AtomicUsize);

    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, SeqCst);
        }
    }

    fn poll(slot: &Slot, sub: &mut Subscription, count: &Arc<Count>) -> Poll<()> {
        let waker = Waker::from(count.clone());
        slot.poll_delivery(sub, &mut Context::from_waker(&waker))
    }

    #[test]
    fn a_delivery_after_subscribing_is_seen_once() {
        let slot = Slot::new();
        let count = Arc::new(Count::default());
        let mut sub = slot.subscribe();
        assert!(poll(&slot, &mut sub, &count).is_pending());
        slot.record();
        assert!(slot.dispatch());
        assert_eq!(count.0.load(SeqCst), 1, "the listener was not woken");
        assert!(poll(&slot, &mut sub, &count).is_ready());
        assert!(poll(&slot, &mut sub, &count).is_pending());
    }

    #[test]
    fn a_delivery_before_subscribing_is_not_seen() {
        let slot = Slot::new();
        slot.record();
        assert!(slot.dispatch());
        let mut sub = slot.subscribe();
        assert!(poll(&slot, &mut sub, &Arc::default()).is_pending());
    }

    #[test]
    fn a_record_is_counted_once_by_racing_dispatchers() {
        let slot = Slot::new();
        slot.record();
        assert!(slot.dispatch());
        assert!(!slot.dispatch());
        assert_eq!(slot.generation(), 1);
    }

    #[test]
    fn a_burst_between_polls_is_one_delivery() {
        let slot = Slot::new();
        let mut sub = slot.subscribe();
        for _ in 0..3 {
            slot.record();
            slot.dispatch();
        }
        let count = Arc::new(Count::default());
        assert!(poll(&slot, &mut sub, &count).is_ready());
        assert!(poll(&slot, &mut sub, &count).is_pending());
    }

    #[test]
    fn every_listener_sees_the_delivery() {
        let slot = Slot::new();
        let count = Arc::new(Count::default());
        let mut subs: Vec<_> = (0..4).map(|_| slot.subscribe()).collect();
        for sub in &mut subs {
            assert!(poll(&slot, sub, &count).is_pending());
        }
        slot.record();
        slot.dispatch();
        assert_eq!(count.0.load(SeqCst), 4);
        for sub in &mut subs {
            assert!(poll(&slot, sub, &count).is_ready());
        }
    }

    #[test]
    fn unsubscribing_drops_the_waker_and_frees_the_key() {
        let slot = Slot::new();
        let count = Arc::new(Count::default());
        let mut first = slot.subscribe();
        assert!(poll(&slot, &mut first, &count).is_pending());
        assert_eq!(Arc::strong_count(&count), 2, "the slot holds the waker");
        slot.unsubscribe(&first);
        assert_eq!(Arc::strong_count(&count), 1, "the waker was not dropped");
        let second = slot.subscribe();
        assert_eq!(second.key, first.key, "the key was not reused");
        slot.record();
        slot.dispatch();
        assert_eq!(
            count.0.load(SeqCst),
            0,
            "an unsubscribed listener was woken"
        );
    }
}
