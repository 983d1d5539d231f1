//! The load generators' command line.

use super::server::ServerKind;
use crate::command_line::{list, positive, seconds, Flag, Flags};
use std::time::Duration;

/// The usage text of load generator `bin`.
pub fn usage(bin: &str) -> String {
    let pad = " ".repeat(bin.len());
    format!(
        "\
usage: {bin} [--connections N[,N...]] [--duration SECS] [--warmup SECS]
       {pad} [--workers N] [--rounds N] [--servers weft,tokio]

  --connections  concurrent connections, a comma-separated list   (default 1,50,500)
  --duration     measured seconds per (N, server)                  (default 5)
  --warmup       unmeasured seconds before each measurement        (default 1)
  --workers      worker threads of each server's runtime           (default 2)
  --rounds       runs of each (N, server), interleaved; the median is reported (default 1)
  --servers      which servers, a comma-separated list             (default weft,tokio)"
    )
}

/// A load generator's settings.
#[derive(Debug)]
pub struct Options {
    /// Connection counts, one measurement each.
    pub connections: Vec<usize>,
    /// The measured window.
    pub duration: Duration,
    /// The unmeasured lead-in.
    pub warmup: Duration,
    /// Worker threads per server runtime.
    pub workers: usize,
    /// Rounds of every (N, server) pair.
    pub rounds: usize,
    /// The servers compared.
    pub servers: Vec<ServerKind>,
}

impl Options {
    /// Parses the arguments after the program name; `Err` holds what to tell the user
    /// (`about` for `--help`).
    pub fn from_args(about: &str, args: impl Iterator<Item = String>) -> Result<Options, String> {
        let mut options = Options {
            connections: vec![1, 50, 500],
            duration: Duration::from_secs(5),
            warmup: Duration::from_secs(1),
            workers: 2,
            rounds: 1,
            servers: vec![ServerKind::Weft, ServerKind::Tokio],
        };
        let mut flags = Flags::new(args);
        while let Some(flag) = flags.next() {
            let (name, value) = match flag? {
                Flag::Help => return Err(about.to_owned()),
                Flag::Value { name, value } => (name, value),
            };
            match name.as_str() {
                "--connections" => options.connections = list(&value, positive)?,
                "--duration" => options.duration = seconds(&value)?,
                "--warmup" => options.warmup = seconds(&value)?,
                "--workers" => options.workers = positive(&value)?,
                "--rounds" => options.rounds = positive(&value)?,
                "--servers" => options.servers = list(&value, str::parse)?,
                _ => return Err(format!("unknown flag {name}")),
            }
        }
        Ok(options)
    }

    /// Parses the process's arguments, or prints the error and the usage of `bin` and
    /// exits with status 2.
    pub fn from_env_or_exit(bin: &str, about: &str) -> Options {
        match Options::from_args(about, std::env::args().skip(1)) {
            Ok(options) => options,
            Err(message) => {
                eprintln!("{message}\n\n{}", usage(bin));
                std::process::exit(2);
            }
        }
    }
}
