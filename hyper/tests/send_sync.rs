//! Every public type that crosses threads is `Send` and `Sync` (a server's handle, a
//! client and its clones, a response, the errors), checked at compile time.

use weft::net::TcpStream;
use weft_hyper::client::{ConnectError, Connecting, Connector, MaybeHttpsStream};
use weft_hyper::rt::{WeftExecutor, WeftIo, WeftSleep, WeftTimer};
use weft_hyper::server::{ConnectionError, Server, ShutdownReport, Stats};
use weft_hyper::{Client, Error, Response};

fn send_sync<T: Send + Sync>() {}
fn send<T: Send>() {}

#[test]
fn public_types_are_send_and_sync() {
    send_sync::<WeftIo<TcpStream>>();
    send_sync::<WeftExecutor>();
    send_sync::<WeftTimer>();
    send_sync::<WeftSleep>();
    send_sync::<Client>();
    send_sync::<Connector>();
    send_sync::<MaybeHttpsStream>();
    send_sync::<ConnectError>();
    send_sync::<Error>();
    send_sync::<Response>();
    send_sync::<Server>();
    send_sync::<Stats>();
    send_sync::<ShutdownReport>();
    send_sync::<ConnectionError>();
    // A connection attempt and a server being configured move to a task.
    send::<Connecting>();
}

/// Checked where it is written: for every `S: HttpService`, `Serve<S>` is `Send`.
#[allow(dead_code)]
fn a_serve_of_any_service_is_send<S: weft_hyper::server::HttpService>() {
    send::<weft_hyper::server::Serve<S>>();
}
