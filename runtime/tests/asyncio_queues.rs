//! CPython's `Lib/test/test_asyncio/test_queues.py`, ported case by case: `Queue`,
//! `LifoQueue` and `PriorityQueue` behave as asyncio's do. Each test is named after
//! its CPython case, in a module named after its CPython class; a case that checks
//! only something Python has (a repr, a private attribute, `Queue[int]`) is listed
//! with the reason it was not ported. The `_QueueJoinTestMixin` and
//! `_QueueShutdownTestMixin` cases run for each of the three queues, as in CPython.
//!
//! `asyncio.sleep(0)` is `weft::yield_now()`; `loop.call_later(d, f)` is a task that
//! sleeps `d` on the paused clock, then calls `f`.

mod conformance;

use conformance::Log;
use std::sync::Arc;
use std::time::Duration;
use weft::sync::{Event, LifoQueue, PriorityQueue, Queue};
use weft::time::{sleep, timeout};
use weft::{yield_now, Task};

/// CPython's `QueueBasicTests`.
mod queue_basic_tests {
    use super::*;

    // test_repr, test_str: not ported (Python repr and str).
    // test_generic_alias: not ported (`Queue[int]` is Python typing).

    #[weft::test(start_paused = true)]
    async fn test_empty() {
        let q = Queue::new(0);
        assert!(q.empty());
        q.put(1).await.unwrap();
        assert!(!q.empty());
        assert_eq!(q.get().await.unwrap(), 1);
        assert!(q.empty());
    }

    #[weft::test(start_paused = true)]
    async fn test_full() {
        let q = Queue::<u32>::new(0);
        assert!(!q.full());
        let q = Queue::new(1);
        q.put(1).await.unwrap();
        assert!(q.full());
    }

    #[weft::test(start_paused = true)]
    async fn test_order() {
        let q = Queue::new(0);
        for i in [1, 3, 2] {
            q.put(i).await.unwrap();
        }
        let mut items = Vec::new();
        for _ in 0..3 {
            items.push(q.get().await.unwrap());
        }
        assert_eq!(items, [1, 3, 2]);
    }

    #[weft::test(start_paused = true)]
    async fn test_maxsize() {
        let q = Arc::new(Queue::new(2));
        assert_eq!(q.maxsize(), 2);
        let have_been_put = Log::new();
        let t = weft::spawn({
            let (q, have_been_put) = (q.clone(), have_been_put.clone());
            async move {
                for i in 0..3 {
                    q.put(i).await.unwrap();
                    have_been_put.push(i);
                }
                true
            }
        });
        yield_now().await;
        yield_now().await;
        // The putter is blocked after putting two items.
        assert_eq!(have_been_put.get(), [0, 1]);
        assert_eq!(q.get().await.unwrap(), 0);
        // Let the putter resume and put the last item.
        yield_now().await;
        assert_eq!(have_been_put.get(), [0, 1, 2]);
        assert_eq!(q.get().await.unwrap(), 1);
        assert_eq!(q.get().await.unwrap(), 2);
        assert!(t.is_finished());
        assert!(t.await.unwrap());
    }
}

/// CPython's `QueueGetTests`.
mod queue_get_tests {
    use super::*;

    #[weft::test(start_paused = true)]
    async fn test_blocking_get() {
        let q = Queue::new(0);
        q.put_nowait(1).unwrap();
        assert_eq!(q.get().await.unwrap(), 1);
    }

    #[weft::test(start_paused = true)]
    async fn test_get_with_putters() {
        // asyncio plants a fake putter in `_putters`; here a real one waits.
        let q = Arc::new(Queue::new(1));
        q.put(1).await.unwrap();
        let putter = weft::spawn({
            let q = q.clone();
            async move { q.put(2).await.unwrap() }
        });
        yield_now().await;
        assert_eq!(q.get().await.unwrap(), 1);
        yield_now().await;
        assert!(putter.is_finished(), "the get woke the waiting putter");
        putter.await.unwrap();
    }

