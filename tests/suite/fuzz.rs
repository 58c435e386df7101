//! Fuzzing on the stable toolchain: every entry point that reads user bytes
//! is fed mutations of the real examples and fixtures (and structured
//! hostile inputs), in process, on a test thread's small stack.
//!
//! The property, for every input: no panic, no abort, no hang; every
//! problem is a diagnostic whose code is in `templates/codes.yaml`; every
//! output carries no active content (the HTML's only script is the JSON
//! data block, and that parses; links are http, https or mailto; the data
//! typst reads parses within serde_json's nesting limit, which typst's
//! `json()` uses).
//!
//! In `cargo test` each target runs for a small budget. Longer, one target:
//! `scripts/fuzz.sh TARGET SECONDS` (sets `GXGEN_FUZZ_SECONDS`, and
//! `GXGEN_FUZZ_SEED` to repeat a run). The input being tried is kept in
//! `target/tmp/fuzz/TARGET.last`, so an abort leaves it behind; a panic's
//! input is saved beside it as `TARGET-panic-N`.
//!
//! Targets: `report` (the YAML loader and the cell parser, through the whole
//! check), `narrative` (markdown → document → HTML and typst data),
//! `import` (text, HTML and .docx bytes; also audit), `workspace` (the
//! gxgen.yaml manifest and the CSV/XLSX sheet reader).

use crate::common::*;
use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use gxgen::source::Sources;

/// Seconds per target: `GXGEN_FUZZ_SECONDS`, else a small budget.
fn budget() -> Duration {
    let s = std::env::var("GXGEN_FUZZ_SECONDS").ok().and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.6);
    Duration::from_secs_f64(s)
}

