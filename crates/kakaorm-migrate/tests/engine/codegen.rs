//! `inspect`'s source generator: the source for a schema with every column type and
//! option is pinned, compiles (it is this module's `generated` child), and derives back
//! the schema it came from.

use kakaorm::ColumnType;
use kakaorm::schema::ReferentialAction;
use kakaorm_migrate::codegen::models_source;
use kakaorm_migrate::schema::{Check, ColumnDefault, ForeignKey, Index, Schema, Table, Unique};

use crate::support::{col, id};

/// Every column type; defaults of each literal kind; a string key; a keyword as a column
/// name; single and composite unique constraints and indexes, one with its own name; a
/// foreign key with actions; a check.
pub fn every_type() -> Schema {
    let mut authors = Table::new("authors");
    authors.columns = vec![id(), col("name", ColumnType::Varchar(60))];
    authors.primary_key = vec!["id".into()];
    authors.uniques = vec![Unique::new(None, vec!["name".into()])];
    let mut codes = Table::new("codes");
    codes.columns = vec![col("code", ColumnType::Varchar(12)), col("type", ColumnType::Varchar(10)).nullable(true)];
    codes.primary_key = vec!["code".into()];
    let mut e = Table::new("every_types");
    e.columns = vec![
        id(),
        col("small", ColumnType::SmallInt).default(Some(ColumnDefault::Int(-2))),
        col("int", ColumnType::Integer).nullable(true),
        col("big", ColumnType::BigInt),
        col("real", ColumnType::Real).default(Some(ColumnDefault::Float(0.5))),
        col("double", ColumnType::Double).nullable(true),
        col("flag", ColumnType::Boolean).default(Some(ColumnDefault::Bool(true))),
        col("text", ColumnType::Text),
        col("short", ColumnType::Varchar(30)).default(Some(ColumnDefault::Str("it's".into()))),
        col("date", ColumnType::Date).nullable(true),
        col("time", ColumnType::Time),
        col("stamp", ColumnType::Timestamp).nullable(true),
        col("stamp_tz", ColumnType::TimestampTz),
        col("money", ColumnType::Decimal { precision: 12, scale: 2 }).default(Some(ColumnDefault::Str("0.50".into()))),
        col("uid", ColumnType::Uuid),
        col("doc", ColumnType::Json).nullable(true),
        col("blob", ColumnType::Bytes),
        col("author_id", ColumnType::BigInt).nullable(true),
    ];
    e.primary_key = vec!["id".into()];
    e.uniques = vec![
        Unique::new(None, vec!["uid".into()]),
        Unique::new(Some("uq_every_types_short_int".into()), vec!["short".into(), "int".into()]),
    ];
    e.indexes = vec![
        Index::new("idx_every_types_big", vec!["big".into()]),
        Index::new("idx_custom", vec!["big".into(), "small".into()]),
    ];
    e.checks = vec![Check::new("ck_every_types_small", "small >= -10")];
    let fk = ForeignKey::new(
        Some("fk_every_types_author_id".into()),
        vec!["author_id".into()],
        "authors",
        vec!["id".into()],
    );
    e.foreign_keys = vec![fk.actions(ReferentialAction::SetNull, ReferentialAction::Cascade)];
    Schema::new(vec![authors, codes, e])
}

#[test]
fn generated_source_is_pinned() {
    expect_test::expect_file!["generated_models.rs"].assert_eq(&models_source(&every_type()));
}

/// The pinned source, compiled.
#[path = "generated_models.rs"]
mod generated;

type Generated = (generated::Authors, generated::Codes, generated::EveryTypes);

#[test]
fn generated_models_derive_the_schema_they_came_from() {
    let derived = kakaorm_migrate::schema_of::<Generated>();
    for backend in [kakaorm::Backend::Postgres, kakaorm::Backend::Mysql, kakaorm::Backend::Sqlite] {
        let options = kakaorm_migrate::DiffOptions::new(backend.dialect()).destructive(true);
        let d = kakaorm_migrate::diff(&every_type(), &derived, &options);
        assert!(d.is_empty() && d.warnings().is_empty(), "{backend:?}:\n{d}");
    }
}

crate::conformance! {
    /// The schema built live, introspected and generated again gives the models whose
    /// sync is a no-op.
    async fn generated_models_match_the_live_schema(db: Db) -> Result<()> {
        let all = kakaorm_migrate::DiffOptions::new(db.dialect()).destructive(true);
        crate::support::up(&db, &Schema::default(), &every_type(), &all).await?;
        use kakaorm_migrate::SyncExt;
        let report = db.sync::<Generated>().await?;
        assert!(report.statements.is_empty() && report.warnings.is_empty(), "{report:?}");
        let live = kakaorm_migrate::introspect(&db).await?;
        let again = kakaorm_migrate::schema_of::<Generated>();
        let d = kakaorm_migrate::diff(&live, &again, &all);
        assert!(d.is_empty(), "{d}");
        Ok(())
    }
}
