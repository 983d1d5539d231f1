//! The seeds' task group (`process_batch`, `async_patterns.md`) put to work as a
//! download: several files at once through one pooled client into a folder, the
//! first failure cancelling the rest — asyncio's
//!
//! ```python
//! async def download(session, url, folder):
//!     async with session.get(url) as response:
//!         response.raise_for_status()
//!         path = folder / url.rsplit("/", 1)[-1]
//!         path.write_bytes(await response.read())
//!         return path
//!
//! async def download_all(urls, folder):
//!     async with aiohttp.ClientSession() as session:
//!         async with asyncio.TaskGroup() as tg:
//!             tasks = [tg.create_task(download(session, url, folder)) for url in urls]
//!     return [task.result() for task in tasks]
//! ```
//!
//! ```sh
//! cargo run -p weft-rt-hyper --example download -- /tmp/files http://127.0.0.1:3000/a.txt http://127.0.0.1:3000/b.txt
//! ```
//!
//! `hyper/tests/examples.rs` runs it against a local server.

use std::error::Error;
use std::path::PathBuf;
use std::process::ExitCode;
use weft_hyper::Client;

/// What a download can fail with: the request, the URL's file name, the write.
type Failure = Box<dyn Error + Send + Sync>;

/// `download`: one file, its name the URL's last path segment.
async fn download(client: Client, url: String, folder: PathBuf) -> Result<PathBuf, Failure> {
    let body = client.get(&url).await?.error_for_status()?.bytes().await?;
    let name = url
        .rsplit('/')
        .next()
        .filter(|name| !name.is_empty())
        .ok_or_else(|| format!("{url}: the URL names no file"))?;
    let path = folder.join(name);
    let target = path.clone();
    // The file system blocks: off the worker, on the blocking pool.
    weft::to_thread(move || std::fs::write(target, body)).await??;
    Ok(path)
}

/// `download_all`: every URL at once, in a task group, through one client; the
/// paths written in the order of the URLs, or every failure.
pub(crate) async fn download_all(
    urls: Vec<String>,
    folder: PathBuf,
) -> Result<Vec<PathBuf>, weft::GroupError> {
    let client = Client::new();
    let tasks = weft::task_group(|tg| async move {
        urls.into_iter()
            .map(|url| tg.spawn(download(client.clone(), url, folder.clone())))
            .collect::<Vec<_>>()
    })
    .await?;
    // Every child has finished with the group: each await is immediate.
    let mut paths = Vec::new();
    for task in tasks {
        paths.push(
            task.await
                .expect("a child of a group that succeeded succeeded"),
        );
    }
    Ok(paths)
}

#[weft::main]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(folder), urls) = (args.next(), args.collect::<Vec<_>>()) else {
        eprintln!("usage: download FOLDER URL...");
        return ExitCode::from(2);
    };
    if urls.is_empty() {
        eprintln!("usage: download FOLDER URL...");
        return ExitCode::from(2);
    }
    match download_all(urls, PathBuf::from(folder)).await {
        Ok(paths) => {
            for path in paths {
                println!("wrote {}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("download: {err}");
            ExitCode::FAILURE
        }
    }
}
