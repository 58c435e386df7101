//! The workspace's pages for a reviewer: `index.html` (the county at a
//! glance: counts, the 汇总's totals, one row per agency with its findings
//! and headline figures against last year, two charts drawn as inline SVG)
//! and `问题清单.html` (every finding of every agency, with code, message
//! and file:line). Both are written from built-in templates; the bytes
//! depend on the inputs only (paths are relative to the workspace).

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{Agency, Manifest, Status};
use crate::diag::{Diagnostic, Diagnostics, Severity, codes};
use crate::model::Report;
use crate::render::html::escape;
use crate::source::{Sources, display_path, normalize};
use crate::value::Decimal;

/// The findings page, beside index.html.
pub const FINDINGS_PAGE: &str = "问题清单.html";

/// One diagnostic as the findings page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// error, warning or info (a CSS class).
    pub severity: &'static str,
    /// 错误, 警告 or 提示.
    pub severity_text: &'static str,
    pub code: String,
    pub message: String,
    pub notes: Vec<String>,
    /// The file, relative to the workspace once the index knows it, and
    /// the line.
    #[serde(skip)]
    pub file: Option<PathBuf>,
    pub line: Option<usize>,
    /// `file:line`, filled in by the index.
    pub place: String,
}

/// The findings of `diags`, in their order, with their places.
pub fn findings(sources: &Sources, diags: &Diagnostics) -> Vec<Finding> {
    diags
        .list
        .iter()
        .map(|d| {
            let (file, line) = match &d.primary {
                Some((span, _)) if span.file.0 < sources.files().len() => {
                    let f = sources.get(span.file);
                    (Some(f.path.clone()), Some(f.line_col(span.start).0))
                }
                _ => (None, None),
            };
            Finding {
                severity: match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Info => "info",
                },
                severity_text: d.severity.chinese(),
                code: d.code.clone(),
                message: d.message.clone(),
                notes: d.notes.clone(),
                file,
                line,
                place: String::new(),
            }
        })
        .collect()
}

/// A place relative to the workspace folder: `县公安局/report.yaml:12`.
fn place(dir: &Path, file: Option<&Path>, line: Option<usize>) -> String {
    let Some(file) = file else { return String::new() };
    let file = normalize(file);
    let shown = file
        .strip_prefix(normalize(dir))
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_else(|_| file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
    match line {
        Some(l) => format!("{shown}:{l}"),
        None => shown,
    }
}

#[derive(Serialize)]
struct Figure {
    value: String,
    /// The number, for sorting (empty when there is none).
    sort: String,
    /// The change from last year: +5, -3, 0; empty when last year's report
    /// is not known.
    change: String,
    /// up, down or same.
    trend: &'static str,
}

#[derive(Serialize)]
struct IndexRow {
    /// Its anchor on the findings page.
    id: String,
    agency: String,
    folder: String,
    status: Status,
    status_text: &'static str,
    /// For sorting by status: failed first.
    status_rank: usize,
    html: Option<String>,
    pdf: Option<String>,
    docx: Option<String>,
    errors: usize,
    warnings: usize,
    infos: usize,
    figures: Vec<Figure>,
}

#[derive(Serialize)]
struct FindingsSection {
    id: String,
    title: String,
    status_text: &'static str,
    findings: Vec<Finding>,
}

/// Headline figures: (label, value shown, number).
fn headline_values(report: &Report) -> Vec<(String, String, Option<Decimal>)> {
    report
        .format
        .headline
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let def = &report.format.cells[c];
            let label = if let Some(Some(l)) = report.format.headline_labels.get(i) {
                l.clone()
            } else if def.row_labels.is_empty() {
                def.col_labels.join(" ")
            } else {
                def.row_labels.last().cloned().unwrap_or_default()
            };
            let v = report.value(c);
            (label, v.map(|v| v.display(&def.kind)).unwrap_or_default(), v.map(|v| v.number))
        })
        .collect()
}

fn figures(report: &Report, previous: Option<&Report>) -> Vec<Figure> {
    let before = previous.filter(|p| p.format.id == report.format.id).map(headline_values);
    headline_values(report)
        .into_iter()
        .enumerate()
        .map(|(i, (_, value, number))| {
            let old = before.as_ref().and_then(|b| b.get(i)).and_then(|b| b.2);
            let delta = number.zip(old).and_then(|(n, o)| n.checked_add(o.negated()));
            let (change, trend) = match delta {
                None => (String::new(), "same"),
                Some(d) if d.is_zero() => ("0".to_string(), "same"),
                Some(d) if d.is_negative() => (d.to_string(), "down"),
                Some(d) => (format!("+{d}"), "up"),
            };
            Figure { value, sort: number.map(|n| n.to_string()).unwrap_or_default(), change, trend }
        })
        .collect()
}

