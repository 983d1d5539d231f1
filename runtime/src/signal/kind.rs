//! [`SignalKind`]: which Unix signal, by name or by number.

use std::fmt;
use std::io;

/// One past the highest signal number a slot exists for: Linux numbers its signals 1
/// to 64 (`SIGRTMAX`).
pub(crate) const SIGNAL_SLOTS: usize = 65;

/// A Unix signal: [`SignalKind::terminate`], [`SignalKind::interrupt`], ... or any
/// number through [`SignalKind::from_raw`] (tokio's `SignalKind`).
///
/// Whether a number can be listened to is decided by
/// [`signal`](crate::signal::unix::signal), which refuses `SIGKILL`, `SIGSTOP`, the
/// fault signals (`SIGSEGV`, `SIGILL`, `SIGFPE`) and numbers the OS does not have.
///
/// ```
/// use weft::signal::unix::SignalKind;
///
/// assert_eq!(SignalKind::terminate().as_raw_value(), 15);
/// assert_eq!(SignalKind::from_raw(10), SignalKind::user_defined1());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SignalKind(i32);

impl SignalKind {
    /// The signal numbered `signum` (checked when listened to, not here).
    ///
    /// ```
    /// let rt_min = weft::signal::unix::SignalKind::from_raw(34);
    /// assert_eq!(rt_min.as_raw_value(), 34);
    /// ```
    pub const fn from_raw(signum: i32) -> SignalKind {
        SignalKind(signum)
    }

    /// The signal's number.
    ///
    /// ```
    /// assert_eq!(weft::signal::unix::SignalKind::interrupt().as_raw_value(), 2);
    /// ```
    pub const fn as_raw_value(&self) -> i32 {
        self.0
    }

    /// `SIGALRM`: a timer set with `alarm(2)` expired.
    ///
    /// ```
    /// assert_eq!(weft::signal::unix::SignalKind::alarm().as_raw_value(), libc::SIGALRM);
    /// ```
    pub const fn alarm() -> SignalKind {
        SignalKind(libc::SIGALRM)
    }

    /// `SIGCHLD`: a child process stopped or exited.
    ///
    /// ```
    /// assert_eq!(weft::signal::unix::SignalKind::child().as_raw_value(), libc::SIGCHLD);
    /// ```
    pub const fn child() -> SignalKind {
        SignalKind(libc::SIGCHLD)
    }

    /// `SIGHUP`: the terminal hung up; daemons take it as "reload".
    ///
    /// ```
    /// assert_eq!(weft::signal::unix::SignalKind::hangup().as_raw_value(), libc::SIGHUP);
    /// ```
    pub const fn hangup() -> SignalKind {
        SignalKind(libc::SIGHUP)
    }

    /// `SIGINT`: Ctrl-C at the terminal (see [`ctrl_c`](crate::signal::ctrl_c)).
    ///
    /// ```
    /// assert_eq!(weft::signal::unix::SignalKind::interrupt().as_raw_value(), libc::SIGINT);
    /// ```
    pub const fn interrupt() -> SignalKind {
        SignalKind(libc::SIGINT)
    }

    /// `SIGIO`: a descriptor set up for signal-driven I/O is ready.
    ///
    /// ```
    /// assert_eq!(weft::signal::unix::SignalKind::io().as_raw_value(), libc::SIGIO);
    /// ```
    pub const fn io() -> SignalKind {
        SignalKind(libc::SIGIO)
    }

    /// `SIGPIPE`: a write to a pipe or socket nobody reads any more. (Rust programs
    /// ignore it by default and get `EPIPE` instead.)
    ///
    /// ```
    /// assert_eq!(weft::signal::unix::SignalKind::pipe().as_raw_value(), libc::SIGPIPE);
    /// ```
    pub const fn pipe() -> SignalKind {
        SignalKind(libc::SIGPIPE)
    }

