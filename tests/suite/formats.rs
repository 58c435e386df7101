//! The table templates: both official formats load, have the official
//! shape, and the code is generic over them.

use gxgen::format::{self, Check, Owner};

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
