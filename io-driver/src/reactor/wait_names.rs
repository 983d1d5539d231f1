//! What a task waiting for a socket's readiness waits on, by socket type: the names a
//! dump shows (`weft_core::waiting`). The readiness wait knows the socket type but not
//! the user's line; the helper future around it (`read_exact`, `accept`) adds that.

use super::readiness::Direction;
use weft_core::waiting::WaitOn;

/// The two waits of one socket type.
pub(crate) struct IoWaits {
    read: WaitOn,
    write: WaitOn,
}

impl IoWaits {
    /// The waits named `read` and `write`.
    pub(crate) const fn new(read: &'static str, write: &'static str) -> IoWaits {
        IoWaits {
            read: WaitOn(read),
            write: WaitOn(write),
        }
    }

    /// The wait for `direction`.
    pub(crate) fn of(&'static self, direction: Direction) -> &'static WaitOn {
        match direction {
            Direction::Read => &self.read,
            Direction::Write => &self.write,
        }
    }
}

/// A socket type's wait names.
pub(crate) trait WaitNames {
    /// Its waits for reading and writing.
    const WAITS: &'static IoWaits;
}

macro_rules! wait_names {
    ($($ty:ty => $read:literal, $write:literal;)*) => {$(
        impl WaitNames for $ty {
            const WAITS: &'static IoWaits = &IoWaits::new($read, $write);
        }
    )*};
}

wait_names! {
    mio::net::TcpStream => "TcpStream::read", "TcpStream::write";
    mio::net::TcpListener => "TcpListener::accept", "TcpListener::accept";
    mio::net::UdpSocket => "UdpSocket::recv", "UdpSocket::send";
}

#[cfg(unix)]
wait_names! {
    mio::net::UnixStream => "UnixStream::read", "UnixStream::write";
    mio::net::UnixListener => "UnixListener::accept", "UnixListener::accept";
    mio::net::UnixDatagram => "UnixDatagram::recv", "UnixDatagram::send";
}
