//! `gxgen build` HTML: every example's tables match the official layout cell
//! for cell, figures equal the data, the page is self-contained and the
//! same inputs give the same bytes.

use crate::common::*;
use scraper::{ElementRef, Html, Selector};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn build(report: &Path, out: &Path) -> String {
    let o = run(&["build", "--only", "html", report.to_str().unwrap(), "-o", out.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let files: Vec<PathBuf> = std::fs::read_dir(out).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 1, "{files:?}");
    std::fs::read_to_string(&files[0]).unwrap()
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// A table expanded into a matrix of (text, role, key) with spans applied;
/// panics when spans overlap or rows are ragged.
#[derive(Clone, Debug, PartialEq)]
struct Slot {
    text: String,
    tag: String,
    key: Option<String>,
}

fn matrix(table: ElementRef) -> Vec<Vec<Slot>> {
    let mut grid: Vec<Vec<Option<Slot>>> = Vec::new();
    for (r, tr) in table.select(&sel("tr")).enumerate() {
        while grid.len() <= r {
            grid.push(Vec::new());
        }
        let mut c = 0;
        for cell in tr.select(&sel("th, td")) {
            while grid[r].get(c).is_some_and(|s| s.is_some()) {
                c += 1;
            }
            let rs: usize = cell.attr("rowspan").map_or(1, |v| v.parse().unwrap());
            let cs: usize = cell.attr("colspan").map_or(1, |v| v.parse().unwrap());
            let slot = Slot {
                text: cell.text().collect::<String>(),
                tag: cell.value().name().to_string(),
                key: cell.attr("data-key").map(str::to_string),
            };
            for dr in 0..rs {
                while grid.len() <= r + dr {
                    grid.push(Vec::new());
                }
                for dc in 0..cs {
                    let row = &mut grid[r + dr];
                    while row.len() <= c + dc {
                        row.push(None);
                    }
                    assert!(row[c + dc].is_none(), "overlap at {},{}", r + dr, c + dc);
                    row[c + dc] = Some(slot.clone());
                }
            }
            c += cs;
        }
    }
    let width = grid[0].len();
    grid.into_iter()
        .map(|row| {
            assert_eq!(row.len(), width, "ragged row");
            row.into_iter().map(|s| s.expect("hole in table")).collect()
        })
        .collect()
}

fn attr_of<'a>(table: ElementRef<'a>, text: &str) -> ElementRef<'a> {
    table
        .select(&sel("th, td"))
        .find(|c| c.text().collect::<String>() == text)
        .unwrap_or_else(|| panic!("no cell {text}"))
}

fn span(e: ElementRef, a: &str) -> usize {
    e.attr(a).map_or(1, |v| v.parse().unwrap())
}

