//! The benchmark's tables as kakaorm models.

use kakaorm::prelude::*;
use kakaorm::relation::HasMany;

/// A model over one of the three tables shaped `users(id, name, hair_color NULL)`.
macro_rules! user_table {
    ($(#[$doc:meta])* $model:ident, $table:literal) => {
        $(#[$doc])*
        #[derive(Model, Debug)]
        #[kakaorm(table = $table)]
        pub struct $model {
            pub id: i64,
            #[kakaorm(max_length = 100)]
            pub name: String,
            #[kakaorm(max_length = 50)]
            pub hair_color: Option<String>,
        }
    };
}

user_table!(
    /// The table `select_all`, `get_by_pk` and the joins read.
    User,
    "users"
);
user_table!(
    /// The table `insert_one` and `bulk_insert` write to.
    WUser,
    "wusers"
);
user_table!(
    /// The table `update_by_pk` writes to.
    UUser,
    "uusers"
);
user_table!(
    /// The table `bulk_update` writes to.
    BUser,
    "busers"
);
user_table!(
    /// The table `stream_1m` reads.
    SUser,
    "susers"
);

/// The joined and aggregated table.
#[derive(Model, Debug)]
#[kakaorm(table = "posts")]
pub struct Post {
    pub id: i64,
    #[kakaorm(references = User)]
    pub user_id: i64,
    #[kakaorm(max_length = 200)]
    pub title: String,
    pub body: Option<String>,
}

/// A model over `users` with its posts as a relation of type `$posts`.
macro_rules! users_with_posts {
    ($(#[$doc:meta])* $model:ident, $posts:ty) => {
        $(#[$doc])*
        #[derive(Model, Debug)]
        #[kakaorm(table = "users")]
        pub struct $model {
            pub id: i64,
            #[kakaorm(max_length = 100)]
            pub name: String,
            #[kakaorm(max_length = 50)]
            pub hair_color: Option<String>,
            #[kakaorm(has_many, foreign_key = "user_id")]
            pub posts: HasMany<$posts>,
        }
    };
}

users_with_posts!(
    /// The users of `eager_load`, with their posts as a relation.
    EagerUser,
    Post
);
users_with_posts!(
    /// The users of `eager_load_nested`: posts, then each post's comments.
    NestedUser,
    NestedPost
);

/// A post with its comments as a relation.
#[derive(Model, Debug)]
#[kakaorm(table = "posts")]
pub struct NestedPost {
    pub id: i64,
    #[kakaorm(references = User)]
    pub user_id: i64,
    #[kakaorm(max_length = 200)]
    pub title: String,
    pub body: Option<String>,
    #[kakaorm(has_many, foreign_key = "post_id")]
    pub comments: HasMany<Comment>,
}

/// The comments of `eager_load_nested`.
#[derive(Model, Debug)]
#[kakaorm(table = "comments")]
pub struct Comment {
    pub id: i64,
    #[kakaorm(references = NestedPost)]
    pub post_id: i64,
    pub body: String,
}
