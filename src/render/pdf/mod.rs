//! The PDF renderer: typst in-process, behind this one module (the typst
//! crates are pinned together; their API changes every minor release).
//! Draws the document model and nothing else.

pub mod fonts;
mod world;

use std::collections::BTreeMap;
use std::time::Instant;

use serde_json::json;
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::compose::{Block, Document, Inline};
use crate::diag::{Diagnostic, Severity, codes};
use crate::source::display_path;
pub use fonts::{FontLibrary, FontOptions, Resolved};

/// PDF standards offered to users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Standard {
    /// Tagged PDF 1.7 (accessible baseline).
    #[default]
    Tagged,
    /// PDF/A-2b, for archiving (PDF/A-2 allows no attached file: the
    /// report's data is not attached).
    A2b,
    /// PDF/A-3b, for archiving with the report's data attached (as
    /// AFRelationship Data).
    A3b,
    /// PDF/UA-1, accessible.
    Ua1,
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub fonts: FontOptions,
    pub standard: Standard,
    /// The user's `report.typ` (text, where it came from), replacing the
    /// built-in page template.
    pub template: Option<(String, String)>,
}

/// Time spent in each phase, for the benchmark (`GXGEN_TIMINGS=1`).
#[derive(Debug, Default, Clone, Copy)]
pub struct Timings {
    pub fonts_ms: f64,
    pub layout_ms: f64,
    pub pdf_ms: f64,
}

pub struct Rendered {
    pub bytes: Vec<u8>,
    pub warnings: Vec<Diagnostic>,
    pub timings: Timings,
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// The PDF renderer: typst in-process.
pub struct Pdf;

impl super::Renderer for Pdf {
    fn name(&self) -> &'static str {
        "pdf"
    }

    fn template_names(&self) -> &'static [&'static str] {
        &["report.typ"]
    }

    fn render(&self, doc: &Document, ctx: &super::Context) -> Result<super::Output, Vec<Diagnostic>> {
        let r = render(doc, &options_of(ctx))?;
        Ok(super::Output { bytes: r.bytes, warnings: r.warnings, timings: Some(r.timings) })
    }
}

/// The PDF options of a render: the context's, with the user's `report.typ`.
pub fn options_of(ctx: &super::Context) -> Options {
    let mut opts = ctx.pdf.clone();
    opts.template = ctx.template("report.typ").map(|t| (t.text.clone(), t.origin.clone()));
    opts
}

/// What typst compiles for a report: the page template and the document
/// data, byte for byte (`gxgen build --emit typst` writes these two files).
pub struct TypstInputs {
    /// The page template (`report.typ`).
    pub template: String,
    /// Where the template came from, as shown in messages.
    pub origin: String,
    /// The document data the template reads as `/document.json`.
    pub data: Vec<u8>,
    lib: std::sync::Arc<FontLibrary>,
}

