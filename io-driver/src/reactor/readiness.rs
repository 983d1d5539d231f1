//! The readiness word of one registration: which directions the reactor has seen
//! ready, how many events it has delivered, and whether the reactor is gone.
//!
//! ```text
//!  usize::BITS - 1                 5          4              3             2          1          0
//! +----------------------------------+----------+--------------+-------------+----------+----------+
//! |              TICK                | SHUTDOWN | WRITE_CLOSED | READ_CLOSED | WRITABLE | READABLE |
//! +----------------------------------+----------+--------------+-------------+----------+----------+
//!  |<- every bit above SHUTDOWN: wraps in place ->|
//! ```
//!
//! - `READABLE`: an event said the read direction may make progress (data, a pending
//!   connection).
//! - `WRITABLE`: the same for the write direction (buffer space, a finished connect).
//! - `READ_CLOSED`, `WRITE_CLOSED`: the peer closed that direction, or the socket has
//!   an error: later operations in it usually return at once (EOF, or the error).
//!   They count as that direction's readiness. A clear after a drained transfer keeps
//!   them — it must not lose an end of stream that arrived with the data — but a
//!   clear after `WouldBlock` takes them too: the OS just said the direction has
//!   nothing, which happens after a socket error was reported once (a UDP socket's
//!   `ECONNREFUSED`) or on a listener that was shut down, and keeping them would make
//!   every poll retry the operation forever.
//! - `SHUTDOWN`: the reactor shut down; set once, never cleared.
//! - `TICK`: the count of events delivered to this registration, modulo its width
//!   (58 bits on a 64-bit target: it does not wrap in practice).
//!
//! # Rules
//!
//! 1. Only the reactor *sets* readiness ([`Readiness::set`]), and every set advances
//!    `TICK` by one, even when the bits were already set.
//! 2. An operation that saw a direction ready at tick `t` ([`ReadyEvent`]) and then
//!    got `WouldBlock` (or drained the socket) *clears* that direction's readiness
//!    only if `TICK` is still `t` ([`Readiness::clear`]). If an event arrived in
//!    between, the clear is [`Clear::Stale`] and the bits stay: stale readiness never
//!    clears fresh readiness, so an edge-triggered event is never lost. What is
//!    cleared depends on why ([`Spent`]): after `WouldBlock` the direction bit and its
//!    closed bit, after a drained transfer the direction bit only.
//! 3. `SHUTDOWN` wins over everything: once set, every observation reports the
//!    shutdown ([`Snapshot::is_shutdown`]) whatever the readiness bits say, and
//!    [`Readiness::set`] changes nothing.
//!
//! What an observer of one direction concludes:
//!
//! | `SHUTDOWN` | direction bit | its closed bit | conclusion                              |
//! |------------|---------------|----------------|-----------------------------------------|
//! | 0          | 0             | 0              | not ready: store a waker, look again     |
//! | 0          | 1             | any            | ready at `TICK`: try the operation       |
//! | 0          | any           | 1              | ready for good: try the operation        |
//! | 1          | any           | any            | the reactor is gone: fail with an error  |

use crate::loom::atomic::{AtomicUsize, Ordering::AcqRel, Ordering::Acquire};
use std::ops::BitOr;

/// The read direction may make progress.
const READABLE: usize = 1;
/// The write direction may make progress.
const WRITABLE: usize = READABLE << 1;
/// The read direction is closed or failed: ready for good.
const READ_CLOSED: usize = WRITABLE << 1;
/// The write direction is closed or failed: ready for good.
const WRITE_CLOSED: usize = READ_CLOSED << 1;
/// Every readiness bit.
const READY_MASK: usize = READABLE | WRITABLE | READ_CLOSED | WRITE_CLOSED;
/// The reactor shut down.
const SHUTDOWN: usize = WRITE_CLOSED << 1;
/// One event's worth of `TICK`: the first bit above `SHUTDOWN`.
const TICK_ONE: usize = SHUTDOWN << 1;
/// Every bit of `TICK`: all the bits the flags do not use.
const TICK_MASK: usize = !(READY_MASK | SHUTDOWN);

const _: () = assert!(TICK_MASK & TICK_ONE == TICK_ONE);
const _: () = assert!(TICK_MASK.trailing_zeros() == TICK_ONE.trailing_zeros());

/// A set of readiness bits (a subset of `READY_MASK`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Ready(usize);

