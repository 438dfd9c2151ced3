//! Type aliases pass the option checks when they resolve to the right type, and handles
//! and setters take the visibility of their field.

mod models {
    use kakaorm::Model;

    pub type Name = String;
    pub type Key = i64;

    #[derive(Model)]
    pub struct BlogPost {
        pub id: Key,
        #[kakaorm(max_length = 20)]
        pub title: Name,
        pub(crate) draft: bool,
        secret: Option<String>,
    }

    pub fn secret_handle() -> &'static str {
        BlogPost::secret.name()
    }
}

use kakaorm::Model;
use models::BlogPost;

fn main() {
    assert_eq!(BlogPost::SCHEMA.name, "blog_post");
    assert!(BlogPost::SCHEMA.pk().auto_increment);
    assert_eq!(BlogPost::title.name(), "title");
    assert_eq!(BlogPost::draft.name(), "draft");
    assert_eq!(models::secret_handle(), "secret");
    let _builder = BlogPost::create().title("Hello").draft(true);
}
