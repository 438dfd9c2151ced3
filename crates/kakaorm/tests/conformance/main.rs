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
mod decimals;
mod dirty;
mod error_details;
mod errors;
mod exclude;
mod faults;
mod hooks;
mod join;
mod json_depth;
mod logs;
mod many_to_many;
mod mysql8;
mod pool;
mod query;
mod quoting;
mod relations;
mod secrets;
mod snapshots;
mod stmt_cache;
mod text_compare;
mod tls;
mod tx;
mod tx_abort;
mod types;
mod validation;
mod values;