impl Ready {
    /// No direction.
    pub(crate) const EMPTY: Ready = Ready(0);
    /// The read direction.
    pub(crate) const READABLE: Ready = Ready(READABLE);
    /// The write direction.
    pub(crate) const WRITABLE: Ready = Ready(WRITABLE);
    /// The read direction, closed for good.
    pub(crate) const READ_CLOSED: Ready = Ready(READ_CLOSED);
    /// The write direction, closed for good.
    pub(crate) const WRITE_CLOSED: Ready = Ready(WRITE_CLOSED);
    /// Both directions.
    pub(crate) const ALL: Ready = Ready(READABLE | WRITABLE);

    /// Whether no direction is in the set.
    pub(crate) fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether the set makes `direction` ready: its bit or its closed bit.
    pub(crate) fn has(self, direction: Direction) -> bool {
        self.0 & (direction.ready().0 | direction.closed()) != 0
    }
}

impl BitOr for Ready {
    type Output = Ready;

    fn bitor(self, rhs: Ready) -> Ready {
        Ready(self.0 | rhs.0)
    }
}

/// One direction of a registration: what an operation waits for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Direction {
    /// Reads, accepts, receives, peeks.
    Read,
    /// Writes, sends, connects.
    Write,
}

impl Direction {
    /// The readiness bit of this direction.
    pub(crate) fn ready(self) -> Ready {
        match self {
            Direction::Read => Ready::READABLE,
            Direction::Write => Ready::WRITABLE,
        }
    }

    /// The closed bit of this direction.
    fn closed(self) -> usize {
        match self {
            Direction::Read => READ_CLOSED,
            Direction::Write => WRITE_CLOSED,
        }
    }

    /// The index of this direction's slot in per-direction arrays.
    pub(crate) fn index(self) -> usize {
        match self {
            Direction::Read => 0,
            Direction::Write => 1,
        }
    }
}

/// A copy of the readiness word at one instant.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Snapshot(usize);

impl Snapshot {
    /// The directions seen ready.
    pub(crate) fn ready(self) -> Ready {
        Ready(self.0 & READY_MASK)
    }

    /// The number of events delivered, modulo the width of `TICK`.
    pub(crate) fn tick(self) -> usize {
        self.0 & TICK_MASK
    }

    /// Whether the reactor shut down (rule 3).
    pub(crate) fn is_shutdown(self) -> bool {
        self.0 & SHUTDOWN != 0
    }

    /// What an operation on `direction` may act on: `None` when the direction is not
    /// ready. Callers look at [`Snapshot::is_shutdown`] first (rule 3).
    pub(crate) fn event(self, direction: Direction) -> Option<ReadyEvent> {
        self.ready().has(direction).then_some(ReadyEvent {
            direction,
            tick: self.tick(),
        })
    }
}

/// One direction seen ready at one tick: the licence to clear it after `WouldBlock`
/// (rule 2).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct ReadyEvent {
    direction: Direction,
    tick: usize,
}

/// The outcome of [`Readiness::set`].
#[must_use = "a set after shutdown delivers nothing; the caller decides whether to wake"]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum SetReady {
    /// The bits are set and `TICK` advanced; wake the waiters of these directions.
    Set,
    /// The reactor shut down first; nothing changed (rule 3).
    ShutDown,
}

/// Why an operation gives readiness back (rule 2), which decides what it clears.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Spent {
    /// The OS said `WouldBlock`: nothing is there, not even a closed direction's EOF
    /// or error. Clears the direction bit and its closed bit.
    WouldBlock,
    /// A transfer moved fewer bytes than asked: the buffer is drained, but an end of
    /// stream that came with the data is still to be read. Clears the direction bit
    /// only.
    Drained,
}

/// The outcome of [`Readiness::clear`].
#[must_use = "a stale clear means fresh readiness is waiting: try the operation again"]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Clear {
    /// The direction is cleared: wait for the next event.
    Cleared,
    /// An event arrived since the observation; the bits stay (rule 2).
    Stale,
}

/// The atomic readiness word of one registration.
#[derive(Debug)]
pub(crate) struct Readiness(AtomicUsize);

impl Readiness {
    /// Not ready in either direction, tick 0, not shut down.
    pub(crate) fn new() -> Readiness {
        Readiness(AtomicUsize::new(0))
    }

    /// The word as it is now.
    pub(crate) fn load(&self) -> Snapshot {
        Snapshot(self.0.load(Acquire))
    }

    /// Marks `ready` and advances `TICK` (rule 1); does nothing after shutdown.
    pub(crate) fn set(&self, ready: Ready) -> SetReady {
        let update = self.0.fetch_update(AcqRel, Acquire, |word| {
            (word & SHUTDOWN == 0).then(|| (word | ready.0).wrapping_add(TICK_ONE))
        });
        match update {
            Ok(_) => SetReady::Set,
            Err(_) => SetReady::ShutDown,
        }
    }

