//! `weft::fs::File`: reads, writes and seeks of every size class, the read-ahead and
//! the cursor, what dropped and cancelled writes leave behind, failed background
//! writes, and the error paths.

mod support;

use std::io::{self, SeekFrom};
use std::sync::mpsc;
use support::{poll_once, poll_outside_runtime, ScratchDir};
use weft::fs::{File, OpenOptions};
use weft::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt, BufReader};

/// The max buffer size the size-class tests set, so "larger than the buffer" is cheap.
const SMALL: usize = 4096;

/// `len` bytes that do not repeat with any period a bug could hide behind.
fn pattern(len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i % 251) as u8 ^ (i / 251) as u8)
        .collect()
}

/// Reads `sizes` bytes in turn with `read_exact`, then the rest, and returns it all.
async fn read_in_pieces(file: &mut File, sizes: &[usize]) -> Vec<u8> {
    let mut all = Vec::new();
    for &size in sizes {
        let mut piece = vec![0; size];
        file.read_exact(&mut piece).await.unwrap();
        all.extend_from_slice(&piece);
    }
    file.read_to_end(&mut all).await.unwrap();
    all
}

/// A scratch file of `len` pattern bytes, open for reading and writing, with 10
/// bytes read: the file holds read-ahead and the OS cursor is past its position.
async fn file_ten_bytes_in(name: &str, len: usize) -> (ScratchDir, File, Vec<u8>) {
    let dir = ScratchDir::new(name);
    let content = pattern(len);
    std::fs::write(dir.join("f"), &content).unwrap();
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(dir.join("f"))
        .await
        .unwrap();
    let mut ten = [0; 10];
    file.read_exact(&mut ten).await.unwrap();
    assert_eq!(ten, content[..10]);
    (dir, file, content)
}

#[weft::test]
async fn reads_smaller_equal_and_larger_than_the_buffer_return_the_file_in_order() {
    let dir = ScratchDir::new("fs-read-sizes");
    let content = pattern(6 * SMALL + 7);
    std::fs::write(dir.join("f"), &content).unwrap();
    let mut file = File::open(dir.join("f")).await.unwrap();
    file.set_max_buf_size(SMALL);
    let sizes = [1, SMALL - 1, SMALL, SMALL + 1, 3 * SMALL + 5];
    assert_eq!(read_in_pieces(&mut file, &sizes).await, content);
}

#[weft::test]
async fn reads_around_the_default_read_ahead_return_the_file_in_order() {
    let dir = ScratchDir::new("fs-read-ahead-sizes");
    let ahead = 64 * 1024;
    let content = pattern(5 * ahead + 3);
    std::fs::write(dir.join("f"), &content).unwrap();
    let mut file = File::open(dir.join("f")).await.unwrap();
    let sizes = [1, ahead - 1, ahead, ahead + 1, 2 * ahead - 1];
    assert_eq!(read_in_pieces(&mut file, &sizes).await, content);
}

#[weft::test]
async fn small_reads_after_the_first_are_served_from_the_read_ahead_without_waiting() {
    let dir = ScratchDir::new("fs-read-ahead");
    let content = pattern(32 * 1024);
    std::fs::write(dir.join("f"), &content).unwrap();
    let mut file = File::open(dir.join("f")).await.unwrap();
    let mut first = [0; 16];
    file.read_exact(&mut first).await.unwrap();
    let mut seen = first.to_vec();
    for _ in 0..100 {
        let mut piece = [0; 16];
        // Ready on its first poll: no trip to the blocking pool.
        let n = poll_once(file.read(&mut piece))
            .await
            .expect("ready at once");
        seen.extend_from_slice(&piece[..n.unwrap()]);
    }
    assert_eq!(seen, content[..seen.len()]);
    assert_eq!(seen.len(), 101 * 16);
}

#[weft::test]
async fn writes_smaller_equal_and_larger_than_the_buffer_reach_the_file_after_flush() {
    let dir = ScratchDir::new("fs-write-sizes");
    let mut file = File::create(dir.join("f")).await.unwrap();
    file.set_max_buf_size(SMALL);
    let mut expected = Vec::new();
    for size in [1, SMALL - 1, SMALL, SMALL + 1, 3 * SMALL + 5] {
        let piece = pattern(size + expected.len())[expected.len()..].to_vec();
        file.write_all(&piece).await.unwrap();
        expected.extend_from_slice(&piece);
    }
    file.flush().await.unwrap();
    assert_eq!(std::fs::read(dir.join("f")).unwrap(), expected);
}

