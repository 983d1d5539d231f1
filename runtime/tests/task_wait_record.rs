//! Where every task is suspended: each of weft's awaits records what it waits on and
//! the user's line; `Handle::dump()` prints it and the chain of tasks awaiting one
//! another.

mod support;

use std::sync::Arc;
use std::time::Duration;
use support::paused_runtime;
use weft::sync::{Barrier, BoundedSemaphore, Condition, Event, Lock, Queue, Semaphore};
use weft::task::{TaskId, TaskInfo};

/// Yields until task `id` has a wait record (the runtime is current-thread: each yield
/// lets every ready task run), and returns its snapshot.
async fn recorded(id: TaskId) -> TaskInfo {
    for _ in 0..1000 {
        weft::yield_now().await;
        let info = weft::task::all().into_iter().find(|t| t.id() == id);
        if let Some(info) = info.filter(|t| t.waiting_on().is_some()) {
            return info;
        }
    }
    panic!("task {id} never recorded a wait");
}

/// Asserts that `info` waits on `what` at line `line` of this file.
fn assert_waits(info: &TaskInfo, what: &str, line: u32) {
    assert_eq!(info.waiting_on(), Some(what), "{info}");
    let at = info.waiting_at().expect("a wait has a line");
    assert_eq!((at.file(), at.line()), (file!(), line), "{info}");
    assert!(info.waiting_for().is_some(), "{info}");
}

#[test]
fn the_dump_names_the_wait_and_the_line_across_a_chain_of_three_tasks() {
    let rt = paused_runtime();
    rt.block_on(async {
        let queue = Arc::new(Queue::<u32>::new(0));
        let consumer = queue.clone();
        let first = line!();
        let main = weft::task::Builder::new().name("main").spawn(async move {
            let a = weft::task::Builder::new().name("fetch").spawn(async move {
                let b = weft::task::Builder::new()
                    .name("read")
                    .spawn(async move { consumer.get().await.unwrap() });
                b.await.unwrap()
            });
            a.await.unwrap()
        });
        let main_id = main.id();
        // Wait until the innermost task records its wait: then all three have.
        let mut dump = weft::runtime::Handle::current().dump();
        for _ in 0..1000 {
            if dump.call_graph().first().is_some_and(|c| c.len() == 3) {
                break;
            }
            weft::yield_now().await;
            dump = weft::runtime::Handle::current().dump();
        }
        let chains = dump.call_graph();
        assert_eq!(chains.len(), 1, "{dump}");
        let chain = &chains[0];
        let names: Vec<_> = chain.iter().map(|t| t.name().unwrap()).collect();
        assert_eq!(names, ["main", "fetch", "read"], "{dump}");
        assert_eq!(chain[0].id(), main_id);
        assert_eq!(chain[0].awaiting(), Some(chain[1].id()));
        assert_eq!(chain[1].awaiting(), Some(chain[2].id()));
        assert_waits(chain[2], "Queue::get", first + 5);
        assert_eq!(chain[0].waiting_at().unwrap().line(), first + 8);
        assert_eq!(chain[1].waiting_at().unwrap().line(), first + 6);
        let text = dump.to_string();
        let expected = format!(
            "task {} \"main\" awaits task {} \"fetch\" at {}:{}:",
            chain[0].id(),
            chain[1].id(),
            file!(),
            first + 8
        );
        assert!(text.contains(&expected), "{text}");
        let tail = format!(", which waits on Queue::get at {}:{}:", file!(), first + 5);
        assert!(text.contains(&tail), "{text}");
        queue.put_nowait(7).unwrap();
        assert_eq!(main.await.unwrap(), 7);
    });
}

