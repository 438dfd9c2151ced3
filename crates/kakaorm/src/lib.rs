//! kakaorm
