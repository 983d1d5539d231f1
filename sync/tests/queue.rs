//! `Queue`, `LifoQueue`, `PriorityQueue`: order, fairness, drop-safety of
//! `get` and `put`, `task_done`/`join`, and asyncio 3.13's `shutdown`.

mod probe;

use std::sync::Arc;

use probe::{parked, parked_n, task, Probe, MIRI};
use weft_sync::{LifoQueue, PriorityQueue, Queue, QueueShutDown, TryGetError, TryPutError};

#[test]
fn each_queue_hands_items_out_in_its_order() {
    let fifo = Queue::new(0);
    let lifo = LifoQueue::new(0);
    let prio = PriorityQueue::new(0);
    for i in [2, 3, 1] {
        fifo.put_nowait(i).unwrap();
        lifo.put_nowait(i).unwrap();
        prio.put_nowait(i).unwrap();
    }
    let drain = |get: &dyn Fn() -> Result<i32, TryGetError>| -> Vec<i32> {
        std::iter::from_fn(|| get().ok()).collect()
    };
    assert_eq!(drain(&|| fifo.get_nowait()), [2, 3, 1]);
    assert_eq!(drain(&|| lifo.get_nowait()), [1, 3, 2]);
    assert_eq!(drain(&|| prio.get_nowait()), [1, 2, 3]);
}

#[test]
fn put_nowait_on_a_full_queue_hands_the_item_back() {
    let q = Queue::new(1);
    q.put_nowait("a").unwrap();
    assert!(q.full());
    assert_eq!(q.put_nowait("b"), Err(TryPutError::Full("b")));
    assert_eq!(q.qsize(), 1);
}

#[test]
fn getters_are_served_strictly_in_arrival_order() {
    let q = Queue::new(0);
    let (mut getters, probes) = parked_n(3, |_| task(q.get()));
    for i in 0..3 {
        q.put_nowait(i).unwrap();
    }
    assert_eq!(
        q.get_nowait(),
        Err(TryGetError::Empty),
        "a newcomer may not barge"
    );
    for i in (0..3).rev() {
        assert_eq!(probes[i].ready(getters[i].as_mut()), Ok(i));
    }
}

#[test]
fn putters_are_served_in_arrival_order_when_slots_free_up() {
    let q = Queue::new(1);
    q.put_nowait(0).unwrap();
    let probes: Vec<Probe> = (0..2).map(|_| Probe::new()).collect();
    let mut putters: Vec<_> = (1..3).map(|i| task(q.put(i))).collect();
    for (w, p) in putters.iter_mut().zip(&probes) {
        p.pending(w.as_mut());
    }
    assert_eq!(q.get_nowait(), Ok(0));
    assert_eq!((probes[0].wakes(), probes[1].wakes()), (1, 0));
    assert_eq!(
        q.put_nowait(9),
        Err(TryPutError::Full(9)),
        "the slot is assigned"
    );
    probes[0].ready(putters[0].as_mut()).unwrap();
    assert_eq!(q.get_nowait(), Ok(1));
    probes[1].ready(putters[1].as_mut()).unwrap();
    assert_eq!(q.get_nowait(), Ok(2));
}

#[test]
fn get_cancelled_with_an_item_pending_loses_nothing() {
    let q = Queue::new(0);
    let (getter, p) = parked(q.get());
    q.put_nowait("item").unwrap();
    assert_eq!(p.wakes(), 1);
    drop(getter); // handed the item, never ran
    assert_eq!(q.qsize(), 1);
    assert_eq!(q.get_nowait(), Ok("item"));
}

#[test]
fn get_cancelled_with_an_item_pending_hands_it_to_the_next_getter() {
    let q = Queue::new(0);
    let (first, _p1) = parked(q.get());
    let (mut second, p2) = parked(q.get());
    q.put_nowait(7).unwrap();
    drop(first);
    assert_eq!(p2.wakes(), 1);
    assert_eq!(p2.ready(second.as_mut()), Ok(7));
}

#[test]
fn restored_item_keeps_its_place_at_the_front() {
    let q = Queue::new(0);
    let (getter, _p) = parked(q.get());
    q.put_nowait(1).unwrap();
    q.put_nowait(2).unwrap();
    drop(getter);
    assert_eq!(q.get_nowait(), Ok(1));
    assert_eq!(q.get_nowait(), Ok(2));
}

#[test]
fn a_handed_item_still_counts_against_the_bound() {
    let q = Queue::new(1);
    let (getter, _p) = parked(q.get());
    q.put_nowait(1).unwrap();
    assert!(q.full());
    assert_eq!(q.put_nowait(2), Err(TryPutError::Full(2)));
    drop(getter);
    assert_eq!(q.qsize(), 1);
}

#[test]
fn put_cancelled_after_its_slot_opened_puts_nothing_and_passes_the_slot_on() {
    let q = Queue::new(1);
    q.put_nowait(0).unwrap();
    let (first, p1) = parked(q.put(1));
    let (mut second, p2) = parked(q.put(2));
    assert_eq!(q.get_nowait(), Ok(0));
    assert_eq!(p1.wakes(), 1);
    drop(first); // given the slot, never ran
    assert_eq!(p2.wakes(), 1);
    assert_eq!(q.qsize(), 0);
    p2.ready(second.as_mut()).unwrap();
    assert_eq!(q.get_nowait(), Ok(2));
    assert_eq!(q.get_nowait(), Err(TryGetError::Empty));
}

