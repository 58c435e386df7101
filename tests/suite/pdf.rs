//! PDF: typst in-process. The PDF's text equals the HTML's figure for
//! figure, builds are byte-identical, user text is never typst code, and
//! missing fonts or glyphs are clear errors, never tofu.
//!
//! Needs poppler's `pdftotext` and the Noto CJK fonts (`.ci/run` installs
//! both: poppler-utils, fonts-noto-cjk).

use crate::common::*;
use scraper::{Html, Selector};
use std::path::Path;
use std::process::Command;

/// A folder holding only the Noto CJK fonts, so tests do not depend on
/// whatever else the machine has.
pub(crate) fn noto_only() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut n = 0;
    for base in ["/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto", "/usr/share/fonts/noto-cjk"] {
        let Ok(rd) = std::fs::read_dir(base) else { continue };
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.contains("CJK") && (name.contains("Regular") || name.contains("Bold")) {
                std::fs::copy(e.path(), dir.path().join(&name)).unwrap();
                n += 1;
            }
        }
    }
    assert!(n > 0, "Noto CJK fonts are not installed: apt-get install fonts-noto-cjk (.ci/run does)");
    dir
}

fn build(report: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["build", report.to_str().unwrap(), "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(&args, None)
}

fn pdftotext(pdf: &Path) -> String {
    let o = Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed: .ci/run installs it");
    assert!(o.status.success());
    String::from_utf8(o.stdout).unwrap()
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF | 0x201C..=0x201D)
}

/// Whitespace collapsed; a break between two CJK characters (a wrapped
/// label) removed; page footers dropped.
fn normalize(text: &str) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !(l.starts_with('—') && l.ends_with('—'))).collect();
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

