//! Tables and models, as diesel declares them.

use diesel::prelude::*;
use protocol::{PostRow, UserRow};

diesel::table! {
    users (id) {
        id -> BigInt,
        name -> Varchar,
        hair_color -> Nullable<Varchar>,
    }
}

diesel::table! {
    posts (id) {
        id -> BigInt,
        user_id -> BigInt,
        title -> Varchar,
        body -> Nullable<Text>,
    }
}

diesel::table! {
    wusers (id) {
        id -> BigInt,
        name -> Varchar,
        hair_color -> Nullable<Varchar>,
    }
}

diesel::table! {
    uusers (id) {
        id -> BigInt,
        name -> Varchar,
        hair_color -> Nullable<Varchar>,
    }
}

diesel::joinable!(posts -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(users, posts);

#[derive(Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub hair_color: Option<String>,
}

#[derive(Debug, Queryable, Selectable, Identifiable, Associations)]
#[diesel(table_name = posts, belongs_to(User))]
pub struct Post {
    pub id: i64,
    pub user_id: i64,
    pub title: String,
    pub body: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = wusers, treat_none_as_default_value = false)]
pub struct NewUser<'a> {
    pub name: &'a str,
    pub hair_color: Option<&'a str>,
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