#[test]
fn put_cancelled_after_its_slot_opened_leaves_the_slot_free() {
    let q = Queue::new(1);
    q.put_nowait(0).unwrap();
    let (putter, _p) = parked(q.put(1));
    q.get_nowait().unwrap();
    drop(putter);
    assert!(!q.full());
    q.put_nowait(3).unwrap();
    assert_eq!(q.get_nowait(), Ok(3));
}

#[test]
fn task_done_once_too_often_is_an_error() {
    let q = Queue::new(0);
    q.put_nowait(()).unwrap();
    q.get_nowait().unwrap();
    assert!(q.task_done().is_ok());
    let err = q.task_done().unwrap_err();
    assert!(err.to_string().contains("task_done"));
}

#[test]
fn join_returns_only_after_every_task_done() {
    let q = Queue::new(0);
    q.put_nowait(1).unwrap();
    q.put_nowait(2).unwrap();
    let (mut join, p) = parked(q.join());
    q.get_nowait().unwrap();
    q.get_nowait().unwrap();
    q.task_done().unwrap();
    p.pending(join.as_mut());
    assert_eq!(p.wakes(), 0);
    q.task_done().unwrap();
    assert_eq!(p.wakes(), 1);
    p.ready(join.as_mut());
}

#[test]
fn shutdown_false_fails_puts_and_lets_gets_drain() {
    let q = Queue::new(0);
    q.put_nowait(1).unwrap();
    q.put_nowait(2).unwrap();
    q.shutdown(false);
    assert_eq!(q.put_nowait(3), Err(TryPutError::ShutDown(3)));
    let p = Probe::new();
    assert_eq!(p.ready(task(q.get()).as_mut()), Ok(1));
    assert_eq!(q.get_nowait(), Ok(2));
    assert_eq!(p.ready(task(q.get()).as_mut()), Err(QueueShutDown(())));
    assert_eq!(q.get_nowait(), Err(TryGetError::ShutDown));
}

#[test]
fn shutdown_true_discards_items_and_releases_join() {
    let q = Queue::new(0);
    q.put_nowait(1).unwrap();
    q.put_nowait(2).unwrap();
    let (mut join, p) = parked(q.join());
    q.shutdown(true);
    assert_eq!(q.qsize(), 0);
    assert_eq!(q.get_nowait(), Err(TryGetError::ShutDown));
    assert_eq!(p.wakes(), 1);
    p.ready(join.as_mut());
}

#[test]
fn shutdown_wakes_waiting_getters_and_putters_to_fail() {
    let full = Queue::new(1);
    full.put_nowait(0).unwrap();
    let empty = Queue::<i32>::new(0);
    let (mut putter, pp) = parked(full.put(1));
    let (mut getter, pg) = parked(empty.get());
    full.shutdown(false);
    empty.shutdown(false);
    assert_eq!(pp.ready(putter.as_mut()), Err(QueueShutDown(1)));
    assert_eq!(pg.ready(getter.as_mut()), Err(QueueShutDown(())));
    assert_eq!(
        full.get_nowait(),
        Ok(0),
        "shutdown(false) keeps what is queued"
    );
}

#[test]
fn putter_given_a_slot_before_shutdown_fails_when_it_runs() {
    let q = Queue::new(1);
    q.put_nowait(0).unwrap();
    let (mut putter, p) = parked(q.put(1));
    q.get_nowait().unwrap();
    q.shutdown(false);
    assert_eq!(p.ready(putter.as_mut()), Err(QueueShutDown(1)));
    assert!(q.empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_item_arrives_exactly_once_under_tokio_multi_thread() {
    let per_producer = if MIRI { 10 } else { 500 };
    let q = Arc::new(Queue::new(8));
    let producers: Vec<_> = (0..4)
        .map(|p| {
            let q = q.clone();
            tokio::spawn(async move {
                for i in 0..per_producer {
                    q.put(p * per_producer + i).await.unwrap();
                }
            })
        })
        .collect();
    let consumers: Vec<_> = (0..4)
        .map(|_| {
            let q = q.clone();
            tokio::spawn(async move {
                let mut got = Vec::new();
                while let Ok(item) = q.get().await {
                    got.push(item);
                    q.task_done().unwrap();
                }
                got
            })
        })
        .collect();
    for p in producers {
        p.await.unwrap();
    }
    q.join().await;
    q.shutdown(false);
    let mut all: Vec<_> = Vec::new();
    for c in consumers {
        all.extend(c.await.unwrap());
    }
    all.sort_unstable();
    assert_eq!(all, (0..4 * per_producer).collect::<Vec<_>>());
}

#[tokio::test(start_paused = true)]
async fn gets_under_random_timeouts_lose_no_item() {
    let n = if MIRI { 20 } else { 400 };
    let q = Arc::new(Queue::new(0));
    let mut rng = probe::Rng::new(3);
    let getters: Vec<_> = (0..n)
        .map(|_| {
            let q = q.clone();
            let wait = std::time::Duration::from_millis(rng.below(5));
            tokio::spawn(async move { tokio::time::timeout(wait, q.get()).await.ok() })
        })
        .collect();
    for i in 0..n {
        if i % 4 == 0 {
            // Virtual time: lets some getters' timeouts fire between puts.
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
        q.put(i).await.unwrap();
    }
    let mut got: Vec<_> = Vec::new();
    for g in getters {
        got.extend(g.await.unwrap().map(Result::unwrap));
    }
    got.extend(std::iter::from_fn(|| q.get_nowait().ok()));
    got.sort_unstable();
    assert_eq!(got, (0..n).collect::<Vec<_>>());
}
