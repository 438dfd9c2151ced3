//! The schema engine on every backend: introspection, diff, plan, SQLite rebuilds, sync.
//!
//! Each test runs on SQLite, PostgreSQL and MySQL with the conformance harness of the
//! `kakaorm` crate (an isolated schema or database per test; `KAKAORM_TEST_REQUIRE_ALL=1`
//! fails when a server is unreachable).

#[path = "../../../kakaorm/tests/conformance/harness.rs"]
#[allow(dead_code)]
mod harness;
mod models;

mod introspection;
mod kinds;
mod support;
