//! `BufReader`: `read_line`, `read_until` (one byte, a byte string, any of several),
//! the line limit, and cancel safety.

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

#[test]
fn read_until_separator_finds_a_separator_split_across_reads() {
    block_on(async {
        let inner = Scripted::new([
            Step::Data(b"head\r"),
            Step::Pending,
            Step::Data(b"\n\r"),
            Step::Pending,
            Step::Data(b"\nbody"),
        ]);
        let mut reader = BufReader::new(inner);
        let mut head = Vec::new();
        assert_eq!(
            reader
                .read_until_separator(b"\r\n\r\n", &mut head)
                .await
                .unwrap(),
            8
        );
        assert_eq!(head, b"head\r\n\r\n");
        assert_eq!(reader.buffer(), b"body");
    });
}

#[test]
fn read_until_separator_ignores_a_partial_match_that_fails() {
    block_on(async {
        let mut reader = BufReader::with_capacity(3, &b"ab-a-b--ab--"[..]);
        let mut field = Vec::new();
        reader
            .read_until_separator(b"--", &mut field)
            .await
            .unwrap();
        assert_eq!(field, b"ab-a-b--");
        field.clear();
        reader
            .read_until_separator(b"--", &mut field)
            .await
            .unwrap();
        assert_eq!(field, b"ab--");
    });
}

#[test]
fn read_until_separator_at_eof_returns_the_rest_then_zero() {
    block_on(async {
        let mut reader = BufReader::new(&b"no end\r"[..]);
        let mut buf = Vec::new();
        assert_eq!(
            reader
                .read_until_separator(b"\r\n", &mut buf)
                .await
                .unwrap(),
            7
        );
        assert_eq!(buf, b"no end\r");
        assert!(!buf.ends_with(b"\r\n"));
        assert_eq!(
            reader
                .read_until_separator(b"\r\n", &mut buf)
                .await
                .unwrap(),
            0
        );
    });
}

#[test]
fn an_empty_separator_is_invalid_input_and_reads_nothing() {
    block_on(async {
        let mut reader = BufReader::new(&b"data"[..]);
        let mut buf = Vec::new();
        let err = reader
            .read_until_separator(b"", &mut buf)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        let err = reader.read_until_any(&[], &mut buf).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        let err = reader
            .read_until_any(&[b"\n", b""], &mut buf)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        assert!(buf.is_empty());
        let mut rest = Vec::new();
        reader.read_to_end(&mut rest).await.unwrap();
        assert_eq!(rest, b"data");
    });
}

#[test]
fn read_until_any_stops_at_the_separator_that_ends_first() {
    block_on(async {
        // "\r\n" starts first but "\n" of the same pair ends at the same byte; "ab"
        // ends before either.
        let mut reader = BufReader::new(&b"xab\r\nyy\r\n"[..]);
        let separators: &[&[u8]] = &[b"\r\n", b"\n", b"ab"];
        let mut line = Vec::new();
        reader.read_until_any(separators, &mut line).await.unwrap();
        assert_eq!(line, b"xab");
        line.clear();
        reader.read_until_any(separators, &mut line).await.unwrap();
        assert_eq!(line, b"\r\n");
        line.clear();
        reader.read_until_any(separators, &mut line).await.unwrap();
        assert_eq!(line, b"yy\r\n");
    });
}

#[test]
fn read_until_any_finds_the_longest_separator_across_reads() {
    block_on(async {
        let inner = Scripted::new([Step::Data(b"12<EN"), Step::Pending, Step::Data(b"D>3;")]);
        let mut reader = BufReader::new(inner);
        let mut field = Vec::new();
        reader
            .read_until_any(&[b";", b"<END>"], &mut field)
            .await
            .unwrap();
        assert_eq!(field, b"12<END>");
    });
}

#[test]
fn no_separator_within_the_limit_is_invalid_data_and_stays_buffered() {
    block_on(async {
        let mut reader = BufReader::with_capacity(4, &b"0123456789--"[..]);
        reader.set_limit(8);
        let mut field = Vec::new();
        let err = reader
            .read_until_separator(b"--", &mut field)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert!(err.to_string().contains("b\"--\""), "{err}");
        assert!(field.is_empty());
        let mut rest = Vec::new();
        reader.read_to_end(&mut rest).await.unwrap();
        assert_eq!(rest, b"0123456789--");
    });
}

#[test]
fn dropping_read_until_separator_mid_separator_loses_nothing() {
    block_on(async {
        let inner = Scripted::new([Step::Data(b"ab\r"), Step::Pending, Step::Data(b"\ncd")]);
        let mut reader = BufReader::new(inner);
        let mut buf = Vec::new();
        assert!(poll_once(reader.read_until_separator(b"\r\n", &mut buf))
            .await
            .is_none());
        assert!(buf.is_empty());
        reader
            .read_until_separator(b"\r\n", &mut buf)
            .await
            .unwrap();
        assert_eq!(buf, b"ab\r\n");
    });
}
