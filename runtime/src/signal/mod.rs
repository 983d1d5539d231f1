//! Unix signals as streams: [`ctrl_c`] and [`unix::signal`] — asyncio's
//! `loop.add_signal_handler`, without a second runtime. The guide is
//! [`crate::guide::signal`].
//!
//! ```text
//!  kernel ─▶ handler (per signal, process-wide) ─▶ Slot.pending = true
//!                                        └────────▶ one byte ─▶ self-pipe
//!                                                                 │ (a duplicate of the read
//!                                                                 │  end per runtime reactor)
//!  runtime A: dispatcher task ◀─ readable ─┤                      │
//!  runtime B: dispatcher task ◀─ readable ─┘◀─────────────────────┘
//!      drain pipe, then every Slot: pending? ─▶ generation += 1 ─▶ wake every listener
//! ```
//!
//! # Rules
//!
//! 1. **One handler per signal, once per process.** The first listener of a signal
//!    installs weft's handler with `signal-hook-registry` (which chains any handler
//!    already there), before it subscribes; it is never removed — a handler cannot be
//!    taken back safely while another thread may be running it (`table.rs`).
//! 2. **The handler is async-signal-safe.** It stores the signal's pending flag, then
//!    writes one byte to the process's non-blocking self-pipe; a full pipe drops the
//!    byte, harmless since the unread bytes already promise a wake-up. The pipe lives
//!    as long as the process.
//! 3. **Every runtime with listeners watches the pipe.** The first listener in a
//!    runtime registers a duplicate of the pipe's read end with that runtime's
//!    reactor and spawns its dispatcher task (`runtime_watch.rs`). Dispatch is
//!    process-wide: any runtime's dispatcher wakes listeners in every runtime, and
//!    each runtime having its own means a busy, blocked or shut-down runtime never
//!    holds back another's deliveries.
//! 4. **Drain, then take the flags.** A dispatcher reads the pipe until `WouldBlock`,
//!    then takes every pending flag (true to false) and, for each it took, bumps that
//!    signal's generation and wakes its listeners. A handler stores its flag before
//!    it writes its byte, so whoever reads the byte, or sees the readiness it causes,
//!    takes the flag after (or a later take does): no delivery is left pending with
//!    no wake-up coming. Drain and dispatch run in one poll, so cancelling a
//!    dispatcher cannot split them.
//! 5. **Listeners count generations.** A [`unix::Signal`] remembers the generation
//!    it last saw, starting with the one current when it subscribed; a poll that
//!    finds a newer one is one delivery (a burst coalesces), and a poll that finds
//!    none stores its waker under the slot's lock and looks again (`slot.rs`, rule 3),
//!    so no delivery after a subscription is lost, whenever it lands.
//! 6. **A runtime's shutdown ends its listeners.** When a dispatcher ends (its
//!    runtime shut down), it marks its runtime's watch closed and wakes every
//!    listener; those of that runtime then yield `None`.
//! 7. **weft's own hooks run in the dispatch.** A module of weft may hook a signal
//!    (`when_dispatched`): the dispatcher that takes a delivery of it runs the
//!    hook, once per dispatch, after waking the listeners. `weft::process` reaps its
//!    orphans this way on SIGCHLD.

mod ctrl_c;
mod kind;
mod runtime_watch;
mod slot;
mod table;
pub mod unix;

pub use ctrl_c::ctrl_c;

/// Runs `hook` whenever a runtime's dispatcher takes a delivery of `kind` (rule 7).
/// The hook must not block; the first hook set for a signal stays. Does nothing if
/// `kind` cannot be listened to or the self-pipe cannot be made (then no dispatcher
/// can run either).
pub(crate) fn when_dispatched(kind: unix::SignalKind, hook: fn()) {
    if let (Ok(index), Ok(table)) = (kind.listenable(), table::table()) {
        table.hook(index, hook);
    }
}

#[cfg(any(weft_loom, test))]
pub(crate) use slot::{Slot, Subscription};
