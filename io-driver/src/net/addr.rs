//! [`ToSocketAddrs`]: what `bind`, `connect` and `send_to` accept as an address, and
//! how it becomes socket addresses without blocking the caller's thread.
//!
//! A literal (`SocketAddr`, `(IpAddr, u16)`, `"127.0.0.1:8080"`, `"[::1]:80"`) parses
//! inline. Anything else (`"localhost:8080"`, `("example.com", 443)`) is a host name:
//! it is resolved by the OS resolver on a short-lived thread ([`super::lookup`]), and
//! the awaiting task is woken when the answer comes.

use super::lookup::Lookup;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

/// Something that names one or more socket addresses: a literal address, or a host
/// name and port to resolve.
///
/// Implemented for [`SocketAddr`], [`SocketAddrV4`], [`SocketAddrV6`], `(IpAddr, u16)`,
/// `(Ipv4Addr, u16)`, `(Ipv6Addr, u16)`, `(&str, u16)`, `(String, u16)`, `&str` and
/// `String` (`"host:port"`), `&[SocketAddr]`, `Vec<SocketAddr>`, and references to
/// any of these. Sealed: the resolution is weft's.
///
/// ```
/// use std::net::{Ipv4Addr, SocketAddr};
///
/// fn takes(_: impl weft_io::net::ToSocketAddrs) {}
/// takes("127.0.0.1:8080");
/// takes(("localhost", 8080)); // resolved off-thread when used
/// takes((Ipv4Addr::LOCALHOST, 8080));
/// takes(SocketAddr::from(([127, 0, 0, 1], 8080)));
/// ```
pub trait ToSocketAddrs: sealed::ToTarget {}

/// The seal: the trait's one method, unnameable outside the crate.
mod sealed {
    use std::net::SocketAddr;

    /// What an address argument turns into before any I/O.
    // `pub` only because a public trait's supertrait must be; the module is private.
    #[allow(unreachable_pub)]
    pub trait ToTarget: Send + Sync {
        /// Literal addresses, or a `host:port` to resolve.
        fn to_target(&self) -> Target;
    }

    #[allow(unreachable_pub)]
    #[derive(Debug)]
    pub enum Target {
        /// Addresses parsed inline.
        Addrs(Vec<SocketAddr>),
        /// A `host:port` string for the OS resolver.
        Host(String),
    }
}

use sealed::{Target, ToTarget};

/// Resolves `addr`: inline for a literal, on a resolver thread for a host name.
///
/// # Cancel safety
///
/// Dropping the future abandons a host-name lookup; its thread ends on its own.
pub(crate) async fn resolve(addr: &impl ToSocketAddrs) -> io::Result<Vec<SocketAddr>> {
    let addrs = match addr.to_target() {
        Target::Addrs(addrs) => addrs,
        Target::Host(host_port) => Lookup::spawn(host_port)?.await?,
    };
    if addrs.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the address resolved to no socket address",
        ));
    }
    Ok(addrs)
}

/// Tries `attempt` on each address of `addr` in turn; the first success, or the last
/// error.
///
/// # Cancel safety
///
/// Dropping the future drops the attempt in progress (see its own cancel safety) and
/// tries no further address.
pub(crate) async fn first_success<T, F, Fut>(
    addr: &impl ToSocketAddrs,
    mut attempt: F,
) -> io::Result<T>
where
    F: FnMut(SocketAddr) -> Fut,
    Fut: std::future::Future<Output = io::Result<T>>,
{
    let mut last = None;
    for addr in resolve(addr).await? {
        match attempt(addr).await {
            Ok(value) => return Ok(value),
            Err(err) => last = Some(err),
        }
    }
    Err(last.expect("resolve returns at least one address"))
}

/// Resolves a host name (or parses a literal) into socket addresses, asyncio's
/// `loop.getaddrinfo`. Host names are resolved on a short-lived thread, so the
/// caller's thread never blocks on DNS.
///
/// Needs no reactor.
///
/// # Errors
///
/// The OS resolver's error (an unknown host), or `InvalidInput` when the name
/// resolves to no address.
///
/// # Cancel safety
///
/// Dropping the future abandons the lookup; its thread ends on its own.
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// let addrs = weft_io::net::lookup_host("localhost:8080").await?;
/// assert!(addrs.iter().all(|addr| addr.port() == 8080));
/// # Ok(()) }
/// ```
pub async fn lookup_host(addr: impl ToSocketAddrs) -> io::Result<Vec<SocketAddr>> {
    resolve(&addr).await
}

/// Implements the seal for types std already turns into one address.
macro_rules! literal {
    ($($ty:ty),* $(,)?) => {$(
        impl ToTarget for $ty {
            fn to_target(&self) -> Target {
                Target::Addrs(vec![SocketAddr::from(*self)])
            }
        }
        impl ToSocketAddrs for $ty {}
    )*};
}

literal!(
    SocketAddr,
    SocketAddrV4,
    SocketAddrV6,
    (IpAddr, u16),
    (Ipv4Addr, u16),
    (Ipv6Addr, u16),
);

impl ToTarget for str {
    fn to_target(&self) -> Target {
        match self.parse::<SocketAddr>() {
            Ok(addr) => Target::Addrs(vec![addr]),
            Err(_) => Target::Host(self.to_owned()),
        }
    }
}
impl ToSocketAddrs for str {}

impl ToTarget for String {
    fn to_target(&self) -> Target {
        self.as_str().to_target()
    }
}
impl ToSocketAddrs for String {}

impl ToTarget for (&str, u16) {
    fn to_target(&self) -> Target {
        let (host, port) = *self;
        match host.parse::<IpAddr>() {
            Ok(ip) => Target::Addrs(vec![SocketAddr::new(ip, port)]),
            // `host:port` for the resolver; an IPv6 literal never reaches here.
            Err(_) => Target::Host(format!("{host}:{port}")),
        }
    }
}
impl ToSocketAddrs for (&str, u16) {}

impl ToTarget for (String, u16) {
    fn to_target(&self) -> Target {
        (self.0.as_str(), self.1).to_target()
    }
}
impl ToSocketAddrs for (String, u16) {}

impl ToTarget for [SocketAddr] {
    fn to_target(&self) -> Target {
        Target::Addrs(self.to_vec())
    }
}
impl ToSocketAddrs for [SocketAddr] {}

impl ToTarget for Vec<SocketAddr> {
    fn to_target(&self) -> Target {
        self.as_slice().to_target()
    }
}
impl ToSocketAddrs for Vec<SocketAddr> {}

impl<T: ToTarget + ?Sized> ToTarget for &T {
    fn to_target(&self) -> Target {
        (**self).to_target()
    }
}
impl<T: ToSocketAddrs + ?Sized> ToSocketAddrs for &T {}
