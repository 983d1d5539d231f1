//! `start_server` with no file descriptor left: the accept loop backs off and keeps
//! serving once descriptors are freed.
//!
//! Its own test binary, because it lowers the process's descriptor limit.

use std::fs::File;
use std::io::{Read, Write};
use weft::io::AsyncWriteExt;

/// Lowers both of the process's descriptor limits to `n` (lowering is always allowed).
fn limit_descriptors_to(n: u64) {
    let limit = libc::rlimit {
        rlim_cur: n,
        rlim_max: n,
    };
    // SAFETY: `limit` is a valid `rlimit` for the call's duration.
    let rc = unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) };
    assert_eq!(rc, 0, "setrlimit: {}", std::io::Error::last_os_error());
}

#[test]
fn the_accept_loop_backs_off_on_emfile_and_keeps_serving() {
    let rt = weft::Runtime::builder().worker_threads(2).build().unwrap();
    let server = rt.block_on(weft::net::start_server(
        "127.0.0.1:0",
        |mut reader, mut writer| async move {
            weft::io::copy(&mut reader, &mut writer).await?;
            writer.close().await
        },
    ));
    let server = server.unwrap();
    let addr = server.local_addr();

    // Use up every descriptor below a lowered limit but one, which the client takes:
    // the server's accept then has none left.
    let open_now = std::fs::read_dir("/proc/self/fd").unwrap().count() as u64;
    limit_descriptors_to(open_now + 16);
    let mut fillers = Vec::new();
    while let Ok(file) = File::open("/dev/null") {
        fillers.push(file);
    }
    fillers.pop();
    let mut client = std::net::TcpStream::connect(addr).unwrap();

    // The accept failed with EMFILE and the loop is backing off: its back-off sleep is
    // the runtime's only timer.
    while rt.handle().metrics().timers() == 0 {
        std::thread::yield_now();
    }
    // Freeing the fillers leaves descriptors to spare under the lowered limit.
    drop(fillers);

    client.write_all(b"still serving").unwrap();
    client.shutdown(std::net::Shutdown::Write).unwrap();
    let mut echoed = Vec::new();
    client.read_to_end(&mut echoed).unwrap();
    assert_eq!(echoed, b"still serving");
    assert!(server.is_serving());
}
