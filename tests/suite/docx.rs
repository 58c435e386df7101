//! The Word file: every example builds a .docx that is byte-identical
//! across builds, reads back through `gxgen import` to the example's cells,
//! draws every mandated table cell for cell as the document model (the
//! grid the HTML and PDF draw), sets the page, grid, styles and fonts of
//! GB/T 9704, turns no user text into markup, and — when LibreOffice is
//! installed (`.ci/run` installs libreoffice-writer-nogui) — renders to a
//! PDF whose text holds every label and every row's figures in order.

use crate::common::*;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use gxgen::compose::{Block, Grid};
use quick_xml::Reader;
use quick_xml::events::Event;

/// `gxgen build --only docx` into `out`: the .docx written.
fn build_docx(report: &Path, out: &Path) -> PathBuf {
    let o = run(&["build", report.to_str().unwrap(), "--only", "docx", "-o", out.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let files: Vec<PathBuf> = std::fs::read_dir(out).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0].extension().unwrap(), "docx");
    files[0].clone()
}

fn entries(bytes: &[u8]) -> Vec<(String, String, zip::DateTime)> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut s = String::new();
            f.read_to_string(&mut s).unwrap();
            (f.name().unwrap().to_string(), s, f.last_modified().unwrap_or_default())
        })
        .collect()
}

fn part(bytes: &[u8], name: &str) -> String {
    entries(bytes).into_iter().find(|(n, _, _)| n == name).unwrap_or_else(|| panic!("{name} missing")).1
}

fn grids(path: &Path) -> Vec<Grid> {
    let doc = gxgen::check(path).document.expect("example composes");
    doc.sections
        .iter()
        .flat_map(|s| &s.blocks)
        .filter_map(|b| if let Block::Table { grid } = b { Some(grid.clone()) } else { None })
        .collect()
}

/// One Word table cell as read back: text, span and merge.
#[derive(Debug, Default, Clone)]
struct Tc {
    text: String,
    span: usize,
    /// None: no merge; Some(true) starts one; Some(false) continues one.
    vmerge: Option<bool>,
    width: u32,
    vertical: Option<String>,
}

#[derive(Debug, Default)]
struct Tbl {
    width: u32,
    grid: Vec<u32>,
    rows: Vec<(bool, bool, Vec<Tc>)>, // (tblHeader, cantSplit, cells)
}

fn attr(e: &quick_xml::events::BytesStart, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .map(|a| a.unescape_value().unwrap().into_owned())
}

