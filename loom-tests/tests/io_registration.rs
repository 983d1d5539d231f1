#![cfg(weft_loom)]
//! Loom models of `weft-io`'s registrations: readiness delivery, clears, drops and
//! shutdown racing each other, on the real readiness word, waiter lists and
//! registration table (through `weft_io::model`; mio itself cannot run under loom, so
//! the models deliver events where the OS poll would have).
//!
//! Run: `RUSTFLAGS="--cfg weft_loom" LOOM_MAX_PREEMPTIONS=3 cargo test --release -p
//! weft-loom-tests --test io_registration`.

use loom::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use loom::sync::Arc;
use loom::thread;
use std::task::{Context, Poll, Wake, Waker};
use weft_io::model::{ModelWaiter, Registrations};

/// A waker that counts its wakes; its `std` `Arc` count tells whether every clone the
/// reactor stored has been woken or dropped.
#[derive(Default)]
struct CountingWaker {
    wakes: AtomicUsize,
}

impl Wake for CountingWaker {
    fn wake(self: std::sync::Arc<Self>) {
        self.wakes.fetch_add(1, SeqCst);
    }
}

fn counting_waker() -> (std::sync::Arc<CountingWaker>, Waker) {
    let counter = std::sync::Arc::new(CountingWaker::default());
    let waker = Waker::from(counter.clone());
    (counter, waker)
}

/// A socket drops its registration (releasing its waiter, retiring its token, and
/// letting a new socket take the slot) while the reactor delivers an event for it.
/// The stale event never reaches the new socket, the old waker is woken at most once
/// and then gone (no leak), and nothing deadlocks.
#[test]
fn a_registration_dropped_while_readiness_is_delivered() {
    loom::model(|| {
        let registrations = Arc::new(Registrations::new());
        let (token, registered) = registrations.register().unwrap();
        let (counter, waker) = counting_waker();
        let mut waiter = ModelWaiter::op();
        let polled = registered.poll_read_ready(&mut waiter, &mut Context::from_waker(&waker));
        assert!(polled.is_pending());
        drop(waker);

        let reactor = {
            let registrations = registrations.clone();
            thread::spawn(move || registrations.deliver(token, true, false))
        };

        registered.release(&mut waiter);
        drop(registered);
        registrations.deregister(token);
        let (new_token, fresh) = registrations.register().unwrap();
        reactor.join().unwrap();

        assert_ne!(new_token, token);
        assert!(
            !fresh.is_read_ready(),
            "a stale event reached a new registration"
        );
        assert!(counter.wakes.load(SeqCst) <= 1);
        assert_eq!(std::sync::Arc::strong_count(&counter), 1, "a waker leaked");
    });
}

/// The socket saw readiness, its read found nothing (`WouldBlock`), and it gives the
/// readiness back, while the OS receives data and the reactor delivers the new edge.
/// Fresh readiness is never lost: if the data is still unread, the socket's next poll
/// is ready or its waker was woken.
#[test]
fn a_readiness_clear_racing_a_new_event_never_loses_the_event() {
    loom::model(|| clear_racing_an_event(|r, token| r.deliver(token, true, false)));
}

/// The same race with a hang-up: a `WouldBlock` clear takes the closed bit too
/// (readiness rule 2), and the peer's close, delivered meanwhile, is still seen.
#[test]
fn a_would_block_clear_racing_a_hang_up_never_loses_the_end_of_stream() {
    loom::model(|| clear_racing_an_event(|r, token| r.deliver_hang_up(token)));
}

/// One model of the two above: an earlier edge makes the socket readable; its read
/// finds nothing and clears, while another thread makes something readable and
/// `deliver`s the event for it.
fn clear_racing_an_event(deliver: fn(&Registrations, usize)) {
    let registrations = Arc::new(Registrations::new());
    let (token, registered) = registrations.register().unwrap();
    // An earlier edge whose data another read already took.
    registrations.deliver(token, true, false);
    let data = Arc::new(AtomicBool::new(false));

    let reactor = {
        let registrations = registrations.clone();
        let data = data.clone();
        thread::spawn(move || {
            data.store(true, SeqCst);
            deliver(&registrations, token);
        })
    };

    let (counter, waker) = counting_waker();
    let mut cx = Context::from_waker(&waker);
    let mut waiter = ModelWaiter::stream();
    let Poll::Ready(Ok(observed)) = registered.poll_read_ready(&mut waiter, &mut cx) else {
        panic!("the earlier edge left the socket readable");
    };
    let got_data = data.swap(false, SeqCst);
    let again = if got_data {
        None
    } else {
        let _ = registered.clear(observed); // the read said WouldBlock
        Some(registered.poll_read_ready(&mut waiter, &mut cx))
    };
    reactor.join().unwrap();

    if data.load(SeqCst) {
        let again = again.expect("data is unread only if the read missed it");
        assert!(
            again.is_ready() || counter.wakes.load(SeqCst) == 1,
            "the new edge was lost: data is waiting and nobody will look"
        );
    }
}

/// Shutdown races a socket that is about to wait: the socket either sees the shutdown
/// at once or is woken by it, and every later poll fails.
#[test]
fn shutdown_racing_a_wait_wakes_the_waiter() {
    loom::model(|| {
        let registrations = Arc::new(Registrations::new());
        let (_token, registered) = registrations.register().unwrap();

        let shutdown = {
            let registrations = registrations.clone();
            thread::spawn(move || registrations.shutdown())
        };

        let (counter, waker) = counting_waker();
        let mut cx = Context::from_waker(&waker);
        let mut waiter = ModelWaiter::op();
        let first = registered.poll_read_ready(&mut waiter, &mut cx);
        shutdown.join().unwrap();

        match first {
            Poll::Ready(result) => assert!(result.is_err()),
            Poll::Pending => assert_eq!(
                counter.wakes.load(SeqCst),
                1,
                "the waiter slept through shutdown"
            ),
        }
        assert!(registered.is_shutdown());
        assert!(matches!(
            registered.poll_read_ready(&mut waiter, &mut cx),
            Poll::Ready(Err(_))
        ));
        assert!(registrations.register().is_err());
        registered.release(&mut waiter);
    });
}

/// Two operations wait on one socket; the reactor wakes them in batches of one (loom's
/// batch size), unlocking between batches, while the first is dropped. The second is
/// woken exactly once, and the first's waker is woken or dropped, never leaked.
#[test]
fn every_waiter_is_woken_across_batches_while_another_is_dropped() {
    loom::model(|| {
        let registrations = Arc::new(Registrations::new());
        let (token, registered) = registrations.register().unwrap();
        let (first_counter, first_waker) = counting_waker();
        let (second_counter, second_waker) = counting_waker();
        let mut first = ModelWaiter::op();
        let mut second = ModelWaiter::op();
        let pending = |waiter: &mut ModelWaiter, waker: &Waker| {
            registered
                .poll_read_ready(waiter, &mut Context::from_waker(waker))
                .is_pending()
        };
        assert!(pending(&mut first, &first_waker));
        assert!(pending(&mut second, &second_waker));
        drop((first_waker, second_waker));

        let reactor = {
            let registrations = registrations.clone();
            thread::spawn(move || registrations.deliver(token, true, false))
        };
        registered.release(&mut first);
        reactor.join().unwrap();

        assert_eq!(second_counter.wakes.load(SeqCst), 1);
        assert!(first_counter.wakes.load(SeqCst) <= 1);
        assert_eq!(
            std::sync::Arc::strong_count(&first_counter),
            1,
            "a waker leaked"
        );
        registered.release(&mut second);
    });
}