    #[weft::test(start_paused = true)]
    async fn test_blocking_get_wait() {
        let q = Arc::new(Queue::new(0));
        let started = Arc::new(Event::new());
        let finished = Arc::new(Event::new());
        let queue_get = weft::spawn({
            let (q, started, finished) = (q.clone(), started.clone(), finished.clone());
            async move {
                started.set();
                let res = q.get().await.unwrap();
                finished.set();
                res
            }
        });
        started.wait().await;
        assert!(!finished.is_set());
        let q2 = q.clone();
        weft::spawn(async move {
            sleep(Duration::from_millis(10)).await;
            q2.put_nowait(1).unwrap();
        });
        assert_eq!(queue_get.await.unwrap(), 1);
        assert!(finished.is_set());
    }

    #[test]
    fn test_nonblocking_get() {
        let q = Queue::new(0);
        q.put_nowait(1).unwrap();
        assert_eq!(q.get_nowait().unwrap(), 1);
    }

    #[test]
    fn test_nonblocking_get_exception() {
        let q = Queue::<u32>::new(0);
        assert!(q.get_nowait().unwrap_err().is_empty());
    }

    #[weft::test(start_paused = true)]
    async fn test_get_cancelled_race() {
        let q = Arc::new(Queue::new(0));
        let get = || {
            let q = q.clone();
            weft::spawn(async move { q.get().await.unwrap() })
        };
        let t1 = get();
        let t2 = get();
        yield_now().await;
        t1.cancel();
        yield_now().await;
        assert!(t1.is_finished());
        q.put("a").await.unwrap();
        yield_now().await;
        assert_eq!(t2.await.unwrap(), "a");
    }

    #[weft::test(start_paused = true)]
    async fn test_get_with_waiting_putters() {
        let q = Arc::new(Queue::new(1));
        for item in ["a", "b"] {
            let q = q.clone();
            weft::spawn(async move { q.put(item).await.unwrap() });
        }
        assert_eq!(q.get().await.unwrap(), "a");
        assert_eq!(q.get().await.unwrap(), "b");
    }

    #[weft::test(start_paused = true)]
    async fn test_why_are_getters_waiting() {
        let q = Arc::new(Queue::new(1));
        let items = 5;
        weft::task_group(|tg| {
            let q = q.clone();
            async move {
                let producer = q.clone();
                tg.spawn(async move {
                    for i in 0..items {
                        producer.put(i).await.unwrap();
                    }
                });
                tg.spawn(async move {
                    for _ in 0..items {
                        q.get().await.unwrap();
                    }
                });
            }
        })
        .await
        .unwrap();
    }

    #[weft::test(start_paused = true)]
    async fn test_cancelled_getters_not_being_held_in_self_getters() {
        let queue = Queue::<u32>::new(5);
        assert!(timeout(Duration::from_millis(100), queue.get())
            .await
            .is_err());
        // No getter is left behind: the next item is there for the next get.
        queue.put_nowait(1).unwrap();
        assert_eq!(queue.get_nowait().unwrap(), 1);
    }
}

/// CPython's `QueuePutTests`.
mod queue_put_tests {
    use super::*;

    #[weft::test(start_paused = true)]
    async fn test_blocking_put() {
        let q = Queue::new(0);
        // No maxsize: it won't block.
        q.put(1).await.unwrap();
        assert_eq!(q.get().await.unwrap(), 1);
    }

    #[weft::test(start_paused = true)]
    async fn test_blocking_put_wait() {
        let q = Arc::new(Queue::new(1));
        let started = Arc::new(Event::new());
        let finished = Arc::new(Event::new());
        let q2 = q.clone();
        weft::spawn(async move {
            sleep(Duration::from_millis(10)).await;
            q2.get_nowait().unwrap();
        });
        let queue_put = weft::spawn({
            let (q, started, finished) = (q.clone(), started.clone(), finished.clone());
            async move {
                started.set();
                q.put(1).await.unwrap();
                q.put(2).await.unwrap();
                finished.set();
            }
        });
        started.wait().await;
        assert!(!finished.is_set());
        queue_put.await.unwrap();
        assert!(finished.is_set());
    }

