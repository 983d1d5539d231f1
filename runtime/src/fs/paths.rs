//! Operations on the file system's names, one blocking call each: create, remove,
//! rename and link entries, and ask about them.
//!
//! Each runs std's function of the same name on the blocking pool (asyncio users call
//! `os.*` or `pathlib` in `asyncio.to_thread`; aiofiles users `aiofiles.os.*`).
//! Dropping the future does not stop that call: once started it runs to its end —
//! the file is removed, the directory created — and only its result is lost.

use super::pool_hop::blocking_call;
use std::fs::{Metadata, Permissions};
use std::io;
use std::path::{Path, PathBuf};

/// Renames `from` to `to`, replacing `to` if it is a file (or an empty directory,
/// when `from` is one); atomic within one file system (std's `fs::rename`).
///
/// # Errors
///
/// `NotFound`, `PermissionDenied`, `CrossesDevices` (across file systems:
/// [`copy`](super::copy) then [`remove_file`]), `DirectoryNotEmpty`, ...
///
/// # Cancel safety
///
/// Dropping the future does not stop the rename.
///
/// ```
/// # weft::run(async {
/// # let dir = std::env::temp_dir().join(format!("weft-doc-rename-{}", std::process::id()));
/// # weft::fs::create_dir_all(&dir).await?;
/// weft::fs::write(dir.join("draft"), "text").await?;
/// weft::fs::rename(dir.join("draft"), dir.join("final")).await?;
/// assert!(!weft::fs::try_exists(dir.join("draft")).await?);
/// # weft::fs::remove_dir_all(&dir).await?;
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub async fn rename(from: impl AsRef<Path>, to: impl AsRef<Path>) -> io::Result<()> {
    let (from, to) = (from.as_ref().to_owned(), to.as_ref().to_owned());
    blocking_call(move || std::fs::rename(from, to)).await
}

/// Removes a file or symbolic link (std's `fs::remove_file`).
///
/// # Errors
///
/// `NotFound`, `PermissionDenied`, an `IsADirectory` error for a directory (use
/// [`remove_dir`]).
///
/// # Cancel safety
///
/// Dropping the future does not stop the removal.
///
/// ```
/// # weft::run(async {
/// # let path = std::env::temp_dir().join(format!("weft-doc-remove-file-{}", std::process::id()));
/// weft::fs::write(&path, "x").await?;
/// weft::fs::remove_file(&path).await?;
/// let again = weft::fs::remove_file(&path).await.unwrap_err();
/// assert_eq!(again.kind(), std::io::ErrorKind::NotFound);
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub async fn remove_file(path: impl AsRef<Path>) -> io::Result<()> {
    let path = path.as_ref().to_owned();
    blocking_call(move || std::fs::remove_file(path)).await
}

/// Removes an empty directory (std's `fs::remove_dir`).
///
/// # Errors
///
/// `DirectoryNotEmpty`, `NotFound`, `NotADirectory`, `PermissionDenied`, ...
///
/// # Cancel safety
///
/// Dropping the future does not stop the removal.
///
/// ```
/// # weft::run(async {
/// # let dir = std::env::temp_dir().join(format!("weft-doc-remove-dir-{}", std::process::id()));
/// weft::fs::create_dir(&dir).await?;
/// weft::fs::remove_dir(&dir).await?;
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub async fn remove_dir(path: impl AsRef<Path>) -> io::Result<()> {
    let path = path.as_ref().to_owned();
    blocking_call(move || std::fs::remove_dir(path)).await
}

/// Removes a directory and everything in it, without following symbolic links
/// (std's `fs::remove_dir_all`; `shutil.rmtree`). Runs as one blocking call,
/// however large the tree.
///
/// # Errors
///
/// `NotFound`, `PermissionDenied` on any entry (what was removed before stays
/// removed), ...
///
/// # Cancel safety
///
/// Dropping the future does not stop the removal: the whole tree goes.
///
/// ```
/// # weft::run(async {
/// # let dir = std::env::temp_dir().join(format!("weft-doc-remove-all-{}", std::process::id()));
/// weft::fs::create_dir_all(dir.join("a/b/c")).await?;
/// weft::fs::write(dir.join("a/b/file"), "x").await?;
/// weft::fs::remove_dir_all(&dir).await?;
/// assert!(!weft::fs::try_exists(&dir).await?);
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub async fn remove_dir_all(path: impl AsRef<Path>) -> io::Result<()> {
    let path = path.as_ref().to_owned();
    blocking_call(move || std::fs::remove_dir_all(path)).await
}

