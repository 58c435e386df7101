//! The report workbook (`gxgen new --xlsx`, report.xlsx): every example
//! written as a workbook reads back to the same cells and builds to the
//! same outputs; mistyped cells are named by sheet!cell with their labels;
//! cached formula values are never trusted; retyped labels are repaired
//! with a warning; both formats.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::common::*;

const APPS: &str = "三、收到和处理政府信息公开申请情况";

/// The example's report folder copied with `report.xlsx` (written from the
/// example's figures) in place of report.yaml.
fn as_workbook(
    example: &Path,
    into: &Path,
    change: impl Fn(&gxgen::format::Format, &mut Vec<Option<String>>),
) -> PathBuf {
    let checked = gxgen::check(example);
    let report = checked.report.expect("example loads");
    let format = report.format;
    let mut values: Vec<Option<String>> =
        (0..format.cells.len()).map(|c| report.value(c).map(|v| v.display(&format.cells[c].kind))).collect();
    change(format, &mut values);
    let bytes = gxgen::workbook::write(format, &gxgen::workbook::MetaValues::of(&report.meta), &values).unwrap();
    std::fs::create_dir_all(into).unwrap();
    for e in std::fs::read_dir(example.parent().unwrap()).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "md") {
            std::fs::copy(&p, into.join(p.file_name().unwrap())).unwrap();
        }
    }
    let path = into.join("report.xlsx");
    std::fs::write(&path, bytes).unwrap();
    path
}

fn set(format: &gxgen::format::Format, values: &mut [Option<String>], key: &str, v: &str) {
    values[format.cell(key).unwrap_or_else(|| panic!("{key}"))] = Some(v.to_string());
}

fn example(name: &str) -> PathBuf {
    repo().join("examples").join(name).join("report.yaml")
}

/// Rewrite one part of an .xlsx (a zip of XML files).
fn edit_part(path: &Path, part: &str, edit: impl Fn(String) -> String) {
    edit_zip(path, |name, data| if name == part { edit(String::from_utf8(data).unwrap()).into_bytes() } else { data });
}

fn messages(ds: &[serde_json::Value], code: &str) -> String {
    with_code(ds, code).iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n")
}

#[test]
fn every_example_reads_back_from_its_workbook_to_the_same_cells() {
    let tmp = tempfile::tempdir().unwrap();
    for (i, ex) in examples().iter().enumerate() {
        let dir = tmp.path().join(i.to_string());
        let wb = as_workbook(ex, &dir, |_, _| {});
        let a = gxgen::check(ex);
        let b = gxgen::check(&wb);
        let listing: Vec<String> = b.diagnostics.list.iter().map(|d| d.message.clone()).collect();
        assert_eq!(b.diagnostics.errors() + b.diagnostics.warnings(), 0, "{}: {listing:?}", ex.display());
        let (ra, rb) = (a.report.unwrap(), b.report.unwrap());
        assert_eq!(gxgen::compose::data_json(&ra), gxgen::compose::data_json(&rb), "{}", ex.display());
        // The documents every renderer draws are the same, tables and text.
        let (da, db) = (a.document.unwrap(), b.document.unwrap());
        assert_eq!(serde_json::to_value(&da).unwrap(), serde_json::to_value(&db).unwrap(), "{}", ex.display());
    }
}

