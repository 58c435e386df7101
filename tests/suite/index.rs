//! The workspace's index.html and 问题清单.html on the county example, with
//! one agency broken (an error) and one with a 待填写 (a warning): counts
//! and totals add up, every link resolves, every finding is listed, the
//! charts are well-formed SVG, nothing is fetched from the network, the
//! table is complete without script. (A rebuild giving the same bytes is
//! checked on the smaller workspace of tests/suite/workspace.rs.)

use crate::common::*;
use scraper::{ElementRef, Html, Selector};
use std::path::PathBuf;

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text(e: ElementRef) -> String {
    e.text().collect::<String>().trim().to_string()
}

/// The county (2023 and 2024) in a temporary folder, 县公安局 broken and
/// 县民政局 with a warning; built as HTML. Returns (folder, out dir, stderr).
fn county() -> (tempfile::TempDir, PathBuf, String) {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("examples/county"), tmp.path());
    let ws = tmp.path().join("2024");
    let y = ws.join("县公安局/report.yaml");
    let t = std::fs::read_to_string(&y).unwrap();
    assert!(t.contains("new:          [7, 6, 3, 1, 2, 1, 20]"));
    std::fs::write(&y, t.replacen("new:          [7, 6, 3, 1, 2, 1, 20]", "new:          [7, 6, 3, 1, 2, 1, 21]", 1))
        .unwrap();
    let md = ws.join("县民政局/overview.md");
    let t = std::fs::read_to_string(&md).unwrap();
    std::fs::write(&md, format!("{t}\n\n【待填写】\n")).unwrap();
    let o = run(&["build", ws.to_str().unwrap(), "--only", "html", "-j", "2"], None);
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    (tmp, ws.join("out"), String::from_utf8_lossy(&o.stderr).into_owned())
}

