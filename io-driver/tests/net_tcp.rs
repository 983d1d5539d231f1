//! TCP: echo, half-close, resets, refusals, EOF, address in use, and 1000 concurrent
//! connections.

mod executor;

use executor::Executor;
use std::io;
use std::net::{Shutdown, SocketAddr};
use std::time::Duration;
use weft_io::io::{copy, AsyncReadExt, AsyncWriteExt};
use weft_io::net::{TcpListener, TcpStream};

/// An echo server on `127.0.0.1:0`, serving each connection in its own task until
/// the returned task is dropped.
async fn echo_server(ex: &Executor) -> (SocketAddr, async_executor::Task<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let inner = ex.clone();
    let server = ex.spawn(async move {
        loop {
            let (stream, _) = listener.accept().await.expect("the echo server accepts");
            inner
                .spawn(async move {
                    let (mut reader, mut writer) = stream.into_split();
                    copy(&mut reader, &mut writer)
                        .await
                        .expect("the echo server echoes");
                })
                .detach();
        }
    });
    (addr, server)
}

/// A connected pair: (client, server).
async fn connected() -> (TcpStream, TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let client = TcpStream::connect(listener.local_addr().unwrap())
        .await
        .unwrap();
    let (server, _) = listener.accept().await.unwrap();
    (client, server)
}

/// Sets `SO_LINGER` to zero, so that closing the socket sends a reset.
fn linger_zero(stream: &TcpStream) {
    socket2::SockRef::from(stream)
        .set_linger(Some(Duration::ZERO))
        .unwrap();
}

#[test]
fn an_echo_round_trip_returns_the_bytes_sent() {
    executor::run(|ex| async move {
        let (addr, _server) = echo_server(&ex).await;
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream.write_all(b"hello, weft").await.unwrap();
        stream.shutdown(Shutdown::Write).unwrap();
        let mut echoed = Vec::new();
        stream.read_to_end(&mut echoed).await.unwrap();
        assert_eq!(echoed, b"hello, weft");
    });
}

#[test]
fn half_close_gives_the_peer_eof_while_the_other_direction_still_flows() {
    executor::run(|_ex| async move {
        let (mut client, mut server) = connected().await;

        client.write_all(b"request").await.unwrap();
        client.shutdown(Shutdown::Write).unwrap();

        let mut request = Vec::new();
        server.read_to_end(&mut request).await.unwrap();
        assert_eq!(request, b"request");

        server.write_all(b"response").await.unwrap();
        drop(server);
        let mut response = Vec::new();
        client.read_to_end(&mut response).await.unwrap();
        assert_eq!(response, b"response");
    });
}

#[test]
fn dropping_the_write_half_gives_the_peer_eof_and_the_read_half_still_reads() {
    executor::run(|_ex| async move {
        let (client, mut server) = connected().await;
        let (mut reader, writer) = client.into_split();
        drop(writer);
        assert_eq!(server.read(&mut [0; 8]).await.unwrap(), 0);
        server.write_all(b"still here").await.unwrap();
        let mut buf = [0; 10];
        reader.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"still here");
    });
}

#[test]
fn reading_after_the_peer_resets_gives_connection_reset_not_a_hang() {
    executor::run(|_ex| async move {
        let (mut client, server) = connected().await;
        linger_zero(&server);
        drop(server);
        let err = client.read(&mut [0; 8]).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::ConnectionReset, "{err}");
    });
}

#[test]
fn a_read_waiting_when_the_peer_resets_gives_connection_reset() {
    executor::run(|ex| async move {
        let (mut client, server) = connected().await;
        let parked = std::rc::Rc::new(std::cell::Cell::new(false));
        let reader = ex.spawn({
            let parked = parked.clone();
            async move {
                parked.set(true); // set in the poll that parks the read
                client.read(&mut [0; 8]).await
            }
        });
        while !parked.get() {
            futures_lite::future::yield_now().await;
        }
        linger_zero(&server);
        drop(server);
        let err = reader.await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::ConnectionReset, "{err}");
    });
}

#[test]
fn writing_after_the_peer_resets_fails_instead_of_hanging() {
    executor::run(|_ex| async move {
        let (mut client, server) = connected().await;
        linger_zero(&server);
        drop(server);
        // The reset arrives before or during these writes; either way they end in an
        // error, never a wait.
        let chunk = [7u8; 64 * 1024];
        let err = loop {
            if let Err(err) = client.write_all(&chunk).await {
                break err;
            }
        };
        assert!(
            matches!(
                err.kind(),
                io::ErrorKind::ConnectionReset | io::ErrorKind::BrokenPipe
            ),
            "{err}"
        );
    });
}

#[test]
fn connecting_to_a_port_nobody_listens_on_is_refused() {
    executor::run(|_ex| async move {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        let err = TcpStream::connect(addr).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused, "{err}");
    });
}

#[test]
fn reading_at_eof_returns_zero_every_time() {
    executor::run(|_ex| async move {
        let (mut client, server) = connected().await;
        drop(server);
        assert_eq!(client.read(&mut [0; 8]).await.unwrap(), 0);
        assert_eq!(client.read(&mut [0; 8]).await.unwrap(), 0);
    });
}

