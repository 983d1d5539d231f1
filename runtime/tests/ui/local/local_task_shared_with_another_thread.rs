// Not even a reference to a local task's handle crosses to another thread.
fn main() {
    let rt = weft::Runtime::builder().current_thread().build().unwrap();
    rt.block_on(async {
        let task = weft::spawn_local(async { 1 });
        std::thread::scope(|scope| {
            scope.spawn(|| task.is_finished());
        });
    });
}
