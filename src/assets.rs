//! Files embedded in the binary from `templates/`.

use include_dir::{Dir, include_dir};

static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// Every table template: (file name, text), in file-name order.
pub fn table_templates() -> impl Iterator<Item = (&'static str, &'static str)> {
    let mut v: Vec<_> = TEMPLATES
        .get_dir("tables")
        .map(|d| d.files().collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter(|f| f.path().extension().is_some_and(|e| e == "yaml"))
        .filter_map(|f| Some((f.path().file_name()?.to_str()?, f.contents_utf8()?)))
        .collect();
    v.sort();
    v.into_iter()
}

/// An embedded text file by its path under `templates/`.
pub fn text(path: &str) -> Option<&'static str> {
    TEMPLATES.get_file(path).and_then(|f| f.contents_utf8())
}
