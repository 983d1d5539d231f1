// A branch whose expression is not a future: rustc's error, at that expression.

async fn not_a_future() -> u32 {
    weft::select! {
        v = 5u32 => v,
        v = async { 1 } => v,
    }
}

fn main() {}