#[test]
fn new_xlsx_is_the_workbook_the_examples_are_filled_in() {
    // `gxgen new --xlsx` and the writer given an example's figures lay out
    // the same sheets with the same labels: the example is a filled copy.
    let tmp = tempfile::tempdir().unwrap();
    for (year, ex) in [(2021, "hanyin-xingzheng-shenpi-2021"), (2020, "ankang-hanbin-2020")] {
        let dir = tmp.path().join(format!("new{year}"));
        let out = run(
            &["new", "--year", &year.to_string(), "--agency", "某某县某某局", "--xlsx", dir.to_str().unwrap()],
            None,
        );
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(!dir.join("report.yaml").exists());
        for f in ["report.xlsx", "overview.md", "problems.md", "other.md"] {
            assert!(dir.join(f).is_file(), "{f}");
        }
        // A new workbook checks like a new report.yaml: no errors.
        let c = run(&["check", dir.to_str().unwrap()], None);
        assert_eq!(c.status.code(), Some(0), "{}", String::from_utf8_lossy(&c.stdout));
        let filled = as_workbook(&example(ex), &tmp.path().join(format!("filled{year}")), |_, _| {});
        let open = |p: &Path| gxgen::workbook::read::open(std::fs::read(p).unwrap()).unwrap();
        let (new, full) = (open(&dir.join("report.xlsx")), open(&filled));
        let names = |b: &gxgen::workbook::read::Book| b.sheets.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&new), names(&full));
        let format = gxgen::format::for_year(year).unwrap();
        for layout in gxgen::workbook::layouts(format) {
            let (a, b) = (new.sheet(&layout.name).unwrap(), full.sheet(&layout.name).unwrap());
            for p in layout.placed.iter().filter(|p| p.cell.role != gxgen::compose::CellRole::Data) {
                assert_eq!(a.values.get(&(p.row, p.col)), b.values.get(&(p.row, p.col)));
                assert_eq!(a.values.get(&(p.row, p.col)).map(String::as_str), Some(p.cell.text.as_str()));
            }
        }
        if year == 2021 {
            assert!(names(&new).contains(&APPS.to_string()), "{:?}", names(&new));
            let s = new.sheet(APPS).unwrap();
            // The vertical 三、本年度办理结果 label and a row label verbatim, where the layout puts them.
            assert!(s.values.values().any(|v| v == "三、本年度办理结果"));
            assert_eq!(s.values.get(&(4, 0)).map(String::as_str), Some("一、本年新收政府信息公开申请数量"));
            // Totals are formulas from the format's sum rules.
            assert_eq!(s.formulas.get(&(4, 9)).map(String::as_str), Some("D5+E5+F5+G5+H5+I5"), "{:?}", s.formulas);
        }
    }
}

#[test]
fn workbook_builds_to_the_same_html_and_pdf_as_the_example() {
    let tmp = tempfile::tempdir().unwrap();
    // PDF for one format (typesetting is the slow part; every example's
    // Document is compared above), HTML for both.
    for (ex, only, n) in [("hanyin-xingzheng-shenpi-2021", "html,pdf", 2), ("ankang-hanbin-2020", "html", 1)] {
        let wb = as_workbook(&example(ex), &tmp.path().join(ex), |_, _| {});
        let (oa, ob) = (tmp.path().join(format!("{ex}-a")), tmp.path().join(format!("{ex}-b")));
        for (src, out) in [(example(ex), &oa), (wb.clone(), &ob)] {
            let o = run(&["build", src.to_str().unwrap(), "--only", only, "-o", out.to_str().unwrap()], None);
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        }
        let mut names: Vec<_> = std::fs::read_dir(&oa).unwrap().map(|e| e.unwrap().file_name()).collect();
        names.sort();
        assert_eq!(names.len(), n, "{names:?}");
        for n in names {
            let (a, b) = (std::fs::read(oa.join(&n)).unwrap(), std::fs::read(ob.join(&n)).unwrap());
            assert!(a == b, "{ex}: {n:?} differs between report.yaml and report.xlsx");
        }
    }
}