#[test]
fn binding_an_address_in_use_fails_with_addr_in_use() {
    executor::run(|_ex| async move {
        let first = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let err = TcpListener::bind(first.local_addr().unwrap())
            .await
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AddrInUse, "{err}");
    });
}

#[test]
fn peek_returns_bytes_that_the_next_read_returns_again() {
    executor::run(|_ex| async move {
        let (mut client, mut server) = connected().await;
        client.write_all(b"peekaboo").await.unwrap();
        let mut peeked = [0; 4];
        let n = server.peek(&mut peeked).await.unwrap();
        assert_eq!(&peeked[..n], &b"peekaboo"[..n]);
        let mut read = [0; 8];
        server.read_exact(&mut read).await.unwrap();
        assert_eq!(&read, b"peekaboo");
    });
}

#[test]
fn accept_and_connect_agree_on_the_addresses() {
    executor::run(|_ex| async move {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (server, peer) = listener.accept().await.unwrap();
        assert_eq!(peer, client.local_addr().unwrap());
        assert_eq!(server.peer_addr().unwrap(), client.local_addr().unwrap());
        assert_eq!(client.peer_addr().unwrap(), listener.local_addr().unwrap());
    });
}

#[test]
fn nodelay_reads_back_what_was_set() {
    executor::run(|_ex| async move {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        client.set_nodelay(true).unwrap();
        assert!(client.nodelay().unwrap());
        client.set_nodelay(false).unwrap();
        assert!(!client.nodelay().unwrap());
    });
}

#[test]
fn several_tasks_accepting_on_one_listener_each_get_a_connection() {
    executor::run(|ex| async move {
        let listener = std::rc::Rc::new(TcpListener::bind("127.0.0.1:0").await.unwrap());
        let addr = listener.local_addr().unwrap();
        let acceptors: Vec<_> = (0..3)
            .map(|_| {
                let listener = listener.clone();
                ex.spawn(async move { listener.accept().await.unwrap().1 })
            })
            .collect();
        futures_lite::future::yield_now().await;
        let mut clients = Vec::new();
        for _ in 0..3 {
            clients.push(TcpStream::connect(addr).await.unwrap());
        }
        let mut peers = Vec::new();
        for acceptor in acceptors {
            peers.push(acceptor.await);
        }
        let mut expected: Vec<_> = clients.iter().map(|c| c.local_addr().unwrap()).collect();
        peers.sort();
        expected.sort();
        assert_eq!(peers, expected);
    });
}

#[test]
fn a_stream_from_std_carries_bytes() {
    executor::run(|_ex| async move {
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = std_listener.local_addr().unwrap();
        let listener = TcpListener::from_std(std_listener).unwrap();
        let mut client = TcpStream::from_std(std::net::TcpStream::connect(addr).unwrap()).unwrap();
        let (mut server, _) = listener.accept().await.unwrap();
        client.write_all(b"std").await.unwrap();
        let mut buf = [0; 3];
        server.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"std");
    });
}

#[test]
fn a_thousand_concurrent_connections_each_get_exactly_their_own_bytes_back() {
    const CONNECTIONS: usize = 1000;
    executor::run(|ex| async move {
        let (addr, _server) = echo_server(&ex).await;
        let clients: Vec<_> = (0..CONNECTIONS)
            .map(|id| {
                ex.spawn(async move {
                    let message: Vec<u8> = format!("client {id}: ")
                        .into_bytes()
                        .into_iter()
                        .chain((0..id % 200).map(|i| (id + i) as u8))
                        .collect();
                    let mut stream = TcpStream::connect(addr).await.unwrap();
                    stream.write_all(&message).await.unwrap();
                    stream.shutdown(Shutdown::Write).unwrap();
                    let mut echoed = Vec::new();
                    stream.read_to_end(&mut echoed).await.unwrap();
                    (message, echoed)
                })
            })
            .collect();
        for client in clients {
            let (sent, echoed) = client.await;
            assert_eq!(echoed, sent);
        }
    });
}

#[test]
fn data_and_eof_that_arrived_before_the_first_read_are_both_seen() {
    // The end of stream arrives with the data, before the socket is even accepted:
    // the short read that takes the data must not clear the end of stream with it
    // (it hung before closed readiness was kept apart).
    executor::run(|_ex| async move {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut client = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        std::io::Write::write_all(&mut client, b"early").unwrap();
        client.shutdown(Shutdown::Write).unwrap();
        let (mut server, _) = listener.accept().await.unwrap();
        let mut got = Vec::new();
        server.read_to_end(&mut got).await.unwrap();
        assert_eq!(got, b"early");
    });
}

#[test]
fn a_short_read_then_more_data_is_still_delivered() {
    executor::run(|ex| async move {
        let (mut client, mut server) = connected().await;
        let writer = ex.spawn(async move {
            client.write_all(b"first").await.unwrap();
            // A second write after the reader drained the first.
            client.write_all(b"second").await.unwrap();
            client.shutdown(Shutdown::Write).unwrap();
        });
        let mut buf = [0u8; 64];
        let n = server.read(&mut buf).await.unwrap();
        assert!(n > 0 && n < buf.len(), "a short read");
        let mut rest = buf[..n].to_vec();
        server.read_to_end(&mut rest).await.unwrap();
        assert_eq!(rest, b"firstsecond");
        writer.await;
    });
}
