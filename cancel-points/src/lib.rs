//! Drops a future at each of its `Pending` points in turn, so a test can check that
//! nothing was lost: the harness behind weft's cancel-safety tests.
//!
//! A future is *cancel-safe* when dropping it after a `Pending` loses nothing: making
//! it again is as good as having kept it, which is what a `select!` in a loop does to
//! its losing branches. To test that claim, a test writes a *scenario*: it sets the
//! state up, runs the operation through the [`DropPoint`] it is given, drives whatever
//! else the operation waits on, and asserts the invariant (every item got once, every
//! permit back, ...). [`every_drop_point`] runs the scenario once per drop point:
//!
//! - never polled;
//! - right after its 1st `Pending`, then at the first wake that follows it;
//! - right after its 2nd `Pending`, then at the wake after it; and so on,
//!
//! until a run in which the operation finishes before its drop point comes.
//!
//! ```
//! use std::future::Future;
//! use std::pin::pin;
//! use std::task::{Context, Poll, Waker};
//! use weft_cancel_points::every_drop_point;
//!
//! // A "counter" whose operation is pending twice (waking itself) and then done.
//! let pendings = every_drop_point(|point| {
//!     let mut left = 2;
//!     let op = std::future::poll_fn(|cx| {
//!         if left == 0 {
//!             return Poll::Ready("done");
//!         }
//!         left -= 1;
//!         cx.waker().wake_by_ref();
//!         Poll::Pending
//!     });
//!     let mut run = pin!(point.run(op));
//!     let mut cx = Context::from_waker(Waker::noop());
//!     let out = loop {
//!         if let Poll::Ready(out) = run.as_mut().poll(&mut cx) {
//!             break out;
//!         }
//!     };
//!     // The invariant of this toy: dropped or done, never anything else.
//!     assert!(out.is_none() || out == Some("done"), "{point}");
//! });
//! assert_eq!(pendings, 2);
//! ```
//!
//! # Rules
//!
//! 1. A scenario runs its operation through its `DropPoint` exactly once (checked),
//!    and must be deterministic up to the drop: the drop at "the wake after Pending n"
//!    waits for the wake that came after Pending n in the run that finished, so the
//!    scenario's other parties must go on whether or not the operation was dropped.
//! 2. "At the wake" means: the operation's waker was woken after its n-th `Pending`
//!    and before it could be polled again; it is dropped instead of polled. This is
//!    the case where a primitive has already handed the operation a permit, an item or
//!    a notification, the one a cancel-safe primitive must pass on.

mod cut;

pub use cut::Cut;

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::Arc;

/// The most drop points one scenario may have before the harness gives up (an
/// operation that never finishes).
const MOST_POINTS: usize = 10_000;

/// When a run drops its operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At {
    /// Right after its `after`-th `Pending` (`after == 0`: before its first poll).
    Pending,
    /// At the first wake after its `after`-th `Pending`, instead of polling it again
    /// (rule 2).
    Wake,
}

/// Where one run of a scenario drops its operation; see [`every_drop_point`].
#[derive(Clone)]
pub struct DropPoint {
    after: usize,
    at: At,
    record: Arc<Record>,
}

/// What one run saw, shared with its [`Cut`].
#[derive(Default)]
struct Record {
    runs: AtomicUsize,
    dropped: AtomicBool,
    finished: AtomicBool,
    pendings: AtomicUsize,
}

impl DropPoint {
    /// One drop point, for a test that shows what an operation loses there (the
    /// documented loss of one that is not cancel safe).
    pub fn new(after: usize, at: At) -> DropPoint {
        DropPoint {
            after,
            at,
            record: Arc::default(),
        }
    }

    /// How many `Pending`s the operation returns before it is dropped.
    pub fn after(&self) -> usize {
        self.after
    }

    /// Whether it is dropped right after that `Pending` or at the wake after it.
    pub fn at(&self) -> At {
        self.at
    }

    /// Runs `operation` up to this point: the returned future resolves to
    /// `Some(output)` if the operation finished first, `None` once it was dropped.
    pub fn run<F: std::future::Future>(&self, operation: F) -> Cut<F> {
        let runs = self.record.runs.fetch_add(1, SeqCst);
        assert_eq!(
            runs, 0,
            "a scenario runs its operation through its DropPoint once (rule 1)"
        );
        Cut::new(operation, self.after, self.at, self.record.clone())
    }

    /// Whether this run's operation was dropped (so far).
    pub fn was_dropped(&self) -> bool {
        self.record.dropped.load(SeqCst)
    }
}

impl fmt::Display for DropPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.after, self.at) {
            (0, _) => f.write_str("dropped before its first poll"),
            (n, At::Pending) => write!(f, "dropped right after Pending #{n}"),
            (n, At::Wake) => write!(f, "dropped at the wake after Pending #{n}"),
        }
    }
}

impl fmt::Debug for DropPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Runs `scenario` once per drop point, in order — before the first poll, then right
/// after and at the wake after each `Pending` — until a run whose operation finished
/// before its point; returns how many times the operation was pending in that run.
///
/// # Panics
///
/// When a scenario does not run its operation through its point exactly once, when
/// an operation dropped at a point still finished or one that finished is reported
/// dropped (both harness bugs), and after 10,000 points.
pub fn every_drop_point(mut scenario: impl FnMut(&DropPoint)) -> usize {
    let mut points = std::iter::once((0, At::Pending))
        .chain((1..).flat_map(|n| [(n, At::Pending), (n, At::Wake)]));
    loop {
        let (after, at) = points.next().expect("endless");
        assert!(
            after <= MOST_POINTS,
            "the operation was still pending after {MOST_POINTS} polls"
        );
        let point = DropPoint::new(after, at);
        scenario(&point);
        let record = &point.record;
        assert_eq!(
            record.runs.load(SeqCst),
            1,
            "the scenario did not run its operation through its DropPoint (rule 1)"
        );
        let (dropped, finished) = (record.dropped.load(SeqCst), record.finished.load(SeqCst));
        assert!(
            dropped != finished,
            "{point}: the scenario returned before its operation was dropped or finished"
        );
        if finished {
            return record.pendings.load(SeqCst);
        }
    }
}
