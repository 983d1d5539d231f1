//! Networking: TCP, UDP and Unix sockets on the runtime's reactor, and asyncio's
//! stream helpers.
//!
//! The socket types come from `weft-io` and register with the reactor of the runtime
//! they are created in. The guide is `docs/net.md`.
//!
//! ```no_run
//! use weft::io::{AsyncReadExt, AsyncWriteExt};
//! use weft::net::TcpStream;
//!
//! # weft::run(async {
//! let mut stream = TcpStream::connect("127.0.0.1:8888").await?;
//! stream.write_all(b"ping").await?;
//! let mut reply = [0; 4];
//! stream.read_exact(&mut reply).await?;
//! # std::io::Result::Ok(())
//! # }).unwrap();
//! ```

pub use weft_io::net::*;
pub use weft_io::RuntimeShutdown;

mod accept_backoff;
mod server;
#[cfg(feature = "tls")]
pub mod tls;

pub use accept_backoff::AcceptBackoff;
pub use server::{start_server, start_unix_server, Server, UnixServer};
