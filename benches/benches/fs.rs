//! Files on weft beside `tokio::fs`, 2 worker threads each, one criterion group per
//! workload, each on a 64 MiB file made in a temporary directory when the bench
//! starts:
//!
//! | workload            | weft                                   | tokio                                  |
//! |---------------------|----------------------------------------|----------------------------------------|
//! | `fs_read_lines`     | `BufReader::new(fs::File).lines()`, `next_line` until `None` | `BufReader::new(fs::File).lines()`, `next_line` until `None` |
//! | `fs_copy`           | `weft::fs::copy`                       | `tokio::fs::copy`                      |
//! | `fs_copy_streams`   | `weft::io::copy` from one `fs::File` to another, then `flush` | `tokio::io::copy` from one `fs::File` to another, then `flush` |
//!
//! The file has about a million lines of 12 to 111 bytes. Both `BufReader`s keep
//! their default 8 KiB buffer, as a user would; the difference is in the `File`
//! underneath: tokio's reads as much as it is asked for (8 KiB) per trip to the
//! blocking pool, weft's reads ahead at least 64 KiB. `fs_copy` is one blocking
//! `std::fs::copy` in both, so it measures the runtimes' blocking pools only.
//!
//! Every workload runs inside a task the runtime spawned, as in a server.
//!
//! Run: `cargo bench -p weft-benches --bench fs`. Ratios: `docs/performance.md`,
//! section "Files".

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::PathBuf;
use std::sync::OnceLock;
use tokio::{fs as tokio_fs, io as tokio_io};
use weft::{fs as weft_fs, io as weft_io};
use weft_benches::contender::{self, Contender, Spawner, Tokio, Weft};

/// The size of the file every workload reads.
const FILE_BYTES: usize = 64 * 1024 * 1024;
/// Criterion samples per contender (its minimum: each sample reads 64 MiB).
const SAMPLES: usize = 10;

/// The files the workloads use, made once.
struct Files {
    dir: PathBuf,
    /// The 64 MiB text file.
    text: PathBuf,
    /// How many lines it has.
    lines: usize,
}

static FILES: OnceLock<Files> = OnceLock::new();

fn files() -> &'static Files {
    FILES.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("weft-bench-fs-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        let mut text = Vec::with_capacity(FILE_BYTES + 128);
        let mut lines = 0;
        while text.len() < FILE_BYTES {
            text.extend_from_slice(format!("line {lines:06} ").as_bytes());
            text.resize(text.len() + lines % 100, b'x');
            text.push(b'\n');
            lines += 1;
        }
        let path = dir.join("text");
        std::fs::write(&path, &text).expect("the 64 MiB file");
        Files {
            dir,
            text: path,
            lines,
        }
    })
}

/// Where contender `C` copies to.
fn copy_target<C: Contender>() -> PathBuf {
    files().dir.join(format!("copy-{}", C::NAME))
}

/// Runs `workload` on `runtime` inside a spawned task and returns its output.
fn run_in_task<C, F, Fut>(runtime: &C, workload: F) -> Fut::Output
where
    C: Contender,
    F: FnOnce() -> Fut,
    Fut: std::future::Future + Send + 'static,
    Fut::Output: Send + 'static,
{
    let spawner = runtime.spawner();
    runtime.block_on(async { spawner.spawn(workload()).await })
}

/// Counts the lines of the big file through `$fs::File` and `$io::BufReader`:
/// the same code for both runtimes, whose APIs agree here.
macro_rules! count_lines {
    ($fs:ident::$file:ident, $io:ident::$buf_reader:ident) => {
        async move {
            let file = $fs::$file::open(&files().text).await.expect("open");
            let mut lines = $io::$buf_reader::new(file).lines();
            let mut count = 0;
            while let Some(line) = lines.next_line().await.expect("a line") {
                std::hint::black_box(line);
                count += 1;
            }
            count
        }
    };
}

/// Copies the big file to `$to` through two `$fs::File`s and `$io::copy`, flushing the
/// copy: the same code for both runtimes.
macro_rules! copy_streams {
    ($fs:ident::$file:ident, $io:ident::$copy:ident, $to:expr) => {
        async move {
            let mut reader = $fs::$file::open(&files().text).await.expect("open");
            let mut writer = $fs::$file::create($to).await.expect("create");
            let copied = $io::$copy(&mut reader, &mut writer).await.expect("copy");
            writer.flush().await.expect("flush");
            copied
        }
    };
}

/// Checks a copy's byte count against the file's size.
fn assert_copied_whole(copied: u64) {
    assert_eq!(copied, std::fs::metadata(&files().text).unwrap().len());
}

fn read_lines_weft(runtime: &Weft) {
    let count = run_in_task(runtime, || count_lines!(weft_fs::File, weft_io::BufReader));
    assert_eq!(count, files().lines);
}

fn read_lines_tokio(runtime: &Tokio) {
    use tokio::io::AsyncBufReadExt;
    let count = run_in_task(runtime, || {
        count_lines!(tokio_fs::File, tokio_io::BufReader)
    });
    assert_eq!(count, files().lines);
}

fn copy_weft(runtime: &Weft) {
    let to = copy_target::<Weft>();
    assert_copied_whole(run_in_task(runtime, || async move {
        weft::fs::copy(&files().text, to).await.expect("copy")
    }));
}

fn copy_tokio(runtime: &Tokio) {
    let to = copy_target::<Tokio>();
    assert_copied_whole(run_in_task(runtime, || async move {
        tokio::fs::copy(&files().text, to).await.expect("copy")
    }));
}

fn copy_streams_weft(runtime: &Weft) {
    use weft::io::AsyncWriteExt;
    let to = copy_target::<Weft>();
    let copied = run_in_task(runtime, || copy_streams!(weft_fs::File, weft_io::copy, to));
    assert_copied_whole(copied);
}

fn copy_streams_tokio(runtime: &Tokio) {
    use tokio::io::AsyncWriteExt;
    let to = copy_target::<Tokio>();
    let copied = run_in_task(runtime, || {
        copy_streams!(tokio_fs::File, tokio_io::copy, to)
    });
    assert_copied_whole(copied);
}

/// One group, weft beside tokio, throughput in bytes of the file.
fn compare(c: &mut Criterion, workload: &str, on_weft: fn(&Weft), on_tokio: fn(&Tokio)) {
    let mut group = c.benchmark_group(workload);
    group.throughput(Throughput::Bytes(
        std::fs::metadata(&files().text).unwrap().len(),
    ));
    group.sample_size(SAMPLES);
    contender::bench_on::<Weft>(&mut group, on_weft);
    contender::bench_on::<Tokio>(&mut group, on_tokio);
    group.finish();
}

fn fs(c: &mut Criterion) {
    compare(c, "fs_read_lines", read_lines_weft, read_lines_tokio);
    compare(c, "fs_copy", copy_weft, copy_tokio);
    compare(c, "fs_copy_streams", copy_streams_weft, copy_streams_tokio);
    let _ = std::fs::remove_dir_all(&files().dir);
}

criterion_group!(benches, fs);
criterion_main!(benches);
