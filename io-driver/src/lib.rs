//! weft's I/O driver: a reactor over `mio::Poll` that knows no scheduler, the sockets
//! it drives, and asyncio-style stream helpers.
//!
//! - [`Reactor`] owns the OS poll and the registration table; whoever parks *turns*
//!   it ([`Reactor::turn`]). [`ReactorHandle`] is the thread-safe side: `unpark`,
//!   `enter`, `shutdown`.
//! - [`net`]: TCP, UDP and Unix-domain sockets that register with the thread's
//!   current reactor, and asyncio's [`open_connection`](net::open_connection).
//! - [`io`]: the `futures-io` traits, extension methods, [`copy`](io::copy),
//!   [`BufReader`](io::BufReader) with `read_line`/`read_until` and
//!   [`lines`](io::BufReader::lines), and [`BufWriter`](io::BufWriter).
//!
//! The runtime crate `weft` drives the reactor and re-exports [`net`] and [`io`] as
//! `weft::net` and `weft::io`.
//!
//! ```
//! use std::time::Duration;
//! use weft_io::Reactor;
//!
//! let mut reactor = Reactor::new()?;
//! let handle = reactor.handle();
//! let _guard = handle.enter();          // sockets made on this thread use `reactor`
//! handle.unpark();                      // from any thread: interrupt a turn
//! reactor.turn(Some(Duration::ZERO))?;  // deliver readiness, wake tasks
//! handle.shutdown();                    // sockets now fail instead of waiting
//! # Ok::<(), std::io::Error>(())
//! ```
#![warn(missing_docs)]

pub mod io;
mod loom;
pub mod net;
mod reactor;

pub use reactor::{EnterGuard, Reactor, ReactorHandle, RuntimeShutdown};

#[cfg(weft_loom)]
#[doc(hidden)]
pub use reactor::model;
