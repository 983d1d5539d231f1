//! A one-shot value (asyncio's `Future`): one [`Sender`] sets it, one
//! [`Receiver`] awaits it.
//!
//! # Rules
//!
//! 1. All state is under one mutex; the value is dropped and the waker woken
//!    only after it is released.
//! 2. The value is delivered at most once: `send` stores it only while the
//!    receiver is alive; a receiver dropped with the value stored drops it.
//! 3. Dropping the sender without sending closes the channel: the receiver
//!    wakes and gets [`RecvError`].
//!
//! ```text
//!   empty ──send(v)──> full(v) ──receiver takes──> taken
//!     │ sender dropped                │ receiver dropped: v dropped
//!     v
//!   closed ──receiver──> Err(RecvError)
//! ```
//!
//! For an error outcome (asyncio's `set_exception`), use `T = Result<V, E>`.
//!
//! ```
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let (tx, rx) = weft_sync::oneshot::channel::<Result<u32, String>>();
//! tokio::spawn(async move { tx.send(Err("no answer".into())).unwrap() });
//! assert_eq!(rx.await.unwrap(), Err("no answer".to_string()));
//! # });
//! ```

use std::error::Error;
use std::fmt;
use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use weft_core::waiting::{self, WaitOn};

use crate::loom::{Arc, Mutex};

/// A connected pair: the sender sets the value, the receiver awaits it.
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let (tx, rx) = weft_sync::oneshot::channel();
/// tx.send(42).unwrap();
/// assert_eq!(rx.await, Ok(42));
/// # });
/// ```
pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
    let inner = Arc::new(Mutex::new(State {
        value: None,
        waker: None,
        sender_gone: false,
        receiver_gone: false,
    }));
    (
        Sender {
            inner: inner.clone(),
        },
        Receiver { inner },
    )
}

struct State<T> {
    value: Option<T>,
    waker: Option<Waker>,
    sender_gone: bool,
    receiver_gone: bool,
}

/// Sets the value of a [`channel`]; dropping it unsent closes the channel.
///
/// ```
/// let (tx, rx) = weft_sync::oneshot::channel::<()>();
/// drop(rx);
/// assert!(tx.is_closed());
/// ```
pub struct Sender<T> {
    inner: Arc<Mutex<State<T>>>,
}

/// Awaits the value of a [`channel`]: a future of `Result<T, RecvError>`.
///
/// # Cancel safety
///
/// Awaiting a `&mut Receiver` (in `select!`) and dropping that await loses
/// nothing: the value stays in the channel. Dropping the receiver itself drops a
/// value already sent, and makes a later `send` hand its value back.
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let (tx, rx) = weft_sync::oneshot::channel::<u8>();
/// drop(tx);
/// assert!(rx.await.is_err());
/// # });
/// ```
#[must_use = "a Receiver does nothing unless awaited or polled"]
pub struct Receiver<T> {
    inner: Arc<Mutex<State<T>>>,
}

/// The sender was dropped without sending: no value will come.
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let (tx, rx) = weft_sync::oneshot::channel::<u8>();
/// drop(tx);
/// let err = rx.await.unwrap_err();
/// assert_eq!(err.to_string(), "the sender was dropped without sending a value");
/// # });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecvError(());

impl fmt::Display for RecvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the sender was dropped without sending a value")
    }
}

impl Error for RecvError {}

/// Why [`Receiver::try_recv`] returned no value.
///
/// ```
/// use weft_sync::oneshot::{channel, TryRecvError};
/// let (tx, mut rx) = channel::<u8>();
/// assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
/// drop(tx);
/// assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TryRecvError {
    /// No value yet; the sender is still alive.
    Empty,
    /// The sender was dropped without sending (or the value was already taken).
    Closed,
}

impl fmt::Display for TryRecvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TryRecvError::Empty => f.write_str("no value has been sent yet"),
            TryRecvError::Closed => f.write_str("the sender is gone and no value is left"),
        }
    }
}

impl Error for TryRecvError {}

impl<T> Sender<T> {
    /// Sets the value and wakes the receiver. If the receiver is gone, hands the
    /// value back.
    ///
    /// ```
    /// let (tx, mut rx) = weft_sync::oneshot::channel();
    /// tx.send("done").unwrap();
    /// assert_eq!(rx.try_recv(), Ok("done"));
    /// ```
    pub fn send(self, value: T) -> Result<(), T> {
        let mut state = self.inner.lock();
        if state.receiver_gone {
            return Err(value);
        }
        state.value = Some(value);
        // `self` drops after the guard: `Sender::drop` then finds the value and
        // has nothing to close.
        let waker = state.waker.take();
        drop(state);
        if let Some(waker) = waker {
            waker.wake();
        }
        Ok(())
    }

    /// Whether the receiver is gone (a value sent now would come back).
    ///
    /// ```
    /// let (tx, rx) = weft_sync::oneshot::channel::<()>();
    /// assert!(!tx.is_closed());
    /// drop(rx);
    /// assert!(tx.is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        self.inner.lock().receiver_gone
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        let mut state = self.inner.lock();
        state.sender_gone = true;
        let waker = if state.value.is_none() {
            state.waker.take()
        } else {
            None
        };
        drop(state);
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl<T> Receiver<T> {
    /// Takes the value if it was sent.
    ///
    /// ```
    /// let (tx, mut rx) = weft_sync::oneshot::channel();
    /// tx.send(1).unwrap();
    /// assert_eq!(rx.try_recv(), Ok(1));
    /// ```
    pub fn try_recv(&mut self) -> Result<T, TryRecvError> {
        let mut state = self.inner.lock();
        match state.value.take() {
            Some(value) => Ok(value),
            None if state.sender_gone => Err(TryRecvError::Closed),
            None => Err(TryRecvError::Empty),
        }
    }

    /// Whether no value can come any more: the sender is gone and nothing (or
    /// nothing left) was sent.
    ///
    /// ```
    /// let (tx, rx) = weft_sync::oneshot::channel::<()>();
    /// drop(tx);
    /// assert!(rx.is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        let state = self.inner.lock();
        state.sender_gone && state.value.is_none()
    }
}

impl<T> Future for Receiver<T> {
    type Output = Result<T, RecvError>;

    /// `#[track_caller]`: the task's wait record names the line of the `.await`.
    #[track_caller]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut state = self.inner.lock();
        if let Some(value) = state.value.take() {
            return Poll::Ready(Ok(value));
        }
        if state.sender_gone {
            return Poll::Ready(Err(RecvError(())));
        }
        let stale = match &state.waker {
            Some(waker) if waker.will_wake(cx.waker()) => None,
            _ => state.waker.replace(cx.waker().clone()),
        };
        drop(state);
        drop(stale);
        waiting::record(&WaitOn("oneshot::Receiver"), Location::caller());
        Poll::Pending
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        let mut state = self.inner.lock();
        state.receiver_gone = true;
        let value = state.value.take();
        let waker = state.waker.take();
        drop(state);
        drop(value);
        drop(waker);
    }
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender")
            .field("closed", &self.is_closed())
            .finish()
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("closed", &self.is_closed())
            .finish()
    }
}