fn seed() -> u64 {
    std::env::var("GXGEN_FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(0x9E37_79B9_7F4A_7C15)
}

/// One input slower than this is a finding (a hang, or close to one).
const SLOW: Duration = Duration::from_secs(20);

/// Tokens that mean something to YAML, markdown, templates, HTML, CSV or a
/// spreadsheet, and characters that have bitten parsers.
const DICT: &[&str] = &[
    "\n",
    "\n\n",
    "  ",
    "\t",
    ": ",
    "- ",
    "> ",
    "* ",
    "** ",
    "1. ",
    "#",
    "## ",
    "---\n",
    "...",
    "[",
    "]",
    "](",
    ")",
    "![",
    "{",
    "}",
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "`",
    "```\n",
    "~~",
    "<",
    ">",
    "</script>",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "data:text/html,x",
    "&amp;",
    "&#0;",
    "\"",
    "'",
    "\\",
    "|",
    "|---|",
    "!!python/object:os.system",
    "!!binary",
    "&a ",
    "*a",
    "<<: *a",
    "? ",
    "%YAML 1.2\n",
    "~",
    "null",
    "true",
    ".inf",
    ".nan",
    "-1",
    "0",
    "0x1F",
    "0o17",
    "1e309",
    "12.0",
    "9223372036854775808",
    "99999999999999999999999",
    "1,234",
    "１２",
    "万元",
    "元",
    "=cmd|' /C calc'!A0",
    "+1",
    "@SUM(A1)",
    "\u{202E}",
    "\u{200B}",
    "\u{FEFF}",
    "\u{0}",
    "\r\n",
    "\r",
    "\u{2028}",
    "\u{FFFD}",
    "𠀀",
    "汉",
    "，",
    "。",
    "（一）",
    "一、",
    "二、",
    "三、",
    "合计",
    "总计",
    "政府信息公开",
    "../",
    "/etc/passwd",
    "C:\\",
    "CON",
    ",",
    ",,",
    "\"\"",
    ";",
    "",
];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
    fn word(&mut self, v: &[&'static str]) -> &'static str {
        v[self.below(v.len())]
    }
}

/// A byte position on a char boundary of `s`.
fn boundary(s: &str, at: usize) -> usize {
    let mut i = at.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A few random edits of a text: insert a token, delete, repeat a piece
/// (deep nesting, long lines), splice from another seed, swap lines.
fn mutate_text(rng: &mut Rng, s: &str, others: &[String]) -> String {
    let mut s = s.to_string();
    for _ in 0..1 + rng.below(6) {
        let len = s.len();
        match rng.below(7) {
            0 | 1 => {
                let at = boundary(&s, rng.below(len + 1));
                let t = rng.word(DICT);
                s.insert_str(at, t);
            }
            2 => {
                let a = boundary(&s, rng.below(len + 1));
                let b = boundary(&s, a + rng.below(64));
                s.replace_range(a..b, "");
            }
            3 => {
                let a = boundary(&s, rng.below(len + 1));
                let b = boundary(&s, a + 1 + rng.below(16));
                let piece = s[a..b].to_string();
                let times = [2, 10, 100, 1000, 20_000][rng.below(5)];
                if piece.len() * times < 1_000_000 {
                    s.insert_str(b, &piece.repeat(times));
                }
            }
            4 if !others.is_empty() => {
                let o = rng.pick(others);
                let a = boundary(o, rng.below(o.len() + 1));
                let b = boundary(o, a + rng.below(400));
                let at = boundary(&s, rng.below(len + 1));
                s.insert_str(at, &o[a..b]);
            }
            5 => {
                let mut lines: Vec<&str> = s.lines().collect();
                if lines.len() > 2 {
                    let (i, j) = (rng.below(lines.len()), rng.below(lines.len()));
                    lines.swap(i, j);
                }
                s = lines.join("\n");
            }
            _ => {
                // Replace a scalar after ": " with a token.
                if let Some(p) = s.match_indices(": ").map(|(i, _)| i).nth(rng.below(200)) {
                    let end = s[p + 2..].find('\n').map_or(s.len(), |e| p + 2 + e);
                    let t = rng.word(DICT);
                    s.replace_range(p + 2..end, t);
                }
            }
        }
    }
    s
}

fn mutate_bytes(rng: &mut Rng, b: &[u8]) -> Vec<u8> {
    let mut b = b.to_vec();
    for _ in 0..1 + rng.below(8) {
        let len = b.len();
        match rng.below(4) {
            0 if len > 0 => {
                let i = rng.below(len);
                b[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                b[i] = [0, 0xFF, 0x7F, 0x80, b'<', b'\n'][rng.below(6)];
            }
            2 => {
                let a = rng.below(len + 1);
                let e = (a + rng.below(256)).min(len);
                b.drain(a..e);
            }
            _ => {
                let a = rng.below(len + 1);
                let t: &str = rng.word(DICT);
                b.splice(a..a, t.bytes());
            }
        }
    }
    b
}

/// Runs `case` on generated inputs for the budget; panics are caught and
/// saved, slow inputs reported. Returns the number of cases.
fn campaign(target: &str, mut input: impl FnMut(&mut Rng) -> Vec<u8>, case: impl Fn(&[u8]) -> Result<(), String>) {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fuzz");
    std::fs::create_dir_all(&dir).unwrap();
    let last = dir.join(format!("{target}.last"));
    let mut rng = Rng(seed() ^ target.bytes().fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(b as u64)) | 1);
    let start = Instant::now();
    let (mut cases, mut findings) = (0usize, Vec::<String>::new());
    while start.elapsed() < budget() || cases < 20 {
        let bytes = input(&mut rng);
        std::fs::File::create(&last).and_then(|mut f| f.write_all(&bytes)).unwrap();
        let t = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| case(&bytes)));
        let took = t.elapsed();
        cases += 1;
        let problem = match outcome {
            Err(_) => Some("panic".to_string()),
            Ok(Err(e)) => Some(e),
            Ok(Ok(())) if took > SLOW => Some(format!("slow: {took:?}")),
            Ok(Ok(())) => None,
        };
        if let Some(p) = problem {
            let saved = dir.join(format!("{target}-finding-{}", findings.len()));
            std::fs::write(&saved, &bytes).unwrap();
            findings.push(format!("{p} ({})", saved.display()));
            if findings.len() >= 5 {
                break;
            }
        }
    }
    eprintln!("fuzz {target}: {cases} cases in {:.1?}, {} findings", start.elapsed(), findings.len());
    assert!(findings.is_empty(), "fuzz {target}: {}", findings.join("\n"));
}

/// Every diagnostic has a catalogued code and a message.
fn coded(list: &[gxgen::diag::Diagnostic]) -> Result<(), String> {
    for d in list {
        if gxgen::diag::codes::info(&d.code).is_none() || d.message.trim().is_empty() {
            return Err(format!("uncatalogued diagnostic {} {}", d.code, d.message));
        }
    }
    Ok(())
}

fn seeds_in(dir: &Path, ext: &str) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else { return v };
    let mut paths: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            v.extend(seeds_in(&p, ext));
        } else if p.extension().is_some_and(|e| e == ext) {
            v.push(std::fs::read_to_string(&p).unwrap_or_default());
        }
    }
    v
}

