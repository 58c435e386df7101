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

/// Every embedded file, as (path under `templates/`, contents), in path
/// order: what a build's output depends on besides the report and the
/// user's own templates (the workspace cache keys on it, so a gxgen whose
/// built-in templates changed rebuilds every agency).
pub fn all() -> Vec<(&'static str, &'static [u8])> {
    fn walk(d: &'static Dir<'static>, out: &mut Vec<(&'static str, &'static [u8])>) {
        for f in d.files() {
            if let Some(p) = f.path().to_str() {
                out.push((p, f.contents()));
            }
        }
        for sub in d.dirs() {
            walk(sub, out);
        }
    }
    let mut v = Vec::new();
    walk(&TEMPLATES, &mut v);
    v.sort();
    v
}
