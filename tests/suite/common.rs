//! Shared helpers for the integration tests: valid synthetic reports built
//! from leaf values (totals computed here, independently of gxgen), written
//! one cell per line so tests know the line of every cell.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use gxgen::format::{self, Format, Kind, MoneyUnit};

/// A report under construction: every cell of the format by key, as text.
#[derive(Clone, Debug)]
pub struct Synth {
    pub format: &'static Format,
    pub year: i32,
    pub agency: String,
    pub kind: &'static str,
    pub cells: BTreeMap<String, String>,
    pub extra_meta: Vec<String>,
    pub narrative: Vec<(String, String)>,
    /// Keys left out of the YAML entirely.
    pub omit: Vec<String>,
}

/// A tiny deterministic generator (xorshift) so tests need no seed crate.
pub struct Rng(pub u64);
impl Rng {
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        if n == 0 { 0 } else { self.0 % n }
    }
}

const C6: [&str; 6] = ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org"];

impl Synth {
    /// A valid report of `year` with leaf values from `rng` (0..max).
    pub fn valid(year: i32, rng: &mut Rng, max: u64) -> Synth {
        let format = format::for_year(year).expect("format for year");
        let mut cells = BTreeMap::new();
        // Table 三: outcome leaves, carried_forward, carried_over; new derived.
        let outcome_rows: Vec<String> = format
            .tables
            .iter()
            .find(|t| t.key == "applications")
            .unwrap()
            .leaf_rows
            .iter()
            .filter(|r| r.starts_with("results.") && r.as_str() != "results.total")
            .cloned()
            .collect();
        let row_sum = |cells: &mut BTreeMap<String, String>, row: &str, vals: &[i64]| {
            let mut s = 0;
            for (c, v) in C6.iter().zip(vals) {
                cells.insert(format!("applications.{row}.{c}"), v.to_string());
                s += v;
            }
            cells.insert(format!("applications.{row}.total"), s.to_string());
        };
        let mut results_total = [0i64; 6];
        for row in &outcome_rows {
            let vals: Vec<i64> = (0..6).map(|_| rng.below(max) as i64).collect();
            for i in 0..6 {
                results_total[i] += vals[i];
            }
            row_sum(&mut cells, row, &vals);
        }
        row_sum(&mut cells, "results.total", &results_total);
        let cf: Vec<i64> = (0..6).map(|_| rng.below(max) as i64).collect();
        let co: Vec<i64> = (0..6).map(|i| rng.below((results_total[i] + cf[i]) as u64 + 1) as i64).collect();
        let new: Vec<i64> = (0..6).map(|i| results_total[i] + cf[i] - co[i]).collect();
        row_sum(&mut cells, "carried_forward", &cf);
        row_sum(&mut cells, "carried_over", &co);
        row_sum(&mut cells, "new", &new);
        // Table 四.
        for g in ["review", "litigation.direct", "litigation.after_review"] {
            let mut s = 0;
            for c in ["upheld", "corrected", "other", "pending"] {
                let v = rng.below(max) as i64;
                s += v;
                cells.insert(format!("{g}.{c}"), v.to_string());
            }
            cells.insert(format!("{g}.total"), s.to_string());
        }
        // Table 二 and facts: values within their rules.
        for c in &format.cells {
            if cells.contains_key(&c.key) {
                continue;
            }
            let v = rng.below(max) as i64;
            let text = match &c.kind {
                Kind::Count => v.to_string(),
                Kind::Signed => (v - (max as i64) / 2).to_string(),
                Kind::Money(MoneyUnit::Fixed(_)) => format!("{}.{:02}", v, rng.below(100)),
                Kind::Money(MoneyUnit::InCell(u)) => format!("\"{v}{}\"", u[0]),
            };
            cells.insert(c.key.clone(), text);
        }
        let mut s = Synth {
            format,
            year,
            agency: "测试县测试局".into(),
            kind: "department",
            cells,
            extra_meta: Vec::new(),
            narrative: vec![
                ("overview".into(), "（一）主动公开。本年度依法主动公开政府信息。".into()),
                ("problems".into(), "存在的问题：无。".into()),
                ("other_matters".into(), "无。".into()),
            ],
            omit: Vec::new(),
        };
        s.fix_active_rules(max);
        s
    }

