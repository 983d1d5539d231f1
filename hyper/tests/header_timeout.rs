//! hyper's header-read timeout runs on weft's timer: a client that stops half-way
//! through a request head is disconnected, and so is one that says nothing at all;
//! the server counts each and goes on serving.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;
use weft::io::{AsyncReadExt, AsyncWriteExt};
use weft::net::{TcpListener, TcpStream};
use weft_hyper::server::{serve, ConnectionError, Server};

/// Short, so the test is quick; nothing asserts how long anything took.
const HEADER_TIMEOUT: Duration = Duration::from_millis(200);
/// Far beyond the timeout: reached only if no timeout fires at all.
const HANG: Duration = Duration::from_secs(60);

/// The routes, with the short timeout; each failure's `is_timeout` and whether it
/// was hyper's own error are recorded.
async fn start() -> (Server, Arc<Mutex<Vec<(bool, bool)>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = serve(listener, support::routes())
        .header_read_timeout(HEADER_TIMEOUT)
        .on_connection_error(move |err: &ConnectionError| {
            let from_hyper = std::error::Error::source(err)
                .is_some_and(|source| source.downcast_ref::<hyper::Error>().is_some());
            record.lock().unwrap().push((err.is_timeout(), from_hyper));
        })
        .spawn();
    (server, seen)
}

/// Reads until the server closes; what it sent first, if anything.
async fn read_until_closed(stream: &mut TcpStream) -> String {
    let mut reply = Vec::new();
    let read = weft::time::timeout(HANG, stream.read_to_end(&mut reply)).await;
    let read = read.expect("the server never closed the connection: no header timeout");
    // A reset instead of a FIN is a close too.
    if let Err(err) = read {
        assert_eq!(err.kind(), std::io::ErrorKind::ConnectionReset, "{err}");
    }
    String::from_utf8_lossy(&reply).into_owned()
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_half_sent_request_head_is_cut_off_by_the_header_read_timeout() {
    let (server, seen) = start().await;
    let mut client = TcpStream::connect(server.local_addr()).await.unwrap();
    // The request line and one header, but never the blank line that ends a head.
    client
        .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
        .await
        .unwrap();
    let reply = read_until_closed(&mut client).await;
    assert!(
        !reply.contains("hello"),
        "the half request was served: {reply}"
    );

    // The server counted it, as hyper's timeout, and serves on.
    assert_eq!(server.stats().failed(), 1, "{:?}", server.stats());
    assert_eq!(*seen.lock().unwrap(), [(true, true)]);
    let url = support::url(&server, "/");
    assert_eq!(
        weft_hyper::get(&url).await.unwrap().text().await.unwrap(),
        "hello"
    );
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_sends_nothing_is_cut_off_too() {
    let (server, seen) = start().await;
    let mut client = TcpStream::connect(server.local_addr()).await.unwrap();
    let reply = read_until_closed(&mut client).await;
    assert_eq!(reply, "");
    assert_eq!(server.stats().failed(), 1, "{:?}", server.stats());
    assert_eq!(*seen.lock().unwrap(), [(true, false)]);
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kept_alive_connection_left_idle_past_the_timeout_is_closed() {
    let (server, seen) = start().await;
    let mut client = TcpStream::connect(server.local_addr()).await.unwrap();
    client
        .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    // The response, then the idle connection's close once the timer fires.
    let reply = read_until_closed(&mut client).await;
    assert!(reply.starts_with("HTTP/1.1 200 OK"), "{reply}");
    assert!(reply.ends_with("hello"), "{reply}");
    // hyper reports it as its header-read timeout.
    assert_eq!(server.stats().failed(), 1, "{:?}", server.stats());
    assert_eq!(*seen.lock().unwrap(), [(true, true)]);
}
