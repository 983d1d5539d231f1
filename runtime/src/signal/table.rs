//! The process-wide half of `weft::signal`: one [`Slot`] per signal number, the
//! handlers (installed once each, never removed), and the self-pipe they write to.
//!
//! Everything here lives for the rest of the process once made: a handler cannot be
//! taken back safely while another thread may be running it, and the pipe it writes
//! to must outlive every handler (signal rules 1 and 2).

use super::kind::{SignalKind, SIGNAL_SLOTS};
use super::runtime_watch::RuntimeWatch;
use super::slot::Slot;
use crate::loom::Mutex;
use std::fs::File;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{OnceLock, Weak};

/// The table, made by the first listener of the process.
static TABLE: OnceLock<Table> = OnceLock::new();

/// The pipe's write end, for the handlers: a plain atomic they can read in signal
/// context. `-1` until the pipe exists (no handler is installed before it does).
static WRITE_FD: AtomicI32 = AtomicI32::new(-1);

/// What weft runs when a dispatcher takes a delivery of a signal (signal rule 7).
type Hook = fn();

pub(crate) struct Table {
    slots: Box<[Slot]>,
    /// Which signals have weft's handler (signal rule 1), by slot index.
    installed: Mutex<[bool; SIGNAL_SLOTS]>,
    /// The self-pipe's read end; each runtime watches a duplicate (signal rule 3).
    read_end: OwnedFd,
    /// The self-pipe's write end, open for the life of the process (signal rule 2).
    write_end: OwnedFd,
    /// The runtimes whose dispatchers serve listeners, by weak reference.
    pub(crate) watches: Mutex<Vec<Weak<RuntimeWatch>>>,
    /// What weft itself runs when a dispatcher takes a delivery, by slot index
    /// (signal rule 7).
    hooks: Box<[OnceLock<Hook>]>,
}

/// The table, making it (and its pipe) on first use.
///
/// # Errors
///
/// The OS's error creating the pipe (`EMFILE`); the next call tries again.
pub(crate) fn table() -> io::Result<&'static Table> {
    if let Some(table) = TABLE.get() {
        return Ok(table);
    }
    let (read_end, write_end) = self_pipe()?;
    let table = Table {
        slots: (0..SIGNAL_SLOTS).map(|_| Slot::new()).collect(),
        installed: Mutex::new([false; SIGNAL_SLOTS]),
        read_end,
        write_end,
        watches: Mutex::new(Vec::new()),
        hooks: (0..SIGNAL_SLOTS).map(|_| OnceLock::new()).collect(),
    };
    // A racing thread may have set it first: then ours is dropped here, pipe and all,
    // before any handler could know of it — the write end is published only below,
    // and only the winner's.
    let table = TABLE.get_or_init(|| table);
    WRITE_FD.store(table.write_end.as_raw_fd(), Ordering::SeqCst);
    Ok(table)
}

impl Table {
    /// The slot of signal `index` (a [`SignalKind::listenable`] index).
    pub(crate) fn slot(&self, index: usize) -> &Slot {
        &self.slots[index]
    }

    /// Installs weft's handler for `kind` unless it already has it (signal rule 1).
    ///
    /// # Errors
    ///
    /// The OS's refusal (`EINVAL` for a number it reserves, such as glibc's 32 and 33),
    /// as `InvalidInput`.
    pub(crate) fn install(&'static self, kind: SignalKind, index: usize) -> io::Result<()> {
        let mut installed = self.installed.lock();
        if installed[index] {
            return Ok(());
        }
        let slot = &self.slots[index];
        let handler = move || {
            slot.record();
            notify_pipe();
        };
        // SAFETY: the handler is async-signal-safe: one atomic store (`Slot::record`)
        // and `notify_pipe` (an atomic load and `write(2)`); it allocates nothing,
        // takes no lock and cannot panic. `kind` is not in `FORBIDDEN`
        // (`SignalKind::listenable` checked it), so `register` does not panic.
        let registered = unsafe { signal_hook_registry::register(kind.as_raw_value(), handler) };
        match registered {
            Ok(_id) => {
                installed[index] = true;
                Ok(())
            }
            Err(err) => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("the OS refused a handler for {kind:?}: {err}"),
            )),
        }
    }

    /// Dispatches every pending delivery (signal rule 4), running the hook of each
    /// signal delivered (rule 7).
    pub(crate) fn dispatch_all(&self) {
        for (slot, hook) in self.slots.iter().zip(self.hooks.iter()) {
            if slot.dispatch() {
                if let Some(hook) = hook.get() {
                    hook();
                }
            }
        }
    }

    /// Sets weft's own hook for signal `index` (rule 7); the first one set stays.
    pub(crate) fn hook(&self, index: usize, hook: Hook) {
        let _ = self.hooks[index].set(hook);
    }

    /// Wakes every listener of every signal: a runtime's dispatcher is gone and its
    /// listeners must look (signal rule 6).
    pub(crate) fn wake_everyone(&self) {
        for slot in self.slots.iter() {
            slot.wake_all();
        }
    }

    /// A new descriptor for the self-pipe's read end, for one runtime's reactor.
    ///
    /// # Errors
    ///
    /// The OS's error (`EMFILE`).
    pub(crate) fn watch_pipe(&self) -> io::Result<File> {
        Ok(File::from(self.read_end.try_clone()?))
    }
}

/// What a handler does after recording: one byte into the self-pipe, so the reactors
/// watching it wake (signal rule 2). A full pipe drops the byte: the unread ones
/// already guarantee a wake-up. `errno` is restored by signal-hook-registry.
fn notify_pipe() {
    let fd = WRITE_FD.load(Ordering::SeqCst);
    if fd >= 0 {
        // SAFETY: `fd` is the write end the table keeps open for the life of the
        // process; the buffer is one valid byte. `write` is async-signal-safe.
        let _ = unsafe { libc::write(fd, [1u8].as_ptr().cast(), 1) };
    }
}

/// A non-blocking, close-on-exec pipe: (read end, write end).
fn self_pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [-1; 2];
    // SAFETY: `fds` has room for the two descriptors pipe2 writes.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_NONBLOCK | libc::O_CLOEXEC) } != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: pipe2 succeeded: both are open descriptors nothing else owns.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}
