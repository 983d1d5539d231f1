//! A thousand short children, sixteen at a time: afterwards no zombie of ours is
//! left in `/proc` and no descriptor leaked. Its own binary: it counts every child
//! and descriptor of the process.

mod proc_table;

use std::sync::Arc;
use weft::process::Command;
use weft::sync::Semaphore;

const CHILDREN: usize = 1000;
const AT_A_TIME: usize = 16;

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_children_leave_no_zombie_and_no_descriptor() {
    // One child first: what the process keeps for good (a signal pipe, if the exit
    // watch needed SIGCHLD) is made then, and counted in the baseline.
    assert!(Command::new("true").status().await.unwrap().success());
    let fds_before = proc_table::open_fds();

    let slots = Arc::new(Semaphore::new(AT_A_TIME));
    let tasks: Vec<_> = (0..CHILDREN)
        .map(|_| {
            let slots = slots.clone();
            weft::spawn(async move {
                let _slot = slots.acquire().await.unwrap();
                Command::new("true").status().await
            })
        })
        .collect();
    for task in tasks {
        let status = task.await.unwrap().unwrap();
        assert!(status.success(), "{status}");
    }

    assert_eq!(proc_table::zombies(), vec![], "zombies left behind");
    assert_eq!(proc_table::children(), vec![], "children left behind");
    assert_eq!(proc_table::open_fds(), fds_before, "descriptors leaked");
}
