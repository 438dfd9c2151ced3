const DIR: &str = "migrations";

fn main() {
    let _ = kakaorm_migrate_macros::embed_migrations!(DIR);
}
