// std's `MutexGuard` must be unlocked on the thread that locked it, so it is not
// `Send`: holding it across an await makes the task's future `!Send`. (weft::sync::Lock
// is the lock to hold across awaits.)
use std::sync::Mutex;

static COUNT: Mutex<u32> = Mutex::new(0);

fn main() {
    weft::run(async {
        let task = weft::spawn(async {
            let mut count = COUNT.lock().unwrap();
            weft::yield_now().await;
            *count += 1;
        });
        let _ = task.await;
    });
}
