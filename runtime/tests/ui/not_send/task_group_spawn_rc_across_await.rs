// A TaskGroup's children are tasks like any other: their futures must be `Send`.
use std::rc::Rc;

fn main() {
    weft::run(async {
        let _ = weft::task_group(|group| async move {
            group.spawn(async {
                let shared = Rc::new(1);
                weft::yield_now().await;
                drop(shared);
            });
        })
        .await;
    });
}
