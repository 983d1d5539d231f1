// `spawn` needs a `Send` future; a future holding an `Rc` goes to `spawn_local`.
use std::rc::Rc;

fn main() {
    let rt = weft::Runtime::builder().current_thread().build().unwrap();
    rt.block_on(async {
        let shared = Rc::new(1);
        weft::spawn(async move {
            weft::yield_now().await;
            *shared
        });
    });
}
