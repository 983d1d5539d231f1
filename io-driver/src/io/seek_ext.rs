//! [`AsyncSeekExt`]: `seek` and `stream_position` as futures, for every
//! [`AsyncSeek`].

use futures_io::AsyncSeek;
use std::future::Future;
use std::io::{self, SeekFrom};
use std::pin::Pin;
use std::task::{Context, Poll};

/// Seeking helpers for every [`AsyncSeek`] (a `weft::fs::File`, say): std's
/// `Seek::seek` and `stream_position`, as futures.
///
/// ```no_run
/// use std::io::SeekFrom;
/// use weft_io::io::AsyncSeekExt;
///
/// # async fn demo(mut file: impl futures_io::AsyncSeek + Unpin) -> std::io::Result<()> {
/// let end = file.seek(SeekFrom::End(0)).await?;
/// assert_eq!(file.stream_position().await?, end);
/// # Ok(()) }
/// ```
pub trait AsyncSeekExt: AsyncSeek {
    /// Moves the cursor to `pos`; returns the new position from the start.
    ///
    /// # Errors
    ///
    /// `InvalidInput` for a position before the start, or the seeker's error.
    ///
    /// # Cancel safety
    ///
    /// Depends on the seeker. For a `weft::fs::File`, a seek dropped while its
    /// blocking call runs still moves the cursor; seek again with
    /// `SeekFrom::Start` to know where you are.
    ///
    /// ```no_run
    /// use std::io::SeekFrom;
    /// use weft_io::io::AsyncSeekExt;
    ///
    /// # async fn demo(mut file: impl futures_io::AsyncSeek + Unpin) -> std::io::Result<()> {
    /// file.seek(SeekFrom::Start(0)).await?; // rewind
    /// # Ok(()) }
    /// ```
    fn seek(&mut self, pos: SeekFrom) -> Seek<'_, Self>
    where
        Self: Unpin,
    {
        Seek { seeker: self, pos }
    }

    /// The cursor's position from the start: `seek(SeekFrom::Current(0))`.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: it moves nothing.
    ///
    /// ```no_run
    /// use weft_io::io::AsyncSeekExt;
    ///
    /// # async fn demo(mut file: impl futures_io::AsyncSeek + Unpin) -> std::io::Result<()> {
    /// let here = file.stream_position().await?;
    /// # Ok(()) }
    /// ```
    fn stream_position(&mut self) -> Seek<'_, Self>
    where
        Self: Unpin,
    {
        self.seek(SeekFrom::Current(0))
    }
}

impl<S: AsyncSeek + ?Sized> AsyncSeekExt for S {}

/// The future of [`AsyncSeekExt::seek`] and [`AsyncSeekExt::stream_position`].
#[must_use = "futures do nothing unless polled"]
#[derive(Debug)]
pub struct Seek<'a, S: ?Sized> {
    seeker: &'a mut S,
    pos: SeekFrom,
}

impl<S: AsyncSeek + Unpin + ?Sized> Future for Seek<'_, S> {
    type Output = io::Result<u64>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<u64>> {
        let this = self.get_mut();
        Pin::new(&mut *this.seeker).poll_seek(cx, this.pos)
    }
}