#[test]
fn tables_match_the_official_layout() {
    for path in examples() {
        let checked = gxgen::check(&path);
        let report = checked.report.unwrap();
        let f = report.format;
        let out = tempfile::tempdir().unwrap();
        let doc = Html::parse_document(&build(&path, out.path()));
        let tables: BTreeMap<String, ElementRef> =
            doc.select(&sel("table.gx-table")).map(|t| (t.attr("data-table").unwrap().to_string(), t)).collect();
        assert_eq!(tables.keys().collect::<Vec<_>>(), ["active", "applications", "review_litigation"]);

        // Table 三: 10 columns, 3 header rows, 7 data columns × 25 / 23 rows.
        let t3 = tables["applications"];
        let m = matrix(t3);
        assert_eq!(m[0].len(), 10);
        let rows = if f.id == "2021" { 25 } else { 23 };
        let data: Vec<&Slot> = m.iter().flatten().filter(|s| s.key.is_some()).collect();
        assert_eq!(data.len(), rows * 7, "{}", path.display());
        assert_eq!(m.len(), 3 + rows);
        let note = attr_of(t3, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）");
        assert_eq!((span(note, "rowspan"), span(note, "colspan")), (3, 3));
        assert_eq!(span(attr_of(t3, "申请人情况"), "colspan"), 7);
        assert_eq!(span(attr_of(t3, "自然人"), "rowspan"), 2);
        assert_eq!(span(attr_of(t3, "法人或其他组织"), "colspan"), 5);
        assert_eq!(span(attr_of(t3, "总计"), "rowspan"), 2);
        let results = attr_of(t3, "三、本年度办理结果");
        assert_eq!(span(results, "rowspan"), if f.id == "2021" { 22 } else { 20 });
        assert!(results.attr("class").unwrap().split(' ').any(|c| c == "vertical"));
        assert_eq!(span(attr_of(t3, "（三）不予公开"), "rowspan"), 8);
        assert_eq!(span(attr_of(t3, "（四）无法提供"), "rowspan"), 3);
        assert_eq!(span(attr_of(t3, "（五）不予处理"), "rowspan"), 5);
        let other = attr_of(t3, "（六）其他处理");
        if f.id == "2021" {
            assert_eq!(span(other, "rowspan"), 3);
        } else {
            assert_eq!((span(other, "rowspan"), span(other, "colspan")), (1, 2));
        }
        assert_eq!(span(attr_of(t3, "一、本年新收政府信息公开申请数量"), "colspan"), 3);
        assert_eq!(span(attr_of(t3, "（七）总计"), "colspan"), 2);
        // Header labels at their positions.
        let header: Vec<&str> = m[2][3..].iter().map(|s| s.text.as_str()).collect();
        assert_eq!(header, ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]);
        // The data part: row r, column c holds the cell of that row and column.
        for row in &m[3..] {
            let row_key = row[3].key.as_ref().unwrap().rsplit_once('.').unwrap().0.to_string();
            for (c, col) in
                ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total"]
                    .iter()
                    .enumerate()
            {
                assert_eq!(row[3 + c].key.as_deref(), Some(format!("{row_key}.{col}").as_str()));
            }
            assert_eq!(row[2].tag, "th");
        }

        // Table 四: 15 columns, three header rows, one data row.
        let t4 = tables["review_litigation"];
        let m = matrix(t4);
        assert_eq!((m.len(), m[0].len()), (4, 15));
        assert_eq!(span(attr_of(t4, "行政复议"), "colspan"), 5);
        assert_eq!(span(attr_of(t4, "行政诉讼"), "colspan"), 10);
        assert_eq!(span(attr_of(t4, "未经复议直接起诉"), "colspan"), 5);
        assert_eq!(span(attr_of(t4, "复议后起诉"), "colspan"), 5);
        assert!(m[1][..5].iter().zip(&m[2][..5]).all(|(a, b)| a == b), "行政复议 outcomes span two rows");
        assert_eq!(m[3].iter().filter(|s| s.key.is_some()).count(), 15);

        // Table 二: one 4-column table of blocks, each with a caption row.
        let t2 = tables["active"];
        let m = matrix(t2);
        assert_eq!(m[0].len(), 4);
        let captions: Vec<String> = t2.select(&sel("th.caption-row")).map(|c| c.text().collect()).collect();
        let want: &[&str] = if f.id == "2021" {
            &["第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"]
        } else {
            &[
                "第二十条第（一）项",
                "第二十条第（五）项",
                "第二十条第（六）项",
                "第二十条第（八）项",
                "第二十条第（九）项",
            ]
        };
        assert_eq!(captions, want);
        if f.id == "2021" {
            assert_eq!(span(attr_of(t2, "本年处理决定数量"), "colspan"), 3);
            assert_eq!(span(attr_of(t2, "本年收费金额（单位：万元）"), "colspan"), 3);
        }

        // Every data cell shows the data.
        for cell in doc.select(&sel("td[data-key]")) {
            let key = cell.attr("data-key").unwrap();
            let c = f.cell(key).unwrap();
            let want = report.value(c).unwrap().display(&f.cells[c].kind);
            assert_eq!(cell.text().collect::<String>(), want, "{key}");
        }
        assert_eq!(
            doc.select(&sel("td[data-key]")).count(),
            f.cells.iter().filter(|c| !c.key.starts_with("other_matters.")).count()
        );
    }
}

