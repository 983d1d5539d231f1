// weft-io's reactor guard is bound to its thread too.
fn main() {
    let reactor = weft_io::Reactor::new().unwrap();
    let guard = reactor.handle().enter();
    std::thread::spawn(move || drop(guard)).join().unwrap();
}
