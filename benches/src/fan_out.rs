//! `fan_out`: spawn N tasks and wait until every one has finished.
//!
//! The tasks are detached, as in tokio's `rt_multi_threaded` benches; the last one to
//! finish signals the waiter through a `weft-sync` [`Event`], which knows no executor,
//! so the signal costs every contender the same and the scheduler is what differs.

use crate::contender::Spawner;
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering::AcqRel};
use std::sync::Arc;
use weft_sync::Event;

/// Spawns `count` tasks, `task(i)` for `i` in `0..count`, with `spawner`, and completes
/// once all of them have finished.
///
/// # Cancel safety
///
/// Dropping it stops the spawning; the tasks already spawned run on.
pub async fn fan_out<S, F>(spawner: &S, count: usize, mut task: impl FnMut(usize) -> F)
where
    S: Spawner,
    F: Future<Output = ()> + Send + 'static,
{
    if count == 0 {
        return;
    }
    let countdown = Arc::new(Countdown {
        remaining: AtomicUsize::new(count),
        done: Event::new(),
    });
    for i in 0..count {
        let countdown = countdown.clone();
        let task = task(i);
        spawner.spawn_detached(async move {
            task.await;
            countdown.count_down();
        });
    }
    countdown.done.wait().await;
}

/// Counts finished tasks down; the last one sets `done`.
struct Countdown {
    remaining: AtomicUsize,
    done: Event,
}

impl Countdown {
    fn count_down(&self) {
        if self.remaining.fetch_sub(1, AcqRel) == 1 {
            self.done.set();
        }
    }
}