#[weft::test]
async fn a_write_larger_than_the_buffer_is_accepted_one_buffer_at_a_time() {
    let dir = ScratchDir::new("fs-write-large");
    let mut file = File::create(dir.join("f")).await.unwrap();
    file.set_max_buf_size(SMALL);
    assert_eq!(file.write(&pattern(3 * SMALL)).await.unwrap(), SMALL);
    file.flush().await.unwrap();
    assert_eq!(std::fs::read(dir.join("f")).unwrap(), pattern(SMALL));
}

#[weft::test]
async fn seek_after_a_buffered_write_counts_every_accepted_byte() {
    let dir = ScratchDir::new("fs-seek-after-write");
    let mut file = File::create(dir.join("f")).await.unwrap();
    file.write_all(b"0123456789").await.unwrap();
    // No flush: the write may still be in flight.
    assert_eq!(file.stream_position().await.unwrap(), 10);
    assert_eq!(file.seek(SeekFrom::Current(-5)).await.unwrap(), 5);
    file.write_all(b"XY").await.unwrap();
    assert_eq!(file.seek(SeekFrom::End(0)).await.unwrap(), 10);
    file.flush().await.unwrap();
    assert_eq!(std::fs::read(dir.join("f")).unwrap(), b"01234XY789");
}

#[weft::test]
async fn seek_after_a_buffered_read_counts_only_the_bytes_returned() {
    let dir = ScratchDir::new("fs-seek-after-read");
    let content = pattern(100_000);
    std::fs::write(dir.join("f"), &content).unwrap();
    let mut file = File::open(dir.join("f")).await.unwrap();
    let mut byte = [0; 1];
    let mut ten = [0; 10];
    file.read_exact(&mut ten).await.unwrap(); // reads ahead far past 10
    assert_eq!(file.stream_position().await.unwrap(), 10);

    file.read_exact(&mut ten).await.unwrap();
    assert_eq!(file.seek(SeekFrom::Current(5)).await.unwrap(), 25);
    file.read_exact(&mut byte).await.unwrap();
    assert_eq!(byte[0], content[25]);

    assert_eq!(file.seek(SeekFrom::End(-1)).await.unwrap(), 99_999);
    file.read_exact(&mut byte).await.unwrap();
    assert_eq!(byte[0], content[99_999]);

    assert_eq!(file.seek(SeekFrom::Start(3)).await.unwrap(), 3);
    file.read_exact(&mut byte).await.unwrap();
    assert_eq!(byte[0], content[3]);
}

#[weft::test]
async fn a_seek_before_the_start_fails_and_leaves_the_position_and_read_ahead() {
    let (_dir, mut file, content) = file_ten_bytes_in("fs-seek-negative", 1000).await;
    let mut ten = [0; 10];
    let err = file.seek(SeekFrom::Current(-11)).await.unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    file.read_exact(&mut ten).await.unwrap();
    assert_eq!(ten, content[10..20]);
}

#[weft::test]
async fn a_write_after_a_buffered_read_lands_at_the_read_position() {
    let (dir, mut file, _) = file_ten_bytes_in("fs-write-after-read", 1000).await;
    file.write_all(b"abc").await.unwrap();
    assert_eq!(file.stream_position().await.unwrap(), 13);
    file.flush().await.unwrap();
    let mut expected = pattern(1000);
    expected[10..13].copy_from_slice(b"abc");
    assert_eq!(std::fs::read(dir.join("f")).unwrap(), expected);
}

#[weft::test]
async fn a_read_after_a_write_through_the_same_file_sees_the_bytes() {
    let dir = ScratchDir::new("fs-read-after-write");
    let mut file = File::create_new(dir.join("f")).await.unwrap();
    file.write_all(b"written").await.unwrap();
    file.seek(SeekFrom::Start(0)).await.unwrap();
    let mut back = String::new();
    file.read_to_string(&mut back).await.unwrap();
    assert_eq!(back, "written");
}

