//! The client's connector: a refused connection and a connect timeout come back as
//! their own errors, naming the URL; host names are resolved off the worker.

mod support;

use std::net::{SocketAddr, TcpStream as StdTcpStream};
use std::time::Duration;
use weft_hyper::client::{self, ConnectError, Connector};
use weft_hyper::{Client, Error};

/// A listener that never accepts, its queue already full: the kernel drops further
/// SYNs, so a connect to it neither succeeds nor fails — a black hole on 127.0.0.1.
/// The sockets must live as long as the test needs the hole.
fn black_hole() -> (socket2::Socket, Vec<StdTcpStream>, SocketAddr) {
    let listener =
        socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    listener
        .bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())
        .unwrap();
    listener.listen(0).unwrap();
    let addr = listener.local_addr().unwrap().as_socket().unwrap();
    // Fill the accept queue: connects complete until it is full, then one times out.
    let mut queued = Vec::new();
    loop {
        match StdTcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
            Ok(stream) => queued.push(stream),
            Err(err) if err.kind() == std::io::ErrorKind::TimedOut => break,
            Err(err) => panic!("filling the accept queue: {err}"),
        }
        assert!(queued.len() < 64, "the accept queue never filled");
    }
    (listener, queued, addr)
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connect_that_never_completes_times_out_with_the_url_named() {
    let (_listener, _queued, addr) = black_hole();
    let client = Client::from(
        client::builder().build(Connector::new().connect_timeout(Duration::from_millis(100))),
    );
    let url = format!("http://{addr}/");
    let err = client.get(&url).await.unwrap_err();
    assert!(err.is_timeout(), "{err}");
    assert!(matches!(err, Error::Timeout { after, .. } if after == Duration::from_millis(100)));
    assert!(err.to_string().contains(&url), "{err}");
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_connection_is_a_connect_error_with_the_os_reason() {
    // A port bound but not listening: held, so no other test can take it meanwhile,
    // and refused.
    let bound = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    bound
        .bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())
        .unwrap();
    let addr = bound.local_addr().unwrap().as_socket().unwrap();
    let url = format!("http://{addr}/page");
    let err = weft_hyper::get(&url).await.unwrap_err();
    assert!(err.is_connect(), "{err}");
    match err.connect_error() {
        Some(ConnectError::Io { target, error }) => {
            assert_eq!(target, &addr.to_string());
            assert_eq!(error.kind(), std::io::ErrorKind::ConnectionRefused);
        }
        other => panic!("not an I/O connect error: {other:?}"),
    }
    assert!(err.to_string().contains(&url), "{err}");
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_name_is_resolved_and_each_address_tried() {
    let server = support::start().await;
    // `localhost` may resolve to ::1 first, where nothing listens: the connector
    // goes on to 127.0.0.1.
    let url = format!("http://localhost:{}/", server.local_addr().port());
    assert_eq!(
        weft_hyper::get(&url).await.unwrap().text().await.unwrap(),
        "hello"
    );
}
