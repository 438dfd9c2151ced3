//! Decimals compare, sort, sum and check as numbers on every backend, are refused before
//! any write when they exceed `max_digits`/`decimal_places`, and keep every digit.

use std::str::FromStr;

use kakaorm::ErrorKind;
use kakaorm::prelude::*;
use rust_decimal::Decimal;

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "prices")]
pub struct Price {
    pub id: i64,
    #[kakaorm(max_digits = 6, decimal_places = 2, check = "amount > 0")]
    pub amount: Decimal,
    #[kakaorm(max_digits = 28, decimal_places = 10)]
    pub exact: Option<Decimal>,
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).expect("decimal literal")
}

/// The amounts, as text, in the order given.
fn texts(rows: &[Price]) -> Vec<String> {
    rows.iter().map(|p| p.amount.to_string()).collect()
}

async fn priced(db: &Db, amounts: &[&str]) -> kakaorm::Result<()> {
    db.create_table::<Price>().await?;
    for a in amounts {
        Price::create().amount(dec(a)).exec(db).await?;
    }
    Ok(())
}

conformance! {
    async fn decimals_compare_and_sort_as_numbers(db: Db) -> Result<()> {
        priced(&db, &["10.00", "5.00", "9.75"]).await?;
        let sorted = Price::query().order_by(Price::amount.asc()).all(&db).await?;
        assert_eq!(texts(&sorted), ["5.00", "9.75", "10.00"]);
        let above = Price::filter(Price::amount.gt(dec("9.50"))).order_by(Price::amount.asc()).all(&db).await?;
        assert_eq!(texts(&above), ["9.75", "10.00"]);
        assert_eq!(Price::filter(Price::amount.eq(dec("10"))).all(&db).await?.len(), 1, "10 = 10.00");
        assert_eq!(Price::filter(Price::amount.lt(dec("9.8"))).all(&db).await?.len(), 2);
        assert_eq!(Price::filter(Price::amount.between(dec("5"), dec("9.8"))).all(&db).await?.len(), 2);
        assert_eq!(Price::filter(Price::amount.in_([dec("10.0"), dec("5")])).all(&db).await?.len(), 2);
        let (sum, max, min) = Price::query()
            .select((Price::amount.sum(), Price::amount.max(), Price::amount.min()))
            .one(&db)
            .await?;
        assert_eq!(sum, Some(dec("24.75")));
        assert_eq!(max.map(|m| m.to_string()).as_deref(), Some("10.00"));
        assert_eq!(min.map(|m| m.to_string()).as_deref(), Some("5.00"));
        Ok(())
    }

    async fn decimal_check_constraints_compare_as_numbers(db: Db) -> Result<()> {
        priced(&db, &["0.01"]).await?;
        for bad in ["0.00", "0", "-1.50"] {
            let err = Price::create().amount(dec(bad)).exec(&db).await.unwrap_err();
            assert_eq!(err.kind(), ErrorKind::CheckViolation, "{bad}: {err}");
        }
        assert_eq!(Price::all(&db).await?.len(), 1);
        Ok(())
    }

    async fn decimal_precision_and_scale_are_checked_before_any_write(db: Db) -> Result<()> {
        priced(&db, &["1.00"]).await?;
        let too_wide = dec("10000.00");
        let too_fine = dec("1.005");
        for bad in [too_wide, too_fine, dec("-10000")] {
            let err = Price::create().amount(bad).exec(&db).await.unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Validation, "{bad}: {err}");
            assert!(err.to_string().contains("Price.amount"), "{err}");
        }
        let bulk = Price::bulk_create([dec("2.00"), too_wide].map(|a| Price::create().amount(a)), &db).await;
        assert_eq!(bulk.unwrap_err().kind(), ErrorKind::Validation);
        let mut row = Price::filter(Price::amount.eq(dec("1"))).first(&db).await?.expect("row");
        row.amount = too_fine;
        assert_eq!(row.save(&db).await.unwrap_err().kind(), ErrorKind::Validation);
        let update = Price::filter(Price::id.eq(row.id)).update().set(Price::amount, too_wide).exec(&db).await;
        assert_eq!(update.unwrap_err().kind(), ErrorKind::Validation);
        assert_eq!(texts(&Price::all(&db).await?), ["1.00"], "nothing was written");
        // Trailing zeros beyond the scale are not digits: 9999.9900 fits (6, 2).
        let edge = Price::create().amount(dec("9999.9900")).exec(&db).await?;
        assert_eq!(edge.amount.to_string(), "9999.99");
        Ok(())
    }

    async fn decimals_keep_every_digit_at_their_declared_scale(db: Db) -> Result<()> {
        db.create_table::<Price>().await?;
        let cases = [
            ("5", "5.00", "5.5", "5.5000000000"),
            ("0.5", "0.50", "-123456789012345678.0123456789", "-123456789012345678.0123456789"),
            ("9999.99", "9999.99", "999999999999999999.9999999999", "999999999999999999.9999999999"),
            ("0.1", "0.10", "0.0000000001", "0.0000000001"),
        ];
        for (amount, stored_amount, exact, stored_exact) in cases {
            let made = Price::create().amount(dec(amount)).exact(dec(exact)).exec(&db).await?;
            let back = Price::filter(Price::id.eq(made.id)).first(&db).await?.expect("row");
            assert_eq!(back.amount.to_string(), stored_amount);
            assert_eq!(back.exact.map(|e| e.to_string()).as_deref(), Some(stored_exact));
            assert_eq!(back, made);
        }
        let exact = dec("-123456789012345678.0123456789");
        let found = Price::filter(Price::exact.eq(exact)).all(&db).await?;
        assert_eq!(found.len(), 1, "a 28-digit decimal compares exactly");
        let neighbours = Price::filter(Price::exact.lt(exact + dec("0.0000000001"))).all(&db).await?;
        assert_eq!(neighbours.len(), 1);
        Ok(())
    }
}