#[test]
fn pdf_text_equals_html_figure_for_figure() {
    let fonts = noto_only();
    for path in examples() {
        let out = tempfile::tempdir().unwrap();
        let o = build(&path, out.path(), &["--ignore-system-fonts", "--font-path", fonts.path().to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
        let mut html = None;
        let mut pdf = None;
        for e in std::fs::read_dir(out.path()).unwrap() {
            let p = e.unwrap().path();
            match p.extension().and_then(|e| e.to_str()) {
                Some("html") => html = Some(std::fs::read_to_string(&p).unwrap()),
                Some("pdf") => pdf = Some(p),
                _ => {}
            }
        }
        let raw = pdftotext(&pdf.unwrap());
        // Table 三 is whole on one page, or in two parts on two pages, the
        // header rows (with the 勾稽关系 note) repeated on the second
        // (where it breaks: tables_break_between_parts_and_leave_no_half_empty_page).
        let pages: Vec<String> = raw.split('\x0c').map(normalize).collect();
        let corner = pages.iter().position(|p| p.contains("勾稽关系")).expect("the 勾稽关系 note of table 三");
        let on = |row: &str| {
            (corner..corner + 2).any(|i| pages.get(i).is_some_and(|p| p.contains("勾稽关系") && p.contains(row)))
        };
        for row in ["一、本年新收政府信息公开申请数量", "（七）总计", "四、结转下年度继续办理"]
        {
            assert!(on(row), "table 三 of {}: {row} is not under its header rows", path.display());
        }
        let text = normalize(&raw);
        let doc = Html::parse_document(&html.unwrap());
        let tr = Selector::parse("table.gx-table tr").unwrap();
        let cell = Selector::parse("th, td").unwrap();
        let mut pos = 0;
        let mut rows = 0;
        for row in doc.select(&tr) {
            let cells: Vec<_> = row.select(&cell).collect();
            let data: Vec<String> =
                cells.iter().filter(|c| c.attr("data-key").is_some()).map(|c| c.text().collect()).collect();
            // Every label is printed (vertical ones stacked character by character).
            for c in cells.iter().filter(|c| c.attr("data-key").is_none()) {
                let label: String = c.text().collect::<String>().split_whitespace().collect();
                if c.attr("class") == Some("vertical") {
                    assert!(label.chars().all(|ch| text.contains(ch)), "{label}");
                } else {
                    assert!(text.contains(&normalize(&label)), "label {label} missing in PDF of {}", path.display());
                }
            }
            if data.is_empty() {
                continue;
            }
            // The row's label followed by its figures, in table order.
            let label = cells
                .iter()
                .rfind(|c| c.attr("data-key").is_none() && c.attr("class") != Some("vertical"))
                .map(|c| normalize(&c.text().collect::<String>()))
                .unwrap_or_default();
            let expect = normalize(&format!("{label} {}", data.join(" ")));
            let expect = expect.trim();
            let found = text[pos..]
                .find(expect)
                .unwrap_or_else(|| panic!("row “{expect}” not found in order in the PDF of {}", path.display()));
            pos += found + expect.len();
            rows += 1;
        }
        assert!(rows >= 30, "{rows} rows");
    }
}

#[test]
fn pdfs_are_byte_identical_and_dated_by_publish_date() {
    let fonts = noto_only();
    let fp = fonts.path().to_str().unwrap();
    let path = repo().join("examples/wenshang-xingzheng-shenpi-2020/report.yaml");
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for d in [&a, &b] {
        let o = build(&path, d.path(), &["--only", "pdf", "--ignore-system-fonts", "--font-path", fp]);
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let pa = std::fs::read(a.path().join("2020-汶上县行政审批服务局.pdf")).unwrap();
    let pb = std::fs::read(b.path().join("2020-汶上县行政审批服务局.pdf")).unwrap();
    assert!(pa == pb, "two builds differ");
    assert!(!a.path().join("2020-汶上县行政审批服务局.html").exists(), "--only pdf");
    let info = Command::new("pdfinfo").arg(a.path().join("2020-汶上县行政审批服务局.pdf")).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("Title:") && info.contains("汶上县行政审批服务局2020年政府信息公开工作年度报告"), "{info}");
    assert!(info.contains("Author:") && info.contains("汶上县行政审批服务局"), "{info}");
    assert!(info.contains("CreationDate:") && info.contains("2021"), "{info}");
    assert!(info.contains("Tagged:          yes"), "{info}");
    // The report's own publish date wins over SOURCE_DATE_EPOCH (issue 14,
    // defect 16; hostile::defect_16_* covers a report without a date).
    let c = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_gxgen"))
        .args([
            "build",
            path.to_str().unwrap(),
            "-o",
            c.path().to_str().unwrap(),
            "--only",
            "pdf",
            "--ignore-system-fonts",
            "--font-path",
            fp,
        ])
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    assert!(o.status.success());
    let info = Command::new("pdfinfo").arg(c.path().join("2020-汶上县行政审批服务局.pdf")).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("CreationDate:") && info.contains("2021") && !info.contains("2023"), "{info}");
}

#[test]
fn user_text_is_never_typst_code() {
    let fonts = noto_only();
    let evil = "井号#set page(fill: red) 美元$x^2$ 括号] 星号*粗* 反引号`code` 小于<lbl> 艾特@ref 注释// 读取#read(\"/etc/passwd\") 求值#eval(\"1+1\")";
    let mut s = Synth::valid(2021, &mut Rng(33), 9);
    s.narrative[0].1 = "overview.md".into();
    s.agency = "某局#strong[x]".into();
    let (dir, path, _) = s.write();
    // Markdown escapes keep `*` and backticks literal in markdown too.
    let md = evil.replace('*', "\\*").replace('`', "\\`");
    std::fs::write(dir.path().join("overview.md"), &md).unwrap();
    let out = dir.path().join("out");
    let o = build(&path, &out, &["--ignore-system-fonts", "--font-path", fonts.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let pdf = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .unwrap();
    let text = normalize(&pdftotext(&pdf));
    for piece in [
        "井号#set page(fill: red)",
        "美元$x^2$",
        "括号]",
        "星号*粗*",
        "反引号`code`",
        "小于<lbl>",
        "艾特@ref",
        "注释//",
        "读取#read(\"/etc/passwd\")",
        "求值#eval(\"1+1\")",
        "某局#strong[x]",
    ] {
        // Compared without spaces: a line may wrap inside a path (“/etc/ passwd”).
        let squeeze = |s: &str| s.split_whitespace().collect::<String>();
        assert!(squeeze(&text).contains(&squeeze(piece)), "{piece} not printed literally: {text}");
    }
    assert!(!text.contains("root:x:0:0"), "a file was read");
}

#[test]
fn an_empty_font_folder_is_a_clear_error() {
    let empty = tempfile::tempdir().unwrap();
    let s = Synth::valid(2021, &mut Rng(33), 9);
    let (dir, path, _) = s.write();
    let out = dir.path().join("out");
    let o = build(&path, &out, &["--ignore-system-fonts", "--font-path", empty.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("error[GX0601]") && err.contains("没有可用的中文字体"), "{err}");
    assert!(err.contains("fonts-noto-cjk"), "{err}");
    assert!(!out.exists(), "nothing written");
    // A font folder that does not exist is said so.
    let o = build(&path, &out, &["--font-path", "/nonexistent/fonts"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("/nonexistent/fonts 不存在"));
}

#[test]
fn a_missing_glyph_is_located_not_a_tofu_box() {
    let fonts = noto_only();
    // U+2A6D6 (CJK extension B) is in none of the Noto CJK fonts.
    let mut s = Synth::valid(2021, &mut Rng(33), 9);
    s.agency = "测试县\u{2A6D6}村村民委员会".into();
    let (dir, path, _) = s.write();
    let out = dir.path().join("out");
    let o = build(&path, &out, &["--ignore-system-fonts", "--font-path", fonts.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("error[GX0602]") && err.contains("U+2A6D6"), "{err}");
    assert!(err.contains("report.yaml:2:"), "{err}");
    assert!(!out.exists(), "nothing written");
}

#[test]
fn pinned_fonts_and_the_fonts_command() {
    let fonts = noto_only();
    let fp = fonts.path().to_str().unwrap();
    let o = run(&["fonts", "--ignore-system-fonts", "--font-path", fp], None);
    assert_eq!(o.status.code(), Some(0));
    let t = String::from_utf8_lossy(&o.stdout);
    assert!(t.contains("正文（仿宋）：Noto Serif CJK SC") && t.contains("一级标题（黑体）：Noto Sans CJK SC"), "{t}");
    let empty = tempfile::tempdir().unwrap();
    let o = run(&["fonts", "--ignore-system-fonts", "--font-path", empty.path().to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("缺少中文字体"));
    // A pinned family that is not installed.
    let s = Synth::valid(2021, &mut Rng(33), 9);
    let (dir, path, _) = s.write();
    // A list is a fallback list: the first installed family is used.
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.clone() + "fonts:\n  body: [不存在的仿宋, Noto Serif CJK SC]\n").unwrap();
    let o = build(&path, &dir.path().join("out1"), &["--ignore-system-fonts", "--font-path", fp]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let text = text + "fonts:\n  body: 不存在的仿宋\n";
    std::fs::write(&path, text).unwrap();
    let o = build(&path, &dir.path().join("out"), &["--ignore-system-fonts", "--font-path", fp]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("找不到指定的正文（仿宋）字体“不存在的仿宋”"));
}

#[test]
fn pdf_a_2b() {
    let fonts = noto_only();
    let fp = fonts.path().to_str().unwrap();
    // Without a date PDF/A cannot be made: a clear error.
    let path = repo().join("examples/hanyin-xingzheng-shenpi-2021/report.yaml");
    let out = tempfile::tempdir().unwrap();
    let o = build(
        &path,
        out.path(),
        &["--only", "pdf", "--pdf-standard", "a-2b", "--ignore-system-fonts", "--font-path", fp],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("publish_date"));
    let path = repo().join("examples/wenshang-xingzheng-shenpi-2020/report.yaml");
    let o = build(
        &path,
        out.path(),
        &["--only", "pdf", "--pdf-standard", "a-2b", "--ignore-system-fonts", "--font-path", fp],
    );
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let bytes = std::fs::read(out.path().join("2020-汶上县行政审批服务局.pdf")).unwrap();
    let s = String::from_utf8_lossy(&bytes);
    assert!(s.contains("pdfaid:part") || s.contains("pdfaid"), "no PDF/A identification");
}

/// `gxgen fonts` tells a substitute from a font of the role's own style and
/// says what to install; `build` says it once per run. With only the Noto
/// CJK fonts (Debian's fonts-noto-cjk, which CI installs) the 小标宋, 仿宋
/// and 楷体 roles are served by Noto Serif CJK, a 宋体 design.
#[test]
fn substitute_fonts_are_named_with_what_to_install() {
    let noto = Path::new("/usr/share/fonts/opentype/noto");
    if !noto.join("NotoSerifCJK-Regular.ttc").exists() {
        eprintln!("skipped: Debian's fonts-noto-cjk is not installed");
        return;
    }
    let dir = noto.to_str().unwrap();
    let o = run(&["fonts", "--ignore-system-fonts", "--font-path", dir], None);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{text}");
    for style in ["小标宋", "仿宋", "楷体"] {
        assert!(text.contains(&format!("——替代字体，不是{style}")), "{style}: {text}");
    }
    // Noto Sans CJK is a 黑体 and Noto Serif CJK a 宋体: no substitutes there.
    assert!(text.lines().any(|l| l.starts_with("一级标题（黑体）：Noto Sans CJK") && !l.contains("替代")), "{text}");
    assert!(text.lines().any(|l| l.starts_with("表格和页码（宋体）：Noto Serif CJK") && !l.contains("替代")), "{text}");
    assert!(text.contains("二级标题（楷体）：现用 Noto Serif CJK SC。安装："), "{text}");

    let out = tempfile::tempdir().unwrap();
    let path = repo().join("examples/hanyin-xingzheng-shenpi-2021/report.yaml");
    let args = ["build", path.to_str().unwrap(), "--only", "pdf", "--ignore-system-fonts", "--font-path", dir, "-o"];
    let mut args = args.to_vec();
    args.push(out.path().to_str().unwrap());
    let o = run(&args, None);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert_eq!(err.matches("提示：本机缺少公文字体").count(), 1, "{err}");
    assert!(err.contains("仿宋用了 Noto Serif CJK SC"), "{err}");
}

/// Every example's PDF, built once for the layout tests of this module
/// (Noto CJK fonts only): (example folder name, PDF path).
type Built = (tempfile::TempDir, tempfile::TempDir, Vec<(String, std::path::PathBuf)>);

fn built_examples() -> &'static [(String, std::path::PathBuf)] {
    &built().2
}

/// The examples built with Noto only: (the fonts, the output, the PDFs).
fn built() -> &'static Built {
    static BUILT: std::sync::OnceLock<Built> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let fonts = noto_only();
        let out = tempfile::tempdir().unwrap();
        let mut v = Vec::new();
        for path in examples() {
            let name = path.parent().unwrap().file_name().unwrap().to_string_lossy().into_owned();
            let dir = out.path().join(&name);
            let o = build(
                &path,
                &dir,
                &["--only", "pdf", "--ignore-system-fonts", "--font-path", fonts.path().to_str().unwrap()],
            );
            assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
            let pdf = std::fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .find(|p| p.extension().is_some_and(|e| e == "pdf"));
            v.push((name, pdf.unwrap()));
        }
        (fonts, out, v)
    })
}

/// The faces gxgen reads ahead, on threads of their own while it checks a
/// report, are the ones typst then embeds: none is read for nothing and
/// none is left for the layout to load, on every example.
#[test]
fn the_fonts_read_ahead_are_the_ones_the_pdf_embeds() {
    let (fonts, _, examples) = built();
    let opts = gxgen::render::pdf::FontOptions { font_paths: vec![fonts.path().to_path_buf()], ignore_system: true };
    let mut ahead = gxgen::render::pdf::FontLibrary::read_ahead(&opts);
    ahead.sort();
    assert!(ahead.len() >= 2, "{ahead:?}");
    for (name, pdf) in examples {
        let o = Command::new("pdffonts").arg(pdf).output().expect("pdffonts (poppler-utils)");
        // "ABCDEF+NotoSerifCJKsc-Regular-Identity-H CID Type 0C ...": the
        // name without the subset tag and the CMap.
        let mut embedded: Vec<String> = String::from_utf8_lossy(&o.stdout)
            .lines()
            .skip(2)
            .filter_map(|l| l.split_whitespace().next())
            .map(|n| n.split_once('+').map_or(n, |(_, n)| n).trim_end_matches("-Identity-H").to_string())
            .collect();
        embedded.sort();
        embedded.dedup();
        assert_eq!(embedded, ahead, "{name}");
    }
}

/// A face asked for while its read-ahead thread is still loading it is
/// waited for, not loaded and hashed a second time: the caller gets the
/// same faces as from a library that reads nothing ahead, and never hangs.
#[test]
fn a_face_being_read_ahead_is_waited_for() {
    let (fonts, _, _) = built();
    let plain = gxgen::render::pdf::FontOptions { font_paths: vec![fonts.path().to_path_buf()], ignore_system: true };
    // The same folder by another name: a library of its own, read ahead.
    let warmed = gxgen::render::pdf::FontOptions { font_paths: vec![fonts.path().join(".")], ignore_system: true };
    gxgen::render::pdf::FontLibrary::prewarm(&warmed);
    let ahead = gxgen::render::pdf::FontLibrary::read_ahead(&warmed);
    assert!(ahead.len() >= 2, "{ahead:?}");
    assert_eq!(ahead, gxgen::render::pdf::FontLibrary::read_ahead(&plain));
}

/// A word of `pdftotext -bbox`: its box (points, origin top left) and text.
#[derive(Debug, Clone)]
struct Word {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    text: String,
}

/// The words of each page.
fn bbox_pages(pdf: &Path) -> Vec<Vec<Word>> {
    let o = Command::new("pdftotext").args(["-bbox", "-enc", "UTF-8"]).arg(pdf).arg("-").output().unwrap();
    let text = String::from_utf8(o.stdout).unwrap();
    let attr = |s: &str, name: &str| -> f64 {
        let i = s.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        s[i..i + s[i..].find('"').unwrap()].parse().unwrap()
    };
    text.split("<page ")
        .skip(1)
        .map(|page| {
            page.split("<word ")
                .skip(1)
                .map(|w| {
                    let (head, rest) = w.split_once('>').unwrap();
                    let t = rest.split_once("</word>").unwrap().0;
                    let t = t.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"");
                    Word {
                        x0: attr(head, "xMin"),
                        y0: attr(head, "yMin"),
                        x1: attr(head, "xMax"),
                        y1: attr(head, "yMax"),
                        text: t,
                    }
                })
                .collect()
        })
        .collect()
}

const MM: f64 = 72.0 / 25.4;
/// The text block: 28 mm from the left edge, 156 × 225 mm, 37 mm from the top.
const LEFT: f64 = 28.0 * MM;
const RIGHT: f64 = (28.0 + 156.0) * MM;
const BOTTOM: f64 = (37.0 + 225.0) * MM;
const CELL: f64 = 156.0 * MM / 28.0;

/// The lines of a page's text block (words of one baseline joined), top to
/// bottom, without the page number.
fn lines(words: &[Word]) -> Vec<Vec<Word>> {
    let mut out: Vec<Vec<Word>> = Vec::new();
    let mut ws: Vec<&Word> = words.iter().filter(|w| w.y1 < BOTTOM + 1.0).collect();
    ws.sort_by(|a, b| a.y1.total_cmp(&b.y1).then(a.x0.total_cmp(&b.x0)));
    for w in ws {
        match out.last_mut() {
            Some(l) if (l[0].y1 - w.y1).abs() < 2.0 => l.push(w.clone()),
            _ => out.push(vec![w.clone()]),
        }
    }
    out
}

fn is_cjk_cell(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0x3400..=0x9FFF | 0xF900..=0xFAFF | 0xFF01..=0xFF60 | 0x2018..=0x201D)
}

const OPENING: &str = "“‘《〈（『「【〖〔［｛([";
const CLOSING: &str = "”’，。、：；？！》〉）』」】〗〕］｝．,.;:!?)]";

/// A Latin run in Chinese text (a decimal, a percentage, an e-mail address,
/// a clerk's half-width ";") is set once on the grid: kept whole, on the
/// line's baseline. The template once applied its grid rules again to the
/// text inside the boxes they made, which split "77.85%" into "77. 85%"
/// with a gap, the e-mail address after its "." and set a half-width
/// punctuation mark 3 pt below the line.
#[test]
fn latin_runs_are_whole_and_on_the_baseline() {
    let mut seen = Vec::new();
    for (name, pdf) in built_examples() {
        let pages = bbox_pages(pdf);
        let words: Vec<&Word> = pages.iter().flatten().collect();
        // What the example's sources say (the PDF's own text would not
        // show a run it split).
        let sources: String = std::fs::read_dir(Path::new("examples").join(name))
            .unwrap()
            .filter_map(|e| std::fs::read_to_string(e.unwrap().path()).ok())
            .collect();
        for run in ["77.85%", "92.44%", "hanbinleader@163.com"] {
            if sources.contains(run) {
                let ascii = |w: &Word| w.text.chars().filter(char::is_ascii).collect::<String>();
                let pieces: Vec<String> =
                    words.iter().map(|w| ascii(w)).filter(|a| !a.is_empty() && run.contains(a.as_str())).collect();
                assert!(words.iter().any(|w| w.text.contains(run)), "{name}: {run} is split: {pieces:?}");
                seen.push(run);
            }
        }
        for page in &pages {
            // Body text (3号: 16 pt boxes): a word of Latin letters, digits or
            // marks only stands on the baseline of some word with CJK.
            let body: Vec<&Word> = page.iter().filter(|w| (w.y1 - w.y0 - 16.0).abs() < 0.5).collect();
            for w in body.iter().filter(|w| w.text.chars().all(|c| c.is_ascii_graphic())) {
                assert!(
                    body.iter().any(|o| o.text.chars().any(is_cjk) && (o.y1 - w.y1).abs() < 0.5),
                    "{name}: {:?} is off the line (y {})",
                    w.text,
                    w.y1
                );
            }
        }
    }
    // The examples hold all three.
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 3, "{seen:?}");
}