#[weft::test]
async fn append_mode_writes_go_to_the_end() {
    let dir = ScratchDir::new("fs-append");
    std::fs::write(dir.join("log"), "one\n").unwrap();
    let mut log = OpenOptions::new()
        .append(true)
        .open(dir.join("log"))
        .await
        .unwrap();
    log.write_all(b"two\n").await.unwrap();
    log.flush().await.unwrap();
    assert_eq!(std::fs::read(dir.join("log")).unwrap(), b"one\ntwo\n");
}

/// Writes pieces, polling each write once and dropping it if it is pending, and
/// retrying some pieces: the file must hold exactly the bytes the writes said they
/// took, in order — none twice, none missing.
#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_dropped_while_pending_never_duplicate_or_lose_accepted_bytes() {
    let dir = ScratchDir::new("fs-dropped-writes");
    let mut file = File::create(dir.join("f")).await.unwrap();
    file.set_max_buf_size(64);
    let source = pattern(200 * 100);
    let mut accepted = Vec::new();
    let mut dropped = 0;
    for (i, piece) in source.chunks(100).enumerate() {
        // Each piece is tried until it is taken; every try but the last is dropped
        // while pending (or takes part of the piece).
        let mut rest = piece;
        while !rest.is_empty() {
            match poll_once(file.write(rest)).await {
                Some(Ok(n)) => {
                    accepted.extend_from_slice(&rest[..n]);
                    rest = &rest[n..];
                }
                Some(Err(err)) => panic!("write {i} failed: {err}"),
                None => {
                    dropped += 1;
                    if dropped % 3 == 0 {
                        // Sometimes wait for the write in flight before retrying.
                        file.flush().await.unwrap();
                    }
                }
            }
        }
    }
    file.flush().await.unwrap();
    assert_eq!(accepted, source);
    assert_eq!(std::fs::read(dir.join("f")).unwrap(), source);
}

/// A runtime whose one blocking-pool thread is held by a job until the returned
/// sender sends (or is dropped); returns once the job runs.
fn runtime_with_its_pool_held() -> (weft::Runtime, mpsc::Sender<()>) {
    let rt = weft::Runtime::builder()
        .current_thread()
        .max_blocking_threads(1)
        .build()
        .unwrap();
    let (release, gate) = mpsc::channel::<()>();
    let (started, running) = mpsc::channel::<()>();
    drop(rt.handle().spawn_blocking(move || {
        started.send(()).unwrap();
        let _ = gate.recv();
    }));
    running.recv().unwrap();
    (rt, release)
}

#[test]
fn a_dropped_write_all_leaves_exactly_the_prefix_the_position_reports() {
    let dir = ScratchDir::new("fs-dropped-write-all");
    let std_file = std::fs::File::create(dir.join("f")).unwrap();
    let (rt, release) = runtime_with_its_pool_held();
    rt.block_on(async {
        let mut file = File::from_std(std_file);
        file.set_max_buf_size(SMALL);
        let data = pattern(10 * SMALL);
        // The first buffer is taken and its job queued; the second joins that job
        // (write-behind); the third must wait for it.
        assert!(poll_once(file.write_all(&data)).await.is_none());
        release.send(()).unwrap();
        // How much the dropped write_all got in: the position says.
        let accepted = file.stream_position().await.unwrap() as usize;
        assert_eq!(accepted, 2 * SMALL);
        assert_eq!(std::fs::read(dir.join("f")).unwrap(), data[..accepted]);
        file.write_all(&data[accepted..]).await.unwrap();
        file.flush().await.unwrap();
        assert_eq!(std::fs::read(dir.join("f")).unwrap(), data);
    });
}

