//! Loop-style callbacks: `call_soon`, `call_later`, `call_at` (asyncio's event-loop
//! methods), each a task that runs one function, behind a handle that can cancel it.

use super::Handle;
use crate::task::{Builder, SpawnMeta, Task};
use crate::time::{sleep_until, Instant};
use std::fmt;
use std::panic::Location;
use std::time::Duration;

/// A scheduled callback; see [`Handle::call_soon`]. Dropping the handle leaves the
/// callback scheduled (asyncio's `Handle` / `TimerHandle`).
pub struct CallHandle {
    task: Task<()>,
    when: Option<Instant>,
}

impl CallHandle {
    /// Cancels the callback if it has not run yet; `false` if it already ran (or is
    /// running).
    pub fn cancel(&self) -> bool {
        self.task.cancel()
    }

    /// `true` if it was cancelled before it ran.
    pub fn is_cancelled(&self) -> bool {
        self.task.is_cancelled()
    }

    /// `true` once it has run, or been cancelled.
    pub fn is_finished(&self) -> bool {
        self.task.is_finished()
    }

    /// When it is due (`call_later` and `call_at`; asyncio's `TimerHandle.when()`).
    pub fn when(&self) -> Option<Instant> {
        self.when
    }
}

impl fmt::Debug for CallHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallHandle")
            .field("when", &self.when)
            .field("finished", &self.is_finished())
            .finish()
    }
}

impl Handle {
    /// Runs `callback` soon, on the runtime, after the tasks already queued (asyncio's
    /// `loop.call_soon`). Callable from any thread (`call_soon_threadsafe`).
    ///
    /// ```
    /// use std::sync::mpsc;
    ///
    /// let rt = weft::Runtime::builder().current_thread().build().unwrap();
    /// let (tx, rx) = mpsc::channel();
    /// rt.handle().call_soon(move || tx.send("called").unwrap());
    /// rt.block_on(weft::yield_now());
    /// assert_eq!(rx.recv().unwrap(), "called");
    /// ```
    #[track_caller]
    pub fn call_soon(&self, callback: impl FnOnce() + Send + 'static) -> CallHandle {
        let meta = SpawnMeta::new(Location::caller(), None, false).behind();
        CallHandle {
            task: self.inner.spawn(async move { callback() }, meta),
            when: None,
        }
    }

    /// Runs `callback` after `delay` on the runtime's clock (asyncio's
    /// `loop.call_later`).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let rt = weft::Runtime::builder().current_thread().start_paused(true).build().unwrap();
    /// let late = rt.handle().call_later(Duration::from_secs(60), || unreachable!());
    /// assert!(late.cancel());
    /// rt.block_on(weft::time::sleep(Duration::from_secs(120)));
    /// assert!(late.is_cancelled());
    /// ```
    #[track_caller]
    pub fn call_later(
        &self,
        delay: Duration,
        callback: impl FnOnce() + Send + 'static,
    ) -> CallHandle {
        self.call_at(self.time() + delay, callback)
    }

    /// Runs `callback` at `when` on the runtime's clock (asyncio's `loop.call_at`).
    #[track_caller]
    pub fn call_at(&self, when: Instant, callback: impl FnOnce() + Send + 'static) -> CallHandle {
        let task = Builder::new().eager(false).spawn_on(
            async move {
                sleep_until(when).await;
                callback();
            },
            self,
        );
        CallHandle {
            task,
            when: Some(when),
        }
    }

    /// The runtime's clock now (asyncio's `loop.time()`): the paused clock under
    /// [`Builder::start_paused`](crate::Builder::start_paused).
    pub fn time(&self) -> Instant {
        Instant::from_std(self.inner.driver().timers.clock().now())
    }
}
