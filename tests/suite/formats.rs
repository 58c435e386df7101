//! The table templates: both official formats load, have the official
//! shape, and the code is generic over them.

use gxgen::format::{self, Check, Owner};

use crate::common::gxgen;

fn table_cells(f: &format::Format, key: &str) -> usize {
    f.cells.iter().filter(|c| matches!(c.owner, Owner::Table { table, .. } if f.tables[table].key == key)).count()
}

#[test]
fn official_shapes() {
    let f21 = format::by_id("2021").unwrap();
    let f19 = format::by_id("2019").unwrap();
    // Table 三: 25 × 7 in 2021, 23 × 7 in 2019; table 四: 15 cells.
    assert_eq!(table_cells(f21, "applications"), 175);
    assert_eq!(table_cells(f19, "applications"), 161);
    assert_eq!(table_cells(f21, "review_litigation"), 15);
    assert_eq!(table_cells(f19, "review_litigation"), 15);
    // formats.md §6.8: 42 (2021) and 40 (2019) hard arithmetic checks.
    let hard = |f: &format::Format| {
        f.rules.iter().filter(|r| ["T3-1", "T3-2", "T3-3", "T4-1"].contains(&r.id.as_str())).count()
    };
    assert_eq!(hard(f21), 42);
    assert_eq!(hard(f19), 40);
    assert!(f21.rules.iter().filter(|r| r.id == "T3-2").all(|r| r.check == Check::Sum && r.right.len() == 6));
}

#[test]
fn format_is_chosen_by_year() {
    assert_eq!(format::for_year(2019).unwrap().id, "2019");
    assert_eq!(format::for_year(2020).unwrap().id, "2019");
    assert_eq!(format::for_year(2021).unwrap().id, "2021");
    assert_eq!(format::for_year(2030).unwrap().id, "2021");
    assert!(format::for_year(2018).is_none());
}