    /// Clears the readiness of `event`'s direction — its closed bit too when `spent`
    /// says `WouldBlock` — if no event arrived since it was observed (rule 2).
    pub(crate) fn clear(&self, event: ReadyEvent, spent: Spent) -> Clear {
        let bit = match spent {
            Spent::WouldBlock => event.direction.ready().0 | event.direction.closed(),
            Spent::Drained => event.direction.ready().0,
        };
        let update = self.0.fetch_update(AcqRel, Acquire, |word| {
            (word & TICK_MASK == event.tick).then_some(word & !bit)
        });
        match update {
            Ok(_) => Clear::Cleared,
            Err(_) => Clear::Stale,
        }
    }

    /// Sets `SHUTDOWN` (rule 3). Idempotent.
    pub(crate) fn shutdown(&self) {
        self.0.fetch_or(SHUTDOWN, AcqRel);
    }
}

#[cfg(all(test, not(weft_loom)))]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_word_is_not_ready_and_not_shut_down() {
        let word = Readiness::new().load();
        assert_eq!(word.ready(), Ready::EMPTY);
        assert!(!word.is_shutdown());
        assert_eq!(word.event(Direction::Read), None);
    }

    #[test]
    fn set_marks_the_direction_and_advances_the_tick() {
        let readiness = Readiness::new();
        let before = readiness.load().tick();
        assert_eq!(readiness.set(Ready::READABLE), SetReady::Set);
        let after = readiness.load();
        assert!(after.event(Direction::Read).is_some());
        assert!(after.event(Direction::Write).is_none());
        assert_ne!(after.tick(), before);
    }

    #[test]
    fn clear_with_the_current_tick_clears_only_its_direction() {
        let readiness = Readiness::new();
        let _ = readiness.set(Ready::ALL);
        let event = readiness.load().event(Direction::Read).unwrap();
        assert_eq!(readiness.clear(event, Spent::WouldBlock), Clear::Cleared);
        assert_eq!(readiness.load().ready(), Ready::WRITABLE);
    }

    #[test]
    fn a_closed_direction_stays_ready_through_a_drained_clear() {
        let readiness = Readiness::new();
        let _ = readiness.set(Ready::READABLE | Ready::READ_CLOSED);
        let event = readiness.load().event(Direction::Read).unwrap();
        assert_eq!(readiness.clear(event, Spent::Drained), Clear::Cleared);
        let after = readiness.load();
        assert!(after.event(Direction::Read).is_some(), "EOF was lost");
        assert!(after.event(Direction::Write).is_none());
    }

    #[test]
    fn would_block_clears_a_closed_direction_and_leaves_the_other() {
        let readiness = Readiness::new();
        let _ = readiness.set(Ready::ALL | Ready::READ_CLOSED | Ready::WRITE_CLOSED);
        let event = readiness.load().event(Direction::Read).unwrap();
        assert_eq!(readiness.clear(event, Spent::WouldBlock), Clear::Cleared);
        let after = readiness.load();
        assert!(
            after.event(Direction::Read).is_none(),
            "a direction the OS said was empty still looks ready"
        );
        assert!(after.event(Direction::Write).is_some());
        assert_eq!(after.ready(), Ready::WRITABLE | Ready::WRITE_CLOSED);
    }

    #[test]
    fn clear_after_a_newer_event_is_stale_and_keeps_the_readiness() {
        let readiness = Readiness::new();
        let _ = readiness.set(Ready::READABLE);
        let event = readiness.load().event(Direction::Read).unwrap();
        let _ = readiness.set(Ready::READABLE | Ready::READ_CLOSED);
        assert_eq!(readiness.clear(event, Spent::WouldBlock), Clear::Stale);
        assert!(readiness.load().ready().has(Direction::Read));
    }

    #[test]
    fn set_after_shutdown_changes_nothing() {
        let readiness = Readiness::new();
        readiness.shutdown();
        let before = readiness.load();
        assert_eq!(readiness.set(Ready::ALL), SetReady::ShutDown);
        assert_eq!(readiness.load(), before);
        assert!(before.is_shutdown());
    }

    #[test]
    fn the_tick_wraps_inside_its_bits_without_touching_the_flags() {
        let readiness = Readiness(AtomicUsize::new(TICK_MASK | READABLE));
        let _ = readiness.set(Ready::WRITABLE);
        let word = readiness.load();
        assert_eq!(word.tick(), 0);
        assert_eq!(word.ready(), Ready::ALL);
        assert!(!word.is_shutdown());
    }
}
