//! Creating and dropping tables; foreign-key actions.

use kakaorm::prelude::*;
use kakaorm::{Backend, ErrorKind};

use crate::models::*;

/// The expected value on PostgreSQL, MySQL or SQLite.
fn pinned<T>(backend: Backend, postgres: T, mysql: T, sqlite: T) -> T {
    if backend == Backend::Postgres {
        postgres
    } else if backend == Backend::Mysql {
        mysql
    } else {
        sqlite
    }
}

conformance! {
    async fn create_tables_in_fk_order_and_if_not_exists(db: Db) -> Result<()> {
        db.create_tables::<(Review, Post, User)>().await?;
        let again = db.create_table::<User>().await.unwrap_err();
        // The server's "already exists": PostgreSQL's 42P07, MySQL's 1050, SQLite's generic
        // SQLITE_ERROR (1) raised while preparing the statement.
        assert_eq!(again.kind(), ErrorKind::Database, "{again}");
        let expected = pinned(db.backend(), Some("42P07"), Some("1050"), Some("1"));
        assert_eq!(again.db_error().map(|d| d.code.as_str()), expected, "{again}");
        assert!(again.to_string().contains("already exists"), "{again}");
        db.create_tables_if_not_exists::<(User, Post, Review)>().await?;
        db.create_table_if_not_exists::<User>().await?;
        let u = user(&db, "Fk", 1).await?;
        let p = Post::create().user_id(u.id).title("t").exec(&db).await?;
        Review::create().reviewer_id(u.id).post_id(p.id).stars(5).exec(&db).await?;
        db.drop_table::<Review>().await?;
        db.drop_table_if_exists::<Review>().await?;
        let missing = db.drop_table::<Review>().await.unwrap_err();
        assert_eq!(missing.kind(), ErrorKind::Database, "{missing}");
        let expected = pinned(db.backend(), Some("42P01"), Some("1051"), Some("1"));
        assert_eq!(missing.db_error().map(|d| d.code.as_str()), expected, "{missing}");
        let says = pinned(db.backend(), "does not exist", "Unknown table", "no such table");
        assert!(missing.to_string().contains(says), "{missing}");
        db.create_table::<Review>().await?;
        assert_eq!(Review::count(&db).await?, 0);
        Ok(())
    }

    async fn foreign_key_actions(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        let author = user(&db, "Author", 1).await?;
        let critic = user(&db, "Critic", 2).await?;
        let post = Post::create().user_id(author.id).title("p").exec(&db).await?;
        let review = Review::create().reviewer_id(critic.id).post_id(post.id).stars(3).exec(&db).await?;
        // SET NULL
        critic.delete(&db).await?;
        assert_eq!(Review::find(review.id, &db).await?.expect("review").reviewer_id, None);
        // RESTRICT
        let err = post.delete(&db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ForeignKeyViolation, "{err}");
        review.delete(&db).await?;
        // CASCADE
        author.delete(&db).await?;
        assert_eq!(Post::count(&db).await?, 0);
        Ok(())
    }

    /// InnoDB has no ON DELETE SET DEFAULT, so MySQL refuses the model with Unsupported
    /// before creating anything; PostgreSQL and SQLite honour it.
    async fn set_default_foreign_keys(db: Db) -> Result<()> {
        #[derive(Model, Debug)]
        #[kakaorm(table = "owners")]
        struct Owner {
            id: i64,
        }
        #[derive(Model, Debug)]
        #[kakaorm(table = "pets")]
        struct Pet {
            id: i64,
            #[kakaorm(references = Owner, on_delete = "set default", default = 1)]
            owner_id: i64,
        }
        db.create_table::<Owner>().await?;
        let created = db.create_table::<Pet>().await;
        if db.backend() != Backend::Mysql {
            created?;
            Owner::create().exec(&db).await?;
            let second = Owner::create().exec(&db).await?;
            let pet = Pet::create().owner_id(second.id).exec(&db).await?;
            second.delete(&db).await?;
            assert_eq!(Pet::find(pet.id, &db).await?.expect("pet").owner_id, 1);
        } else {
            assert_eq!(created.unwrap_err().kind(), ErrorKind::Unsupported);
            assert!(Pet::count(&db).await.is_err(), "no table was created");
        }
        Ok(())
    }
}
