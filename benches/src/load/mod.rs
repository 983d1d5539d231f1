//! Load generators: N client connections against a server on weft and the same server
//! on tokio, each on its own runtime with the same worker count, in paired rounds.
//! What `echo_load` and `http_load` share:
//!
//! - [`client`]: the load — one std thread per connection, blocking sockets, one
//!   request in flight per connection — and what one measurement saw ([`Load`]). What
//!   a request is (an echo, an HTTP exchange) is the binary's [`Exchange`].
//! - [`cpu`]: the server's CPU time in the measured window, from `/proc` schedstat.
//! - [`options`]: the command line both binaries take.
//! - [`rounds`]: the rounds, paired and in alternating order, and the table of
//!   medians and per-round ratios.
//! - [`server`]: which server ([`ServerKind`]) and a running one ([`RunningServer`]).
//!
//! The method — why the client uses no async runtime, why ratios are paired per round,
//! why server CPU is measured — is in `docs/performance.md` (the echo section).

pub mod client;
pub mod cpu;
pub mod options;
pub mod rounds;
pub mod server;

pub use client::{Exchange, Load};
pub use options::Options;
pub use server::{RunningServer, ServerKind};
