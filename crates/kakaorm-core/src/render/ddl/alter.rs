//! ALTER statements over the owned schema model: one function per schema change.
//!
//! Each takes the table as it is when the statement runs. Where a backend cannot express a
//! change with ALTER (SQLite, see [`Dialect::alter_column_style`]), the function returns
//! [`Unsupported`](crate::ErrorKind::Unsupported) and the caller rebuilds the table.

use super::{check_actions, column_def, column_list, default_sql};
use crate::dialect::{AlterColumnStyle, ConstraintKind, Dialect};
use crate::error::{Error, Result};
use crate::schema::{Check, Column, ForeignKey, Index, Table, Unique};

fn alter_table(table: &str, d: &dyn Dialect) -> String {
    let mut s = String::from("ALTER TABLE ");
    d.quote_ident(&mut s, table);
    s
}

fn needs_rebuild(what: &str, table: &str, d: &dyn Dialect) -> Error {
    Error::unsupported(format!("{} cannot {what} on `{table}` with ALTER TABLE: rebuild the table", d.backend().name()))
}

/// `ALTER TABLE from RENAME TO to`.
///
/// ```
/// use kakaorm_core::{rename_table, Backend};
/// assert_eq!(rename_table("a", "b", Backend::Mysql.dialect()), "ALTER TABLE `a` RENAME TO `b`");
/// ```
pub fn rename_table(from: &str, to: &str, d: &dyn Dialect) -> String {
    let mut s = alter_table(from, d);
    s.push_str(" RENAME TO ");
    d.quote_ident(&mut s, to);
    s
}

/// `ALTER TABLE t ADD COLUMN …`; `table` is the table after the change.
///
/// # Errors
/// As [`create_table`](crate::create_table) for the column's type.
///
/// ```
/// use kakaorm_core::schema::{Column, Table};
/// use kakaorm_core::{add_column, Backend, ColumnType};
/// let t = Table::new("users");
/// let sql = add_column(&t, &Column::new("age", ColumnType::Integer), Backend::Postgres.dialect()).unwrap();
/// assert_eq!(sql, r#"ALTER TABLE "users" ADD COLUMN "age" INTEGER NOT NULL"#);
/// ```
pub fn add_column(table: &Table, col: &Column, d: &dyn Dialect) -> Result<String> {
    let mut s = alter_table(&table.name, d);
    s.push_str(" ADD COLUMN ");
    s.push_str(&column_def(table, col, d, false)?);
    Ok(s)
}

/// `ALTER TABLE t DROP COLUMN c`.
///
/// # Errors
/// [`Unsupported`](crate::ErrorKind::Unsupported) where constraints cannot be altered
/// (SQLite refuses to drop a column a constraint or index uses).
pub fn drop_column(table: &str, column: &str, d: &dyn Dialect) -> Result<String> {
    if !d.alters_constraints() {
        return Err(needs_rebuild("drop a column", table, d));
    }
    let mut s = alter_table(table, d);
    s.push_str(" DROP COLUMN ");
    d.quote_ident(&mut s, column);
    Ok(s)
}

/// `ALTER TABLE t RENAME COLUMN from TO to`.
///
/// ```
/// use kakaorm_core::{rename_column, Backend};
/// let sql = rename_column("users", "nick", "name", Backend::Sqlite.dialect());
/// assert_eq!(sql, r#"ALTER TABLE "users" RENAME COLUMN "nick" TO "name""#);
/// ```
pub fn rename_column(table: &str, from: &str, to: &str, d: &dyn Dialect) -> String {
    let mut s = alter_table(table, d);
    s.push_str(" RENAME COLUMN ");
    d.quote_ident(&mut s, from);
    s.push_str(" TO ");
    d.quote_ident(&mut s, to);
    s
}

