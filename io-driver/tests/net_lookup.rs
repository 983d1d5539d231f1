//! Address resolution: literals inline, host names off-thread.

mod executor;

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use weft_io::net::{lookup_host, TcpListener, TcpStream};

#[test]
fn a_literal_address_resolves_to_itself() {
    executor::run(|_ex| async move {
        let addrs = lookup_host("127.0.0.1:8080").await.unwrap();
        assert_eq!(addrs, [SocketAddr::from((Ipv4Addr::LOCALHOST, 8080))]);
        let addrs = lookup_host(("::1", 80)).await.unwrap();
        assert_eq!(addrs, ["[::1]:80".parse::<SocketAddr>().unwrap()]);
    });
}

#[test]
fn localhost_resolves_off_thread_to_loopback_addresses() {
    executor::run(|_ex| async move {
        let addrs = lookup_host(("localhost", 4242)).await.unwrap();
        assert!(!addrs.is_empty());
        assert!(addrs
            .iter()
            .all(|addr| addr.ip().is_loopback() && addr.port() == 4242));
    });
}

#[test]
fn connecting_by_host_name_reaches_a_loopback_listener() {
    executor::run(|_ex| async move {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        // `localhost` may resolve to `::1` first, where nothing listens: connect tries
        // each address in turn.
        let stream = TcpStream::connect(("localhost", port)).await.unwrap();
        assert_eq!(stream.peer_addr().unwrap().port(), port);
    });
}

#[test]
fn a_name_without_a_port_is_invalid_input() {
    executor::run(|_ex| async move {
        let err = lookup_host("no-port-here").await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{err}");
    });
}
