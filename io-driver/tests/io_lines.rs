//! `BufReader::lines`: what a line is (no `\n`, no `\r\n`, the last line without a
//! newline), lines split across reads, over a socket too, and what each error does to
//! the stream.

mod executor;
mod scripted;

use futures_lite::future::{block_on, poll_once, yield_now};
use futures_lite::io::AsyncWriteExt;
use futures_lite::StreamExt;
use scripted::{Scripted, Step};
use std::io;
use weft_io::io::{AsyncRead, BufReader, Lines};
use weft_io::net::{TcpListener, TcpStream};

/// Every item of `lines`, errors as their kinds.
async fn items<R: AsyncRead + Unpin>(lines: Lines<R>) -> Vec<Result<String, io::ErrorKind>> {
    lines
        .map(|item| item.map_err(|err| err.kind()))
        .collect()
        .await
}

fn text(lines: &[&str]) -> Vec<Result<String, io::ErrorKind>> {
    lines.iter().map(|line| Ok(line.to_string())).collect()
}

#[test]
fn lines_come_without_lf_or_crlf_but_keep_a_lone_cr() {
    block_on(async {
        let lines = BufReader::new(&b"a\nb\r\nc\rd\n"[..]).lines();
        assert_eq!(items(lines).await, text(&["a", "b", "c\rd"]));
    });
}

#[test]
fn a_last_line_without_a_newline_is_still_yielded() {
    block_on(async {
        let lines = BufReader::new(&b"x\ny"[..]).lines();
        assert_eq!(items(lines).await, text(&["x", "y"]));
        let lines = BufReader::new(&b"x\n"[..]).lines();
        assert_eq!(
            items(lines).await,
            text(&["x"]),
            "no empty line after the last \\n"
        );
        let lines = BufReader::new(&b"x\r"[..]).lines();
        assert_eq!(
            items(lines).await,
            text(&["x\r"]),
            "a \\r without \\n stays"
        );
    });
}

#[test]
fn empty_lines_are_empty_strings_and_an_empty_stream_has_none() {
    block_on(async {
        let lines = BufReader::new(&b"\n\r\na\n"[..]).lines();
        assert_eq!(items(lines).await, text(&["", "", "a"]));
        let lines = BufReader::new(&b""[..]).lines();
        assert_eq!(items(lines).await, text(&[]));
    });
}

#[test]
fn a_line_split_across_reads_is_joined() {
    block_on(async {
        let inner = Scripted::new([
            Step::Data(b"hel"),
            Step::Pending,
            Step::Data(b"lo\nwor"),
            Step::Pending,
            Step::Data(b"ld\n"),
        ]);
        let lines = BufReader::with_capacity(4, inner).lines();
        assert_eq!(items(lines).await, text(&["hello", "world"]));
    });
}

#[test]
fn a_crlf_split_between_two_reads_is_stripped() {
    block_on(async {
        let inner = Scripted::new([Step::Data(b"a\r"), Step::Pending, Step::Data(b"\nb")]);
        let lines = BufReader::new(inner).lines();
        assert_eq!(items(lines).await, text(&["a", "b"]));
    });
}

#[test]
fn a_line_that_is_not_utf8_is_invalid_data_and_the_next_line_follows() {
    block_on(async {
        let lines = BufReader::new(&b"ok\n\xff\xfe\r\nnext\n"[..]).lines();
        assert_eq!(
            items(lines).await,
            [
                Ok("ok".to_owned()),
                Err(io::ErrorKind::InvalidData),
                Ok("next".to_owned())
            ]
        );
    });
}

#[test]
fn a_line_longer_than_the_limit_is_invalid_data_and_is_skipped() {
    block_on(async {
        const LONG: &[u8] = &[b'x'; 40];
        let inner = Scripted::new([
            Step::Data(b"short\n"),
            Step::Data(LONG),
            Step::Pending,
            Step::Data(LONG),
            Step::Data(b"\nafter\n"),
        ]);
        let mut reader = BufReader::with_capacity(4, inner);
        reader.set_limit(16);
        assert_eq!(
            items(reader.lines()).await,
            [
                Ok("short".to_owned()),
                Err(io::ErrorKind::InvalidData),
                Ok("after".to_owned())
            ]
        );
    });
}

#[test]
fn an_error_of_the_inner_reader_is_yielded_and_the_stream_goes_on() {
    block_on(async {
        let inner = Scripted::new([
            Step::Data(b"a\nb"),
            Step::Fail(io::ErrorKind::ConnectionReset),
            Step::Data(b"c\n"),
        ]);
        let lines = BufReader::new(inner).lines();
        assert_eq!(
            items(lines).await,
            [
                Ok("a".to_owned()),
                Err(io::ErrorKind::ConnectionReset),
                Ok("bc".to_owned())
            ]
        );
    });
}

#[test]
fn a_next_line_dropped_mid_line_loses_no_byte() {
    block_on(async {
        let inner = Scripted::new([Step::Data(b"hel"), Step::Pending, Step::Data(b"lo\n")]);
        let mut lines = BufReader::new(inner).lines();
        assert!(poll_once(lines.next_line()).await.is_none());
        assert_eq!(lines.get_ref().buffer(), b"hel");
        assert_eq!(lines.next_line().await.unwrap().as_deref(), Some("hello"));
        assert_eq!(lines.next_line().await.unwrap(), None);
        assert!(lines.into_inner().buffer().is_empty());
    });
}

#[test]
fn lines_over_a_socket_join_a_line_split_across_reads() {
    executor::run(|_ex| async move {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut client = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (server, _) = listener.accept().await.unwrap();
        let mut lines = BufReader::new(server).lines();

        client.write_all(b"hel").await.unwrap();
        // Poll until the first part has arrived and is buffered.
        while lines.get_ref().buffer() != b"hel" {
            assert!(poll_once(lines.next_line()).await.is_none());
            yield_now().await;
        }
        client.write_all(b"lo\r\nworld").await.unwrap();
        client.close().await.unwrap(); // the last line ends without a newline
        assert_eq!(items(lines).await, text(&["hello", "world"]));
    });
}
