//! The HTML renderer: one self-contained page (CSS inline, no scripts, no
//! external requests). The page layout is Tera templates in
//! `templates/html/`, overridable per report; narrative blocks are drawn
//! here with every piece of user text escaped.

use serde::Serialize;

use crate::assets;
use crate::compose::{Block, CellRole, Document, Grid, Inline};
use crate::diag::{Diagnostic, codes};

/// The page templates: embedded defaults, with files from override folders
/// replacing them by name.
pub struct Templates {
    tera: tera::Tera,
    /// Where each overridden template came from, for messages.
    overrides: Vec<(String, String)>,
}

pub const TEMPLATE_NAMES: &[&str] = &["report.html", "table.html", "style.css", "index.html", "findings.html"];

impl Templates {
    /// Load the defaults, then the user's replacements (later wins).
    pub fn load(given: &[super::Template]) -> Result<Templates, Diagnostic> {
        let mut sources: Vec<(String, String)> = TEMPLATE_NAMES
            .iter()
            .map(|n| (n.to_string(), assets::text(&format!("html/{n}")).unwrap_or_default().to_string()))
            .collect();
        let mut overrides = Vec::new();
        for t in given {
            if let Some((_, text)) = sources.iter_mut().find(|(n, _)| *n == t.name) {
                *text = t.text.clone();
                overrides.retain(|(n, _): &(String, String)| *n != t.name);
                overrides.push((t.name.clone(), t.origin.clone()));
            }
        }
        let mut tera = tera::Tera::default();
        tera.autoescape_on([".html"]);
        tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| page_error(&overrides, "report.html", &e))?;
        Ok(Templates { tera, overrides })
    }
}

fn page_error(overrides: &[(String, String)], name: &str, e: &tera::Error) -> Diagnostic {
    // The template the error is in, when the engine says.
    let name = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) if !r.filename().is_empty() => {
            r.filename()
        }
        _ => name,
    };
    let from = overrides.iter().find(|(n, _)| n == name).map_or_else(|| format!("内置模板 {name}"), |(_, p)| p.clone());
    let detail = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            format!("{}（第 {} 行）", r.message(), r.span().start_line)
        }
        _ => e.to_string(),
    };
    Diagnostic::new(codes::PAGE_TEMPLATE, format!("页面模板有误：{from}")).note(format!("模板引擎原文：{detail}"))
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Part<'a> {
    Html { html: String },
    Table { grid: TableView<'a> },
}

/// A grid as the page draws it: the composed grid's fields, plus where each
/// cell starts and, for the row labels, the offset at which they stay in
/// view while a narrow screen scrolls the figures (`position: sticky`).
#[derive(Serialize)]
struct TableView<'a> {
    key: &'a str,
    caption: &'a str,
    columns: usize,
    label_columns: usize,
    header_rows: usize,
    /// More columns than a phone shows at once: the page says it scrolls.
    wide: bool,
    rows: Vec<RowView<'a>>,
}

#[derive(Serialize)]
struct RowView<'a> {
    header: bool,
    cells: Vec<CellView<'a>>,
}

#[derive(Serialize)]
struct CellView<'a> {
    role: CellRole,
    text: &'a str,
    rowspan: usize,
    colspan: usize,
    key: Option<&'a str>,
    vertical: bool,
    /// The first column the cell covers.
    col: usize,
    /// For a cell over the label columns: its sticky offset (`left: …em`).
    left: Option<String>,
    /// For a label one column wide: the width of its column (`--w: …em`),
    /// so that the offsets of the columns after it add up.
    width: Option<String>,
}

/// The widest a label column is drawn on a narrow screen, in characters:
/// longer labels wrap, so the label columns leave room for the figures.
/// The last label column holds the leaf labels (1.属于国家秘密) and gets
/// more room than the group labels before it (（三）不予公开).
const LABEL_CHARS: usize = 7;
const GROUP_LABEL_CHARS: usize = 4;

