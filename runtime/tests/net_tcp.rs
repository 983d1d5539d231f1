//! TCP on the weft runtime: echo through `start_server`, many connections at once,
//! half-close, reset, closing a server, and a socket that outlives its runtime.

mod support;

use std::io;
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::Arc;
use std::time::Duration;
use weft::io::{AsyncReadExt, AsyncWriteExt};
use weft::net::{open_connection, start_server, Server, TcpListener, TcpStream};

fn runtime() -> weft::Runtime {
    weft::Runtime::builder().worker_threads(2).build().unwrap()
}

/// The seed's echo server: copies what it reads back until EOF, then closes.
async fn echo_server() -> Server {
    start_server("127.0.0.1:0", |mut reader, mut writer| async move {
        weft::io::copy(&mut reader, &mut writer).await?;
        writer.close().await
    })
    .await
    .unwrap()
}

#[test]
fn an_echo_round_trip_through_start_server() {
    runtime().block_on(async {
        let server = echo_server().await;
        let (mut reader, mut writer) = open_connection(server.local_addr()).await.unwrap();
        writer.write_all(b"hello, weft\n").await.unwrap();
        let mut line = String::new();
        reader.read_line(&mut line).await.unwrap();
        assert_eq!(line, "hello, weft\n");
    });
}

#[test]
fn a_thousand_concurrent_connections_each_get_exactly_their_own_bytes_back() {
    runtime().block_on(async {
        let server = echo_server().await;
        let addr = server.local_addr();
        let clients: Vec<_> = (0..1000u32)
            .map(|i| {
                weft::spawn(async move {
                    let mut stream = TcpStream::connect(addr).await?;
                    let message: Vec<u8> = (0..100u32).map(|j| (i * 7 + j) as u8).collect();
                    stream.write_all(&message).await?;
                    stream.shutdown(std::net::Shutdown::Write)?;
                    let mut back = Vec::new();
                    stream.read_to_end(&mut back).await?;
                    io::Result::Ok(back == message)
                })
            })
            .collect();
        for (i, client) in clients.into_iter().enumerate() {
            assert!(
                client.await.unwrap().unwrap(),
                "connection {i} got bytes not its own"
            );
        }
    });
}

#[test]
fn half_close_lets_the_peer_read_eof_while_the_other_direction_flows() {
    runtime().block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let peer = weft::spawn(async move {
            let (mut stream, _) = listener.accept().await?;
            let mut got = Vec::new();
            stream.read_to_end(&mut got).await?; // EOF once the client shuts its side
            stream.write_all(b"after your EOF").await?;
            io::Result::Ok(got)
        });
        let mut client = TcpStream::connect(addr).await.unwrap();
        client.write_all(b"request").await.unwrap();
        client.shutdown(std::net::Shutdown::Write).unwrap();
        let mut reply = Vec::new();
        client.read_to_end(&mut reply).await.unwrap();
        assert_eq!(reply, b"after your EOF");
        assert_eq!(peer.await.unwrap().unwrap(), b"request");
    });
}

#[test]
fn reunited_halves_give_back_the_stream_with_both_directions_open() {
    runtime().block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (mut server, _) = listener.accept().await.unwrap();

        let (reader, writer) = client.into_split();
        let (other, _other_peer) = {
            let other = TcpStream::connect(listener.local_addr().unwrap())
                .await
                .unwrap();
            (other, listener.accept().await.unwrap().0)
        };
        let (other_reader, other_writer) = other.into_split();
        assert!(reader.is_pair_of(&writer) && !reader.is_pair_of(&other_writer));
        let weft::io::ReuniteError(reader, other_writer) =
            reader.reunite(other_writer).unwrap_err();
        drop((other_reader, other_writer));

        // Reuniting shut nothing down: the stream still writes, and the peer still
        // reads it rather than EOF.
        let mut client = reader.reunite(writer).unwrap();
        client.write_all(b"still open").await.unwrap();
        client.shutdown(std::net::Shutdown::Write).unwrap();
        let mut got = Vec::new();
        server.read_to_end(&mut got).await.unwrap();
        assert_eq!(got, b"still open");
    });
}

#[test]
fn a_peer_reset_is_an_error_not_a_hang() {
    runtime().block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut client = TcpStream::connect(addr).await.unwrap();
        let (server_side, _) = listener.accept().await.unwrap();
        // Closing a socket with unread data makes the kernel send a reset.
        client.write_all(b"never read").await.unwrap();
        let mut probe = [0u8; 1];
        assert_eq!(server_side.peek(&mut probe).await.unwrap(), 1);
        drop(server_side);
        let mut buf = [0u8; 16];
        let err = client.read(&mut buf).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::ConnectionReset, "{err}");
    });
}

#[test]
fn close_stops_accepting_and_wait_closed_waits_for_the_handlers() {
    runtime().block_on(async {
        let entered = Arc::new(weft::sync::Event::new());
        let finished = Arc::new(AtomicBool::new(false));
        let server = start_server("127.0.0.1:0", {
            let (entered, finished) = (entered.clone(), finished.clone());
            move |mut reader, _writer| {
                let (entered, finished) = (entered.clone(), finished.clone());
                async move {
                    entered.set();
                    // Holds the connection until the client closes its side.
                    reader.read_to_end(&mut Vec::new()).await?;
                    finished.store(true, SeqCst);
                    Ok(())
                }
            }
        })
        .await
        .unwrap();
        let addr = server.local_addr();
        let held = TcpStream::connect(addr).await.unwrap();
        entered.wait().await;
        assert!(server.is_serving());
        server.close();
        assert!(
            TcpStream::connect(addr).await.is_err(),
            "a closed server accepted"
        );
        support::wait_closed_waits_for_the_handler(&server, held).await;
        assert!(finished.load(SeqCst));
        assert!(!server.is_serving());
    });
}

#[test]
fn a_socket_used_after_its_runtime_shut_down_errors_instead_of_hanging() {
    let rt = runtime();
    let (listener, addr) = rt.block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        (listener, addr)
    });
    drop(rt);
    let other = runtime();
    other.block_on(async move {
        let err = listener.accept().await.unwrap_err();
        assert!(weft::net::RuntimeShutdown::is(&err), "{err}");
        // The address is still bound until the listener drops.
        drop(listener);
        let _ = addr;
    });
}

#[test]
fn wait_closed_returns_for_a_server_closed_before_its_accept_loop_ran() {
    // One thread: the accept loop is queued behind this future and has not run when
    // `close` cancels it.
    let rt = weft::Runtime::builder().current_thread().build().unwrap();
    rt.block_on(async {
        let server = echo_server().await;
        server.close();
        let closed = weft::time::timeout(Duration::from_secs(30), server.wait_closed()).await;
        assert!(closed.is_ok(), "wait_closed never returned");
    });
}

#[test]
fn after_wait_closed_the_accept_loop_task_and_the_listener_are_gone() {
    runtime().block_on(async {
        let baseline = weft::Handle::current().metrics().io_registrations();
        for round in 0..50 {
            let server = echo_server().await;
            server.close();
            server.wait_closed().await;
            // The server value is still alive: what it held is gone all the same.
            let live = weft::task::all();
            assert!(live.is_empty(), "round {round}: still live: {live:?}");
            assert_eq!(
                weft::Handle::current().metrics().io_registrations(),
                baseline,
                "round {round}: the listener is still registered"
            );
            drop(server);
        }
    });
}
