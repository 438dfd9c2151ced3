//! The seed data, identical for every contender, and the expected result of every operation.

use crate::workload::{Backend, Job, Workload};

/// Rows in `users` (ids 1..=USERS).
pub const USERS: usize = 10_000;
/// Users that have posts (ids 1..=POST_USERS), each with POSTS_PER_USER posts.
pub const POST_USERS: usize = 1_000;
pub const POSTS_PER_USER: usize = 10;
/// Rows in `posts` (ids 1..=POSTS).
pub const POSTS: usize = POST_USERS * POSTS_PER_USER;
/// Comments of each post (post j has comments 2j-1 and 2j), for `eager_load_nested`.
pub const COMMENTS_PER_POST: usize = 2;
/// Rows in `comments` (ids 1..=COMMENTS).
pub const COMMENTS: usize = POSTS * COMMENTS_PER_POST;
/// Rows in `uusers`, the table `update_by_pk` writes to.
pub const UUSERS: usize = 1_000;
/// Rows in `busers`, the table `bulk_update` writes to (ids 1..=BUSERS).
pub const BUSERS: usize = 10_000;
/// Length of the fixed pseudo-random key sequences of `get_by_pk` and `update_by_pk`.
pub const KEY_SEQUENCE: usize = 1_000;

/// The name and value `insert_one` writes.
pub const NEW_NAME: &str = "New user";
pub const NEW_HAIR: &str = "red";

pub fn user_name(i: usize) -> String {
    format!("User {i:05}")
}

pub fn hair_color(i: usize) -> Option<&'static str> {
    match i % 4 {
        0 => None,
        1 => Some("black"),
        2 => Some("brown"),
        _ => Some("blond"),
    }
}

/// The user a post belongs to.
pub fn post_user(j: usize) -> usize {
    (j - 1) / POSTS_PER_USER + 1
}

pub fn post_title(j: usize) -> String {
    format!("Post {j:05}")
}

pub fn post_body(j: usize) -> Option<String> {
    (!j.is_multiple_of(3)).then(|| format!("The body of post {j}: lorem ipsum dolor sit amet, consectetur adipiscing."))
}

/// The post a comment belongs to.
pub fn comment_post(k: usize) -> usize {
    (k - 1) / COMMENTS_PER_POST + 1
}

pub fn comment_body(k: usize) -> String {
    format!("Comment {k:05}: well said.")
}

/// The rows `bulk_insert` writes: row i (0-based) is `(bulk_name(i), bulk_hair(i))`.
pub fn bulk_name(i: usize) -> String {
    format!("Bulk {i:05}")
}

pub fn bulk_hair(i: usize) -> Option<&'static str> {
    i.is_multiple_of(2).then_some("green")
}

/// The names `update_by_pk` writes in one command.
pub fn update_names(job: &Job) -> Vec<String> {
    (0..job.ops).map(|i| format!("Upd {}-{i}", job.generation)).collect()
}

/// One row a `bulk_update` operation writes: `(id, name, hair_color)`.
pub type BulkUpdateRow = (i64, String, Option<&'static str>);

/// What every name operation `op` of `bulk_update` command `generation` writes starts with.
pub fn bulk_update_prefix(generation: u64, op: usize) -> String {
    format!("Bupd {generation}.{op} user ")
}

/// The name `bulk_update` operation `op` of command `generation` gives row `id`: new in
/// every operation, so every row really changes.
pub fn bulk_update_name(generation: u64, op: usize, id: i64) -> String {
    format!("{}{id}", bulk_update_prefix(generation, op))
}

/// The hair colour `bulk_update` gives row `id` in command `generation`: a third of the
/// rows become NULL, and which third moves with the generation.
pub fn bulk_update_hair(generation: u64, id: i64) -> Option<&'static str> {
    match (id as u64 + generation) % 3 {
        0 => None,
        1 => Some("teal"),
        _ => Some("plum"),
    }
}

/// The rows of `busers` with ids 1..=n and their new values, per operation of `job`:
/// built before the clock starts, as an application holds its models already.
pub fn bulk_update_rows(job: &Job) -> Vec<Vec<BulkUpdateRow>> {
    (0..job.ops)
        .map(|op| {
            (1..=job.n as i64)
                .map(|id| (id, bulk_update_name(job.generation, op, id), bulk_update_hair(job.generation, id)))
                .collect()
        })
        .collect()
}

fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn sequence(seed: u64, max: usize) -> Vec<i64> {
    let mut s = seed;
    (0..KEY_SEQUENCE).map(|_| (splitmix(&mut s) % max as u64) as i64 + 1).collect()
}

/// The ids `get_by_pk` looks up, in order (ids in 1..=USERS).
pub fn lookup_ids() -> Vec<i64> {
    sequence(0x5EED_0001, USERS)
}

/// The ids `update_by_pk` updates, in order (ids in 1..=UUSERS).
pub fn update_ids() -> Vec<i64> {
    sequence(0x5EED_0002, UUSERS)
}

/// One operation of `concurrent`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyOp {
    /// Look up the user `id` by primary key (one in 1..=USERS).
    Get(i64),
    /// `UPDATE uusers SET name = <name> WHERE id = <id>` (id in 1..=UUSERS).
    Update(i64, String),
}