/// Every table of document.xml, parsed with a real XML parser (so the part
/// is well-formed XML, too).
fn tables(xml: &str) -> Vec<Tbl> {
    let mut r = Reader::from_str(xml);
    let mut out: Vec<Tbl> = Vec::new();
    let (mut in_tc, mut in_t, mut in_tblpr) = (false, false, false);
    loop {
        match r.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) => {
                let n = e.local_name();
                match n.as_ref() {
                    b"tbl" => out.push(Tbl::default()),
                    b"tblPr" => in_tblpr = true,
                    b"tblW" if in_tblpr => out.last_mut().unwrap().width = attr(&e, b"w").unwrap().parse().unwrap(),
                    b"gridCol" => out.last_mut().unwrap().grid.push(attr(&e, b"w").unwrap().parse().unwrap()),
                    b"tr" => out.last_mut().unwrap().rows.push((false, false, Vec::new())),
                    b"tblHeader" => out.last_mut().unwrap().rows.last_mut().unwrap().0 = true,
                    b"cantSplit" => out.last_mut().unwrap().rows.last_mut().unwrap().1 = true,
                    b"tc" => {
                        in_tc = true;
                        out.last_mut().unwrap().rows.last_mut().unwrap().2.push(Tc { span: 1, ..Tc::default() });
                    }
                    _ if in_tc => {
                        let tc = out.last_mut().unwrap().rows.last_mut().unwrap().2.last_mut().unwrap();
                        match n.as_ref() {
                            b"tcW" => tc.width = attr(&e, b"w").unwrap().parse().unwrap(),
                            b"gridSpan" => tc.span = attr(&e, b"val").unwrap().parse().unwrap(),
                            b"vMerge" => tc.vmerge = Some(attr(&e, b"val").as_deref() == Some("restart")),
                            b"textDirection" => tc.vertical = attr(&e, b"val"),
                            b"t" => in_t = true,
                            _ => {}
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_t => {
                let s = t.decode().unwrap();
                let tc = out.last_mut().unwrap().rows.last_mut().unwrap().2.last_mut().unwrap();
                tc.text.push_str(&quick_xml::escape::unescape(&s).unwrap());
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"tc" => in_tc = false,
                b"t" => in_t = false,
                b"tblPr" => in_tblpr = false,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// A matrix of (text, id of the cell covering it) from the model's grid.
fn expand_grid(g: &Grid) -> Vec<Vec<(String, usize)>> {
    let mut m: Vec<Vec<Option<(String, usize)>>> = vec![vec![None; g.columns]; g.rows.len()];
    let mut id = 0;
    for (r, row) in g.rows.iter().enumerate() {
        let mut col = 0;
        for c in &row.cells {
            while m[r][col].is_some() {
                col += 1;
            }
            for (rr, cells) in m.iter_mut().enumerate().skip(r).take(c.rowspan) {
                for (cc, slot) in cells.iter_mut().enumerate().skip(col).take(c.colspan) {
                    assert!(slot.is_none(), "overlap in the model at {rr},{cc}");
                    *slot = Some((c.text.clone(), id));
                }
            }
            id += 1;
            col += c.colspan;
        }
    }
    m.into_iter().map(|r| r.into_iter().map(|c| c.expect("model grid is full")).collect()).collect()
}

/// The same matrix from a Word table: gridSpan across, vMerge down.
fn expand_tbl(t: &Tbl) -> Vec<Vec<(String, usize)>> {
    let mut m: Vec<Vec<(String, usize)>> = Vec::new();
    let mut id = 0;
    for (r, (_, _, cells)) in t.rows.iter().enumerate() {
        let mut row = Vec::new();
        for c in cells {
            let col = row.len();
            let v = if c.vmerge == Some(false) {
                assert!(c.text.is_empty(), "a continuation cell has text: {c:?}");
                m[r - 1][col].clone()
            } else {
                id += 1;
                (c.text.clone(), id)
            };
            for _ in 0..c.span {
                row.push(v.clone());
            }
        }
        m.push(row);
    }
    m
}

/// Same shape and merges: cells of one model cell are one Word cell.
fn same_cells(a: &[Vec<(String, usize)>], b: &[Vec<(String, usize)>]) -> Result<(), String> {
    if a.len() != b.len() {
        return Err(format!("{} rows, Word {}", a.len(), b.len()));
    }
    for (r, (ra, rb)) in a.iter().zip(b).enumerate() {
        if ra.len() != rb.len() {
            return Err(format!("row {r}: {} columns, Word {}", ra.len(), rb.len()));
        }
        for (c, (x, y)) in ra.iter().zip(rb).enumerate() {
            if x.0 != y.0 {
                return Err(format!("cell {r},{c}: “{}”, Word “{}”", x.0, y.0));
            }
            // Merged alike: the neighbour to the right and below agree.
            for (dr, dc) in [(0usize, 1usize), (1, 0)] {
                if let (Some(xn), Some(yn)) =
                    (a.get(r + dr).and_then(|row| row.get(c + dc)), b.get(r + dr).and_then(|row| row.get(c + dc)))
                    && (xn.1 == x.1) != (yn.1 == y.1)
                {
                    return Err(format!("cell {r},{c}: merged differently from {},{}", r + dr, c + dc));
                }
            }
        }
    }
    Ok(())
}

#[test]
fn every_example_builds_the_same_bytes_twice() {
    for src in examples() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let (pa, pb) = (build_docx(&src, a.path()), build_docx(&src, b.path()));
        assert_eq!(pa.file_name(), pb.file_name());
        let (ba, bb) = (std::fs::read(&pa).unwrap(), std::fs::read(&pb).unwrap());
        assert!(ba == bb, "{}: two builds differ", src.display());
        // Fixed entry order and timestamps.
        let names: Vec<String> = entries(&ba).iter().map(|e| e.0.clone()).collect();
        assert_eq!(names[0], "[Content_Types].xml");
        assert!(names.contains(&"word/document.xml".to_string()));
        for (n, xml, t) in entries(&ba) {
            assert_eq!((t.year(), t.month(), t.day(), t.hour(), t.minute()), (1980, 1, 1, 0, 0), "{n}");
            // Every part is well-formed XML.
            let mut r = Reader::from_str(&xml);
            loop {
                match r.read_event() {
                    Ok(Event::Eof) => break,
                    Ok(_) => {}
                    Err(e) => panic!("{}: {n} is not well-formed: {e}", src.display()),
                }
            }
        }
    }
}

#[test]
fn every_example_imports_back_to_its_cells() {
    for src in examples() {
        let out = tempfile::tempdir().unwrap();
        let bytes = std::fs::read(build_docx(&src, out.path())).unwrap();
        let want = gxgen::check(&src).report.unwrap();
        let imported = gxgen::import::import_bytes(&bytes);
        assert_eq!(imported.agency.as_deref(), Some(want.meta.agency.value.as_str()), "{}", src.display());
        assert_eq!(imported.format_id.as_deref(), Some(want.format.id.as_str()));
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in imported.files() {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let checked = gxgen::check(&dir.path().join("report.yaml"));
        let got = checked.report.unwrap_or_else(|| panic!("{}: imported report does not load", src.display()));
        for (i, c) in want.format.cells.iter().enumerate() {
            assert_eq!(got.get(&c.key), want.value(i), "{}: {}", src.display(), c.key);
        }
    }
}

#[test]
fn tables_match_the_document_model_cell_for_cell() {
    for src in examples() {
        let out = tempfile::tempdir().unwrap();
        let bytes = std::fs::read(build_docx(&src, out.path())).unwrap();
        let word = tables(&part(&bytes, "word/document.xml"));
        let model = grids(&src);
        assert_eq!(word.len(), model.len(), "{}", src.display());
        for (t, g) in word.iter().zip(&model) {
            let ctx = format!("{} table {}", src.display(), g.key);
            same_cells(&expand_grid(g), &expand_tbl(t)).unwrap_or_else(|e| panic!("{ctx}: {e}"));
            // Widths agree: tblW = Σ gridCol, each tcW = Σ of its columns.
            assert_eq!(t.grid.len(), g.columns, "{ctx}");
            assert_eq!(t.width, t.grid.iter().sum::<u32>(), "{ctx}");
            assert_eq!(t.width, 8845, "{ctx}: the table fills the 156 mm line");
            for (_, _, cells) in &t.rows {
                let mut col = 0;
                for c in cells {
                    assert_eq!(c.width, t.grid[col..col + c.span].iter().sum::<u32>(), "{ctx}");
                    col += c.span;
                }
                assert_eq!(col, g.columns, "{ctx}");
            }
            // Header rows repeat; no row splits.
            let headers = t.rows.iter().take_while(|r| r.0).count();
            assert_eq!(headers, g.header_rows, "{ctx}");
            assert_eq!(t.rows.iter().filter(|r| r.0).count(), g.header_rows, "{ctx}");
            assert!(t.rows.iter().all(|r| r.1), "{ctx}: a row may split");
            // The vertical label is vertical text, and only it.
            let vertical: Vec<&Tc> = t.rows.iter().flat_map(|r| &r.2).filter(|c| c.vertical.is_some()).collect();
            let want: Vec<&str> =
                g.rows.iter().flat_map(|r| &r.cells).filter(|c| c.vertical).map(|c| c.text.as_str()).collect();
            assert_eq!(
                vertical.iter().filter(|c| c.vmerge != Some(false)).map(|c| c.text.as_str()).collect::<Vec<_>>(),
                want
            );
            assert!(vertical.iter().all(|c| c.vertical.as_deref() == Some("tbRl")));
        }
        // Table 三 has its vertical 三、本年度办理结果 and merged cells.
        let apps = model.iter().position(|g| g.key == "applications").unwrap();
        let t = &word[apps];
        assert!(t.rows.iter().flat_map(|r| &r.2).any(|c| c.vertical.is_some() && c.text.contains("本年度办理结果")));
        assert!(t.rows.iter().flat_map(|r| &r.2).any(|c| c.vmerge == Some(false)));
        assert!(t.rows.iter().flat_map(|r| &r.2).any(|c| c.span > 1));
    }
}

#[test]
fn page_grid_styles_and_fonts_are_gb_t_9704() {
    let src = repo().join("examples/hanyin-xingzheng-shenpi-2021/report.yaml");
    let out = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(build_docx(&src, out.path())).unwrap();
    let doc = part(&bytes, "word/document.xml");
    // A4, margins 37/35/28/26 mm, 22 lines × 28 characters.
    assert!(doc.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"), "{doc}");
    assert!(doc.contains("w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1587\""));
    // 156 mm = 442.25 pt / 28 = 15.795 pt a character: 0.205 pt × 4096 narrower than 16 pt.
    assert!(doc.contains("<w:docGrid w:type=\"linesAndChars\" w:linePitch=\"579\" w:charSpace=\"-841\"/>"));
    assert!(doc.contains("w:type=\"even\"") && doc.contains("w:type=\"default\""));
    let settings = part(&bytes, "word/settings.xml");
    assert!(settings.contains("<w:evenAndOddHeaders/>"));
    // Styles by name, with the role fonts and sizes of typography.yaml.
    let styles = part(&bytes, "word/styles.xml");
    let t = gxgen::typography::get();
    for name in
        ["Normal", "Title", "一级标题", "二级标题", "三级标题", "表格文字", "落款", "footer", "Strong", "Emphasis"]
    {
        assert!(styles.contains(&format!("<w:name w:val=\"{name}\"/>")), "style {name}");
    }
    let style = |id: &str| -> String {
        let start = styles.find(&format!("w:styleId=\"{id}\"")).unwrap_or_else(|| panic!("{id}"));
        styles[start..start + styles[start..].find("</w:style>").unwrap()].to_string()
    };
    for (id, role) in [
        ("Normal", "body"),
        ("Title", "title"),
        ("GxHeading1", "heading"),
        ("GxHeading2", "subheading"),
        ("GxTableText", "table"),
    ] {
        let r = t.role(role).unwrap();
        let s = style(id);
        let fonts = format!("w:ascii=\"{l}\" w:hAnsi=\"{l}\" w:eastAsia=\"{}\"", r.word[0], l = t.word_latin);
        assert!(s.contains(&fonts), "{id}: {s}");
        assert!(s.contains(&format!("<w:sz w:val=\"{}\"/>", (r.size_pt * 2.0) as u32)), "{id}: {s}");
    }
    assert!(style("Normal").contains("w:firstLineChars=\"200\""));
    assert!(style("Title").contains("<w:jc w:val=\"center\"/>"));
    assert!(style("GxTableText").contains("<w:snapToGrid w:val=\"0\"/>"));
    // Every word: font name is in the font table.
    let fonts = part(&bytes, "word/fontTable.xml");
    for r in &t.roles {
        for n in &r.word {
            assert!(fonts.contains(&format!("w:name=\"{n}\"")), "{n}");
        }
    }
    // Page numbers: — PAGE — in 4号, odd right, even left, one character in.
    let odd = part(&bytes, "word/footer1.xml");
    let even = part(&bytes, "word/footer2.xml");
    for (f, side) in [(&odd, "right"), (&even, "left")] {
        assert!(f.contains("<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>"));
        assert!(f.contains(&format!("<w:jc w:val=\"{side}\"/>")) && f.contains(&format!("w:{side}Chars=\"100\"")));
        assert!(f.contains(">— <") && f.contains("> —<"));
    }
    assert!(style("Footer").contains("<w:sz w:val=\"28\"/>"));
    // The title, the headings and the 落款 in their styles.
    assert!(
        doc.contains("<w:pStyle w:val=\"Title\"/></w:pPr><w:r><w:t xml:space=\"preserve\">汉阴县行政审批服务局</w:t>")
    );
    assert!(doc.contains(
        "<w:pStyle w:val=\"GxHeading1\"/><w:keepNext/></w:pPr><w:r><w:t xml:space=\"preserve\">一、总体情况"
    ));
    assert!(doc.contains("<w:pStyle w:val=\"GxSignature\"/>"));
    // Nothing but the page number is a field; no external relationship.
    let all: String = entries(&bytes).into_iter().map(|e| e.1).collect();
    assert_eq!(all.matches("<w:instrText").count(), 2);
    for bad in ["TargetMode", "altChunk", "w:hyperlink", "fldSimple", "w:object", "<v:"] {
        assert!(!all.contains(bad), "{bad}");
    }
}

#[test]
fn user_text_is_never_markup() {
    let src = repo().join("examples/hanyin-xingzheng-shenpi-2021");
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(&src).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
        }
    }
    let hostile = "</w:t></w:r><w:r><w:instrText> INCLUDETEXT \"http://x/\" </w:instrText></w:r>&amp; \u{1} \u{b}\
                   [链接](https://example.org/a?b=1&c=2) **要点** <script>";
    let md = dir.path().join("overview.md");
    let text = std::fs::read_to_string(&md).unwrap();
    std::fs::write(&md, format!("{text}\n\n{hostile}\n")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(build_docx(&dir.path().join("report.yaml"), out.path())).unwrap();
    let doc = part(&bytes, "word/document.xml");
    tables(&doc); // well-formed
    assert_eq!(doc.matches("<w:instrText").count(), 0);
    assert!(doc.contains("&lt;/w:t&gt;&lt;/w:r&gt;&lt;w:r&gt;&lt;w:instrText&gt; INCLUDETEXT"));
    assert!(!doc.contains('\u{1}') && !doc.contains('\u{b}'));
    // A link is its text and its address, as text.
    assert!(doc.contains("链接</w:t></w:r><w:r><w:t xml:space=\"preserve\">（https://example.org/a?b=1&amp;c=2）"));
    assert!(doc.contains("<w:rStyle w:val=\"Strong\"/></w:rPr><w:t xml:space=\"preserve\">要点"));
}

#[test]
fn a_workspace_writes_a_docx_per_agency_and_for_the_summary_and_links_them() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("examples/county"), tmp.path());
    let ws = tmp.path().join("2024");
    let o = run(&["build", ws.to_str().unwrap(), "--only", "html,docx", "-j", "2"], None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = ws.join("out");
    let names: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    let html: Vec<&String> =
        names.iter().filter(|n| n.ends_with(".html") && *n != "index.html" && *n != "问题清单.html").collect();
    let docx: Vec<&String> = names.iter().filter(|n| n.ends_with(".docx")).collect();
    assert!(html.len() > 2 && docx.len() == html.len(), "{names:?}");
    assert!(!names.iter().any(|n| n.ends_with(".pdf")));
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    for d in &docx {
        assert!(index.contains(&format!("href=\"{d}\"")), "index does not link {d}");
    }
    let summary = docx.iter().find(|n| n.contains("汇总") || n.contains("人民政府")).expect("summary docx");
    let bytes = std::fs::read(out.join(summary)).unwrap();
    assert!(gxgen::import::import_bytes(&bytes).agency.is_some());
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF | 0x201C..=0x201D)
}

/// Whitespace collapsed; a break between two CJK characters removed; page
/// footers dropped (as the PDF test reads pdftotext).
fn normalize(text: &str) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !(l.trim().starts_with('—') && l.trim().ends_with('—'))).collect();
    let joined = lines.join("\n");
    let chars: Vec<char> = joined.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            let prev = out.chars().last();
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            let join = matches!((prev, next), (Some(p), Some(&n)) if is_cjk(p) || is_cjk(n));
            if !join && prev != Some(' ') && !out.is_empty() {
                out.push(' ');
            }
            continue;
        }
        out.push(c);
    }
    out
}