/// GB/T 9704's grid (issue 13, item 1): on every page of body text, 22
/// lines; on every full line of pure CJK text, 28 characters, each on its
/// cell of 156 mm / 28. When the group that would take a line's last cell
/// is a character with its closing mark, the mark hangs outside the block
/// (at most one, in the half cell its glyph takes) and the line still holds
/// 28. A line holds fewer (27, rarely 26) only when the next line starts
/// with a group that has no closing mark to hang (an opening mark with its
/// character, a Latin run): then it is justified, never a mark squeezed.
/// A paragraph's last mark hangs too. No line starts with a closing mark
/// or ends with an opening one.
#[test]
fn body_text_is_on_the_28_by_22_grid() {
    let mut full_lines = 0;
    let mut on_grid = 0;
    let mut hanging = 0;
    let mut body_pages = 0;
    for (name, pdf) in built_examples() {
        let pages = bbox_pages(pdf);
        for (i, page) in pages.iter().enumerate() {
            let ls = lines(page);
            // Body text only: 3号 (16 pt boxes); the title page, the last
            // page and pages with tables (五号) are not full body pages.
            let body = ls.iter().all(|l| l.iter().all(|w| (w.y1 - w.y0 - 16.0).abs() < 0.5));
            let before_table =
                pages.get(i + 1).is_some_and(|p| p.iter().any(|w| w.y1 < BOTTOM && (w.y1 - w.y0) < 15.0));
            if body && i > 0 && i + 1 < pages.len() && !before_table {
                // The report's last lines go over with the 落款 (never alone
                // on the last page), and a blank line stands before it: a
                // page whose next, last, page holds only those may hold 20.
                let closing_next = i + 2 == pages.len() && lines(&pages[i + 1]).len() <= 4;
                assert!(
                    ls.len() == 22 || closing_next && ls.len() >= 20,
                    "{name} page {}: {} lines, not 22",
                    i + 1,
                    ls.len()
                );
                body_pages += 1;
            }
            for (j, l) in ls.iter().enumerate() {
                let text: String = l.iter().map(|w| w.text.as_str()).collect();
                let x0 = l[0].x0;
                let x1 = l.iter().map(|w| w.x1).fold(0.0, f64::max);
                let size = l[0].y1 - l[0].y0;
                if (size - 16.0).abs() < 0.5 {
                    let first = text.chars().next().unwrap();
                    let last = text.chars().next_back().unwrap();
                    assert!(
                        !CLOSING.contains(first) || x0 > LEFT + 1.0,
                        "{name} page {}: “{text}” starts with a closing mark",
                        i + 1
                    );
                    assert!(!OPENING.contains(last), "{name} page {}: “{text}” ends with an opening mark", i + 1);
                }
                // Full (justified) lines of pure CJK body text.
                if (size - 16.0).abs() > 0.5 || x1 < RIGHT - 1.0 || !text.chars().all(is_cjk_cell) {
                    continue;
                }
                // A hanging mark: one closing mark past the block's edge.
                let hangs = x1 > RIGHT + 1.0;
                if hangs {
                    let last = text.chars().next_back().unwrap();
                    assert!(
                        CLOSING.contains(last) && x1 < RIGHT + 16.5,
                        "{name} page {}: “{text}” runs into the margin",
                        i + 1
                    );
                    hanging += 1;
                }
                full_lines += 1;
                let indent = ((x0 - LEFT) / CELL).round() as usize;
                let n = text.chars().count();
                if indent + n - usize::from(hangs) == 28 {
                    on_grid += 1;
                    // Each character on its cell: no squeezed or stretched mark.
                    let pitch = (x1 - x0 - (16.0 - CELL)) / n as f64;
                    assert!((pitch - CELL).abs() < 0.05, "{name} page {}: pitch {pitch} in “{text}”", i + 1);
                    continue;
                }
                assert!(
                    !hangs && (25..28).contains(&(indent + n)),
                    "{name} page {}: {} cells in “{text}”",
                    i + 1,
                    indent + n
                );
                let next_line = match ls.get(j + 1) {
                    Some(n) => n.clone(),
                    None => pages.get(i + 1).and_then(|p| lines(p).into_iter().next()).unwrap_or_default(),
                };
                let next: Vec<char> = next_line.iter().flat_map(|w| w.text.chars()).collect();
                let held = next.first().is_some_and(|c| OPENING.contains(*c) || c.is_ascii_alphanumeric());
                assert!(
                    held,
                    "{name} page {}: {} cells in “{text}” though the next line starts {next:?}",
                    i + 1,
                    indent + n
                );
            }
        }
    }
    eprintln!(
        "{on_grid} of {full_lines} full CJK lines hold 28 characters ({hanging} with a hanging mark); {body_pages} full body pages of 22 lines"
    );
    assert!(body_pages >= 5, "{body_pages}");
    assert!(hanging > 0, "no line of the examples ends with a hanging mark");
    assert!(on_grid * 100 >= full_lines * 95, "{on_grid} of {full_lines}");
}

