//! Turning an operation's result into `(rows, checksum)`, outside the timed region.

/// A decoded `users`-shaped row.
pub trait UserRow {
    fn id(&self) -> i64;
}

/// A decoded `posts` row.
pub trait PostRow {
    fn id(&self) -> i64;
    fn user_id(&self) -> i64;
}

/// A comment and the post it belongs to.
pub trait CommentRow {
    fn id(&self) -> i64;
    fn post_id(&self) -> i64;
}

/// One row of the join: a user and one of its posts.
pub trait JoinRow {
    fn user_id(&self) -> i64;
    fn post_id(&self) -> i64;
    fn post_user_id(&self) -> i64;
}

impl<U: UserRow, P: PostRow> JoinRow for (U, P) {
    fn user_id(&self) -> i64 {
        self.0.id()
    }
    fn post_id(&self) -> i64 {
        self.1.id()
    }
    fn post_user_id(&self) -> i64 {
        self.1.user_id()
    }
}

/// A left-join shape (SeaORM's `select_also`): a missing post fails the check.
impl<U: UserRow, P: PostRow> JoinRow for (U, Option<P>) {
    fn user_id(&self) -> i64 {
        self.0.id()
    }
    fn post_id(&self) -> i64 {
        self.1.as_ref().map_or(0, |p| p.id())
    }
    fn post_user_id(&self) -> i64 {
        self.1.as_ref().map_or(-1, |p| p.user_id())
    }
}

/// What an operation returned, reduced to a row count and an id checksum.
pub trait Check {
    fn check(&self) -> Result<(u64, u64), String>;
}

/// Rows of `users` (select_all).
pub struct Rows<T>(pub Vec<T>);
/// One row or none (get_by_pk).
pub struct Id<T>(pub Option<T>);
/// The id an insert returned.
pub struct Inserted(pub i64);
/// The rows a bulk insert reported.
pub struct Bulk(pub u64);
/// What a streamed read left behind: rows seen and the sum of their ids (nothing kept).
#[derive(Debug, Default)]
pub struct Streamed {
    pub rows: u64,
    pub id_sum: u64,
}

impl Streamed {
    /// Counts `row` and adds its id.
    pub fn add(&mut self, row: &impl UserRow) {
        self.rows += 1;
        self.id_sum += row.id() as u64;
    }
}

/// Rows affected by an update of the row `id`.
pub struct Updated {
    pub affected: u64,
    pub id: i64,
}
/// Joined rows.
pub struct Joined<T>(pub Vec<T>);
/// `(user_id, count)` groups.
pub struct Grouped(pub Vec<(i64, i64)>);
/// Users with their posts.
pub struct Eager<U, P>(pub Vec<(U, Vec<P>)>);
/// Users with their posts, each with its comments.
pub struct Nested<U, P, C>(pub Vec<(U, WithComments<P, C>)>);
/// A user's posts, each with its comments.
pub type WithComments<P, C> = Vec<(P, Vec<C>)>;

impl<T: UserRow> Check for Rows<T> {
    fn check(&self) -> Result<(u64, u64), String> {
        Ok((self.0.len() as u64, self.0.iter().map(|u| u.id() as u64).sum()))
    }
}

impl<T: UserRow> Check for Id<T> {
    fn check(&self) -> Result<(u64, u64), String> {
        Ok(self.0.as_ref().map_or((0, 0), |u| (1, u.id() as u64)))
    }
}

impl Check for Inserted {
    fn check(&self) -> Result<(u64, u64), String> {
        Ok((1, self.0 as u64))
    }
}

impl Check for Bulk {
    fn check(&self) -> Result<(u64, u64), String> {
        Ok((self.0, 0))
    }
}

impl Check for Streamed {
    fn check(&self) -> Result<(u64, u64), String> {
        Ok((self.rows, self.id_sum))
    }
}

impl Check for Updated {
    fn check(&self) -> Result<(u64, u64), String> {
        Ok((self.affected, if self.affected == 1 { self.id as u64 } else { 0 }))
    }
}

impl<T: JoinRow> Check for Joined<T> {
    fn check(&self) -> Result<(u64, u64), String> {
        let mut sum = 0u64;
        for r in &self.0 {
            if r.user_id() != r.post_user_id() {
                return Err(format!("join paired user {} with a post of user {}", r.user_id(), r.post_user_id()));
            }
            sum += r.user_id() as u64 + r.post_id() as u64;
        }
        Ok((self.0.len() as u64, sum))
    }
}

impl Check for Grouped {
    fn check(&self) -> Result<(u64, u64), String> {
        Ok((self.0.len() as u64, self.0.iter().map(|(u, c)| (*u as u64) * (*c as u64)).sum()))
    }
}

impl<U: UserRow, P: PostRow> Check for Eager<U, P> {
    fn check(&self) -> Result<(u64, u64), String> {
        let (mut rows, mut sum) = (0u64, 0u64);
        for (u, posts) in &self.0 {
            rows += 1 + posts.len() as u64;
            sum += u.id() as u64;
            for p in posts {
                if p.user_id() != u.id() {
                    return Err(format!("user {} was given a post of user {}", u.id(), p.user_id()));
                }
                sum += p.id() as u64;
            }
        }
        Ok((rows, sum))
    }
}

impl<U: UserRow, P: PostRow, C: CommentRow> Check for Nested<U, P, C> {
    fn check(&self) -> Result<(u64, u64), String> {
        let (mut rows, mut sum) = (0u64, 0u64);
        for (u, posts) in &self.0 {
            rows += 1;
            sum += u.id() as u64;
            for (p, comments) in posts {
                if p.user_id() != u.id() {
                    return Err(format!("user {} was given a post of user {}", u.id(), p.user_id()));
                }
                rows += 1 + comments.len() as u64;
                sum += p.id() as u64;
                for c in comments {
                    if c.post_id() != p.id() {
                        return Err(format!("post {} was given a comment of post {}", p.id(), c.post_id()));
                    }
                    sum += c.id() as u64;
                }
            }
        }
        Ok((rows, sum))
    }
}