#[test]
fn mistyped_cells_are_named_by_sheet_and_cell_with_their_labels() {
    let tmp = tempfile::tempdir().unwrap();
    let wb = as_workbook(&example("hanyin-xingzheng-shenpi-2021"), tmp.path(), |f, v| {
        set(f, v, "applications.new.natural_person", "abc");
        set(f, v, "applications.carried_over.commercial", "-3");
        set(f, v, "applications.results.granted.research", "1.5");
    });
    let ds = check_lib(&wb);
    let all = messages(&ds, "GX0201");
    assert_eq!(with_code(&ds, "GX0201").len(), 3, "{all}");
    for (cell, row, col) in [
        ("D5", "一、本年新收政府信息公开申请数量", "自然人"),
        ("E6", "二、上年结转政府信息公开申请数量", "商业企业"),
        ("F7", "（一）予以公开", "科研机构"),
    ] {
        let d = with_code(&ds, "GX0201")
            .into_iter()
            .find(|d| d.to_string().contains(&format!("{APPS}!{cell}")))
            .unwrap_or_else(|| panic!("{cell} not named: {all}"));
        let text = d.to_string();
        assert!(text.contains(row) && text.contains(col), "{text}");
    }
    // Human output shows the cell's line of the listing, with sheet!cell.
    let out = run(&["check", wb.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("natural_person: \"abc\""), "{text}");
    // The first place the clerk reads (the location line under the message)
    // is the workbook's sheet!cell, not the listing's line; the official
    // labels follow in a note.
    let error = &text[text.find("error[GX0201]").unwrap()..];
    let location = error.lines().nth(1).unwrap();
    assert!(location.trim_start().starts_with("┌─ "), "{error}");
    assert!(location.ends_with(&format!("report.xlsx {APPS}!D5")), "{location}");
    assert!(error.contains("= 在工作簿中：") && error.contains("列「申请人情况 › 自然人」"), "{error}");
    // JSON: file/line/column stay the listing's; `place` is the sheet!cell.
    let (code, json) = check_json(&wb);
    assert_eq!(code, 1);
    let places: Vec<String> =
        with_code(&diags(&json), "GX0201").iter().map(|d| d["place"].as_str().unwrap().to_string()).collect();
    for cell in ["D5", "E6", "F7"] {
        assert!(places.iter().any(|p| p.ends_with(&format!("report.xlsx {APPS}!{cell}"))), "{places:?}");
    }
}

#[test]
fn a_cached_total_that_disagrees_is_not_trusted() {
    let tmp = tempfile::tempdir().unwrap();
    let ex = example("hanyin-xingzheng-shenpi-2021");
    let wb = as_workbook(&ex, tmp.path(), |f, v| set(f, v, "applications.new.total", "999"));
    let b = gxgen::check(&wb);
    let ds: Vec<_> = b.diagnostics.list.iter().map(|d| gxgen::diag::to_json_value(&b.sources, d)).collect();
    assert_eq!(b.diagnostics.errors(), 0, "{ds:?}");
    let stale = messages(&ds, "GX0906");
    assert!(stale.contains("999") && stale.contains(&format!("{APPS}!J5")), "{stale}");
    let a = gxgen::check(&ex).report.unwrap();
    let r = b.report.unwrap();
    assert_eq!(r.get("applications.new.total"), a.get("applications.new.total"));
}

#[test]
fn a_typed_total_over_the_formula_is_checked_like_a_written_total() {
    let tmp = tempfile::tempdir().unwrap();
    let wb = as_workbook(&example("hanyin-xingzheng-shenpi-2021"), tmp.path(), |f, v| {
        set(f, v, "applications.new.total", "5")
    });
    // The clerk typed 5 over J5's formula: the cell holds a number, no formula.
    edit_part(&wb, "xl/worksheets/sheet3.xml", |xml| {
        let start = xml.find("<c r=\"J5\"").expect("J5");
        let end = start + xml[start..].find("</c>").unwrap() + 4;
        let cell = &xml[start..end];
        let f0 = cell.find("<f>").unwrap();
        let f1 = cell.find("</f>").unwrap() + 4;
        let typed = format!("{}{}", &cell[..f0], &cell[f1..]);
        format!("{}{}{}", &xml[..start], typed, &xml[end..])
    });
    let ds = check_lib(&wb);
    let sum = ds.iter().filter(|d| d["code"].as_str().is_some_and(|c| c.starts_with("GX03"))).collect::<Vec<_>>();
    assert!(!sum.is_empty(), "{ds:?}");
    let text = sum.iter().map(|d| d.to_string()).collect::<String>();
    assert!(text.contains(&format!("{APPS}!J5")), "{text}");
    assert!(with_code(&ds, "GX0906").is_empty());
}

#[test]
fn retyped_labels_are_repaired_with_a_warning_and_unknown_ones_are_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let wb = as_workbook(&example("hanyin-xingzheng-shenpi-2021"), tmp.path(), |_, _| {});
    edit_part(&wb, "xl/sharedStrings.xml", |xml| {
        xml.replace(">1.属于国家秘密<", ">1.属于国家机密<").replace(">（一）予以公开<", ">予以公开<")
    });
    let b = gxgen::check(&wb);
    let ds: Vec<_> = b.diagnostics.list.iter().map(|d| gxgen::diag::to_json_value(&b.sources, d)).collect();
    assert_eq!(b.diagnostics.errors(), 0, "{ds:?}");
    let repaired = messages(&ds, "GX0903");
    assert_eq!(with_code(&ds, "GX0903").len(), 2, "{repaired}");
    assert!(repaired.contains("1.属于国家机密") && repaired.contains("1.属于国家秘密"), "{repaired}");
    assert!(repaired.contains(&format!("{APPS}!C9")), "{repaired}");
    // The document prints the official labels.
    let doc = serde_json::to_string(&b.document.unwrap()).unwrap();
    assert!(doc.contains("1.属于国家秘密") && !doc.contains("国家机密"));

    let wb2 = as_workbook(&example("hanyin-xingzheng-shenpi-2021"), &tmp.path().join("b"), |_, _| {});
    edit_part(&wb2, "xl/sharedStrings.xml", |xml| {
        xml.replace(">（一）予以公开<", ">（二）部分公开（区分处理的，只计这一情形，不计其他情形）<")
    });
    let ds = check_lib(&wb2);
    assert!(messages(&ds, "GX0904").contains("另一行"), "{ds:?}");
}

