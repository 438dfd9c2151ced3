//! Round trips of a prefetch tree: on PostgreSQL every prefetch of a query (siblings and
//! nested levels) goes out pipelined, so the query and all its prefetches cost two round
//! trips whatever the depth; MySQL sends each level on its own, one round trip per
//! statement.
//!
//! A proxy counts the round trips: it holds each server reply for a moment before passing
//! it on, so requests the client sends without waiting for a reply all reach the proxy
//! before any reply leaves it, and it counts each run of client bytes that follows a reply.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use kakaorm::prelude::*;
use kakaorm::relation::{BelongsTo, HasMany, HasOne};

use crate::harness::Backend;
use crate::proxy::upstream_of;
use crate::support::run_isolated;

#[derive(Model, Debug, Clone)]
#[kakaorm(table = "rt_owners")]
pub struct Owner {
    pub id: i64,
    pub name: String,
    #[kakaorm(has_many)]
    pub pets: HasMany<Pet>,
    #[kakaorm(has_one)]
    pub card: HasOne<Card>,
}

#[derive(Model, Debug, Clone)]
#[kakaorm(table = "rt_pets")]
pub struct Pet {
    pub id: i64,
    #[kakaorm(references = Owner)]
    pub owner_id: i64,
    #[kakaorm(has_many)]
    pub toys: HasMany<Toy>,
    #[kakaorm(belongs_to)]
    pub owner: BelongsTo<Owner>,
}

#[derive(Model, Debug, Clone)]
#[kakaorm(table = "rt_toys")]
pub struct Toy {
    pub id: i64,
    #[kakaorm(references = Pet)]
    pub pet_id: i64,
}

#[derive(Model, Debug, Clone)]
#[kakaorm(table = "rt_cards")]
pub struct Card {
    pub id: i64,
    #[kakaorm(references = Owner)]
    pub owner_id: i64,
}

/// Loads owners with their card, pets, each pet's toys and owner: five statements.
async fn load_tree(db: &Db) -> kakaorm::Result<Vec<Owner>> {
    Owner::query()
        .order_by(Owner::id)
        .prefetch(Owner::pets.prefetch(Pet::toys).prefetch(Pet::owner))
        .prefetch(Owner::card)
        .all(db)
        .await
}

async fn round_trips(backend: Backend, url: String, direct: Db, expected: u64) {
    direct.create_tables::<(Owner, Pet, Toy, Card)>().await.expect("schema");
    for i in 0..3 {
        let owner = Owner::create().name(format!("o{i}")).exec(&direct).await.expect("owner");
        Card::create().owner_id(owner.id).exec(&direct).await.expect("card");
        for _ in 0..2 {
            let pet = Pet::create().owner_id(owner.id).exec(&direct).await.expect("pet");
            Toy::create().pet_id(pet.id).exec(&direct).await.expect("toy");
        }
    }
    let bursts = counting_proxy(upstream_of(&url).await).await;
    let proxied = crate::support::with_host_port(&url, bursts.0);
    let db = Db::builder(&proxied).max_connections(1).connect().await.expect("connect through the proxy");
    // The first load prepares each statement; the second finds them cached.
    load_tree(&db).await.expect("first load");
    let before = bursts.1.load(Ordering::SeqCst);
    let owners = load_tree(&db).await.expect("second load");
    let trips = bursts.1.load(Ordering::SeqCst) - before;
    let toys: usize = owners
        .iter()
        .flat_map(|o| o.pets.get().unwrap_or_default())
        .map(|p| p.toys.get().map_or(0, <[Toy]>::len))
        .sum();
    let cards = owners.iter().filter(|o| o.card.get().is_ok_and(|c| c.is_some())).count();
    let owned = owners
        .iter()
        .flat_map(|o| o.pets.get().unwrap_or_default())
        .filter(|p| p.owner.get().is_ok_and(|o| o.id == p.owner_id))
        .count();
    assert_eq!((owners.len(), toys, cards, owned), (3, 6, 3, 6), "the tree is complete");
    eprintln!("[pipeline/{backend:?}] a query with four prefetches over two levels: {trips} round trips");
    assert_eq!(trips, expected, "round trips of the query and its prefetches on {backend:?}");
}

#[test]
fn postgres_sends_the_prefetch_tree_in_one_round_trip() {
    // The query, then its four prefetches together.
    run_isolated("pipeline-pg", Backend::Postgres, |url, db| round_trips(Backend::Postgres, url, db, 2));
}

#[test]
fn mysql_sends_one_round_trip_per_statement() {
    // The query, then each prefetch after the level above it arrived.
    run_isolated("pipeline-my", Backend::Mysql, |url, db| round_trips(Backend::Mysql, url, db, 5));
}

/// How long the proxy holds each server reply: far longer than a client takes to write a
/// pipeline, far shorter than the test.
const HOLD: Duration = Duration::from_millis(40);

/// A proxy to `upstream` counting client bursts (runs of client bytes after a reply);
/// its address and the count.
async fn counting_proxy(upstream: SocketAddr) -> (SocketAddr, Arc<AtomicU64>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the proxy");
    let addr = listener.local_addr().expect("proxy address");
    let bursts = Arc::new(AtomicU64::new(0));
    let count = bursts.clone();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let Ok(server) = TcpStream::connect(upstream).await else { continue };
            let (mut client_rx, mut client_tx) = client.into_split();
            let (mut server_rx, mut server_tx) = server.into_split();
            // Whether a reply reached the client since its last burst.
            let answered = Arc::new(AtomicBool::new(true));
            let (up_answered, up_count) = (answered.clone(), count.clone());
            tokio::spawn(async move {
                let mut buf = vec![0u8; 16 * 1024];
                while let Ok(n @ 1..) = client_rx.read(&mut buf).await {
                    if up_answered.swap(false, Ordering::SeqCst) {
                        up_count.fetch_add(1, Ordering::SeqCst);
                    }
                    if server_tx.write_all(&buf[..n]).await.is_err() {
                        return;
                    }
                }
            });
            tokio::spawn(async move {
                let mut buf = vec![0u8; 16 * 1024];
                while let Ok(n @ 1..) = server_rx.read(&mut buf).await {
                    tokio::time::sleep(HOLD).await;
                    if client_tx.write_all(&buf[..n]).await.is_err() {
                        return;
                    }
                    answered.store(true, Ordering::SeqCst);
                }
            });
        }
    });
    (addr, bursts)
}
