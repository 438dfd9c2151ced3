//! Profiling aid: repeats kakaorm's SQLite bulk insert of 10 000 rows, the table emptied by a
//! second connection before each one as the orchestrator does, so `perf` or callgrind can
//! attribute its cost. Not part of the measured run. `IDLE_MS=50` sleeps before each insert:
//! the benchmark's single-operation batches start from idle threads, whose wake-up costs
//! show only then.
//!
//! `TMPDIR=/dev/shm cargo run --release --manifest-path bench/Cargo.toml -p worker-kakaorm --example profile_bulk -- [rounds]`

use kakaorm::prelude::*;

#[path = "../src/models.rs"]
mod models;

use models::WUser;

fn main() {
    let rounds: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(50);
    let path = std::env::temp_dir().join(format!("kakaorm-profile-{}.db", std::process::id()));
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let db = Db::builder(&url).max_connections(1).connect().await.expect("connect");
        db.create_table::<WUser>().await.expect("create");
        let names: Vec<String> = (0..10_000).map(protocol::bulk_name).collect();
        let admin = Db::builder(&url).max_connections(1).connect().await.expect("connect");
        let idle = std::env::var("IDLE_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(0);
        let mut spent = std::time::Duration::ZERO;
        for _ in 0..rounds {
            admin.execute_raw("DELETE FROM wusers", Vec::new()).await.expect("truncate");
            std::thread::sleep(std::time::Duration::from_millis(idle));
            let started = std::time::Instant::now();
            let rows = names
                .iter()
                .enumerate()
                .map(|(i, name)| WUser::create().name(name.as_str()).hair_color(protocol::bulk_hair(i)));
            let n = WUser::bulk_create(rows, &db).await.expect("bulk");
            spent += started.elapsed();
            assert_eq!(n, 10_000);
        }
        println!("{:.0} µs per bulk insert", spent.as_micros() as f64 / rounds as f64);
    });
    let _ = std::fs::remove_file(path);
}
