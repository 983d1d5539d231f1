//! Unix-domain sockets: stream round trips through a listener and a pair, half-close,
//! datagrams, path errors, and a listener that was shut down.

mod executor;

use futures_lite::future::poll_once;
use std::io;
use std::net::Shutdown;
use std::path::PathBuf;
use std::time::Duration;
use weft_io::io::{AsyncReadExt, AsyncWriteExt};
use weft_io::net::{UnixDatagram, UnixListener, UnixStream};

/// A socket path unique to this process and test, removed when dropped.
struct SocketPath(PathBuf);

impl SocketPath {
    fn new(test: &str) -> SocketPath {
        let path = std::env::temp_dir().join(format!("weft-io-{}-{test}.sock", std::process::id()));
        let _ = std::fs::remove_file(&path);
        SocketPath(path)
    }
}

impl Drop for SocketPath {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn a_stream_round_trip_through_a_listener_returns_the_bytes() {
    let path = SocketPath::new("round-trip");
    executor::run(|_ex| async move {
        let listener = UnixListener::bind(&path.0).unwrap();
        assert_eq!(
            listener.local_addr().unwrap().as_pathname(),
            Some(path.0.as_path())
        );
        let mut client = UnixStream::connect(&path.0).await.unwrap();
        let (mut server, _) = listener.accept().await.unwrap();
        client.write_all(b"over unix").await.unwrap();
        let mut buf = [0; 9];
        server.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"over unix");
        server.write_all(b"back").await.unwrap();
        let mut buf = [0; 4];
        client.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"back");
    });
}

#[test]
fn half_close_gives_the_peer_eof_while_the_other_direction_still_flows() {
    executor::run(|_ex| async move {
        let (mut a, mut b) = UnixStream::pair().unwrap();
        a.write_all(b"question").await.unwrap();
        a.shutdown(Shutdown::Write).unwrap();
        let mut question = Vec::new();
        b.read_to_end(&mut question).await.unwrap();
        assert_eq!(question, b"question");
        b.write_all(b"answer").await.unwrap();
        drop(b);
        let mut answer = Vec::new();
        a.read_to_end(&mut answer).await.unwrap();
        assert_eq!(answer, b"answer");
    });
}

#[test]
fn split_halves_of_a_pair_carry_bytes_both_ways() {
    executor::run(|ex| async move {
        let (a, mut b) = UnixStream::pair().unwrap();
        let (mut reader, mut writer) = a.into_split();
        let writing = ex.spawn(async move { writer.write_all(b"from a").await });
        let mut buf = [0; 6];
        b.read_exact(&mut buf).await.unwrap();
        writing.await.unwrap();
        assert_eq!(&buf, b"from a");
        b.write_all(b"to a").await.unwrap();
        let mut buf = [0; 4];
        reader.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"to a");
    });
}

#[test]
fn a_datagram_pair_round_trip_keeps_the_datagram() {
    executor::run(|_ex| async move {
        let (a, b) = UnixDatagram::pair().unwrap();
        a.send(b"dgram").await.unwrap();
        let mut buf = [0; 16];
        let len = b.recv(&mut buf).await.unwrap();
        assert_eq!(&buf[..len], b"dgram");
    });
}

#[test]
fn a_bound_datagram_socket_receives_from_an_unbound_sender() {
    let path = SocketPath::new("dgram");
    executor::run(|_ex| async move {
        let receiver = UnixDatagram::bind(&path.0).unwrap();
        let sender = UnixDatagram::unbound().unwrap();
        sender.send_to(b"hello", &path.0).await.unwrap();
        let mut buf = [0; 16];
        let (len, from) = receiver.recv_from(&mut buf).await.unwrap();
        assert_eq!(&buf[..len], b"hello");
        assert!(from.is_unnamed());
    });
}

#[test]
fn connecting_to_a_missing_socket_file_fails_with_not_found() {
    let path = SocketPath::new("missing");
    executor::run(|_ex| async move {
        let err = UnixStream::connect(&path.0).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound, "{err}");
    });
}

#[test]
fn binding_an_existing_socket_path_fails_with_addr_in_use() {
    let path = SocketPath::new("in-use");
    executor::run(|_ex| async move {
        let _first = UnixListener::bind(&path.0).unwrap();
        let err = UnixListener::bind(&path.0).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AddrInUse, "{err}");
    });
}

#[test]
fn reading_from_a_pair_whose_peer_is_dropped_returns_eof() {
    executor::run(|_ex| async move {
        let (mut a, b) = UnixStream::pair().unwrap();
        drop(b);
        assert_eq!(a.read(&mut [0; 8]).await.unwrap(), 0);
    });
}

#[test]
fn accept_on_a_listener_that_was_shut_down_waits_instead_of_spinning() {
    // The OS reports a shut-down Unix listener as hung up (read-closed) but its
    // accept says `WouldBlock`: a closed bit kept through that clear would make the
    // accept retry forever inside one poll.
    let path = SocketPath::new("shut-listener");
    executor::run_within(Duration::from_secs(20), move |_ex| async move {
        let listener = UnixListener::bind(&path.0).unwrap();
        socket2::SockRef::from(&listener)
            .shutdown(Shutdown::Both)
            .unwrap();
        // The reactor turn that delivers this pair's events delivers the listener's
        // hang-up too: it was queued first.
        let (mut a, mut b) = UnixStream::pair().unwrap();
        a.write_all(b"x").await.unwrap();
        b.read_exact(&mut [0; 1]).await.unwrap();
        assert!(
            poll_once(listener.accept()).await.is_none(),
            "a shut-down listener accepted something"
        );
    });
}
