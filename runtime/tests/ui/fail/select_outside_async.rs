// `select!` awaits: outside an async context it is rustc's error about `.await`.

fn not_async() -> u32 {
    weft::select! {
        v = async { 1 } => v,
    }
}

fn main() {}
