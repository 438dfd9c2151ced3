//! The fault suite: kakaorm under killed sessions, cancelled futures, a server that goes
//! away or stops answering, and an SQLite file locked by another process.
//!
//! Every test records what the library acknowledged and checks it against what the database
//! holds afterwards, and prints its figures (operations, kills, losses, recovery time) on
//! stderr; run with `--nocapture` to see them. Cancellation tests draw from a seeded PRNG:
//! the seed is printed, and `KAKAORM_FAULTS_SEED=<n>` replays it.
//!
//! PostgreSQL and MySQL come from the conformance harness (`KAKAORM_TEST_POSTGRES_URL`,
//! `KAKAORM_TEST_MYSQL_URL`): an unreachable server fails its tests unless
//! `KAKAORM_TEST_ALLOW_SKIP=1`, which skips them with a `SKIPPED` line on stderr.

#[allow(dead_code)]
#[path = "../conformance/harness.rs"]
mod harness;

mod models;
mod rng;
mod server;
mod support;

mod proxy;

mod cancel;
mod cancel_check;
mod freeze;
mod kills;
mod outage;
mod pipeline;
mod sqlite_lock;
mod streams;
