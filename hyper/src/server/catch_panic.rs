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
//! 4. **Each call counts as in flight** in the server's counters from the call until
//!    its future is dropped — answered, caught or cancelled — so a graceful shutdown
//!    can say how many requests it cancelled.

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
    report: PanicReport,
    counters: Arc<Counters>,
}

impl<S> CatchPanic<S> {
    pub(crate) fn new(inner: S, report: PanicReport, counters: Arc<Counters>) -> CatchPanic<S> {
        CatchPanic {
            inner,
            report,
            counters,
        }
    }
}

/// Counts one call in flight while it exists (rule 4).
struct InFlight(Arc<Counters>);

impl InFlight {
    fn new(counters: &Arc<Counters>) -> InFlight {
        counters.in_flight.fetch_add(1, SeqCst);
        InFlight(counters.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, SeqCst);
    }
}

/// The body of a response: the service's, or the empty body of a 500.
type CaughtBody<B> = Either<B, Empty<<B as Body>::Data>>;

impl<S: HttpService> Service<Request<Incoming>> for CatchPanic<S> {
    type Response = Response<CaughtBody<S::ResBody>>;
    type Error = S::Error;
    type Future = Caught<S::Future>;

    fn call(&self, request: Request<Incoming>) -> Self::Future {
        let in_flight = InFlight::new(&self.counters);
        // The call itself may panic too (rule 1).
        match catch_unwind(AssertUnwindSafe(|| self.inner.call(request))) {
            Ok(future) => Caught {
                inner: Some(future),
                report: Some(self.report.clone()),
                _in_flight: in_flight,
            },
            Err(payload) => {
                (self.report)(payload);
                Caught {
                    inner: None,
                    report: None,
                    _in_flight: in_flight,
                }
            }
        }
    }
}

pin_project_lite::pin_project! {
    /// A service call's future whose panic becomes a 500 (rules 1-3).
    pub(crate) struct Caught<F> {
        // `None`: the call panicked before giving a future; answer 500 at once.
        #[pin]
        inner: Option<F>,
        // Taken when the panic is reported (rule 3).
        report: Option<PanicReport>,
        _in_flight: InFlight,
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
        let Some(inner) = this.inner.as_pin_mut() else {
            return Poll::Ready(Ok(internal_error()));
        };
        if this.report.is_none() {
            // Rule 3: it panicked at an earlier poll.
            return Poll::Ready(Ok(internal_error()));
        }
        match catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(Ok(response))) => Poll::Ready(Ok(response.map(Either::Left))),
            Ok(Poll::Ready(Err(err))) => Poll::Ready(Err(err)),
            Err(payload) => {
                if let Some(report) = this.report.take() {
                    report(payload);
                }
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
