//! The 汇总 report: every cell summed over the agencies of a workspace,
//! checked like any report. Because every table rule is linear, a sum that
//! breaks a rule means some agency breaks it: those agencies are named.

use std::path::PathBuf;

use super::{Agency, Manifest, Status};
use crate::diag::{Diagnostic, Diagnostics, codes};
use crate::driver::build::{self, Options};
use crate::model::{Narrative, Origin, Report, Slot};
use crate::source::{Sources, Span};
use crate::value::{CellValue, Decimal};

/// The summary's entry in the build cache.
pub(crate) const KEY: &str = "(汇总)";

/// The summed report, made from the agencies' checks alone, so that it is
/// typeset beside the agencies rather than after them.
pub struct Plan {
    /// The summed report.
    pub sum: Report,
    /// The rules the sum breaks, each naming its agencies.
    rules: Diagnostics,
    /// Its key in the build cache: every agency's inputs.
    hash: String,
    /// The outputs of an earlier build that are still current.
    fresh: Option<Vec<PathBuf>>,
}

/// Sum the agencies' reports: `agencies` holds, for each agency, its
/// checked report and whether it repeats another; `hashes` their inputs'
/// hashes, in the same order. None when no agency's data could be read.
pub fn plan<'a>(
    m: &Manifest,
    agencies: impl Iterator<Item = (Option<&'a Report>, bool)>,
    hashes: &[String],
    cache: &super::cache::Cache,
    shared: super::cache::Hasher,
) -> Option<Plan> {
    // Agencies whose data could be read, in the most common format.
    // An agency listed twice is summed once (GX0703).
    let loaded: Vec<&Report> = agencies.filter(|(_, duplicate)| !duplicate).filter_map(|(r, _)| r).collect();
    let first = loaded.first()?;
    let format = first.format;
    let same: Vec<&Report> = loaded.iter().copied().filter(|r| r.format.id == format.id).collect();
    let mut sum = (*first).clone();
    let manifest_file = crate::source::FileId(0);
    let here = Span::new(manifest_file, 0, 0);
    for i in 0..format.cells.len() {
        let values: Vec<&CellValue> = same.iter().filter_map(|r| r.value(i)).collect();
        // Money written with its unit: one unit when all agree, else 元.
        let units: Vec<Option<&str>> = values.iter().map(|v| v.unit.as_deref()).collect();
        let mixed = units.windows(2).any(|w| w[0] != w[1]);
        let in_yuan = |v: &CellValue| match v.unit.as_deref() {
            Some(u) => v.number.shift(crate::format::unit_exponent(u)).unwrap_or(v.number),
            None => v.number,
        };
        let total = values
            .iter()
            .map(|v| if mixed { in_yuan(v) } else { v.number })
            .try_fold(Decimal::ZERO, |acc, n| acc.checked_add(n))
            .unwrap_or(Decimal::ZERO);
        let unit = if mixed { base_unit() } else { units.first().copied().flatten().map(str::to_string) };
        sum.cells[i] = Slot {
            value: (!values.is_empty()).then_some(CellValue { number: total, unit }),
            origin: Origin::Given(here),
        };
    }
    let name = m.summary.clone().unwrap_or_else(|| format!("{}各单位汇总", m.region.clone().unwrap_or_default()));
    sum.meta.agency.value = name;
    sum.meta.publish_date = None;
    if let Some(k) = m.summary_kind {
        sum.meta.kind = Some(crate::model::Located { value: k, span: here });
    }
    sum.meta.previous = None;
    sum.absent.clear();
    sum.path = m.path.clone();
    sum.file = manifest_file;
    let names: Vec<String> = same.iter().map(|r| r.meta.agency.value.clone()).collect();
    let text = |t: &str| t.to_string();
    sum.narrative = format
        .sections
        .iter()
        .filter(|s| s.narrative)
        .map(|s| Narrative {
            section: s.key.clone(),
            text: match m.summary_narrative.iter().find(|(k, _)| *k == s.key).map(|(_, t)| t.clone()) {
                // The government's own narrative, when the manifest gives it.
                Some(t) => t,
                None => match s.key.as_str() {
                    "overview" => format!(
                        "本报告汇总以下 {} 个单位的政府信息公开工作年度报告数据：{}。",
                        names.len(),
                        names.join("、")
                    ),
                    _ => text("见各单位报告。"),
                },
            },
            file: manifest_file,
            span: here,
            reference: here,
            inline: true,
        })
        .collect();

    // Check the sum; name the agencies behind each broken rule.
    let broken = crate::validate::failing(&sum);
    // Each agency's broken rules, computed once.
    let per_agency: Vec<Vec<usize>> =
        if broken.is_empty() { Vec::new() } else { same.iter().map(|r| crate::validate::failing(r)).collect() };
    let mut diags = Diagnostics::default();
    for rule_index in broken {
        let rule = &format.rules[rule_index];
        let culprits: Vec<String> = same
            .iter()
            .zip(&per_agency)
            .filter(|(_, f)| f.contains(&rule_index))
            .map(|(r, _)| r.meta.agency.value.clone())
            .collect();
        let cells: Vec<usize> = rule
            .terms()
            .filter_map(|t| match t.cell {
                crate::format::CellRef::This(c) => Some(c),
                crate::format::CellRef::Previous(_) => None,
            })
            .collect();
        let what = format.shared_context(&cells);
        let what = what.trim_end_matches('：');
        let title = codes::info(&rule.code).map_or(rule.id.as_str(), |i| i.title.as_str());
        diags.push(
            Diagnostic::new(codes::SUMMARY_RULE, format!("汇总数据{title}：{what}")).severity(rule.severity).note(
                format!(
                    "不符合这条规则（{}）的单位：{}",
                    rule.code,
                    if culprits.is_empty() { "（无）".to_string() } else { culprits.join("、") }
                ),
            ),
        );
    }
    let mut h = shared;
    for a in hashes {
        h.write(a.as_bytes());
    }
    let hash = h.hex();
    let fresh = cache.fresh(KEY, &hash);
    Some(Plan { sum, rules: diags, hash, fresh })
}