/// A number as f64, for drawing.
fn amount(d: Option<Decimal>) -> f64 {
    d.and_then(|d| d.to_string().parse().ok()).unwrap_or(0.0)
}

/// A length in the SVG, with one decimal: the same bytes on every machine.
fn px(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 { format!("{r:.0}") } else { format!("{r:.1}") }
}

/// An SVG chart's opening: 360 wide, `height` high, its title as label,
/// tooltip and heading (the same bytes as each chart wrote before).
fn chart_head(title: &str, height: f64) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "<svg class=\"chart\" viewBox=\"0 0 360 {}\" width=\"360\" height=\"{}\" role=\"img\" aria-label=\"",
        px(height),
        px(height)
    ));
    escape(title, &mut s);
    s.push_str("\">\n<title>");
    escape(title, &mut s);
    s.push_str("</title>\n<text x=\"0\" y=\"14\" class=\"chart-title\">");
    escape(title, &mut s);
    s.push_str("</text>\n");
    s
}

/// Horizontal bars, one per agency, the name left of its bar: readable at
/// phone width (the SVG is 360 wide and scales down with the screen).
fn bar_chart(title: &str, items: &[(String, Option<Decimal>)]) -> String {
    let (label_w, bar_x, bar_w, row_h, top) = (150.0, 154.0, 170.0, 18.0, 24.0);
    let max = items.iter().map(|(_, v)| amount(*v)).fold(0.0, f64::max);
    let height = top + row_h * items.len() as f64 + 6.0;
    let mut s = chart_head(title, height);
    for (i, (name, v)) in items.iter().enumerate() {
        let y = top + row_h * i as f64;
        let value = amount(*v);
        let w = if max > 0.0 { bar_w * value / max } else { 0.0 };
        // A long name is cut with an ellipsis; the full name is the bar's title.
        let shown: String =
            if name.chars().count() > 12 { name.chars().take(11).chain(['…']).collect() } else { name.clone() };
        s.push_str("<g><title>");
        escape(name, &mut s);
        s.push_str(&format!("：{}</title>", v.map(|d| d.to_string()).unwrap_or_default()));
        s.push_str(&format!("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">", px(label_w), px(y + 12.5)));
        escape(&shown, &mut s);
        s.push_str("</text>");
        s.push_str(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" class=\"bar\"/>",
            px(bar_x),
            px(y + 3.0),
            px(w.max(if value > 0.0 { 1.0 } else { 0.0 })),
            px(row_h - 6.0)
        ));
        s.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" class=\"value\">{}</text></g>\n",
            px(bar_x + w + 4.0),
            px(y + 12.5),
            v.map(|d| d.to_string()).unwrap_or_else(|| "—".into())
        ));
    }
    s.push_str("</svg>");
    s
}

/// The county's outcomes as one stacked bar with a legend below it.
fn stacked_chart(title: &str, items: &[(String, Decimal)]) -> String {
    let total: f64 = items.iter().map(|(_, v)| amount(Some(*v))).sum();
    let legend_h = 20.0;
    let height = 24.0 + 28.0 + 8.0 + legend_h * items.len() as f64;
    let mut s = chart_head(title, height);
    let mut x = 0.0;
    for (i, (label, v)) in items.iter().enumerate() {
        let w = if total > 0.0 { 360.0 * amount(Some(*v)) / total } else { 0.0 };
        if w > 0.0 {
            s.push_str(&format!(
                "<rect x=\"{}\" y=\"24\" width=\"{}\" height=\"28\" class=\"kind{}\"><title>",
                px(x),
                px(w),
                i % 8
            ));
            escape(label, &mut s);
            s.push_str(&format!("：{v}</title></rect>\n"));
        }
        x += w;
    }
    for (i, (label, v)) in items.iter().enumerate() {
        let y = 60.0 + legend_h * i as f64;
        let share = if total > 0.0 { format!("{:.1}%", 100.0 * amount(Some(*v)) / total) } else { "—".into() };
        s.push_str(&format!("<rect x=\"0\" y=\"{}\" width=\"12\" height=\"12\" class=\"kind{}\"/>", px(y), i % 8));
        s.push_str(&format!("<text x=\"18\" y=\"{}\">", px(y + 10.5)));
        escape(label, &mut s);
        s.push_str(&format!("</text><text x=\"250\" y=\"{}\" text-anchor=\"end\">{v}</text>", px(y + 10.5)));
        s.push_str(&format!("<text x=\"330\" y=\"{}\" text-anchor=\"end\">{share}</text>\n", px(y + 10.5)));
    }
    s.push_str("</svg>");
    s
}

