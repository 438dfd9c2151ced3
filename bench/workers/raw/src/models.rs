//! The structs rows are decoded into. Fields other than ids are decoded, not read.
#![allow(dead_code)]

use protocol::{PostRow, UserRow};

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
