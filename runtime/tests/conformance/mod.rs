//! What the asyncio conformance files (`asyncio_*.rs`, CPython's
//! `Lib/test/test_asyncio/` ported case by case) share: the log the tasks of a case
//! append to, as the CPython cases append to a `result` list.
//!
//! Each file says `mod conformance;`; not every file uses every item.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

/// A list the tasks of one case append to, shared by cloning (CPython's `result`).
pub(crate) struct Log<T>(Arc<Mutex<Vec<T>>>);

impl<T> Log<T> {
    pub(crate) fn new() -> Log<T> {
        Log(Arc::new(Mutex::new(Vec::new())))
    }

    pub(crate) fn push(&self, item: T) {
        self.0.lock().unwrap().push(item);
    }

    pub(crate) fn len(&self) -> usize {
        self.0.lock().unwrap().len()
    }
}

impl<T: Clone> Log<T> {
    /// What was appended so far, in order.
    pub(crate) fn get(&self) -> Vec<T> {
        self.0.lock().unwrap().clone()
    }
}

impl<T> Clone for Log<T> {
    fn clone(&self) -> Log<T> {
        Log(self.0.clone())
    }
}

/// Awaits every task, in order (asyncio's `gather(*tasks)` over tasks that already
/// exist: `weft::gather_all` would spawn a task around each).
pub(crate) async fn await_all<T>(
    tasks: impl IntoIterator<Item = weft::Task<T>>,
) -> Vec<Result<T, weft::TaskError>> {
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await);
    }
    results
}

/// Runs `case` as a task and waits for it. CPython runs each test in a task, in the
/// loop's one queue with the tasks it starts; the future given to `block_on` is
/// polled before any task instead, so a case whose steps must interleave one by one
/// with its tasks runs in one.
pub(crate) async fn in_a_task(case: impl std::future::Future<Output = ()> + Send + 'static) {
    if let Err(err) = weft::spawn(case).await {
        match err.try_into_panic() {
            Ok(payload) => std::panic::resume_unwind(payload),
            Err(err) => panic!("the case's task ended: {err}"),
        }
    }
}
