//! Archive cascades through a diamond (a row reached by two paths) and a cycle (rows that
//! reference each other): each row is archived once, and everything comes back (a cycle
//! on PostgreSQL and SQLite only).

use kakaorm::prelude::*;

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "ac_hubs", archive)]
pub struct Hub {
    pub id: i64,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "ac_lefts", archive)]
pub struct Left {
    pub id: i64,
    #[kakaorm(references = Hub, on_delete = "cascade")]
    pub hub_id: i64,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "ac_rights", archive)]
pub struct Right {
    pub id: i64,
    #[kakaorm(references = Hub, on_delete = "cascade")]
    pub hub_id: i64,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "ac_leaves", archive)]
pub struct Leaf {
    pub id: i64,
    #[kakaorm(references = Left, on_delete = "cascade")]
    pub left_id: i64,
    #[kakaorm(references = Right, on_delete = "cascade")]
    pub right_id: i64,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "ac_nodes", archive)]
pub struct Node {
    pub id: i64,
    #[kakaorm(references = Self, on_delete = "cascade")]
    pub parent_id: Option<i64>,
    #[kakaorm(max_length = 10)]
    pub label: String,
}

async fn archived(db: &Db, table: &str) -> kakaorm::Result<Vec<i64>> {
    db.fetch_raw(&format!("SELECT id FROM archive_{table} ORDER BY id"), vec![]).await
}

conformance! {
    async fn a_diamond_archives_its_shared_leaf_once(db: Db) -> Result<()> {
        db.create_tables::<(Hub, Left, Right, Leaf)>().await?;
        let hub = Hub::create().exec(&db).await?;
        let other = Hub::create().exec(&db).await?;
        let left = Left::create().hub_id(hub.id).exec(&db).await?;
        let right = Right::create().hub_id(hub.id).exec(&db).await?;
        let elsewhere = Right::create().hub_id(other.id).exec(&db).await?;
        let shared = Leaf::create().left_id(left.id).right_id(right.id).exec(&db).await?;
        // Reached through `left` only: its other parent lives on under another hub.
        let half = Leaf::create().left_id(left.id).right_id(elsewhere.id).exec(&db).await?;
        assert_eq!(hub.delete(&db).await?, 1);
        assert_eq!(archived(&db, "ac_leaves").await?, [shared.id, half.id]);
        assert_eq!(archived(&db, "ac_lefts").await?, [left.id]);
        assert_eq!(archived(&db, "ac_rights").await?, [right.id]);
        assert_eq!(Leaf::count(&db).await?, 0);
        assert_eq!(Right::count(&db).await?, 1);
        assert_eq!(Leaf::query().include_deleted().count(&db).await?, 2);
        Ok(())
    }

    async fn a_cycle_archives_each_row_once_and_restores(db: Db) -> Result<()> {
        db.create_table::<Node>().await?;
        let a = Node::create().label("a").exec(&db).await?;
        let b = Node::create().parent_id(a.id).label("b").exec(&db).await?;
        let c = Node::create().parent_id(b.id).label("c").exec(&db).await?;
        let d = Node::create().label("d").exec(&db).await?;
        // a -> b -> c -> a: a cycle through the self-reference.
        Node::filter(Node::id.eq(a.id)).update().set(Node::parent_id, Some(c.id)).exec(&db).await?;
        assert_eq!(b.delete(&db).await?, 1);
        assert_eq!(archived(&db, "ac_nodes").await?, [a.id, b.id, c.id]);
        assert_eq!(Node::query().all(&db).await?.into_iter().map(|n| n.id).collect::<Vec<_>>(), [d.id]);
        // The whole cycle comes back in one restore (its rows are each other's parents),
        // except on MySQL, which checks each row's key as it is inserted: nothing changes.
        let restored = Node::query().only_deleted().restore(&db).await;
        if db.backend() == kakaorm::Backend::Mysql {
            assert_eq!(restored.map_err(|e| e.kind()), Err(kakaorm::ErrorKind::ForeignKeyViolation));
            assert_eq!(archived(&db, "ac_nodes").await?, [a.id, b.id, c.id]);
            assert_eq!(Node::count(&db).await?, 1);
            return Ok(());
        }
        assert_eq!(restored?, 3);
        let mut back: Vec<(String, Option<i64>)> =
            Node::query().all(&db).await?.into_iter().map(|n| (n.label, n.parent_id)).collect();
        back.sort();
        let expected = [("a", Some(c.id)), ("b", Some(a.id)), ("c", Some(b.id)), ("d", None)];
        assert_eq!(back, expected.map(|(l, p)| (l.to_owned(), p)));
        assert!(archived(&db, "ac_nodes").await?.is_empty());
        Ok(())
    }
}