#[test]
fn the_page_embeds_the_data_as_json() {
    let path = repo().join("examples/ankang-hanbin-2020/report.yaml");
    let out = tempfile::tempdir().unwrap();
    let doc = Html::parse_document(&build(&path, out.path()));
    let script = doc.select(&sel("script#gxgen-data")).next().unwrap();
    assert_eq!(script.attr("type"), Some("application/json"));
    let v: serde_json::Value = serde_json::from_str(&script.text().collect::<String>()).unwrap();
    assert_eq!(v["cells"]["applications.new.total"], 35);
    assert_eq!(v["cells"]["active.penalty.change"], -167);
    assert_eq!(v["cells"]["active.procurement.amount"], "16800");
    assert_eq!(v["units"]["active.procurement.amount"], "万元");
    assert_eq!(v["agency"], "安康市汉滨区人民政府");
}

#[test]
fn pages_are_self_contained_and_byte_identical() {
    for path in examples() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let x = build(&path, a.path());
        let y = build(&path, b.path());
        assert_eq!(x, y, "{}", path.display());
        assert!(x.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
        assert!(x.contains("<meta charset=\"utf-8\">"));
        let doc = Html::parse_document(&x);
        assert_eq!(doc.select(&sel("script")).count(), 1);
        assert_eq!(doc.select(&sel("script[type=\"application/json\"]")).count(), 1);
        for bad in ["link", "img", "iframe", "object", "embed", "[src]", "[onload]", "[onerror]"] {
            assert_eq!(doc.select(&sel(bad)).count(), 0, "{bad} in {}", path.display());
        }
        assert!(!x.contains("@import") && !x.contains("url("), "external CSS");
        assert_eq!(doc.select(&sel("h1")).count(), 1);
        assert_eq!(doc.select(&sel("h2")).count(), 6);
        assert_eq!(doc.select(&sel("table.gx-table caption")).count(), 3);
    }
}

#[test]
fn html_snapshots() {
    for path in examples() {
        let out = tempfile::tempdir().unwrap();
        let html = build(&path, out.path());
        let name = path.parent().unwrap().file_name().unwrap().to_str().unwrap().to_string();
        let snap = repo().join("tests/snapshots").join(format!("{name}.html"));
        if std::env::var_os("GXGEN_BLESS").is_some() {
            std::fs::create_dir_all(snap.parent().unwrap()).unwrap();
            std::fs::write(&snap, &html).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&snap).unwrap_or_default();
        assert!(
            want == html,
            "{} differs from its snapshot; review and run GXGEN_BLESS=1 cargo test --test suite html::",
            snap.display()
        );
    }
}

/// The narrative quotes table figures through variables, so a corrected
/// table corrects the text too.
#[test]
fn example_narrative_cannot_drift() {
    let src = repo().join("examples/ankang-hanbin-2020");
    assert!(std::fs::read_to_string(src.join("overview.md")).unwrap().contains("{{ applications.new.total }}"));
    let out = tempfile::tempdir().unwrap();
    assert!(build(&src.join("report.yaml"), out.path()).contains("受理依申请公开35件"));
    // Change the figures (keeping every rule): the text follows.
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(&src).unwrap() {
        let e = e.unwrap();
        if e.path().is_file() {
            std::fs::copy(e.path(), dir.path().join(e.file_name())).unwrap();
        }
    }
    let y = dir.path().join("report.yaml");
    let text = std::fs::read_to_string(&y)
        .unwrap()
        .replacen("[29, 6, 0, 0, 0, 0, 35]", "[30, 6, 0, 0, 0, 0, 36]", 1)
        .replacen("[23, 5, 0, 0, 0, 0, 28]", "[24, 5, 0, 0, 0, 0, 29]", 1)
        .replacen("[29, 6, 0, 0, 0, 0, 35]", "[30, 6, 0, 0, 0, 0, 36]", 1);
    std::fs::write(&y, text).unwrap();
    let out = tempfile::tempdir().unwrap();
    assert!(build(&y, out.path()).contains("受理依申请公开36件"));
}

