//! `sync` takes a tuple of models; anything else does not compile.
use kakaorm_migrate::SyncExt;

async fn run(db: kakaorm::Db) {
    let _ = db.sync::<(String,)>().await;
}

fn main() {
    let _ = run;
}
