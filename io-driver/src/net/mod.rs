//! Sockets driven by the reactor: TCP, UDP and Unix-domain, plus asyncio's
//! [`open_connection`].
//!
//! Every socket registers with the thread's current reactor when it is created
//! (`bind`, `connect`, `pair`, `from_std`); outside a weft runtime that fails with an
//! `io::Error` saying so. Failures are the OS's `io::Error`s, returned, never
//! panicked, and never turned into a hang: a reset connection reports
//! `ConnectionReset`, EOF reads 0, and once the runtime shuts down every operation
//! fails with an error saying so.
//!
//! | asyncio                                  | weft                                          |
//! |------------------------------------------|-----------------------------------------------|
//! | `await open_connection(host, port)`      | [`open_connection`]`((host, port)).await`     |
//! | `reader.readline()`                      | `reader.read_line(&mut line).await`           |
//! | `writer.write(data); await writer.drain()` | `writer.write_all(data).await`              |
//! | `writer.write_eof()`                     | `stream.shutdown(Shutdown::Write)` / `writer.close().await` |
//! | `await loop.sock_accept(sock)`           | [`TcpListener::accept`]`().await`             |

#[macro_use]
mod split;

mod addr;
mod listen;
mod lookup;
mod open_connection;
mod tcp;
#[cfg(feature = "tls")]
pub mod tls;
mod udp;
mod unix;

pub use addr::{lookup_host, ToSocketAddrs};
pub use open_connection::{open_connection, open_unix_connection};
pub use split::{OwnedReadHalf, OwnedWriteHalf, SplitStream};
pub use tcp::{TcpListener, TcpStream};
pub use udp::UdpSocket;
pub use unix::{UnixDatagram, UnixListener, UnixStream};

/// `AsFd`/`AsRawFd` for each socket type: its descriptor, for socket options weft does
/// not wrap (through `socket2`, `libc`). Do not read, write or close through it.
macro_rules! as_fd {
    ($($socket:ty),*) => {$(
        impl std::os::fd::AsFd for $socket {
            fn as_fd(&self) -> std::os::fd::BorrowedFd<'_> {
                self.io.get_ref().as_fd()
            }
        }

        impl std::os::fd::AsRawFd for $socket {
            fn as_raw_fd(&self) -> std::os::fd::RawFd {
                self.io.get_ref().as_raw_fd()
            }
        }
    )*};
}

as_fd!(
    TcpListener,
    TcpStream,
    UdpSocket,
    UnixListener,
    UnixStream,
    UnixDatagram
);