#[test]
fn the_chain_ends_at_an_event_wait() {
    let rt = paused_runtime();
    rt.block_on(async {
        let event = Arc::new(Event::new());
        let inner_event = event.clone();
        let line = line!() + 2;
        let inner = weft::task::Builder::new().name("inner").spawn(async move {
            inner_event.wait().await;
        });
        let inner_id = inner.id();
        let outer = weft::task::Builder::new()
            .name("outer")
            .spawn(async move { inner.await.unwrap() });
        assert_waits(&recorded(inner_id).await, "Event::wait", line);
        let info = recorded(outer.id()).await;
        assert_eq!(info.waiting_on(), Some("Task"));
        assert_eq!(info.awaiting(), Some(inner_id));
        let text = weft::runtime::Handle::current().dump().to_string();
        assert!(text.contains("which waits on Event::wait at"), "{text}");
        event.set();
        outer.await.unwrap();
    });
}

#[test]
fn each_sync_primitive_records_its_wait_at_the_callers_line() {
    let rt = paused_runtime();
    rt.block_on(async {
        let lock = Arc::new(Lock::new(()));
        let held = lock.try_lock().unwrap();
        let l = lock.clone();
        let line = line!() + 1;
        let t = weft::spawn(async move { drop(l.lock().await) });
        assert_waits(&recorded(t.id()).await, "Lock::lock", line);
        drop(held);
        t.await.unwrap();

        let sem = Arc::new(Semaphore::new(0));
        let s = sem.clone();
        let line = line!() + 1;
        let t = weft::spawn(async move { drop(s.acquire().await) });
        assert_waits(&recorded(t.id()).await, "Semaphore::acquire", line);
        sem.add_permits(1);
        t.await.unwrap();

        let bounded = Arc::new(BoundedSemaphore::new(1));
        let permit = bounded.try_acquire().unwrap();
        let b = bounded.clone();
        let line = line!() + 1;
        let t = weft::spawn(async move { drop(b.acquire().await) });
        assert_waits(&recorded(t.id()).await, "BoundedSemaphore::acquire", line);
        drop(permit);
        t.await.unwrap();

        let cond = Arc::new(Condition::new(false));
        let c = cond.clone();
        let line = line!() + 3;
        let t = weft::spawn(async move {
            let guard = c.lock().await;
            drop(c.wait_for(guard, |ready| *ready).await);
        });
        assert_waits(&recorded(t.id()).await, "Condition::wait_for", line);
        *cond.lock().await = true;
        cond.notify_all();
        t.await.unwrap();

        let barrier = Arc::new(Barrier::new(2));
        let b = barrier.clone();
        let line = line!() + 1;
        let t = weft::spawn(async move { b.wait().await.unwrap() });
        assert_waits(&recorded(t.id()).await, "Barrier::wait", line);
        barrier.wait().await.unwrap();
        t.await.unwrap();

        let queue = Arc::new(Queue::new(1));
        queue.put_nowait(1).unwrap();
        let q = queue.clone();
        let line = line!() + 1;
        let t = weft::spawn(async move { q.put(2).await.unwrap() });
        assert_waits(&recorded(t.id()).await, "Queue::put", line);
        assert_eq!(queue.get().await.unwrap(), 1);
        t.await.unwrap();
        let q = queue.clone();
        let line = line!() + 1;
        let t = weft::spawn(async move { q.join().await });
        assert_waits(&recorded(t.id()).await, "Queue::join", line);
        queue.get().await.unwrap();
        queue.task_done().unwrap();
        queue.task_done().unwrap();
        t.await.unwrap();

        let (tx, rx) = weft::sync::oneshot::channel::<u8>();
        let line = line!() + 1;
        let t = weft::spawn(async move { rx.await.unwrap() });
        assert_waits(&recorded(t.id()).await, "oneshot::Receiver", line);
        tx.send(1).unwrap();
        t.await.unwrap();
    });
}

