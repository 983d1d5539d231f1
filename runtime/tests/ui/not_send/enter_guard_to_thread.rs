// `Handle::enter` makes the runtime current on this thread until the guard drops;
// the guard cannot move to another thread.
fn main() {
    let rt = weft::Runtime::new().unwrap();
    let guard = rt.handle().enter();
    std::thread::spawn(move || drop(guard)).join().unwrap();
}
