//! Foreign-key order: referenced tables before the tables that refer to them.

use kakaorm_core::schema::Table;

/// The tables in creation order (each after the tables it references), and the foreign
/// keys, as (table index, key index), that close a cycle and so must be added after the
/// tables exist (or dropped before they go).
pub(crate) fn fk_order(tables: &[Table]) -> (Vec<usize>, Vec<(usize, usize)>) {
    struct Walk<'a> {
        tables: &'a [Table],
        done: Vec<bool>,
        on_path: Vec<bool>,
        order: Vec<usize>,
        back: Vec<(usize, usize)>,
    }
    impl Walk<'_> {
        fn visit(&mut self, i: usize) {
            if self.done[i] {
                return;
            }
            self.on_path[i] = true;
            let t = &self.tables[i];
            for (k, fk) in t.foreign_keys.iter().enumerate() {
                let Some(j) = self.tables.iter().position(|o| o.name == fk.ref_table) else { continue };
                if j == i {
                    continue;
                }
                if self.on_path[j] {
                    self.back.push((i, k));
                } else {
                    self.visit(j);
                }
            }
            self.on_path[i] = false;
            self.done[i] = true;
            self.order.push(i);
        }
    }
    let n = tables.len();
    let mut walk =
        Walk { tables, done: vec![false; n], on_path: vec![false; n], order: Vec::with_capacity(n), back: Vec::new() };
    for i in 0..n {
        walk.visit(i);
    }
    (walk.order, walk.back)
}
