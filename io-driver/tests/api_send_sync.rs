//! Which public types cross threads, checked at compile time: sockets, halves, stream
//! helpers and their futures are `Send` (and `Sync` where they are shared), so tasks
//! that hold or await them can be spawned on a multi-thread runtime; the thread-bound
//! `EnterGuard` is neither.
//!
//! The claims are `static_assertions`' (`assert_impl_all!`, `assert_not_impl_any!`):
//! the file does not compile if one is false. The functions that build futures are
//! compiled, never run: the type checker is the test.

use static_assertions::{assert_impl_all, assert_not_impl_any};
use std::future::Future;
use std::os::unix::net::UnixStream as StdUnixStream;
use weft_io::io::unix::{AsyncFd, AsyncFdReadyGuard, TryIoError};
use weft_io::io::{
    AsyncReadExt, AsyncWriteExt, BufReader, BufWriter, Lines, ReadHalf, ReuniteError, WriteHalf,
};
use weft_io::net::tls::{Handshake, TlsAcceptor, TlsConnector, TlsStream};
use weft_io::net::{
    OwnedReadHalf, OwnedWriteHalf, TcpListener, TcpStream, UdpSocket, UnixDatagram, UnixListener,
    UnixStream,
};
use weft_io::{EnterGuard, Reactor, ReactorHandle, RuntimeShutdown};

fn future_is_send<F: Future + Send>(_: F) {}

// Sockets, halves, stream helpers and handles.
assert_impl_all!(ReactorHandle: Send, Sync);
assert_impl_all!(RuntimeShutdown: Send, Sync);
assert_impl_all!(TcpListener: Send, Sync);
assert_impl_all!(TcpStream: Send, Sync);
assert_impl_all!(UdpSocket: Send, Sync);
assert_impl_all!(UnixListener: Send, Sync);
assert_impl_all!(UnixStream: Send, Sync);
assert_impl_all!(UnixDatagram: Send, Sync);
assert_impl_all!(OwnedReadHalf<TcpStream>: Send, Sync);
assert_impl_all!(OwnedWriteHalf<UnixStream>: Send, Sync);
assert_impl_all!(BufReader<OwnedReadHalf>: Send, Sync);
assert_impl_all!(BufWriter<OwnedWriteHalf>: Send, Sync);
assert_impl_all!(Lines<BufReader<OwnedReadHalf>>: Send, Sync);
assert_impl_all!(ReadHalf<TcpStream>: Send, Sync);
assert_impl_all!(WriteHalf<TcpStream>: Send, Sync);
assert_impl_all!(ReuniteError<ReadHalf<TcpStream>, WriteHalf<TcpStream>>: Send, Sync);
assert_impl_all!(AsyncFd<StdUnixStream>: Send, Sync);
assert_impl_all!(AsyncFdReadyGuard<'static, StdUnixStream>: Send, Sync);
assert_impl_all!(TryIoError: Send, Sync);
assert_impl_all!(TlsAcceptor: Send, Sync);
assert_impl_all!(TlsConnector: Send, Sync);
assert_impl_all!(TlsStream<TcpStream>: Send, Sync);
assert_impl_all!(Handshake<TcpStream>: Send, Sync);

// The reactor moves to whichever thread parks.
assert_impl_all!(Reactor: Send);
// An enter guard makes a reactor current on *this* thread and restores the previous
// one when dropped, which only means something on the same thread.
assert_not_impl_any!(EnterGuard: Send, Sync);

#[allow(dead_code)]
fn socket_futures_are_send(
    listener: &TcpListener,
    stream: &TcpStream,
    udp: &UdpSocket,
    unix_listener: &UnixListener,
    datagram: &UnixDatagram,
    fd: &AsyncFd<std::fs::File>,
    connector: &TlsConnector,
) {
    let mut buf = [0; 8];
    future_is_send(TcpStream::connect("localhost:80"));
    future_is_send(TcpListener::bind("127.0.0.1:0"));
    future_is_send(listener.accept());
    future_is_send(stream.peek(&mut buf));
    future_is_send(UdpSocket::bind("127.0.0.1:0"));
    future_is_send(udp.connect("127.0.0.1:9"));
    future_is_send(udp.send_to(b"x", "127.0.0.1:9"));
    future_is_send(udp.recv_from(&mut buf));
    future_is_send(udp.send(b"x"));
    future_is_send(udp.recv(&mut buf));
    future_is_send(UnixStream::connect("/tmp/s"));
    future_is_send(unix_listener.accept());
    future_is_send(datagram.send_to(b"x", "/tmp/s"));
    future_is_send(datagram.recv_from(&mut buf));
    future_is_send(datagram.send(b"x"));
    future_is_send(datagram.recv(&mut buf));
    future_is_send(fd.readable());
    future_is_send(fd.writable());
    future_is_send(weft_io::net::lookup_host("localhost:80"));
    future_is_send(weft_io::net::open_connection("127.0.0.1:80"));
    future_is_send(weft_io::net::open_unix_connection("/tmp/s"));
    future_is_send(weft_io::net::tls::open_connection(
        "localhost",
        443,
        connector,
    ));
}

#[allow(dead_code)]
fn stream_helper_futures_are_send(
    reader: &mut BufReader<OwnedReadHalf>,
    lines: &mut Lines<OwnedReadHalf>,
    writer: &mut OwnedWriteHalf,
    acceptor: &TlsAcceptor,
    connector: &TlsConnector,
    stream: TcpStream,
    other: TcpStream,
) {
    let mut buf = [0; 8];
    let mut bytes = Vec::new();
    let mut line = String::new();
    future_is_send(reader.read(&mut buf));
    future_is_send(reader.read_exact(&mut buf));
    future_is_send(reader.read_to_end(&mut bytes));
    future_is_send(reader.read_to_string(&mut line));
    future_is_send(reader.read_line(&mut line));
    future_is_send(reader.read_until(b'\n', &mut bytes));
    future_is_send(lines.next_line());
    future_is_send(writer.write(b"x"));
    future_is_send(writer.write_all(b"x"));
    future_is_send(writer.flush());
    future_is_send(writer.close());
    future_is_send(weft_io::io::copy(reader, writer));
    future_is_send(acceptor.accept(stream));
    future_is_send(connector.connect("localhost", other));
}
