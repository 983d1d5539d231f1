// A local task's handle cannot move to another thread: its output is read where the
// task runs.
fn main() {
    let rt = weft::Runtime::builder().current_thread().build().unwrap();
    rt.block_on(async {
        let task = weft::spawn_local(async { 1 });
        std::thread::spawn(move || drop(task));
    });
}