fn table_view(grid: &Grid) -> TableView<'_> {
    // Where each cell starts, with the rows above spanning down.
    let mut taken: Vec<Vec<bool>> = vec![vec![false; grid.columns.max(1)]; grid.rows.len()];
    let mut starts: Vec<Vec<usize>> = Vec::with_capacity(grid.rows.len());
    for (r, row) in grid.rows.iter().enumerate() {
        let mut c = 0;
        let mut here = Vec::with_capacity(row.cells.len());
        for cell in &row.cells {
            while taken[r].get(c).copied().unwrap_or(false) {
                c += 1;
            }
            here.push(c);
            for row in taken.iter_mut().skip(r).take(cell.rowspan.max(1)) {
                for t in row.iter_mut().skip(c).take(cell.colspan.max(1)) {
                    *t = true;
                }
            }
            c += cell.colspan.max(1);
        }
        starts.push(here);
    }
    // Each label column as wide as its longest one-column label, capped; a
    // label printed upright one character a line takes one character.
    let mut widths = vec![0f64; grid.label_columns];
    for (row, cols) in grid.rows.iter().zip(&starts) {
        for (cell, &c) in row.cells.iter().zip(cols) {
            if cell.role != CellRole::RowHeader || cell.colspan != 1 || c >= grid.label_columns {
                continue;
            }
            let cap = if c + 1 == grid.label_columns { LABEL_CHARS } else { GROUP_LABEL_CHARS };
            // Padding 0.4em a side and the borders; a character upright is a
            // little wider.
            let w = if cell.vertical { 2.4 } else { cell.text.chars().count().clamp(2, cap) as f64 + 1.0 };
            widths[c] = widths[c].max(w);
        }
    }
    for w in &mut widths {
        if *w == 0.0 {
            *w = 2.8;
        }
    }
    let offsets: Vec<f64> = widths.iter().scan(0.0, |acc, w| Some(std::mem::replace(acc, *acc + w))).collect();
    let em = |v: f64| format!("{}em", (v * 10.0).round() / 10.0);
    let rows = grid
        .rows
        .iter()
        .zip(&starts)
        .map(|(row, cols)| RowView {
            header: row.header,
            cells: row
                .cells
                .iter()
                .zip(cols)
                .map(|(cell, &col)| CellView {
                    role: cell.role,
                    text: &cell.text,
                    rowspan: cell.rowspan,
                    colspan: cell.colspan,
                    key: cell.key.as_deref(),
                    vertical: cell.vertical,
                    col,
                    left: (matches!(cell.role, CellRole::RowHeader | CellRole::Corner) && col < grid.label_columns)
                        .then(|| em(offsets[col])),
                    width: (cell.role == CellRole::RowHeader && cell.colspan == 1 && col < grid.label_columns)
                        .then(|| em(widths[col])),
                })
                .collect(),
        })
        .collect();
    TableView {
        key: &grid.key,
        caption: &grid.caption,
        columns: grid.columns,
        label_columns: grid.label_columns,
        header_rows: grid.header_rows,
        wide: grid.columns > 4,
        rows,
    }
}

#[derive(Serialize)]
struct SectionView<'a> {
    key: &'a str,
    heading: &'a str,
    parts: Vec<Part<'a>>,
}

/// The HTML renderer: one self-contained page.
pub struct Html;

impl super::Renderer for Html {
    fn name(&self) -> &'static str {
        "html"
    }

    fn template_names(&self) -> &'static [&'static str] {
        TEMPLATE_NAMES
    }

    fn render(&self, doc: &Document, ctx: &super::Context) -> Result<super::Output, Vec<Diagnostic>> {
        let templates = Templates::load(&ctx.templates).map_err(|d| vec![d])?;
        render(doc, &templates).map(|page| super::Output::bytes(page.into_bytes())).map_err(|d| vec![d])
    }
}

/// Render the document to one HTML page.
pub fn render(doc: &Document, templates: &Templates) -> Result<String, Diagnostic> {
    let sections: Vec<SectionView> = doc
        .sections
        .iter()
        .map(|s| {
            let mut parts = Vec::new();
            let mut html = String::new();
            for b in &s.blocks {
                if let Block::Table { grid } = b {
                    if !html.is_empty() {
                        parts.push(Part::Html { html: std::mem::take(&mut html) });
                    }
                    parts.push(Part::Table { grid: table_view(grid) });
                } else {
                    block(b, &mut html);
                }
            }
            if !html.is_empty() {
                parts.push(Part::Html { html });
            }
            SectionView { key: &s.key, heading: &s.heading, parts }
        })
        .collect();
    let mut opening = String::new();
    for b in &doc.opening {
        block(b, &mut opening);
    }
    let mut ctx = tera::Context::new();
    ctx.insert("doc", doc);
    ctx.insert("sections", &sections);
    ctx.insert("opening_html", &opening);
    ctx.insert("data_json", &script_json(&doc.data));
    ctx.insert("generator", &format!("gxgen {}", env!("CARGO_PKG_VERSION")));
    templates.tera.render("report.html", &ctx).map_err(|e| page_error(&templates.overrides, "report.html", &e))
}

/// Render another page of the built-in templates (the workspace index).
pub fn render_page(name: &str, ctx: &tera::Context) -> Result<String, Diagnostic> {
    let t = Templates::load(&[])?;
    t.tera.render(name, ctx).map_err(|e| page_error(&t.overrides, name, &e))
}

