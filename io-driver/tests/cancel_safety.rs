//! Every cancel-safety claim of weft-io, checked at every drop point (before the first
//! poll, right after each `Pending`, at the wake after each `Pending`): the safe
//! operations lose no connection, datagram or byte; the unsafe ones lose exactly what
//! their docs say.
//!
//! Stream helpers run on scripted readers and writers (deterministic `Pending`s); the
//! socket operations on loopback sockets, on the test executor that turns a reactor.

mod executor;
mod scripted;

use executor::Executor;
use futures_lite::future::zip;
use scripted::{Scripted, Step, Trickle};
use std::future::Future;
use std::io;
use std::time::Duration;
use weft_cancel_points::{every_drop_point, At, DropPoint};
use weft_io::io::{copy, AsyncReadExt, AsyncWriteExt, BufReader};
use weft_io::net::{TcpListener, TcpStream, UdpSocket, UnixListener, UnixStream};

/// Runs `scenario` at every drop point, each run on a fresh executor and reactor,
/// within a time limit (a lost wake-up fails instead of hanging); the operation must
/// wait at least once, or the test proves nothing.
fn at_every_drop_point<F: Future<Output = ()>>(
    scenario: impl Fn(DropPoint, Executor) -> F + Send + Sync + 'static,
) {
    let scenario = std::sync::Arc::new(scenario);
    let pendings = every_drop_point(|point| {
        let (point, scenario) = (point.clone(), scenario.clone());
        executor::run_within(Duration::from_secs(60), move |ex| scenario(point, ex));
    });
    assert!(
        pendings >= 1,
        "the operation never waited: the test proves nothing"
    );
}

/// Yields to the executor `n` times.
async fn yields(n: usize) {
    for _ in 0..n {
        futures_lite::future::yield_now().await;
    }
}

/// The reader the stream-helper scenarios read: "hello\n" and "world\n", in pieces
/// with `Pending`s between them, then EOF.
fn pieces() -> Scripted {
    Scripted::new([
        Step::Pending,
        Step::Data(b"hel"),
        Step::Pending,
        Step::Data(b"lo\nwo"),
        Step::Pending,
        Step::Data(b"rld"),
        Step::Pending,
        Step::Data(b"\n"),
    ])
}

const WHOLE: &[u8] = b"hello\nworld\n";

#[test]
fn read_dropped_at_any_point_loses_no_byte() {
    at_every_drop_point(|point, _| async move {
        let mut reader = pieces();
        let mut buf = [0; 64];
        let mut got = match point.run(reader.read(&mut buf)).await {
            Some(n) => buf[..n.unwrap()].to_vec(),
            None => Vec::new(),
        };
        reader.read_to_end(&mut got).await.unwrap();
        assert_eq!(got, WHOLE, "{point}");
    });
}

#[test]
fn read_to_end_dropped_at_any_point_keeps_what_it_read_in_buf() {
    at_every_drop_point(|point, _| async move {
        let mut reader = pieces();
        let mut got = Vec::new();
        let first = point.run(reader.read_to_end(&mut got)).await;
        let before = got.len();
        if let Some(n) = first {
            assert_eq!(n.unwrap(), before, "{point}");
        }
        let n = reader.read_to_end(&mut got).await.unwrap();
        assert_eq!(
            n,
            got.len() - before,
            "{point}: the count is of its own bytes"
        );
        assert_eq!(got, WHOLE, "{point}");
    });
}

/// Reads lines with `read_line`, the first through the drop point; the bytes got.
async fn lines_after_a_cut(point: &DropPoint, reader: &mut BufReader<Scripted>) -> Vec<u8> {
    let mut text = String::new();
    if let Some(n) = point.run(reader.read_line(&mut text)).await {
        assert_eq!(n.unwrap(), 6, "{point}");
    }
    assert!(text.is_empty() || text == "hello\n", "{point}: {text:?}");
    while reader.read_line(&mut text).await.unwrap() > 0 {}
    text.into_bytes()
}

#[test]
fn buf_reader_read_line_dropped_at_any_point_leaves_every_byte_for_the_next_call() {
    at_every_drop_point(|point, _| async move {
        // A small buffer, so the line is assembled over several inner reads.
        let mut reader = BufReader::with_capacity(4, pieces());
        assert_eq!(
            lines_after_a_cut(&point, &mut reader).await,
            WHOLE,
            "{point}"
        );
    });
}

