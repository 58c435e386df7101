//! Cross-year rules with `meta.previous`: 上年结转 equals last year's
//! 结转下年度 in every column, across the 2019 → 2021 format change too.

use crate::common::*;

const COLS: [&str; 7] =
    ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total"];

/// Last year's report whose 结转下年度 matches this year's 上年结转.
fn pair(prev_year: i32) -> (Synth, Synth) {
    let cur = Synth::valid(prev_year + 1, &mut Rng(11), 20);
    let mut prev = Synth::valid(prev_year, &mut Rng(12), 20);
    for c in COLS {
        let co: i64 = cur.cells[&format!("applications.carried_over.{c}")].parse().unwrap();
        let rt: i64 = prev.cells[&format!("applications.results.total.{c}")].parse().unwrap();
        prev.set(&format!("applications.carried_forward.{c}"), co);
        prev.set(&format!("applications.carried_over.{c}"), 0);
        prev.set(&format!("applications.new.{c}"), rt + co);
    }
    // Table 二 continuity: this year's items follow from last year's.
    let mut cur = cur;
    let n = |s: &Synth, k: &str| -> i64 { s.cells[k].parse().unwrap() };
    for row in ["licensing", "other_services", "penalty", "coercion", "admin_fees"] {
        let (p, c) = (format!("active.{row}.prev_items"), format!("active.{row}.change"));
        if prev.cells.contains_key(&c) && cur.cells.contains_key(&p) {
            let v = n(&prev, &p) + n(&prev, &c);
            cur.set(&p, v);
            if v + n(&cur, &c) < 0 {
                cur.set(&c, -v);
            }
        }
    }
    for row in ["rules", "normative_docs"] {
        // 2019 format: this year's total published follows from last year's.
        let t = format!("active.{row}.total_published");
        if prev.cells.contains_key(&t) && cur.cells.contains_key(&t) {
            cur.set(&t, n(&prev, &t) + n(&cur, &format!("active.{row}.new_published")));
        }
        let f = format!("active.{row}.in_force");
        if prev.cells.contains_key(&f) && cur.cells.contains_key(&f) {
            let v = n(&prev, &f) + n(&cur, &format!("active.{row}.issued"));
            cur.set(&format!("active.{row}.repealed"), v.min(1));
            cur.set(&f, v - v.min(1));
        }
    }
    cur.fix_active_rules(20);
    (prev, cur)
}

fn write_pair(prev: &Synth, cur: &Synth) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    for (s, name) in [(prev, "prev"), (cur, "cur")] {
        std::fs::create_dir(dir.path().join(name)).unwrap();
        let (text, _) = s.yaml();
        let text =
            if name == "cur" { text.replacen("meta:\n", "meta:\n  previous: ../prev/report.yaml\n", 1) } else { text };
        std::fs::write(dir.path().join(name).join("report.yaml"), text).unwrap();
    }
    let cur_path = dir.path().join("cur/report.yaml");
    (dir, cur_path)
}

#[test]
fn matching_carry_over_passes_across_the_format_change() {
    for y in [2019, 2020, 2021] {
        let (prev, cur) = pair(y);
        let (_d, path) = write_pair(&prev, &cur);
        let ds = check_lib(&path);
        assert!(ds.is_empty(), "{y}: {ds:#?}");
    }
}

#[test]
fn mismatched_carry_over_names_both_files() {
    let (mut prev, cur) = pair(2020);
    prev.add("applications.carried_forward.commercial", 1)
        .add("applications.carried_forward.total", 1)
        .add("applications.new.commercial", 1)
        .add("applications.new.total", 1);
    let (_d, path) = write_pair(&prev, &cur);
    let checked = gxgen::check(&path);
    let d = checked.diagnostics.list.iter().find(|d| d.code == "GX0341").expect("GX0341");
    assert!(d.message.contains("商业企业"), "{}", d.message);
    assert!(d.message.contains("上年报告"), "{}", d.message);
    let files: Vec<String> = std::iter::once(d.primary.as_ref().unwrap().0)
        .chain(d.secondary.iter().map(|(s, _)| *s))
        .map(|s| checked.sources.get(s.file).name.clone())
        .collect();
    assert!(files.iter().any(|f| f.ends_with("cur/report.yaml")), "{files:?}");
    assert!(files.iter().any(|f| f.ends_with("prev/report.yaml")), "{files:?}");
}

#[test]
fn previous_must_be_last_year() {
    let (prev, mut cur) = pair(2020);
    cur.year = 2022;
    let (_d, path) = write_pair(&prev, &cur);
    assert!(with_code(&check_lib(&path), "GX0407").len() == 1);
    let dir = tempfile::tempdir().unwrap();
    let (text, _) = cur.yaml();
    std::fs::write(dir.path().join("report.yaml"), text.replacen("meta:\n", "meta:\n  previous: nowhere.yaml\n", 1))
        .unwrap();
    assert_codes(&check_lib(&dir.path().join("report.yaml")), &["GX0407"]);
}

#[test]
fn in_force_continuity_is_a_warning() {
    let (mut prev, cur) = pair(2021);
    prev.add("active.rules.in_force", 4);
    let (_d, path) = write_pair(&prev, &cur);
    let ds = check_lib(&path);
    let hits = with_code(&ds, "GX0342");
    assert!(!hits.is_empty(), "{ds:#?}");
    assert_eq!(hits[0]["severity"], "warning");
}

#[test]
fn total_published_continuity_is_a_hint() {
    let (mut prev, cur) = pair(2019);
    prev.add("active.normative_docs.total_published", 3);
    let (_d, path) = write_pair(&prev, &cur);
    let ds = check_lib(&path);
    assert_codes(&ds, &["GX0345"]);
    assert_eq!(ds[0]["severity"], "info");
    assert_eq!(ds[0]["cell"], "active.normative_docs.total_published");
}

#[test]
fn a_merged_agency_explains_its_carry_over_and_the_mismatch_becomes_a_hint() {
    let (mut prev, mut cur) = pair(2023);
    prev.add("applications.carried_forward.natural_person", 2)
        .add("applications.carried_forward.total", 2)
        .add("applications.new.natural_person", 2)
        .add("applications.new.total", 2);
    let (_d, path) = write_pair(&prev, &cur);
    let ds = check_lib(&path);
    assert!(ds.iter().filter(|d| d["code"] == "GX0341").all(|d| d["severity"] == "error") && !ds.is_empty(), "{ds:#?}");
    // the reason is written down; the same difference is a hint that
    // shows the reason, and the report passes.
    cur.extra_meta.push("carry_over_note: 2023年12月原县档案局并入本局，上年结转含原档案局的申请".into());
    let (_d, path) = write_pair(&prev, &cur);
    let ds = check_lib(&path);
    let hits = with_code(&ds, "GX0341");
    assert_eq!(hits.len(), 2, "{ds:#?}");
    assert!(hits.iter().all(|d| d["severity"] == "info"), "{ds:#?}");
    let (code, _) = check_json(&path);
    assert_eq!(code, 0);
    let out = run(&["check", path.to_str().unwrap()], None);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("note[GX0341]") && text.contains("meta.carry_over_note：2023年12月原县档案局并入本局"),
        "{text}"
    );
}