/// Operation `i` of `concurrent`, a pure function of `i` and a fixed seed: an update one
/// time in five, otherwise a read; `(is_update, id)`.
pub fn concurrent_op(i: usize) -> (bool, i64) {
    let mut s = 0x5EED_0003 ^ (i as u64).wrapping_mul(0xD1B5_4A32_D192_ED03);
    let r = splitmix(&mut s);
    let (update, keys) = if r.is_multiple_of(5) { (true, UUSERS) } else { (false, USERS) };
    (update, ((r >> 8) % keys as u64) as i64 + 1)
}

/// The first `count` operations of `concurrent`; update names are unique per command, so
/// every update changes its row (MySQL counts changed rows only).
pub fn concurrent_ops(job: &Job, count: usize) -> Vec<KeyOp> {
    (0..count)
        .map(|i| match concurrent_op(i) {
            (true, id) => KeyOp::Update(id, format!("Con {}-{i}", job.generation)),
            (false, id) => KeyOp::Get(id),
        })
        .collect()
}

/// A seeded shuffle (Fisher–Yates with splitmix).
pub fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut s = seed;
    for i in (1..items.len()).rev() {
        let j = (splitmix(&mut s) % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}

fn tri(n: usize) -> u64 {
    (n as u64) * (n as u64 + 1) / 2
}

/// The `(rows, checksum)` operation `i` of `job` must produce, or `None` when the
/// orchestrator checks the table instead (bulk insert).
pub fn expected(job: &Job, i: usize, lookups: &[i64], updates: &[i64]) -> Option<(u64, u64)> {
    let n = job.n;
    Some(match job.workload {
        Workload::SelectAll => (n as u64, tri(n)),
        Workload::GetByPk => (1, lookups[i % lookups.len()] as u64),
        Workload::InsertOne => (1, i as u64 + 1),
        Workload::BulkInsert | Workload::BulkUpdate => (n as u64, 0),
        // Every row of `susers` (ids 1..=n), streamed: the ids summed.
        Workload::Stream1m => (n as u64, tri(n)),
        Workload::UpdateByPk => (1, updates[i % updates.len()] as u64),
        // Each of the first n users with its 10 posts: user ids counted once per post, plus post ids.
        Workload::MediumJoin => ((n * POSTS_PER_USER) as u64, POSTS_PER_USER as u64 * tri(n) + tri(n * POSTS_PER_USER)),
        // One group per user: sum of user_id * count.
        Workload::Aggregate => (n as u64, POSTS_PER_USER as u64 * tri(n)),
        // Users, then posts: user ids plus post ids.
        Workload::EagerLoad => ((n + n * POSTS_PER_USER) as u64, tri(n) + tri(n * POSTS_PER_USER)),
        // Users, their posts, and the posts' comments: every id once.
        Workload::EagerLoadNested => {
            let (posts, comments) = (n * POSTS_PER_USER, n * POSTS_PER_USER * COMMENTS_PER_POST);
            ((n + posts + comments) as u64, tri(n) + tri(posts) + tri(comments))
        }
        // A read finds its user, a write updates its one row: either way the key.
        Workload::Concurrent => (1, concurrent_op(i).1 as u64),
    })
}

/// Placeholder `k` (1-based) in a backend's syntax.
pub fn placeholder(backend: Backend, k: usize) -> String {
    match backend {
        Backend::Postgres => format!("${k}"),
        _ => "?".to_owned(),
    }
}

/// The SQL texts the raw floors and sqlx run, per backend. The ORMs render their own.
pub struct Sql {
    pub select_all: &'static str,
    pub get_by_pk: &'static str,
    pub insert_one: &'static str,
    pub update_by_pk: &'static str,
    pub medium_join: &'static str,
    pub aggregate: &'static str,
    pub eager_users: &'static str,
}

pub const PG_SQL: Sql = Sql {
    select_all: "SELECT id, name, hair_color FROM users WHERE id <= $1",
    get_by_pk: "SELECT id, name, hair_color FROM users WHERE id = $1",
    insert_one: "INSERT INTO wusers (name, hair_color) VALUES ($1, $2) RETURNING id",
    update_by_pk: "UPDATE uusers SET name = $1 WHERE id = $2",
    medium_join: "SELECT users.id, users.name, users.hair_color, posts.id, posts.user_id, posts.title, posts.body \
                  FROM users INNER JOIN posts ON posts.user_id = users.id WHERE users.id <= $1",
    aggregate: "SELECT user_id, COUNT(*) FROM posts WHERE user_id <= $1 GROUP BY user_id",
    eager_users: "SELECT id, name, hair_color FROM users WHERE id <= $1",
};

/// `?` placeholders; `insert_one` has RETURNING (SQLite ≥ 3.35). MySQL uses
/// [`MYSQL_INSERT_ONE`] and reads the id from the OK packet.
pub const QMARK_SQL: Sql = Sql {
    select_all: "SELECT id, name, hair_color FROM users WHERE id <= ?",
    get_by_pk: "SELECT id, name, hair_color FROM users WHERE id = ?",
    insert_one: "INSERT INTO wusers (name, hair_color) VALUES (?, ?) RETURNING id",
    update_by_pk: "UPDATE uusers SET name = ? WHERE id = ?",
    medium_join: "SELECT users.id, users.name, users.hair_color, posts.id, posts.user_id, posts.title, posts.body \
                  FROM users INNER JOIN posts ON posts.user_id = users.id WHERE users.id <= ?",
    aggregate: "SELECT user_id, COUNT(*) FROM posts WHERE user_id <= ? GROUP BY user_id",
    eager_users: "SELECT id, name, hair_color FROM users WHERE id <= ?",
};

/// What `stream_1m` reads: every row of `susers`, seeded with ids 1..=n for that cell only.
pub const STREAM_SQL: &str = "SELECT id, name, hair_color FROM susers";

/// The PostgreSQL raw floor of `bulk_update`: one statement joined to one array per column.
pub const PG_BULK_UPDATE: &str = "UPDATE busers SET name = v.name, hair_color = v.hair_color \
    FROM (SELECT * FROM UNNEST($1::int8[], $2::text[], $3::text[])) AS v (id, name, hair_color) \
    WHERE busers.id = v.id";

/// The SQLite raw floor of `bulk_update`: this statement once per row, in one transaction.
pub const SQLITE_BULK_UPDATE: &str = "UPDATE busers SET name = ?, hair_color = ? WHERE id = ?";

/// The MySQL raw floor of `bulk_update` for `rows` rows: the table joined to a derived
/// table of the new values, `UPDATE busers INNER JOIN (SELECT ? AS id, ? AS name, ? AS
/// hair_color UNION ALL SELECT ?, ?, ? …) AS v ON busers.id = v.id SET …`.
pub fn mysql_bulk_update_sql(rows: usize) -> String {
    let mut sql = String::from("UPDATE busers INNER JOIN (SELECT ? AS id, ? AS name, ? AS hair_color");
    for _ in 1..rows {
        sql.push_str(" UNION ALL SELECT ?, ?, ?");
    }
    sql.push_str(") AS v ON busers.id = v.id SET busers.name = v.name, busers.hair_color = v.hair_color");
    sql
}

/// A second MySQL raw floor of `bulk_update`, faster on MariaDB than the UNION ALL derived
/// table: the rows as one JSON parameter `[[id, name, hair_color], …]`, joined through
/// `JSON_TABLE` (MariaDB ≥ 10.6, MySQL ≥ 8.0.4).
pub const MYSQL_BULK_UPDATE_JSON: &str = "UPDATE busers INNER JOIN JSON_TABLE(?, '$[*]' COLUMNS (\
    id BIGINT PATH '$[0]', name VARCHAR(100) PATH '$[1]', hair_color VARCHAR(50) PATH '$[2]')) AS v \
    ON busers.id = v.id SET busers.name = v.name, busers.hair_color = v.hair_color";

/// `url` with mysql_async's `prefer_socket` off. By default mysql_async reads `@@socket`
/// after connecting and switches to the server's Unix socket, which saves about 10 µs a
/// round trip on this machine; the contenders that do not use mysql_async (and kakaorm,
/// which never follows a socket path announced by the server) stay on TCP, so the floor
/// and diesel-async are kept on TCP too: every contender measures the same transport.
pub fn mysql_tcp_url(url: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}prefer_socket=false")
}

