//! Narrative parts written in Word (`overview: overview.docx`): read through
//! the input door into the same narrative blocks as markdown, diagnostics
//! naming the paragraph, and hostile files (zip bomb, deep nesting,
//! external relationships, not a zip) each one coded diagnostic. The .docx
//! files are written here with the zip crate, as Word lays them out.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::common::*;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// A .docx whose body is `body` (WordprocessingML paragraphs and tables),
/// with optional styles and numbering parts and extra members.
fn docx(body: &str, styles: Option<&str>, numbering: Option<&str>, extra: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut out);
    let opt = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let put = |z: &mut zip::ZipWriter<&mut std::io::Cursor<Vec<u8>>>, name: &str, bytes: &[u8]| {
        z.start_file(name, opt).unwrap();
        z.write_all(bytes).unwrap();
    };
    put(&mut z, "[Content_Types].xml", br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#);
    put(&mut z, "_rels/.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#);
    let doc = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{body}<w:sectPr/></w:body></w:document>"#
    );
    put(&mut z, "word/document.xml", doc.as_bytes());
    if let Some(s) = styles {
        put(&mut z, "word/styles.xml", format!(r#"<w:styles xmlns:w="{W}">{s}</w:styles>"#).as_bytes());
    }
    if let Some(n) = numbering {
        put(&mut z, "word/numbering.xml", format!(r#"<w:numbering xmlns:w="{W}">{n}</w:numbering>"#).as_bytes());
    }
    for (name, bytes) in extra {
        put(&mut z, name, bytes);
    }
    z.finish().unwrap();
    out.into_inner()
}

fn xml_text(t: &str) -> String {
    t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn run(text: &str, props: &str) -> String {
    format!(r#"<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{}</w:t></w:r>"#, xml_text(text))
}

fn para(inner: &str, ppr: &str) -> String {
    format!("<w:p><w:pPr>{ppr}<w:rPr><w:b/></w:rPr></w:pPr>{inner}</w:p>")
}

/// A markdown file of plain paragraphs as Word paragraphs, each cut into
/// runs of 7 characters (Word splits runs anywhere, even inside `{{ }}`).
pub(crate) fn md_as_docx(md: &str) -> Vec<u8> {
    let mut body = String::new();
    for p in md.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        let chars: Vec<char> = p.chars().collect();
        let runs: String = chars.chunks(7).map(|c| run(&c.iter().collect::<String>(), "")).collect();
        body.push_str(&para(&runs, ""));
    }
    docx(&body, None, None, &[])
}

/// A copy of an example whose narrative parts are .docx files.
fn example_in_word(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let src = repo().join("examples").join(name);
    let mut yaml = std::fs::read_to_string(src.join("report.yaml")).unwrap();
    for e in std::fs::read_dir(&src).unwrap().flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "md") {
            let stem = p.file_stem().unwrap().to_string_lossy().to_string();
            let md = std::fs::read_to_string(&p).unwrap();
            std::fs::write(dir.path().join(format!("{stem}.docx")), md_as_docx(&md)).unwrap();
            yaml = yaml.replace(&format!(": {stem}.md"), &format!(": {stem}.docx"));
        }
    }
    let report = dir.path().join("report.yaml");
    std::fs::write(&report, yaml).unwrap();
    (dir, report)
}

/// The built page without the parts that name the input files.
fn page(report: &Path) -> String {
    built_html(report)
}

#[test]
fn examples_written_in_word_build_to_the_same_page() {
    for name in ["ankang-hanbin-2020", "hanyin-xingzheng-shenpi-2021", "wenshang-xingzheng-shenpi-2020"] {
        let (_dir, report) = example_in_word(name);
        let ds = check_lib(&report);
        assert!(ds.iter().all(|d| d["severity"] != "error"), "{name}: {ds:#?}");
        let original = page(&repo().join("examples").join(name).join("report.yaml"));
        assert_eq!(page(&report), original, "{name}: the page from Word differs from the page from markdown");
    }
}

const STYLES: &str = r#"<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>"#;
const NUMBERING: &str = r#"
<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%1）"/></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num>"#;

fn numbered(id: u32, text: &str) -> String {
    para(&run(text, ""), &format!(r#"<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{id}"/></w:numPr>"#))
}

/// Everything Word can say that a narrative uses, and the same in markdown.
fn rich() -> (Vec<u8>, &'static str) {
    let body = [
        para(
            &[run("（一）主动公开。", ""), run("本年度", "<w:b/>"), run("主动公开信息", ""), run("120", "<w:i/>"), run("条，", "")]
                .concat(),
            "",
        ),
        para(&run("　　用全角空格缩进的段落，含 * 和 _ 与 <b>。", ""), ""),
        numbered(1, "第一项"),
        numbered(1, "第二项"),
        numbered(2, "甲"),
        numbered(2, "乙"),
        numbered(3, "自动编号的小标题。"),
        numbered(3, "第二个小标题。"),
        para(&run("小标题", ""), r#"<w:pStyle w:val="2"/>"#),
        r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>项目</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>数量</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>文件</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>3</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#.to_string(),
        para(r#"<w:r><w:t>第一行</w:t></w:r><w:r><w:br/><w:t>第二行</w:t></w:r>"#, ""),
        para(r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> DATE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>2025年1月20日</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>"#, ""),
        para(r#"<w:r><w:t>有图</w:t></w:r><w:r><w:drawing><wp:inline xmlns:wp="x"><a:t xmlns:a="y">不应出现</a:t></wp:inline></w:drawing></w:r>"#, ""),
        para(r#"<w:r><w:t>删去</w:t></w:r><w:del><w:r><w:delText>旧文字</w:delText></w:r></w:del><w:ins><w:r><w:t>新文字</w:t></w:r></w:ins>"#, ""),
    ]
    .concat();
    let md = "（一）主动公开。**本年度**主动公开信息*120*条，\n\n用全角空格缩进的段落，含 \\* 和 \\_ 与 \\<b\\>。\n\n- 第一项\n- 第二项\n\n1. 甲\n2. 乙\n\n（一）自动编号的小标题。\n\n（二）第二个小标题。\n\n## 小标题\n\n| 项目 | 数量 |\n|---|---|\n| 文件 | 3 |\n\n第一行\\\n第二行\n\n2025年1月20日\n\n有图\n\n删去新文字\n";
    (docx(&body, Some(STYLES), Some(NUMBERING), &[]), md)
}

fn with_overview_file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let src = repo().join("examples/hanyin-xingzheng-shenpi-2021");
    for f in ["report.yaml", "problems.md", "other.md"] {
        std::fs::copy(src.join(f), dir.path().join(f)).unwrap();
    }
    let yaml = std::fs::read_to_string(src.join("report.yaml")).unwrap().replace(": overview.md", &format!(": {name}"));
    std::fs::write(dir.path().join("report.yaml"), yaml).unwrap();
    std::fs::write(dir.path().join(name), bytes).unwrap();
    let report = dir.path().join("report.yaml");
    (dir, report)
}

#[test]
fn word_markup_becomes_the_markdown_blocks() {
    let (bytes, md) = rich();
    let converted = gxgen::load::docx::convert(&bytes).unwrap();
    assert_eq!(converted.text.trim_end(), md.trim_end());
    // Paragraph places: 14 blocks, the table one of them.
    assert_eq!(converted.paragraphs.len(), 14);
    assert!(converted.paragraphs.iter().any(|p| p.1 == 10 && p.2));
    let (_w, from_word) = with_overview_file("总体情况.docx", &bytes);
    let (_m, from_md) = with_overview_file("overview.md", md.as_bytes());
    assert_eq!(page(&from_word), page(&from_md));
    // The image and the field are hints naming their paragraph.
    let ds = check_lib(&from_word);
    let hints = with_code(&ds, "GX0924");
    assert_eq!(hints.len(), 2, "{ds:#?}");
    assert!(
        hints.iter().any(|d| d["place"] == "总体情况.docx 第 13 段" && d["message"].as_str().unwrap().contains("图片"))
    );
    assert!(hints.iter().any(|d| d["place"] == "总体情况.docx 第 12 段"));
}

#[test]
fn diagnostics_name_the_paragraph() {
    // hanyin received 0 applications: a figure stated in paragraph 3 is wrong.
    let body = [
        para(&run("第一段。", ""), ""),
        para(&run("", ""), ""),
        para(&run("第二段。", ""), ""),
        para(&run("本年度共收到政府信息公开申请5件。", ""), ""),
    ]
    .concat();
    let (_d, report) = with_overview_file("总体情况.docx", &docx(&body, None, None, &[]));
    let ds = check_lib(&report);
    let wrong = with_code(&ds, "GX0409");
    assert_eq!(wrong.len(), 1, "{ds:#?}");
    assert_eq!(wrong[0]["place"], "总体情况.docx 第 3 段");
    let out = crate::common::run(&["check", report.to_str().unwrap()], None);
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    // The location line names the paragraph, not the line of the text gxgen read.
    assert!(text.contains("┌─ 总体情况.docx 第 3 段\n"), "{text}");
}

fn one_code(bytes: &[u8], code: &str, severity: &str) {
    let (_d, report) = with_overview_file("overview.docx", bytes);
    let ds = check_lib(&report);
    assert_eq!(ds.len(), 1, "{ds:#?}");
    assert_eq!(ds[0]["code"], code, "{ds:#?}");
    assert_eq!(ds[0]["severity"], severity);
}

#[test]
fn hostile_word_files_give_one_coded_diagnostic() {
    // A zip bomb: 70 MiB of document.xml in a few hundred kilobytes.
    let mut bomb = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut bomb);
        let opt = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        z.start_file("word/document.xml", opt).unwrap();
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..70 {
            z.write_all(&chunk).unwrap();
        }
        z.finish().unwrap();
    }
    assert!(bomb.get_ref().len() < 1 << 20);
    one_code(bomb.get_ref(), "GX0922", "error");
    // Elements nested 300 deep.
    let deep = format!("{}{}", "<w:sdt><w:sdtContent>".repeat(150), "</w:sdtContent></w:sdt>".repeat(150));
    one_code(&docx(&deep, None, None, &[]), "GX0922", "error");
    // A linked template and a linked image outside the file: not fetched, one warning.
    let rels = format!(
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" Type="{R}/attachedTemplate" Target="file:///C:/evil.dotm" TargetMode="External"/><Relationship Id="rId8" Type="{R}/image" Target="http://example.invalid/x.png" TargetMode="External"/><Relationship Id="rId7" Type="{R}/hyperlink" Target="https://www.gov.cn" TargetMode="External"/></Relationships>"#
    );
    let linked =
        docx(&para(&run("正文。", ""), ""), None, None, &[("word/_rels/settings.xml.rels", rels.into_bytes())]);
    one_code(&linked, "GX0923", "warning");
    // Not a zip at all (an old .doc renamed).
    one_code(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old word", "GX0921", "error");
    // A zip without document.xml.
    let mut empty = std::io::Cursor::new(Vec::new());
    zip::ZipWriter::new(&mut empty).finish().unwrap();
    one_code(empty.get_ref(), "GX0921", "error");
}

#[test]
fn doc_and_wps_are_still_refused_with_advice() {
    let (_d, report) = with_overview_file("overview.doc", b"x");
    let ds = check_lib(&report);
    let d = with_code(&ds, "GX0106");
    assert_eq!(d.len(), 1, "{ds:#?}");
    assert!(d[0]["notes"].to_string().contains(".docx"));
}

#[test]
fn a_file_written_by_libreoffice_reads_as_its_markdown() {
    let bytes = std::fs::read(repo().join("tests/fixtures/docx-narrative/libreoffice-rich.docx")).unwrap();
    let converted = gxgen::load::docx::convert(&bytes).unwrap();
    let md = "（一）主动公开。**本年度**主动公开信息*120*条。\n\n- 第一项\n- 第二项\n\n1. 甲\n2. 乙\n\n## 小标题\n\n| 项目 | 数量 |\n|---|---|\n| 文件 | 3 |\n\n第一行\\\n第二行\n";
    assert_eq!(converted.text, md);
    assert!(converted.notices.is_empty(), "{:?}", converted.notices);
}

#[test]
fn a_part_title_at_the_top_of_the_word_file_is_not_printed_twice() {
    let styles = r#"<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/></w:style>"#;
    let body =
        [para(&run("一、总体情况", ""), r#"<w:pStyle w:val="1"/>"#), para(&run("本年度依法公开政府信息。", ""), "")]
            .concat();
    let (_w, from_word) = with_overview_file("总体情况.docx", &docx(&body, Some(styles), None, &[]));
    let (_m, from_md) = with_overview_file("overview.md", "本年度依法公开政府信息。\n".as_bytes());
    assert_eq!(page(&from_word), page(&from_md));
    let ds = check_lib(&from_word);
    assert_eq!(ds.len(), 1, "{ds:#?}");
    assert_eq!(ds[0]["code"], "GX0925");
}
