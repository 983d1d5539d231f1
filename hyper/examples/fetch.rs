//! The seeds' `fetch_data` and `fetch_all` (`async_patterns.md`), with a real GET
//! where the seed sleeps: asyncio's
//!
//! ```python
//! async def fetch_data(url):
//!     async with aiohttp.request("GET", url) as response:
//!         return await response.text()
//!
//! async def fetch_all(urls):
//!     return await asyncio.gather(*(fetch_data(url) for url in urls))
//! ```
//!
//! ```sh
//! cargo run -p weft-rt-hyper --example fetch -- http://127.0.0.1:3000/ http://127.0.0.1:3000/a
//! ```
//!
//! `hyper/tests/examples.rs` runs it against a local server.

use std::process::ExitCode;

/// `fetch_data`: GET → text, an error status being an error too.
async fn fetch_data(url: String) -> Result<String, weft_hyper::Error> {
    weft_hyper::get(url).await?.error_for_status()?.text().await
}

/// `fetch_all`: every URL at once, the texts in the order of the URLs; the first
/// failure cancels the other fetches and is returned.
pub(crate) async fn fetch_all(
    urls: Vec<String>,
) -> Result<Vec<String>, weft::structured::TryGatherError<weft_hyper::Error>> {
    weft::try_gather(urls.into_iter().map(fetch_data)).await
}

#[weft::main]
async fn main() -> ExitCode {
    let urls: Vec<String> = std::env::args().skip(1).collect();
    if urls.is_empty() {
        eprintln!("usage: fetch URL...");
        return ExitCode::from(2);
    }
    match fetch_all(urls.clone()).await {
        Ok(pages) => {
            for (url, page) in urls.iter().zip(pages) {
                println!("{url}: {} bytes: {:?}", page.len(), page);
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("fetch: {err}");
            ExitCode::FAILURE
        }
    }
}