    #[test]
    fn test_nonblocking_put() {
        let q = Queue::new(0);
        q.put_nowait(1).unwrap();
        assert_eq!(q.get_nowait().unwrap(), 1);
    }

    #[weft::test(start_paused = true)]
    async fn test_get_cancel_drop_one_pending_reader() {
        let q = Arc::new(Queue::new(0));
        let get = || {
            let q = q.clone();
            weft::spawn(async move { q.get().await.unwrap() })
        };
        let reader = get();
        yield_now().await;
        q.put_nowait(1).unwrap();
        q.put_nowait(2).unwrap();
        reader.cancel();
        let result = match reader.await {
            Ok(item) => item,
            // Cancelled: try again.
            Err(_) => get().await.unwrap(),
        };
        // 2 would mean 1 was dropped.
        assert_eq!(result, 1);
    }

    #[weft::test(start_paused = true)]
    async fn test_get_cancel_drop_many_pending_readers() {
        let q = Arc::new(Queue::new(0));
        let get = || {
            let q = q.clone();
            weft::spawn(async move { q.get().await.unwrap() })
        };
        let reader1 = get();
        let reader2 = get();
        let reader3 = get();
        yield_now().await;
        q.put_nowait(1).unwrap();
        q.put_nowait(2).unwrap();
        reader1.cancel();
        assert!(reader1.await.unwrap_err().is_cancelled());
        // Undefined which reader gets which item; neither is lost.
        let mut got = [reader2.await.unwrap(), reader3.await.unwrap()];
        got.sort();
        assert_eq!(got, [1, 2]);
    }

    #[weft::test(start_paused = true)]
    async fn test_put_cancel_drop() {
        let q = Arc::new(Queue::new(1));
        q.put_nowait(1).unwrap();
        let put = || {
            let q = q.clone();
            weft::spawn(async move { q.put(2).await.unwrap() })
        };
        // Putting a second item has to wait (qsize == 1).
        let writer = put();
        yield_now().await;
        assert_eq!(q.get_nowait().unwrap(), 1);
        writer.cancel();
        if writer.await.is_err() {
            // Cancelled: try again.
            put().await.unwrap();
        }
        assert_eq!(q.get_nowait().unwrap(), 2);
        assert_eq!(q.qsize(), 0);
    }

    #[test]
    fn test_nonblocking_put_exception() {
        let q = Queue::new(1);
        q.put_nowait(1).unwrap();
        assert!(q.put_nowait(2).unwrap_err().is_full());
    }

    // test_float_maxsize: not ported (maxsize is a usize).

    #[weft::test(start_paused = true)]
    async fn test_put_cancelled() {
        let q = Arc::new(Queue::new(0));
        let t = weft::spawn({
            let q = q.clone();
            async move {
                q.put(1).await.unwrap();
                true
            }
        });
        assert_eq!(q.get().await.unwrap(), 1);
        assert!(t.is_finished());
        assert!(t.await.unwrap());
    }

    #[weft::test(start_paused = true)]
    async fn test_put_cancelled_race() {
        let q = Arc::new(Queue::new(1));
        let put = |item| {
            let q = q.clone();
            weft::spawn(async move { q.put(item).await.unwrap() })
        };
        let put_a = put("a");
        let put_b = put("b");
        let put_c = put("X");
        yield_now().await;
        assert!(put_a.is_finished());
        assert!(!put_b.is_finished());

        put_c.cancel();
        yield_now().await;
        assert!(put_c.is_finished());
        assert_eq!(q.get_nowait().unwrap(), "a");
        yield_now().await;
        assert_eq!(q.get_nowait().unwrap(), "b");
        put_b.await.unwrap();
    }

    #[weft::test(start_paused = true)]
    async fn test_put_with_waiting_getters() {
        let q = Arc::new(Queue::new(0));
        let t = weft::spawn({
            let q = q.clone();
            async move { q.get().await.unwrap() }
        });
        yield_now().await;
        q.put("a").await.unwrap();
        assert_eq!(t.await.unwrap(), "a");
    }

