//! compose: one document model from a validated report. Every renderer
//! draws this model (and a small render context) and nothing else, so the
//! outputs cannot disagree.

mod data;
mod grid;
mod narrative;
pub use narrative::MAX_NESTING;

use std::collections::BTreeMap;

use serde::Serialize;

pub use data::{cell_json, data_json, template_context};
pub use grid::{Cell, CellRole, Grid, Row, layout};
pub use narrative::{Block, Inline};

use crate::diag::Diagnostics;
use crate::format::Owner;
use crate::model::Report;
use crate::source::{Sources, Span};
use crate::value::Date;

/// The whole report, ready to be drawn.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub lang: &'static str,
    /// The full title, e.g. 汉阴县行政审批服务局2021年政府信息公开工作年度报告.
    pub title: String,
    /// The title split where an official document breaks it: agency / rest.
    pub title_lines: Vec<String>,
    pub agency: String,
    pub year: i32,
    pub format: String,
    pub format_document: String,
    /// Generated opening: legal basis, the six parts, the 统计期限, contact.
    pub opening: Vec<Block>,
    pub sections: Vec<Section>,
    pub closing: Closing,
    /// The normalised data (every cell by key), for machine readers.
    pub data: serde_json::Value,
    /// Facts about the report's sources that renderers need for their own
    /// checks and metadata; not drawn, not part of the published data.
    #[serde(skip)]
    pub provenance: Provenance,
}

/// What a renderer may need to know about where the document came from.
#[derive(Debug, Clone)]
pub struct Provenance {
    /// Fonts pinned per typesetting role (`fonts:`), with where they are written.
    pub fonts: BTreeMap<String, (Vec<String>, Span)>,
    /// The publication date the data file gives.
    pub publish_date: Option<Date>,
    /// Where the year is written (the place to ask for a missing date).
    pub year_span: Span,
    /// The first place each character appears in the report's own files,
    /// filled by the driver when a renderer checks glyphs ([`char_places`]).
    pub chars: BTreeMap<char, Span>,
}

/// The first place each character appears in the report's own files: the
/// data file, then the narrative files in order.
pub fn char_places(report: &Report, sources: &Sources) -> BTreeMap<char, Span> {
    let mut out = BTreeMap::new();
    let mut ids = vec![report.file];
    ids.extend(report.narrative.iter().map(|n| n.file));
    for id in ids {
        for (p, c) in sources.get(id).text.char_indices() {
            out.entry(c).or_insert(Span::new(id, p, p + c.len_utf8()));
        }
    }
    out
}

#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub key: String,
    /// The official heading, e.g. 一、总体情况.
    pub heading: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Closing {
    pub agency: String,
    /// 2022年1月28日
    pub date: Option<String>,
}

/// The problems composing would find, without the document: the narrative
/// templates expanded and their markdown checked, in the order `compose`
/// reports them. A check that writes nothing (`gxgen check`, a workspace's
/// agencies before the cache says which to build) needs no tables, data or
/// opening; the template context is made only when a narrative uses it.
pub fn check(report: &Report, sources: &Sources) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let mut ctx = None;
    for sec in report.format.sections.iter().filter(|s| s.narrative) {
        let Some(n) = report.narrative(&sec.key) else { continue };
        let ctx = ctx.get_or_insert_with(|| template_context(report));
        if let Err(d) = narrative::render(n, ctx, sources) {
            diags.push(d);
        }
    }
    diags
}

