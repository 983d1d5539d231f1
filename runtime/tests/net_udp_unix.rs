//! UDP and Unix sockets on the weft runtime: round trips.

use weft::io::{AsyncReadExt, AsyncWriteExt};
use weft::net::{UdpSocket, UnixDatagram, UnixListener, UnixStream};

fn runtime() -> weft::Runtime {
    weft::Runtime::builder().worker_threads(2).build().unwrap()
}

#[test]
fn a_udp_round_trip_carries_the_datagram_and_the_sender() {
    runtime().block_on(async {
        let a = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let b = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let b_addr = b.local_addr().unwrap();
        let echo = weft::spawn(async move {
            let mut buf = [0u8; 64];
            let (n, from) = b.recv_from(&mut buf).await.unwrap();
            b.send_to(&buf[..n], from).await.unwrap();
        });
        a.send_to(b"ping", b_addr).await.unwrap();
        let mut buf = [0u8; 64];
        let (n, from) = a.recv_from(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"ping");
        assert_eq!(from, b_addr);
        echo.await.unwrap();
    });
}

#[test]
fn a_unix_stream_round_trip_through_a_listener() {
    let dir = std::env::temp_dir().join(format!("weft-unix-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("echo.sock");
    let _ = std::fs::remove_file(&path);
    runtime().block_on(async {
        let listener = UnixListener::bind(&path).unwrap();
        let server = weft::spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut buf = Vec::new();
            stream.read_to_end(&mut buf).await.unwrap();
            stream.write_all(&buf).await.unwrap();
        });
        let mut client = UnixStream::connect(&path).await.unwrap();
        client.write_all(b"over a unix socket").await.unwrap();
        client.shutdown(std::net::Shutdown::Write).unwrap();
        let mut back = Vec::new();
        client.read_to_end(&mut back).await.unwrap();
        assert_eq!(back, b"over a unix socket");
        server.await.unwrap();
    });
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_unix_datagram_pair_round_trip() {
    runtime().block_on(async {
        let (a, b) = UnixDatagram::pair().unwrap();
        a.send(b"one datagram").await.unwrap();
        let mut buf = [0u8; 32];
        let n = b.recv(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"one datagram");
    });
}