/// The template and data gxgen would typeset, after the font and glyph
/// checks (so the fonts they name are installed and cover every character).
pub fn typst_inputs(doc: &Document, opts: &Options, timings: &mut Timings) -> Result<TypstInputs, Vec<Diagnostic>> {
    let t = Instant::now();
    let lib = FontLibrary::shared(&opts.fonts);
    timings.fonts_ms = ms(t);

    for p in &opts.fonts.font_paths {
        if !p.is_dir() {
            let what =
                if p.exists() { "不是文件夹（请给字体文件所在的文件夹）" } else { "不存在" };
            return Err(vec![Diagnostic::new(codes::FONT_MISSING, format!("--font-path {} {what}", display_path(p)))]);
        }
    }
    let prov = &doc.provenance;
    let pins: BTreeMap<String, Vec<String>> =
        prov.fonts.iter().map(|(role, (families, _))| (role.clone(), families.clone())).collect();
    let resolved = Resolved::resolve(&lib, &pins);
    let mut errors = font_errors(doc, &resolved, &lib, opts);
    if errors.is_empty() {
        errors = glyph_errors(doc, &resolved, &lib);
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    if matches!(opts.standard, Standard::A2b | Standard::A3b)
        && prov.publish_date.is_none()
        && std::env::var_os("SOURCE_DATE_EPOCH").is_none()
    {
        let name = if opts.standard == Standard::A2b { "PDF/A-2b" } else { "PDF/A-3b" };
        return Err(vec![
            Diagnostic::new(codes::MISSING_FIELD, format!("{name} 要求文档有日期，但数据文件没有写发布日期"))
                .at(prov.year_span, "meta 中没有 publish_date")
                .note("在 meta 下加上发布日期，例如：  publish_date: 2025-01-20"),
        ]);
    }
    let template = template(opts)?;
    let stacks: serde_json::Map<String, serde_json::Value> =
        crate::typography::get().keys().map(|r| (r.to_string(), font_list(&resolved, r))).collect();
    let title_family = resolved.cjk.get("title").cloned().flatten().unwrap_or_default();
    // Heavy serif for the title: a real bold face of a Song-style family;
    // 小标宋 itself is already heavy. Never faux bold.
    let title_weight =
        if !title_family.contains("小标宋") && !title_family.contains("XiaoBiaoSong") && lib.has_bold(&title_family)
        {
            "bold"
        } else {
            "regular"
        };
    // The report's data, the same JSON the HTML page carries, attached to
    // the PDF as `gxgen-data.json` (read back by `gxgen import`); PDF/A-2
    // allows no attachment.
    let attachment = (opts.standard != Standard::A2b).then(|| attachment_json(doc));
    let data = TemplateData { document: doc, fonts: stacks, title_weight, attachment };
    let data = serde_json::to_vec(&data).unwrap_or_default();
    Ok(TypstInputs { template: template.0, origin: template.1, data, lib })
}

/// What the template reads as `/document.json`, written straight out
/// (building a `json!` tree of the whole document first took 23 of the 152
/// ms of CPU `gxgen build --emit typst` spent on a 50-agency workspace).
/// The fields, in this order, are the file's keys in order.
#[derive(serde::Serialize)]
struct TemplateData<'a> {
    document: &'a Document,
    fonts: serde_json::Map<String, serde_json::Value>,
    title_weight: &'static str,
    attachment: Option<String>,
}

/// Start loading the fonts a report of these options will likely use, on a
/// thread of their own (see `FontLibrary::prewarm`).
pub fn prewarm_fonts(opts: &Options) {
    FontLibrary::prewarm(&opts.fonts);
}

/// Typeset the document.
pub fn render(doc: &Document, opts: &Options) -> Result<Rendered, Vec<Diagnostic>> {
    let mut timings = Timings::default();
    let inputs = typst_inputs(doc, opts, &mut timings)?;
    typeset(doc, opts, inputs, timings)
}

/// Compile typst inputs to PDF bytes: the template and data are all typst
/// reads (the document gives the PDF's identifier and date).
pub fn typeset(
    doc: &Document,
    opts: &Options,
    inputs: TypstInputs,
    mut timings: Timings,
) -> Result<Rendered, Vec<Diagnostic>> {
    let prov = &doc.provenance;
    let template = (inputs.template.as_str(), inputs.origin.as_str());
    let world = world::GxWorld::new(inputs.lib.clone(), template.0, inputs.data);

    let t = Instant::now();
    let warned = typst::compile::<PagedDocument>(&world);
    timings.layout_ms = ms(t);
    let warnings: Vec<Diagnostic> = warned.warnings.iter().map(|w| typst_diag(&world, w, template.1)).collect();
    let paged =
        warned.output.map_err(|errs| errs.iter().map(|e| typst_diag(&world, e, template.1)).collect::<Vec<_>>())?;

    let t = Instant::now();
    let options = PdfOptions {
        ident: Smart::Custom(format!("gxgen/{}/{}", doc.agency, doc.year)),
        creator: Smart::Custom(Some(format!("gxgen {}", env!("CARGO_PKG_VERSION")))),
        timestamp: timestamp(prov.publish_date),
        standards: standards(opts.standard)?,
        tagged: true,
        ..PdfOptions::default()
    };
    let bytes = typst_pdf::pdf(&paged, &options)
        .map_err(|errs| errs.iter().map(|e| typst_diag(&world, e, template.1)).collect::<Vec<_>>())?;
    timings.pdf_ms = ms(t);
    // typst memoises across compilations; in a workspace of hundreds of
    // reports, keep only recently used entries (as the typst CLI does).
    // Eviction walks the whole cache, so it runs after every fourth report,
    // keeping what the last twelve or so used (it was 3 % of a workspace
    // build when it ran after each).
    static TYPESET: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    if TYPESET.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % 4 == 3 {
        typst::comemo::evict(3);
    }
    Ok(Rendered { bytes, warnings, timings })
}

