//! Binding [`Value`]s as PostgreSQL parameters.

use std::error::Error as StdError;
use std::fmt;

use kakaorm_core::__private::i64_to_f64;
use kakaorm_core::Value;
use postgres_protocol::types::ArrayDimension;
use tokio_postgres::types::{IsNull, Kind, ToSql, Type, to_sql_checked};

type BoxError = Box<dyn StdError + Sync + Send>;

/// A borrowed value bound to a PostgreSQL parameter. Integers widen or narrow (checked)
/// to the parameter's integer type, so a bound `i64` fits an `INTEGER` column, and become
/// a `float8` or `numeric` parameter when the conversion is exact.
pub(crate) struct PgValue<'a>(pub(crate) &'a Value);

/// Shows no value: tokio-postgres logs the `Debug` output of every bound parameter at
/// DEBUG level through the `log` crate (`executing statement … with parameters: […]`), which
/// reaches `tracing` wherever the `log` bridge is installed. The query log shows values
/// only when the user opted in.
impl fmt::Debug for PgValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<hidden>")
    }
}

fn int_to_sql(v: i64, ty: &Type, out: &mut bytes::BytesMut) -> Result<IsNull, BoxError> {
    match *ty {
        Type::INT2 => i16::try_from(v)?.to_sql_checked(ty, out),
        Type::INT4 => i32::try_from(v)?.to_sql_checked(ty, out),
        Type::FLOAT8 => i64_to_f64(v).ok_or_else(|| format!("{v} has no exact float8"))?.to_sql_checked(ty, out),
        Type::NUMERIC => rust_decimal::Decimal::from(v).to_sql_checked(ty, out),
        _ => v.to_sql_checked(ty, out),
    }
}

/// Writes `items` as a one-dimensional array of the parameter's element type.
fn array_to_sql(items: &[Value], ty: &Type, out: &mut bytes::BytesMut) -> Result<IsNull, BoxError> {
    let Kind::Array(member) = ty.kind() else {
        return Err(format!("an array cannot be bound to a {ty} parameter").into());
    };
    let len = i32::try_from(items.len())?;
    let dimension = ArrayDimension { len, lower_bound: 1 };
    let element = |v: &Value, buf: &mut bytes::BytesMut| match PgValue(v).to_sql_checked(member, buf)? {
        IsNull::Yes => Ok(postgres_protocol::IsNull::Yes),
        IsNull::No => Ok(postgres_protocol::IsNull::No),
    };
    postgres_protocol::types::array_to_sql(Some(dimension), member.oid(), items.iter(), element, out)?;
    Ok(IsNull::No)
}

impl ToSql for PgValue<'_> {
    fn to_sql(&self, ty: &Type, out: &mut bytes::BytesMut) -> Result<IsNull, BoxError> {
        match self.0 {
            Value::Null => Ok(IsNull::Yes),
            Value::Bool(v) => v.to_sql_checked(ty, out),
            Value::I16(v) => int_to_sql(i64::from(*v), ty, out),
            Value::I32(v) => int_to_sql(i64::from(*v), ty, out),
            Value::I64(v) => int_to_sql(*v, ty, out),
            Value::F32(v) if *ty == Type::FLOAT8 => f64::from(*v).to_sql_checked(ty, out),
            Value::F32(v) => v.to_sql_checked(ty, out),
            Value::F64(v) => v.to_sql_checked(ty, out),
            Value::String(v) => v.as_str().to_sql_checked(ty, out),
            Value::Bytes(v) => v.as_slice().to_sql_checked(ty, out),
            Value::Date(v) => v.to_sql_checked(ty, out),
            Value::Time(v) => v.to_sql_checked(ty, out),
            Value::DateTime(v) if *ty == Type::TIMESTAMPTZ => v.and_utc().to_sql_checked(ty, out),
            Value::DateTime(v) => v.to_sql_checked(ty, out),
            Value::DateTimeUtc(v) if *ty == Type::TIMESTAMP => v.naive_utc().to_sql_checked(ty, out),
            Value::DateTimeUtc(v) => v.to_sql_checked(ty, out),
            Value::Decimal(v) => v.to_sql_checked(ty, out),
            Value::Uuid(v) => v.to_sql_checked(ty, out),
            Value::Json(v) => v.to_sql_checked(ty, out),
            Value::Array(items) => array_to_sql(items, ty, out),
        }
    }

    fn accepts(_ty: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

#[cfg(test)]
mod tests {
    use kakaorm_core::Value;

    use super::PgValue;

    #[test]
    fn debug_output_hides_the_value() {
        let secret = Value::String("hunter2@example.com".into());
        let shown = format!("{:?}", PgValue(&secret));
        assert_eq!(shown, "<hidden>");
    }
}