#[test]
fn the_2019_format_reads_signed_changes_and_money_with_units() {
    let tmp = tempfile::tempdir().unwrap();
    let ex = example("ankang-hanbin-2020");
    let wb = as_workbook(&ex, tmp.path(), |_, _| {});
    let r = gxgen::check(&wb).report.unwrap();
    assert_eq!(r.get("active.penalty.change").unwrap().number.to_string(), "-167");
    let amount = r.format.cell("active.procurement.amount").unwrap();
    assert_eq!(r.value(amount).unwrap().display(&r.format.cells[amount].kind), "16800万元");
    // A unitless amount where the unit belongs in the cell, and a fraction in a signed cell.
    let wb = as_workbook(&ex, &tmp.path().join("bad"), |f, v| {
        set(f, v, "active.procurement.amount", "16800");
        set(f, v, "active.penalty.change", "2.5");
    });
    let ds = check_lib(&wb);
    assert!(!with_code(&ds, "GX0204").is_empty() && !with_code(&ds, "GX0202").is_empty(), "{ds:?}");
}

#[test]
fn a_damaged_workbook_is_a_diagnostic_not_a_crash() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("report.xlsx");
    std::fs::write(&p, b"PK\x03\x04 not really a workbook").unwrap();
    let out = run(&["check", p.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stdout).contains("GX0901"));
    // A workbook without its sheets says which are missing.
    std::fs::write(&p, gxgen::driver::workspace::sheet::write_xlsx(&["机关全称".to_string()]).unwrap()).unwrap();
    let ds = check_lib(&p);
    assert!(messages(&ds, "GX0902").contains("基本信息"), "{ds:?}");
}

