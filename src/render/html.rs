//! The HTML renderer: one self-contained page (CSS inline, no scripts, no
//! external requests). The page layout is Tera templates in
//! `templates/html/`, overridable per report; narrative blocks are drawn
//! here with every piece of user text escaped.

use serde::Serialize;

use crate::assets;
use crate::compose::{Block, Document, Grid, Inline};
use crate::diag::{Diagnostic, codes};

/// The page templates: embedded defaults, with files from override folders
/// replacing them by name.
pub struct Templates {
    tera: tera::Tera,
    /// Where each overridden template came from, for messages.
    overrides: Vec<(String, String)>,
}

pub const TEMPLATE_NAMES: &[&str] = &["report.html", "table.html", "style.css", "index.html"];

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
    Table { grid: &'a Grid },
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
                    parts.push(Part::Table { grid });
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
            Inline::Text { text } => escape(text, out),
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

fn wrap(tag: &str, c: &[Inline], out: &mut String) {
    out.push_str(&format!("<{tag}>"));
    inlines(c, out);
    out.push_str(&format!("</{tag}>"));
}