#[test]
fn timers_record_sleep_interval_and_timeout_and_a_timeout_shows_the_inner_wait() {
    let rt = paused_runtime();
    rt.block_on(async {
        let line = line!() + 1;
        let t = weft::spawn(async { weft::time::sleep(Duration::from_secs(60)).await });
        assert_waits(&recorded(t.id()).await, "sleep", line);
        t.cancel();

        let line = line!() + 4;
        let t = weft::spawn(async {
            let mut ticks = weft::time::interval(Duration::from_secs(60));
            ticks.tick().await;
            ticks.tick().await;
        });
        assert_waits(&recorded(t.id()).await, "Interval::tick", line);
        t.cancel();

        let line = line!() + 2;
        let t = weft::spawn(async {
            weft::time::timeout(Duration::from_secs(60), std::future::pending::<()>()).await
        });
        assert_waits(&recorded(t.id()).await, "timeout", line);
        t.cancel();

        let queue = Arc::new(Queue::<u8>::new(0));
        let q = queue.clone();
        let line = line!() + 2;
        let t =
            weft::spawn(async move { weft::time::timeout(Duration::from_secs(60), q.get()).await });
        assert_waits(&recorded(t.id()).await, "Queue::get", line);
        t.cancel();
    });
}

#[test]
fn awaiting_spawn_blocking_records_the_blocking_job() {
    let rt = paused_runtime();
    rt.block_on(async {
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let line = line!() + 3;
        let t = weft::spawn(async move {
            weft::spawn_blocking(move || rx.recv().unwrap())
                .await
                .unwrap()
        });
        let info = recorded(t.id()).await;
        assert_waits(&info, "spawn_blocking", line);
        assert!(info.awaiting().is_some());
        tx.send(()).unwrap();
        t.await.unwrap();
    });
}

#[test]
fn the_record_is_cleared_once_the_task_runs_on() {
    let rt = paused_runtime();
    rt.block_on(async {
        let event = Arc::new(Event::new());
        let e = event.clone();
        let t = weft::spawn(async move {
            e.wait().await;
            // A future weft does not know: the task waits on nothing recorded.
            std::future::pending::<()>().await;
        });
        assert_eq!(recorded(t.id()).await.waiting_on(), Some("Event::wait"));
        event.set();
        for _ in 0..10 {
            weft::yield_now().await;
        }
        let info = weft::task::all()
            .into_iter()
            .find(|i| i.id() == t.id())
            .unwrap();
        assert_eq!(info.waiting_on(), None, "{info}");
        assert_eq!(info.waiting_at(), None);
        assert_eq!(info.waiting_for(), None);
        assert_eq!(info.awaiting(), None);
        assert!(!weft::runtime::Handle::current()
            .dump()
            .to_string()
            .contains("Event::wait"));
        t.cancel();
    });
}

#[test]
fn a_finished_chain_leaves_no_call_graph() {
    let rt = paused_runtime();
    rt.block_on(async {
        let inner = weft::spawn(async {});
        let outer = weft::spawn(async move { inner.await.unwrap() });
        outer.await.unwrap();
        let dump = weft::runtime::Handle::current().dump();
        assert!(dump.tasks().is_empty());
        assert!(dump.call_graph().is_empty());
        assert_eq!(dump.to_string(), "0 live tasks\n");
    });
}

#[test]
fn records_work_on_the_multi_thread_runtime() {
    let rt = weft::Runtime::builder().worker_threads(2).build().unwrap();
    let event = Arc::new(Event::new());
    let e = event.clone();
    let started = Arc::new(Event::new());
    let s = started.clone();
    let line = line!() + 3;
    let t = rt.spawn(async move {
        s.set();
        e.wait().await;
    });
    rt.block_on(async {
        started.wait().await;
        // The task may not have suspended yet: look until it has.
        loop {
            let dump = rt.dump();
            if let Some(info) = dump
                .tasks()
                .iter()
                .find(|i| i.id() == t.id() && i.waiting_on().is_some())
            {
                assert_waits(info, "Event::wait", line);
                break;
            }
            weft::yield_now().await;
        }
    });
    event.set();
    t.join_blocking().unwrap();
}