/// The page's style sheet as (media condition, selector, declarations),
/// one entry per rule; nested at-rules (`@page { @bottom-center {…} }`)
/// keep their outer condition.
fn style_rules(page: &str) -> Vec<(String, String, String)> {
    let doc = Html::parse_document(page);
    let css: String = doc.select(&sel("style")).map(|s| s.text().collect::<String>()).collect();
    // Comments out.
    let mut text = String::new();
    let mut rest = css.as_str();
    while let Some(i) = rest.find("/*") {
        text.push_str(&rest[..i]);
        rest = &rest[i + rest[i..].find("*/").unwrap() + 2..];
    }
    text.push_str(rest);
    let mut out = Vec::new();
    // Open blocks: (header, declarations so far).
    let mut stack: Vec<(String, String)> = Vec::new();
    let mut buf = String::new();
    for c in text.chars() {
        match c {
            '{' => {
                // Declarations before a nested block belong to the block around it.
                let (decls, header) = buf.rsplit_once(';').unwrap_or(("", &buf));
                if let Some(top) = stack.last_mut() {
                    top.1.push_str(decls);
                }
                stack.push((header.trim().to_string(), String::new()));
                buf.clear();
            }
            '}' => {
                let (header, mut decls) = stack.pop().unwrap_or_default();
                decls.push_str(&buf);
                buf.clear();
                if header.starts_with("@media") {
                    continue;
                }
                let media: Vec<&str> =
                    stack.iter().map(|(h, _)| h.as_str()).filter(|h| h.starts_with("@media")).collect();
                let outer: Vec<&str> =
                    stack.iter().map(|(h, _)| h.as_str()).filter(|h| !h.starts_with("@media")).collect();
                let selector = outer.into_iter().chain([header.as_str()]).collect::<Vec<_>>().join(" ");
                let decls = decls.split_whitespace().collect::<Vec<_>>().join(" ");
                out.push((media.join(" "), selector, decls));
            }
            c => buf.push(c),
        }
    }
    out
}

