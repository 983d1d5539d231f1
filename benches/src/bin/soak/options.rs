//! The soak's command line.

use std::time::Duration;
use weft_benches::command_line::{positive, seconds, whole_u64, Flag, Flags};

pub(crate) const USAGE: &str = "\
usage: soak [--connections N] [--seconds T] [--seed S] [--workers W]

  --connections  client connections held open at once              (default 500)
  --seconds      how long the clients keep sending                  (default 5)
  --seed         seed of every random choice (sizes, bytes, mishaps) (default 1)
  --workers      worker threads of the server's runtime, and of the
                 clients' runtime                                   (default 2)";

#[derive(Debug)]
pub(crate) struct Options {
    pub(crate) connections: usize,
    pub(crate) duration: Duration,
    pub(crate) seed: u64,
    pub(crate) workers: usize,
}

impl Options {
    pub(crate) fn from_args(args: impl Iterator<Item = String>) -> Result<Options, String> {
        let mut options = Options {
            connections: 500,
            duration: Duration::from_secs(5),
            seed: 1,
            workers: 2,
        };
        let mut flags = Flags::new(args);
        while let Some(flag) = flags.next() {
            let (name, value) = match flag? {
                Flag::Help => return Err("soak: echo under load, every byte verified".into()),
                Flag::Value { name, value } => (name, value),
            };
            match name.as_str() {
                "--connections" => options.connections = positive(&value)?,
                "--seconds" => options.duration = seconds(&value)?,
                "--seed" => options.seed = whole_u64(&value)?,
                "--workers" => options.workers = positive(&value)?,
                _ => return Err(format!("unknown flag {name}")),
            }
        }
        Ok(options)
    }
}
