//! Issue 16's "Done when", as a clerk would do it: `gxgen new --xlsx`, the
//! new workbook's cells filled with an example's figures (its sheet XML
//! edited here as a spreadsheet program saves it, totals' cached values
//! recalculated), the example's text given as Word files, then one build to
//! HTML, DOCX (and PDF for one example per format: typesetting is the slow
//! part) whose cells equal the example's: the data the HTML page carries,
//! the data the PDF has attached, and the .docx tables read back by
//! `gxgen import`.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::common::*;

/// Excel's name of a cell: column letters and 1-based row (D5).
fn a1(row: u32, col: u16) -> String {
    let (mut c, mut letters) = (col as u32 + 1, String::new());
    while c > 0 {
        letters.insert(0, (b'A' + ((c - 1) % 26) as u8) as char);
        c = (c - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

fn xml_text(t: &str) -> String {
    t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Put `value` into cell `r` of a sheet's XML, keeping its style and any
/// formula (whose cached value becomes `value`, as after a recalculation).
fn put(xml: &mut String, r: &str, value: Option<&str>) {
    let open = format!("<c r=\"{r}\"");
    let start = xml.find(&open).unwrap_or_else(|| panic!("{r} is not in the sheet"));
    let rest = &xml[start..];
    let head_end = rest.find('>').unwrap();
    let self_closed = rest[..head_end].ends_with('/');
    let end = if self_closed { head_end + 1 } else { rest.find("</c>").unwrap() + 4 };
    let cell = &rest[..end];
    let style = cell.split(" s=\"").nth(1).map(|s| &s[..s.find('"').unwrap()]).unwrap_or("0");
    let formula = cell.find("<f>").map(|f0| &cell[f0..cell.find("</f>").unwrap() + 4]).unwrap_or("");
    let new = match value.map(str::trim) {
        None | Some("") if formula.is_empty() => format!("<c r=\"{r}\" s=\"{style}\"/>"),
        None | Some("") => format!("<c r=\"{r}\" s=\"{style}\">{formula}</c>"),
        Some(v) if v.trim_start_matches('+').parse::<f64>().is_ok() => {
            format!("<c r=\"{r}\" s=\"{style}\">{formula}<v>{}</v></c>", v.trim_start_matches('+'))
        }
        Some(v) if formula.is_empty() => {
            format!("<c r=\"{r}\" s=\"{style}\" t=\"inlineStr\"><is><t>{}</t></is></c>", xml_text(v))
        }
        Some(v) => format!("<c r=\"{r}\" s=\"{style}\" t=\"str\">{formula}<v>{}</v></c>", xml_text(v)),
    };
    xml.replace_range(start..start + end, &new);
}

/// Rewrite the parts of an .xlsx (a zip of XML files) named in `edits`.
fn edit_parts(path: &Path, edits: &std::collections::HashMap<String, String>) {
    edit_zip(path, |name, data| edits.get(name).map_or(data, |xml| xml.clone().into_bytes()));
}

fn part(path: &Path, name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(std::fs::read(path).unwrap())).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// The folder a clerk makes for `example`: `gxgen new --xlsx`, the example's
/// figures and 基本信息 typed into report.xlsx, its text as .docx files.
fn made_by_a_clerk(example: &Path, dir: &Path) {
    let want = gxgen::check(example).report.expect("example loads");
    let (format, meta) = (want.format, &want.meta);
    let year = meta.year.value.to_string();
    let o = run(&["new", "--year", &year, "--agency", &meta.agency.value, "--xlsx", dir.to_str().unwrap()], None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let wb = dir.join("report.xlsx");

    let mut edits = std::collections::HashMap::new();
    // 基本信息: column B, one row per item, in the order the workbook lists them.
    let mut info = part(&wb, "xl/worksheets/sheet1.xml");
    let c = &meta.contact;
    for (i, (key, _, _)) in gxgen::workbook::INFO_ROWS.iter().enumerate() {
        let v = match *key {
            "kind" => meta.kind.as_ref().map(|k| gxgen::workbook::KIND_NAMES[k.value as usize].to_string()),
            "publish_date" => meta.publish_date.as_ref().map(|d| d.value.to_string()),
            "website" => meta.website.clone(),
            "address" => c.address.clone(),
            "postcode" => c.postcode.clone(),
            "phone" => c.phone.clone(),
            "fax" => c.fax.clone(),
            "email" => c.email.clone(),
            _ => continue, // agency, year and format: written by gxgen new
        };
        put(&mut info, &a1(i as u32 + 1, 1), v.as_deref());
    }
    edits.insert("xl/worksheets/sheet1.xml".to_string(), info);
    // Each table's sheet: every data cell, totals' cached values included.
    for (i, layout) in gxgen::workbook::layouts(format).iter().enumerate() {
        let name = format!("xl/worksheets/sheet{}.xml", i + 2);
        let mut xml = part(&wb, &name);
        let mut cells: Vec<_> = layout.data.iter().collect();
        cells.sort();
        for (&c, &(row, col)) in cells {
            let v = want.value(c).map(|v| v.display(&format.cells[c].kind));
            put(&mut xml, &a1(row, col), v.as_deref());
        }
        edits.insert(name, xml);
    }
    edit_parts(&wb, &edits);

    // The text: the example's parts as Word files, in place of new's .md.
    let src = example.parent().unwrap();
    for stem in ["overview", "problems", "other"] {
        std::fs::remove_file(dir.join(format!("{stem}.md"))).unwrap();
        let md = std::fs::read_to_string(src.join(format!("{stem}.md"))).unwrap();
        std::fs::write(dir.join(format!("{stem}.docx")), crate::docx_narrative::md_as_docx(&md)).unwrap();
    }
}

fn page_data(html: &Path) -> serde_json::Value {
    let page = std::fs::read_to_string(html).unwrap();
    let start = page.find("<script type=\"application/json\" id=\"gxgen-data\">").expect("the page's data");
    let body = &page[start..];
    let body = &body[body.find('>').unwrap() + 1..body.find("</script>").unwrap()];
    serde_json::from_str(body).unwrap()
}

fn only(out: &Path, ext: &str) -> PathBuf {
    let found: Vec<PathBuf> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    assert_eq!(found.len(), 1, "{ext}: {found:?}");
    found[0].clone()
}

/// Every cell of an imported file (a .docx or a PDF) equals the example's.
fn imports_to_the_cells(file: &Path, want: &gxgen::model::Report, what: &str) {
    let imported = gxgen::import::import_bytes(&std::fs::read(file).unwrap());
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in imported.files() {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let checked = gxgen::check(&dir.path().join("report.yaml"));
    let got = checked.report.unwrap_or_else(|| panic!("{what}: the imported report does not load"));
    assert_eq!(got.meta.agency.value, want.meta.agency.value, "{what}");
    for (i, c) in want.format.cells.iter().enumerate() {
        assert_eq!(got.get(&c.key), want.value(i), "{what}: {}", c.key);
    }
}

#[test]
fn a_report_made_with_new_xlsx_and_word_builds_to_the_examples_cells() {
    let tmp = tempfile::tempdir().unwrap();
    let mut typeset = std::collections::HashSet::new();
    for ex in examples() {
        let name = ex.parent().unwrap().file_name().unwrap().to_string_lossy().to_string();
        let want = gxgen::check(&ex).report.unwrap();
        let dir = tmp.path().join(&name);
        made_by_a_clerk(&ex, &dir);

        let checked = check_lib(&dir.join("report.xlsx"));
        assert!(checked.iter().all(|d| d["severity"] != "error"), "{name}: {checked:#?}");
        // Every figure was typed and every total recalculated: nothing stale.
        assert!(with_code(&checked, "GX0906").is_empty(), "{name}: {checked:#?}");
        // The first example of each format is typeset too.
        let pdf = typeset.insert(want.format.id.clone());
        let formats = if pdf { "html,pdf,docx" } else { "html,docx" };
        let (out, orig) = (dir.join("out"), tmp.path().join(format!("{name}-example")));
        // The example itself only for its page: its PDF and DOCX are compared with it in pdf:: and docx::.
        for (src, to, only) in [(dir.as_path(), &out, formats), (ex.as_path(), &orig, "html")] {
            let o = run(&["build", src.to_str().unwrap(), "--only", only, "-o", to.to_str().unwrap()], None);
            assert!(o.status.success(), "{name}: {}", String::from_utf8_lossy(&o.stderr));
        }

        // HTML: the page's data is the example page's, every cell and item.
        let (got, expected) = (page_data(&only(&out, "html")), page_data(&only(&orig, "html")));
        assert_eq!(got["cells"], expected["cells"], "{name}: the page's cells differ");
        assert_eq!(got, expected, "{name}: the page's data differs");
        // DOCX: the Word tables read back to the example's cells.
        imports_to_the_cells(&only(&out, "docx"), &want, &format!("{name}.docx"));
        // PDF: the attached data is the page's, and imports to the cells.
        if pdf {
            let pdf = only(&out, "pdf");
            imports_to_the_cells(&pdf, &want, &format!("{name}.pdf"));
            let imported = gxgen::import::import_bytes(&std::fs::read(&pdf).unwrap());
            let attached: serde_json::Value = serde_json::from_str(&imported.text).unwrap();
            assert_eq!(attached, got, "{name}: the PDF's data differs from the page's");
        }
    }
    assert_eq!(typeset.len(), 2, "both formats typeset: {typeset:?}");
}
