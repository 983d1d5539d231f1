//! A service call that panics answers 500 and harms nothing else; a service that
//! fails ends its own connection and nothing else. The server counts each, reports
//! it to the hook, and the other connections and requests go on.

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::{Request, Response};
use std::sync::{Arc, Mutex};
use weft::net::TcpListener;
use weft::sync::Event;
use weft_hyper::client::{self, Connector};
use weft_hyper::server::{serve, ConnectionError, HttpService, Server};
use weft_hyper::Client;

/// `/panic` panics, `/error` fails, `/hold` answers once `release` is set, anything
/// else answers "ok".
fn flaky(started: Arc<Event>, release: Arc<Event>) -> impl HttpService {
    hyper::service::service_fn(move |request: Request<Incoming>| {
        let (started, release) = (started.clone(), release.clone());
        async move {
            match request.uri().path() {
                "/panic" => panic!("the service panicked on purpose"),
                "/error" => return Err("the service failed on purpose".to_owned()),
                "/hold" => {
                    started.set();
                    release.wait().await;
                }
                _ => {}
            }
            Ok(Response::new(Full::new(Bytes::from("ok"))))
        }
    })
}

struct Fixture {
    server: Server,
    started: Arc<Event>,
    release: Arc<Event>,
    reported: Arc<Mutex<Vec<String>>>,
}

async fn start() -> Fixture {
    let (started, release) = (Arc::new(Event::new()), Arc::new(Event::new()));
    let reported = Arc::new(Mutex::new(Vec::new()));
    let record = reported.clone();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = serve(listener, flaky(started.clone(), release.clone()))
        .on_connection_error(move |err: &ConnectionError| {
            record.lock().unwrap().push(err.to_string());
        })
        .spawn();
    Fixture {
        server,
        started,
        release,
        reported,
    }
}

impl Fixture {
    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.server.local_addr())
    }

    /// Starts a `/hold` request on `client` and waits until the service has it.
    async fn hold(&self, client: Client) -> weft::Task<Result<String, weft_hyper::Error>> {
        let url = self.url("/hold");
        let held = weft::spawn(async move { client.get(url).await?.text().await });
        self.started.wait().await;
        held
    }

    /// Releases the held request and checks it was answered; then checks that `client`
    /// is served again. Returns what the error hook was told.
    async fn unharmed(
        &self,
        held: weft::Task<Result<String, weft_hyper::Error>>,
        client: &Client,
    ) -> Vec<String> {
        self.release.set();
        let answer = held.await.unwrap().unwrap();
        assert_eq!(answer, "ok", "the request beside the failure was hurt");
        let after = client.get(self.url("/")).await.unwrap();
        assert_eq!(after.text().await.unwrap(), "ok");
        self.reported.lock().unwrap().clone()
    }
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_service_call_answers_500_and_harms_nothing_else_over_http1() {
    let fixture = start().await;
    let held = fixture.hold(Client::new()).await;
    let client = Client::new();
    let panicked = client.get(fixture.url("/panic")).await.unwrap();
    assert_eq!(panicked.status(), 500);

    let reported = fixture.unharmed(held, &client).await;
    let stats = fixture.server.stats();
    assert_eq!((stats.panicked(), stats.failed()), (1, 0), "{stats:?}");
    assert_eq!(reported.len(), 1, "{reported:?}");
    let message = "the service panicked: the service panicked on purpose";
    assert!(reported[0].contains(message), "{reported:?}");
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_service_call_answers_500_and_harms_nothing_else_over_http2() {
    let fixture = start().await;
    let h2 = Client::from(client::builder().http2_only(true).build(Connector::new()));
    // The same connection for all: HTTP/2 multiplexes them.
    let held = fixture.hold(h2.clone()).await;
    let panicked = h2.get(fixture.url("/panic")).await.unwrap();
    assert_eq!(panicked.status(), 500);

    let reported = fixture.unharmed(held, &h2).await;
    let stats = fixture.server.stats();
    assert_eq!((stats.panicked(), stats.accepted()), (1, 1), "{stats:?}");
    assert_eq!(reported.len(), 1, "{reported:?}");
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_service_ends_its_own_connection_only() {
    let fixture = start().await;
    let held = fixture.hold(Client::new()).await;
    // hyper closes the connection whose service failed, without a response.
    let client = Client::new();
    let failed = client.get(fixture.url("/error")).await.unwrap_err();
    assert!(matches!(failed, weft_hyper::Error::Http { .. }), "{failed}");

    let reported = fixture.unharmed(held, &client).await;
    let stats = fixture.server.stats();
    assert_eq!((stats.failed(), stats.panicked()), (1, 0), "{stats:?}");
    assert_eq!(reported.len(), 1, "{reported:?}");
    assert!(
        reported[0].contains("connection from 127.0.0.1:"),
        "{reported:?}"
    );
}
