// A local task's output need not be `Send`, so the `Task` behind its handle is not
// `Send` either.
use std::rc::Rc;

fn main() {
    let rt = weft::Runtime::builder().current_thread().build().unwrap();
    rt.block_on(async {
        let task = weft::spawn_local(async { Rc::new(1) });
        let inner: &weft::Task<Rc<i32>> = &task;
        std::thread::scope(|scope| {
            scope.spawn(|| inner.is_finished());
        });
    });
}