#[test]
fn the_county_index_adds_up_links_resolve_and_lists_every_finding() {
    let (tmp, out, err) = county();
    let page = std::fs::read_to_string(out.join("index.html")).unwrap();
    let findings_page = std::fs::read_to_string(out.join("问题清单.html")).unwrap();
    let doc = Html::parse_document(&page);
    let findings = Html::parse_document(&findings_page);

    // One row per agency, all in the HTML (the script only sorts and
    // filters; its controls are hidden until it runs).
    let rows: Vec<ElementRef> = doc.select(&sel("table#agencies tbody tr")).collect();
    assert_eq!(rows.len(), 35);
    assert!(doc.select(&sel("#controls[hidden]")).next().is_some());
    assert_eq!(doc.select(&sel("script")).count(), 1);
    let name = |r: &ElementRef| text(r.select(&sel("td.name")).next().unwrap());
    // A name is one line on a phone, and stays in view while the table scrolls.
    let style: String = doc.select(&sel("style")).map(|s| s.text().collect::<String>()).collect();
    let rule = style.lines().find(|l| l.starts_with("td.name, th.name {")).unwrap();
    assert!(rule.contains("white-space: nowrap") && rule.contains("position: sticky"), "{rule}");
    assert!(doc.select(&sel("meta[name=viewport]")).next().is_some());
    let status: Vec<String> = rows.iter().map(|r| r.attr("data-status").unwrap().to_string()).collect();
    let count = |s: &str| status.iter().filter(|x| *x == s).count();
    assert_eq!((count("built"), count("built_with_warnings"), count("failed")), (33, 1, 1));
    assert!(page.contains("共 35 个单位：已生成 33 份，有警告 1 份，未生成 1 份。"));
    let failed = rows.iter().find(|r| r.attr("data-status") == Some("failed")).unwrap();
    assert_eq!(name(failed), "县公安局");
    assert!(err.contains("未生成  县公安局"), "{err}");

    // The county's totals (from the 汇总) are the sums of the agencies'.
    let heads: Vec<String> = doc.select(&sel("table#agencies thead th")).map(text).collect();
    assert_eq!(heads[..6], ["单位", "状态", "错误", "警告", "提示", "报告"]);
    let foot: Vec<String> = doc.select(&sel("table#agencies tfoot td")).map(text).collect();
    let totals: Vec<(String, String)> = doc
        .select(&sel("ul.totals li"))
        .map(|li| (text(li.select(&sel(".label")).next().unwrap()), text(li.select(&sel(".value")).next().unwrap())))
        .collect();
    assert_eq!(totals.len(), 5);
    for (i, (label, total)) in totals.iter().enumerate() {
        assert!(heads[6 + i].starts_with(label.as_str()), "{label} / {}", heads[6 + i]);
        let sum: i64 = rows
            .iter()
            .map(|r| {
                let td = r.select(&sel("td")).nth(6 + i).unwrap();
                td.attr("data-v").unwrap().parse::<i64>().unwrap()
            })
            .sum();
        assert_eq!(total, &sum.to_string(), "{label}");
        assert_eq!(foot[6 + i], sum.to_string(), "{label}");
    }
    assert_eq!(totals[0].0, "新收申请");

    // The change from last year: 2024 minus the 2023 workspace's figure.
    let now = gxgen::check(&tmp.path().join("2024/县司法局/report.yaml")).report.unwrap();
    let then = gxgen::check(&tmp.path().join("2023/县司法局/report.yaml")).report.unwrap();
    let v = |r: &gxgen::model::Report| r.get("applications.new.total").unwrap().number.to_i64().unwrap();
    let delta = v(&now) - v(&then);
    let want = if delta > 0 { format!("+{delta}") } else { delta.to_string() };
    let row = rows.iter().find(|r| name(r) == "县司法局").unwrap();
    let cell = row.select(&sel("td")).nth(6).unwrap();
    assert_eq!(text(cell.select(&sel(".change")).next().unwrap()), want);
    assert!(text(cell).starts_with(&v(&now).to_string()));

    // Every link resolves to a file gxgen wrote, and every #anchor to an id
    // on the page it names; nothing points outside the folder.
    for a in doc.select(&sel("[href], [src]")) {
        let target = a.attr("href").or(a.attr("src")).unwrap();
        assert!(!target.contains("://") && !target.starts_with("//") && !target.starts_with('/'), "{target}");
        let (file, anchor) = target.split_once('#').unwrap_or((target, ""));
        assert!(out.join(file).is_file(), "{target}");
        if !anchor.is_empty() {
            let there = Html::parse_document(&std::fs::read_to_string(out.join(file)).unwrap());
            assert!(there.select(&sel(&format!("[id=\"{anchor}\"]"))).next().is_some(), "{target}");
        }
    }
    assert!(!page.contains("http://") && !page.contains("https://"));
    assert!(!findings_page.contains("http://") && !findings_page.contains("https://"));

    // The findings page lists each finding of each agency: the counts the
    // index shows, with code, message and file:line; the broken agency's
    // codes are the ones `gxgen check` reports for it.
    for r in &rows {
        let cells: Vec<ElementRef> = r.select(&sel("td")).collect();
        let n: Vec<usize> = (2..5).map(|i| cells[i].attr("data-v").unwrap().parse().unwrap()).collect();
        let link = cells[2..5].iter().find_map(|c| c.select(&sel("a")).next());
        if n.iter().sum::<usize>() == 0 {
            assert!(link.is_none());
            continue;
        }
        let id = link.unwrap().attr("href").unwrap().split_once('#').unwrap().1.to_string();
        let section = findings.select(&sel(&format!("section[id=\"{id}\"]"))).next().unwrap();
        assert_eq!(text(section.select(&sel("h2")).next().unwrap()).split(' ').next().unwrap(), name(r));
        for (i, class) in ["error", "warning", "info"].iter().enumerate() {
            assert_eq!(section.select(&sel(&format!("tr.{class}"))).count(), n[i], "{} {class}", name(r));
        }
    }
    let police = findings
        .select(&sel("section"))
        .find(|s| text(s.select(&sel("h2")).next().unwrap()).starts_with("县公安局"))
        .unwrap();
    let listed: Vec<String> = police.select(&sel("td.code")).map(text).collect();
    let (_, v) = check_json(&tmp.path().join("2024/县公安局/report.yaml"));
    assert_eq!(listed, codes(&v));
    assert!(listed.iter().any(|c| c == "GX0302"), "{listed:?}");
    let places: Vec<String> = police.select(&sel("td.place")).map(text).collect();
    assert!(places.iter().all(|p| p.starts_with("县公安局/report.yaml:")), "{places:?}");
    let civil = findings
        .select(&sel("section"))
        .find(|s| text(s.select(&sel("h2")).next().unwrap()).starts_with("县民政局"))
        .unwrap();
    assert!(civil.select(&sel("td.code")).any(|c| text(c) == "GX0408"));
    assert!(civil.select(&sel("td.place")).any(|c| text(c).starts_with("县民政局/overview.md:")));

    // The charts: inline SVG, well-formed XML, one bar per agency and one
    // part per outcome of the county.
    let svgs: Vec<String> = doc.select(&sel("svg")).map(|s| s.html()).collect();
    assert_eq!(svgs.len(), 2);
    for s in &svgs {
        let mut reader = quick_xml::Reader::from_str(s);
        let mut depth = 0i32;
        loop {
            match reader.read_event().unwrap_or_else(|e| panic!("{e}: {s}")) {
                quick_xml::events::Event::Start(_) => depth += 1,
                quick_xml::events::Event::End(_) => depth -= 1,
                quick_xml::events::Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(depth, 0);
    }
    let bars = Html::parse_fragment(&svgs[0]);
    assert_eq!(bars.select(&sel("rect.bar")).count(), 35);
    let legend: Vec<String> = Html::parse_fragment(&svgs[1]).select(&sel("text")).map(text).collect();
    for kind in ["予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"] {
        assert!(legend.iter().any(|t| t == kind), "{kind}: {legend:?}");
    }
}
