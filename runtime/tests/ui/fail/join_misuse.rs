// `join!` of a value that is not a future, `try_join!` of branches with different
// error types, and either outside an async context: rustc's errors, at the user's
// tokens.

async fn not_a_future() {
    let _ = weft::join!(async { 1 }, 2u8);
}

async fn different_errors() {
    let _ = weft::try_join!(
        async { Ok::<u8, String>(1) },
        async { Ok::<u8, std::io::Error>(2) },
    );
}

fn not_async() {
    let _ = weft::join!(async { 1 });
}

fn main() {}
