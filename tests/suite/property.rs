//! Properties over random reports: random valid tables always pass; any
//! single changed cell of table 三 or 四 (with every total written out) is
//! always caught by an error that names that cell's row and column.

use crate::common::*;
use gxgen::format::Owner;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_valid_tables_pass(seed in 1u64.., max in 1u64..500, year in 2019i32..2027) {
        let s = Synth::valid(year, &mut Rng(seed), max);
        let (_d, path, _) = s.write();
        let ds = check_lib(&path);
        prop_assert!(ds.is_empty(), "{:#?}", ds);
    }

    #[test]
    fn any_changed_cell_is_named(seed in 1u64.., max in 1u64..200, year in 2019i32..2027, pick in 0usize..1000, delta in 1i64..50, up in any::<bool>()) {
        let mut s = Synth::valid(year, &mut Rng(seed), max);
        let f = s.format;
        let candidates: Vec<usize> = (0..f.cells.len())
            .filter(|&i| matches!(f.cells[i].owner, Owner::Table { table, .. } if f.tables[table].key != "active"))
            .collect();
        let cell = candidates[pick % candidates.len()];
        let key = f.cells[cell].key.clone();
        let old: i64 = s.cells[&key].parse().unwrap();
        let new = if up || old < delta { old + delta } else { old - delta };
        s.set(&key, new);
        let (_d, path, _) = s.write();
        let ds = check_lib(&path);
        let row = f.cells[cell].row_labels.last().cloned().unwrap_or_default();
        let col = f.cells[cell].col_labels.last().cloned().unwrap();
        let named = ds.iter().any(|d| {
            let text = format!("{}{}", d["message"], d["notes"]);
            d["severity"] == "error"
                && d["cells"].as_array().unwrap().iter().any(|c| c == key.as_str())
                && text.contains(&row)
                && text.contains(&col)
        });
        prop_assert!(named, "{} {} -> {}: {:#?}", key, old, new, ds);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    /// No cascades: in a valid report that writes every total, change any
    /// one cell of table 三 or 四. The first error names that cell and asks
    /// for its original value, or (a part whose only check is its row's sum)
    /// names the one total it breaks; no other error asks to change a cell
    /// that was right.
    #[test]
    fn one_changed_cell_gives_one_error_asking_for_the_original(seed in 1u64.., max in 1u64..200, year in 2019i32..2027, pick in 0usize..1000, delta in 1i64..50, up in any::<bool>()) {
        let mut s = Synth::valid(year, &mut Rng(seed), max);
        let f = s.format;
        let candidates: Vec<usize> = (0..f.cells.len())
            .filter(|&i| matches!(f.cells[i].owner, Owner::Table { table, .. } if f.tables[table].key != "active"))
            .collect();
        let cell = candidates[pick % candidates.len()];
        let key = f.cells[cell].key.clone();
        let old: i64 = s.cells[&key].parse().unwrap();
        let new = if up || old < delta { old + delta } else { old - delta };
        s.set(&key, new);
        let (_d, path, _) = s.write();
        let ds = check_lib(&path);
        let errors: Vec<&serde_json::Value> = ds.iter().filter(|d| d["severity"] == "error").collect();
        prop_assert!(!errors.is_empty(), "{} {} -> {}: no error", key, old, new);
        let first = errors[0];
        let names_cell = first["cell"] == key.as_str() && first["expected"] == old.to_string().as_str();
        let names_total = first["cell"].as_str().is_some_and(|c| c.ends_with(".total"))
            && first["cells"].as_array().unwrap().iter().any(|c| c == key.as_str());
        prop_assert!(names_cell || names_total, "{} {} -> {}: {:#?}", key, old, new, first);
        prop_assert_eq!(errors.len(), 1, "{} {} -> {}: {:#?}", key, old, new, errors);
    }
}
