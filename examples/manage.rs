//! A `manage` binary: the kakaorm command line for this project's models.
//!
//! ```text
//! cargo run --example manage -- init
//! DATABASE_URL=sqlite://app.db?mode=rwc cargo run --example manage -- makemigrations create_blog
//! DATABASE_URL=sqlite://app.db?mode=rwc cargo run --example manage -- migrate
//! DATABASE_URL=sqlite://app.db?mode=rwc cargo run --example manage -- showmigrations
//! DATABASE_URL=sqlite://app.db?mode=rwc cargo run --example manage -- migrate --down 1
//! ```

use kakaorm::prelude::*;

/// An author.
#[derive(Model, Debug)]
#[kakaorm(table = "authors")]
pub struct Author {
    pub id: i64,
    #[kakaorm(max_length = 50)]
    pub name: String,
}

/// A post by an author.
#[derive(Model, Debug)]
#[kakaorm(table = "posts")]
pub struct Post {
    pub id: i64,
    #[kakaorm(references = Author, on_delete = "cascade")]
    pub author_id: i64,
    #[kakaorm(max_length = 200)]
    pub title: String,
    #[kakaorm(auto_now_add)]
    pub created_at: DateTime<Utc>,
}

fn main() {
    kakaorm_cli::run::<(Author, Post)>()
}
