//! `BufReader`: `read_line`, `read_until`, the line limit, and cancel safety.

mod scripted;

use futures_lite::future::{block_on, poll_once};
use futures_lite::io::AsyncBufReadExt;
use scripted::{Scripted, Step};
use std::io;
use weft_io::io::{AsyncReadExt, BufReader};

#[test]
fn read_line_joins_a_line_split_across_reads() {
    block_on(async {
        let inner = Scripted::new([
            Step::Data(b"hel"),
            Step::Pending,
            Step::Data(b"lo\nworld\n"),
        ]);
        let mut reader = BufReader::new(inner);
        let mut line = String::new();
        assert_eq!(reader.read_line(&mut line).await.unwrap(), 6);
        assert_eq!(line, "hello\n");
        line.clear();
        reader.read_line(&mut line).await.unwrap();
        assert_eq!(line, "world\n");
    });
}

#[test]
fn read_until_includes_the_delimiter() {
    block_on(async {
        let mut reader = BufReader::new(&b"a;bc;"[..]);
        let mut field = Vec::new();
        reader.read_until(b';', &mut field).await.unwrap();
        assert_eq!(field, b"a;");
        field.clear();
        reader.read_until(b';', &mut field).await.unwrap();
        assert_eq!(field, b"bc;");
    });
}

#[test]
fn read_line_at_eof_returns_the_unterminated_rest_then_zero() {
    block_on(async {
        let mut reader = BufReader::new(&b"last words"[..]);
        let mut line = String::new();
        assert_eq!(reader.read_line(&mut line).await.unwrap(), 10);
        assert_eq!(line, "last words");
        assert_eq!(reader.read_line(&mut line).await.unwrap(), 0);
        assert_eq!(line, "last words");
    });
}

#[test]
fn lines_longer_than_the_buffer_grow_it_up_to_the_limit() {
    block_on(async {
        let text = format!("{}\n", "x".repeat(100));
        let inner = Scripted::new([Step::Data(
            Box::leak(text.clone().into_boxed_str()).as_bytes(),
        )]);
        let mut reader = BufReader::with_capacity(8, inner);
        let mut line = String::new();
        reader.read_line(&mut line).await.unwrap();
        assert_eq!(line, text);
    });
}

#[test]
fn a_line_over_the_limit_is_invalid_data_and_stays_buffered() {
    block_on(async {
        let mut reader = BufReader::with_capacity(4, &b"0123456789\n"[..]);
        reader.set_limit(8);
        let mut line = String::new();
        let err = reader.read_line(&mut line).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert!(line.is_empty());
        let mut rest = Vec::new();
        reader.read_to_end(&mut rest).await.unwrap();
        assert_eq!(rest, b"0123456789\n");
    });
}

#[test]
fn a_line_that_is_not_utf8_is_invalid_data_and_stays_buffered() {
    block_on(async {
        let mut reader = BufReader::new(&b"\xff\xfe\n"[..]);
        let mut line = String::new();
        let err = reader.read_line(&mut line).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        let mut bytes = Vec::new();
        reader.read_until(b'\n', &mut bytes).await.unwrap();
        assert_eq!(bytes, b"\xff\xfe\n");
    });
}

#[test]
fn dropping_read_line_mid_line_loses_nothing() {
    block_on(async {
        let inner = Scripted::new([Step::Data(b"par"), Step::Pending, Step::Data(b"tial\n")]);
        let mut reader = BufReader::new(inner);
        let mut line = String::new();
        assert!(poll_once(reader.read_line(&mut line)).await.is_none());
        assert!(line.is_empty());
        reader.read_line(&mut line).await.unwrap();
        assert_eq!(line, "partial\n");
    });
}

#[test]
fn a_reader_error_mid_line_keeps_the_buffered_bytes() {
    block_on(async {
        let inner = Scripted::new([
            Step::Data(b"abc"),
            Step::Fail(io::ErrorKind::Interrupted),
            Step::Data(b"def\n"),
        ]);
        let mut reader = BufReader::new(inner);
        let mut line = String::new();
        let err = reader.read_line(&mut line).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::Interrupted);
        reader.read_line(&mut line).await.unwrap();
        assert_eq!(line, "abcdef\n");
    });
}

#[test]
fn reads_through_the_buffer_return_buffered_bytes_first() {
    block_on(async {
        let mut reader = BufReader::new(&b"line\nrest of the stream"[..]);
        let mut line = String::new();
        reader.read_line(&mut line).await.unwrap();
        let mut rest = String::new();
        reader.read_to_string(&mut rest).await.unwrap();
        assert_eq!(rest, "rest of the stream");
    });
}

#[test]
fn fill_buf_and_consume_walk_the_buffer() {
    block_on(async {
        let mut reader = BufReader::with_capacity(4, &b"abcdef"[..]);
        assert_eq!(reader.fill_buf().await.unwrap(), b"abcd");
        AsyncBufReadExt::consume(&mut reader, 3);
        assert_eq!(reader.buffer(), b"d");
        assert_eq!(reader.fill_buf().await.unwrap(), b"d");
        AsyncBufReadExt::consume(&mut reader, 1);
        assert_eq!(reader.fill_buf().await.unwrap(), b"ef");
    });
}
