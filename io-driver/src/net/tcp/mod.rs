//! TCP: [`TcpListener`] accepts, [`TcpStream`] connects and carries bytes.

mod listener;
mod stream;

pub use listener::TcpListener;
pub use stream::TcpStream;