/// The outcomes of the summed report, by the format's `outcomes`.
fn outcomes(sum: &Report) -> Vec<(String, Decimal)> {
    sum.format
        .outcomes
        .iter()
        .map(|(label, cells)| {
            let v = cells
                .iter()
                .filter_map(|&c| sum.value(c).map(|v| v.number))
                .try_fold(Decimal::ZERO, |a, n| a.checked_add(n))
                .unwrap_or(Decimal::ZERO);
            (label.clone(), v)
        })
        .collect()
}

/// Everything the index needs besides the agencies.
pub struct Summary<'a> {
    pub outputs: &'a [PathBuf],
    pub report: Option<&'a Report>,
    /// Problems of the workspace itself and of the summed report.
    pub sources: &'a Sources,
    pub diagnostics: &'a Diagnostics,
}

/// Write index.html and 问题清单.html into `out_dir`; returns the index.
pub fn write(
    m: &Manifest,
    agencies: &[Agency],
    summary: &Summary,
    out_dir: &Path,
    diags: &mut Diagnostics,
) -> Option<PathBuf> {
    let rel = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
    let of = |outputs: &[PathBuf], ext: &str| {
        outputs.iter().find(|p| p.extension().is_some_and(|e| e == ext)).and_then(|p| rel(p))
    };
    // Last year's report of each agency, when it names one (the workspace
    // of last year beside this one gives it): for the change of each figure.
    // A failed agency's figures are shown too, as the 汇总 sums them; an
    // agency listed twice is shown once.
    let previous: Vec<Option<&Report>> =
        agencies.iter().map(|a| a.previous.as_ref().filter(|_| a.report.is_some() && !a.duplicate)).collect();
    let rows: Vec<IndexRow> = agencies
        .iter()
        .zip(&previous)
        .enumerate()
        .map(|(i, (a, prev))| IndexRow {
            id: format!("a{}", i + 1),
            agency: agency_name(m, a),
            folder: a.path.parent().map(|p| place(&m.dir, Some(p), None)).unwrap_or_default(),
            status: a.status,
            status_text: a.status.chinese(),
            status_rank: match a.status {
                Status::Failed => 0,
                Status::BuiltWithWarnings => 1,
                Status::Built => 2,
            },
            html: of(&a.outputs, "html"),
            pdf: of(&a.outputs, "pdf"),
            docx: of(&a.outputs, "docx"),
            errors: a.errors,
            warnings: a.warnings,
            infos: a.infos,
            figures: a.report.as_ref().filter(|_| !a.duplicate).map(|r| figures(r, *prev)).unwrap_or_default(),
        })
        .collect();
    let year = agencies.iter().find_map(|a| a.report.as_ref().map(|r| r.meta.year.value));
    let title = format!(
        "{}{}政府信息公开工作年度报告",
        m.region.clone().unwrap_or_default(),
        year.map(|y| format!("{y}年")).unwrap_or_default()
    );
    let labels: Vec<String> = agencies
        .iter()
        .find_map(|a| a.report.as_ref())
        .map(|r| headline_values(r).into_iter().map(|(l, _, _)| l).collect())
        .unwrap_or_default();
    let totals: Vec<(String, String)> =
        summary.report.map(|r| headline_values(r).into_iter().map(|(l, v, _)| (l, v)).collect()).unwrap_or_default();
    let has_change = rows.iter().any(|r| r.figures.iter().any(|f| !f.change.is_empty()));

    // The charts: the first headline figure by agency, the county's outcomes.
    let bars = labels.first().map(|label| {
        let items: Vec<(String, Option<Decimal>)> = agencies
            .iter()
            .filter(|a| !a.duplicate)
            .map(|a| {
                let v = a
                    .report
                    .as_ref()
                    .filter(|_| !a.duplicate)
                    .and_then(|r| r.format.headline.first().and_then(|&c| r.value(c)).map(|v| v.number));
                (agency_name(m, a), v)
            })
            .collect();
        bar_chart(&format!("各单位{label}（件）"), &items)
    });
    let kinds = summary.report.map(outcomes).filter(|o| !o.is_empty());
    let stacked = kinds.as_ref().map(|k| stacked_chart("全县申请的办理结果（件）", k));

    // The findings page: one section per agency with findings, then the
    // workspace's own.
    let mut sections: Vec<FindingsSection> = agencies
        .iter()
        .zip(&rows)
        .filter(|(a, _)| !a.findings.is_empty())
        .map(|(a, r)| FindingsSection {
            id: r.id.clone(),
            title: r.agency.clone(),
            status_text: a.status.chinese(),
            findings: with_places(&m.dir, a.findings.clone()),
        })
        .collect();
    let own = with_places(&m.dir, findings(summary.sources, summary.diagnostics));
    if !own.is_empty() {
        sections.push(FindingsSection {
            id: "workspace".into(),
            title: "工作区与汇总".into(),
            status_text: "",
            findings: own,
        });
    }
    let total_findings: usize = sections.iter().map(|s| s.findings.len()).sum();

    let generator = format!("gxgen {}", env!("CARGO_PKG_VERSION"));
    let mut ctx = tera::Context::new();
    ctx.insert("title", &title);
    ctx.insert("rows", &rows);
    ctx.insert("headline", &labels);
    ctx.insert("has_change", &has_change);
    ctx.insert("summary_html", &of(summary.outputs, "html"));
    ctx.insert("summary_pdf", &of(summary.outputs, "pdf"));
    ctx.insert("summary_docx", &of(summary.outputs, "docx"));
    ctx.insert("summary_figures", &totals);
    ctx.insert(
        "counts",
        &[
            rows.iter().filter(|r| r.status == Status::Built).count(),
            rows.iter().filter(|r| r.status == Status::BuiltWithWarnings).count(),
            rows.iter().filter(|r| r.status == Status::Failed).count(),
        ],
    );
    ctx.insert("total", &rows.len());
    ctx.insert("findings_page", FINDINGS_PAGE);
    ctx.insert("findings_count", &total_findings);
    ctx.insert("workspace_findings", &sections.iter().any(|s| s.id == "workspace"));
    ctx.insert("bar_chart", &bars);
    ctx.insert("outcome_chart", &stacked);
    ctx.insert("generator", &generator);
    let index = render_and_write("index.html", &ctx, &out_dir.join("index.html"), diags);

    let mut ctx = tera::Context::new();
    ctx.insert("title", &format!("{title}：问题清单"));
    ctx.insert("sections", &sections);
    ctx.insert("count", &total_findings);
    ctx.insert("generator", &generator);
    render_and_write("findings.html", &ctx, &out_dir.join(FINDINGS_PAGE), diags);
    index
}