#[test]
fn writes_made_while_one_is_in_flight_join_it_and_land_in_order() {
    let dir = ScratchDir::new("fs-write-behind");
    let std_file = std::fs::File::create(dir.join("f")).unwrap();
    let (rt, release) = runtime_with_its_pool_held();
    rt.block_on(async {
        let mut file = File::from_std(std_file);
        file.set_max_buf_size(SMALL);
        let mut expected = Vec::new();
        // The first write's job waits in the queue; each later write joins it at
        // once, until the joined bytes fill the max buffer size.
        for i in 0..1000 {
            let line = format!("line {i}\n");
            match poll_once(file.write(line.as_bytes())).await {
                Some(Ok(n)) => expected.extend_from_slice(&line.as_bytes()[..n]),
                Some(Err(err)) => panic!("{err}"),
                None => break,
            }
        }
        assert!(expected.len() > SMALL, "more than one write was taken");
        assert!(expected.len() <= 2 * SMALL, "one buffer, one joined buffer");
        release.send(()).unwrap();
        file.flush().await.unwrap();
        assert_eq!(std::fs::read(dir.join("f")).unwrap(), expected);
    });
}

#[test]
fn bytes_accepted_before_the_file_is_dropped_reach_the_file() {
    let dir = ScratchDir::new("fs-dropped-file");
    let rt = weft::Runtime::builder().current_thread().build().unwrap();
    let data = pattern(100_000);
    rt.block_on(async {
        let mut file = File::create(dir.join("f")).await.unwrap();
        file.write_all(&data).await.unwrap();
        // Dropped without a flush.
    });
    drop(rt); // waits for the blocking pool's running jobs
    assert_eq!(std::fs::read(dir.join("f")).unwrap(), data);
}

/// The one pool thread is held by a job, so the file's write waits in the queue when
/// the runtime shuts down: shutdown runs it instead of cancelling it.
#[test]
fn a_write_queued_when_the_runtime_shuts_down_still_reaches_the_file() {
    let dir = ScratchDir::new("fs-write-at-shutdown");
    let path = dir.join("f");
    let (rt, release) = runtime_with_its_pool_held();
    let handle = rt.handle().clone();
    let std_file = std::fs::File::create(&path).unwrap();
    rt.block_on(async {
        let mut file = File::from_std(std_file);
        file.write_all(b"queued").await.unwrap(); // accepted; its job is queued
    });
    // Release the pool thread once shutdown has begun: a job spawned then is refused.
    let releaser = std::thread::spawn(move || {
        loop {
            let probe = handle.spawn_blocking(|| ());
            if probe.is_cancelled() {
                break;
            }
            std::thread::yield_now();
        }
        release.send(()).unwrap();
    });
    drop(rt);
    releaser.join().unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"queued");
}

#[test]
fn a_write_the_shut_down_pool_refuses_is_not_accepted() {
    let dir = ScratchDir::new("fs-write-refused");
    let rt = weft::Runtime::builder().current_thread().build().unwrap();
    let handle = rt.handle().clone();
    let mut file = File::from_std(std::fs::File::create(dir.join("f")).unwrap());
    drop(rt);
    let _entered = handle.enter();
    let err = poll_outside_runtime(file.write(b"lost?"))
        .expect("refused at once")
        .unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::Other);
    assert!(err.to_string().contains("shut down"), "{err}");
    assert_eq!(std::fs::read(dir.join("f")).unwrap(), b"");
}

#[test]
fn a_file_used_outside_a_runtime_fails_with_an_error_not_a_panic() {
    let mut file = File::from_std(std::fs::File::open("/dev/null").unwrap());
    let mut buf = [0; 8];
    let err = poll_outside_runtime(file.read(&mut buf))
        .expect("ready at once")
        .unwrap_err();
    assert!(err.to_string().contains("no weft runtime"), "{err}");
}

/// Opens `/dev/full`, where every write fails with `ENOSPC`, and has a write accepted.
async fn file_with_a_failing_write() -> File {
    let mut file = OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .await
        .unwrap();
    assert_eq!(file.write(b"doomed").await.unwrap(), 6, "accepted");
    file
}

fn is_storage_full(err: &io::Error) -> bool {
    err.raw_os_error() == Some(libc::ENOSPC)
}

#[weft::test]
async fn a_failed_background_write_is_reported_once_by_flush() {
    let mut file = file_with_a_failing_write().await;
    let err = file.flush().await.unwrap_err();
    assert!(is_storage_full(&err), "{err}");
    file.flush().await.unwrap(); // reported once, not again
}