#[test]
fn labels_are_verbatim_full_width() {
    let f = format::by_id("2021").unwrap();
    let c = &f.cells[f.cell("applications.results.partial.total").unwrap()];
    assert_eq!(c.row_labels, ["三、本年度办理结果", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"]);
    let c = &f.cells[f.cell("applications.results.denied.state_secret.commercial").unwrap()];
    assert_eq!(c.row_labels.last().unwrap(), "1.属于国家秘密");
    assert_eq!(c.col_labels, ["申请人情况", "法人或其他组织", "商业企业"]);
    let c = &f.cells[f.cell("active.admin_fees.amount_wan").unwrap()];
    assert_eq!(c.col_labels, ["本年收费金额（单位：万元）"]);
    assert_eq!(c.row_labels, ["第二十条第（八）项", "行政事业性收费"]);
    let f = format::by_id("2019").unwrap();
    let c = &f.cells[f.cell("active.normative_docs.new_made").unwrap()];
    assert_eq!(c.row_labels.last().unwrap(), "规范性文件");
}

/// A new official format is a new file: a variant template (one more row
/// in table 三, a different id and years) loads and its rules cover the
/// new row without any code change.
#[test]
fn a_third_format_needs_no_code() {
    let text = gxgen::assets::text("tables/2021.yaml").unwrap();
    let line = text.lines().find(|l| l.trim() == "- {key: other, label: 3.其他}").unwrap();
    let indent = &line[..line.len() - line.trim_start().len()];
    let text = text
        .replace("id: \"2021\"", "id: \"2031\"")
        .replace("years: {from: 2021}", "years: {from: 2031}")
        .replace(line, &format!("{line}\n{indent}- {{key: withdrawn, label: 4.申请人撤回申请}}"));
    let f = format::load(&text).unwrap();
    assert_eq!(table_cells(&f, "applications"), 182);
    let cell = f.cell("applications.results.other.withdrawn.total").unwrap();
    // The row is summed by its own T3-2 and takes part in （七）总计.
    assert!(f.rules.iter().any(|r| r.id == "T3-2" && r.total() == Some(cell)));
    assert!(f.rules.iter().any(|r| r.id == "T3-3" && r.right.iter().any(|t| t.cell == format::CellRef::This(cell))));
}

#[test]
fn broken_templates_are_refused_with_a_reason() {
    let text = gxgen::assets::text("tables/2021.yaml").unwrap();
    let err = format::load(&text.replace("applications.results.partial.$col", "applications.results.partal.$col"))
        .unwrap_err();
    assert!(err.contains("partal"), "{err}");
    let err = format::load(&text.replace("{key: research, label: 科研机构}", "{key: commercial, label: 科研机构}"))
        .unwrap_err();
    assert!(err.contains("duplicate"), "{err}");
}

/// The 2031 variant as a file: one more row in table 三, a changed part
/// heading and another section key.
pub(crate) fn format_2031() -> String {
    let text = gxgen::assets::text("tables/2021.yaml").unwrap();
    let line = text.lines().find(|l| l.trim() == "- {key: other, label: 3.其他}").unwrap();
    let indent = &line[..line.len() - line.trim_start().len()];
    text.replace("id: \"2021\"", "id: \"2031\"")
        .replace("years: {from: 2021}", "years: {from: 2031}")
        .replace(line, &format!("{line}\n{indent}- {{key: withdrawn, label: 4.申请人撤回申请}}"))
        .replace(
            "  - key: problems\n    label: 五、存在的主要问题及改进情况",
            "  - key: issues\n    label: 五、存在的主要问题和改进措施",
        )
        .replace("file: problems.md", "file: issues.md")
}

/// A new official format is a new file, with no Rust change: put in the
/// folder GXGEN_FORMATS names, gxgen new, check, build and import use it.
#[test]
fn a_third_format_file_runs_through_new_check_build_and_import() {
    let formats = tempfile::tempdir().unwrap();
    std::fs::write(formats.path().join("2031.yaml"), format_2031()).unwrap();
    let work = tempfile::tempdir().unwrap();
    let report = work.path().join("r");
    let g = |args: &[&str]| {
        let o = gxgen().env("GXGEN_FORMATS", formats.path()).args(args).output().unwrap();
        let text = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
        (o.status.code(), text)
    };
    let (code, text) = g(&["new", "--year", "2031", "--agency", "某某县测试局", report.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{text}");
    let yaml = std::fs::read_to_string(report.join("report.yaml")).unwrap();
    assert!(yaml.contains("format: \"2031\"") && yaml.contains("4.申请人撤回申请"), "{yaml}");
    assert!(yaml.contains("issues: issues.md") && report.join("issues.md").exists(), "{yaml}");

    // Fill the placeholders, then check and build.
    for f in ["overview.md", "issues.md", "other.md"] {
        let p = report.join(f);
        let t = std::fs::read_to_string(&p).unwrap().replace("【待填写】", "无。");
        std::fs::write(&p, t).unwrap();
    }
    let y = report.join("report.yaml");
    let (code, text) = g(&["check", y.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{text}");
    let out = work.path().join("out");
    let (code, text) = g(&["build", y.to_str().unwrap(), "--only", "html", "-o", out.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{text}");
    let page = out.join("2031-某某县测试局.html");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("4.申请人撤回申请") && html.contains("五、存在的主要问题和改进措施"), "new row and heading");
    assert!(html.contains("data-key=\"applications.results.other.withdrawn.natural_person\""));

    // The published page reads back in the new format.
    let back = work.path().join("back");
    let (code, text) = g(&["import", page.to_str().unwrap(), "-o", back.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{text}");
    let imported = std::fs::read_to_string(back.join("report.yaml")).unwrap();
    assert!(imported.contains("format: \"2031\""), "{imported}");
    let (code, text) = g(&["check", back.join("report.yaml").to_str().unwrap()]);
    assert_ne!(code, Some(2), "{text}");

    // Without the folder, 2031 is not a format gxgen knows.
    let o = gxgen().args(["check", y.to_str().unwrap()]).env_remove("GXGEN_FORMATS").output().unwrap();
    assert_ne!(o.status.code(), Some(0));
}

#[test]
fn a_broken_format_file_stops_every_command_with_a_located_reason() {
    let formats = tempfile::tempdir().unwrap();
    std::fs::write(formats.path().join("2031.yaml"), format_2031().replace("id: \"2031\"", "id: \"2021\"")).unwrap();
    let o = gxgen().env("GXGEN_FORMATS", formats.path()).args(["explain", "GX0301"]).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("GX0109") && err.contains("2031.yaml") && err.contains("与已有的格式重复"), "{err}");
}
