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
mod error_details;
mod errors;
mod exclude;
mod faults;
mod insert_into;
mod join;
mod json_depth;
mod keyset;
mod locks;
mod logs;
mod many_to_many;
mod mysql8;
mod order_text;
mod pool;
mod query;
mod quoting;
mod raw;
mod relations;
mod secrets;
mod snapshots;
mod snapshots_b;
mod stmt_cache;
mod stream;
mod text_compare;
mod tls;
mod tx;
mod tx_abort;
mod types;
mod values;