/// A role's font list for typst: the Latin font (when there is one) for
/// Latin letters and digits only, so that the quotation marks “ ” ‘ ’, the
/// em dash and the middle dot, which Latin fonts also have, come from the
/// CJK font, full width, as Chinese text sets them.
fn font_list(resolved: &Resolved, role: &str) -> serde_json::Value {
    let stack = resolved.stack(role);
    let latin = resolved.latin.as_ref();
    json!(
        stack
            .iter()
            .map(|f| if Some(f) == latin { json!({"name": f, "covers": "latin-in-cjk"}) } else { json!(f) })
            .collect::<Vec<_>>()
    )
}

/// The name of the report's data attached to the PDF.
pub const ATTACHMENT: &str = "gxgen-data.json";

/// The attached data: the document's data JSON, as the HTML page embeds it.
pub fn attachment_json(doc: &Document) -> String {
    serde_json::to_string_pretty(&doc.data).unwrap_or_default()
}

/// The page template: built in, or the user's `report.typ`.
fn template(opts: &Options) -> Result<(String, String), Vec<Diagnostic>> {
    if let Some(t) = &opts.template {
        return Ok(t.clone());
    }
    let t = crate::assets::text("typst/report.typ").unwrap_or_default();
    Ok((t.to_string(), "内置模板 typst/report.typ".into()))
}

fn standards(s: Standard) -> Result<PdfStandards, Vec<Diagnostic>> {
    let list: &[PdfStandard] = match s {
        Standard::Tagged => &[],
        Standard::A2b => &[PdfStandard::A_2b],
        Standard::A3b => &[PdfStandard::A_3b],
        Standard::Ua1 => &[PdfStandard::Ua_1],
    };
    PdfStandards::new(list)
        .map_err(|e| vec![Diagnostic::new(codes::TYPESET, format!("不支持的 PDF 标准：{}", e.message()))])
}

/// The creation date: the report's own publish date (Beijing time,
/// midnight); only a report without one takes SOURCE_DATE_EPOCH (seconds
/// since 1970, UTC) when it is set; else none.
fn timestamp(publish_date: Option<crate::value::Date>) -> Option<Timestamp> {
    if let Some(d) = publish_date {
        return Timestamp::new_local(Datetime::from_ymd_hms(d.year, d.month as u8, d.day as u8, 0, 0, 0)?, 8 * 60);
    }
    let secs = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|v| v.trim().parse::<i64>().ok())?;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let d = crate::value::Date::from_unix_days(days);
    let dt = Datetime::from_ymd_hms(
        d.year,
        d.month as u8,
        d.day as u8,
        (rem / 3600) as u8,
        (rem % 3600 / 60) as u8,
        (rem % 60) as u8,
    )?;
    Some(Timestamp::new_utc(dt))
}

fn typst_diag(world: &world::GxWorld, d: &typst::diag::SourceDiagnostic, template: &str) -> Diagnostic {
    use typst::WorldExt;
    let line = world
        .range(d.span)
        .map(|r| world.main_source().text()[..r.start.min(world.main_source().text().len())].matches('\n').count() + 1);
    let mut out = Diagnostic::new(codes::TYPESET, format!("排版失败：{}", d.message)).note(match line {
        Some(l) => format!("位置：{template} 第 {l} 行"),
        None => format!("位置：{template}"),
    });
    for h in &d.hints {
        out = out.note(format!("提示：{}", h.v));
    }
    if d.severity == typst::diag::Severity::Warning {
        out = out.severity(Severity::Warning);
    }
    out
}

