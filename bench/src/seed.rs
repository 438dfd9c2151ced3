//! The schema and seed rows, as SQL the raw drivers run (untimed).

use protocol::{
    BUSERS, Backend, COMMENTS, POSTS, USERS, UUSERS, comment_body, comment_post, hair_color, post_body, post_title,
    post_user, user_name,
};

/// The tables every contender gets a copy of.
pub const TABLES: [&str; 6] = ["users", "posts", "comments", "uusers", "busers", "susers"];

/// `CREATE TABLE` statements; `{s}` is the schema/database prefix (`kb_x.`, or empty).
pub fn ddl(backend: Backend, s: &str) -> Vec<String> {
    let user_table = |t: &str| match backend {
        Backend::Postgres => {
            format!(
                "CREATE TABLE {s}{t} (id BIGSERIAL PRIMARY KEY, name VARCHAR(100) NOT NULL, hair_color VARCHAR(50))"
            )
        }
        Backend::Mysql => format!(
            "CREATE TABLE {s}{t} (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL, \
             hair_color VARCHAR(50) NULL) ENGINE=InnoDB"
        ),
        Backend::Sqlite => {
            format!("CREATE TABLE {s}{t} (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL, hair_color VARCHAR(50))")
        }
    };
    let posts = match backend {
        Backend::Postgres => format!(
            "CREATE TABLE {s}posts (id BIGSERIAL PRIMARY KEY, user_id BIGINT NOT NULL REFERENCES {s}users (id), \
             title VARCHAR(200) NOT NULL, body TEXT)"
        ),
        Backend::Mysql => format!(
            "CREATE TABLE {s}posts (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, user_id BIGINT NOT NULL, \
             title VARCHAR(200) NOT NULL, body TEXT NULL, FOREIGN KEY (user_id) REFERENCES {s}users (id)) ENGINE=InnoDB"
        ),
        Backend::Sqlite => {
            "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id BIGINT NOT NULL REFERENCES users (id), \
                            title VARCHAR(200) NOT NULL, body TEXT)"
                .to_owned()
        }
    };
    let comments = match backend {
        Backend::Postgres => format!(
            "CREATE TABLE {s}comments (id BIGSERIAL PRIMARY KEY, post_id BIGINT NOT NULL REFERENCES {s}posts (id), \
             body TEXT NOT NULL)"
        ),
        Backend::Mysql => format!(
            "CREATE TABLE {s}comments (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, post_id BIGINT NOT NULL, \
             body TEXT NOT NULL, FOREIGN KEY (post_id) REFERENCES {s}posts (id)) ENGINE=InnoDB"
        ),
        Backend::Sqlite => {
            "CREATE TABLE comments (id INTEGER PRIMARY KEY, post_id BIGINT NOT NULL REFERENCES posts (id), \
                            body TEXT NOT NULL)"
                .to_owned()
        }
    };
    let mut out = vec![
        user_table("users"),
        posts,
        comments,
        user_table("wusers"),
        user_table("uusers"),
        user_table("busers"),
        user_table("susers"),
    ];
    if backend != Backend::Mysql {
        out.push(format!("CREATE INDEX posts_user_id_idx ON {s}posts (user_id)"));
        out.push(format!("CREATE INDEX comments_post_id_idx ON {s}comments (post_id)"));
    }
    out
}

fn lit(v: Option<&str>) -> String {
    v.map_or_else(|| "NULL".to_owned(), |v| format!("'{v}'"))
}

fn chunked(head: &str, rows: impl Iterator<Item = String>) -> Vec<String> {
    let rows: Vec<String> = rows.collect();
    rows.chunks(1000).map(|c| format!("{head} VALUES {}", c.join(", "))).collect()
}

fn user_row(i: usize) -> String {
    format!("({i}, '{}', {})", user_name(i), lit(hair_color(i)))
}

/// `INSERT` statements with the seed rows (values are generated, never user input).
pub fn rows(s: &str) -> Vec<String> {
    let mut out = chunked(&format!("INSERT INTO {s}users (id, name, hair_color)"), (1..=USERS).map(user_row));
    out.extend(chunked(
        &format!("INSERT INTO {s}posts (id, user_id, title, body)"),
        (1..=POSTS).map(|j| format!("({j}, {}, '{}', {})", post_user(j), post_title(j), lit(post_body(j).as_deref()))),
    ));
    out.extend(chunked(
        &format!("INSERT INTO {s}comments (id, post_id, body)"),
        (1..=COMMENTS).map(|k| format!("({k}, {}, '{}')", comment_post(k), comment_body(k))),
    ));
    out.extend(chunked(&format!("INSERT INTO {s}uusers (id, name, hair_color)"), (1..=UUSERS).map(user_row)));
    out.extend(chunked(&format!("INSERT INTO {s}busers (id, name, hair_color)"), (1..=BUSERS).map(user_row)));
    out
}

/// Multi-row `INSERT` statements filling `susers` with `n` users-shaped rows (MySQL and
/// SQLite; run inside one transaction). PostgreSQL uses [`stream_arrays`] with UNNEST.
pub fn stream_rows(s: &str, n: usize) -> Vec<String> {
    chunked(&format!("INSERT INTO {s}susers (id, name, hair_color)"), (1..=n).map(user_row))
}

/// The rows of `susers` as three arrays (ids, names, hair colours), `chunk` rows at a time.
pub fn stream_arrays(
    n: usize,
    chunk: usize,
) -> impl Iterator<Item = (Vec<i64>, Vec<String>, Vec<Option<&'static str>>)> {
    (1..=n).step_by(chunk).map(move |start| {
        let ids = start..=(start + chunk - 1).min(n);
        (ids.clone().map(|i| i as i64).collect(), ids.clone().map(user_name).collect(), ids.map(hair_color).collect())
    })
}

/// Statements that copy the seed from schema `from` into schema `to` (same backend).
pub fn copy(from: &str, to: &str) -> Vec<String> {
    TABLES.iter().map(|t| format!("INSERT INTO {to}.{t} SELECT * FROM {from}.{t}")).collect()
}
