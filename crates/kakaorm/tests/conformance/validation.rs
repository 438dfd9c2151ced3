//! Validation: every rule, every failure collected in one structured error before any SQL,
//! in English and Japanese; missing required fields; custom validators; bulk writes.

use kakaorm::prelude::*;
use kakaorm::validate::{Invalid, Locale};
use kakaorm::{Error, ErrorKind};
use rust_decimal::Decimal;
use serde_json::json;

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "signups", validate_with = Signup::dates_in_order)]
pub struct Signup {
    pub id: i64,
    #[kakaorm(min_length = 2, max_length = 8, regex = "^[a-z]+$")]
    pub handle: String,
    #[kakaorm(email)]
    pub email: Option<String>,
    #[kakaorm(url)]
    pub site: Option<String>,
    #[kakaorm(min_value = 18, max_value = 130)]
    pub age: i32,
    #[kakaorm(min_value = 0.5, max_value = 5)]
    pub rating: f64,
    #[kakaorm(max_value = 100, max_digits = 6, decimal_places = 2)]
    pub fee: Decimal,
    #[kakaorm(one_of = ["free", "pro"], default = "free")]
    pub plan: String,
    #[kakaorm(one_of = [1, 2, 3], default = 1)]
    pub tier: i16,
    #[kakaorm(validate_with = not_reserved)]
    pub nick: String,
    pub starts: i32,
    pub ends: i32,
}

fn not_reserved(nick: &String) -> Result<(), String> {
    if nick == "admin" { Err("「admin」は予約済みです / admin is reserved".into()) } else { Ok(()) }
}

impl Signup {
    fn dates_in_order(&self) -> Result<(), Invalid> {
        if self.ends < self.starts { Err(Invalid::field("ends", "ends before it starts")) } else { Ok(()) }
    }
}

fn valid() -> SignupCreate {
    Signup::create()
        .handle("ann")
        .email("ann@example.com")
        .site("https://example.com")
        .age(30)
        .rating(4.5)
        .fee(Decimal::new(1050, 2))
        .nick("annie")
        .starts(1)
        .ends(2)
}

fn invalid() -> SignupCreate {
    Signup::create()
        .handle("A")
        .email("not-an-email")
        .site("ftp://x")
        .age(17)
        .rating(9.0)
        .fee(Decimal::new(10001, 2))
        .plan("gold")
        .tier(7)
        .nick("admin")
        .starts(1)
        .ends(2)
}

fn failures(err: &Error) -> &kakaorm::validate::ValidationErrors {
    assert_eq!(err.kind(), ErrorKind::Validation, "{err}");
    err.validation_errors().unwrap_or_else(|| panic!("no structured failures in {err:?}"))
}

fn rules(err: &Error) -> Vec<(String, String)> {
    failures(err).iter().map(|f| (f.field.to_string(), f.rule.to_string())).collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(f, r)| ((*f).to_owned(), (*r).to_owned())).collect()
}

/// One failure per rule; the model-level validator runs only on a row with no other
/// failure (it needs a whole model).
const EVERY_RULE: [(&str, &str); 10] = [
    ("handle", "min_length"),
    ("handle", "regex"),
    ("email", "email"),
    ("site", "url"),
    ("age", "min_value"),
    ("rating", "max_value"),
    ("fee", "max_value"),
    ("plan", "one_of"),
    ("tier", "one_of"),
    ("nick", "not_reserved"),
];

