//! `BufWriter`: what is buffered and what goes straight through, flush and close
//! order, and that no byte is written twice or lost across `Pending`, errors and
//! dropped futures.

mod executor;
mod scripted;

use futures_lite::future::{block_on, poll_once};
use scripted::{Recorder, Trickle};
use std::io;
use weft_io::io::{AsyncReadExt, AsyncWriteExt, BufWriter};
use weft_io::net::{TcpListener, TcpStream};

#[test]
fn small_writes_stay_buffered_until_flush() {
    block_on(async {
        let mut writer = BufWriter::new(Recorder::new(usize::MAX));
        writer.write_all(b"ab").await.unwrap();
        writer.write_all(b"cd").await.unwrap();
        assert!(writer.get_ref().writes.is_empty());
        assert_eq!(writer.buffer(), b"abcd");
        writer.flush().await.unwrap();
        assert_eq!(writer.get_ref().writes, [b"abcd".to_vec()]);
        assert_eq!(writer.get_ref().flushes, 1);
        assert!(writer.buffer().is_empty());
    });
}

#[test]
fn a_write_that_does_not_fit_flushes_the_buffer_first() {
    block_on(async {
        let mut writer = BufWriter::with_capacity(8, Recorder::new(usize::MAX));
        writer.write_all(b"abcde").await.unwrap();
        writer.write_all(b"fgh").await.unwrap(); // exactly full: still buffered
        assert!(writer.get_ref().writes.is_empty());
        writer.write_all(b"i").await.unwrap();
        assert_eq!(writer.get_ref().writes, [b"abcdefgh".to_vec()]);
        assert_eq!(writer.buffer(), b"i");
    });
}

#[test]
fn a_write_of_the_buffers_size_goes_straight_through_after_the_buffered_bytes() {
    block_on(async {
        let mut writer = BufWriter::with_capacity(8, Recorder::new(usize::MAX));
        writer.write_all(b"ab").await.unwrap();
        assert_eq!(writer.write(b"01234567").await.unwrap(), 8);
        assert_eq!(
            writer.get_ref().writes,
            [b"ab".to_vec(), b"01234567".to_vec()]
        );
        assert!(writer.buffer().is_empty());
    });
}

#[test]
fn a_write_larger_than_the_buffer_goes_straight_through() {
    block_on(async {
        let mut writer = BufWriter::with_capacity(8, Recorder::new(usize::MAX));
        let big = [7u8; 20];
        assert_eq!(writer.write(&big).await.unwrap(), 20);
        assert_eq!(writer.get_ref().writes, [big.to_vec()]);
        assert!(writer.buffer().is_empty());
    });
}

#[test]
fn close_flushes_the_buffer_then_closes_the_inner_writer() {
    block_on(async {
        let mut writer = BufWriter::new(Recorder::new(usize::MAX));
        writer.write_all(b"last words").await.unwrap();
        writer.close().await.unwrap();
        assert_eq!(writer.get_ref().written(), b"last words");
        assert!(writer.get_ref().closed);
    });
}

#[test]
fn an_inner_writer_that_is_pending_and_takes_little_gets_every_byte_once() {
    block_on(async {
        let data: Vec<u8> = (0..1000u32).map(|i| (i % 251) as u8).collect();
        let mut writer = BufWriter::with_capacity(16, Trickle::new(3));
        for piece in data.chunks(5) {
            writer.write_all(piece).await.unwrap();
        }
        writer.write_all(&data[..40]).await.unwrap(); // one past the capacity
        writer.flush().await.unwrap();
        assert_eq!(writer.get_ref().written, [&data[..], &data[..40]].concat());
    });
}

#[test]
fn a_write_dropped_while_the_buffer_flushes_has_accepted_nothing() {
    block_on(async {
        let mut writer = BufWriter::with_capacity(4, Trickle::new(100));
        writer.write_all(b"ab").await.unwrap();
        // "xyz" does not fit: the flush of "ab" meets a Pending, and the write is
        // dropped there.
        assert!(poll_once(writer.write(b"xyz")).await.is_none());
        assert_eq!(writer.buffer(), b"ab");
        writer.write_all(b"xyz").await.unwrap();
        writer.flush().await.unwrap();
        assert_eq!(writer.get_ref().written, b"abxyz");
    });
}

#[test]
fn a_flush_failing_partway_keeps_only_the_bytes_not_taken_and_a_retry_writes_them_once() {
    block_on(async {
        let mut writer = BufWriter::with_capacity(16, Recorder::new(3));
        writer.write_all(b"abcdefgh").await.unwrap();
        // The inner writer takes "abc" and "def", then fails.
        writer.get_mut().fail_after(2, io::ErrorKind::BrokenPipe);
        let err = writer.flush().await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::BrokenPipe);
        assert_eq!(writer.get_ref().written(), b"abcdef");
        assert_eq!(writer.buffer(), b"gh");
        writer.flush().await.unwrap();
        assert_eq!(writer.get_ref().written(), b"abcdefgh");
    });
}

#[test]
fn a_write_whose_flush_fails_has_accepted_nothing() {
    block_on(async {
        let mut writer = BufWriter::with_capacity(4, Recorder::new(usize::MAX));
        writer.write_all(b"ab").await.unwrap();
        writer.get_mut().fail_after(0, io::ErrorKind::BrokenPipe);
        let err = writer.write(b"xyz").await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::BrokenPipe);
        assert_eq!(writer.buffer(), b"ab");
        writer.write_all(b"xyz").await.unwrap();
        writer.flush().await.unwrap();
        assert_eq!(writer.get_ref().written(), b"abxyz");
    });
}

#[test]
fn an_inner_writer_that_takes_nothing_is_write_zero_and_keeps_the_bytes() {
    block_on(async {
        let mut writer = BufWriter::new(Recorder::new(usize::MAX));
        writer.write_all(b"kept").await.unwrap();
        writer.get_mut().take_nothing_next();
        let err = writer.flush().await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::WriteZero);
        assert_eq!(writer.buffer(), b"kept");
    });
}

#[test]
fn into_parts_gives_back_the_unflushed_bytes() {
    block_on(async {
        let mut writer = BufWriter::new(Recorder::new(usize::MAX));
        writer.write_all(b"flushed").await.unwrap();
        writer.flush().await.unwrap();
        writer.write_all(b"pending").await.unwrap();
        let (inner, buffered) = writer.into_parts();
        assert_eq!(inner.written(), b"flushed");
        assert_eq!(buffered, b"pending");
    });
}

#[test]
fn lines_written_through_a_buf_writer_arrive_over_a_socket() {
    executor::run(|ex| async move {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let reader = ex.spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut all = String::new();
            stream.read_to_string(&mut all).await.unwrap();
            all
        });
        let mut writer = BufWriter::new(TcpStream::connect(addr).await.unwrap());
        let mut expected = String::new();
        for i in 0..1000 {
            let line = format!("line {i}\n");
            writer.write_all(line.as_bytes()).await.unwrap();
            expected.push_str(&line);
        }
        writer.close().await.unwrap(); // flush, then half-close: the reader sees EOF
        assert_eq!(reader.await, expected);
    });
}