    fn num(&self, key: &str) -> i64 {
        self.cells[key].parse().unwrap()
    }

    /// Make table 二 and the facts satisfy their rules, hints included.
    pub fn fix_active_rules(&mut self, max: u64) {
        for row in ["licensing", "other_services", "penalty", "coercion", "admin_fees"] {
            let (p, c, d) =
                (format!("active.{row}.prev_items"), format!("active.{row}.change"), format!("active.{row}.decisions"));
            if self.cells.contains_key(&c) && self.num(&p) + self.num(&c) < 0 {
                let v = -self.num(&p);
                self.cells.insert(c.clone(), v.to_string());
            }
            // T2-19-3: decisions that equal the item count look copied.
            if self.cells.contains_key(&d)
                && self.cells.contains_key(&p)
                && self.num(&d) == self.num(&p) + self.num(&c)
                && self.num(&d) != 0
            {
                let v = self.num(&d) + 1;
                self.cells.insert(d, v.to_string());
            }
        }
        for row in ["rules", "normative_docs"] {
            let (m, n, t) = (
                format!("active.{row}.new_made"),
                format!("active.{row}.new_published"),
                format!("active.{row}.total_published"),
            );
            if self.cells.contains_key(&n) && self.num(&n) > self.num(&t) {
                let v = self.num(&n) + (max as i64);
                self.cells.insert(t, v.to_string());
            }
            // T2-19-5: what was made this year was published this year.
            if self.cells.contains_key(&m) {
                let v = self.num(&n);
                self.cells.insert(m, v.to_string());
            }
        }
        let (n, a, c) = (
            "other_matters.info_fee.notices",
            "other_matters.info_fee.notified_amount_yuan",
            "other_matters.info_fee.collected_amount_yuan",
        );
        if self.cells.contains_key(n) {
            let unpaid = self.num("applications.results.other.fee_unpaid.total");
            self.cells.insert(n.into(), (unpaid + 1).to_string());
            self.cells.insert(a.into(), "300.50".into());
            self.cells.insert(c.into(), "200".into());
        }
    }

    pub fn set(&mut self, key: &str, value: impl ToString) -> &mut Self {
        assert!(self.format.cell(key).is_some(), "no cell {key}");
        self.cells.insert(key.to_string(), value.to_string());
        self
    }

    pub fn add(&mut self, key: &str, delta: i64) -> &mut Self {
        let v = self.num(key) + delta;
        self.set(key, v)
    }

    /// The YAML text, and the line (1-based) of every cell written.
    pub fn yaml(&self) -> (String, BTreeMap<String, usize>) {
        let mut out = String::new();
        let mut lines = BTreeMap::new();
        out.push_str("meta:\n");
        out.push_str(&format!("  agency: {}\n  year: {}\n  kind: {}\n", self.agency, self.year, self.kind));
        for m in &self.extra_meta {
            out.push_str(&format!("  {m}\n"));
        }
        out.push_str("narrative:\n");
        for (k, v) in &self.narrative {
            out.push_str(&format!("  {k}: {}\n", serde_json::to_string(v).unwrap()));
        }
        // Cells in official order, nested by key segments.
        let mut open: Vec<String> = Vec::new();
        for c in &self.format.cells {
            if self.omit.iter().any(|o| c.key == *o || c.key.starts_with(&format!("{o}."))) {
                continue;
            }
            let Some(v) = self.cells.get(&c.key) else { continue };
            let segs: Vec<&str> = c.key.split('.').collect();
            let common = open.iter().zip(&segs).take_while(|(a, b)| a.as_str() == **b).count();
            open.truncate(common);
            for (depth, s) in segs.iter().enumerate().take(segs.len() - 1).skip(common) {
                out.push_str(&format!("{}{s}:\n", "  ".repeat(depth)));
                open.push(s.to_string());
            }
            let line = out.matches('\n').count() + 1;
            lines.insert(c.key.clone(), line);
            out.push_str(&format!("{}{}: {v}\n", "  ".repeat(segs.len() - 1), segs[segs.len() - 1]));
        }
        (out, lines)
    }