/// Tables and page breaks (issue 13, item 2), on every example: table 二
/// flows part by part, each part whole under its caption (no caption alone
/// at a page's foot, every continued page of it starts with a caption); no
/// page before a table is left more than a third empty; and table 三 is
/// whole on one page, or split once at a boundary between two sub-groups of
/// "三、本年度办理结果", the continued part under the repeated header rows and
/// with the group label repeated over its rows.
#[test]
fn tables_break_between_parts_and_leave_no_half_empty_page() {
    let is_caption = |l: &[Word]| {
        let t = text_of(l);
        t.starts_with("第二十条第") && t.ends_with('项')
    };
    let small = |l: &[Word]| l.iter().all(|w| w.y1 - w.y0 < 15.0);
    let mut checked = 0;
    let mut split = 0;
    for (name, pdf) in built_examples() {
        let words = bbox_pages(pdf);
        let pages: Vec<Vec<Vec<Word>>> = words.iter().map(|p| lines(p)).collect();
        for (i, page) in pages.iter().enumerate() {
            let Some(last) = page.last() else { continue };
            assert!(!is_caption(last), "{name} page {}: a caption alone at the page's foot", i + 1);
            let Some(next) = pages.get(i + 1) else { continue };
            // The next page starts with a table (its first line is 五号), or
            // with a heading and its table.
            let Some(top) = next.iter().take(2).position(|l| small(l)) else { continue };
            checked += 1;
            let first = text_of(&next[top]);
            let table3 = first.contains("申请人情况");
            assert!(
                top == 1 || table3 || is_caption(&next[top]),
                "{name} page {}: a table continues without its caption: {first}",
                i + 2
            );
            let bottom = last.iter().map(|w| w.y1).fold(0.0, f64::max);
            let empty = (BOTTOM - bottom) / (BOTTOM - 37.0 * MM);
            assert!(empty <= 1.0 / 3.0, "{name} page {} is {:.0}% empty before a table", i + 1, empty * 100.0);
        }
        // Table 三: its first row and its last on one page, or its parts on
        // two pages.
        let on = |f: &dyn Fn(&str) -> bool| {
            pages.iter().position(|p| p.iter().any(|l| f(&text_of(l)))).unwrap_or_else(|| panic!("{name}: table 三"))
        };
        let start = on(&|t| t.starts_with("一、本年新收政府信息公开申请数量"));
        let end = on(&|t| t.starts_with("四、结转下年度继续办理"));
        if start == end {
            continue;
        }
        assert_eq!(end, start + 1, "{name}: table 三 on pages {} to {}", start + 1, end + 1);
        split += 1;
        let cont = &pages[end];
        // The header rows repeated; the first row after them begins a
        // sub-group (its own label, or its first numbered item) and at least
        // 3 body rows stand on either side.
        let header = cont.iter().position(|l| text_of(l).contains("申请人情况"));
        assert!(header.is_some_and(|h| h < 2), "{name}: table 三 continues without its header rows");
        let body: Vec<String> = cont
            .iter()
            // Without the group label's characters, in its column.
            .map(|l| text_of(l).trim_start_matches(|c| "三、本年度办理结果".contains(c)).to_string())
            .filter(|t| {
                let item =
                    t.split_once('.').is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
                t.starts_with('（') || item || t.starts_with("四、结转")
            })
            .collect();
        assert!(
            body.first().is_some_and(|t| t.starts_with('（') || t.starts_with("1.")),
            "{name}: table 三 breaks inside a sub-group, before {:?}",
            body.first()
        );
        assert!(body.len() >= 3, "{name}: {} rows of table 三 continued", body.len());
        let before = pages[start]
            .iter()
            .skip_while(|l| !text_of(l).starts_with("一、本年新收"))
            .filter(|l| l.iter().any(|w| w.text.chars().all(|c| c.is_ascii_digit())))
            .count();
        assert!(before >= 3, "{name}: {before} rows of table 三 before its break");
        // The group label over the continued rows: its column, read top
        // to bottom, holds the label.
        let mut column: Vec<&Word> = words[end].iter().filter(|w| w.x1 < LEFT + 17.0 && w.y1 < BOTTOM).collect();
        column.sort_by(|a, b| a.y0.total_cmp(&b.y0));
        let column: String = column.iter().map(|w| w.text.as_str()).collect();
        assert!(column.contains("本年度办理结果"), "{name}: the group label is not repeated: {column:?}");
    }
    assert!(checked >= 5, "{checked}");
    assert!(split >= 1, "no example splits table 三");
}