#[test]
fn buf_reader_read_until_and_separators_dropped_at_any_point_lose_no_byte() {
    for separators in [0, 1, 2] {
        at_every_drop_point(move |point, _| async move {
            let mut reader = BufReader::with_capacity(4, pieces());
            let mut got = Vec::new();
            let endings: &[&[u8]] = &[b"\r\n", b"\n"];
            let cut = match separators {
                0 => point.run(reader.read_until(b'\n', &mut got)).await,
                1 => {
                    point
                        .run(reader.read_until_separator(b"o\n", &mut got))
                        .await
                }
                _ => point.run(reader.read_until_any(endings, &mut got)).await,
            };
            if cut.is_none() {
                assert!(got.is_empty(), "{point}: a dropped search appends nothing");
            }
            reader.read_to_end(&mut got).await.unwrap();
            assert_eq!(got, WHOLE, "{point}");
        });
    }
}

#[test]
fn write_dropped_at_any_point_has_written_nothing() {
    at_every_drop_point(|point, _| async move {
        let mut writer = Trickle::new(4);
        let written = match point.run(writer.write(b"abcdef")).await {
            Some(n) => n.unwrap(),
            None => 0,
        };
        assert_eq!(writer.written, b"abcdef"[..written], "{point}");
        writer.write_all(&b"abcdef"[written..]).await.unwrap();
        assert_eq!(writer.written, b"abcdef", "{point}");
    });
}

#[test]
fn flush_and_close_dropped_at_any_point_lose_nothing_on_a_socket() {
    // weft's sockets buffer nothing: flush and close complete in their first poll,
    // so the only drop point is before it, and then nothing has happened.
    executor::run(|_| async {
        let (mut client, mut server) = tcp_pair().await;
        for close in [false, true] {
            every_drop_point(|point| {
                let done = futures_lite::future::block_on(async {
                    if close {
                        point.run(client.close()).await
                    } else {
                        point.run(client.flush()).await
                    }
                });
                assert!(done.is_none_or(|r| r.is_ok()), "{point}");
            });
        }
        client.close().await.unwrap();
        let mut rest = Vec::new();
        server.read_to_end(&mut rest).await.unwrap();
        assert!(rest.is_empty());
    });
}

async fn tcp_pair() -> (TcpStream, TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let (client, accepted) = zip(
        TcpStream::connect(listener.local_addr().unwrap()),
        listener.accept(),
    )
    .await;
    (client.unwrap(), accepted.unwrap().0)
}

#[test]
fn tcp_read_dropped_at_any_point_loses_no_byte() {
    at_every_drop_point(|point, _| async move {
        let (mut client, mut server) = tcp_pair().await;
        let mut buf = [0; 64];
        let (cut, ()) = zip(point.run(server.read(&mut buf)), async {
            yields(2).await;
            client.write_all(b"hello ").await.unwrap();
            yields(2).await;
            client.write_all(b"world").await.unwrap();
            client.close().await.unwrap();
        })
        .await;
        let mut got = match cut {
            Some(n) => buf[..n.unwrap()].to_vec(),
            None => Vec::new(),
        };
        server.read_to_end(&mut got).await.unwrap();
        assert_eq!(got, b"hello world", "{point}");
    });
}

#[test]
fn tcp_peek_dropped_at_any_point_consumes_nothing() {
    at_every_drop_point(|point, _| async move {
        let (mut client, mut server) = tcp_pair().await;
        let mut buf = [0; 64];
        let (cut, ()) = zip(point.run(server.peek(&mut buf)), async {
            yields(2).await;
            client.write_all(b"hello").await.unwrap();
            client.close().await.unwrap();
        })
        .await;
        if let Some(n) = cut {
            let n = n.unwrap();
            assert_eq!(&buf[..n], &b"hello"[..n], "{point}");
        }
        let mut got = Vec::new();
        server.read_to_end(&mut got).await.unwrap();
        assert_eq!(got, b"hello", "{point}");
    });
}

/// Accepts through the drop point while a client makes two connections, each sending
/// its number; then accepts what is left: both connections, each once.
async fn accepts_both<S, A, C>(point: &DropPoint, accept: impl Fn() -> A, connect: impl Fn() -> C)
where
    S: futures_lite::AsyncRead + futures_lite::AsyncWrite + Unpin,
    A: Future<Output = io::Result<S>>,
    C: Future<Output = io::Result<S>>,
{
    let clients = async {
        let mut clients = Vec::new();
        for id in [1u8, 2] {
            yields(2).await;
            let mut stream = connect().await.unwrap();
            futures_lite::AsyncWriteExt::write_all(&mut stream, &[id])
                .await
                .unwrap();
            clients.push(stream);
        }
        clients
    };
    let (cut, _clients) = zip(point.run(accept()), clients).await;
    let mut accepted: Vec<S> = cut.map(Result::unwrap).into_iter().collect();
    while accepted.len() < 2 {
        accepted.push(accept().await.unwrap());
    }
    let mut ids = Vec::new();
    for stream in &mut accepted {
        let mut id = [0];
        futures_lite::AsyncReadExt::read_exact(stream, &mut id)
            .await
            .unwrap();
        ids.push(id[0]);
    }
    ids.sort_unstable();
    assert_eq!(ids, [1, 2], "{point}: every connection accepted once");
}