/// Creates a directory; its parent must exist (std's `fs::create_dir`).
///
/// # Errors
///
/// `AlreadyExists`, `NotFound` for a missing parent, `PermissionDenied`, ...
///
/// # Cancel safety
///
/// Dropping the future does not stop the creation.
///
/// ```
/// # weft::run(async {
/// # let dir = std::env::temp_dir().join(format!("weft-doc-create-dir-{}", std::process::id()));
/// weft::fs::create_dir(&dir).await?;
/// let again = weft::fs::create_dir(&dir).await.unwrap_err();
/// assert_eq!(again.kind(), std::io::ErrorKind::AlreadyExists);
/// # weft::fs::remove_dir(&dir).await?;
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub async fn create_dir(path: impl AsRef<Path>) -> io::Result<()> {
    let path = path.as_ref().to_owned();
    blocking_call(move || std::fs::create_dir(path)).await
}

/// Creates a directory and any missing parents; a directory already there is fine
/// (std's `fs::create_dir_all`; `os.makedirs(p, exist_ok=True)`).
///
/// # Errors
///
/// `PermissionDenied`, `NotADirectory` when a parent is a file, ...
///
/// # Cancel safety
///
/// Dropping the future does not stop the creation: some parents may be created.
///
/// ```
/// # weft::run(async {
/// # let dir = std::env::temp_dir().join(format!("weft-doc-create-all-{}", std::process::id()));
/// weft::fs::create_dir_all(dir.join("a/b")).await?;
/// weft::fs::create_dir_all(dir.join("a/b")).await?; // already there: fine
/// # weft::fs::remove_dir_all(&dir).await?;
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub async fn create_dir_all(path: impl AsRef<Path>) -> io::Result<()> {
    let path = path.as_ref().to_owned();
    blocking_call(move || std::fs::create_dir_all(path)).await
}

/// The metadata of what `path` names, following symbolic links (std's
/// `fs::metadata`; `os.stat`).
///
/// # Errors
///
/// `NotFound` (also for a dangling symbolic link), `PermissionDenied`, ...
///
/// # Cancel safety
///
/// Cancel safe: it changes nothing.
///
/// ```
/// # weft::run(async {
/// let metadata = weft::fs::metadata("/").await?;
/// assert!(metadata.is_dir());
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub async fn metadata(path: impl AsRef<Path>) -> io::Result<Metadata> {
    let path = path.as_ref().to_owned();
    blocking_call(move || std::fs::metadata(path)).await
}

/// The metadata of `path` itself, not following a symbolic link (std's
/// `fs::symlink_metadata`; `os.lstat`).
///
/// # Errors
///
/// `NotFound`, `PermissionDenied`, ...
///
/// # Cancel safety
///
/// Cancel safe: it changes nothing.
///
/// ```
/// # weft::run(async {
/// let metadata = weft::fs::symlink_metadata("/").await?;
/// assert!(!metadata.file_type().is_symlink());
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub async fn symlink_metadata(path: impl AsRef<Path>) -> io::Result<Metadata> {
    let path = path.as_ref().to_owned();
    blocking_call(move || std::fs::symlink_metadata(path)).await
}

/// `Ok(true)` if `path` names something (following symbolic links), `Ok(false)` if
/// it does not, and an error when that cannot be told — a directory on the way that
/// may not be searched (std's `Path::try_exists`; `os.path.exists`, which says
/// `False` there instead).
///
/// # Errors
///
/// `PermissionDenied` and the like: whatever keeps `stat` from saying.
///
/// # Cancel safety
///
/// Cancel safe: it changes nothing.
///
/// ```
/// # weft::run(async {
/// assert!(weft::fs::try_exists("/").await?);
/// assert!(!weft::fs::try_exists("/no/such/path").await?);
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub async fn try_exists(path: impl AsRef<Path>) -> io::Result<bool> {
    let path = path.as_ref().to_owned();
    blocking_call(move || path.try_exists()).await
}

