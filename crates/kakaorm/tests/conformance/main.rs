//! The conformance suite: every test here runs on SQLite, PostgreSQL and MySQL.

#[macro_use]
mod harness;
mod models;

mod aggregate;
mod bulk;
mod cancel;
mod capture;
mod case_when;
mod connect;
mod credentials;
mod crud;
mod ctes;
mod ddl;
mod decimals;
mod error_details;
mod errors;
mod exclude;
mod expressions;
mod faults;
mod join;
mod json_depth;
mod labels;
mod logs;
mod many_to_many;
mod mysql8;
mod pool;
mod query;
mod query_models;
mod quoting;
mod relations;
mod secrets;
mod set_ops;
mod snapshots;
mod snapshots_query;
mod stmt_cache;
mod subqueries;
mod text_compare;
mod tls;
mod tx;
mod tx_abort;
mod types;
mod values;
mod windows;