/// JSON safe inside `<script type="application/json">`: no `<` at all, so
/// neither `</script>` nor `<!--` can appear.
fn script_json(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(v)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

pub fn escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

fn block(b: &Block, out: &mut String) {
    match b {
        Block::Paragraph { inlines: i } => {
            out.push_str("<p>");
            inlines(i, out);
            out.push_str("</p>\n");
        }
        Block::Heading { level, inlines: i } => {
            let h = (*level as usize + 2).min(6);
            out.push_str(&format!("<h{h}>"));
            inlines(i, out);
            out.push_str(&format!("</h{h}>\n"));
        }
        Block::List { ordered, start, items } => {
            if *ordered {
                if *start == 1 {
                    out.push_str("<ol>\n");
                } else {
                    out.push_str(&format!("<ol start=\"{start}\">\n"));
                }
            } else {
                out.push_str("<ul>\n");
            }
            for item in items {
                out.push_str("<li>");
                // A tight item is one paragraph: draw it without <p>.
                match item.as_slice() {
                    [Block::Paragraph { inlines: i }] => inlines(i, out),
                    blocks => {
                        for b in blocks {
                            block(b, out);
                        }
                    }
                }
                out.push_str("</li>\n");
            }
            out.push_str(if *ordered { "</ol>\n" } else { "</ul>\n" });
        }
        Block::Quote { blocks } => {
            out.push_str("<blockquote>\n");
            for b in blocks {
                block(b, out);
            }
            out.push_str("</blockquote>\n");
        }
        Block::Code { text } => {
            out.push_str("<pre><code>");
            escape(text, out);
            out.push_str("</code></pre>\n");
        }
        Block::Rule => out.push_str("<hr>\n"),
        Block::TextTable { header, rows } => {
            out.push_str("<div class=\"table-wrap\"><table class=\"text-table\">\n<thead><tr>");
            for c in header {
                out.push_str("<th scope=\"col\">");
                inlines(c, out);
                out.push_str("</th>");
            }
            out.push_str("</tr></thead>\n<tbody>\n");
            for r in rows {
                out.push_str("<tr>");
                for c in r {
                    out.push_str("<td>");
                    inlines(c, out);
                    out.push_str("</td>");
                }
                out.push_str("</tr>\n");
            }
            out.push_str("</tbody></table></div>\n");
        }
        Block::Table { .. } => {}
    }
}

fn inlines(v: &[Inline], out: &mut String) {
    for i in v {
        match i {
            Inline::Text { text } => text_with_addresses(text, out),
            Inline::Strong { inlines: c } => wrap("strong", c, out),
            Inline::Emph { inlines: c } => wrap("em", c, out),
            Inline::Strike { inlines: c } => wrap("del", c, out),
            Inline::Code { text } => {
                out.push_str("<code>");
                escape(text, out);
                out.push_str("</code>");
            }
            Inline::Link { url, inlines: c } => {
                out.push_str("<a href=\"");
                escape(url, out);
                out.push_str("\" rel=\"noopener noreferrer\">");
                inlines(c, out);
                out.push_str("</a>");
            }
            Inline::Break => out.push_str("<br>"),
            Inline::SoftBreak => {}
        }
    }
}

/// Text with each web address and e-mail address in a `<span class="addr">`,
/// which the style lets break anywhere: a long address then fills its line
/// instead of leaving the line before it stretched with gaps.
fn text_with_addresses(text: &str, out: &mut String) {
    let mut rest = text;
    while !rest.is_empty() {
        // The next run of ASCII non-space characters.
        let Some(start) = rest.find(|c: char| c.is_ascii_graphic()) else { break };
        let len = rest[start..].find(|c: char| !c.is_ascii_graphic()).unwrap_or(rest.len() - start);
        let run = &rest[start..start + len];
        escape(&rest[..start], out);
        // Punctuation around an address is not part of it: 邮箱:a@b.cn) or
        // (www.example.gov.cn).
        let core = run.trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
        let core = core.trim_end_matches(|c: char| !c.is_ascii_alphanumeric() && c != '/');
        if !core.is_empty() && is_address(core) {
            let at = run.len() - run.trim_start_matches(|c: char| !c.is_ascii_alphanumeric()).len();
            escape(&run[..at], out);
            out.push_str("<span class=\"addr\">");
            escape(core, out);
            out.push_str("</span>");
            escape(&run[at + core.len()..], out);
        } else {
            escape(run, out);
        }
        rest = &rest[start + len..];
    }
    escape(rest, out);
}

/// A web address (`https://…`, `www.…`) or an e-mail address (`a@b.c`).
fn is_address(run: &str) -> bool {
    let lower = run.to_ascii_lowercase();
    lower.contains("://")
        || lower.starts_with("www.")
        || run.split_once('@').is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
}

fn wrap(tag: &str, c: &[Inline], out: &mut String) {
    out.push_str(&format!("<{tag}>"));
    inlines(c, out);
    out.push_str(&format!("</{tag}>"));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(text: &str) -> String {
        let mut out = String::new();
        text_with_addresses(text, &mut out);
        out
    }

    #[test]
    fn addresses_are_marked_and_text_stays_escaped() {
        assert_eq!(
            marked("网址：https://a.gov.cn/x?a=1&b=2。"),
            "网址：<span class=\"addr\">https://a.gov.cn/x?a=1&amp;b=2</span>。"
        );
        assert_eq!(marked("邮箱:x@y.cn)。"), "邮箱:<span class=\"addr\">x@y.cn</span>)。");
        assert_eq!(marked("(www.a.cn)"), "(<span class=\"addr\">www.a.cn</span>)");
        assert_eq!(marked("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
        assert_eq!(marked("\"<a@b.c>\""), "&quot;&lt;<span class=\"addr\">a@b.c</span>&gt;&quot;");
        assert_eq!(marked("2021年 30 号，1.5 万元"), "2021年 30 号，1.5 万元");
        assert_eq!(marked(""), "");
    }
}