    /// Write the report into a new temporary folder.
    pub fn write(&self) -> (tempfile::TempDir, PathBuf, BTreeMap<String, usize>) {
        let dir = tempfile::tempdir().unwrap();
        let (text, lines) = self.yaml();
        let path = dir.path().join("report.yaml");
        std::fs::write(&path, text).unwrap();
        (dir, path, lines)
    }
}

pub fn gxgen() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gxgen"));
    c.env("NO_COLOR", "1").env_remove("RUST_BACKTRACE");
    c
}

pub fn run(args: &[&str], cwd: Option<&Path>) -> Output {
    let mut c = gxgen();
    c.args(args);
    if let Some(d) = cwd {
        c.current_dir(d);
    }
    c.output().unwrap()
}

/// `gxgen check --format json FILE` as parsed JSON, with the exit status.
pub fn check_json(path: &Path) -> (i32, serde_json::Value) {
    let out = run(&["check", "--format", "json", path.to_str().unwrap()], None);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("bad JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code().unwrap_or(-1), v)
}

/// The diagnostics of the first report of a JSON check result.
pub fn diags(v: &serde_json::Value) -> Vec<serde_json::Value> {
    v["reports"][0]["diagnostics"].as_array().cloned().unwrap_or_default()
}

pub fn codes(v: &serde_json::Value) -> Vec<String> {
    diags(v).iter().map(|d| d["code"].as_str().unwrap().to_string()).collect()
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every example report (`examples/*/report.yaml`), in name order.
pub fn examples() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(repo().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path().join("report.yaml"))
        .filter(|p| p.exists())
        .collect();
    v.sort();
    v
}

/// `gxgen build --only html` of one report: the page's text.
pub fn built_html(src: &Path) -> String {
    let out = tempfile::tempdir().unwrap();
    let o = run(&["build", src.to_str().unwrap(), "--only", "html", "-o", out.path().to_str().unwrap()], None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let page = std::fs::read_dir(out.path()).unwrap().next().unwrap().unwrap().path();
    std::fs::read_to_string(&page).unwrap()
}

/// Check through the library; every diagnostic as the JSON gxgen prints.
pub fn check_lib(path: &Path) -> Vec<serde_json::Value> {
    let checked = gxgen::check(path);
    checked.diagnostics.list.iter().map(|d| gxgen::diag::to_json_value(&checked.sources, d)).collect()
}

/// The diagnostics with `code`.
pub fn with_code<'a>(ds: &'a [serde_json::Value], code: &str) -> Vec<&'a serde_json::Value> {
    ds.iter().filter(|d| d["code"] == code).collect()
}

/// Assert exactly the codes expected, in any order and count.
pub fn assert_codes(ds: &[serde_json::Value], expected: &[&str]) {
    let mut got: Vec<&str> = ds.iter().map(|d| d["code"].as_str().unwrap()).collect();
    got.sort();
    got.dedup();
    let mut want = expected.to_vec();
    want.sort();
    assert_eq!(got, want, "diagnostics: {}", serde_json::to_string_pretty(ds).unwrap());
}

/// Copy a folder tree (a report, an example, the county), leaving out the
/// `out` folders a build may have left in the working tree.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            if e.file_name() != "out" {
                copy_dir(&p, &to.join(e.file_name()));
            }
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// Rewrite a zip package (.xlsx, .docx) in place: `edit` gets each part's
/// name and bytes and returns the bytes to keep.
pub fn edit_zip(path: &Path, edit: impl Fn(&str, Vec<u8>) -> Vec<u8>) {
    use std::io::{Read, Write};
    let bytes = std::fs::read(path).unwrap();
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        let data = edit(&name, data);
        out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(&data).unwrap();
    }
    std::fs::write(path, out.finish().unwrap().into_inner()).unwrap();
}
