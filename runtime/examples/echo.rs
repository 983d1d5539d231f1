//! asyncio's TCP echo server and client: `start_server` runs a handler per connection,
//! `open_connection` gives the client a reader and a writer.
//!
//! The server listens on 127.0.0.1:8888 unless told otherwise — the first argument, or
//! the `ECHO_ADDR` environment variable (port 0 picks a free port) — and stops by itself
//! once its client is done.
//!
//! ```text
//! cargo run --example echo
//! cargo run --example echo -- 127.0.0.1:0
//! ```

use std::io;

use weft::io::{AsyncWriteExt, BufReader};
use weft::net::{open_connection, start_server, OwnedReadHalf, OwnedWriteHalf};

/// One connection: echo every line back until the client closes its side.
async fn handle_echo(
    mut reader: BufReader<OwnedReadHalf>,
    mut writer: OwnedWriteHalf,
) -> io::Result<()> {
    let peer = writer.as_ref().peer_addr()?; // asyncio: get_extra_info("peername")
    let mut line = String::new();
    // `read_line` appends to `line` and returns 0 at end of stream.
    while reader.read_line(&mut line).await? != 0 {
        println!("server: received {:?} from {peer}", line.trim_end());
        // `write_all` returns once the kernel has every byte: asyncio's write + drain.
        writer.write_all(line.as_bytes()).await?;
        line.clear();
    }
    println!("server: {peer} closed the connection");
    Ok(()) // dropping the writer closes our side
}

async fn tcp_echo_client(addr: std::net::SocketAddr, messages: &[&str]) -> io::Result<()> {
    let (mut reader, mut writer) = open_connection(addr).await?;
    for message in messages {
        writer.write_all(format!("{message}\n").as_bytes()).await?;
        let mut echoed = String::new();
        reader.read_line(&mut echoed).await?;
        println!("client: received {:?}", echoed.trim_end());
    }
    // asyncio's write_eof(): the server reads end of stream and its handler returns.
    writer.close().await
}

#[weft::main]
async fn main() -> io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("ECHO_ADDR").ok())
        .unwrap_or_else(|| "127.0.0.1:8888".to_owned());

    let server = start_server(addr.as_str(), handle_echo).await?;
    println!("server: serving on {}", server.local_addr());

    tcp_echo_client(server.local_addr(), &["Hello World!", "ping"]).await?;

    // Stop accepting, then wait for the handlers still running (asyncio 3.12's
    // close + wait_closed).
    server.close();
    server.wait_closed().await;
    println!("server: closed");
    Ok(())
}
