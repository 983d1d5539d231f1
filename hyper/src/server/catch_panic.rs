//! `CatchPanic`: the server's wrapper around the user's service — a service call that
//! panics answers `500 Internal Server Error` instead of taking its connection down
//! (aiohttp's answer to an exception in a handler; tower-http's `CatchPanic`).
//!
//! # Rules
//!
//! 1. **The panic is caught where it happens**, around each poll of the service's
//!    future: unwinding stops there, so the connection, its other requests (HTTP/2
//!    streams, a kept-alive HTTP/1 connection) and the server go on.
//! 2. **Counted and reported before the answer leaves**: the panic is counted in
//!    [`Stats`](super::Stats) and handed to the error hook inside the poll that caught
//!    it, before hyper writes the 500, so a client that sees the 500 can rely on the
//!    count.
//! 3. **A caught future is never polled again**: the poll that caught the panic
//!    completes the call.
//! 4. **A call dropped before it finished is counted** (`abandoned`): a graceful
//!    shutdown reads the count before and after cancelling what is left, so it can say
//!    how many requests it cut. Nothing shared is touched on a call's normal path:
//!    each call clones only its connection's `Arc`.

use super::stats::Counters;
use super::HttpService;
use http_body_util::{Either, Empty};
use hyper::body::{Body, Incoming};
use hyper::service::Service;
use hyper::{Request, Response, StatusCode};
use std::any::Any;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::atomic::Ordering::SeqCst;
use std::sync::Arc;
use std::task::{Context, Poll};

/// What to do with a caught panic's payload (rule 2).
pub(crate) type PanicReport = Arc<dyn Fn(Box<dyn Any + Send>) + Send + Sync>;

/// The user's service, with each call's panic caught (rule 1).
#[derive(Clone)]
pub(crate) struct CatchPanic<S> {
    inner: S,
    connection: Arc<ConnectionShared>,
}

/// What every call on one connection shares.
struct ConnectionShared {
    report: PanicReport,
    counters: Arc<Counters>,
}

impl<S> CatchPanic<S> {
    pub(crate) fn new(inner: S, report: PanicReport, counters: Arc<Counters>) -> CatchPanic<S> {
        CatchPanic {
            inner,
            connection: Arc::new(ConnectionShared { report, counters }),
        }
    }
}

/// One call, counted as abandoned if dropped before it finished (rule 4).
struct Call {
    connection: Arc<ConnectionShared>,
    finished: bool,
}

impl Call {
    /// The call is over (answered, failed or caught); returns the report for a
    /// panic.
    fn finish(&mut self) -> &PanicReport {
        self.finished = true;
        &self.connection.report
    }
}

impl Drop for Call {
    fn drop(&mut self) {
        if !self.finished {
            self.connection.counters.abandoned.fetch_add(1, SeqCst);
        }
    }
}

/// The body of a response: the service's, or the empty body of a 500.
type CaughtBody<B> = Either<B, Empty<<B as Body>::Data>>;

impl<S: HttpService> Service<Request<Incoming>> for CatchPanic<S> {
    type Response = Response<CaughtBody<S::ResBody>>;
    type Error = S::Error;
    type Future = Caught<S::Future>;

    fn call(&self, request: Request<Incoming>) -> Self::Future {
        let mut call = Call {
            connection: self.connection.clone(),
            finished: false,
        };
        // The call itself may panic too (rule 1).
        match catch_unwind(AssertUnwindSafe(|| self.inner.call(request))) {
            Ok(future) => Caught {
                inner: Some(future),
                call,
            },
            Err(payload) => {
                (call.finish())(payload);
                Caught { inner: None, call }
            }
        }
    }
}

pin_project_lite::pin_project! {
    /// A service call's future whose panic becomes a 500 (rules 1-4).
    pub(crate) struct Caught<F> {
        // `None`: the call panicked before giving a future; answer 500 at once.
        #[pin]
        inner: Option<F>,
        call: Call,
    }
}

impl<F, B, E> Future for Caught<F>
where
    F: Future<Output = Result<Response<B>, E>>,
    B: Body,
{
    type Output = Result<Response<CaughtBody<B>>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        if this.call.finished {
            // Rule 3: it panicked already (at the call, or at an earlier poll).
            return Poll::Ready(Ok(internal_error()));
        }
        let Some(inner) = this.inner.as_pin_mut() else {
            return Poll::Ready(Ok(internal_error()));
        };
        match catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(result)) => {
                this.call.finish();
                Poll::Ready(result.map(|response| response.map(Either::Left)))
            }
            Err(payload) => {
                (this.call.finish())(payload);
                Poll::Ready(Ok(internal_error()))
            }
        }
    }
}

/// The answer to a panicked call.
fn internal_error<B: Body>() -> Response<CaughtBody<B>> {
    let mut response = Response::new(Either::Right(Empty::new()));
    *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    response
}
