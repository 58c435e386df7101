//! The book's reference pages are generated from the templates; this test
//! fails when they are stale. Regenerate with:
//!   GXGEN_BLESS=1 cargo test --test suite reference

use crate::common::repo;

fn check_page(rel: &str, text: String) {
    let path = repo().join(rel);
    if std::env::var_os("GXGEN_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == text,
        "{rel} is stale: run `GXGEN_BLESS=1 cargo test --test suite reference` and commit the result"
    );
}

#[test]
fn data_keys_page_is_current() {
    check_page("book/src/reference/data-keys.md", gxgen::reference::data_file_page());
}

#[test]
fn rules_page_is_current() {
    check_page("book/src/reference/rules.md", gxgen::reference::rules_page());
}

#[test]
fn pages_cover_every_key_and_code() {
    let keys = gxgen::reference::data_file_page();
    for f in gxgen::format::all() {
        for c in &f.cells {
            assert!(keys.contains(&format!("`{}`", c.key)), "{} missing", c.key);
        }
    }
    let rules = gxgen::reference::rules_page();
    for code in gxgen::diag::codes::catalogue().keys() {
        assert!(rules.contains(&format!("## {code} ")), "{code} missing");
    }
}