fn font_errors(doc: &Document, resolved: &Resolved, lib: &FontLibrary, opts: &Options) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (role, family) in &resolved.missing_pins {
        let span = doc.provenance.fonts.get(role).map(|(_, s)| *s);
        out.push(
            Diagnostic::new(codes::FONT_MISSING, format!("找不到指定的{}字体“{family}”", fonts::role_label(role)))
                .at_opt(span, "这个字体没有安装")
                .note("用 gxgen fonts 查看本机可用的字体；字体文件可以用 --font-path 文件夹 指定")
                .note(fonts::INSTALL_HINT),
        );
    }
    let missing = resolved.missing_roles();
    if !missing.is_empty() {
        let roles: Vec<&str> = missing.iter().map(|r| fonts::role_label(r)).collect();
        let looked = if opts.fonts.ignore_system { "（已忽略系统字体）" } else { "" };
        let paths: Vec<String> = opts.fonts.font_paths.iter().map(|p| display_path(p)).collect();
        let mut d = Diagnostic::new(codes::FONT_MISSING, format!("没有可用的中文字体：{}{looked}", roles.join("、")))
            .note(format!(
                "共找到 {} 个字体家族{}，其中没有可用于这些用途的中文字体",
                lib.families.len(),
                if opts.fonts.ignore_system { "（只看 --font-path）" } else { "" }
            ));
        if !paths.is_empty() {
            d = d.note(format!("--font-path：{}", paths.join("、")));
        }
        out.push(d.note(fonts::INSTALL_HINT).note("用 gxgen fonts 查看每种用途在本机选中的字体"));
    }
    out
}

/// Every character must have a glyph: no PDF with tofu boxes.
fn glyph_errors(doc: &Document, resolved: &Resolved, lib: &FontLibrary) -> Vec<Diagnostic> {
    let mut chars: BTreeMap<char, &str> = BTreeMap::new();
    let mut add = |text: &str, role: &'static str| {
        for c in text.chars().filter(|c| !c.is_whitespace() && !c.is_control()) {
            chars.entry(c).or_insert(role);
        }
    };
    for l in &doc.title_lines {
        add(l, "title");
    }
    for b in &doc.opening {
        block_chars(b, &mut add);
    }
    for s in &doc.sections {
        add(&s.heading, "heading");
        for b in &s.blocks {
            block_chars(b, &mut add);
        }
    }
    add(&doc.closing.agency, "body");
    if let Some(d) = &doc.closing.date {
        add(d, "body");
    }
    // Each role's faces, looked up once (not once per character), the CJK
    // family's first: most characters are Chinese.
    let mut faces: BTreeMap<&str, Vec<&typst::text::FontInfo>> = BTreeMap::new();
    let mut out = Vec::new();
    for (c, role) in chars {
        let role_faces =
            faces.entry(role).or_insert_with(|| resolved.stack(role).iter().rev().flat_map(|f| lib.infos(f)).collect());
        let covered = role_faces.iter().any(|i| i.coverage.contains(c as u32));
        if covered || lib.any_covering(c).is_some() {
            continue;
        }
        let at = doc.provenance.chars.get(&c).copied();
        out.push(
            Diagnostic::new(
                codes::GLYPH_MISSING,
                format!("字符“{c}”（U+{:04X}）在本机所有字体中都没有字形，PDF 中会显示为空框", c as u32),
            )
            .at_opt(at, "这个字符")
            .note(format!("{}选用的字体：{}", fonts::role_label(role), resolved.stack(role).join("、")))
            .note("生僻字（如 CJK 扩展 B 区的字）需要安装包含它的字体，例如“花园明朝 HanaMinB”或方正超大字符集，再用 --font-path 指定字体所在的文件夹，或在数据文件的 fonts: 中指定"),
        );
    }
    out
}

fn block_chars(b: &Block, add: &mut impl FnMut(&str, &'static str)) {
    match b {
        Block::Paragraph { inlines } => inline_chars(inlines, "body", add),
        Block::Heading { inlines, .. } => inline_chars(inlines, "subheading", add),
        Block::List { items, .. } => items.iter().flatten().for_each(|b| block_chars(b, add)),
        Block::Quote { blocks } => blocks.iter().for_each(|b| block_chars(b, add)),
        Block::Code { text } => add(text, "body"),
        Block::Rule => {}
        Block::TextTable { header, rows } => {
            header.iter().chain(rows.iter().flatten()).for_each(|c| inline_chars(c, "body", add));
        }
        Block::Table { grid } => grid.rows.iter().flat_map(|r| &r.cells).for_each(|c| add(&c.text, "table")),
    }
}

fn inline_chars(v: &[Inline], role: &'static str, add: &mut impl FnMut(&str, &'static str)) {
    for i in v {
        match i {
            Inline::Text { text } | Inline::Code { text } => add(text, role),
            Inline::Strong { inlines } => inline_chars(inlines, "heading", add),
            Inline::Emph { inlines } => inline_chars(inlines, "subheading", add),
            Inline::Strike { inlines } | Inline::Link { inlines, .. } => inline_chars(inlines, role, add),
            Inline::Break | Inline::SoftBreak => {}
        }
    }
}
