//! Accepting with no file descriptor left: `EMFILE` comes back as an error, the
//! connection stays queued, and the listener keeps serving once descriptors free up.
//!
//! Its own test binary, because it lowers the process's descriptor limit.

mod executor;

use std::fs::File;
use weft_io::net::{TcpListener, TcpStream};

/// The soft and hard `RLIMIT_NOFILE`.
fn nofile_limit() -> libc::rlimit {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `limit` is a valid, writable `rlimit` for the call's duration.
    let rc = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) };
    assert_eq!(rc, 0, "getrlimit: {}", std::io::Error::last_os_error());
    limit
}

fn set_nofile_limit(limit: libc::rlimit) {
    // SAFETY: `limit` is a valid `rlimit`; lowering or restoring the soft limit
    // (never above the hard one) is always permitted.
    let rc = unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) };
    assert_eq!(rc, 0, "setrlimit: {}", std::io::Error::last_os_error());
}

#[test]
fn accept_without_free_descriptors_is_emfile_and_the_listener_keeps_serving() {
    executor::run(|_ex| async move {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();

        // Use up every descriptor below a lowered limit.
        let original = nofile_limit();
        let highest_open = std::fs::read_dir("/proc/self/fd").unwrap().count() as u64 + 16;
        set_nofile_limit(libc::rlimit {
            rlim_cur: highest_open,
            ..original
        });
        let mut fillers = Vec::new();
        while let Ok(file) = File::open("/dev/null") {
            fillers.push(file);
        }

        let err = listener.accept().await.unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EMFILE), "{err}");

        drop(fillers);
        set_nofile_limit(original);
        let (_server, peer) = listener.accept().await.unwrap();
        assert_eq!(peer, client.local_addr().unwrap());
    });
}
