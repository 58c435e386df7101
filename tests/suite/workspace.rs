//! Workspaces: many reports from shared settings in one run; one agency's
//! errors do not stop the others; an index and a summed report.

use crate::common::*;
use std::path::Path;

/// A workspace of three 2021 examples; one of them takes its year, publish
/// date and part 五 from the workspace.
pub(crate) fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for e in ["hanyin-xingzheng-shenpi-2021", "hongsibu-shenpi-2021", "zhoukou-chuanhui-shujuju-2021"] {
        std::fs::create_dir(root.join(e)).unwrap();
        for f in std::fs::read_dir(repo().join("examples").join(e)).unwrap() {
            let f = f.unwrap();
            if f.path().is_file() {
                std::fs::copy(f.path(), root.join(e).join(f.file_name())).unwrap();
            }
        }
    }
    std::fs::create_dir(root.join("shared")).unwrap();
    std::fs::write(root.join("shared/problems.md"), "{{ agency }}的问题与改进：共用文字。\n").unwrap();
    std::fs::write(
        root.join("gxgen.yaml"),
        "year: 2021\nregion: 测试区\ndefaults:\n  meta:\n    publish_date: 2022-01-20\n  narrative:\n    problems: shared/problems.md\nsummary: {agency: 测试区各部门汇总}\n",
    )
    .unwrap();
    let y = root.join("hanyin-xingzheng-shenpi-2021/report.yaml");
    let t = std::fs::read_to_string(&y).unwrap();
    let t: String = t
        .lines()
        .filter(|l| !l.trim_start().starts_with("year:") && !l.trim_start().starts_with("problems:"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&y, t).unwrap();
    dir
}

fn build(dir: &Path, extra: &[&str]) -> (i32, String) {
    let mut args = vec!["build", dir.to_str().unwrap(), "--only", "html"];
    args.extend_from_slice(extra);
    let o = run(&args, None);
    (o.status.code().unwrap(), String::from_utf8_lossy(&o.stderr).into_owned())
}

