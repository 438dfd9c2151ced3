//! The conformance suite: every test here runs on SQLite, PostgreSQL and MySQL.

#[macro_use]
mod harness;
mod models;

mod aggregate;
mod bulk;
mod cancel;
mod capture;
mod connect;
mod credentials;
mod crud;
mod ddl;
mod errors;
mod faults;
mod join;
mod mysql8;
mod query;
mod secrets;
mod snapshots;
mod tls;
mod tx;
mod tx_abort;
mod types;