#[test]
fn import_xlsx_writes_the_report_as_a_workbook() {
    let tmp = tempfile::tempdir().unwrap();
    let src = repo().join("tests/fixtures/import/ankang-hanbin-2020.docx");
    let (a, b) = (tmp.path().join("yaml"), tmp.path().join("xlsx"));
    for (out, extra) in [(&a, None), (&b, Some("--xlsx"))] {
        let mut args = vec!["import", src.to_str().unwrap(), "-o", out.to_str().unwrap()];
        args.extend(extra);
        let o = run(&args, None);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    assert!(b.join("report.xlsx").is_file() && !b.join("report.yaml").exists());
    let (ra, rb) = (gxgen::check(&a.join("report.yaml")), gxgen::check(&b.join("report.xlsx")));
    assert_eq!(gxgen::compose::data_json(&ra.report.unwrap()), gxgen::compose::data_json(&rb.report.unwrap()));
}

#[test]
fn a_workspace_lists_report_workbooks_as_agencies() {
    let tmp = tempfile::tempdir().unwrap();
    as_workbook(&example("hanyin-xingzheng-shenpi-2021"), &tmp.path().join("hanyin"), |_, _| {});
    as_workbook(&example("hongsibu-shenpi-2021"), &tmp.path().join("hongsibu"), |_, _| {});
    std::fs::write(
        tmp.path().join("gxgen.yaml"),
        "year: 2021\nagencies:\n  - hanyin\n  - workbook: hongsibu/report.xlsx\n",
    )
    .unwrap();
    let out = run(&["check", tmp.path().to_str().unwrap()], None);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert_eq!(text.matches("：通过，0 个错误").count(), 2, "{text}");
}

#[test]
fn report_yaml_may_name_its_workbook() {
    let tmp = tempfile::tempdir().unwrap();
    let ex = example("hongsibu-shenpi-2021");
    let wb = as_workbook(&ex, tmp.path(), |_, _| {});
    std::fs::rename(&wb, tmp.path().join("数据.xlsx")).unwrap();
    let yaml = tmp.path().join("report.yaml");
    std::fs::write(
        &yaml,
        "workbook: 数据.xlsx\nnarrative:\n  overview: overview.md\n  problems: problems.md\n  other_matters: other.md\n",
    )
    .unwrap();
    let (a, b) = (gxgen::check(&ex), gxgen::check(&yaml));
    let listing: Vec<String> = b.diagnostics.list.iter().map(|d| d.message.clone()).collect();
    assert_eq!(b.diagnostics.errors() + b.diagnostics.warnings(), 0, "{listing:?}");
    assert_eq!(gxgen::compose::data_json(&a.report.unwrap()), gxgen::compose::data_json(&b.report.unwrap()));
    // The agency written in both places is one too many.
    std::fs::write(&yaml, "workbook: 数据.xlsx\nmeta:\n  agency: 别的名称\n").unwrap();
    let ds = check_lib(&yaml);
    assert!(messages(&ds, "GX0908").contains("agency"), "{ds:?}");
    // Only a workbook inside the folder.
    std::fs::write(&yaml, "workbook: ../数据.xlsx\n").unwrap();
    assert!(!with_code(&check_lib(&yaml), "GX0106").is_empty());
}

#[test]
fn a_workbook_that_inflates_past_the_limit_is_refused() {
    // A tiny zip whose one part inflates to 65 MiB of zeros.
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    z.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    let block = vec![0u8; 1 << 20];
    for _ in 0..65 {
        z.write_all(&block).unwrap();
    }
    let bytes = z.finish().unwrap().into_inner();
    assert!(bytes.len() < 200_000, "{}", bytes.len());
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("report.xlsx");
    std::fs::write(&p, bytes).unwrap();
    let ds = check_lib(&p);
    assert!(messages(&ds, "GX0901").contains("解压后超过上限"), "{ds:?}");
}

#[test]
fn new_xlsx_from_converts_a_report_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let ex = example("wenshang-xingzheng-shenpi-2020");
    let dir = tmp.path().join("wb");
    let out = run(&["new", "--xlsx", "--from", ex.to_str().unwrap(), dir.to_str().unwrap()], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (a, b) = (gxgen::check(&ex), gxgen::check(&dir.join("report.xlsx")));
    assert_eq!(b.diagnostics.errors() + b.diagnostics.warnings(), 0);
    assert_eq!(serde_json::to_value(a.document.unwrap()).unwrap(), serde_json::to_value(b.document.unwrap()).unwrap());
}

#[test]
fn a_broken_rule_names_the_cells_of_the_workbook() {
    // 5 new applications and nothing done with them: the 勾稽关系 of table 三
    // fails; its total is a formula (computed), and the diagnostic still
    // names where it is in the workbook.
    let tmp = tempfile::tempdir().unwrap();
    let wb = as_workbook(&example("hanyin-xingzheng-shenpi-2021"), tmp.path(), |f, v| {
        set(f, v, "applications.new.natural_person", "5")
    });
    let ds = check_lib(&wb);
    let rules: Vec<_> = ds.iter().filter(|d| d["code"].as_str().is_some_and(|c| c.starts_with("GX03"))).collect();
    assert!(!rules.is_empty(), "{ds:?}");
    for d in rules {
        assert!(d.to_string().contains(&format!("{APPS}!")), "{d}");
    }
}

/// A third format file gets its workbook with no code: its new row is a
/// row of the sheet, and the workbook checks under it.
#[test]
fn a_third_format_file_gets_its_workbook() {
    let formats = tempfile::tempdir().unwrap();
    std::fs::write(formats.path().join("2031.yaml"), crate::formats::format_2031()).unwrap();
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("r");
    let g = |args: &[&str]| {
        let o = gxgen().env("GXGEN_FORMATS", formats.path()).args(args).output().unwrap();
        (o.status.code(), format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr)))
    };
    let (code, text) = g(&["new", "--year", "2031", "--agency", "某某县测试局", "--xlsx", dir.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{text}");
    let book = gxgen::workbook::read::open(std::fs::read(dir.join("report.xlsx")).unwrap()).unwrap();
    let apps = book.sheet(APPS).unwrap();
    assert!(apps.values.values().any(|v| v == "4.申请人撤回申请"), "the new row is in the sheet");
    assert!(book.sheet("五、存在的主要问题和改进措施").is_none(), "narrative parts have no sheet");
    let (code, text) = g(&["check", dir.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("2031 格式"), "{text}");
}

#[test]
fn last_years_report_may_be_a_workbook() {
    let tmp = tempfile::tempdir().unwrap();
    let ex = example("hanyin-xingzheng-shenpi-2021");
    as_workbook(&ex, &tmp.path().join("2021"), |_, _| {});
    let this = tmp.path().join("2022");
    std::fs::create_dir_all(&this).unwrap();
    for f in ["overview.md", "problems.md", "other.md"] {
        std::fs::copy(ex.parent().unwrap().join(f), this.join(f)).unwrap();
    }
    let yaml = std::fs::read_to_string(&ex)
        .unwrap()
        .replace("year: 2021 ", "year: 2022 ")
        .replace("meta:\n", "meta:\n  previous: ../2021/report.xlsx\n");
    std::fs::write(this.join("report.yaml"), yaml).unwrap();
    let c = gxgen::check(&this.join("report.yaml"));
    let ds: Vec<_> = c.diagnostics.list.iter().map(|d| gxgen::diag::to_json_value(&c.sources, d)).collect();
    assert_eq!(c.report.unwrap().meta.year.value, 2022);
    assert!(with_code(&ds, "GX0407").is_empty(), "{ds:?}");
    assert_eq!(c.diagnostics.errors(), 0, "{ds:?}");
}

/// A workbook opened and saved again by LibreOffice Calc (as a clerk's
/// office suite would) reads back to the same report. Skipped, with a
/// notice, without Calc (libreoffice-calc-nogui). Ignored by default: a
/// fresh LibreOffice profile takes about 10 s to start (run with
/// `cargo test --test suite -- --ignored workbook::`).
#[test]
#[ignore = "starts LibreOffice (about 10 s)"]
fn a_workbook_saved_again_by_libreoffice_reads_back_the_same() {
    use std::process::Command;
    let tmp = tempfile::tempdir().unwrap();
    let ex = example("ankang-hanbin-2020");
    let wb = as_workbook(&ex, &tmp.path().join("wb"), |_, _| {});
    let saved = tmp.path().join("saved");
    let o = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", tmp.path().join("profile").display()))
        .args(["--headless", "--convert-to", "xlsx", "--outdir"])
        .arg(&saved)
        .arg(&wb)
        .output();
    if !o.is_ok_and(|o| o.status.success()) || !saved.join("report.xlsx").is_file() {
        eprintln!(
            "NOTICE: workbook::a_workbook_saved_again_by_libreoffice_reads_back_the_same skipped: LibreOffice Calc not installed (apt-get install libreoffice-calc-nogui)"
        );
        return;
    }
    for f in ["overview.md", "problems.md", "other.md"] {
        std::fs::copy(ex.parent().unwrap().join(f), saved.join(f)).unwrap();
    }
    let (a, b) = (gxgen::check(&ex), gxgen::check(&saved.join("report.xlsx")));
    let listing: Vec<String> = b.diagnostics.list.iter().map(|d| d.message.clone()).collect();
    assert_eq!(b.diagnostics.errors() + b.diagnostics.warnings(), 0, "{listing:?}");
    assert_eq!(serde_json::to_value(a.document.unwrap()).unwrap(), serde_json::to_value(b.document.unwrap()).unwrap());
}

#[test]
fn a_named_workbook_in_a_subfolder_finds_the_narrative_beside_report_yaml() {
    let tmp = tempfile::tempdir().unwrap();
    let ex = example("zhoukou-chuanhui-shujuju-2021");
    let wb = as_workbook(&ex, tmp.path(), |_, _| {});
    std::fs::create_dir_all(tmp.path().join("数据")).unwrap();
    std::fs::rename(&wb, tmp.path().join("数据/报告.xlsx")).unwrap();
    std::fs::write(tmp.path().join("report.yaml"), "workbook: 数据/报告.xlsx\n").unwrap();
    let c = gxgen::check(&tmp.path().join("report.yaml"));
    let listing: Vec<String> = c.diagnostics.list.iter().map(|d| d.message.clone()).collect();
    assert_eq!(c.diagnostics.errors() + c.diagnostics.warnings(), 0, "{listing:?}");
    let a = gxgen::check(&ex);
    assert_eq!(serde_json::to_value(a.document.unwrap()).unwrap(), serde_json::to_value(c.document.unwrap()).unwrap());
}

/// Damaged workbooks (bytes changed anywhere, cut short) are diagnostics,
/// never a panic: through the library, as `check` runs.
#[test]
fn damaged_workbooks_never_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let wb = as_workbook(&example("hanyin-xingzheng-shenpi-2021"), tmp.path(), |_, _| {});
    let good = std::fs::read(&wb).unwrap();
    let mut rng = Rng(0x9e3779b97f4a7c15);
    for i in 0..60 {
        let mut bytes = good.clone();
        if i % 4 == 0 {
            bytes.truncate(rng.below(good.len() as u64) as usize);
        } else {
            for _ in 0..1 + rng.below(8) {
                let at = rng.below(bytes.len() as u64) as usize;
                bytes[at] = rng.below(256) as u8;
            }
        }
        std::fs::write(&wb, &bytes).unwrap();
        let c = gxgen::check(&wb);
        assert!(c.report.is_some() || c.diagnostics.errors() > 0, "mutation {i}: no report and no error");
    }
}
