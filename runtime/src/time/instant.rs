//! `Instant`: a point on the runtime's clock.

use std::fmt;
use std::ops::{Add, AddAssign, Sub, SubAssign};
use std::time::Duration;

/// A point in time on the current runtime's clock (asyncio's `loop.time()`).
///
/// Under a paused clock ([`Builder::start_paused`](crate::Builder::start_paused)),
/// [`Instant::now`] reads the paused clock, so code that measures time sees the time
/// its sleeps pretend to take. Elsewhere it is [`std::time::Instant`].
///
/// Arithmetic never panics: adding a duration too large to represent gives an instant
/// about 30 years from now, which weft treats as "never"; subtracting a later instant
/// gives zero.
///
/// ```
/// use std::time::Duration;
/// use weft::time::Instant;
///
/// let start = Instant::now();
/// let later = start + Duration::from_millis(5);
/// assert_eq!(later - start, Duration::from_millis(5));
/// assert_eq!(start - later, Duration::ZERO);
/// assert!(start + Duration::MAX > later);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(std::time::Instant);

/// How far "never" is: far enough that no test or program waits for it.
const FAR_FUTURE: Duration = Duration::from_secs(86_400 * 365 * 30);

impl Instant {
    /// The current time on the current runtime's clock, or the system's monotonic
    /// clock outside a runtime.
    pub fn now() -> Instant {
        let paused = super::context::with_current(|timers| {
            timers.and_then(|timers| {
                let clock = timers.clock();
                clock.is_paused().then(|| clock.now())
            })
        });
        Instant(paused.unwrap_or_else(std::time::Instant::now))
    }

    /// Wraps a standard-library instant.
    pub fn from_std(instant: std::time::Instant) -> Instant {
        Instant(instant)
    }

    /// The standard-library instant this is.
    pub fn into_std(self) -> std::time::Instant {
        self.0
    }

    /// Time from `earlier` to `self`; zero if `earlier` is later.
    pub fn duration_since(&self, earlier: Instant) -> Duration {
        self.0.saturating_duration_since(earlier.0)
    }

    /// Time from `earlier` to `self`, or `None` if `earlier` is later.
    pub fn checked_duration_since(&self, earlier: Instant) -> Option<Duration> {
        self.0.checked_duration_since(earlier.0)
    }

    /// Time since this instant, on the current runtime's clock.
    pub fn elapsed(&self) -> Duration {
        Instant::now().duration_since(*self)
    }

    /// `self + duration`, or `None` if that cannot be represented.
    pub fn checked_add(&self, duration: Duration) -> Option<Instant> {
        self.0.checked_add(duration).map(Instant)
    }

    /// `self - duration`, or `None` if that cannot be represented.
    pub fn checked_sub(&self, duration: Duration) -> Option<Instant> {
        self.0.checked_sub(duration).map(Instant)
    }

    /// `self + duration`, or "never" (about 30 years ahead) when it overflows.
    pub(crate) fn saturating_add(self, duration: Duration) -> Instant {
        self.checked_add(duration)
            .or_else(|| self.checked_add(FAR_FUTURE))
            .unwrap_or(self)
    }
}

impl Add<Duration> for Instant {
    type Output = Instant;

    fn add(self, rhs: Duration) -> Instant {
        self.saturating_add(rhs)
    }
}

impl AddAssign<Duration> for Instant {
    fn add_assign(&mut self, rhs: Duration) {
        *self = *self + rhs;
    }
}

impl Sub<Duration> for Instant {
    type Output = Instant;

    /// Saturates at the earliest representable instant instead of panicking.
    fn sub(self, rhs: Duration) -> Instant {
        self.checked_sub(rhs).unwrap_or_else(|| {
            // Halve until it fits: the result is the earliest instant we can reach.
            let mut step = rhs;
            let mut t = self;
            while step > Duration::ZERO {
                match t.checked_sub(step) {
                    Some(earlier) => t = earlier,
                    None => step /= 2,
                }
            }
            t
        })
    }
}

impl SubAssign<Duration> for Instant {
    fn sub_assign(&mut self, rhs: Duration) {
        *self = *self - rhs;
    }
}

impl Sub<Instant> for Instant {
    type Output = Duration;

    fn sub(self, rhs: Instant) -> Duration {
        self.duration_since(rhs)
    }
}

impl From<std::time::Instant> for Instant {
    fn from(instant: std::time::Instant) -> Instant {
        Instant(instant)
    }
}

impl From<Instant> for std::time::Instant {
    fn from(instant: Instant) -> std::time::Instant {
        instant.0
    }
}

impl fmt::Debug for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