#[test]
fn a_workspace_builds_every_agency_an_index_and_a_summary() {
    let ws = workspace();
    // The summed report as the government's own report, with its narrative.
    std::fs::write(ws.path().join("shared/gov.md"), "本级汇总的总体情况。\n").unwrap();
    let manifest = std::fs::read_to_string(ws.path().join("gxgen.yaml")).unwrap().replace(
        "summary: {agency: 测试区各部门汇总}",
        "summary: {agency: 测试区各部门汇总, kind: government, narrative: {overview: shared/gov.md}}",
    );
    std::fs::write(ws.path().join("gxgen.yaml"), manifest).unwrap();
    let (code, err) = build(ws.path(), &["-j", "2"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        std::fs::read_to_string(ws.path().join("out/2021-测试区各部门汇总.html"))
            .unwrap()
            .contains("本级汇总的总体情况。")
    );
    let out = ws.path().join("out");
    for name in [
        "2021-汉阴县行政审批服务局.html",
        "2021-吴忠市红寺堡区审批服务管理局.html",
        "2021-川汇区政务服务和大数据管理局.html",
        "2021-测试区各部门汇总.html",
        "index.html",
    ] {
        assert!(out.join(name).exists(), "{name} missing: {err}");
    }
    // Defaults filled what the report left out, with the agency's own data.
    let hanyin = std::fs::read_to_string(out.join("2021-汉阴县行政审批服务局.html")).unwrap();
    assert!(hanyin.contains("汉阴县行政审批服务局的问题与改进：共用文字。"));
    assert!(hanyin.contains("2022年1月20日"));
    // The summary sums every cell.
    let sum = std::fs::read_to_string(out.join("2021-测试区各部门汇总.html")).unwrap();
    let want: i64 = ["hanyin-xingzheng-shenpi-2021", "hongsibu-shenpi-2021", "zhoukou-chuanhui-shujuju-2021"]
        .iter()
        .map(|e| {
            gxgen::check(&repo().join("examples").join(e).join("report.yaml"))
                .report
                .unwrap()
                .get("active.licensing.decisions")
                .map_or(0, |v| v.number.to_i64().unwrap())
        })
        .sum();
    assert!(sum.contains(&format!("data-key=\"active.licensing.decisions\" colspan=\"3\">{want}<")), "sum {want}");
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    for a in ["汉阴县行政审批服务局", "吴忠市红寺堡区审批服务管理局", "川汇区政务服务和大数据管理局"]
    {
        assert!(index.contains(a));
    }
    assert!(index.contains("已生成 3 份"));
    // Byte-identical on a rebuild, the index and the findings page too
    // (written again, not left in place).
    let before = std::fs::read(out.join("2021-测试区各部门汇总.html")).unwrap();
    let pages: Vec<Vec<u8>> =
        ["index.html", "问题清单.html"].iter().map(|n| std::fs::read(out.join(n)).unwrap()).collect();
    for n in ["index.html", "问题清单.html"] {
        std::fs::remove_file(out.join(n)).unwrap();
    }
    build(ws.path(), &[]);
    assert_eq!(before, std::fs::read(out.join("2021-测试区各部门汇总.html")).unwrap());
    for (n, want) in ["index.html", "问题清单.html"].iter().zip(&pages) {
        assert_eq!(&std::fs::read(out.join(n)).unwrap(), want, "{n}");
    }
}

#[test]
fn a_broken_agency_does_not_stop_the_others_and_is_named_in_the_summary() {
    let ws = workspace();
    let y = ws.path().join("hongsibu-shenpi-2021/report.yaml");
    let t = std::fs::read_to_string(&y).unwrap().replacen(
        "new:                    [0, 0, 0, 0, 0, 0, 0]",
        "new:                    [1, 0, 0, 0, 0, 0, 0]",
        1,
    );
    std::fs::write(&y, t).unwrap();
    let (code, err) = build(ws.path(), &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("未生成  吴忠市红寺堡区审批服务管理局"), "{err}");
    assert!(err.contains("已生成  汉阴县行政审批服务局"), "{err}");
    assert!(
        err.contains("error[GX0702]") && err.contains("不符合这条规则（GX0302）的单位：吴忠市红寺堡区审批服务管理局"),
        "{err}"
    );
    let out = ws.path().join("out");
    assert!(out.join("2021-汉阴县行政审批服务局.html").exists());
    assert!(!out.join("2021-吴忠市红寺堡区审批服务管理局.html").exists());
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("未生成 1 份"));
}

#[test]
fn a_failed_or_departed_agencys_old_outputs_are_removed_not_published_stale() {
    let ws = workspace();
    let out = ws.path().join("out");
    assert_eq!(build(ws.path(), &[]).0, 0);
    let page = out.join("2021-吴忠市红寺堡区审批服务管理局.html");
    assert!(page.exists());
    // Broken now: last build's page must not stay beside the index.
    let y = ws.path().join("hongsibu-shenpi-2021/report.yaml");
    let good = std::fs::read_to_string(&y).unwrap();
    std::fs::write(
        &y,
        good.replacen(
            "new:                    [0, 0, 0, 0, 0, 0, 0]",
            "new:                    [1, 0, 0, 0, 0, 0, 0]",
            1,
        ),
    )
    .unwrap();
    let (code, err) = build(ws.path(), &[]);
    assert_eq!(code, 1, "{err}");
    assert!(!page.exists());
    assert!(
        err.contains("已删除上次生成、这次没有生成的文件") && err.contains("2021-吴忠市红寺堡区审批服务管理局.html"),
        "{err}"
    );
    assert!(out.join("2021-汉阴县行政审批服务局.html").exists());
    // Mended: built again. A file gxgen did not write is never touched.
    std::fs::write(&y, good).unwrap();
    std::fs::write(out.join("说明.html"), "本单位自己放的文件").unwrap();
    let (code, err) = build(ws.path(), &[]);
    assert_eq!(code, 0, "{err}");
    assert!(page.exists() && !err.contains("已删除"), "{err}");
    // An agency that leaves the workspace takes its outputs with it.
    std::fs::remove_dir_all(ws.path().join("hongsibu-shenpi-2021")).unwrap();
    let (code, err) = build(ws.path(), &[]);
    assert_eq!(code, 0, "{err}");
    assert!(!page.exists() && out.join("说明.html").exists(), "{err}");
}

