//! Upsert conflict clauses and the bulk UPDATE from a list of rows.

use super::Writer;
use crate::ast::{ConflictAction, OnConflict, UpdateFrom};
use crate::dialect::{BulkUpdateStyle, UpsertStyle};
use crate::error::{Error, Result};
use crate::value::{ColumnType, Value};

/// For the row sources every style but `JsonTable` reads as they are.
fn no_decode(_: ColumnType) -> Option<&'static str> {
    None
}

/// The name the list of rows goes by in a bulk UPDATE (not a name a model table takes).
const ROWS: &str = "kakaorm_rows";

impl Writer<'_> {
    /// The conflict clause of an upsert, after the inserted rows.
    pub(crate) fn on_conflict(&mut self, oc: Option<OnConflict>) -> Result<()> {
        let Some(OnConflict { target, action }) = oc else { return Ok(()) };
        let Some(&first) = target.first() else {
            return Err(Error::invalid_input("an upsert needs a conflict target"));
        };
        if matches!(&action, ConflictAction::Update(cols) if cols.is_empty()) {
            return Err(Error::invalid_input("an upsert that updates needs at least one column"));
        }
        match self.d.upsert_style() {
            UpsertStyle::OnConflict => {
                self.push(" ON CONFLICT (");
                self.idents(&target);
                self.push(")");
                match action {
                    ConflictAction::Nothing => self.push(" DO NOTHING"),
                    ConflictAction::Update(cols) => {
                        self.push(" DO UPDATE SET ");
                        self.list(cols, |w, c| {
                            w.ident(c);
                            w.push(" = EXCLUDED.");
                            w.ident(c);
                            Ok(())
                        })?;
                    }
                }
            }
            UpsertStyle::OnDuplicateKey => {
                self.push(" ON DUPLICATE KEY UPDATE ");
                match action {
                    // Assigning a key column to itself changes nothing.
                    ConflictAction::Nothing => {
                        self.ident(first);
                        self.push(" = ");
                        self.ident(first);
                    }
                    ConflictAction::Update(cols) => self.list(cols, |w, c| {
                        w.ident(c);
                        w.push(" = VALUES(");
                        w.ident(c);
                        w.push(")");
                        Ok(())
                    })?,
                }
            }
        }
        Ok(())
    }

    /// `UPDATE table SET … ` joined to a list of rows, in the dialect's style.
    pub(crate) fn update_from(&mut self, s: UpdateFrom) -> Result<()> {
        let width = s.width();
        if s.columns.is_empty() || s.values.is_empty() || !s.values.len().is_multiple_of(width) {
            return Err(Error::invalid_input(format!(
                "a bulk update of `{}` needs at least one column and whole rows of values",
                s.table
            )));
        }
        let names: Vec<&str> = std::iter::once(s.key.0).chain(s.columns.iter().map(|c| c.0)).collect();
        match self.d.bulk_update_style() {
            BulkUpdateStyle::Unnest => self.update_from_unnest(s, &names),
            BulkUpdateStyle::Values => self.update_from_values(s, &names),
            BulkUpdateStyle::JoinUnion => self.update_join_union(s, &names),
            BulkUpdateStyle::JsonTable => self.update_join_json_table(s, &names),
        }
    }

    /// `SET c = kakaorm_rows.<source of c>, …` for every updated column, the source passed
    /// through the function `decode` names for its type, if any.
    fn sets_from_rows(
        &mut self,
        table: &str,
        columns: &[(&str, ColumnType)],
        qualify: bool,
        source: impl Fn(usize) -> String,
        decode: impl Fn(ColumnType) -> Option<&'static str>,
    ) -> Result<()> {
        self.push(" SET ");
        self.list(columns.iter().enumerate(), |w, (i, (c, ty))| {
            if qualify {
                w.ident(table);
                w.push(".");
            }
            w.ident(c);
            w.push(" = ");
            let decode = decode(*ty);
            if let Some(f) = decode {
                w.push(f);
                w.push("(");
            }
            w.ident(ROWS);
            w.push(".");
            w.ident(&source(i + 1));
            if decode.is_some() {
                w.push(")");
            }
            Ok(())
        })
    }

    /// ` WHERE table.key = kakaorm_rows.key_source`.
    fn match_key(&mut self, table: &str, key: &str, source: &str) {
        self.ident(table);
        self.push(".");
        self.ident(key);
        self.push(" = ");
        self.ident(ROWS);
        self.push(".");
        self.ident(source);
    }

    fn update_from_unnest(&mut self, s: UpdateFrom, names: &[&str]) -> Result<()> {
        self.push("UPDATE ");
        self.ident(s.table);
        self.sets_from_rows(s.table, &s.columns, false, |i| names[i].to_owned(), no_decode)?;
        self.push(" FROM UNNEST(");
        let types: Vec<ColumnType> = std::iter::once(s.key.1).chain(s.columns.iter().map(|c| c.1)).collect();
        let width = types.len();
        let mut arrays: Vec<Vec<Value>> = types.iter().map(|_| Vec::with_capacity(s.values.len() / width)).collect();
        for (i, v) in s.values.into_iter().enumerate() {
            arrays[i % width].push(v);
        }
        self.list(types.into_iter().zip(arrays), |w, (ty, array)| w.typed_array(ty, Value::Array(array)))?;
        self.push(") AS ");
        self.ident(ROWS);
        self.push(" (");
        self.idents(names);
        self.push(") WHERE ");
        self.match_key(s.table, s.key.0, s.key.0);
        Ok(())
    }

    fn update_from_values(&mut self, s: UpdateFrom, names: &[&str]) -> Result<()> {
        self.push("UPDATE ");
        self.ident(s.table);
        // SQLite names the columns of a VALUES list column1, column2, …
        let source = |i: usize| format!("column{}", i + 1);
        self.sets_from_rows(s.table, &s.columns, false, source, no_decode)?;
        self.push(" FROM (VALUES ");
        self.rows(s.values, names.len(), "(", "), (")?;
        self.push(")) AS ");
        self.ident(ROWS);
        self.push(" WHERE ");
        self.match_key(s.table, s.key.0, &source(0));
        Ok(())
    }

    fn update_join_union(&mut self, s: UpdateFrom, names: &[&str]) -> Result<()> {
        self.push("UPDATE ");
        self.ident(s.table);
        self.push(" INNER JOIN (SELECT ");
        let width = names.len();
        let mut values = s.values.into_iter();
        let types = std::iter::once(s.key.1).chain(s.columns.iter().map(|c| c.1));
        // The first row names the columns and sets their types: bytes are binary, not text
        // in the connection's character set (which would refuse bytes that are not UTF-8).
        self.list(names.iter().zip(types).zip(values.by_ref().take(width)), |w, ((name, ty), v)| {
            if ty == ColumnType::Bytes {
                w.push("CAST(");
                w.bind(v)?;
                w.push(" AS BINARY)");
            } else {
                w.bind(v)?;
            }
            w.push(" AS ");
            w.ident(name);
            Ok(())
        })?;
        let rest: Vec<Value> = values.collect();
        if !rest.is_empty() {
            self.push(" UNION ALL SELECT ");
            self.rows(rest, width, "", " UNION ALL SELECT ")?;
        }
        self.push(") AS ");
        self.ident(ROWS);
        self.push(" ON ");
        self.match_key(s.table, s.key.0, s.key.0);
        self.sets_from_rows(s.table, &s.columns, true, |i| names[i].to_owned(), no_decode)
    }

    fn update_join_json_table(&mut self, s: UpdateFrom, names: &[&str]) -> Result<()> {
        self.push("UPDATE ");
        self.ident(s.table);
        self.push(" INNER JOIN JSON_TABLE(");
        let types: Vec<ColumnType> = std::iter::once(s.key.1).chain(s.columns.iter().map(|c| c.1)).collect();
        let doc = self.json_rows(s.values, &types)?;
        self.bind(Value::String(doc))?;
        self.push(", '$[*]' COLUMNS (");
        self.list(names.iter().zip(&types).enumerate(), |w, (i, (name, ty))| {
            w.ident(name);
            w.push(" ");
            let ty = w.d.json_table_type(*ty);
            w.push(&ty);
            w.push(&format!(" PATH '$[{i}]' ERROR ON ERROR"));
            Ok(())
        })?;
        self.push(")) AS ");
        self.ident(ROWS);
        self.push(" ON ");
        self.match_key(s.table, s.key.0, s.key.0);
        // Bytes travel as base64 text (see `json_rows`).
        let decode = |ty: ColumnType| (ty == ColumnType::Bytes).then_some("FROM_BASE64");
        self.sets_from_rows(s.table, &s.columns, true, |i| names[i].to_owned(), decode)
    }

    /// Binds `values` row after row, `width` to a row, opening the first row with `open`
    /// and separating rows with `between`; each value separated by `", "`.
    pub(crate) fn rows(&mut self, values: Vec<Value>, width: usize, open: &str, between: &str) -> Result<()> {
        self.params.reserve(values.len());
        self.sql.reserve(values.len() * 4);
        for (i, value) in values.into_iter().enumerate() {
            self.push(match (i % width, i) {
                (0, 0) => open,
                (0, _) => between,
                _ => ", ",
            });
            self.bind(value)?;
        }
        Ok(())
    }

    /// `$n::type[]`: one array parameter of column type `ty`.
    pub(crate) fn typed_array(&mut self, ty: ColumnType, array: Value) -> Result<()> {
        self.bind(array)?;
        self.push("::");
        let name = self.d.type_name(ty);
        self.push(&name);
        self.push("[]");
        Ok(())
    }
}
