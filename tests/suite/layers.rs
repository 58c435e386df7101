//! The layers of the road, enforced: every `crate::` path in `src/` must go
//! to a module its stage may use. Lower stages never import higher ones.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Which modules each top-level module of `src/` may use.
///
/// The road runs load → validate → compose → render, and the driver owns it:
///
/// ```text
///            cli                      arguments, help, exit codes
///             │
///           driver                    check, build, workspaces, audit
///   ┌────────┼──────────┬─────────┬──────────┬────────┐
///  load → validate → compose → render      import   skeleton, reference
///   │        │          │         │          │
///   model, format, typography, value, diag, source ← input (the one door)
/// ```
const ALLOWED: &[(&str, &[&str])] = &[
    // The door and what sits beside it: nothing of gxgen below them.
    ("input", &[]),
    ("assets", &[]),
    ("output", &[]),
    ("writer", &[]),
    ("source", &["input"]),
    ("diag", &["assets", "source"]),
    // The formats and the typesetting roles are data from templates/.
    // The formats are data from templates/ (and GXGEN_FORMATS, read
    // through the door).
    ("format", &["assets", "diag", "input"]),
    ("typography", &["assets"]),
    ("value", &["format"]),
    ("model", &["format", "source", "value"]),
    // The road.
    ("load", &["input", "source", "diag", "format", "typography", "value", "model"]),
    ("validate", &["diag", "format", "model", "source", "value"]),
    ("compose", &["diag", "format", "model", "source", "value"]),
    ("render", &["compose", "diag", "source", "assets", "typography", "value"]),
    // Published text read back; it reuses the rule predicate of validate.
    ("import", &["diag", "format", "input", "source", "value", "validate", "skeleton", "writer"]),
    // Writers of new report folders and of the book's reference pages.
    ("skeleton", &["format", "model", "writer", "schema"]),
    // The JSON Schema of data files, from the format files.
    ("schema", &["assets", "format", "model", "typography"]),
    ("reference", &["diag", "format"]),
    // The driver owns the road; the CLI calls the driver.
    ("workbook", &["compose", "diag", "format", "import", "model", "value", "writer"]),
    ("driver", BELOW_DRIVER),
    // The preview server runs the driver's builds and serves their outputs.
    ("serve", &["driver", "input", "source", "diag", "model", "format", "render"]),
    // The CLI may use what the driver may, and these.
    ("cli", &["driver", "reference", "serve"]),
];

/// Everything below the driver, which the driver (and the CLI) may use.
const BELOW_DRIVER: &[&str] = &[
    "input",
    "assets",
    "output",
    "source",
    "diag",
    "format",
    "typography",
    "value",
    "model",
    "load",
    "validate",
    "compose",
    "render",
    "import",
    "skeleton",
    "schema",
    "writer",
    "workbook",
];

/// `crate::a::b`, `crate::{a, b::c}` → the first segments.
fn crate_paths(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let head: String = item.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !head.is_empty() {
                    out.insert(head);
                }
            }
        } else {
            let head: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if !head.is_empty() {
                out.insert(head);
            }
        }
    }
    out
}

fn walk(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, files);
        } else if p.extension().is_some_and(|x| x == "rs") {
            files.push(p);
        }
    }
}

#[test]
fn imports_only_go_down_the_road() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut files = Vec::new();
    walk(&src, &mut files);
    files.sort();
    let mut wrong = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(&src).unwrap();
        let first = rel.components().next().unwrap().as_os_str().to_string_lossy().to_string();
        let module = first.trim_end_matches(".rs").to_string();
        if module == "lib" || module == "main" {
            continue;
        }
        let Some(own) = allowed.get(module.as_str()) else {
            wrong.push(format!("{}: module `{module}` has no row in the layer table", rel.display()));
            continue;
        };
        let mut ok: Vec<&str> = own.to_vec();
        if module == "cli" {
            ok.extend(BELOW_DRIVER);
        }
        let text = std::fs::read_to_string(f).unwrap();
        for used in crate_paths(&text) {
            if used != module && !ok.contains(&used.as_str()) {
                wrong.push(format!("{}: `{module}` uses `crate::{used}`", rel.display()));
            }
        }
    }
    assert!(wrong.is_empty(), "imports against the road:\n{}", wrong.join("\n"));
}

#[test]
fn the_table_names_every_module() {
    let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    let table: BTreeSet<&str> = ALLOWED.iter().map(|(m, _)| *m).collect();
    for line in lib.lines() {
        if let Some(m) = line.trim().strip_prefix("pub mod ").or_else(|| line.trim().strip_prefix("mod ")) {
            let m = m.trim_end_matches(';');
            assert!(table.contains(m), "src/lib.rs declares `{m}`, which the layer table does not place");
        }
    }
}

#[test]
fn paths_are_read_from_groups_too() {
    let p = crate_paths("use crate::{compose, output::write};\nlet x = crate::render::find(n);");
    assert_eq!(p.into_iter().collect::<Vec<_>>(), ["compose", "output", "render"]);
}