/// A folder with a 2021 example, so narrative files named in a report are
/// there to read.
fn example_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in std::fs::read_dir(repo().join("examples/hanyin-xingzheng-shenpi-2021")).unwrap().flatten() {
        std::fs::copy(f.path(), dir.path().join(f.file_name())).unwrap();
    }
    dir
}

/// Check a report given as text at `path`; the property of every check.
fn check_text(path: &Path, text: &str) -> Result<gxgen::Checked, String> {
    let checked = gxgen::driver::check_source(Sources::new(), path, Some(text), None);
    coded(&checked.diagnostics.list)?;
    if checked.report.is_some() && !checked.diagnostics.has_errors() && checked.document.is_none() {
        return Err("no errors but no document".into());
    }
    Ok(checked)
}

/// The HTML and the typst data of a checked document carry no active
/// content and stay parseable.
fn outputs_are_inert(checked: &gxgen::Checked) -> Result<(), String> {
    let Some(doc) = &checked.document else { return Ok(()) };
    // The data typst's json() reads: within serde_json's nesting limit.
    let data = serde_json::to_vec(&serde_json::json!({ "document": doc })).map_err(|e| e.to_string())?;
    serde_json::from_slice::<serde_json::Value>(&data).map_err(|e| format!("typst data does not parse: {e}"))?;
    // The built-in templates (a report folder of the fuzz has none).
    let ctx = gxgen::render::Context { templates: Vec::new(), pdf: Default::default() };
    let html = match gxgen::render::find("html").unwrap().render(doc, &ctx) {
        Ok(out) => String::from_utf8(out.bytes).map_err(|_| "HTML is not UTF-8")?,
        Err(ds) => return coded(&ds),
    };
    inert_html(&html)
}

fn inert_html(html: &str) -> Result<(), String> {
    use scraper::{Html, Selector};
    let page = Html::parse_document(html);
    let scripts: Vec<_> = page.select(&Selector::parse("script").unwrap()).collect();
    if scripts.len() != 1 || scripts[0].value().attr("type") != Some("application/json") {
        return Err(format!("{} script elements", scripts.len()));
    }
    let json: String = scripts[0].text().collect();
    serde_json::from_str::<serde_json::Value>(&json).map_err(|e| format!("the data block does not parse: {e}"))?;
    for bad in ["iframe", "object", "embed", "form", "base", "meta[http-equiv]", "img", "svg", "math"] {
        if page.select(&Selector::parse(bad).unwrap()).next().is_some() {
            return Err(format!("<{bad}> in the page"));
        }
    }
    for el in page.select(&Selector::parse("*").unwrap()) {
        for (name, value) in el.value().attrs() {
            if name.starts_with("on") {
                return Err(format!("event attribute {name}"));
            }
            if matches!(name, "href" | "src" | "action" | "formaction") {
                let v = value.trim().to_ascii_lowercase();
                let ok = v.starts_with("http://")
                    || v.starts_with("https://")
                    || v.starts_with("mailto:")
                    || v.starts_with('#')
                    || !v.contains(':');
                if !ok {
                    return Err(format!("{name}=\"{value}\""));
                }
            }
        }
    }
    Ok(())
}

// -------------------------------------------------------------- targets

#[test]
fn report() {
    let dir = example_dir();
    let path = dir.path().join("report.yaml");
    let mut seeds: Vec<String> = seeds_in(&repo().join("examples"), "yaml");
    seeds.extend(seeds_in(&repo().join("tests/fixtures/seeds"), "yaml"));
    let others = seeds.clone();
    campaign(
        "report",
        |rng| {
            let base = rng.pick(&seeds).clone();
            if rng.chance(4) {
                // Structured: one cell of a valid synthetic report written
                // as a hostile scalar.
                let mut r = Synth::valid([2019, 2021][rng.below(2)], &mut crate::common::Rng(rng.next() | 1), 30);
                let keys: Vec<String> = r.cells.keys().cloned().collect();
                let k = rng.pick(&keys).clone();
                let v = rng.pick(DICT).to_string();
                let tail: &str = if rng.chance(2) { rng.word(DICT) } else { "" };
                r.cells.insert(k, format!("{v}{tail}"));
                return r.yaml().0.into_bytes();
            }
            mutate_text(rng, &base, &others).into_bytes()
        },
        |bytes| {
            let text = String::from_utf8_lossy(bytes);
            let checked = check_text(&path, &text)?;
            outputs_are_inert(&checked)
        },
    );
}

