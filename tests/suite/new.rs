//! `gxgen new` writes a complete skeleton that passes `gxgen check`.

use crate::common::*;

#[test]
fn skeletons_pass_check_for_every_format_and_kind() {
    for (year, kind) in [(2019, "department"), (2020, "government"), (2021, "township"), (2025, "government")] {
        let dir = tempfile::tempdir().unwrap();
        let out_dir = dir.path().join("r");
        let out = run(
            &[
                "new",
                "--year",
                &year.to_string(),
                "--agency",
                "某某县某某局",
                "--kind",
                kind,
                out_dir.to_str().unwrap(),
            ],
            None,
        );
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        let report = out_dir.join("report.yaml");
        let out = run(&["check", report.to_str().unwrap()], None);
        assert_eq!(out.status.code(), Some(0), "{year} {kind}: {}", String::from_utf8_lossy(&out.stderr));
        // Placeholders are flagged as warnings, nothing else.
        let ds = check_lib(&report);
        assert!(ds.iter().all(|d| d["code"] == "GX0408"), "{ds:#?}");
        assert!(!ds.is_empty());
        // Every cell of the format is written, with its official label.
        let text = std::fs::read_to_string(&report).unwrap();
        let checked = gxgen::check(&report);
        let r = checked.report.unwrap();
        for (i, c) in r.format.cells.iter().enumerate() {
            assert!(matches!(r.cells[i].origin, gxgen::model::Origin::Given(_)), "{} not written", c.key);
            assert!(text.contains(c.col_labels.last().unwrap()), "label of {} missing", c.key);
        }
    }
}

#[test]
fn new_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    assert_eq!(run(&["new", "--year", "2024", "--agency", "某局", d], None).status.code(), Some(0));
    let again = run(&["new", "--year", "2024", "--agency", "某局", d], None);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("已存在"));
    assert_eq!(run(&["new", "--year", "2024", "--agency", "某局", "--force", d], None).status.code(), Some(0));
}

#[test]
fn default_folder_is_named_by_agency_and_year() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["new", "--year", "2024", "--agency", "某某县某某局"], Some(dir.path()));
    assert_eq!(out.status.code(), Some(0));
    assert!(dir.path().join("某某县某某局-2024/report.yaml").exists());
    assert!(dir.path().join("某某县某某局-2024/overview.md").exists());
}
