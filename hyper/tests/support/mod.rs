//! A test server with a few routes on 127.0.0.1:0, and the files it serves.
//!
//! Each test file that uses it says `mod support;`; not every file uses every item.
#![allow(dead_code)]

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use std::convert::Infallible;
use weft_hyper::server::{serve, HttpService, Server};

/// The files under `/files/`.
pub(crate) const FILES: [(&str, &str); 4] = [
    ("alpha.txt", "first file\n"),
    ("bravo.txt", "second file\n"),
    ("charlie.txt", "third file\n"),
    ("delta.txt", "fourth file\n"),
];

/// Bytes in `/big`'s body.
pub(crate) const BIG_LEN: usize = 1 << 20;

/// The routes: `/` says hello, `/echo` returns the request's body, `/version` its
/// HTTP version, `/big` a 1 MiB body, `/files/NAME` one of [`FILES`] (404 for others).
pub(crate) fn routes() -> impl HttpService {
    hyper::service::service_fn(|request: Request<Incoming>| async move {
        let path = request.uri().path().to_owned();
        let version = request.version();
        let response = match path.as_str() {
            "/" => Response::new(Full::new(Bytes::from("hello"))),
            "/version" => Response::new(Full::new(Bytes::from(format!("{version:?}")))),
            "/big" => Response::new(Full::new(Bytes::from(big_body()))),
            "/echo" => {
                let body = request.into_body().collect().await.map(|b| b.to_bytes());
                Response::new(Full::new(body.unwrap_or_default()))
            }
            _ => match path.strip_prefix("/files/").and_then(file) {
                Some(contents) => Response::new(Full::new(Bytes::from(contents))),
                None => {
                    let mut missing = Response::new(Full::new(Bytes::from("no such file")));
                    *missing.status_mut() = StatusCode::NOT_FOUND;
                    missing
                }
            },
        };
        Ok::<_, Infallible>(response)
    })
}

/// `/big`'s body: every byte differs from its neighbours, so a lost or repeated
/// chunk shows.
pub(crate) fn big_body() -> Vec<u8> {
    (0..BIG_LEN).map(|i| (i % 251) as u8).collect()
}

/// The contents of file `name`.
pub(crate) fn file(name: &str) -> Option<&'static str> {
    FILES.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
}

/// [`routes`] served on 127.0.0.1:0, in a task of its own.
pub(crate) async fn start() -> Server {
    start_with(routes()).await
}

/// `service` served on 127.0.0.1:0, in a task of its own.
pub(crate) async fn start_with(service: impl HttpService) -> Server {
    let listener = weft::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    serve(listener, service).spawn()
}

/// `http://ADDR/path` for a running server.
pub(crate) fn url(server: &Server, path: &str) -> String {
    format!("http://{}{path}", server.local_addr())
}