/// Random markdown from pieces that nest, with hostile payloads.
fn markdown(rng: &mut Rng, seeds: &[String]) -> String {
    if rng.chance(3) {
        let base = rng.pick(seeds).clone();
        return mutate_text(rng, &base, seeds);
    }
    const PREFIX: &[&str] = &["", "> ", "- ", "1. ", "  ", "    ", "## ", "| a | b |\n|---|---|\n| ", "```\n"];
    const INLINE: &[(&str, &str)] = &[
        ("**", "**"),
        ("*", "*"),
        ("~~", "~~"),
        ("`", "`"),
        ("[", "](javascript:alert(1))"),
        ("[", "](https://www.gov.cn)"),
        ("![", "](http://x/a.png)"),
        ("<b onclick=x>", "</b>"),
        ("{{ ", " }}"),
        ("<!-- ", " -->"),
    ];
    let mut out = String::new();
    for _ in 0..1 + rng.below(12) {
        let depth = rng.below(14);
        for _ in 0..depth {
            out.push_str(rng.word(PREFIX));
        }
        let mut text = rng.pick(DICT).to_string();
        text.push_str("政府信息公开");
        for _ in 0..rng.below(14) {
            let (a, b) = rng.pick(INLINE);
            text = format!("{a}{text}{b}");
        }
        out.push_str(&text);
        out.push_str(if rng.chance(2) { "\n" } else { "\n\n" });
    }
    out
}

#[test]
fn narrative() {
    let dir = example_dir();
    let path = dir.path().join("report.yaml");
    let yaml = std::fs::read_to_string(&path).unwrap();
    let mut seeds = seeds_in(&repo().join("examples"), "md");
    seeds.extend(seeds_in(&repo().join("book/src"), "md").into_iter().take(8));
    campaign(
        "narrative",
        |rng| markdown(rng, &seeds).into_bytes(),
        |bytes| {
            let md = String::from_utf8_lossy(bytes);
            // Inline in the YAML (a JSON string is a YAML string) and as a file.
            let inline = yaml.replacen("overview: overview.md", &format!("overview: {}", serde_json::json!(md)), 1);
            let checked = check_text(&path, &inline)?;
            outputs_are_inert(&checked)?;
            let file = tempfile::tempdir().map_err(|e| e.to_string())?;
            for f in ["report.yaml", "problems.md", "other.md"] {
                std::fs::copy(dir.path().join(f), file.path().join(f)).map_err(|e| e.to_string())?;
            }
            std::fs::write(file.path().join("overview.md"), md.as_bytes()).map_err(|e| e.to_string())?;
            let p = file.path().join("report.yaml");
            let checked = gxgen::check(&p);
            coded(&checked.diagnostics.list)?;
            outputs_are_inert(&checked)
        },
    );
}

