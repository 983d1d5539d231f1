//! `join_all`: many futures of one type polled together inside the current task, no
//! spawning; their outputs in order.
//!
//! # Rules
//!
//! 1. Each future is polled with its own waker from a `ReadySet`, so a poll of
//!    `JoinAll` polls only the futures that woke since the last one, each at most once:
//!    joining n futures costs O(n) polls in all plus one per wake.
//! 2. A future is dropped as soon as it finishes; its output waits in `outputs`.
//! 3. The futures live in one boxed slice that is never moved or resized while they
//!    are in it; that is what makes projecting the pin to one element sound.

use super::ReadySet;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Polls every future concurrently inside the current task — no spawning, so they need
/// not be `Send` or `'static` — and resolves to their outputs in order (asyncio's
/// `gather(*aws)` without making tasks; futures' `join_all`).
///
/// Each future is polled with a waker of its own and re-polled only when it woke, so
/// joining 10,000 futures costs about 10,000 polls plus one per wake, not 10,000 per
/// wake. A finished future is dropped at once; its output is kept until all are done.
/// With no futures it resolves at once to an empty `Vec`.
///
/// ```
/// use std::cell::Cell;
///
/// let rt = weft::Runtime::builder().current_thread().build().unwrap();
/// rt.block_on(async {
///     let total = Cell::new(0); // borrowed by every future: not Send, not 'static
///     let outputs = weft::join_all((1..=4).map(|i| {
///         let total = &total;
///         async move {
///             weft::yield_now().await;
///             total.set(total.get() + i);
///             i * 10
///         }
///     }))
///     .await;
///     assert_eq!(outputs, [10, 20, 30, 40]);
///     assert_eq!(total.get(), 10);
/// });
/// ```
///
/// # Cancel safety
///
/// Dropping it drops every future not finished and the outputs of those that did:
/// what is lost is whatever those futures lose when dropped. It is not safe as a
/// `select!` branch in a loop unless the futures are, and even then the outputs
/// already produced are lost.
pub fn join_all<I>(futures: I) -> JoinAll<I::Item>
where
    I: IntoIterator,
    I::Item: Future,
{
    let futures: Box<[Option<I::Item>]> = futures.into_iter().map(Some).collect();
    let n = futures.len();
    JoinAll {
        futures: Box::into_pin(futures),
        outputs: (0..n).map(|_| None).collect(),
        ready: ReadySet::new(n),
        batch: Vec::new(),
        unfinished: n,
    }
}

/// The future of [`join_all`].
#[must_use = "futures do nothing unless awaited"]
pub struct JoinAll<F: Future> {
    /// `None` once finished (rule 2); pinned in place (rule 3).
    futures: Pin<Box<[Option<F>]>>,
    outputs: Vec<Option<F::Output>>,
    ready: ReadySet,
    /// The indices being polled in this poll, kept to reuse its allocation.
    batch: Vec<usize>,
    unfinished: usize,
}

// The futures are pinned behind their own `Box`; moving a `JoinAll` moves the box
// pointer, never them.
impl<F: Future> Unpin for JoinAll<F> {}

impl<F: Future> Future for JoinAll<F> {
    type Output = Vec<F::Output>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        assert!(
            this.outputs.len() == this.futures.len(),
            "`JoinAll` polled after it completed"
        );
        if this.unfinished > 0 {
            this.ready.take_batch(cx, &mut this.batch);
            for &index in &this.batch {
                // SAFETY: rule 3: the slice stays where it is while the element is in
                // it, and an element is only ever replaced through `Pin::set`.
                let mut slot = unsafe {
                    this.futures
                        .as_mut()
                        .map_unchecked_mut(|futures| &mut futures[index])
                };
                // A finished future's index may still come (ReadySet rule 4).
                let Some(future) = slot.as_mut().as_pin_mut() else {
                    continue;
                };
                let mut own = Context::from_waker(this.ready.waker(index));
                if let Poll::Ready(output) = future.poll(&mut own) {
                    slot.set(None);
                    this.outputs[index] = Some(output);
                    this.unfinished -= 1;
                }
            }
            if this.unfinished > 0 {
                return Poll::Pending;
            }
        }
        let outputs = std::mem::take(&mut this.outputs);
        Poll::Ready(
            outputs
                .into_iter()
                .map(|output| output.expect("every future finished"))
                .collect(),
        )
    }
}

impl<F: Future> fmt::Debug for JoinAll<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinAll")
            .field("futures", &self.outputs.len())
            .field("unfinished", &self.unfinished)
            .finish()
    }
}

#[cfg(all(test, not(weft_loom)))]
mod tests {
    use super::join_all;
    use std::cell::RefCell;
    use std::future::{poll_fn, Future};
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    #[test]
    fn polls_the_woken_futures_in_place_and_returns_the_outputs_in_order() {
        let wakers: RefCell<Vec<Option<Waker>>> = RefCell::new(vec![None, None, None]);
        let futures = (0..3).map(|i| {
            let wakers = &wakers;
            let mut polls = 0;
            poll_fn(move |cx| {
                polls += 1;
                if polls == 2 {
                    return Poll::Ready(i * 10);
                }
                wakers.borrow_mut()[i] = Some(cx.waker().clone());
                Poll::Pending
            })
        });
        let mut joined = pin!(join_all(futures));
        let mut cx = Context::from_waker(Waker::noop());
        assert!(joined.as_mut().poll(&mut cx).is_pending());
        for i in [2, 0, 1] {
            let waker = wakers.borrow_mut()[i].take().expect("polled once");
            waker.wake();
            let done = joined.as_mut().poll(&mut cx);
            assert_eq!(done.is_ready(), i == 1);
            if let Poll::Ready(outputs) = done {
                assert_eq!(outputs, [0, 10, 20]);
            }
        }
    }
}