#[test]
fn tcp_accept_dropped_at_any_point_loses_no_connection() {
    at_every_drop_point(|point, _| async move {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        accepts_both(
            &point,
            || async { listener.accept().await.map(|(stream, _)| stream) },
            || TcpStream::connect(addr),
        )
        .await;
    });
}

#[test]
fn unix_accept_dropped_at_any_point_loses_no_connection() {
    let dir = std::env::temp_dir().join(format!("weft-cancel-accept-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("socket");
    let for_scenario = path.clone();
    at_every_drop_point(move |point, _| {
        let path = for_scenario.clone();
        async move {
            let _ = std::fs::remove_file(&path);
            let listener = UnixListener::bind(&path).unwrap();
            accepts_both(
                &point,
                || async { listener.accept().await.map(|(stream, _)| stream) },
                || UnixStream::connect(&path),
            )
            .await;
        }
    });
    let _ = std::fs::remove_dir_all(&dir);
    drop(path);
}

#[test]
fn udp_recv_dropped_at_any_point_loses_no_datagram() {
    at_every_drop_point(|point, _| async move {
        let receiver = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let sender = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        sender
            .connect(receiver.local_addr().unwrap())
            .await
            .unwrap();
        let mut buf = [0; 16];
        let (cut, ()) = zip(point.run(receiver.recv(&mut buf)), async {
            for id in [1u8, 2] {
                yields(2).await;
                sender.send(&[id]).await.unwrap();
            }
        })
        .await;
        let mut ids = Vec::new();
        if let Some(n) = cut {
            ids.push(buf[..n.unwrap()].to_vec());
        }
        while ids.len() < 2 {
            let n = receiver.recv(&mut buf).await.unwrap();
            ids.push(buf[..n].to_vec());
        }
        ids.sort();
        assert_eq!(ids, [[1], [2]], "{point}: every datagram received once");
    });
}

/// The scripted reader of the loss demonstrations: "abc", `Pending`, "def", EOF.
fn split_in_two() -> Scripted {
    Scripted::new([Step::Data(b"abc"), Step::Pending, Step::Data(b"def")])
}

#[test]
fn read_exact_dropped_after_a_partial_read_loses_those_bytes_as_documented() {
    futures_lite::future::block_on(async {
        let mut reader = split_in_two();
        let mut buf = [0; 6];
        let point = DropPoint::new(1, At::Pending);
        assert!(point.run(reader.read_exact(&mut buf)).await.is_none());
        // The first three bytes were consumed into a prefix of `buf`, their count lost
        // with the future...
        assert_eq!(&buf[..3], b"abc");
        // ...so a new read_exact starts over, and they are gone from the stream.
        let mut again = [0; 3];
        reader.read_exact(&mut again).await.unwrap();
        assert_eq!(&again, b"def");
    });
}

#[test]
fn read_to_string_dropped_after_a_partial_read_loses_those_bytes_as_documented() {
    futures_lite::future::block_on(async {
        let mut reader = split_in_two();
        let mut text = String::new();
        let point = DropPoint::new(1, At::Pending);
        assert!(point.run(reader.read_to_string(&mut text)).await.is_none());
        assert_eq!(text, "", "buf is unchanged");
        reader.read_to_string(&mut text).await.unwrap();
        assert_eq!(text, "def", "the bytes read before the drop are lost");
    });
}

#[test]
fn write_all_dropped_after_a_partial_write_loses_its_count_as_documented() {
    futures_lite::future::block_on(async {
        // Takes 2 bytes a write, with a Pending before each.
        let mut writer = Trickle::new(2);
        let point = DropPoint::new(2, At::Pending);
        assert!(point.run(writer.write_all(b"abcdef")).await.is_none());
        // A prefix went out, and nothing says how long it was...
        assert_eq!(writer.written, b"ab");
        // ...so writing the buffer again sends that prefix twice.
        writer.write_all(b"abcdef").await.unwrap();
        assert_eq!(writer.written, b"ababcdef");
    });
}

#[test]
fn copy_dropped_while_the_writer_waits_loses_the_bytes_in_between_as_documented() {
    futures_lite::future::block_on(async {
        let mut reader = Scripted::new([Step::Data(b"abcdef")]);
        let mut writer = Trickle::new(2);
        let point = DropPoint::new(2, At::Pending);
        assert!(point.run(copy(&mut reader, &mut writer)).await.is_none());
        // Everything was read, two bytes written: the other four are lost.
        assert_eq!(writer.written, b"ab");
        let mut rest = Vec::new();
        reader.read_to_end(&mut rest).await.unwrap();
        assert!(rest.is_empty());
    });
}