/// Changes a column's type, nullability and default from `from` to `to` (same name):
/// one `ALTER COLUMN` clause per property on PostgreSQL, `MODIFY COLUMN` with the whole
/// definition on MySQL. `table` is the table after the change.
///
/// # Errors
/// [`Unsupported`](crate::ErrorKind::Unsupported) on SQLite, whose tables are rebuilt
/// instead, and as [`create_table`](crate::create_table) for the new type.
///
/// ```
/// use kakaorm_core::schema::{Column, Table};
/// use kakaorm_core::{alter_column, Backend, ColumnType};
/// let (from, to) = (Column::new("n", ColumnType::Integer), Column::new("n", ColumnType::BigInt).nullable(true));
/// let sql = alter_column(&Table::new("t"), &from, &to, Backend::Postgres.dialect()).unwrap();
/// assert_eq!(sql, r#"ALTER TABLE "t" ALTER COLUMN "n" TYPE BIGINT USING "n"::BIGINT, ALTER COLUMN "n" DROP NOT NULL"#);
/// let sql = alter_column(&Table::new("t"), &from, &to, Backend::Mysql.dialect()).unwrap();
/// assert_eq!(sql, "ALTER TABLE `t` MODIFY COLUMN `n` BIGINT");
/// ```
pub fn alter_column(table: &Table, from: &Column, to: &Column, d: &dyn Dialect) -> Result<String> {
    let mut s = alter_table(&table.name, d);
    match d.alter_column_style() {
        AlterColumnStyle::Rebuild => return Err(needs_rebuild("alter a column", &table.name, d)),
        AlterColumnStyle::Modify => {
            s.push_str(" MODIFY COLUMN ");
            s.push_str(&column_def(table, to, d, false)?);
        }
        AlterColumnStyle::Clauses => {
            column_def(table, to, d, false)?;
            let mut clauses = Vec::new();
            let clause = |rest: &str| {
                let mut c = String::from("ALTER COLUMN ");
                d.quote_ident(&mut c, &to.name);
                c.push(' ');
                c.push_str(rest);
                c
            };
            if d.type_name(from.ty) != d.type_name(to.ty) {
                let ty = d.type_name(to.ty);
                let mut using = String::new();
                d.quote_ident(&mut using, &to.name);
                clauses.push(clause(&format!("TYPE {ty} USING {using}::{ty}")));
            }
            if from.nullable != to.nullable {
                clauses.push(clause(if to.nullable { "DROP NOT NULL" } else { "SET NOT NULL" }));
            }
            if from.default != to.default {
                clauses.push(match &to.default {
                    None => clause("DROP DEFAULT"),
                    Some(v) => {
                        let mut c = String::from("SET DEFAULT ");
                        default_sql(&mut c, v, to.ty, d);
                        clause(&c)
                    }
                });
            }
            s.push(' ');
            s.push_str(&clauses.join(", "));
        }
    }
    Ok(s)
}

pub(super) fn create_index_sql(table: &str, idx: &Index, d: &dyn Dialect, if_not_exists: bool) -> String {
    let mut c = String::from("CREATE INDEX ");
    if if_not_exists {
        c.push_str("IF NOT EXISTS ");
    }
    d.quote_ident(&mut c, &idx.name);
    c.push_str(" ON ");
    d.quote_ident(&mut c, table);
    c.push(' ');
    column_list(&mut c, &idx.columns, d);
    c
}

/// `CREATE INDEX name ON t (cols)`.
///
/// ```
/// use kakaorm_core::schema::Index;
/// use kakaorm_core::{create_index, Backend};
/// let idx = Index::new("idx_t_a_b", vec!["a".into(), "b".into()]);
/// assert_eq!(create_index("t", &idx, Backend::Mysql.dialect()), "CREATE INDEX `idx_t_a_b` ON `t` (`a`, `b`)");
/// ```
pub fn create_index(table: &str, idx: &Index, d: &dyn Dialect) -> String {
    create_index_sql(table, idx, d, false)
}

/// `DROP INDEX name` (`… ON t` on MySQL).
///
/// ```
/// use kakaorm_core::{drop_index, Backend};
/// assert_eq!(drop_index("t", "idx_t_a", Backend::Mysql.dialect()), "DROP INDEX `idx_t_a` ON `t`");
/// assert_eq!(drop_index("t", "idx_t_a", Backend::Postgres.dialect()), r#"DROP INDEX "idx_t_a""#);
/// ```
pub fn drop_index(table: &str, name: &str, d: &dyn Dialect) -> String {
    let mut s = String::from("DROP INDEX ");
    d.quote_ident(&mut s, name);
    if d.drop_index_names_table() {
        s.push_str(" ON ");
        d.quote_ident(&mut s, table);
    }
    s
}