    /// `SIGQUIT`: Ctrl-\ at the terminal.
    ///
    /// ```
    /// assert_eq!(weft::signal::unix::SignalKind::quit().as_raw_value(), libc::SIGQUIT);
    /// ```
    pub const fn quit() -> SignalKind {
        SignalKind(libc::SIGQUIT)
    }

    /// `SIGTERM`: a polite request to stop (what `kill` and service managers send).
    ///
    /// ```
    /// assert_eq!(weft::signal::unix::SignalKind::terminate().as_raw_value(), libc::SIGTERM);
    /// ```
    pub const fn terminate() -> SignalKind {
        SignalKind(libc::SIGTERM)
    }

    /// `SIGUSR1`: the application's own meaning.
    ///
    /// ```
    /// assert_eq!(weft::signal::unix::SignalKind::user_defined1().as_raw_value(), libc::SIGUSR1);
    /// ```
    pub const fn user_defined1() -> SignalKind {
        SignalKind(libc::SIGUSR1)
    }

    /// `SIGUSR2`: the application's own meaning.
    ///
    /// ```
    /// assert_eq!(weft::signal::unix::SignalKind::user_defined2().as_raw_value(), libc::SIGUSR2);
    /// ```
    pub const fn user_defined2() -> SignalKind {
        SignalKind(libc::SIGUSR2)
    }

    /// `SIGWINCH`: the terminal window changed size.
    ///
    /// ```
    /// assert_eq!(weft::signal::unix::SignalKind::window_change().as_raw_value(), libc::SIGWINCH);
    /// ```
    pub const fn window_change() -> SignalKind {
        SignalKind(libc::SIGWINCH)
    }

    /// The slot index of a signal that may be listened to, or the error saying why
    /// not: out of range, or refused by the handler registry (`SIGKILL`, `SIGSTOP`,
    /// the fault signals).
    pub(crate) fn listenable(self) -> io::Result<usize> {
        let signum = self.0;
        let index = usize::try_from(signum)
            .ok()
            .filter(|&index| (1..SIGNAL_SLOTS).contains(&index));
        let Some(index) = index else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{self:?} is not a signal number (signals are 1 to {})",
                    SIGNAL_SLOTS - 1
                ),
            ));
        };
        if signal_hook_registry::FORBIDDEN.contains(&signum) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{self:?} cannot be listened to: SIGKILL and SIGSTOP cannot be caught, and \
                     SIGSEGV, SIGILL and SIGFPE mean the program itself is broken"
                ),
            ));
        }
        Ok(index)
    }
}

impl From<i32> for SignalKind {
    fn from(signum: i32) -> SignalKind {
        SignalKind(signum)
    }
}

impl From<SignalKind> for i32 {
    fn from(kind: SignalKind) -> i32 {
        kind.0
    }
}

impl fmt::Debug for SignalKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self.0 {
            libc::SIGHUP => "SIGHUP",
            libc::SIGINT => "SIGINT",
            libc::SIGQUIT => "SIGQUIT",
            libc::SIGILL => "SIGILL",
            libc::SIGABRT => "SIGABRT",
            libc::SIGFPE => "SIGFPE",
            libc::SIGKILL => "SIGKILL",
            libc::SIGSEGV => "SIGSEGV",
            libc::SIGPIPE => "SIGPIPE",
            libc::SIGALRM => "SIGALRM",
            libc::SIGTERM => "SIGTERM",
            libc::SIGUSR1 => "SIGUSR1",
            libc::SIGUSR2 => "SIGUSR2",
            libc::SIGCHLD => "SIGCHLD",
            libc::SIGCONT => "SIGCONT",
            libc::SIGSTOP => "SIGSTOP",
            libc::SIGTSTP => "SIGTSTP",
            libc::SIGWINCH => "SIGWINCH",
            libc::SIGIO => "SIGIO",
            other => return write!(f, "signal {other}"),
        };
        f.write_str(name)
    }
}