#[test]
fn a_builder_validates_without_a_database_collecting_every_failure() {
    assert!(valid().validate().is_ok());
    let err = invalid().validate().unwrap_err();
    assert_eq!(rules(&err), pairs(&EVERY_RULE));
    let f = failures(&err);
    let handle = f.field("handle").next().map(|e| serde_json::to_value(e).unwrap());
    assert_eq!(
        handle,
        Some(json!({"field": "handle", "rule": "min_length", "message": "handle must be at least 2 characters long",
            "value": "A", "min": 2}))
    );
    let all = serde_json::to_value(f).unwrap();
    assert_eq!(all["model"], "Signup");
    assert_eq!(
        all["errors"][1],
        json!({"field": "handle", "rule": "regex", "value": "A", "pattern": "^[a-z]+$",
        "message": "handle must match the pattern ^[a-z]+$"})
    );
    assert_eq!(all["errors"][5]["max"], json!(5));
    assert_eq!(all["errors"][6]["value"], json!("100.01"));
    assert_eq!(all["errors"][7]["choices"], json!(["free", "pro"]));
    assert_eq!(all["errors"][8]["choices"], json!([1, 2, 3]));
    let by_field = f.by_field();
    assert_eq!(
        by_field["handle"],
        ["handle must be at least 2 characters long", "handle must match the pattern ^[a-z]+$"]
    );
    assert_eq!(by_field["nick"], ["「admin」は予約済みです / admin is reserved"]);
}

#[test]
fn messages_translate_to_japanese_and_custom_ones_stay() {
    let err = invalid().validate().unwrap_err();
    let ja = failures(&err).clone().localized(Locale::Ja);
    let messages: Vec<&str> = ja.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "handleは2文字以上で入力してください",
            "handleはパターン ^[a-z]+$ に一致しません",
            "emailは有効なメールアドレスではありません",
            "siteは有効なURLではありません",
            "ageは18以上にしてください",
            "ratingは5以下にしてください",
            "feeは100以下にしてください",
            "planは次のいずれかにしてください: free, pro",
            "tierは次のいずれかにしてください: 1, 2, 3",
            "「admin」は予約済みです / admin is reserved",
        ]
    );
    let back = ja.localized(Locale::En);
    assert_eq!(back.errors[0].message, "handle must be at least 2 characters long");
    let unsupported = "fr".parse::<Locale>().unwrap_err();
    assert_eq!(unsupported.kind(), ErrorKind::Config);
}

#[test]
fn a_model_validates_without_a_database_with_its_cross_field_rule() {
    let mut s = Signup {
        id: 1,
        handle: "ann".into(),
        email: None,
        site: None,
        age: 30,
        rating: 1.0,
        fee: Decimal::ONE,
        plan: "pro".into(),
        tier: 2,
        nick: "annie".into(),
        starts: 5,
        ends: 4,
    };
    let err = s.validate().unwrap_err();
    assert_eq!(rules(&err), pairs(&[("ends", "dates_in_order")]));
    assert_eq!(failures(&err).errors[0].message, "ends before it starts");
    s.ends = 6;
    assert!(s.validate().is_ok());
}

#[test]
fn missing_required_fields_are_all_named() {
    let err = Signup::create().age(20).validate().unwrap_err();
    let missing = pairs(&[
        ("handle", "required"),
        ("rating", "required"),
        ("fee", "required"),
        ("nick", "required"),
        ("starts", "required"),
        ("ends", "required"),
    ]);
    assert_eq!(rules(&err), missing);
    assert_eq!(failures(&err).errors[0].message, "handle is required");
    assert_eq!(failures(&err).clone().localized(Locale::Ja).errors[0].message, "handleは必須です");
}

