//! A model longer than one decode run (12 fields of types known by name), with a field
//! of an aliased type between runs: every field comes back from its own column.

use kakaorm::prelude::*;

/// Known to the compiler only, not by name to the derive: decoded on its own.
type Score = i64;

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "decode_runs_wide")]
pub struct Wide {
    pub id: i64,
    pub a: i32,
    pub b: Option<String>,
    pub c: bool,
    pub d: f64,
    pub e: String,
    pub f: Option<i64>,
    pub g: i16,
    pub score: Score,
    pub h: String,
    pub i: Option<bool>,
    pub j: i32,
    pub k: i64,
    pub l: String,
    pub m: Option<i32>,
    pub n: bool,
    pub o: String,
}

conformance! {
    async fn decode_runs_read_each_field_from_its_column(db: Db) -> Result<()> {
        db.create_table::<Wide>().await?;
        let made = Wide::create()
            .a(1).b("b").c(true).d(4.5).e("e").f(6).g(7).score(8).h("h").i(false)
            .j(10).k(11).l("l").m(13).n(true).o("o")
            .exec(&db).await?;
        let read = Wide::find(made.id, &db).await?.expect("the row just created");
        assert_eq!(read, made);
        assert_eq!(
            (read.a, read.b.as_deref(), read.f, read.g, read.score, read.i, read.j, read.k, read.m),
            (1, Some("b"), Some(6), 7, 8, Some(false), 10, 11, Some(13))
        );
        assert_eq!((read.e.as_str(), read.h.as_str(), read.l.as_str(), read.o.as_str()), ("e", "h", "l", "o"));
        Ok(())
    }
}
