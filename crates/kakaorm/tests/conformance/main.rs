//! The conformance suite: every test here runs on SQLite, PostgreSQL and MySQL.

#[macro_use]
mod harness;
mod models;

mod aggregate;
mod bulk;
mod cancel;
mod connect;
mod crud;
mod ddl;
mod errors;
mod faults;
mod join;
mod logs;
mod mysql8;
mod pool;
mod query;
mod snapshots;
mod stmt_cache;
mod tx;
mod tx_abort;
mod types;