/// The absolute path of `path` with every symbolic link, `.` and `..` resolved
/// (std's `fs::canonicalize`; `os.path.realpath(p, strict=True)`).
///
/// # Errors
///
/// `NotFound` when `path` (or a link on the way) names nothing.
///
/// # Cancel safety
///
/// Cancel safe: it changes nothing.
///
/// ```
/// # weft::run(async {
/// assert_eq!(weft::fs::canonicalize("/./").await?, std::path::Path::new("/"));
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub async fn canonicalize(path: impl AsRef<Path>) -> io::Result<PathBuf> {
    let path = path.as_ref().to_owned();
    blocking_call(move || std::fs::canonicalize(path)).await
}

/// Makes `link` a new name (a hard link) for the file `original` (std's
/// `fs::hard_link`; `os.link`).
///
/// # Errors
///
/// `AlreadyExists` for `link`, `NotFound` for `original`, `CrossesDevices`, ...
///
/// # Cancel safety
///
/// Dropping the future does not stop the link from being made.
///
/// ```
/// # weft::run(async {
/// # let dir = std::env::temp_dir().join(format!("weft-doc-hard-link-{}", std::process::id()));
/// # weft::fs::create_dir_all(&dir).await?;
/// weft::fs::write(dir.join("a"), "shared").await?;
/// weft::fs::hard_link(dir.join("a"), dir.join("b")).await?;
/// assert_eq!(weft::fs::read_to_string(dir.join("b")).await?, "shared");
/// # weft::fs::remove_dir_all(&dir).await?;
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub async fn hard_link(original: impl AsRef<Path>, link: impl AsRef<Path>) -> io::Result<()> {
    let (original, link) = (original.as_ref().to_owned(), link.as_ref().to_owned());
    blocking_call(move || std::fs::hard_link(original, link)).await
}

/// What the symbolic link at `path` points to, unresolved (std's `fs::read_link`;
/// `os.readlink`).
///
/// # Errors
///
/// `InvalidInput` when `path` is not a symbolic link, `NotFound`, ...
///
/// # Cancel safety
///
/// Cancel safe: it changes nothing.
///
/// ```
/// # weft::run(async {
/// # let link = std::env::temp_dir().join(format!("weft-doc-read-link-{}", std::process::id()));
/// std::os::unix::fs::symlink("/some/target", &link)?;
/// assert_eq!(weft::fs::read_link(&link).await?, std::path::Path::new("/some/target"));
/// # weft::fs::remove_file(&link).await?;
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub async fn read_link(path: impl AsRef<Path>) -> io::Result<PathBuf> {
    let path = path.as_ref().to_owned();
    blocking_call(move || std::fs::read_link(path)).await
}

/// Sets the permissions of what `path` names, following symbolic links (std's
/// `fs::set_permissions`; `os.chmod`).
///
/// # Errors
///
/// `NotFound`, `PermissionDenied` (not the owner), ...
///
/// # Cancel safety
///
/// Dropping the future does not stop the change.
///
/// ```
/// use std::os::unix::fs::PermissionsExt;
///
/// # weft::run(async {
/// # let path = std::env::temp_dir().join(format!("weft-doc-chmod-{}", std::process::id()));
/// weft::fs::write(&path, "#!/bin/sh\n").await?;
/// weft::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).await?;
/// let mode = weft::fs::metadata(&path).await?.permissions().mode();
/// assert_eq!(mode & 0o777, 0o755);
/// # weft::fs::remove_file(&path).await?;
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub async fn set_permissions(path: impl AsRef<Path>, permissions: Permissions) -> io::Result<()> {
    let path = path.as_ref().to_owned();
    blocking_call(move || std::fs::set_permissions(path, permissions)).await
}
