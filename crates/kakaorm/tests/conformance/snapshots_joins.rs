//! SQL snapshots of the join shapes (three and four models, compound ON conditions,
//! self-joins through aliases, aggregates over a join) in every dialect, the `Display`
//! of every builder, and CTEs over typed selections.

use expect_test::expect;
use kakaorm::prelude::*;

use crate::joins_multi::Staff;
use crate::models::*;
use crate::snapshots::{DIALECTS, check, show};

fn inline(render: impl Fn(&dyn kakaorm::Dialect) -> kakaorm::Result<String>) -> String {
    DIALECTS
        .iter()
        .map(|(name, d)| match render(*d) {
            Ok(sql) => format!("{name}: {sql}\n"),
            Err(e) => format!("{name}: error: {e}\n"),
        })
        .collect()
}

#[test]
fn three_and_four_model_joins() {
    check(
        show(|d| {
            Review::query()
                .join(Post::id, Review::post_id)
                .left_join(User::id, Post::user_id)
                .filter(User::age.ge(18))
                .order_by(Review::stars.desc())
                .limit(5)
                .to_sql(d)
        }),
        expect![[r#""#]],
    );
    let reviewer = User::alias("reviewer");
    check(
        show(|d| {
            Review::query()
                .join(Post::id, Review::post_id)
                .join(User::id, Post::user_id)
                .left_join_as(reviewer, User::id.eq(Review::reviewer_id.qualified()))
                .filter(reviewer.col(User::name).ne("Ann"))
                .to_sql(d)
        }),
        expect![[r#""#]],
    );
}

#[test]
fn compound_on_and_self_join() {
    check(
        show(|d| {
            User::query()
                .left_join_on(
                    Post::user_id.eq(User::id.qualified()) & (Post::published.eq(true) | Post::title.like("a%")),
                )
                .to_sql(d)
        }),
        expect![[r#""#]],
    );
    let mgr = Staff::alias("mgr");
    check(
        show(|d| {
            Staff::query()
                .join_as(mgr, Staff::id.eq(Staff::manager_id.qualified()))
                .select((Staff::name, mgr.col(Staff::name).label("manager")))
                .filter(mgr.col(Staff::salary).gt(Staff::salary.qualified()))
                .order_by(mgr.col(Staff::name))
                .to_sql(d)
        }),
        expect![[r#""#]],
    );
}

#[test]
fn aggregates_over_a_join() {
    check(
        show(|d| {
            Post::query()
                .join(User::id, Post::user_id)
                .join(Review::post_id, Post::id)
                .select((User::name, count::<Review>(), Review::stars.sum(), Review::stars.avg().label("mean")))
                .group_by(User::name)
                .having(count::<Review>().ge(2))
                .order_by(Review::stars.sum().desc())
                .to_sql(d)
        }),
        expect![[r#""#]],
    );
}

#[test]
fn alias_injection_and_strangers_fail_before_any_sql() {
    check(
        show(|d| {
            let bad = User::alias("u\"; DROP TABLE users; --");
            Post::query().join_as(bad, User::id.eq(Post::user_id.qualified())).to_sql(d)
        }),
        expect![[r#""#]],
    );
    check(
        show(|d| Post::query().join_on(User::id.eq(Post::user_id.qualified())).filter(Review::stars.gt(1)).to_sql(d)),
        expect![[r#""#]],
    );
}

#[test]
fn display_of_every_builder() {
    let q = User::filter(User::name.eq("O'Brien")).limit(2);
    let shown = [
        q.to_string(),
        q.clone().select(User::age).to_string(),
        q.clone().also_select(User::age * 2).to_string(),
        User::filter(User::age.lt(18)).update().set(User::age, 18).to_string(),
        q.clone().union(User::filter(User::age.gt(90))).to_string(),
        User::query().from_cte("young").with_cte("young", User::filter(User::age.lt(30))).to_string(),
        User::query().order_by(User::id).paginate(10).to_string(),
        User::query().join(Post::user_id, User::id).filter_joined(Post::title.eq("it's")).to_string(),
        Review::query()
            .join(Post::id, Review::post_id)
            .join(User::id, Post::user_id)
            .filter(Review::stars.eq(5))
            .to_string(),
        User::query()
            .join_on(Post::user_id.eq(User::id.qualified()))
            .select((User::name, count::<Post>()))
            .group_by(User::name)
            .to_string(),
    ];
    check(shown.join("\n") + "\n", expect![[r#""#]]);
}

#[test]
fn ctes_over_typed_selections() {
    check(
        inline(|d| {
            User::query()
                .from_cte("adults")
                .select((User::name, User::age.max()))
                .group_by(User::name)
                .with_cte("adults", User::filter(User::age.ge(18)))
                .with_cte("unused", Post::query().select(Post::title))
                .debug_sql(d)
        }),
        expect![[r#""#]],
    );
}