    #[weft::test(start_paused = true)]
    async fn test_why_are_putters_waiting() {
        let queue = Arc::new(Queue::new(2));
        weft::task_group(|tg| {
            let queue = queue.clone();
            async move {
                let getter = queue.clone();
                tg.spawn(async move {
                    yield_now().await;
                    for _ in 0..getter.qsize() {
                        getter.get_nowait().unwrap();
                    }
                });
                for item in 0..4 {
                    let queue = queue.clone();
                    tg.spawn(async move { queue.put(item).await.unwrap() });
                }
            }
        })
        .await
        .unwrap();
    }

    #[weft::test(start_paused = true)]
    async fn test_cancelled_puts_not_being_held_in_self_putters() {
        let queue = Arc::new(Queue::new(1));
        queue.put_nowait(1).unwrap();
        let put_task = weft::spawn({
            let queue = queue.clone();
            async move { queue.put(1).await.unwrap() }
        });
        yield_now().await;
        put_task.cancel();
        assert!(put_task.await.unwrap_err().is_cancelled());
        // The cancelled putter is gone: making room lets nobody in.
        queue.get_nowait().unwrap();
        yield_now().await;
        assert_eq!(queue.qsize(), 0);
    }

    #[weft::test(start_paused = true)]
    async fn test_cancelled_put_silence_value_error_exception() {
        let queue = Arc::new(Queue::new(1));
        queue.put_nowait(1).unwrap();
        let put_task = weft::spawn({
            let queue = queue.clone();
            async move { queue.put(2).await.unwrap() }
        });
        yield_now().await;
        // The get makes room and hands it to the putter; cancelling it before it runs
        // ends it cancelled, with nothing else going wrong.
        queue.get_nowait().unwrap();
        put_task.cancel();
        assert!(put_task.await.unwrap_err().is_cancelled());
    }
}

/// CPython's `LifoQueueTests`.
mod lifo_queue_tests {
    use super::*;

    #[weft::test(start_paused = true)]
    async fn test_order() {
        let q = LifoQueue::new(0);
        for i in [1, 3, 2] {
            q.put(i).await.unwrap();
        }
        let mut items = Vec::new();
        for _ in 0..3 {
            items.push(q.get().await.unwrap());
        }
        assert_eq!(items, [2, 3, 1]);
    }
}

/// CPython's `PriorityQueueTests`.
mod priority_queue_tests {
    use super::*;

    #[weft::test(start_paused = true)]
    async fn test_order() {
        let q = PriorityQueue::new(0);
        for i in [1, 3, 2] {
            q.put(i).await.unwrap();
        }
        let mut items = Vec::new();
        for _ in 0..3 {
            items.push(q.get().await.unwrap());
        }
        assert_eq!(items, [1, 2, 3]);
    }
}