conformance! {
    async fn create_save_and_bulk_validate_before_any_sql(db: Db) -> Result<()> {
        db.create_table::<Signup>().await?;
        let err = invalid().exec(&db).await.unwrap_err();
        assert_eq!(rules(&err), pairs(&EVERY_RULE));
        let err = Signup::create().handle("bob").exec(&db).await.unwrap_err();
        assert_eq!(failures(&err).iter().filter(|f| f.rule == "required").count(), 6, "{err}");
        let err = valid().starts(3).ends(1).exec(&db).await.unwrap_err();
        assert_eq!(rules(&err), pairs(&[("ends", "dates_in_order")]));
        assert_eq!(Signup::count(&db).await?, 0);

        let mut ok = valid().exec(&db).await?;
        ok.handle = "X".into();
        ok.tier = 0;
        let err = ok.save(&db).await.unwrap_err();
        assert_eq!(rules(&err), pairs(&[("handle", "min_length"), ("handle", "regex"), ("tier", "one_of")]));
        assert_eq!(Signup::get(Signup::id.eq(ok.id), &db).await?.handle, "ann");

        // A failure in row 500 of 600 writes nothing, and names its row.
        let rows = (0..600).map(|i| if i == 500 { valid().age(3) } else { valid().handle(format!("u{i}").replace(char::is_numeric, "n")) });
        let err = Signup::bulk_create(rows, &db).await.unwrap_err();
        let f = failures(&err);
        assert_eq!((f.errors.len(), f.errors[0].row, f.errors[0].rule.as_ref()), (1, Some(500), "min_value"));
        assert!(err.to_string().contains("row 500: age must be at least 18"), "{err}");
        assert_eq!(Signup::count(&db).await?, 1);
        let n = Signup::bulk_create((0..3).map(|_| valid()), &db).await?;
        assert_eq!((n, Signup::count(&db).await?), (3, 4));
        Ok(())
    }

    async fn valid_rows_round_trip(db: Db) -> Result<()> {
        db.create_table::<Signup>().await?;
        let s = valid().plan("pro").tier(3).exec(&db).await?;
        assert_eq!((s.plan.as_str(), s.tier, s.fee), ("pro", 3, Decimal::new(1050, 2)));
        assert_eq!(Signup::find(s.id, &db).await?, Some(s));
        Ok(())
    }

    /// bulk_update validates every model before any SQL: failures in the middle write
    /// nothing, and each names its row.
    async fn bulk_update_validates_every_model_before_any_sql(db: Db) -> Result<()> {
        db.create_table::<Signup>().await?;
        Signup::bulk_create((0..3).map(|_| valid()), &db).await?;
        let mut all = Signup::query().order_by(Signup::id).all(&db).await?;
        for s in &mut all {
            s.age = 40;
        }
        all[1].handle = "X".into();
        all[2].tier = 9;
        all[2].ends = 0;
        let err = Signup::bulk_update(&mut all, (Signup::age, Signup::handle, Signup::tier), &db).await.unwrap_err();
        let got: Vec<(Option<usize>, String, String)> =
            failures(&err).iter().map(|f| (f.row, f.field.to_string(), f.rule.to_string())).collect();
        let want = [(1, "handle", "min_length"), (1, "handle", "regex"), (2, "tier", "one_of"), (2, "ends", "dates_in_order")];
        let want: Vec<(Option<usize>, String, String)> =
            want.iter().map(|(r, f, rule)| (Some(*r), (*f).to_owned(), (*rule).to_owned())).collect();
        assert_eq!(got, want);
        assert_eq!(Signup::filter(Signup::age.eq(40)).count(&db).await?, 0, "nothing was written");
        all[1].handle = "bob".into();
        all[2].tier = 2;
        all[2].ends = 5;
        assert_eq!(Signup::bulk_update(&mut all, (Signup::age, Signup::handle, Signup::tier), &db).await?, 3);
        assert_eq!(Signup::filter(Signup::age.eq(40)).count(&db).await?, 3);
        Ok(())
    }

    /// The error of a write collects every failure of every field, and reads in English
    /// and in Japanese (a custom rule's message stays as written).
    async fn the_error_of_a_write_lists_every_failure_in_both_locales(db: Db) -> Result<()> {
        db.create_table::<Signup>().await?;
        let err = invalid().exec(&db).await.unwrap_err();
        let en = failures(&err);
        assert_eq!(en.errors.len(), EVERY_RULE.len());
        assert_eq!(en.by_field()["handle"], ["handle must be at least 2 characters long", "handle must match the pattern ^[a-z]+$"]);
        let ja = en.clone().localized(Locale::Ja);
        assert_eq!(ja.by_field()["handle"], ["handleは2文字以上で入力してください", "handleはパターン ^[a-z]+$ に一致しません"]);
        assert_eq!(ja.by_field()["age"], ["ageは18以上にしてください"]);
        assert_eq!(ja.by_field()["nick"], ["「admin」は予約済みです / admin is reserved"]);
        assert_eq!(serde_json::to_value(&ja).unwrap()["errors"][4]["min"], json!(18));
        assert_eq!(Signup::count(&db).await?, 0, "nothing was written");
        Ok(())
    }
}