/// A heading (一、… in 黑体, （一）… in 楷体) is kept with the text after it:
/// no page of any example ends with one. Headings are told by their
/// numbering and by standing alone on a short line without a full stop.
#[test]
fn no_heading_stands_alone_at_a_page_foot() {
    let numbered = |t: &str| {
        let t = t.trim_start_matches('（');
        let n = t.chars().take_while(|c| "一二三四五六七八九十".contains(*c)).count();
        n > 0 && t.chars().nth(n).is_some_and(|c| c == '、' || c == '）')
    };
    let mut pages_seen = 0;
    for (name, pdf) in built_examples() {
        for (i, page) in bbox_pages(pdf).iter().enumerate() {
            let ls = lines(page);
            let Some(last) = ls.last() else { continue };
            pages_seen += 1;
            let t = text_of(last);
            // Body-size lines only (a table's last row is 五号).
            let body = last.iter().all(|w| w.y1 - w.y0 > 13.0);
            let heading = body && numbered(&t) && t.chars().count() < 28 && !t.contains('。');
            assert!(!heading, "{name} page {}: the heading “{t}” alone at the page's foot", i + 1);
        }
    }
    assert!(pages_seen >= 20, "{pages_seen}");
}

fn text_of(l: &[Word]) -> String {
    l.iter().map(|w| w.text.as_str()).collect()
}

