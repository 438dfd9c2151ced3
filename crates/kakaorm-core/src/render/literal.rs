//! Values written inline as SQL literals: the debugging rendering of a statement. Never
//! executed; the real rendering always binds values as parameters.

use super::Writer;
use crate::error::Result;
use crate::value::Value;

impl Writer<'_> {
    /// Writes `value` as a literal of the dialect (strings quoted and escaped by it).
    pub(crate) fn literal(&mut self, value: Value) -> Result<()> {
        match value {
            Value::Null => self.push("NULL"),
            Value::Bool(b) => self.push(self.d.bool_literal(b)),
            Value::I16(v) => self.push(&v.to_string()),
            Value::I32(v) => self.push(&v.to_string()),
            Value::I64(v) => self.push(&v.to_string()),
            Value::F32(v) => self.push(&v.to_string()),
            Value::F64(v) => self.push(&v.to_string()),
            Value::Decimal(v) => self.push(&v.to_string()),
            Value::String(s) => self.quoted(&s),
            Value::Bytes(b) => {
                let hex: String = b.iter().map(|byte| format!("{byte:02x}")).collect();
                self.push(&format!("X'{hex}'"));
            }
            Value::Date(d) => self.quoted(&d.to_string()),
            Value::Time(t) => self.quoted(&t.to_string()),
            Value::DateTime(t) => self.quoted(&t.format("%Y-%m-%d %H:%M:%S%.f").to_string()),
            Value::DateTimeUtc(t) => self.quoted(&t.format("%Y-%m-%d %H:%M:%S%.f+00:00").to_string()),
            Value::Uuid(u) => self.quoted(&u.to_string()),
            Value::Json(j) => self.quoted(&j.to_string()),
            Value::Array(items) => {
                self.push("ARRAY[");
                self.list(items, Writer::literal)?;
                self.push("]");
            }
        }
        Ok(())
    }

    fn quoted(&mut self, text: &str) {
        self.d.string_literal(&mut self.sql, text);
    }
}
