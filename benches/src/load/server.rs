//! Which server a round runs ([`ServerKind`]) and a server while it runs
//! ([`RunningServer`]).

use std::any::Any;
use std::fmt;
use std::net::SocketAddr;
use std::str::FromStr;

/// The runtime a server runs on; its other pieces are the binary's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerKind {
    /// weft (and, for HTTP, weft-rt-hyper).
    Weft,
    /// tokio (and, for HTTP, hyper-util's tokio glue): the baseline of every ratio.
    Tokio,
}

impl fmt::Display for ServerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ServerKind::Weft => "weft",
            ServerKind::Tokio => "tokio",
        })
    }
}

impl FromStr for ServerKind {
    type Err = String;

    fn from_str(s: &str) -> Result<ServerKind, String> {
        match s {
            "weft" => Ok(ServerKind::Weft),
            "tokio" => Ok(ServerKind::Tokio),
            _ => Err(format!("unknown server {s:?} (weft or tokio)")),
        }
    }
}

/// A server and what keeps it running (its runtime, a server handle); dropping it
/// drops those, which ends the accept loop and every connection.
pub struct RunningServer {
    addr: SocketAddr,
    /// Held only to be dropped with the server.
    _running: Box<dyn Any>,
}

impl RunningServer {
    /// A server listening on `addr`, kept running by `running`.
    pub fn new(addr: SocketAddr, running: impl Any) -> RunningServer {
        RunningServer {
            addr,
            _running: Box::new(running),
        }
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}
