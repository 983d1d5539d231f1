//! The load generator's command line.

use crate::server::ServerKind;
use std::time::Duration;
use weft_benches::command_line::{list, positive, seconds, Flag, Flags};

pub(crate) const USAGE: &str = "\
usage: echo_load [--connections N[,N...]] [--duration SECS] [--warmup SECS]
                 [--workers N] [--rounds N] [--servers weft,tokio]

  --connections  concurrent connections, a comma-separated list   (default 1,50,500)
  --duration     measured seconds per (N, server)                  (default 5)
  --warmup       unmeasured seconds before each measurement        (default 1)
  --workers      worker threads of each server's runtime           (default 2)
  --rounds       runs of each (N, server), interleaved; the median is reported (default 1)
  --servers      which servers, a comma-separated list             (default weft,tokio)";

#[derive(Debug)]
pub(crate) struct Options {
    pub(crate) connections: Vec<usize>,
    pub(crate) duration: Duration,
    pub(crate) warmup: Duration,
    pub(crate) workers: usize,
    pub(crate) rounds: usize,
    pub(crate) servers: Vec<ServerKind>,
}

impl Options {
    pub(crate) fn from_args(args: impl Iterator<Item = String>) -> Result<Options, String> {
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
                Flag::Help => {
                    return Err("echo_load: an echo load generator, weft beside tokio".into())
                }
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
}