#[test]
fn outputs_not_asked_for_this_time_are_kept() {
    let ws = workspace();
    let o = run(&["build", ws.path().to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let pdf = ws.path().join("out/2021-汉阴县行政审批服务局.pdf");
    assert!(pdf.exists());
    // A quick look at the pages only: last build's PDFs stay.
    let (code, err) = build(ws.path(), &[]);
    assert_eq!(code, 0, "{err}");
    assert!(pdf.exists() && !err.contains("已删除"), "{err}");
}

#[test]
fn manifest_errors_are_located() {
    let ws = workspace();
    std::fs::write(ws.path().join("gxgen.yaml"), "year: 2021\nagencis: [a]\n").unwrap();
    let (code, err) = build(ws.path(), &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("error[GX0701]") && err.contains("gxgen.yaml:2:1") && err.contains("agencies"), "{err}");
    // A listed agency that is not there fails alone (issue 14, defect 15).
    std::fs::write(ws.path().join("gxgen.yaml"), "agencies: [不存在的单位]\n").unwrap();
    let (code, err) = build(ws.path(), &[]);
    assert_eq!(code, 1);
    assert!(err.contains("找不到报告"), "{err}");
}

fn mtimes(dir: &Path) -> Vec<(String, std::time::SystemTime)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.file_name().to_string_lossy().into_owned(), e.metadata().unwrap().modified().unwrap())
        })
        .collect();
    v.sort();
    v
}

#[test]
fn a_rebuild_with_no_change_rewrites_nothing_and_an_edit_rebuilds_one_agency() {
    let ws = workspace();
    let (code, err) = build(ws.path(), &[]);
    assert_eq!(code, 0, "{err}");
    let out = ws.path().join("out");
    let first = mtimes(&out);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let (code, _) = build(ws.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(mtimes(&out), first, "a no-change rebuild rewrote files");
    // Edit one agency: it and the summary are rebuilt, the others are not.
    let md = ws.path().join("hongsibu-shenpi-2021/other.md");
    let t = std::fs::read_to_string(&md).unwrap() + "\n补充一句。\n";
    std::fs::write(&md, t).unwrap();
    let (code, _) = build(ws.path(), &[]);
    assert_eq!(code, 0);
    let after = mtimes(&out);
    let changed: Vec<&String> = after.iter().zip(&first).filter(|(a, b)| a.1 != b.1).map(|(a, _)| &a.0).collect();
    assert!(changed.iter().any(|n| n.contains("吴忠市红寺堡区")), "{changed:?}");
    assert!(changed.iter().any(|n| n.contains("汇总")), "{changed:?}");
    assert!(!changed.iter().any(|n| n.contains("汉阴县") || n.contains("川汇区")), "{changed:?}");
}

#[test]
fn the_county_example_builds_and_a_carry_over_mismatch_is_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let county = dir.path().join("county");
    copy_dir(&repo().join("examples/county"), &county);
    let (code, err) = build(&county.join("2024"), &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("共 35 个单位：0 个未生成"), "{err}");
    let index = std::fs::read_to_string(county.join("2024/out/index.html")).unwrap();
    assert!(index.contains("清河县人民政府") && index.contains("城关镇人民政府") && index.contains("县公安局"));
    // Found by the one-folder-per-year layout even without meta.previous.
    let this = county.join("2024/县公安局/report.yaml");
    let t: String = std::fs::read_to_string(&this)
        .unwrap()
        .lines()
        .filter(|l| !l.contains("previous:"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&this, t).unwrap();
    // Last year's 结转下年度 no longer matches this year's 上年结转.
    let y = county.join("2023/县公安局/report.yaml");
    let text = std::fs::read_to_string(&y).unwrap();
    let bump = |line: &str| {
        let (head, list) = line.split_once('[').unwrap();
        let mut v: Vec<i64> = list.trim_end_matches(']').split(',').map(|x| x.trim().parse().unwrap()).collect();
        v[0] += 1;
        v[6] += 1;
        format!("{head}[{}]", v.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(", "))
    };
    let text: String = text
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("new:") || l.trim_start().starts_with("carried_forward:") {
                bump(l)
            } else {
                l.to_string()
            }
        })
        .map(|l| l + "\n")
        .collect();
    std::fs::write(&y, text).unwrap();
    let (code, err) = build(&county.join("2024"), &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error[GX0341]"), "{err}");
    assert!(err.contains("2024/县公安局/report.yaml") && err.contains("2023/县公安局/report.yaml"), "{err}");
    assert!(err.contains("未生成  县公安局"), "{err}");
    // `gxgen check` of the workspace, of the agency's folder, or of its
    // data file reads it with the workspace's settings and finds the same;
    // it writes nothing.
    let before = mtimes(&county.join("2024/out"));
    for target in [county.join("2024"), county.join("2024/县公安局"), county.join("2024/县公安局/report.yaml")]
    {
        let o = run(&["check", target.to_str().unwrap()], None);
        let out = String::from_utf8_lossy(&o.stdout);
        assert_eq!(o.status.code(), Some(1), "{out}");
        assert_eq!(out.matches("error[GX0341]").count(), 2, "{out}");
        assert!(!out.contains("GX0104"), "workspace defaults applied: {out}");
    }
    let o = run(&["check", county.join("2024").to_str().unwrap()], None);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("共 35 份报告：1 份未通过"), "{out}");
    assert!(
        out.contains("乡镇街道.xlsx 工作表“各乡镇街道” 第2行（城关镇人民政府）（2024 年度，2021 格式）：通过"),
        "{out}"
    );
    assert_eq!(mtimes(&county.join("2024/out")), before);
}

