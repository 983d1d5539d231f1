//! Context variables: inherited by every kind of child, never leaking back.

mod support;

use std::time::Duration;
use support::paused_runtime;
use weft::task::ContextVar;

static REQUEST: ContextVar<&'static str> = ContextVar::new("request");
static DEPTH: ContextVar<u32> = ContextVar::new("depth");

#[test]
fn a_child_starts_with_a_copy_and_its_set_never_reaches_the_parent() {
    let rt = weft::Runtime::builder().worker_threads(2).build().unwrap();
    rt.block_on(async {
        assert_eq!(REQUEST.get(), None);
        REQUEST.set("parent");
        let child = weft::spawn(async {
            let inherited = REQUEST.get();
            REQUEST.set("child");
            weft::yield_now().await; // across polls, maybe another worker
            (inherited, REQUEST.get())
        });
        assert_eq!(child.await.unwrap(), (Some("parent"), Some("child")));
        assert_eq!(REQUEST.get(), Some("parent"));
    });
}

#[test]
fn siblings_do_not_see_each_other_and_grandchildren_inherit_through() {
    let rt = paused_runtime();
    rt.block_on(async {
        DEPTH.set(0);
        let a = weft::spawn(async {
            DEPTH.set(1);
            weft::spawn(async { DEPTH.get() }).await.unwrap()
        });
        let b = weft::spawn(async {
            weft::time::sleep(Duration::from_millis(1)).await;
            DEPTH.get()
        });
        assert_eq!(a.await.unwrap(), Some(1));
        assert_eq!(b.await.unwrap(), Some(0));
    });
}

#[test]
fn task_group_children_and_blocking_calls_inherit() {
    let rt = paused_runtime();
    rt.block_on(async {
        REQUEST.set("grouped");
        let seen = weft::task_group(|tg| async move {
            let child = tg.spawn(async { Ok::<_, std::io::Error>(REQUEST.get()) });
            child.await.unwrap()
        })
        .await
        .unwrap();
        assert_eq!(seen, Some("grouped"));
        assert_eq!(
            weft::to_thread(|| REQUEST.get()).await.unwrap(),
            Some("grouped")
        );
        assert_eq!(
            weft::spawn_blocking(|| REQUEST.get()).await.unwrap(),
            Some("grouped")
        );
    });
}

#[test]
fn reset_restores_the_previous_value() {
    let rt = paused_runtime();
    rt.block_on(async {
        DEPTH.set(1);
        let token = DEPTH.set(2);
        assert_eq!(DEPTH.get(), Some(2));
        DEPTH.reset(token);
        assert_eq!(DEPTH.get(), Some(1));
        assert_eq!(DEPTH.name(), "depth");
    });
}
