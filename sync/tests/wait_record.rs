//! weft-sync's wait records outside a weft runtime: under another executor, or polled
//! by hand, the record hook is unset and recording does nothing.

use std::future::Future;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use weft_sync::{Event, Lock, Queue, Semaphore};

#[test]
fn primitives_work_under_tokio_with_no_weft_runtime() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    rt.block_on(async {
        let event = Arc::new(Event::new());
        let queue = Arc::new(Queue::new(1));
        let (e, q) = (event.clone(), queue.clone());
        let waiter = tokio::spawn(async move {
            e.wait().await;
            q.get().await.unwrap()
        });
        tokio::task::yield_now().await;
        event.set();
        queue.put(5).await.unwrap();
        assert_eq!(waiter.await.unwrap(), 5);
        let lock = Lock::new(1);
        *lock.lock().await += 1;
        assert_eq!(*lock.lock().await, 2);
    });
}

#[test]
fn a_pending_wait_polled_by_hand_records_nothing_and_completes_later() {
    let sem = Semaphore::new(0);
    let mut acquire = std::pin::pin!(sem.acquire());
    let mut cx = Context::from_waker(Waker::noop());
    assert!(acquire.as_mut().poll(&mut cx).is_pending());
    sem.add_permits(1);
    assert!(matches!(acquire.as_mut().poll(&mut cx), Poll::Ready(Ok(_))));
}