/// LibreOffice renders each example's .docx: pdftotext of its PDF holds
/// every label of every mandated table and every row's label followed by
/// its figures, in order. Skipped, with a notice, without soffice.
#[test]
fn libreoffice_renders_every_label_and_row_in_order() {
    let soffice = ["soffice", "libreoffice"]
        .into_iter()
        .find(|s| Command::new(s).arg("--version").output().is_ok_and(|o| o.status.success()));
    let Some(soffice) = soffice else {
        eprintln!(
            "NOTICE: docx::libreoffice_renders_every_label_and_row_in_order skipped: soffice not installed (.ci/run installs libreoffice-writer-nogui)"
        );
        return;
    };
    let profile = tempfile::tempdir().unwrap();
    for src in examples() {
        let out = tempfile::tempdir().unwrap();
        let docx = build_docx(&src, out.path());
        let pdf_dir = tempfile::tempdir().unwrap();
        let o = Command::new(soffice)
            .arg(format!("-env:UserInstallation=file://{}", profile.path().display()))
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(pdf_dir.path())
            .arg(&docx)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let pdf = pdf_dir.path().join(docx.with_extension("pdf").file_name().unwrap());
        let t = Command::new("pdftotext").args(["-raw", "-enc", "UTF-8"]).arg(&pdf).arg("-").output().unwrap();
        assert!(t.status.success());
        let raw = String::from_utf8(t.stdout).unwrap();
        assert!(raw.matches('\x0c').count() >= 2, "several pages");
        let text = normalize(&raw);
        let mut pos = 0;
        let mut rows = 0;
        for g in grids(&src) {
            for row in &g.rows {
                for c in row.cells.iter().filter(|c| c.key.is_none()) {
                    let label: String = c.text.split_whitespace().collect();
                    if c.vertical {
                        assert!(label.chars().all(|ch| text.contains(ch)), "{label}");
                    } else {
                        assert!(text.contains(&normalize(&label)), "label {label} missing in {}", src.display());
                    }
                }
                let data: Vec<&str> = row.cells.iter().filter(|c| c.key.is_some()).map(|c| c.text.as_str()).collect();
                if data.is_empty() {
                    continue;
                }
                let label = row
                    .cells
                    .iter()
                    .rfind(|c| c.key.is_none() && !c.vertical)
                    .map(|c| normalize(&c.text))
                    .unwrap_or_default();
                let expect = normalize(&format!("{label} {}", data.join(" ")));
                let expect = expect.trim();
                let found = text[pos..].find(expect).unwrap_or_else(|| {
                    panic!(
                        "row “{expect}” not found in order in LibreOffice's PDF of {}:\n{}",
                        src.display(),
                        &text[pos..]
                    )
                });
                pos += found + expect.len();
                rows += 1;
            }
        }
        assert!(rows >= 30, "{rows} rows");
    }
}