/// A .docx whose document.xml is `xml` (the other parts from the fixture).
fn docx_with(template: &[u8], xml: &[u8]) -> Vec<u8> {
    use std::io::{Cursor, Read};
    let mut zin = zip::ZipArchive::new(Cursor::new(template)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().map(|n| n.to_string()).unwrap_or_default();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        let opts = zip::write::SimpleFileOptions::default();
        out.start_file(&name, opts).unwrap();
        out.write_all(if name == "word/document.xml" { xml } else { &data }).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn import() {
    let texts = seeds_in(&repo().join("tests/fixtures/published"), "txt");
    let docx = std::fs::read(repo().join("tests/fixtures/import/ankang-hanbin-2020.docx")).unwrap();
    let document_xml = {
        use std::io::Read;
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(&docx)).unwrap();
        let mut s = Vec::new();
        z.by_name("word/document.xml").unwrap().read_to_end(&mut s).unwrap();
        String::from_utf8_lossy(&s).into_owned()
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.yaml");
    campaign(
        "import",
        |rng| match rng.below(5) {
            0 | 1 => {
                let base = rng.pick(&texts).clone();
                mutate_text(rng, &base, &texts).into_bytes()
            }
            2 => {
                // The text as an HTML page: paragraphs, a table, nesting.
                let base = rng.pick(&texts).clone();
                let t = mutate_text(rng, &base, &texts);
                let body: String = t.lines().map(|l| format!("<p>{l}</p>\n")).collect();
                let open = ["<div>", "<table><tr><td>", "<span>", "<b>"][rng.below(4)];
                // Deeper nesting (defect 2, 50,000 <div>) is the importer's own test.
                let deep = [1, 10, 200, 1000][rng.below(4)];
                format!("<html><body>{}{body}</body></html>", open.repeat(deep)).into_bytes()
            }
            3 => docx_with(&docx, mutate_text(rng, &document_xml, &[]).as_bytes()),
            _ => mutate_bytes(rng, &docx),
        },
        |bytes| {
            let imported = gxgen::import::import_bytes(bytes);
            if imported.findings.iter().any(|f| f.code.is_empty() || f.message.is_empty()) {
                return Err("a finding without code or message".into());
            }
            // What import writes is a report check reads.
            check_text(&path, &imported.yaml)?;
            let text = String::from_utf8_lossy(bytes);
            let audited = gxgen::audit::audit_text("fuzz.txt", &text);
            let _ = gxgen::audit::csv(&audited.rows);
            Ok(())
        },
    );
}

#[test]
fn workspace() {
    let ws = tempfile::tempdir().unwrap();
    let root = ws.path();
    std::fs::create_dir(root.join("a")).unwrap();
    for f in std::fs::read_dir(repo().join("examples/hanyin-xingzheng-shenpi-2021")).unwrap().flatten() {
        std::fs::copy(f.path(), root.join("a").join(f.file_name())).unwrap();
    }
    let format = gxgen::format::for_year(2021).unwrap();
    let header = gxgen::workspace::sheet::template_header(format);
    let csv_seed = {
        let mut s = String::from_utf8(gxgen::workspace::sheet::write_csv(&header)).unwrap();
        let row: Vec<String> = header
            .iter()
            .enumerate()
            .map(|(i, _)| match i {
                0 => "城关镇".into(),
                1 => "township".into(),
                2 => "2022-01-20".into(),
                _ => "0".into(),
            })
            .collect();
        s.push_str(&row.join(","));
        s.push('\n');
        s
    };
    let xlsx_seed = gxgen::workspace::sheet::write_xlsx(&header).unwrap();
    let manifests = [
        "year: 2021\nregion: 某县\ndefaults:\n  meta: {publish_date: 2022-01-20}\nagencies: [a, 乡镇.csv]\nsummary: {agency: 某县汇总}\n",
        "year: 2021\nagencies: [a, {sheet: 乡镇.xlsx, worksheet: Sheet1}]\n",
        "year: 2021\n",
    ];
    let manifests: Vec<String> = manifests.iter().map(|s| s.to_string()).collect();
    campaign(
        "workspace",
        |rng| {
            let base = rng.pick(&manifests).clone();
            let m = mutate_text(rng, &base, &manifests);
            let csv = if rng.chance(2) { mutate_text(rng, &csv_seed, &[]) } else { csv_seed.clone() };
            let xlsx = if rng.chance(2) { mutate_bytes(rng, &xlsx_seed) } else { xlsx_seed.clone() };
            // Three parts in one input, so a finding can be replayed.
            let mut out = Vec::new();
            for part in [m.as_bytes(), csv.as_bytes(), &xlsx] {
                out.extend((part.len() as u32).to_le_bytes());
                out.extend(part);
            }
            out
        },
        |bytes| {
            let mut parts = Vec::new();
            let mut rest = bytes;
            for _ in 0..3 {
                let n = u32::from_le_bytes(rest[..4].try_into().unwrap()) as usize;
                parts.push(&rest[4..4 + n]);
                rest = &rest[4 + n..];
            }
            std::fs::write(root.join("gxgen.yaml"), parts[0]).map_err(|e| e.to_string())?;
            std::fs::write(root.join("乡镇.csv"), parts[1]).map_err(|e| e.to_string())?;
            std::fs::write(root.join("乡镇.xlsx"), parts[2]).map_err(|e| e.to_string())?;
            let _ = gxgen::workspace::sheet::parse_csv(&String::from_utf8_lossy(parts[1]));
            let disk: std::sync::Arc<dyn gxgen::input::Input> = std::sync::Arc::new(gxgen::input::Disk);
            for sheet in ["乡镇.csv", "乡镇.xlsx"] {
                if let Err(d) = gxgen::workspace::sheet::read_table(&disk, &root.join(sheet), None) {
                    coded(std::slice::from_ref(&d))?;
                }
            }
            match gxgen::workspace::check(&root.join("gxgen.yaml"), 1) {
                Ok(checks) => {
                    for (_, c) in checks {
                        coded(&c.diagnostics.list)?;
                    }
                }
                Err((_, d)) => coded(&d.list)?,
            }
            Ok(())
        },
    );
}
