//! A real demo on embedded SQLite: create tables, write, query, update, print.
//!
//! Run it with `cargo run --example quickstart`. No setup is needed.

use kakaorm::prelude::*;
use kakaorm::relation::{BelongsTo, HasMany, ManyToMany};

#[derive(Model, Debug, Clone, serde::Serialize)]
#[kakaorm(table = "users", unique = "name, email")]
struct User {
    id: i64,
    #[kakaorm(max_length = 50)]
    name: String,
    #[kakaorm(unique, max_length = 100)]
    email: Option<String>,
    #[kakaorm(default = 0, check = "age >= 0")]
    age: i32,
    #[kakaorm(auto_now_add)]
    created_at: DateTime<Utc>,
    /// Not a column: filled by `prefetch` or `load`.
    #[kakaorm(has_many)]
    #[serde(skip)]
    posts: HasMany<Post>,
}

#[derive(Model, Debug, Clone)]
#[kakaorm(table = "posts")]
struct Post {
    id: i64,
    #[kakaorm(references = User, on_delete = "cascade")]
    user_id: i64,
    #[kakaorm(max_length = 200)]
    title: String,
    #[kakaorm(default = true)]
    published: bool,
    #[kakaorm(belongs_to, foreign_key = "user_id")]
    author: BelongsTo<User>,
    #[kakaorm(many_to_many, through = PostTag)]
    tags: ManyToMany<Tag>,
}

#[derive(Model, Debug, Clone)]
#[kakaorm(table = "tags")]
struct Tag {
    id: i64,
    #[kakaorm(max_length = 30, unique)]
    name: String,
}

/// The join model of posts and tags.
#[derive(Model, Debug, Clone)]
#[kakaorm(table = "post_tags", unique = "post_id, tag_id")]
struct PostTag {
    id: i64,
    #[kakaorm(references = Post, on_delete = "cascade")]
    post_id: i64,
    #[kakaorm(references = Tag, on_delete = "cascade")]
    tag_id: i64,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> kakaorm::Result<()> {
    let db = kakaorm::connect("sqlite::memory:").await?;
    db.create_tables::<(User, Post, Tag, PostTag)>().await?;

    let alice = User::create().name("Alice").age(30).email("alice@example.com").exec(&db).await?;
    let bob = User::create().name("Bob").age(17).exec(&db).await?;
    User::create().name("Carol").age(45).exec(&db).await?;
    println!("created {} (id {}), {} (id {}), created_at {}", alice.name, alice.id, bob.name, bob.id, alice.created_at);

    for title in ["Hello, kakaorm", "Typed queries", "Transactions"] {
        Post::create().user_id(alice.id).title(title).exec(&db).await?;
    }

    let adults = User::filter(User::age.ge(18) & !User::name.like("C%")).order_by(User::age.desc()).all(&db).await?;
    println!("adults not starting with C: {:?}", adults.iter().map(|u| &u.name).collect::<Vec<_>>());

    let posts = Post::filter(Post::user_id.eq(alice.id)).count(&db).await?;
    println!("alice has {posts} posts");

    let per_author: Vec<(i64, i64)> =
        Post::query().select((Post::user_id, count())).group_by(Post::user_id).all(&db).await?;
    println!("posts per author id: {per_author:?}");

    let titles =
        User::query().join(Post::user_id, User::id).filter_joined(Post::title.contains("kakaorm")).all(&db).await?;
    for (author, post) in &titles {
        println!("{} wrote {:?}", author.name, post.title);
    }

    let tags = ["rust", "orm", "async"].map(|t| Post::create().user_id(bob.id).title(format!("#{t}")));
    println!("bulk-created {} posts", Post::bulk_create(tags, &db).await?);

    // Relations: one statement per level, never one per row.
    let rust = Tag::create().name("rust").exec(&db).await?;
    let orm = Tag::create().name("orm").exec(&db).await?;
    let first = Post::get(Post::title.eq("Hello, kakaorm"), &db).await?;
    Post::tags.add(&first, [rust.id, orm.id], &db).await?;
    let authors = User::query()
        .order_by(User::name)
        .prefetch(User::posts.order_by(Post::title).prefetch(Post::tags.order_by(Tag::name)))
        .all(&db)
        .await?;
    for author in &authors {
        for post in author.posts.get()? {
            let tags: Vec<&str> = post.tags.get()?.iter().map(|t| t.name.as_str()).collect();
            println!("{} / {:?} tagged {tags:?}", author.name, post.title);
        }
    }
    let mut post = Post::get(Post::title.eq("#rust"), &db).await?;
    post.load(Post::author, &db).await?;
    println!("{:?} was written by {}", post.title, post.author.get()?.name);
    println!(
        "alice's posts about kakaorm: {}",
        User::posts.of(&alice).filter(Post::title.contains("kakaorm")).count(&db).await?
    );

    let tx = db.begin().await?;
    let raised = User::filter(User::age.lt(18)).update().set(User::age, 18).exec(&tx).await?;
    tx.commit().await?;
    println!("raised {raised} user(s) to 18");

    match User::get(User::name.eq("Zed"), &db).await {
        Err(e) if e.kind() == kakaorm::ErrorKind::NotFound => println!("no Zed: {e}"),
        other => println!("unexpected: {other:?}"),
    }

    let too_long = User::create().name("x".repeat(51)).exec(&db).await.unwrap_err();
    println!("refused before writing: {too_long}");

    alice.delete(&db).await?;
    println!("after deleting alice: {} users, {} posts (cascade)", User::count(&db).await?, Post::count(&db).await?);
    println!("bob as JSON: {}", serde_json::to_string(&User::find(bob.id, &db).await?).unwrap_or_default());
    db.close().await;
    Ok(())
}
