//! The workloads, written once for diesel's sync and async `RunQueryDsl`. The macro is
//! expanded in `sync_ops` (diesel::RunQueryDsl in scope, no `.await`) and in
//! `async_ops` (diesel_async::RunQueryDsl, with `.await`).

/// `workloads!(conn, job, names, bulk: yes|no, |c| insert_one_expr, [await tokens])` → `Outcome`.
macro_rules! workloads {
    ($conn:expr, $job:expr, $names:expr, bulk: $bulk:ident, |$c:ident| $insert_one:expr, [$($aw:tt)*]) => {{
        use diesel::{BelongingToDsl, ExpressionMethods, GroupedBy, OptionalExtension, QueryDsl, SelectableHelper};
        #[allow(unused_imports)]
        use protocol::{Bulk, Eager, Grouped, Id, Inserted, Joined, Outcome, Rows, Updated, Workload, measure};
        #[allow(unused_imports)]
        use $crate::schema::{NewUser, Post, User, posts, users, uusers, wusers};
        let job = $job;
        let conn = $conn;
        let n = job.n as i64;
        let e = |e: diesel::result::Error| e.to_string();
        match job.workload {
            Workload::SelectAll => measure(job, async |_| {
                let q = users::table.filter(users::id.le(n)).select(User::as_select());
                Ok(Rows(q.load::<User>(&mut *conn) $($aw)* .map_err(e)?))
            }).await,
            Workload::GetByPk => {
                let ids = protocol::lookup_ids();
                measure(job, async |i| {
                    let q = users::table.find(ids[i % ids.len()]).select(User::as_select());
                    Ok(Id(q.first::<User>(&mut *conn) $($aw)* .optional().map_err(e)?))
                }).await
            }
            Workload::InsertOne => measure(job, async |_| {
                let $c = &mut *conn;
                let id: i64 = $insert_one;
                Ok(Inserted(id))
            }).await,
            Workload::BulkInsert => $crate::ops::bulk_arm!($bulk, conn, job, $names, e, [$($aw)*]),
            Workload::UpdateByPk => {
                let (ids, names) = (protocol::update_ids(), protocol::update_names(job));
                measure(job, async |i| {
                    let id = ids[i % ids.len()];
                    let q = diesel::update(uusers::table.find(id)).set(uusers::name.eq(names[i].as_str()));
                    Ok(Updated { affected: q.execute(&mut *conn) $($aw)* .map_err(e)? as u64, id })
                }).await
            }
            Workload::MediumJoin => measure(job, async |_| {
                let q = users::table
                    .inner_join(posts::table)
                    .filter(users::id.le(n))
                    .select((User::as_select(), Post::as_select()));
                Ok(Joined(q.load::<(User, Post)>(&mut *conn) $($aw)* .map_err(e)?))
            }).await,
            Workload::Aggregate => measure(job, async |_| {
                let q = posts::table
                    .filter(posts::user_id.le(n))
                    .group_by(posts::user_id)
                    .select((posts::user_id, diesel::dsl::count_star()));
                Ok(Grouped(q.load::<(i64, i64)>(&mut *conn) $($aw)* .map_err(e)?))
            }).await,
            Workload::EagerLoadNested => Outcome::Unsupported("not yet: the comments table is not modelled here".into()),
            Workload::Concurrent => Outcome::Unsupported(
                "not yet: the worker has no diesel-async pool (its bb8 or deadpool feature is not enabled)".into(),
            ),
            Workload::BulkUpdate => {
                Outcome::Unsupported("n/a: diesel has no update of many rows with per-row values".into())
            }
            Workload::Stream1m => Outcome::Unsupported("not yet: the susers table is not modelled here".into()),
            Workload::EagerLoad => measure(job, async |_| {
                let q = users::table.filter(users::id.le(n)).select(User::as_select());
                let us: Vec<User> = q.load(&mut *conn) $($aw)* .map_err(e)?;
                let q = Post::belonging_to(&us).select(Post::as_select());
                let ps: Vec<Post> = q.load(&mut *conn) $($aw)* .map_err(e)?;
                let grouped = ps.grouped_by(&us);
                Ok(Eager(us.into_iter().zip(grouped).collect::<Vec<_>>()))
            }).await,
        }
    }};
}

/// The bulk insert arm: `yes` runs diesel's batch insert, `no` reports it unsupported.
macro_rules! bulk_arm {
    (yes, $conn:ident, $job:ident, $names:expr, $e:ident, [$($aw:tt)*]) => {{
        let names: &[String] = $names;
        let count = $job.n;
        measure($job, async |_| {
            let rows: Vec<NewUser<'_>> =
                (0..count).map(|i| NewUser { name: &names[i], hair_color: protocol::bulk_hair(i) }).collect();
            let q = diesel::insert_into(wusers::table).values(&rows);
            Ok(Bulk(q.execute(&mut *$conn) $($aw)* .map_err($e)? as u64))
        })
        .await
    }};
    (no, $conn:ident, $job:ident, $names:expr, $e:ident, [$($aw:tt)*]) => {{
        let _ = ($names, &$e);
        Outcome::Unsupported("n/a: diesel-async's SyncConnectionWrapper cannot run diesel's SQLite batch insert".into())
    }};
}

pub(crate) use {bulk_arm, workloads};
