//! The descriptor limit: the soak holds two descriptors per connection (the client's
//! socket and the server's) in one process, so 5,000 connections need more than the
//! usual soft limit of 1,024.

use std::io;

/// Raises the soft `RLIMIT_NOFILE` to `needed` if it is lower, as far as the hard
/// limit allows; returns the soft limit now in force.
///
/// # Errors
///
/// A message saying what to do when the hard limit is below `needed`, or when the
/// limit cannot be read or set.
pub(crate) fn raise_to(needed: u64) -> Result<u64, String> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `limit` is a valid, writable `rlimit` for the call's duration.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return Err(format!(
            "cannot read the descriptor limit: {}",
            io::Error::last_os_error()
        ));
    }
    if limit.rlim_cur >= needed {
        return Ok(limit.rlim_cur);
    }
    if limit.rlim_max < needed {
        return Err(format!(
            "the soak needs {needed} open descriptors, but the hard limit is {} (soft {}): \
             raise it (`ulimit -Hn {needed}` as root, or `LimitNOFILE=` in systemd) or \
             run fewer --connections",
            limit.rlim_max, limit.rlim_cur
        ));
    }
    limit.rlim_cur = needed;
    // SAFETY: `limit` is a valid `rlimit`; the new soft limit is within the hard one.
    if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) } != 0 {
        return Err(format!(
            "cannot raise the soft descriptor limit to {needed}: {}",
            io::Error::last_os_error()
        ));
    }
    Ok(needed)
}
