//! Every option (except `start_paused`, in its own case) builds the runtime it names;
//! `#[weft::main]` on a function that is not `main` may take arguments.
#![deny(warnings)]

mod reexported {
    pub(crate) use weft as runtime;
}

#[weft::main(flavor = "current_thread")]
async fn current_thread() -> usize {
    weft::Handle::current().metrics().num_workers()
}

#[weft::main(flavor = "multi_thread", worker_threads = 3)]
async fn three_workers() -> usize {
    weft::Handle::current().metrics().num_workers()
}

#[weft::main(worker_threads = 1)]
async fn with_arguments(a: u32, (b, c): (u32, u32)) -> u32 {
    weft::spawn(async move { a + b + c }).await.unwrap()
}

#[weft::main(crate = "crate::reexported::runtime")]
async fn renamed_crate() -> bool {
    true
}

macro_rules! with_workers {
    ($name:ident, $n:literal) => {
        #[weft::main(worker_threads = $n)]
        async fn $name() -> usize {
            weft::Handle::current().metrics().num_workers()
        }
    };
}

with_workers!(two_workers, 2);

fn main() {
    assert_eq!(current_thread(), 1);
    assert_eq!(three_workers(), 3);
    assert_eq!(with_arguments(1, (2, 3)), 6);
    assert!(renamed_crate());
    assert_eq!(two_workers(), 2);
}
