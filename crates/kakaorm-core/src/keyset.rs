//! Keyset pagination: an ordering over a unique set of columns, the predicate that seeks
//! past a row, and the opaque cursor that names that row.

mod cursor;

use crate::ast::{BinOp, Expr, OrderBy};
use crate::error::{Error, Result};
use crate::model::Model;
use crate::schema::{ColumnSchema, TableSchema};
use crate::value::Value;

/// One ordering column of a keyset.
#[derive(Debug, Clone, Copy)]
struct Key {
    /// The column's index in its schema.
    index: usize,
    column: &'static ColumnSchema,
    desc: bool,
}

/// Which side of the cursor row a page lies on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seek {
    /// Rows after the cursor row in the ordering.
    After,
    /// Rows before it.
    Before,
}

/// An ordering over a unique key set of one table: the query's order terms, completed with
/// the primary key when they do not already include a unique column or index.
#[derive(Debug, Clone)]
pub struct Keyset {
    keys: Vec<Key>,
    print: u32,
}

impl Keyset {
    /// The keyset of `order` over `schema`; an empty order means the primary key.
    ///
    /// # Errors
    /// [`InvalidInput`](crate::ErrorKind::InvalidInput) when a term is not a plain column of
    /// `schema`, or a column is nullable (NULLs have no place in a keyset comparison).
    pub fn new(schema: &'static TableSchema, order: &[OrderBy]) -> Result<Keyset> {
        let mut keys = order.iter().map(|t| key_of(schema, t)).collect::<Result<Vec<_>>>()?;
        if !is_unique(schema, &keys) {
            let desc = keys.last().is_some_and(|k| k.desc);
            keys.push(Key { index: schema.primary_key, column: schema.pk(), desc });
        }
        let mut parts = vec![schema.name];
        for k in &keys {
            parts.push(k.column.name);
            parts.push(if k.desc { "-" } else { "+" });
        }
        Ok(Keyset { keys, print: cursor::fingerprint(&parts) })
    }

    /// The order terms, in `seek` direction: the keyset's own for `After`, reversed for
    /// `Before` (the page is then read backwards and turned around).
    pub fn order(&self, seek: Seek) -> Vec<OrderBy> {
        self.keys
            .iter()
            .map(|k| OrderBy::new(Expr::column(k.column.name), k.desc == (seek == Seek::After), None))
            .collect()
    }

    /// The cursor naming `row`'s place in the ordering.
    ///
    /// # Errors
    /// [`Unsupported`](crate::ErrorKind::Unsupported) for a key type a cursor cannot hold
    /// (JSON, arrays).
    pub fn cursor<M: Model>(&self, row: &M) -> Result<String> {
        let values: Vec<Value> = self.keys.iter().map(|k| row.column_value(k.index)).collect();
        cursor::encode(self.print, &values)
    }

    /// The condition keeping the rows on the `seek` side of the row `cursor` names:
    /// `k1 > c1 OR (k1 = c1 AND k2 > c2) OR …`, each comparison flipped for a descending
    /// key, so mixed directions work on every backend.
    ///
    /// # Errors
    /// [`InvalidInput`](crate::ErrorKind::InvalidInput) for a cursor that is not one this
    /// ordering made: not base64url, another version, another ordering, a wrong key count
    /// or type, or trailing bytes.
    pub fn seek(&self, cursor: &str, seek: Seek) -> Result<Expr> {
        let types: Vec<_> = self.keys.iter().map(|k| k.column.ty).collect();
        let values = cursor::decode(cursor, self.print, &types)?;
        let mut any = Vec::with_capacity(self.keys.len());
        for (i, key) in self.keys.iter().enumerate() {
            let mut all: Vec<Expr> =
                self.keys[..i].iter().zip(&values).map(|(k, v)| Expr::column(k.column.name).eq(v.clone())).collect();
            let op = if key.desc == (seek == Seek::After) { BinOp::Lt } else { BinOp::Gt };
            all.push(Expr::column(key.column.name).binary(op, values[i].clone()));
            any.push(Expr::And(all));
        }
        Ok(Expr::Or(any))
    }
}

fn key_of(schema: &'static TableSchema, term: &OrderBy) -> Result<Key> {
    let Expr::Column(col) = &term.expr else {
        return Err(Error::invalid_input("keyset pagination orders by plain columns only"));
    };
    let (index, column) = schema
        .columns
        .iter()
        .enumerate()
        .find(|(_, c)| c.name == col.name)
        .ok_or_else(|| Error::invalid_input(format!("`{}` has no column `{}`", schema.name, col.name)))?;
    if column.nullable {
        return Err(Error::invalid_input(format!(
            "keyset pagination cannot order by the nullable column `{}`: add a non-null key",
            column.name
        )));
    }
    Ok(Key { index, column, desc: term.desc })
}

/// Whether the keys include the primary key, a unique column or every column of a
/// unique index.
fn is_unique(schema: &TableSchema, keys: &[Key]) -> bool {
    let has = |name: &str| keys.iter().any(|k| k.column.name == name);
    keys.iter().any(|k| k.column.primary_key || k.column.unique)
        || schema.indexes.iter().any(|i| i.unique && i.columns.iter().all(|c| has(c)))
}
