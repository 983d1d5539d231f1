//! UDP: datagram round trips, connected sockets, concurrent receivers, errors.

mod executor;

use futures_lite::future::poll_once;
use std::io;
use std::rc::Rc;
use std::time::Duration;
use weft_io::net::UdpSocket;

#[test]
fn send_to_and_recv_from_round_trip_with_the_sender_address() {
    executor::run(|_ex| async move {
        let a = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let b = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        a.send_to(b"ping", b.local_addr().unwrap()).await.unwrap();
        let mut buf = [0; 16];
        let (len, from) = b.recv_from(&mut buf).await.unwrap();
        assert_eq!(&buf[..len], b"ping");
        assert_eq!(from, a.local_addr().unwrap());
        b.send_to(b"pong", from).await.unwrap();
        let (len, _) = a.recv_from(&mut buf).await.unwrap();
        assert_eq!(&buf[..len], b"pong");
    });
}

#[test]
fn connected_sockets_send_and_recv() {
    executor::run(|_ex| async move {
        let a = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let b = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        a.connect(b.local_addr().unwrap()).await.unwrap();
        b.connect(a.local_addr().unwrap()).await.unwrap();
        assert_eq!(a.peer_addr().unwrap(), b.local_addr().unwrap());
        a.send(b"one").await.unwrap();
        let mut buf = [0; 16];
        let len = b.recv(&mut buf).await.unwrap();
        assert_eq!(&buf[..len], b"one");
    });
}

#[test]
fn a_datagram_keeps_its_boundaries() {
    executor::run(|_ex| async move {
        let a = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let b = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let to = b.local_addr().unwrap();
        a.send_to(b"first", to).await.unwrap();
        a.send_to(b"second", to).await.unwrap();
        let mut buf = [0; 16];
        let (len, _) = b.recv_from(&mut buf).await.unwrap();
        assert_eq!(&buf[..len], b"first");
        let (len, _) = b.recv_from(&mut buf).await.unwrap();
        assert_eq!(&buf[..len], b"second");
    });
}

#[test]
fn two_tasks_receiving_on_one_socket_are_both_served() {
    executor::run(|ex| async move {
        let socket = Rc::new(UdpSocket::bind("127.0.0.1:0").await.unwrap());
        let addr = socket.local_addr().unwrap();
        let receivers: Vec<_> = (0..2)
            .map(|_| {
                let socket = socket.clone();
                ex.spawn(async move {
                    let mut buf = [0; 16];
                    let (len, _) = socket.recv_from(&mut buf).await.unwrap();
                    buf[..len].to_vec()
                })
            })
            .collect();
        futures_lite::future::yield_now().await;
        let sender = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        sender.send_to(b"a", addr).await.unwrap();
        sender.send_to(b"b", addr).await.unwrap();
        let mut got = Vec::new();
        for receiver in receivers {
            got.push(receiver.await);
        }
        got.sort();
        assert_eq!(got, [b"a".to_vec(), b"b".to_vec()]);
    });
}

/// A socket connected to a port nobody listens on, after one datagram sent there and
/// the refusal it brought reported by `recv`.
async fn refused_socket() -> UdpSocket {
    let gone = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let gone_addr = gone.local_addr().unwrap();
    drop(gone);
    let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    socket.connect(gone_addr).await.unwrap();
    socket.send(b"anyone?").await.unwrap();
    let err = socket.recv(&mut [0; 16]).await.unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused, "{err}");
    socket
}

#[test]
fn recv_after_sending_to_a_closed_port_reports_connection_refused() {
    executor::run(|_ex| async move {
        refused_socket().await;
    });
}

#[test]
fn after_a_refusal_recv_waits_for_the_next_datagram_instead_of_spinning() {
    // The ICMP error arrives as an error event (both directions closed); once recv
    // has reported it, recv says `WouldBlock`. A closed bit kept through that clear
    // would make recv retry forever inside one poll.
    executor::run_within(Duration::from_secs(20), |_ex| async move {
        let socket = refused_socket().await;
        let mut buf = [0; 16];
        assert!(
            poll_once(socket.recv(&mut buf)).await.is_none(),
            "recv returned with nothing sent"
        );
        // The socket still receives once a live peer sends.
        let peer = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        socket.connect(peer.local_addr().unwrap()).await.unwrap();
        peer.send_to(b"here", socket.local_addr().unwrap())
            .await
            .unwrap();
        let n = socket.recv(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"here");
    });
}

#[test]
fn binding_a_port_in_use_fails_with_addr_in_use() {
    executor::run(|_ex| async move {
        let first = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let err = UdpSocket::bind(first.local_addr().unwrap())
            .await
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AddrInUse, "{err}");
    });
}

#[test]
fn send_on_an_unconnected_socket_fails_with_an_error() {
    executor::run(|_ex| async move {
        let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        assert!(socket.send(b"nowhere").await.is_err());
    });
}