#[test]
fn a_bad_spreadsheet_cell_names_file_agency_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    let header_file = ws.join("h.csv");
    assert_eq!(
        run(&["template", "csv", "--year", "2024", "-o", header_file.to_str().unwrap()], None).status.code(),
        Some(0)
    );
    let header = std::fs::read_to_string(&header_file).unwrap();
    let header = header.trim_start_matches('\u{feff}').trim_end();
    let n = header.split(',').count();
    let col = header
        .split(',')
        .position(|h| h == "三、收到和处理政府信息公开申请情况/一、本年新收政府信息公开申请数量/自然人")
        .unwrap();
    let mut good = vec!["0".to_string(); n];
    good[0] = "甲镇人民政府".into();
    good[1] = "乡镇".into();
    good[2] = "2025-01-20".into();
    let mut bad = good.clone();
    bad[0] = "乙镇人民政府".into();
    bad[col] = "很多".into();
    std::fs::write(ws.join("乡镇.csv"), format!("{header}\r\n{}\r\n{}\r\n", good.join(","), bad.join(","))).unwrap();
    std::fs::write(ws.join("gxgen.yaml"), "year: 2024\nregion: 测试县\ndefaults:\n  narrative: {overview: 无。, problems: 无。, other_matters: 无。}\nagencies: [乡镇.csv]\n").unwrap();
    let (code, err) = build(ws, &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("已生成  甲镇人民政府"), "{err}");
    assert!(err.contains("error[GX0201]") && err.contains("乡镇.csv") && err.contains("乙镇人民政府"), "{err}");
    assert!(err.contains("列：三、收到和处理政府信息公开申请情况/一、本年新收政府信息公开申请数量/自然人"), "{err}");
    // The place in the sheet, as Excel names it: the bad row is row 3.
    let letter = |mut i: usize| {
        let mut s = String::new();
        loop {
            s.insert(0, (b'A' + (i % 26) as u8) as char);
            if i < 26 {
                break s;
            }
            i = i / 26 - 1;
        }
    };
    assert!(err.contains(&format!("乡镇!{}3", letter(col))), "{err}");
    assert!(ws.join("out/2024-甲镇人民政府.html").exists());
}