/// Typeset and write the summed report (not when it breaks a rule that is an
/// error, nor when an earlier build's outputs are current).
pub fn render(plan: &Plan, m: &Manifest, opts: &Options) -> Option<build::Written> {
    if plan.rules.has_errors() || plan.fresh.is_some() {
        return None;
    }
    let mut local = Sources::new();
    local.add(&m.path, m.text.clone());
    Some(build::render_report(&plan.sum, None, &local, &m.path, opts))
}

/// The summary's outputs and its report, once every agency is built: its
/// findings go to `diags`, its cache entry to `next_cache`.
pub fn finish(
    plan: Option<Plan>,
    written: Option<build::Written>,
    agencies: &[Agency],
    next_cache: &mut super::cache::Cache,
    diags: &mut Diagnostics,
) -> (Vec<PathBuf>, Option<Report>) {
    let Some(plan) = plan else { return (Vec::new(), None) };
    diags.extend(plan.rules);
    let failed = agencies.iter().filter(|a| a.status == Status::Failed && !a.duplicate).count();
    if failed > 0 {
        diags.push(
            Diagnostic::new(
                codes::SUMMARY_RULE,
                format!("有 {failed} 个单位未生成，汇总中包含它们填写的数据，请先修正这些单位"),
            )
            .severity(crate::diag::Severity::Warning),
        );
    }
    let outputs = match (plan.fresh, written) {
        (Some(outputs), _) => outputs,
        (None, Some(written)) => {
            diags.extend(written.diagnostics);
            written.outputs
        }
        (None, None) => return (Vec::new(), Some(plan.sum)),
    };
    if !outputs.is_empty() {
        next_cache.entries.insert(KEY.to_string(), super::cache::Entry { hash: plan.hash, outputs: outputs.clone() });
    }
    (outputs, Some(plan.sum))
}

/// The unit money in mixed units is summed in: the one of exponent 0 (元).
fn base_unit() -> Option<String> {
    crate::format::money_units().iter().find(|u| u.exponent == 0).map(|u| u.unit.clone())
}