/// For each `name => |file| call`: a file with a failed write in flight, then `call`
/// on it, which must fail with that write's error.
macro_rules! each_call_reports_the_failed_write {
    ($($name:literal => |$file:ident| $call:expr;)*) => {$(
        #[allow(unused_mut)] // `into_std` takes the file by value
        let mut $file = file_with_a_failing_write().await;
        let err = $call.unwrap_err();
        assert!(is_storage_full(&err), "{}: {err}", $name);
    )*};
}

#[weft::test]
async fn a_failed_background_write_is_reported_by_whichever_call_comes_next() {
    let mut buf = [0; 4];
    each_call_reports_the_failed_write! {
        "read" => |file| file.read(&mut buf).await;
        "seek" => |file| file.seek(SeekFrom::Start(0)).await;
        "close" => |file| file.close().await;
        "metadata" => |file| file.metadata().await;
        "sync_all" => |file| file.sync_all().await;
        "sync_data" => |file| file.sync_data().await;
        "set_len" => |file| file.set_len(0).await;
        "try_clone" => |file| file.try_clone().await;
        "into_std" => |file| file.into_std().await;
    }
}

#[weft::test]
async fn a_write_after_a_failed_one_fails_or_joins_it_and_the_next_call_fails() {
    let mut file = file_with_a_failing_write().await;
    let err = match file.write(b"more").await {
        Err(err) => err,
        // The failing job had not finished: "more" joined it (write-behind), and
        // shares its failure.
        Ok(_) => file.flush().await.unwrap_err(),
    };
    assert!(is_storage_full(&err), "{err}");
    file.flush().await.unwrap();
}

#[weft::test]
async fn a_failed_write_whose_write_all_was_dropped_is_reported_by_the_next_call() {
    let mut file = OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .await
        .unwrap();
    file.set_max_buf_size(4);
    // The first poll takes "0123"; the next finds that write in flight (or failed).
    let err = match poll_once(file.write_all(b"0123456789")).await {
        None => file.flush().await.unwrap_err(),
        Some(result) => result.unwrap_err(),
    };
    assert!(is_storage_full(&err), "{err}");
    file.flush().await.unwrap();
}

#[weft::test]
async fn opening_a_missing_file_is_not_found() {
    let dir = ScratchDir::new("fs-missing");
    let err = File::open(dir.join("missing")).await.unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::NotFound);
    let err = File::create(dir.join("no/such/dir/f")).await.unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::NotFound);
}

#[weft::test]
async fn a_directory_opened_as_a_file_cannot_be_read_or_written() {
    let dir = ScratchDir::new("fs-dir-as-file");
    let mut opened = File::open(dir.path()).await.unwrap(); // open(2) allows it
    let mut buf = [0; 8];
    let err = opened.read(&mut buf).await.unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EISDIR));
    let err = File::create(dir.path()).await.unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EISDIR));
}

#[weft::test]
async fn opening_a_file_without_permission_is_permission_denied() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        eprintln!("skipped: running as root, which may open any file");
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let dir = ScratchDir::new("fs-permission");
    std::fs::write(dir.join("secret"), "x").unwrap();
    std::fs::set_permissions(dir.join("secret"), std::fs::Permissions::from_mode(0o000)).unwrap();
    let err = File::open(dir.join("secret")).await.unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::PermissionDenied);
}

#[weft::test]
async fn reading_a_file_opened_only_for_writing_fails() {
    let dir = ScratchDir::new("fs-write-only");
    let mut file = File::create(dir.join("f")).await.unwrap();
    let mut buf = [0; 4];
    let err = file.read(&mut buf).await.unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EBADF));
}

#[weft::test]
async fn metadata_counts_the_bytes_of_a_write_still_in_flight() {
    let dir = ScratchDir::new("fs-metadata");
    let mut file = File::create(dir.join("f")).await.unwrap();
    file.write_all(&pattern(12_345)).await.unwrap();
    let metadata = file.metadata().await.unwrap();
    assert!(metadata.is_file());
    assert_eq!(metadata.len(), 12_345);
}

