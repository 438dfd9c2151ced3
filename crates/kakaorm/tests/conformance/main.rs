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
mod decimals;
mod errors;
mod exclude;
mod faults;
mod join;
mod mysql8;
mod query;
mod quoting;
mod snapshots;
mod text_compare;
mod tx;
mod tx_abort;
mod types;