fn agency_name(m: &Manifest, a: &Agency) -> String {
    a.report.as_ref().map_or_else(|| place(&m.dir, Some(&a.path), None), |r| r.meta.agency.value.clone())
}

fn with_places(dir: &Path, mut list: Vec<Finding>) -> Vec<Finding> {
    for f in &mut list {
        f.place = place(dir, f.file.as_deref(), f.line);
    }
    list
}

fn render_and_write(name: &str, ctx: &tera::Context, target: &Path, diags: &mut Diagnostics) -> Option<PathBuf> {
    let page = match crate::render::html::render_page(name, ctx) {
        Ok(p) => p,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let dir = target.parent().unwrap_or(Path::new("."));
    match std::fs::create_dir_all(dir).and_then(|_| crate::output::write_if_changed(target, page.as_bytes())) {
        Ok(()) => Some(target.to_path_buf()),
        Err(e) => {
            diags.push(Diagnostic::new(codes::OUTPUT, format!("无法写出 {}：{e}", display_path(target))));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_escape_names_and_are_the_same_bytes_each_time() {
        let items = vec![
            ("<script>alert(1)</script>".to_string(), Some(Decimal::from_int(3))),
            ("县\"民政\"局&".to_string(), None),
            ("一个名字很长很长很长很长的单位".to_string(), Some(Decimal::from_int(0))),
        ];
        let svg = bar_chart("各单位新收申请", &items);
        assert!(!svg.contains("<script") && svg.contains("&lt;script&gt;"));
        assert!(svg.contains("县&quot;民政&quot;局&amp;"));
        assert!(svg.contains(">一个名字很长很长很长很…<"), "{svg}");
        assert_eq!(svg.matches("<rect").count(), 3);
        assert_eq!(svg, bar_chart("各单位新收申请", &items));
        let kinds = vec![("予以公开".to_string(), Decimal::from_int(2)), ("<b>".to_string(), Decimal::from_int(1))];
        let svg = stacked_chart("结果", &kinds);
        assert!(svg.contains("66.7%") && svg.contains("33.3%") && svg.contains("&lt;b&gt;"), "{svg}");
        assert!(!svg.contains("NaN"));
        let none = stacked_chart("结果", &[("予以公开".to_string(), Decimal::ZERO)]);
        assert!(!none.contains("NaN") && none.contains('—'));
    }
}
