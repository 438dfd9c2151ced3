//! Every struct and field option, and what each puts in the schema and the insert row.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use kakaorm::schema::DefaultValue;
use kakaorm::ColumnType;
use kakaorm::{CreateBuilder, Model, Value};
use rust_decimal::Decimal;
use uuid::Uuid;

/// A product.
#[derive(Model)]
#[kakaorm(
    table = "products",
    unique = "name, sku",
    index(fields = "price", name = "ix_price"),
    index = "added_on",
    index = "price, name"
)]
pub struct Product {
    /// The key.
    #[kakaorm(primary_key)]
    pub code: Uuid,
    #[kakaorm(max_length = 80, unique, index, check = "name <> ''")]
    pub name: String,
    #[kakaorm(column = "stock_keeping_unit", max_length = 12)]
    pub sku: Option<String>,
    #[kakaorm(max_digits = 10, decimal_places = 2, default = "9.99")]
    pub price: Decimal,
    #[kakaorm(default = -1)]
    pub rank: i16,
    #[kakaorm(default = 0.5)]
    pub weight: f64,
    #[kakaorm(default = true)]
    pub active: bool,
    #[kakaorm(default = "new")]
    pub status: String,
    #[kakaorm(auto_now_add)]
    pub added_on: NaiveDate,
    #[kakaorm(auto_now)]
    pub updated_at: DateTime<Utc>,
}

/// A counter with an explicit auto-increment key.
#[derive(Model)]
pub struct Counter {
    #[kakaorm(primary_key, auto_increment)]
    pub counter_id: i32,
    pub hits: i64,
}

fn main() {
    let s = Product::SCHEMA;
    assert_eq!(s.name, "products");
    assert_eq!(s.model, "Product");
    assert_eq!(s.pk().name, "code");
    assert!(!s.pk().auto_increment);
    let name = s.column("name").unwrap();
    assert_eq!(name.ty, ColumnType::Varchar(80));
    assert!(name.unique && name.index);
    assert_eq!(name.check, Some("name <> ''"));
    let sku = s.column("stock_keeping_unit").unwrap();
    assert_eq!(sku.field, "sku");
    assert!(sku.nullable);
    assert_eq!(Product::sku.name(), "stock_keeping_unit");
    let price = s.column("price").unwrap();
    assert_eq!(price.ty, ColumnType::Decimal { precision: 10, scale: 2 });
    assert_eq!(price.default, Some(DefaultValue::Str("9.99")));
    assert_eq!(s.column("rank").unwrap().default, Some(DefaultValue::Int(-1)));
    assert_eq!(s.column("weight").unwrap().default, Some(DefaultValue::Float(0.5)));
    assert_eq!(s.column("active").unwrap().default, Some(DefaultValue::Bool(true)));
    assert!(s.column("added_on").unwrap().auto_now_add);
    assert!(s.column("updated_at").unwrap().auto_now);
    assert_eq!(s.indexes.len(), 4);
    assert_eq!(s.indexes[0].columns, ["name", "stock_keeping_unit"]);
    assert!(s.indexes[0].unique);
    assert_eq!(s.indexes[1].name, Some("ix_price"));
    assert_eq!(s.indexes[2].columns, ["added_on"]);
    assert_eq!(s.indexes[3].columns, ["price", "name"]);
    assert!(!s.indexes[3].unique);

    let now = Utc.with_ymd_and_hms(2024, 2, 3, 4, 5, 6).unwrap();
    let row = Product::create().code(Uuid::nil()).name("pen").into_row(now).unwrap();
    assert_eq!(
        row.columns,
        ["code", "name", "stock_keeping_unit", "price", "rank", "weight", "active", "status", "added_on", "updated_at"]
    );
    assert_eq!(row.values[2], Value::Null);
    assert_eq!(row.values[3], Value::Decimal(Decimal::new(999, 2)));
    assert_eq!(row.values[4], Value::I16(-1));
    assert_eq!(row.values[5], Value::F64(0.5));
    assert_eq!(row.values[6], Value::Bool(true));
    assert_eq!(row.values[7], Value::String("new".into()));
    assert_eq!(row.values[8], Value::Date(now.date_naive()));
    assert_eq!(row.values[9], Value::DateTimeUtc(now));

    let c = Counter::SCHEMA;
    assert!(c.pk().auto_increment);
    let row = Counter::create().hits(3).into_row(now).unwrap();
    assert_eq!(row.columns, ["hits"]);
    let row = Counter::create().counter_id(5).hits(3).into_row(now).unwrap();
    assert_eq!(row.columns, ["counter_id", "hits"]);
}
