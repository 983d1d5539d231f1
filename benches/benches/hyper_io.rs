//! hyper's read through each runtime adapter: what one `poll_read` costs, the
//! adapter's way of filling hyper's uninitialized buffer included.
//!
//! - `WeftIo` (weft-rt-hyper): reads into a per-thread scratch buffer and copies the
//!   bytes read into hyper's (safe code, no zeroing).
//! - `FuturesIo` (smol-hyper): zeroes all of hyper's spare buffer, then reads into it
//!   (what safe-minded futures-io adapters do).
//! - `TokioIo` (hyper-util): reads straight into the uninitialized buffer (unsafe code,
//!   through tokio's `ReadBuf`).
//!
//! Each poll gets a fresh hyper `ReadBuf` over uninitialized memory, as hyper's own
//! read loop does, with hyper's usual spare capacity (8 KiB, its starting read size,
//! and 64 KiB, a size its adaptive strategy grows to on big bodies). The stream is in
//! memory: a read returns up to `chunk` bytes at once, or `Pending`. No runtime is
//! involved; the figures are the adapters' own cost.
//!
//! Run: `cargo bench -p weft-benches --bench hyper_io` (add `-- --quick` for a rough
//! pass). Figures: `docs/performance.md`, section "HTTP".

use std::hint::black_box;
use std::io;
use std::mem::MaybeUninit;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

/// An in-memory stream: every read returns `chunk` bytes (`None`: `Pending`).
struct Memory {
    chunk: Option<usize>,
    data: Vec<u8>,
}

impl Memory {
    fn fill(&self, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        match self.chunk {
            Some(chunk) => {
                let n = chunk.min(buf.len());
                buf[..n].copy_from_slice(&self.data[..n]);
                Poll::Ready(Ok(n))
            }
            None => Poll::Pending,
        }
    }
}

impl futures_io::AsyncRead for Memory {
    fn poll_read(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        self.fill(buf)
    }
}

impl tokio::io::AsyncRead for Memory {
    fn poll_read(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.chunk {
            Some(chunk) => {
                let n = chunk.min(buf.remaining());
                buf.put_slice(&self.data[..n]);
                Poll::Ready(Ok(()))
            }
            None => Poll::Pending,
        }
    }
}

/// One hyper-style read: a fresh `ReadBuf` over `spare` uninitialized bytes.
fn hyper_read<R: hyper::rt::Read + Unpin>(io: &mut R, spare: &mut [MaybeUninit<u8>]) -> usize {
    let mut cx = Context::from_waker(Waker::noop());
    let mut buf = hyper::rt::ReadBuf::uninit(spare);
    match Pin::new(io).poll_read(&mut cx, buf.unfilled()) {
        Poll::Ready(result) => {
            result.expect("the in-memory stream does not fail");
            buf.filled().len()
        }
        Poll::Pending => 0,
    }
}

fn reads(c: &mut Criterion) {
    // (what a read returns, hyper's spare capacity)
    let cases = [
        ("100 B read, 8 KiB spare", Some(100), 8 * 1024),
        ("16 KiB read, 64 KiB spare", Some(16 * 1024), 64 * 1024),
        ("Pending, 8 KiB spare", None, 8 * 1024),
    ];
    let mut group = c.benchmark_group("hyper_io_read");
    for (name, chunk, spare_len) in cases {
        group.throughput(Throughput::Bytes(chunk.unwrap_or(0) as u64));
        let memory = || Memory {
            chunk,
            data: vec![7; 64 * 1024],
        };
        let mut spare = vec![MaybeUninit::<u8>::uninit(); spare_len];

        let mut weft = weft_hyper::rt::WeftIo::new(memory());
        group.bench_function(BenchmarkId::new("weft-rt-hyper WeftIo", name), |b| {
            b.iter(|| black_box(hyper_read(&mut weft, &mut spare)))
        });
        let mut smol = smol_hyper::rt::FuturesIo::new(memory());
        group.bench_function(BenchmarkId::new("smol-hyper FuturesIo", name), |b| {
            b.iter(|| black_box(hyper_read(&mut smol, &mut spare)))
        });
        let mut tokio = hyper_util::rt::TokioIo::new(memory());
        group.bench_function(BenchmarkId::new("hyper-util TokioIo", name), |b| {
            b.iter(|| black_box(hyper_read(&mut tokio, &mut spare)))
        });
    }
    group.finish();
}

criterion_group!(benches, reads);
criterion_main!(benches);
