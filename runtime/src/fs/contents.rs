//! Whole-file reads and writes in one blocking call each: [`read`],
//! [`read_to_string`], [`write`] and [`copy`].
//!
//! Each runs std's function of the same name on the blocking pool. Dropping the
//! future does not stop that call: once started it runs to its end, and only its
//! result is lost.

use super::pool_hop::blocking_call;
use std::io;
use std::path::Path;

/// Reads the whole file at `path` (std's `fs::read`; asyncio users:
/// `await asyncio.to_thread(path.read_bytes)`).
///
/// # Errors
///
/// `NotFound`, `PermissionDenied`, an `IsADirectory` error, ...; `Other` outside a
/// weft runtime.
///
/// # Cancel safety
///
/// Cancel safe: a read whose future was dropped changes nothing.
///
/// ```
/// # weft::run(async {
/// # let path = std::env::temp_dir().join(format!("weft-doc-read-{}", std::process::id()));
/// weft::fs::write(&path, [1, 2, 3]).await?;
/// assert_eq!(weft::fs::read(&path).await?, [1, 2, 3]);
/// # weft::fs::remove_file(&path).await?;
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub async fn read(path: impl AsRef<Path>) -> io::Result<Vec<u8>> {
    let path = path.as_ref().to_owned();
    blocking_call(move || std::fs::read(path)).await
}

/// Reads the whole file at `path` as UTF-8 (std's `fs::read_to_string`; asyncio
/// users: `await asyncio.to_thread(path.read_text)`).
///
/// # Errors
///
/// `InvalidData` if the file is not UTF-8; otherwise as [`read`].
///
/// # Cancel safety
///
/// Cancel safe: a read whose future was dropped changes nothing.
///
/// ```
/// # weft::run(async {
/// # let path = std::env::temp_dir().join(format!("weft-doc-read-string-{}", std::process::id()));
/// weft::fs::write(&path, "hello").await?;
/// assert_eq!(weft::fs::read_to_string(&path).await?, "hello");
/// # weft::fs::remove_file(&path).await?;
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub async fn read_to_string(path: impl AsRef<Path>) -> io::Result<String> {
    let path = path.as_ref().to_owned();
    blocking_call(move || std::fs::read_to_string(path)).await
}

/// Writes `contents` as the whole file at `path`, creating it or truncating it first
/// (std's `fs::write`; asyncio users: `await asyncio.to_thread(path.write_bytes, b)`).
/// The bytes are copied, so the pool thread owns them.
///
/// # Errors
///
/// `NotFound` for a missing directory, `PermissionDenied`, ...; `Other` outside a
/// weft runtime.
///
/// # Cancel safety
///
/// Dropping the future does not stop the write: the file may be truncated and
/// written all the same.
///
/// ```
/// # weft::run(async {
/// # let path = std::env::temp_dir().join(format!("weft-doc-write-{}", std::process::id()));
/// weft::fs::write(&path, "first").await?;
/// weft::fs::write(&path, b"second").await?; // replaces the contents
/// assert_eq!(weft::fs::read_to_string(&path).await?, "second");
/// # weft::fs::remove_file(&path).await?;
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub async fn write(path: impl AsRef<Path>, contents: impl AsRef<[u8]>) -> io::Result<()> {
    let path = path.as_ref().to_owned();
    let contents = contents.as_ref().to_owned();
    blocking_call(move || std::fs::write(path, contents)).await
}

/// Copies the contents and permission bits of the file `from` to the file `to`,
/// replacing `to`'s contents; returns the number of bytes copied (std's `fs::copy`,
/// which lets the kernel copy without the bytes passing through the process where it
/// can; asyncio users: `shutil.copyfile` in `to_thread`).
///
/// # Errors
///
/// `NotFound` when `from` is missing, `InvalidInput` when it is not a regular file,
/// `PermissionDenied`, ...; `Other` outside a weft runtime.
///
/// # Cancel safety
///
/// Dropping the future does not stop the copy: `to` may be written all the same.
///
/// ```
/// # weft::run(async {
/// # let from = std::env::temp_dir().join(format!("weft-doc-copy-a-{}", std::process::id()));
/// # let to = std::env::temp_dir().join(format!("weft-doc-copy-b-{}", std::process::id()));
/// weft::fs::write(&from, "contents").await?;
/// assert_eq!(weft::fs::copy(&from, &to).await?, 8);
/// assert_eq!(weft::fs::read(&to).await?, b"contents");
/// # weft::fs::remove_file(&from).await?;
/// # weft::fs::remove_file(&to).await?;
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub async fn copy(from: impl AsRef<Path>, to: impl AsRef<Path>) -> io::Result<u64> {
    let from = from.as_ref().to_owned();
    let to = to.as_ref().to_owned();
    blocking_call(move || std::fs::copy(from, to)).await
}