/// The `_QueueJoinTestMixin` and `_QueueShutdownTestMixin` cases, written once over
/// the queue type and instantiated per queue (CPython's `QueueJoinTests`,
/// `LifoQueueJoinTests`, ... `PriorityQueueShutdownTests`).
macro_rules! mixin_tests {
    ($join:ident, $shutdown:ident, $queue:ident) => {
        /// CPython's `_QueueJoinTestMixin` for this queue.
        mod $join {
            use super::*;

            #[test]
            fn test_task_done_underflow() {
                let q = $queue::<u32>::new(0);
                assert!(q.task_done().is_err());
            }

            #[weft::test(start_paused = true)]
            async fn test_task_done() {
                let q = Arc::new($queue::new(0));
                for i in 0..100u32 {
                    q.put_nowait(i).unwrap();
                }
                let accumulator = Log::new();
                // Two workers get items and call task_done after each; join waits
                // until all 100 have been processed.
                let workers: Vec<Task<()>> = (0..2)
                    .map(|_| {
                        let (q, accumulator) = (q.clone(), accumulator.clone());
                        weft::spawn(async move {
                            while let Ok(item) = q.get().await {
                                accumulator.push(item);
                                q.task_done().unwrap();
                            }
                        })
                    })
                    .collect();
                q.join().await;
                assert_eq!(accumulator.get().iter().sum::<u32>(), (0..100).sum());
                q.shutdown(false);
                for worker in workers {
                    worker.await.unwrap();
                }
            }

            #[weft::test(start_paused = true)]
            async fn test_join_empty_queue() {
                // Joins at once, and again.
                let q = $queue::<u32>::new(0);
                q.join().await;
                q.join().await;
            }

            // test_format: not ported (a private formatting helper).
        }

        /// CPython's `_QueueShutdownTestMixin` for this queue.
        mod $shutdown {
            use super::*;

            // test_format: not ported (a private formatting helper).

            /// put, put_nowait, get and get_nowait all fail with ShutDown.
            async fn assert_shut_down(q: &$queue<&'static str>) {
                assert!(q.put("data").await.is_err());
                assert!(q.put_nowait("data").unwrap_err().is_shut_down());
                assert!(q.get().await.is_err());
                assert!(q.get_nowait().unwrap_err().is_shut_down());
            }

            #[weft::test(start_paused = true)]
            async fn test_shutdown_empty() {
                let q = Arc::new($queue::<&'static str>::new(0));
                let get_task = weft::spawn({
                    let q = q.clone();
                    async move { q.get().await }
                });
                yield_now().await; // the get is pending before the shutdown
                q.shutdown(false);
                assert_eq!(q.qsize(), 0);
                q.join().await;
                yield_now().await;
                assert!(get_task.is_finished());
                assert!(get_task.await.unwrap().is_err());
                assert_shut_down(&q).await;
            }

            #[weft::test(start_paused = true)]
            async fn test_shutdown_nonempty() {
                let q = Arc::new($queue::new(1));
                q.put_nowait("data").unwrap();
                let join_task = weft::spawn({
                    let q = q.clone();
                    async move { q.join().await }
                });
                let put_task = weft::spawn({
                    let q = q.clone();
                    async move { q.put("data2").await }
                });
                yield_now().await;
                assert!(!put_task.is_finished());

                q.shutdown(false); // unfinished tasks: 1 -> 1
                assert_eq!(q.qsize(), 1);
                yield_now().await;
                assert!(put_task.is_finished());
                assert!(put_task.await.unwrap().is_err());

                // The item already queued can still be got.
                assert_eq!(q.get().await.unwrap(), "data");
                yield_now().await;
                assert!(!join_task.is_finished());
                assert_shut_down(&q).await;

                q.task_done().unwrap();
                yield_now().await;
                assert!(join_task.is_finished());
                join_task.await.unwrap();
                assert!(q.task_done().is_err());
            }

            #[weft::test(start_paused = true)]
            async fn test_shutdown_immediate() {
                let q = Arc::new($queue::new(0));
                q.put_nowait("data").unwrap();
                let join_task = weft::spawn({
                    let q = q.clone();
                    async move { q.join().await }
                });
                q.shutdown(true); // unfinished tasks: 1 -> 0
                assert_eq!(q.qsize(), 0);
                yield_now().await;
                assert!(join_task.is_finished());
                join_task.await.unwrap();
                assert_shut_down(&q).await;
                assert!(q.task_done().is_err());
            }

            #[weft::test(start_paused = true)]
            async fn test_shutdown_immediate_with_unfinished() {
                let q = Arc::new($queue::new(0));
                q.put_nowait("data").unwrap();
                q.put_nowait("data").unwrap();
                let join_task = weft::spawn({
                    let q = q.clone();
                    async move { q.join().await }
                });
                assert_eq!(q.get().await.unwrap(), "data");
                q.shutdown(true); // unfinished tasks: 2 -> 1
                assert_eq!(q.qsize(), 0);
                yield_now().await;
                assert!(!join_task.is_finished());
                assert_shut_down(&q).await;

                q.task_done().unwrap();
                assert!(q.task_done().is_err());
                yield_now().await;
                assert!(join_task.is_finished());
                join_task.await.unwrap();
            }
        }
    };
}

mixin_tests!(queue_join_tests, queue_shutdown_tests, Queue);
mixin_tests!(lifo_queue_join_tests, lifo_queue_shutdown_tests, LifoQueue);
mixin_tests!(
    priority_queue_join_tests,
    priority_queue_shutdown_tests,
    PriorityQueue
);
