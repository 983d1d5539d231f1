//! Graceful shutdown: the listener closes at once (new connections are refused),
//! requests in flight finish, and what is still running at the end of the grace
//! period is cancelled — over HTTP/1.1 and HTTP/2.

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::{Request, Response};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use weft::net::{TcpListener, TcpStream};
use weft::sync::Event;
use weft_hyper::client::{self, Connector};
use weft_hyper::server::{serve, HttpService, Serve};
use weft_hyper::Client;

/// What the gated handler tells the test, and what the test tells it.
#[derive(Default)]
struct Gates {
    /// The handler is running.
    started: Event,
    /// The handler may answer.
    release: Event,
    /// The handler's future was dropped before it answered.
    cancelled: Event,
}

/// Sets `cancelled` if dropped before `finish`.
struct Unfinished(Option<Arc<Gates>>);

impl Unfinished {
    fn finish(mut self) {
        self.0 = None;
    }
}

impl Drop for Unfinished {
    fn drop(&mut self) {
        if let Some(gates) = &self.0 {
            gates.cancelled.set();
        }
    }
}

/// A service whose every request waits for `release` before answering "finished".
fn gated(gates: Arc<Gates>) -> impl HttpService {
    hyper::service::service_fn(move |_request: Request<Incoming>| {
        let gates = gates.clone();
        async move {
            let unfinished = Unfinished(Some(gates.clone()));
            gates.started.set();
            gates.release.wait().await;
            unfinished.finish();
            Ok::<_, Infallible>(Response::new(Full::new(Bytes::from("finished"))))
        }
    })
}

async fn listen(gates: &Arc<Gates>) -> Serve<impl HttpService> {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    serve(listener, gated(gates.clone()))
}

/// An HTTP/1.1 client, and one that speaks HTTP/2 with prior knowledge.
fn clients() -> [(&'static str, Client); 2] {
    let h2 = client::builder().http2_only(true).build(Connector::new());
    [("HTTP/1.1", Client::new()), ("HTTP/2", Client::from(h2))]
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_flight_requests_finish_and_new_connections_are_refused() {
    for (protocol, client) in clients() {
        let gates = Arc::new(Gates::default());
        let server = listen(&gates).await.spawn();
        let addr = server.local_addr();
        let in_flight =
            weft::spawn(async move { client.get(format!("http://{addr}/")).await?.text().await });
        gates.started.wait().await;

        server.begin_shutdown();
        // The accept loop sees the signal and closes the listener; until then a
        // connection may still get in (and be closed by the drain), or be reset
        // when the listener closes with it in the backlog.
        loop {
            match TcpStream::connect(addr).await {
                Err(err) if err.kind() == std::io::ErrorKind::ConnectionRefused => break,
                Err(err) if err.kind() == std::io::ErrorKind::ConnectionReset => {}
                Err(err) => panic!("{protocol}: connecting failed otherwise: {err}"),
                Ok(_) => weft::yield_now().await,
            }
        }

        gates.release.set();
        let answer = in_flight.await.unwrap();
        let answer = answer.unwrap_or_else(|err| panic!("{protocol}: {err}"));
        assert_eq!(answer, "finished", "{protocol}");
        let report = server.shutdown().await.unwrap();
        assert!(report.is_clean(), "{protocol}: {report:?}");
        assert!(!gates.cancelled.is_set(), "{protocol}");
    }
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_still_running_at_the_end_of_the_grace_period_is_cancelled() {
    for (protocol, client) in clients() {
        let gates = Arc::new(Gates::default()); // never released
        let server = listen(&gates)
            .await
            .grace_period(Duration::from_millis(100))
            .spawn();
        let url = format!("http://{}/", server.local_addr());
        let in_flight = weft::spawn(async move { client.get(url).await?.text().await });
        gates.started.wait().await;

        let report = server.shutdown().await.unwrap();
        assert_eq!(report.cancelled(), 1, "{protocol}");
        assert!(
            gates.cancelled.is_set(),
            "{protocol}: the handler was not dropped"
        );
        let failed = in_flight.await.unwrap().unwrap_err();
        assert!(
            matches!(failed, weft_hyper::Error::Http { .. }),
            "{protocol}: {failed}"
        );
    }
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn awaiting_serve_returns_after_its_signal_and_the_drain() {
    let gates = Arc::new(Gates::default());
    gates.release.set(); // answers at once
    let stop = Arc::new(Event::new());
    let signal = stop.clone();
    let serve = listen(&gates)
        .await
        .with_graceful_shutdown(async move { signal.wait().await });
    let url = format!("http://{}/", serve.local_addr().unwrap());
    let stats = serve.stats();
    let running = weft::spawn(async move { serve.await });

    let text = weft_hyper::get(&url).await.unwrap().text().await.unwrap();
    assert_eq!(text, "finished");
    stop.set();
    let report = running.await.unwrap().unwrap();
    assert!(report.is_clean());
    assert_eq!(stats.accepted(), 1);
    assert_eq!(stats.open(), 0, "{stats:?}");
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_the_server_handle_stops_it_at_once() {
    let gates = Arc::new(Gates::default()); // never released
    let server = listen(&gates).await.spawn();
    let url = format!("http://{}/", server.local_addr());
    let in_flight = weft::spawn(async move { weft_hyper::get(url).await?.text().await });
    gates.started.wait().await;
    drop(server);
    gates.cancelled.wait().await;
    assert!(in_flight.await.unwrap().is_err());
}
