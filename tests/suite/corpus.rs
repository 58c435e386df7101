//! Import accuracy over the development corpus: 20 real published reports
//! (`tests/fixtures/corpus-dev/`, the opening 2,000 bytes of each page) with
//! hand-checked truth for every cell. Every cell the truth says is present
//! is compared with what `gxgen import` read:
//! * a number (or `'70487元'`, `'增15'`, `'减4'`: the number it means) must
//!   come back as that number;
//! * `''` (printed blank) must come back blank;
//! * `null` (not in the text) must not be written, or be blank.
//!
//! A value where the truth has another value, a blank or nothing is
//! *invented*; there must be none. Run with `--nocapture` for the table.

use serde_json::Value;

use gxgen::format;
use gxgen::import::{Read, import_bytes};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/corpus-dev/");

/// Share of present cells that must be read right, in per mille.
const TARGET_PER_MILLE: usize = 980;

/// The truth's key for a segment of a cell path → the format's key.
fn segment<'a>(table: &str, seg: &'a str, last: bool) -> &'a str {
    match (table, seg) {
        ("active", "punishment") => "penalty",
        ("active", "fees") => "admin_fees",
        ("active", "amount_10k_yuan") => "amount_wan",
        ("applications", "outcome") => "results",
        ("applications", "disclosed") => "granted",
        ("applications", "partially_disclosed") => "partial",
        ("applications", "withheld") => "denied",
        ("applications", "three_safety_one_stability") => "security_stability",
        ("applications", "third_party_rights") => "third_party",
        ("applications", "enforcement_case_file") => "enforcement_file",
        ("applications", "query_matter") => "admin_query",
        ("applications", "unclear_after_correction") => "unclear",
        ("applications", "petition_complaint") => "petition",
        ("applications", "repeated") => "duplicate",
        ("applications", "massive_repeated") => "excessive",
        ("applications", "confirm_or_reissue") => "confirm_reissue",
        ("applications", "overdue_correction") => "no_correction",
        ("applications", "overdue_fee") => "fee_unpaid",
        ("applications", "other") if last => "other_org",
        _ => seg,
    }
}

/// Every leaf of a truth table: (format cell key, truth value).
fn leaves(table: &str, v: &Value, path: &mut Vec<String>, out: &mut Vec<(String, Value)>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                path.push(k.clone());
                leaves(table, child, path, out);
                path.pop();
            }
        }
        leaf => {
            let n = path.len();
            let segs: Vec<&str> = path.iter().enumerate().map(|(i, s)| segment(table, s, i + 1 == n)).collect();
            out.push((format!("{table}.{}", segs.join(".")), leaf.clone()));
        }
    }
}

/// The number a truth value means: 3, 0.5, '70487元', '增15', '减4'.
fn meant(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) if !s.is_empty() => {
            let sign = if s.starts_with('减') || s.starts_with('-') { -1.0 } else { 1.0 };
            let digits: String = s.chars().filter(|c| c.is_ascii_digit() || *c == '.').collect();
            digits.parse::<f64>().ok().map(|x| sign * x)
        }
        _ => None,
    }
}

#[derive(Default)]
struct Score {
    /// The report year read right.
    year: bool,
    present: usize,
    right: usize,
    invented: Vec<String>,
    misses: Vec<String>,
}

fn score(id: &str) -> Score {
    let truth: Value = serde_saphyr::from_str(&std::fs::read_to_string(format!("{DIR}{id}.yaml")).unwrap()).unwrap();
    let imported = import_bytes(&std::fs::read(format!("{DIR}{id}.txt")).unwrap());
    let fmt = imported.format_id.as_deref().and_then(format::by_id);
    let got = |key: &str| -> Option<&Read> {
        let f = fmt?;
        imported.cells.get(f.cell(key)?)
    };
    let mut cells = Vec::new();
    for table in ["active", "applications"] {
        leaves(table, &truth[table], &mut Vec::new(), &mut cells);
    }
    let mut s = Score { year: truth["year"].as_i64() == imported.year.map(i64::from), ..Score::default() };
    for (key, want) in &cells {
        let read = got(key);
        let value = read.and_then(|r| r.number()).map(|d| d.to_string().parse::<f64>().unwrap());
        match want {
            Value::Null => {
                if let Some(v) = value {
                    s.invented.push(format!("{key}: 原文没有，读出 {v}"));
                }
            }
            Value::String(e) if e.is_empty() => {
                s.present += 1;
                match value {
                    None => s.right += 1,
                    Some(v) => s.invented.push(format!("{key}: 原文空白，读出 {v}")),
                }
            }
            want => {
                s.present += 1;
                let w = meant(want).unwrap_or_else(|| panic!("{id} {key}: truth {want} is no number"));
                match value {
                    Some(v) if (v - w).abs() < 1e-9 => s.right += 1,
                    Some(v) => s.invented.push(format!("{key}: 应为 {w}，读出 {v}")),
                    None => s.misses.push(format!("{key}={w} ({read:?})")),
                }
            }
        }
    }
    // A value under a key the truth does not have (a column of the other
    // format, a row not in the text) is invented too.
    if let Some(f) = fmt {
        for (i, c) in f.cells.iter().enumerate() {
            if let Some(v) = imported.cells.get(i).and_then(|r| r.number())
                && !cells.iter().any(|(k, _)| *k == c.key)
                && (c.key.starts_with("active.") || c.key.starts_with("applications."))
            {
                s.invented.push(format!("{}: 真值中没有这一格，读出 {v}", c.key));
            }
        }
    }
    s
}

#[test]
fn dev_corpus_accuracy() {
    let (mut present, mut right, mut invented, mut years) = (0, 0, 0, 0);
    let mut empty_files = 0;
    let mut lines = Vec::new();
    for n in 1..=20 {
        let id = format!("d{n:02}");
        let s = score(&id);
        present += s.present;
        right += s.right;
        invented += s.invented.len();
        years += usize::from(s.year);
        if s.right == 0 {
            empty_files += 1;
        }
        lines.push(format!(
            "{id}: {}/{} right, {} invented{}",
            s.right,
            s.present,
            s.invented.len(),
            if s.year { "" } else { ", year not read" }
        ));
        for m in s
            .invented
            .iter()
            .map(|m| format!("    invented {m}"))
            .chain(s.misses.iter().map(|m| format!("    missed {m}")))
        {
            lines.push(m);
        }
    }
    let per_mille = right * 1000 / present.max(1);
    println!("{}", lines.join("\n"));
    println!(
        "dev corpus: {right}/{present} present cells right ({}.{} %), {invented} invented, {empty_files} files with 0 cells, year right in {years}/20",
        per_mille / 10,
        per_mille % 10
    );
    assert_eq!(invented, 0, "the import invented values:\n{}", lines.join("\n"));
    assert!(per_mille >= TARGET_PER_MILLE, "accuracy {per_mille} ‰ < {TARGET_PER_MILLE} ‰:\n{}", lines.join("\n"));
}
