//! The command line, run as the `kakaorm` binary and through `run_with` (what a `manage`
//! binary calls) on a temporary directory, against SQLite files and the servers.

#[path = "../../../kakaorm/tests/conformance/harness.rs"]
#[allow(dead_code, unused_macros)]
mod harness;

mod manage;
mod standalone;
mod support;
