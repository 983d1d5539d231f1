// Test signatures: missing `async`, arguments, and a `#[test]` written under
// `#[weft::test]`, which adds its own.

#[weft::test]
fn not_async() {}

#[weft::test]
async fn with_arguments(n: u32) {
    let _ = n;
}

#[weft::test]
#[test]
async fn test_twice() {}

fn main() {}
