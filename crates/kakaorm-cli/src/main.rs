//! The standalone `kakaorm` binary: the migration commands that need no models.

fn main() {
    kakaorm_cli::standalone()
}
