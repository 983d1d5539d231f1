// A task may move between workers at every await: what it holds across one must be
// `Send`. An `Rc` is not.
use std::rc::Rc;

fn main() {
    weft::run(async {
        let task = weft::spawn(async {
            let shared = Rc::new(1);
            weft::yield_now().await;
            *shared
        });
        let _ = task.await;
    });
}