/// A sheet of the 2023/2024 template with one agency per row: every cell 0
/// but those given, by header.
fn sheet_rows(year: &str, rows: &[(&str, &[(&str, &str)])]) -> Vec<Vec<String>> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("h.csv");
    assert_eq!(run(&["template", "csv", "--year", year, "-o", file.to_str().unwrap()], None).status.code(), Some(0));
    let header: Vec<String> = std::fs::read_to_string(&file)
        .unwrap()
        .trim_start_matches('\u{feff}')
        .trim_end()
        .split(',')
        .map(str::to_string)
        .collect();
    let mut out = vec![header.clone()];
    for (agency, cells) in rows {
        let mut row = vec!["0".to_string(); header.len()];
        row[0] = agency.to_string();
        row[1] = "乡镇".into();
        row[2] = format!("{}-01-20", year.parse::<i32>().unwrap() + 1);
        for (h, v) in *cells {
            let i = header.iter().position(|x| x.ends_with(h)).unwrap_or_else(|| panic!("no column {h}"));
            row[i] = v.to_string();
        }
        out.push(row);
    }
    out
}

const CARRIED_OVER: &str = "二、上年结转政府信息公开申请数量/自然人";
const CARRIED_OVER_TOTAL: &str = "二、上年结转政府信息公开申请数量/总计";
const CARRIED_FORWARD: &str = "四、结转下年度继续办理/自然人";
const CARRIED_FORWARD_TOTAL: &str = "四、结转下年度继续办理/总计";

#[test]
fn spreadsheet_rows_are_checked_against_last_years_sheet_by_agency_name() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let narrative = "defaults:\n  narrative: {overview: 无。, problems: 无。, other_matters: 无。}\n";
    // 2023: a CSV; 甲镇 carries applications forward, 乙镇 none.
    std::fs::create_dir_all(root.join("2023")).unwrap();
    let write_2023 = |n: &str| {
        let rows = sheet_rows(
            "2023",
            &[
                (
                    "甲镇人民政府",
                    &[
                        ("一、本年新收政府信息公开申请数量/自然人", n),
                        ("一、本年新收政府信息公开申请数量/总计", n),
                        (CARRIED_FORWARD, n),
                        (CARRIED_FORWARD_TOTAL, n),
                    ],
                ),
                ("乙镇人民政府", &[]),
            ],
        );
        std::fs::write(root.join("2023/乡镇.csv"), rows.iter().map(|r| r.join(",") + "\r\n").collect::<String>())
            .unwrap();
    };
    write_2023("2");
    std::fs::write(root.join("2023/gxgen.yaml"), format!("year: 2023\n{narrative}agencies: [乡镇.csv]\n")).unwrap();
    // 2024: a workbook whose worksheet 乡镇 is named in gxgen.yaml; 甲镇
    // says it carried over 1 (last year's sheet says 2); 丙镇 is new.
    std::fs::create_dir_all(root.join("2024")).unwrap();
    let write_2024 = |carried: &str| {
        let rows = sheet_rows(
            "2024",
            &[
                (
                    "甲镇人民政府",
                    &[
                        (CARRIED_OVER, carried),
                        (CARRIED_OVER_TOTAL, carried),
                        (CARRIED_FORWARD, carried),
                        (CARRIED_FORWARD_TOTAL, carried),
                    ],
                ),
                ("乙镇人民政府", &[]),
                ("丙镇人民政府", &[]),
            ],
        );
        let mut wb = rust_xlsxwriter::Workbook::new();
        wb.add_worksheet().set_name("说明").unwrap().write(0, 0, "填表说明").unwrap();
        let ws = wb.add_worksheet().set_name("乡镇").unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                match v.parse::<f64>() {
                    Ok(n) if r > 0 => ws.write_number(r as u32, c as u16, n).unwrap(),
                    _ => ws.write_string(r as u32, c as u16, v).unwrap(),
                };
            }
        }
        wb.save(root.join("2024/乡镇街道.xlsx")).unwrap();
    };
    write_2024("1");
    std::fs::write(
        root.join("2024/gxgen.yaml"),
        format!("year: 2024\n{narrative}agencies:\n  - {{sheet: 乡镇街道.xlsx, worksheet: 乡镇}}\n"),
    )
    .unwrap();
    let (code, err) = build(&root.join("2024"), &[]);
    assert_eq!(code, 1, "{err}");
    // One per column that differs: 自然人 and 总计.
    assert_eq!(err.matches("error[GX0341]").count(), 2, "{err}");
    // Both places are named: this year's worksheet and row, last year's row.
    assert!(err.contains("2024/乡镇街道.xlsx 工作表“乡镇” 第2行（甲镇人民政府）"), "{err}");
    assert!(err.contains("2023/乡镇.csv 第2行（甲镇人民政府）"), "{err}");
    assert!(
        err.contains("未生成  甲镇人民政府")
            && err.contains("已生成  乙镇人民政府")
            && err.contains("已生成  丙镇人民政府"),
        "{err}"
    );

    // Corrected: every agency builds; editing last year's sheet is seen too.
    write_2024("2");
    let (code, err) = build(&root.join("2024"), &[]);
    assert_eq!(code, 0, "{err}");
    write_2023("3");
    let (code, err) = build(&root.join("2024"), &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error[GX0341]") && err.contains("未生成  甲镇人民政府"), "{err}");
}