/// Compose a validated report (no errors). Narrative template problems are
/// diagnostics; the document is None when there are any.
pub fn compose(report: &Report, sources: &Sources) -> (Option<Document>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let format = report.format;
    let ctx = template_context(report);
    let mut sections = Vec::new();
    for sec in &format.sections {
        let mut blocks = Vec::new();
        if let Some(t) = sec.table {
            blocks.push(Block::Table(grid::build(report, t)));
        }
        if let Some(f) = sec.facts.filter(|&f| !report.absent.contains(&format.facts[f].prefix)) {
            blocks.push(Block::Paragraph(vec![Inline::Text(facts_sentence(report, f))]));
        }
        if sec.narrative
            && let Some(n) = report.narrative(&sec.key)
        {
            match narrative::render(n, &ctx, sources) {
                Ok(mut b) => blocks.append(&mut b),
                Err(d) => diags.push(d),
            }
        }
        sections.push(Section { key: sec.key.clone(), heading: sec.label.clone(), blocks });
    }
    if diags.has_errors() {
        return (None, diags);
    }
    let agency = report.meta.agency.value.clone();
    let year = report.meta.year.value;
    let title = fill(&format.title, report);
    let rest = title.strip_prefix(&agency).unwrap_or(&title).to_string();
    let doc = Document {
        lang: "zh-CN",
        title_lines: if rest != title { vec![agency.clone(), rest] } else { vec![title.clone()] },
        title,
        agency: agency.clone(),
        year,
        format: format.id.clone(),
        format_document: format.document.clone(),
        opening: opening(report),
        sections,
        closing: Closing { agency, date: report.meta.publish_date.as_ref().map(|d| d.value.chinese()) },
        data: data_json(report),
        provenance: Provenance {
            fonts: report.fonts.clone(),
            publish_date: report.meta.publish_date.as_ref().map(|d| d.value),
            year_span: report.meta.year.span,
            chars: BTreeMap::new(),
        },
    };
    (Some(doc), diags)
}

/// Replace `{agency}`, `{year}`, `{next_year}`, `{document}` in a template
/// sentence of the format.
fn fill(text: &str, report: &Report) -> String {
    text.replace("{agency}", &report.meta.agency.value)
        .replace("{year}", &report.meta.year.value.to_string())
        .replace("{next_year}", &(report.meta.year.value + 1).to_string())
        .replace("{document}", &report.format.document)
        .replace("{format_name}", &report.format.name)
}

fn opening(report: &Report) -> Vec<Block> {
    let f = report.format;
    let mut text = fill(&f.opening, report);
    let parts: Vec<String> = f
        .sections
        .iter()
        // In an enumeration a 、 inside a part's name reads as a separator.
        .map(|s| s.label.split_once('、').map_or(s.label.as_str(), |(_, t)| t).replace('、', "和"))
        .collect();
    text = text.replace("{parts}", &parts.join("、")).replace("{part_count}", &chinese_number(parts.len()));
    let mut blocks = vec![Block::Paragraph(vec![Inline::Text(text)])];
    let m = &report.meta;
    let mut contact = Vec::new();
    if let Some(w) = &m.website {
        contact.push(format!("本报告电子版可在{w}下载"));
    }
    let c = &m.contact;
    for (label, v) in [
        ("联系地址", &c.address),
        ("邮编", &c.postcode),
        ("联系电话", &c.phone),
        ("传真", &c.fax),
        ("电子邮箱", &c.email),
    ] {
        if let Some(v) = v {
            contact.push(format!("{label}：{v}"));
        }
    }
    if !contact.is_empty() {
        let mut t =
            "如对本报告有任何疑问，请与".to_string() + &m.agency.value + "联系（" + &contact.join("；") + "）。";
        if m.website.is_some() && contact.len() == 1 {
            t = contact[0].clone() + "。";
        }
        blocks.push(Block::Paragraph(vec![Inline::Text(t)]));
    }
    blocks
}

fn chinese_number(n: usize) -> String {
    const D: [&str; 11] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    D.get(n).map_or(n.to_string(), |s| s.to_string())
}

/// The sentence a facts block states (2021: 信息处理费).
fn facts_sentence(report: &Report, facts: usize) -> String {
    let format = report.format;
    let f = &format.facts[facts];
    let cells: Vec<usize> = (0..format.cells.len()).filter(|&i| format.cells[i].owner == Owner::Facts(facts)).collect();
    let all_zero = cells.iter().all(|&c| report.value(c).is_none_or(|v| v.number.is_zero()));
    if all_zero {
        return f.sentence_when_zero.clone();
    }
    let mut s = f.sentence.clone();
    for &c in &cells {
        let cell = &format.cells[c];
        let v = report.value(c).map(|v| v.display(&cell.kind)).unwrap_or_else(|| "0".into());
        s = s.replace(&format!("{{{}}}", cell.col_key), &v);
    }
    s
}