/// The book's 修订 workflow: a superior office's tracked change (a deleted
/// 35, an inserted 36) in the Word file reads back through `gxgen import`
/// as that one changed cell, as if every revision were accepted.
#[test]
fn a_tracked_change_reads_back_as_the_changed_cell() {
    let src = repo().join("examples/ankang-hanbin-2020/report.yaml");
    let out = tempfile::tempdir().unwrap();
    let docx = build_docx(&src, out.path());
    let key = "applications.new.total";
    let want = gxgen::check(&src).report.unwrap();
    let old = want.get(key).unwrap().display(&want.format.cells[want.format.cell(key).unwrap()].kind);
    let new = (want.get(key).unwrap().number.to_i64().unwrap() + 1).to_string();
    // Revise the first cell that shows the old figure in table 三's first data row.
    edit_zip(&docx, |name, data| {
        if name != "word/document.xml" {
            return data;
        }
        let mut text = String::from_utf8(data).unwrap();
        let row = text.find("一、本年新收政府信息公开申请数量").unwrap();
        let run = format!("<w:r><w:t xml:space=\"preserve\">{old}</w:t></w:r>");
        // The row's last figure is its total.
        let end = row + text[row..].find("</w:tr>").unwrap();
        let at = row + text[row..end].rfind(&run).unwrap();
        let revised = format!(
            "<w:del w:id=\"1\" w:author=\"上级\" w:date=\"2021-02-01T00:00:00Z\"><w:r><w:delText>{old}</w:delText></w:r></w:del>\
             <w:ins w:id=\"2\" w:author=\"上级\" w:date=\"2021-02-01T00:00:00Z\"><w:r><w:t>{new}</w:t></w:r></w:ins>"
        );
        text.replace_range(at..at + run.len(), &revised);
        text.into_bytes()
    });
    let revised = std::fs::read(&docx).unwrap();
    let imported = gxgen::import::import_bytes(&revised);
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in imported.files() {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let checked = gxgen::check(&dir.path().join("report.yaml"));
    let got = checked.report.expect("revised report loads");
    for (i, c) in want.format.cells.iter().enumerate() {
        if c.key == key {
            assert_eq!(got.get(key).unwrap().number.to_i64().unwrap().to_string(), new);
        } else {
            assert_eq!(got.get(&c.key), want.value(i), "{}", c.key);
        }
    }
    // And check says what the change broke: the row no longer sums.
    assert!(checked.diagnostics.list.iter().any(|d| d.code == "GX0302"), "{:?}", checked.diagnostics.list);
}