/// The report's data inside the PDF (issue 13, item 6): every example's PDF
/// carries `gxgen-data.json`, the same JSON as its HTML page, and `gxgen
/// import` of the PDF alone gives back every cell exactly.
#[test]
fn a_gxgen_pdf_carries_its_data_and_imports_back_to_every_cell() {
    for (name, pdf) in built_examples() {
        let src = repo().join("examples").join(name).join("report.yaml");
        // The attachment is the HTML page's data.
        let dir = tempfile::tempdir().unwrap();
        let saved = dir.path().join("data.json");
        let o = Command::new("pdfdetach").args(["-save", "1", "-o"]).arg(&saved).arg(pdf).output().unwrap();
        assert!(o.status.success(), "{name}: {}", String::from_utf8_lossy(&o.stderr));
        let attached: serde_json::Value = serde_json::from_slice(&std::fs::read(&saved).unwrap()).unwrap();
        let html = Html::parse_document(&built_html(&src));
        let script = Selector::parse("script[type=\"application/json\"]").unwrap();
        let embedded: String = html.select(&script).next().expect("the page's data").text().collect();
        let embedded: serde_json::Value = serde_json::from_str(&embedded).unwrap();
        assert_eq!(attached, embedded, "{name}: the PDF's data differs from the page's");
        let list = Command::new("pdfdetach").arg("-list").arg(pdf).output().unwrap();
        assert!(String::from_utf8_lossy(&list.stdout).contains("1: gxgen-data.json"), "{name}");

        let bytes = std::fs::read(pdf).unwrap();
        let want = gxgen::check(&src).report.unwrap();
        let imported = gxgen::import::import_bytes(&bytes);
        assert_eq!(imported.agency.as_deref(), Some(want.meta.agency.value.as_str()), "{name}");
        assert_eq!(imported.format_id.as_deref(), Some(want.format.id.as_str()), "{name}");
        assert!(imported.findings.iter().all(|f| f.code == "GX0853"), "{name}: {:?}", imported.findings);
        let out = tempfile::tempdir().unwrap();
        for (file, text) in imported.files() {
            std::fs::write(out.path().join(file), text).unwrap();
        }
        let checked = gxgen::check(&out.path().join("report.yaml"));
        let got = checked.report.unwrap_or_else(|| panic!("{name}: the imported report does not load"));
        assert_eq!(got.meta.year.value, want.meta.year.value, "{name}");
        for (i, c) in want.format.cells.iter().enumerate() {
            assert_eq!(got.get(&c.key), want.value(i), "{name}: {}", c.key);
        }
    }
}

