//! `MaybeDone`: one branch of a `join!` — its future, then its output, in one place.
//!
//! # Rules
//!
//! 1. The future is structurally pinned: it is never moved while in `Future`; it is
//!    dropped in place when its output replaces it (the assignment runs its
//!    destructor where it lies, as `Pin::set` does). That is the whole argument of
//!    the two `unsafe` blocks below.
//! 2. The output is never pinned: it is moved out by `take_output`.
//! 3. A finished future is dropped at once, not when the `join!` ends.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A future, then its output, then nothing; what `join!` and `try_join!` keep for
/// each branch. Not an API: the macros' expansions name it through `__private`.
#[derive(Debug)]
pub enum MaybeDone<F: Future> {
    /// Not finished.
    Future(F),
    /// Finished, with its output not taken yet.
    Done(F::Output),
    /// The output was taken.
    Gone,
}

impl<F: Future> MaybeDone<F> {
    /// Polls the future unless it has finished; `true` once it has (rule 3).
    #[inline]
    pub fn poll_done(self: Pin<&mut Self>, cx: &mut Context<'_>) -> bool {
        // SAFETY: rule 1: `future` is only pinned again, never moved; the assignment
        // drops it in place.
        let this = unsafe { self.get_unchecked_mut() };
        match this {
            MaybeDone::Future(future) => {
                // SAFETY: rule 1.
                match unsafe { Pin::new_unchecked(future) }.poll(cx) {
                    Poll::Ready(output) => {
                        *this = MaybeDone::Done(output);
                        true
                    }
                    Poll::Pending => false,
                }
            }
            MaybeDone::Done(_) | MaybeDone::Gone => true,
        }
    }

    /// The output, if finished and not taken yet (rule 2).
    #[inline]
    pub fn output_mut(self: Pin<&mut Self>) -> Option<&mut F::Output> {
        // SAFETY: only the unpinned output is reached (rule 2); nothing is moved.
        match unsafe { self.get_unchecked_mut() } {
            MaybeDone::Done(output) => Some(output),
            _ => None,
        }
    }

    /// Takes the output out, if finished and not taken yet (rule 2).
    #[inline]
    pub fn take_output(self: Pin<&mut Self>) -> Option<F::Output> {
        // SAFETY: only a `Done` is moved out of, and it holds no future (rule 2).
        let this = unsafe { self.get_unchecked_mut() };
        match this {
            MaybeDone::Done(_) => match std::mem::replace(this, MaybeDone::Gone) {
                MaybeDone::Done(output) => Some(output),
                _ => None,
            },
            _ => None,
        }
    }
}

#[cfg(all(test, not(weft_loom)))]
mod tests {
    use super::MaybeDone;
    use std::future::poll_fn;
    use std::pin::pin;
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
    use std::task::{Context, Poll, Waker};

    struct Counted<'a>(&'a AtomicUsize);

    impl Drop for Counted<'_> {
        fn drop(&mut self) {
            self.0.fetch_add(1, SeqCst);
        }
    }

    #[test]
    fn polls_until_done_drops_the_future_at_once_and_gives_the_output_once() {
        let drops = AtomicUsize::new(0);
        let mut polls = 0;
        let guard = Counted(&drops);
        let future = poll_fn(move |_| {
            let _ = &guard;
            polls += 1;
            if polls == 2 {
                Poll::Ready(String::from("out"))
            } else {
                Poll::Pending
            }
        });
        let mut slot = pin!(MaybeDone::Future(future));
        let mut cx = Context::from_waker(Waker::noop());
        assert!(!slot.as_mut().poll_done(&mut cx));
        assert!(slot.as_mut().output_mut().is_none());
        assert!(slot.as_mut().poll_done(&mut cx));
        assert_eq!(
            drops.load(SeqCst),
            1,
            "the finished future is dropped at once"
        );
        assert!(
            slot.as_mut().poll_done(&mut cx),
            "done stays done, unpolled"
        );
        assert_eq!(slot.as_mut().output_mut().map(|s| s.len()), Some(3));
        assert_eq!(slot.as_mut().take_output().as_deref(), Some("out"));
        assert!(slot.as_mut().take_output().is_none());
        assert!(slot.as_mut().poll_done(&mut cx));
    }

    #[test]
    fn an_unfinished_future_is_dropped_with_the_slot() {
        let drops = AtomicUsize::new(0);
        {
            let guard = Counted(&drops);
            let future = async move {
                let _guard = guard;
                std::future::pending::<()>().await;
            };
            let mut slot = pin!(MaybeDone::Future(future));
            let mut cx = Context::from_waker(Waker::noop());
            assert!(!slot.as_mut().poll_done(&mut cx));
        }
        assert_eq!(drops.load(SeqCst), 1);
    }
}
