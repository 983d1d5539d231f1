// A lock guard hands `&T` to everyone it is shared with, so sharing it between
// threads needs `T: Sync`; a `Cell` is not.
use std::cell::Cell;
use weft::sync::Lock;

fn main() {
    let lock = Lock::new(Cell::new(0));
    let guard = lock.try_lock().unwrap();
    std::thread::scope(|scope| {
        scope.spawn(|| guard.set(1));
    });
}
