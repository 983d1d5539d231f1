//! The extension traits and `copy`: what they return, and their errors.

mod scripted;

use futures_lite::future::block_on;
use scripted::{Scripted, Step, Trickle};
use std::io;
use weft_io::io::{copy, AsyncReadExt, AsyncWriteExt};

#[test]
fn read_exact_fills_the_buffer_across_short_reads() {
    block_on(async {
        let mut reader = Scripted::new([Step::Data(b"ab"), Step::Pending, Step::Data(b"cd")]);
        let mut buf = [0; 4];
        reader.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"abcd");
    });
}

#[test]
fn read_exact_at_early_eof_is_unexpected_eof() {
    block_on(async {
        let mut reader = Scripted::new([Step::Data(b"ab")]);
        let err = reader.read_exact(&mut [0; 4]).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
    });
}

#[test]
fn read_to_end_appends_everything_and_counts_it() {
    block_on(async {
        let mut reader = Scripted::new([Step::Data(b"12"), Step::Pending, Step::Data(b"345")]);
        let mut buf = b"0".to_vec();
        assert_eq!(reader.read_to_end(&mut buf).await.unwrap(), 5);
        assert_eq!(buf, b"012345");
    });
}

#[test]
fn read_to_end_keeps_what_it_read_before_an_error() {
    block_on(async {
        let mut reader = Scripted::new([
            Step::Data(b"kept"),
            Step::Fail(io::ErrorKind::ConnectionReset),
        ]);
        let mut buf = Vec::new();
        let err = reader.read_to_end(&mut buf).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::ConnectionReset);
        assert_eq!(buf, b"kept");
    });
}

/// Fills every read it is given, up to `left` bytes, remembering the largest ask.
struct Endless {
    left: usize,
    largest_ask: usize,
}

impl futures_lite::io::AsyncRead for Endless {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
        buf: &mut [u8],
    ) -> std::task::Poll<io::Result<usize>> {
        self.largest_ask = self.largest_ask.max(buf.len());
        let n = buf.len().min(self.left);
        self.left -= n;
        std::task::Poll::Ready(Ok(n))
    }
}

#[test]
fn read_to_end_of_megabytes_offers_each_read_a_bounded_window() {
    // Each read's room is zeroed first: offering a large vector's whole spare
    // capacity to every read made reading n bytes cost O(n^2).
    block_on(async {
        let mut reader = Endless {
            left: 8 << 20,
            largest_ask: 0,
        };
        let mut buf = Vec::new();
        assert_eq!(reader.read_to_end(&mut buf).await.unwrap(), 8 << 20);
        assert!(
            reader.largest_ask <= 64 * 1024,
            "asked {}",
            reader.largest_ask
        );
    });
}

#[test]
fn read_to_string_rejects_invalid_utf8_and_appends_nothing() {
    block_on(async {
        let mut reader = Scripted::new([Step::Data(b"ok \xff")]);
        let mut text = String::from("before");
        let err = reader.read_to_string(&mut text).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert_eq!(text, "before");
    });
}

#[test]
fn write_all_writes_everything_through_a_trickling_writer() {
    block_on(async {
        let mut writer = Trickle::new(3);
        writer.write_all(b"0123456789").await.unwrap();
        assert_eq!(writer.written, b"0123456789");
    });
}

#[test]
fn write_all_to_a_full_writer_is_write_zero() {
    block_on(async {
        let mut full = [0u8; 2];
        let mut writer = futures_lite::io::Cursor::new(&mut full[..]);
        let err = writer.write_all(b"too long").await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::WriteZero);
    });
}

#[test]
fn copy_moves_every_byte_and_counts_them() {
    block_on(async {
        let mut reader =
            Scripted::new([Step::Data(b"first "), Step::Pending, Step::Data(b"second")]);
        let mut writer = Trickle::new(4);
        assert_eq!(copy(&mut reader, &mut writer).await.unwrap(), 12);
        assert_eq!(writer.written, b"first second");
    });
}

#[test]
fn copy_stops_at_the_first_reader_error() {
    block_on(async {
        let mut reader = Scripted::new([Step::Data(b"x"), Step::Fail(io::ErrorKind::BrokenPipe)]);
        let mut writer = Vec::new();
        let err = copy(&mut reader, &mut writer).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::BrokenPipe);
    });
}