#[test]
fn a_chain_ends_at_a_socket_read_with_the_line_of_read_exact() {
    use weft::io::{AsyncReadExt, AsyncWriteExt};
    let rt = weft::Runtime::builder().current_thread().build().unwrap();
    rt.block_on(async {
        let listener = weft::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let line_accept = line!() + 1;
        let server = weft::spawn(async move { listener.accept().await.unwrap().0 });
        assert_waits(
            &recorded(server.id()).await,
            "TcpListener::accept",
            line_accept,
        );
        let mut client = weft::net::TcpStream::connect(addr).await.unwrap();
        let mut conn = server.await.unwrap();
        let line_read = line!() + 3;
        let reader = weft::task::Builder::new().name("fetch").spawn(async move {
            let mut buf = [0; 4];
            conn.read_exact(&mut buf).await.unwrap();
            buf
        });
        let reader_id = reader.id();
        let line_main = line!() + 3;
        let main = weft::task::Builder::new()
            .name("main")
            .spawn(async move { reader.await.unwrap() });
        assert_waits(&recorded(reader_id).await, "TcpStream::read", line_read);
        recorded(main.id()).await;
        let text = weft::runtime::Handle::current().dump().to_string();
        let expected = format!(
            "awaits task {reader_id} \"fetch\" at {}:{}:",
            file!(),
            line_main
        );
        assert!(text.contains(&expected), "{text}");
        let tail = format!(
            ", which waits on TcpStream::read at {}:{line_read}:",
            file!()
        );
        assert!(text.contains(&tail), "{text}");
        client.write_all(b"ping").await.unwrap();
        assert_eq!(&main.await.unwrap(), b"ping");
    });
}

#[test]
fn a_socket_polled_directly_records_its_wait_without_a_line() {
    let rt = weft::Runtime::builder().current_thread().build().unwrap();
    rt.block_on(async {
        let socket = weft::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let t = weft::spawn(async move {
            let mut buf = [0; 8];
            socket.recv_from(&mut buf).await.unwrap()
        });
        let info = recorded(t.id()).await;
        assert_eq!(info.waiting_on(), Some("UdpSocket::recv"));
        assert_eq!(info.waiting_at(), None);
        assert!(
            info.to_string().contains("waits on UdpSocket::recv for"),
            "{info}"
        );
        t.cancel();
    });
}

#[cfg(unix)]
#[test]
fn process_wait_and_signal_recv_record_their_waits() {
    let rt = weft::Runtime::builder().current_thread().build().unwrap();
    rt.block_on(async {
        let mut child = weft::process::Command::new("cat")
            .stdin(weft::process::Stdio::piped())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let line = line!() + 1;
        let t = weft::spawn(async move { child.wait().await.unwrap() });
        assert_waits(&recorded(t.id()).await, "Child::wait", line);
        drop(stdin);
        assert!(t.await.unwrap().success());

        use weft::signal::unix::{signal, SignalKind};
        let mut signals = signal(SignalKind::user_defined2()).unwrap();
        let line = line!() + 1;
        let t = weft::spawn(async move { signals.recv().await });
        assert_waits(&recorded(t.id()).await, "Signal::recv", line);
        t.cancel();
    });
}

#[test]
fn a_file_read_records_the_blocking_pool_wait_at_the_callers_line() {
    use weft::io::AsyncReadExt;
    let dir = std::env::temp_dir().join(format!("weft-wait-record-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("data");
    std::fs::write(&path, b"abcd").unwrap();
    let rt = weft::Runtime::builder()
        .current_thread()
        .max_blocking_threads(1)
        .build()
        .unwrap();
    let (gate_tx, gate_rx) = std::sync::mpsc::channel::<()>();
    rt.block_on(async {
        let mut file = weft::fs::File::open(&path).await.unwrap();
        // Hold the only blocking thread busy, so the file's read job stays queued.
        let busy = weft::spawn_blocking(move || gate_rx.recv().unwrap());
        let line = line!() + 3;
        let t = weft::spawn(async move {
            let mut buf = [0; 4];
            file.read_exact(&mut buf).await.unwrap();
            buf
        });
        assert_waits(&recorded(t.id()).await, "File", line);
        gate_tx.send(()).unwrap();
        busy.await.unwrap();
        assert_eq!(&t.await.unwrap(), b"abcd");
    });
    std::fs::remove_dir_all(&dir).unwrap();
}