#[weft::test]
async fn set_len_truncates_and_later_reads_do_not_see_stale_read_ahead() {
    // Read ahead to the end.
    let (_dir, mut file, content) = file_ten_bytes_in("fs-set-len", 100).await;
    file.set_len(20).await.unwrap();
    let mut rest = Vec::new();
    file.read_to_end(&mut rest).await.unwrap();
    assert_eq!(rest, content[10..20]);
    file.set_len(30).await.unwrap(); // extends with zeros
    assert_eq!(file.metadata().await.unwrap().len(), 30);
}

#[weft::test]
async fn try_clone_shares_the_cursor_from_this_files_position() {
    let (_dir, mut file, content) = file_ten_bytes_in("fs-try-clone", 1000).await;
    let mut ten = [0; 10];
    let mut clone = file.try_clone().await.unwrap();
    clone.read_exact(&mut ten).await.unwrap();
    assert_eq!(ten, content[10..20]);
}

#[weft::test]
async fn into_std_leaves_the_cursor_at_the_files_position() {
    use std::io::Read;
    let (_dir, file, content) = file_ten_bytes_in("fs-into-std", 1000).await;
    let mut ten = [0; 10];
    let mut std_file = file.into_std().await.unwrap();
    std_file.read_exact(&mut ten).unwrap();
    assert_eq!(ten, content[10..20]);
}

#[weft::test]
async fn sync_all_and_sync_data_flush_what_was_accepted() {
    let dir = ScratchDir::new("fs-sync");
    let mut file = File::create(dir.join("f")).await.unwrap();
    file.write_all(b"durable").await.unwrap();
    file.sync_data().await.unwrap();
    assert_eq!(std::fs::read(dir.join("f")).unwrap(), b"durable");
    file.write_all(b" too").await.unwrap();
    file.sync_all().await.unwrap();
    assert_eq!(std::fs::read(dir.join("f")).unwrap(), b"durable too");
}

#[weft::test]
async fn a_seek_dropped_in_flight_is_not_repeated_by_the_same_seek() {
    let dir = ScratchDir::new("fs-seek-dropped");
    std::fs::write(dir.join("f"), pattern(100)).unwrap();
    let mut file = File::open(dir.join("f")).await.unwrap();
    let first = poll_once(file.seek(SeekFrom::Current(5))).await;
    let pos = file.seek(SeekFrom::Current(5)).await.unwrap();
    match first {
        // Pending, then dropped: the repeat returned the seek in flight (rule 9).
        None => assert_eq!(pos, 5),
        Some(done) => assert_eq!((done.unwrap(), pos), (5, 10)),
    }
    assert_eq!(file.stream_position().await.unwrap(), pos);
}

#[weft::test]
async fn a_file_reads_line_by_line_through_a_buf_reader() {
    let dir = ScratchDir::new("fs-lines");
    std::fs::write(dir.join("f"), "one\r\ntwo\n\nlast").unwrap();
    let mut lines = BufReader::new(File::open(dir.join("f")).await.unwrap()).lines();
    let mut seen = Vec::new();
    while let Some(line) = lines.next_line().await.unwrap() {
        seen.push(line);
    }
    assert_eq!(seen, ["one", "two", "", "last"]);
    // Not fused: what is appended after EOF is read by the next call. The newline
    // that ends "last" comes first, as an empty line (std's lines do the same).
    std::fs::OpenOptions::new()
        .append(true)
        .open(dir.join("f"))
        .and_then(|mut f| std::io::Write::write_all(&mut f, b"\nmore\n"))
        .unwrap();
    assert_eq!(lines.next_line().await.unwrap().as_deref(), Some(""));
    assert_eq!(lines.next_line().await.unwrap().as_deref(), Some("more"));
    assert_eq!(lines.next_line().await.unwrap(), None);
}

#[test]
fn files_and_their_futures_can_cross_threads() {
    fn send_sync<T: Send + Sync>(_: &T) {}
    fn send<T: Send>(_: &T) {}
    let rt = weft::Runtime::builder().current_thread().build().unwrap();
    rt.block_on(async {
        let mut file = File::open("/dev/null").await.unwrap();
        send_sync(&file);
        send_sync(&OpenOptions::new());
        send(&file.metadata());
        send(&file.sync_all());
        send(&File::open("/dev/null"));
    });
}