/// The declarations of the rules whose selector contains `selector`, under
/// a media condition containing `media` ("" for any).
fn declared(rules: &[(String, String, String)], media: &str, selector: &str) -> String {
    rules
        .iter()
        .filter(|(m, s, _)| m.contains(media) && s.split(',').any(|s| s.trim() == selector || s.contains(selector)))
        .map(|(_, _, d)| d.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Desktop, phone and print: the style decisions that make the tables and
/// the text read well on every screen (tracker 13, item 4), checked on the
/// page of every example.
#[test]
fn tables_and_text_read_on_every_screen() {
    for path in examples() {
        let out = tempfile::tempdir().unwrap();
        let page = build(&path, out.path());
        let rules = style_rules(&page);
        let phone = "max-width: 700px";
        // Desktop: the tables are not held to the text column, and a header
        // label is one word (总计 never breaks into 总 / 计).
        let wrap = declared(&rules, "", ".table-wrap");
        assert!(wrap.contains("width: calc(100vw - 2rem)") && wrap.contains("overflow-x: auto"), "{wrap}");
        assert!(declared(&rules, "", ".gx-table th").contains("word-break: keep-all"));
        assert!(declared(&rules, "", ".gx-table th[scope=\"col\"]").contains("min-width"));
        // Phone: the labels stick while the figures scroll, with shadows at
        // the edges and a hint over a wide table.
        let stick = declared(&rules, phone, ".gx-table .stick");
        assert!(stick.contains("position: sticky") && stick.contains("background: #fff"), "{stick}");
        assert!(declared(&rules, phone, ".table-wrap").contains("radial-gradient"));
        assert!(declared(&rules, phone, ".table-wrap.wide::before").contains("左右滑动查看"));
        assert!(declared(&rules, phone, "th.stick[style*=\"--w\"]").contains("max-width: var(--w)"));
        // No stretched lines: justified only on a wide column, the last line
        // never, addresses break anywhere.
        let p = declared(&rules, "", "p");
        assert!(p.contains("text-align: justify") && p.contains("text-align-last: start"), "{p}");
        let p_phone: Vec<&(String, String, String)> =
            rules.iter().filter(|(m, s, _)| m.contains(phone) && s.trim() == "p").collect();
        assert!(p_phone.iter().any(|(_, _, d)| d.contains("text-align: start")), "{p_phone:?}");
        assert!(declared(&rules, "", ".addr").contains("word-break: break-all"));
        // Print: A4 with page numbers, a table kept whole, headers repeated.
        let page_rule = declared(&rules, "", "@page");
        assert!(page_rule.contains("size: A4") && page_rule.contains("counter(page)"), "{page_rule}");
        assert!(declared(&rules, "print", ".gx-table").contains("break-inside: avoid"));
        assert!(declared(&rules, "print", "thead").contains("display: table-header-group"));

        // The markup the style relies on.
        let doc = Html::parse_document(&page);
        for table in doc.select(&sel("table.gx-table")) {
            let key = table.attr("data-table").unwrap();
            let wrap = ElementRef::wrap(table.parent().unwrap()).unwrap();
            assert!(wrap.value().classes().any(|c| c == "table-wrap"), "{key}");
            let m = matrix(table);
            let columns = m[0].len();
            assert_eq!(wrap.value().classes().any(|c| c == "wide"), columns > 4, "{key}");
            assert!(table.select(&sel("thead")).next().is_some() || key == "active", "{key}: no thead");
            // Every row label sticks; in each row the labels' offsets add up
            // (a label's left = the one before it's left + its width).
            for tr in table.select(&sel("tbody tr")) {
                let labels: Vec<ElementRef> = tr.select(&sel("th[scope=row], th[scope=rowgroup]")).collect();
                for th in &labels {
                    assert!(th.value().classes().any(|c| c == "stick"), "{key}: {}", th.inner_html());
                }
            }
            let em = |style: &str, prop: &str| -> Option<f64> {
                style.split(';').find_map(|d| d.trim().strip_prefix(prop)?.trim().strip_suffix("em")?.parse().ok())
            };
            let mut left_of_column: BTreeMap<usize, (f64, Option<f64>)> = BTreeMap::new();
            for tr in table.select(&sel("tbody tr")) {
                for th in tr.select(&sel("th.stick")) {
                    let style = th.attr("style").unwrap();
                    let left = em(style, "left:").unwrap();
                    let w = em(style, "--w:");
                    // Its column, found from its offset's rank among the others.
                    let e = left_of_column.entry((left * 10.0).round() as usize).or_insert((left, None));
                    e.1 = e.1.or(w);
                }
            }
            let cols: Vec<(f64, Option<f64>)> = left_of_column.into_values().collect();
            assert_eq!(cols.first().map(|c| c.0), if cols.is_empty() { None } else { Some(0.0) }, "{key}");
            for pair in cols.windows(2) {
                let (l0, w0) = pair[0];
                assert!((l0 + w0.expect("a label column with a width") - pair[1].0).abs() < 0.05, "{key}: {cols:?}");
            }
            if key == "applications" {
                assert_eq!(cols.len(), 3, "table 三 has three label columns");
            }
        }
    }
}

/// Web and e-mail addresses in the text are marked so that they may break
/// anywhere, and stay escaped text.
#[test]
fn addresses_in_the_text_break_anywhere() {
    let path = repo().join("examples/ankang-hanbin-2020/report.yaml");
    let out = tempfile::tempdir().unwrap();
    let page = build(&path, out.path());
    let doc = Html::parse_document(&page);
    let addrs: Vec<String> = doc.select(&sel("span.addr")).map(|s| s.text().collect()).collect();
    assert_eq!(addrs, ["hanbinleader@163.com", "www.hanbin.gov.cn", "hanbinleader@163.com"]);
    assert!(page.contains("(<span class=\"addr\">www.hanbin.gov.cn</span>)下载"));
    assert!(page.contains("电子邮箱:<span class=\"addr\">hanbinleader@163.com</span>)。"));
}
