//! hyper's runtime traits on weft (hyper-util's `rt::tokio`, smol-hyper's `rt`):
//! [`WeftIo`] for I/O, [`WeftExecutor`] for the tasks hyper spawns, [`WeftTimer`] for
//! its timeouts. [`server`](crate::server) and [`client`](crate::client) put them in
//! place; reach for them directly to drive hyper's own connection builders.

mod executor;
mod io;
mod timer;

pub use executor::WeftExecutor;
pub use io::WeftIo;
pub use timer::{WeftSleep, WeftTimer};
