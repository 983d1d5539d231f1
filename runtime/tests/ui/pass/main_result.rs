//! `async fn main() -> Result<(), E>`: `?` and `return` act on the body, and the
//! declared return type is kept.
#![deny(warnings)]

use std::error::Error;

#[weft::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let n: u32 = "42".parse()?;
    if n != 42 {
        return Err("parsed the wrong number".into());
    }
    let doubled = weft::spawn(async move { n * 2 }).await?;
    assert_eq!(doubled, 84);
    Ok(())
}