fn add_constraint(table: &str, def: &str, d: &dyn Dialect) -> Result<String> {
    if !d.alters_constraints() {
        return Err(needs_rebuild("add a constraint", table, d));
    }
    let mut s = alter_table(table, d);
    s.push_str(" ADD ");
    s.push_str(def);
    Ok(s)
}

fn drop_constraint(table: &str, kind: ConstraintKind, name: Option<&str>, d: &dyn Dialect) -> Result<String> {
    if !d.alters_constraints() {
        return Err(needs_rebuild("drop a constraint", table, d));
    }
    let name =
        name.ok_or_else(|| Error::invalid_input(format!("a constraint of `{table}` has no name to drop it by")))?;
    let mut s = alter_table(table, d);
    s.push_str(" DROP ");
    s.push_str(d.drop_constraint_keyword(kind));
    s.push(' ');
    d.quote_ident(&mut s, name);
    Ok(s)
}

pub(super) fn unique_def(u: &Unique, d: &dyn Dialect) -> String {
    let mut c = String::new();
    if let Some(name) = &u.name {
        c.push_str("CONSTRAINT ");
        d.quote_ident(&mut c, name);
        c.push(' ');
    }
    c.push_str("UNIQUE ");
    column_list(&mut c, &u.columns, d);
    c
}

pub(super) fn check_def(check: &Check, d: &dyn Dialect) -> String {
    let mut c = String::from("CONSTRAINT ");
    d.quote_ident(&mut c, &check.name);
    c.push_str(" CHECK (");
    c.push_str(&check.expr);
    c.push(')');
    c
}

pub(super) fn foreign_key_def(table: &Table, fk: &ForeignKey, d: &dyn Dialect) -> Result<String> {
    check_actions(table, fk, d)?;
    let mut s = String::new();
    if let Some(name) = &fk.name {
        s.push_str("CONSTRAINT ");
        d.quote_ident(&mut s, name);
        s.push(' ');
    }
    s.push_str("FOREIGN KEY ");
    column_list(&mut s, &fk.columns, d);
    s.push_str(" REFERENCES ");
    d.quote_ident(&mut s, &fk.ref_table);
    s.push(' ');
    column_list(&mut s, &fk.ref_columns, d);
    s.push_str(" ON DELETE ");
    s.push_str(fk.on_delete.sql());
    s.push_str(" ON UPDATE ");
    s.push_str(fk.on_update.sql());
    Ok(s)
}

/// `ALTER TABLE t ADD CONSTRAINT name UNIQUE (cols)`.
///
/// # Errors
/// [`Unsupported`](crate::ErrorKind::Unsupported) on SQLite (rebuild the table).
///
/// ```
/// use kakaorm_core::schema::Unique;
/// use kakaorm_core::{add_unique, Backend};
/// let u = Unique::new(Some("uq_t_a".into()), vec!["a".into()]);
/// let sql = add_unique("t", &u, Backend::Postgres.dialect()).unwrap();
/// assert_eq!(sql, r#"ALTER TABLE "t" ADD CONSTRAINT "uq_t_a" UNIQUE ("a")"#);
/// ```
pub fn add_unique(table: &str, u: &Unique, d: &dyn Dialect) -> Result<String> {
    add_constraint(table, &unique_def(u, d), d)
}

/// Drops a unique constraint by name (`DROP INDEX` on MySQL).
///
/// # Errors
/// [`Unsupported`](crate::ErrorKind::Unsupported) on SQLite;
/// [`InvalidInput`](crate::ErrorKind::InvalidInput) for a constraint without a name.
pub fn drop_unique(table: &str, u: &Unique, d: &dyn Dialect) -> Result<String> {
    drop_constraint(table, ConstraintKind::Unique, u.name.as_deref(), d)
}

