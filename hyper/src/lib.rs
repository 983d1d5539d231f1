//! hyper on the weft runtime: what hyper-util's tokio module and smol-hyper give
//! their runtimes, in hyper-util's layout.
//!
//! - [`rt`]: hyper's runtime traits — [`WeftIo`](rt::WeftIo) (I/O, safe code, vectored
//!   writes passed through), [`WeftExecutor`](rt::WeftExecutor) (HTTP/2's tasks),
//!   [`WeftTimer`](rt::WeftTimer) (hyper's timeouts, on weft's timer wheel).
//! - [`server`]: [`serve`](server::serve) a listener with any hyper or tower service
//!   (an axum `Router`), HTTP/1.1 and HTTP/2, with graceful shutdown.
//! - [`client`]: hyper-util's pooled client over weft's TCP — `https` too, with the
//!   `tls` feature (rustls, through weft's `tls` feature) — and [`Client`], a session
//!   for scripts; [`get`] for one-liners.
//!
//! A server, with no glue:
//!
//! ```no_run
//! use http_body_util::Full;
//! use hyper::{body::Bytes, service::service_fn, Response};
//!
//! #[weft::main]
//! async fn main() -> std::io::Result<()> {
//!     let listener = weft::net::TcpListener::bind("127.0.0.1:3000").await?;
//!     let hello = service_fn(|_req| async { Ok::<_, hyper::Error>(Response::new(Full::new(Bytes::from("hello")))) });
//!     weft_hyper::server::serve(listener, hello).await?;
//!     Ok(())
//! }
//! ```
//!
//! And a client:
//!
//! ```no_run
//! #[weft::main]
//! async fn main() -> Result<(), weft_hyper::Error> {
//!     let page = weft_hyper::get("http://127.0.0.1:3000/").await?.text().await?;
//!     println!("{page}");
//!     Ok(())
//! }
//! ```
//!
//! Both at once, checked:
//!
//! ```
//! use http_body_util::Full;
//! use hyper::{body::Bytes, service::service_fn, Response};
//!
//! #[weft::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let listener = weft::net::TcpListener::bind("127.0.0.1:0").await?;
//!     let hello = service_fn(|_req| async { Ok::<_, hyper::Error>(Response::new(Full::new(Bytes::from("hello")))) });
//!     let server = weft_hyper::server::serve(listener, hello).spawn();
//!     let page = weft_hyper::get(format!("http://{}/", server.local_addr())).await?.text().await?;
//!     assert_eq!(page, "hello");
//!     server.shutdown().await?;
//!     Ok(())
//! }
//! ```
//!
//! | aiohttp                                   | weft-rt-hyper                                  |
//! |-------------------------------------------|------------------------------------------------|
//! | `await aiohttp.request("GET", url)`       | [`get`]`(url).await?`                          |
//! | `async with ClientSession() as session`   | [`Client::new`]`()` (clones share its pool)    |
//! | `await resp.text()`, `await resp.read()`  | [`Response::text`], [`Response::bytes`]        |
//! | `web.Application()` + `web.run_app(app)`  | an axum `Router` + [`server::serve_tower`]     |
//!
//! The guide's chapter is `docs/http.md`; every code block in it is a doc test of this
//! crate.
#![warn(missing_docs)]

pub mod client;
mod error;
pub mod rt;
pub mod server;

pub use client::{Client, Response};
pub use error::Error;

/// `GET url` through a client shared by the whole process (aiohttp's
/// `aiohttp.request("GET", url)`): for scripts; a program making many requests
/// keeps a [`Client`] of its own.
///
/// ```
/// use http_body_util::Full;
/// use hyper::body::Bytes;
///
/// weft::run(async {
///     let listener = weft::net::TcpListener::bind("127.0.0.1:0").await?;
///     let hello = hyper::service::service_fn(|_req| async {
///         Ok::<_, std::convert::Infallible>(hyper::Response::new(Full::new(Bytes::from("hi"))))
///     });
///     let server = weft_hyper::server::serve(listener, hello).spawn();
///     let url = format!("http://{}/", server.local_addr());
///
///     assert_eq!(weft_hyper::get(&url).await?.text().await?, "hi");
///     assert_eq!(weft_hyper::get(&url).await?.bytes().await?, "hi");
///     Ok::<_, Box<dyn std::error::Error>>(())
/// })
/// .unwrap();
/// ```
///
/// # Errors
///
/// As [`Client::get`]: [`Error::InvalidUrl`], [`Error::Connect`], [`Error::Timeout`],
/// [`Error::Http`]. A 4xx or 5xx response is a response; see
/// [`Response::error_for_status`].
///
/// # Cancel safety
///
/// Dropping the future abandons the request; a connection it was using is closed,
/// not returned to the pool.
pub async fn get(url: impl client::IntoUrl) -> Result<Response, Error> {
    client::shared().get(url).await
}

/// The crate's README, compiled and run as a doc test so it stays true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// The guide's HTTP chapter (`docs/http.md`), compiled and run as doc tests. It
/// exists only while rustdoc collects doc tests, so the published crate does not
/// need the file.
#[cfg(doctest)]
#[doc = include_str!("../../docs/http.md")]
struct HttpChapter;
