//! One HTTP/1.1 request on a kept-alive connection: `GET /`, then the whole response
//! read and checked — status 200, `content-length`, the hello body.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use weft_benches::load::Exchange;

use crate::server::HELLO;

/// The request: the smallest a real client sends.
const REQUEST: &[u8] = b"GET / HTTP/1.1\r\nhost: bench\r\n\r\n";
/// Bytes read at a time.
const READ_CHUNK: usize = 4096;

/// A connection's request loop, reusing its read buffer.
pub(crate) struct HelloGet {
    buf: Vec<u8>,
}

impl HelloGet {
    pub(crate) fn new() -> HelloGet {
        HelloGet {
            buf: Vec::with_capacity(READ_CHUNK),
        }
    }

    /// Reads what the server sent next onto `buf`; end of stream is an error (the
    /// response is not whole yet).
    fn read_more(&mut self, stream: &mut TcpStream) -> io::Result<()> {
        let start = self.buf.len();
        self.buf.resize(start + READ_CHUNK, 0);
        let n = stream.read(&mut self.buf[start..])?;
        self.buf.truncate(start + n);
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        Ok(())
    }
}

impl Exchange for HelloGet {
    fn round_trip(&mut self, stream: &mut TcpStream) -> io::Result<()> {
        stream.write_all(REQUEST)?;
        self.buf.clear();
        let head_len = loop {
            if let Some(end) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break end + 4;
            }
            self.read_more(stream)?;
        };
        let body_len = parse_head(&self.buf[..head_len])?;
        while self.buf.len() < head_len + body_len {
            self.read_more(stream)?;
        }
        if &self.buf[head_len..] != HELLO {
            return Err(invalid(format!(
                "unexpected body: {:?}",
                String::from_utf8_lossy(&self.buf[head_len..])
            )));
        }
        Ok(())
    }
}

/// Checks the status line and returns the `content-length`.
fn parse_head(head: &[u8]) -> io::Result<usize> {
    let head = std::str::from_utf8(head).map_err(|err| invalid(err.to_string()))?;
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap_or_default();
    if !status.starts_with("HTTP/1.1 200 ") {
        return Err(invalid(format!("status line {status:?}")));
    }
    lines
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse().ok())
        .ok_or_else(|| invalid("no content-length".to_owned()))
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}
