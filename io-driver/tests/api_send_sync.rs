//! Which public types cross threads: checked at compile time.

use weft_io::io::BufReader;
use weft_io::net::{
    OwnedReadHalf, OwnedWriteHalf, TcpListener, TcpStream, UdpSocket, UnixDatagram, UnixListener,
    UnixStream,
};
use weft_io::{Reactor, ReactorHandle};

fn send_sync<T: Send + Sync>() {}
fn send<T: Send>() {}

#[test]
fn sockets_halves_and_handles_are_send_and_sync() {
    send_sync::<ReactorHandle>();
    send_sync::<TcpListener>();
    send_sync::<TcpStream>();
    send_sync::<UdpSocket>();
    send_sync::<UnixListener>();
    send_sync::<UnixStream>();
    send_sync::<UnixDatagram>();
    send_sync::<OwnedReadHalf<TcpStream>>();
    send_sync::<OwnedWriteHalf<UnixStream>>();
    send_sync::<BufReader<OwnedReadHalf>>();
    send_sync::<weft_io::io::unix::AsyncFd<std::os::unix::net::UnixStream>>();
}

#[test]
fn the_reactor_can_move_to_the_thread_that_parks() {
    send::<Reactor>();
}

#[test]
fn socket_futures_are_send() {
    fn future_is_send<F: std::future::Future + Send>(_: F) {}
    let stream: Option<TcpStream> = None;
    if let Some(stream) = &stream {
        future_is_send(stream.peek(&mut [0; 1]));
    }
    future_is_send(TcpStream::connect("localhost:80"));
    let fd: Option<weft_io::io::unix::AsyncFd<std::fs::File>> = None;
    if let Some(fd) = &fd {
        future_is_send(fd.readable());
        future_is_send(fd.writable());
    }
    future_is_send(TcpListener::bind("127.0.0.1:0"));
    future_is_send(weft_io::net::open_connection("127.0.0.1:80"));
}
