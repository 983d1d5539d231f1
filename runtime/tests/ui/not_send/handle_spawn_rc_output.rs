// A task's output crosses to whichever thread awaits its `Task`: it must be `Send`.
use std::rc::Rc;

fn main() {
    let rt = weft::Runtime::new().unwrap();
    let task = rt.handle().spawn(async { Rc::new(1) });
    let _ = rt.block_on(task);
}