pub const MYSQL_INSERT_ONE: &str = "INSERT INTO wusers (name, hair_color) VALUES (?, ?)";

pub fn sql(backend: Backend) -> &'static Sql {
    match backend {
        Backend::Postgres => &PG_SQL,
        _ => &QMARK_SQL,
    }
}

/// `SELECT … FROM posts WHERE user_id IN (…)` for `count` keys (PostgreSQL uses `= ANY($1)`).
pub fn eager_posts_sql(backend: Backend, count: usize) -> String {
    let head = "SELECT id, user_id, title, body FROM posts WHERE user_id";
    match backend {
        Backend::Postgres => format!("{head} = ANY($1)"),
        _ => format!("{head} IN ({})", vec!["?"; count.max(1)].join(", ")),
    }
}

/// `SELECT … FROM comments WHERE post_id IN (…)` for `count` keys (PostgreSQL: `= ANY($1)`).
pub fn eager_comments_sql(backend: Backend, count: usize) -> String {
    let head = "SELECT id, post_id, body FROM comments WHERE post_id";
    match backend {
        Backend::Postgres => format!("{head} = ANY($1)"),
        _ => format!("{head} IN ({})", vec!["?"; count.max(1)].join(", ")),
    }
}

/// A multi-row `INSERT INTO wusers (name, hair_color) VALUES (…), (…)` for `rows` rows.
pub fn multi_row_insert_sql(backend: Backend, rows: usize) -> String {
    let mut sql = String::from("INSERT INTO wusers (name, hair_color) VALUES ");
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        sql.push_str(&placeholder(backend, 2 * r + 1));
        sql.push_str(", ");
        sql.push_str(&placeholder(backend, 2 * r + 2));
        sql.push(')');
    }
    sql
}