#[test]
fn a_missing_worksheet_lists_the_ones_there() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().set_name("部门").unwrap();
    wb.add_worksheet().set_name("乡镇街道").unwrap();
    wb.save(dir.path().join("单位.xlsx")).unwrap();
    std::fs::write(dir.path().join("gxgen.yaml"), "year: 2024\nagencies:\n  - {sheet: 单位.xlsx, worksheet: 乡镇}\n")
        .unwrap();
    let (code, err) = build(dir.path(), &[]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("error[GX0701]") && err.contains("没有名为“乡镇”的工作表") && err.contains("“部门”、“乡镇街道”"),
        "{err}"
    );
}

/// `summary.narrative` may name Word files, read as a report's Word part:
/// the same markdown path, the part's title left out, a damaged file one
/// coded diagnostic.
#[test]
fn the_summary_narrative_may_be_a_word_file() {
    let ws = workspace();
    let word = crate::docx_narrative::md_as_docx("一、总体情况\n\n本级汇总的总体情况，在 Word 中写成。\n\n第二段。");
    std::fs::write(ws.path().join("shared/总体情况.docx"), word).unwrap();
    let manifest = std::fs::read_to_string(ws.path().join("gxgen.yaml")).unwrap().replace(
        "summary: {agency: 测试区各部门汇总}",
        "summary: {agency: 测试区各部门汇总, kind: government, narrative: {overview: shared/总体情况.docx}}",
    );
    std::fs::write(ws.path().join("gxgen.yaml"), &manifest).unwrap();
    let (code, err) = build(ws.path(), &[]);
    assert_eq!(code, 0, "{err}");
    let page = std::fs::read_to_string(ws.path().join("out/2021-测试区各部门汇总.html")).unwrap();
    assert!(page.contains("本级汇总的总体情况，在 Word 中写成。") && page.contains("第二段。"), "{page}");
    // The title paragraph is gxgen's to print: once, as the heading.
    assert_eq!(page.matches("一、总体情况").count(), 1, "{page}");
    assert!(page.contains("<h2>一、总体情况</h2>\n<p>本级汇总的总体情况"), "{page}");

    // Not a Word file: GX0921, naming the file, and no summary text.
    std::fs::write(ws.path().join("shared/总体情况.docx"), "这不是 Word 文件").unwrap();
    let o = run(&["check", ws.path().to_str().unwrap()], None);
    let text = String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr);
    assert!(text.contains("GX0921") && text.contains("总体情况.docx"), "{text}");
    assert_ne!(o.status.code(), Some(0), "{text}");
}