/// A PDF without gxgen's data is refused with one coded diagnostic saying to
/// import the HTML page or .docx file; a damaged attachment likewise.
#[test]
fn import_reads_only_gxgen_pdfs() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("其他软件.pdf");
    std::fs::write(&other, b"%PDF-1.7\n1 0 obj\n<</Type/Catalog>>\nendobj\ntrailer\n<</Root 1 0 R>>\n%%EOF\n").unwrap();
    let out = dir.path().join("out");
    let o = run(&["import", other.to_str().unwrap(), "-o", out.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("错误[GX0851]") && err.contains("只读 gxgen 生成的 PDF"), "{err}");
    assert!(err.contains("网页（.html）或 .docx"), "{err}");
    assert_eq!(err.matches("错误").count(), 1, "{err}");
    assert!(!out.exists(), "nothing written");

    // Cut inside the attachment's stream object: GX0852.
    let (_, pdf) = &built_examples()[0];
    let bytes = std::fs::read(pdf).unwrap();
    let at = bytes
        .windows(17)
        .position(|w| w == b"/Type/EmbeddedFile")
        .unwrap_or_else(|| bytes.windows(16).position(|w| w == b"Type/EmbeddedFil").expect("an embedded file"));
    let cut = dir.path().join("cut.pdf");
    std::fs::write(&cut, &bytes[..at + 120]).unwrap();
    let o = run(&["import", cut.to_str().unwrap(), "-o", out.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("错误[GX0852]"), "{err}");
    assert!(!out.exists(), "nothing written");
}

/// `--pdf-standard a-3b`: PDF/A-3b with the data attached as PDF/A-3
/// allows (AFRelationship Data), read back by import; PDF/A-2b allows no
/// attachment and carries none.
#[test]
fn pdf_a_3b_carries_the_data() {
    let fonts = noto_only();
    let fp = fonts.path().to_str().unwrap();
    let path = repo().join("examples/wenshang-xingzheng-shenpi-2020/report.yaml");
    let out = tempfile::tempdir().unwrap();
    let o = build(
        &path,
        out.path(),
        &["--only", "pdf", "--pdf-standard", "a-3b", "--ignore-system-fonts", "--font-path", fp],
    );
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let pdf = out.path().join("2020-汶上县行政审批服务局.pdf");
    let bytes = std::fs::read(&pdf).unwrap();
    let s = String::from_utf8_lossy(&bytes);
    assert!(s.contains("<pdfaid:part>3</pdfaid:part>") || s.contains("pdfaid:part=\"3\""), "not PDF/A-3");
    assert!(s.contains("/AFRelationship/Data"), "no AFRelationship Data");
    let list = Command::new("pdfdetach").arg("-list").arg(&pdf).output().unwrap();
    assert!(String::from_utf8_lossy(&list.stdout).contains("1: gxgen-data.json"));
    let imported = gxgen::import::import_bytes(&bytes);
    assert_eq!(imported.agency.as_deref(), Some("汶上县行政审批服务局"));
    assert!(!imported.unreadable());

    let o = build(
        &path,
        out.path(),
        &["--only", "pdf", "--pdf-standard", "a-2b", "--ignore-system-fonts", "--font-path", fp],
    );
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let list = Command::new("pdfdetach").arg("-list").arg(&pdf).output().unwrap();
    assert!(String::from_utf8_lossy(&list.stdout).contains("0 embedded files"));
}

/// With a free 仿宋 and 楷体 on the font path (subsets of TeX Live's
/// FandolFang and FandolKai, tests/fixtures/fonts), `gxgen fonts` chooses
/// them for the body and the second-level headings, not as substitutes,
/// and the PDF sets its text in them (issue 13, item 3).
#[test]
fn free_fangsong_and_kaiti_serve_their_roles() {
    let fonts = noto_only();
    for e in std::fs::read_dir(repo().join("tests/fixtures/fonts")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "otf") {
            std::fs::copy(&p, fonts.path().join(p.file_name().unwrap())).unwrap();
        }
    }
    let fp = fonts.path().to_str().unwrap();
    let o = run(&["fonts", "--ignore-system-fonts", "--font-path", fp], None);
    let t = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{t}");
    assert!(t.lines().any(|l| l == "正文（仿宋）：FandolFang R"), "{t}");
    assert!(t.lines().any(|l| l == "二级标题（楷体）：FandolKai"), "{t}");
    assert!(!t.contains("不是仿宋") && !t.contains("不是楷体"), "{t}");

    let mut s = Synth::valid(2021, &mut Rng(33), 9);
    s.narrative[0].1 = "overview.md".into();
    let (dir, path, _) = s.write();
    std::fs::write(
        dir.path().join("overview.md"),
        "## （一）主动公开平台建设\n\n本机关依法主动公开政府信息，*重点领域*信息及时发布。\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let o = build(&path, &out, &["--only", "pdf", "--ignore-system-fonts", "--font-path", fp]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(!err.contains("仿宋用了") && !err.contains("楷体用了"), "{err}");
    let pdf =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().path()).find(|p| p.extension().is_some_and(|e| e == "pdf"));
    let o = Command::new("pdffonts").arg(pdf.unwrap()).output().expect("pdffonts (poppler-utils)");
    let list = String::from_utf8_lossy(&o.stdout);
    assert!(list.contains("FandolFang-Regular"), "{list}");
    assert!(list.contains("FandolKai-Regular"), "{list}");
}

