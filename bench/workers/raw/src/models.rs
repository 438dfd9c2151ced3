//! The structs rows are decoded into. Fields other than ids are decoded, not read.
#![allow(dead_code)]

use protocol::{CommentRow, PostRow, UserRow, WithComments};

#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub hair_color: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Post {
    pub id: i64,
    pub user_id: i64,
    pub title: String,
    pub body: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Comment {
    pub id: i64,
    pub post_id: i64,
    pub body: String,
}

impl CommentRow for Comment {
    fn id(&self) -> i64 {
        self.id
    }
    fn post_id(&self) -> i64 {
        self.post_id
    }
}

impl UserRow for User {
    fn id(&self) -> i64 {
        self.id
    }
}

impl PostRow for Post {
    fn id(&self) -> i64 {
        self.id
    }
    fn user_id(&self) -> i64 {
        self.user_id
    }
}

/// Attaches posts to their users (users in any order), as an eager loader does.
pub fn attach(users: Vec<User>, posts: Vec<Post>) -> Vec<(User, Vec<Post>)> {
    let index: std::collections::HashMap<i64, usize> = users.iter().enumerate().map(|(i, u)| (u.id, i)).collect();
    let mut out: Vec<(User, Vec<Post>)> = users.into_iter().map(|u| (u, Vec::new())).collect();
    for p in posts {
        if let Some(&i) = index.get(&p.user_id) {
            out[i].1.push(p);
        }
    }
    out
}

/// Attaches comments to their posts, then posts to their users: a two-level eager load.
pub fn attach_nested(
    users: Vec<User>,
    posts: Vec<Post>,
    comments: Vec<Comment>,
) -> Vec<(User, WithComments<Post, Comment>)> {
    let index: std::collections::HashMap<i64, usize> = posts.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
    let mut with_comments: Vec<(Post, Vec<Comment>)> = posts.into_iter().map(|p| (p, Vec::new())).collect();
    for c in comments {
        if let Some(&i) = index.get(&c.post_id) {
            with_comments[i].1.push(c);
        }
    }
    let index: std::collections::HashMap<i64, usize> = users.iter().enumerate().map(|(i, u)| (u.id, i)).collect();
    let mut out: Vec<(User, WithComments<Post, Comment>)> = users.into_iter().map(|u| (u, Vec::new())).collect();
    for pc in with_comments {
        if let Some(&i) = index.get(&pc.0.user_id) {
            out[i].1.push(pc);
        }
    }
    out
}
