//! asyncio's `open_connection`: a line-reading reader and a writer whose close is EOF.

mod executor;

use weft_io::io::{AsyncReadExt, AsyncWriteExt, BufReader};
use weft_io::net::{open_connection, open_unix_connection, TcpListener, UnixListener};

#[test]
fn the_reader_reads_lines_and_the_writer_writes_them() {
    executor::run(|ex| async move {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        // A server that answers each line with the line upper-cased.
        let server = ex.spawn(async move {
            let (stream, _) = listener.accept().await.unwrap();
            let (reader, mut writer) = stream.into_split();
            let mut reader = BufReader::new(reader);
            let mut line = String::new();
            while reader.read_line(&mut line).await.unwrap() != 0 {
                writer
                    .write_all(line.to_uppercase().as_bytes())
                    .await
                    .unwrap();
                line.clear();
            }
        });
        let (mut reader, mut writer) = open_connection(addr).await.unwrap();
        writer.write_all(b"hello\nworld\n").await.unwrap();
        let mut line = String::new();
        reader.read_line(&mut line).await.unwrap();
        assert_eq!(line, "HELLO\n");
        line.clear();
        reader.read_line(&mut line).await.unwrap();
        assert_eq!(line, "WORLD\n");
        drop(writer);
        server.await;
        line.clear();
        assert_eq!(reader.read_line(&mut line).await.unwrap(), 0);
    });
}

#[test]
fn closing_the_writer_gives_the_server_eof() {
    executor::run(|_ex| async move {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let (_reader, mut writer) = open_connection(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (mut server, _) = listener.accept().await.unwrap();
        writer.write_all(b"bye").await.unwrap();
        writer.close().await.unwrap();
        let mut got = Vec::new();
        server.read_to_end(&mut got).await.unwrap();
        assert_eq!(got, b"bye");
    });
}

#[test]
fn open_unix_connection_reads_what_the_server_writes() {
    let path = std::env::temp_dir().join(format!("weft-io-{}-open.sock", std::process::id()));
    let _ = std::fs::remove_file(&path);
    executor::run(|_ex| async {
        let listener = UnixListener::bind(&path).unwrap();
        let (mut reader, _writer) = open_unix_connection(&path).await.unwrap();
        let (mut server, _) = listener.accept().await.unwrap();
        server.write_all(b"greetings\n").await.unwrap();
        let mut line = String::new();
        reader.read_line(&mut line).await.unwrap();
        assert_eq!(line, "greetings\n");
    });
    let _ = std::fs::remove_file(&path);
}