/// 落款 as GB/T 9704 7.3.5.2 places it (no seal): the agency two
/// characters in from the right; the date on the next line, its first
/// character two characters right of the agency's first (the examples'
/// dates are shorter than their agencies).
#[test]
fn the_agency_and_date_close_the_report_as_gb_t_9704_places_them() {
    for (name, pdf) in built_examples() {
        let src = repo().join("examples").join(name).join("report.yaml");
        let report = gxgen::check(&src).report.unwrap();
        let agency = report.meta.agency.value.clone();
        let pages = bbox_pages(pdf);
        let ls = lines(pages.last().unwrap());
        let at = ls.iter().rposition(|l| text_of(l) == agency).unwrap_or_else(|| panic!("{name}: no 落款"));
        // Never alone on the last page: the report's text ends above it.
        assert!(at > 0, "{name}: the 落款 stands alone on the last page");
        let (x0, x1) = (ls[at][0].x0, ls[at].iter().map(|w| w.x1).fold(0.0, f64::max));
        let right = (RIGHT - x1 - (16.0 - CELL)) / CELL;
        assert!((right - 2.0).abs() < 0.05, "{name}: the agency ends {right:.2} cells from the right");
        if report.meta.publish_date.is_some() {
            let date = &ls[at + 1];
            assert!(
                (date[0].y1 - ls[at][0].y1 - 225.0 * MM / 22.0).abs() < 0.5,
                "{name}: the date is not on the next line"
            );
            let shift = (date[0].x0 - x0) / CELL;
            assert!((shift - 2.0).abs() < 0.35, "{name}: the date starts {shift:.2} cells right of the agency");
        }
    }
}
