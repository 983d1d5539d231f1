//! [`OpenOptions`]: std's builder of how to open a file, with an async `open`.

use super::pool_hop::blocking_call;
use super::File;
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// How to open a file: std's `OpenOptions`, with the same names, whose
/// [`open`](OpenOptions::open) runs on the blocking pool and returns a weft
/// [`File`].
///
/// ```
/// use weft::fs::OpenOptions;
/// use weft::io::AsyncWriteExt;
///
/// # weft::run(async {
/// # let path = std::env::temp_dir().join(format!("weft-doc-open-options-{}", std::process::id()));
/// let mut log = OpenOptions::new().append(true).create(true).open(&path).await?;
/// log.write_all(b"started\n").await?;
/// log.flush().await?;
/// # weft::fs::remove_file(&path).await?;
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
#[derive(Clone, Debug)]
pub struct OpenOptions(std::fs::OpenOptions);

impl OpenOptions {
    /// Every option off; set at least one of `read`, `write` and `append`.
    ///
    /// ```
    /// let mut options = weft::fs::OpenOptions::new();
    /// options.read(true);
    /// ```
    pub fn new() -> OpenOptions {
        OpenOptions(std::fs::OpenOptions::new())
    }

    /// Open for reading.
    ///
    /// ```
    /// weft::fs::OpenOptions::new().read(true);
    /// ```
    pub fn read(&mut self, read: bool) -> &mut OpenOptions {
        self.0.read(read);
        self
    }

    /// Open for writing (from the start, overwriting, unless `append`).
    ///
    /// ```
    /// weft::fs::OpenOptions::new().write(true);
    /// ```
    pub fn write(&mut self, write: bool) -> &mut OpenOptions {
        self.0.write(write);
        self
    }

    /// Open for appending: every write goes to the end of the file.
    ///
    /// ```
    /// weft::fs::OpenOptions::new().append(true);
    /// ```
    pub fn append(&mut self, append: bool) -> &mut OpenOptions {
        self.0.append(append);
        self
    }

    /// Truncate the file to 0 bytes on opening (needs `write`).
    ///
    /// ```
    /// weft::fs::OpenOptions::new().write(true).truncate(true);
    /// ```
    pub fn truncate(&mut self, truncate: bool) -> &mut OpenOptions {
        self.0.truncate(truncate);
        self
    }

    /// Create the file if it does not exist (needs `write` or `append`).
    ///
    /// ```
    /// weft::fs::OpenOptions::new().write(true).create(true);
    /// ```
    pub fn create(&mut self, create: bool) -> &mut OpenOptions {
        self.0.create(create);
        self
    }

    /// Create the file, failing with `AlreadyExists` if it exists (atomically;
    /// `create` and `truncate` are then ignored).
    ///
    /// ```
    /// weft::fs::OpenOptions::new().write(true).create_new(true);
    /// ```
    pub fn create_new(&mut self, create_new: bool) -> &mut OpenOptions {
        self.0.create_new(create_new);
        self
    }

    /// The permission bits a created file gets, before the umask (Unix; std's
    /// `OpenOptionsExt::mode`, default `0o666`).
    ///
    /// ```
    /// weft::fs::OpenOptions::new().write(true).create(true).mode(0o600);
    /// ```
    pub fn mode(&mut self, mode: u32) -> &mut OpenOptions {
        self.0.mode(mode);
        self
    }

    /// Extra `open(2)` flags, such as `O_NOFOLLOW` (Unix; std's
    /// `OpenOptionsExt::custom_flags`).
    ///
    /// ```
    /// weft::fs::OpenOptions::new().read(true).custom_flags(0);
    /// ```
    pub fn custom_flags(&mut self, flags: i32) -> &mut OpenOptions {
        self.0.custom_flags(flags);
        self
    }

    /// Opens `path` with these options, on the blocking pool.
    ///
    /// # Errors
    ///
    /// As std's `OpenOptions::open`: `NotFound`, `PermissionDenied`,
    /// `AlreadyExists` (`create_new`), `InvalidInput` (no access mode), an
    /// `IsADirectory` error for a directory opened for writing; `Other` outside a
    /// weft runtime.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future does not stop the open on the pool: a file may be created
    /// or truncated all the same, and a file it opens is closed again.
    ///
    /// ```
    /// # weft::run(async {
    /// let err = weft::fs::OpenOptions::new().read(true).open("/no/such/file").await.unwrap_err();
    /// assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
    /// # });
    /// ```
    pub async fn open(&self, path: impl AsRef<Path>) -> io::Result<File> {
        let options = self.0.clone();
        let path = path.as_ref().to_owned();
        let std = blocking_call(move || options.open(path)).await?;
        Ok(File::from_std(std))
    }
}

impl Default for OpenOptions {
    fn default() -> OpenOptions {
        OpenOptions::new()
    }
}

impl From<std::fs::OpenOptions> for OpenOptions {
    /// Keeps every option set on the std builder, platform extensions included.
    fn from(options: std::fs::OpenOptions) -> OpenOptions {
        OpenOptions(options)
    }
}
