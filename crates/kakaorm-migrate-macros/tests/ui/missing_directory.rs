fn main() {
    let _ = kakaorm_migrate_macros::embed_migrations!("no/such/migrations");
}