/// Replaces `table`'s primary key `from` with `to`: the old key is dropped (see
/// [`Dialect::drop_primary_key`]), then `ALTER TABLE t ADD PRIMARY KEY (cols)`. Either may
/// be empty: no key before, or none after. An auto-increment column is always its table's
/// whole key, so its key does not change this way.
///
/// # Errors
/// [`Unsupported`](crate::ErrorKind::Unsupported) on SQLite (rebuild the table);
/// [`InvalidInput`](crate::ErrorKind::InvalidInput) when both are empty.
///
/// ```
/// use kakaorm_core::{alter_primary_key, Backend};
/// let (from, to) = (["id".to_owned()], ["id".to_owned(), "tenant".to_owned()]);
/// let sql = alter_primary_key("t", &from, &to, Backend::Mysql.dialect()).unwrap();
/// assert_eq!(sql, ["ALTER TABLE `t` DROP PRIMARY KEY", "ALTER TABLE `t` ADD PRIMARY KEY (`id`, `tenant`)"]);
/// let sql = alter_primary_key("t", &[], &from, Backend::Postgres.dialect()).unwrap();
/// assert_eq!(sql, [r#"ALTER TABLE "t" ADD PRIMARY KEY ("id")"#]);
/// assert!(alter_primary_key("t", &from, &to, Backend::Sqlite.dialect()).is_err());
/// ```
pub fn alter_primary_key(table: &str, from: &[String], to: &[String], d: &dyn Dialect) -> Result<Vec<String>> {
    if !d.alters_constraints() {
        return Err(needs_rebuild("change the primary key", table, d));
    }
    if from.is_empty() && to.is_empty() {
        return Err(Error::invalid_input(format!("the primary key of `{table}` does not change")));
    }
    let mut out = Vec::new();
    if !from.is_empty() {
        out.push(d.drop_primary_key(table));
    }
    if !to.is_empty() {
        let mut s = alter_table(table, d);
        s.push_str(" ADD PRIMARY KEY ");
        column_list(&mut s, to, d);
        out.push(s);
    }
    Ok(out)
}

/// `ALTER TABLE t ADD CONSTRAINT name CHECK (expr)`.
///
/// # Errors
/// [`Unsupported`](crate::ErrorKind::Unsupported) on SQLite (rebuild the table).
pub fn add_check(table: &str, check: &Check, d: &dyn Dialect) -> Result<String> {
    add_constraint(table, &check_def(check, d), d)
}

/// `ALTER TABLE t DROP CONSTRAINT name`.
///
/// # Errors
/// [`Unsupported`](crate::ErrorKind::Unsupported) on SQLite (rebuild the table).
pub fn drop_check(table: &str, check: &Check, d: &dyn Dialect) -> Result<String> {
    drop_constraint(table, ConstraintKind::Check, Some(&check.name), d)
}

/// `ALTER TABLE t ADD CONSTRAINT name FOREIGN KEY …`; `table` is the referring table.
///
/// # Errors
/// [`Unsupported`](crate::ErrorKind::Unsupported) on SQLite (rebuild the table) or for an
/// action the backend lacks.
///
/// ```
/// use kakaorm_core::schema::{ForeignKey, Table};
/// use kakaorm_core::{add_foreign_key, Backend};
/// let fk = ForeignKey::new(Some("fk_posts_user_id".into()), vec!["user_id".into()], "users", vec!["id".into()]);
/// let sql = add_foreign_key(&Table::new("posts"), &fk, Backend::Mysql.dialect()).unwrap();
/// assert_eq!(
///     sql,
///     "ALTER TABLE `posts` ADD CONSTRAINT `fk_posts_user_id` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION ON UPDATE NO ACTION"
/// );
/// ```
pub fn add_foreign_key(table: &Table, fk: &ForeignKey, d: &dyn Dialect) -> Result<String> {
    add_constraint(&table.name, &foreign_key_def(table, fk, d)?, d)
}

/// Drops a foreign key by name (`DROP FOREIGN KEY` on MySQL).
///
/// # Errors
/// [`Unsupported`](crate::ErrorKind::Unsupported) on SQLite;
/// [`InvalidInput`](crate::ErrorKind::InvalidInput) for a key without a name.
pub fn drop_foreign_key(table: &str, fk: &ForeignKey, d: &dyn Dialect) -> Result<String> {
    drop_constraint(table, ConstraintKind::ForeignKey, fk.name.as_deref(), d)
}
