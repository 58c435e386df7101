//! Rules about the report as a whole (formats.md §6.7): facts that must be
//! stated, publication dates, what a government's report must cover.

use crate::diag::{Diagnostic, Diagnostics, codes};
use crate::model::{AgencyKind, Date, Report};

pub fn check(report: &Report, diags: &mut Diagnostics) {
    facts_stated(report, diags);
    tables_written(report, diags);
    publish_date(report, diags);
    government_assessment(report, diags);
    placeholders(report, diags);
}

/// Text `gxgen new` left to be written.
fn placeholders(report: &Report, diags: &mut Diagnostics) {
    let marker = crate::model::PLACEHOLDER;
    for n in &report.narrative {
        let Some(pos) = n.text.find(marker) else { continue };
        let count = n.text.matches(marker).count();
        let at = n.place(pos, pos + marker.len());
        let label = report.format.section(&n.section).map_or("", |s| s.label.as_str());
        diags.push(
            Diagnostic::new(codes::PLACEHOLDER, format!("“{label}”还有 {count} 处{marker}")).at(at, "请替换为实际内容"),
        );
    }
}

/// D-4: the format's facts blocks (2021: 信息处理费) are written.
fn facts_stated(report: &Report, diags: &mut Diagnostics) {
    let format = report.format;
    for f in &format.facts {
        if !report.absent.contains(&f.prefix) {
            continue;
        }
        let section = &format.sections[f.section].label;
        let keys: Vec<String> = format
            .cells
            .iter()
            .filter(|c| c.key.starts_with(&format!("{}.", f.prefix)))
            .map(|c| format!("{}: 0   # {}", c.key.rsplit('.').next().unwrap_or_default(), c.col_labels.join("")))
            .collect();
        let (parent, last) = f.prefix.rsplit_once('.').unwrap_or(("", &f.prefix));
        let at = report
            .places
            .get(parent)
            .copied()
            .or_else(|| report.narrative(&format.sections[f.section].key).map(|n| n.reference))
            .unwrap_or(crate::source::Span::new(report.file, 0, 0));
        diags.push(
            Diagnostic::new(
                codes::MISSING_FACTS,
                format!("没有填写{}情况：{} {} 格式要求“{section}”说明{}", f.name, format.document, format.id, f.name),
            )
            .at(at, format!("请加上 {}", f.prefix))
            .note(format!("即使没有发生也要写 0，gxgen 会据此写出“{}”", f.sentence_when_zero))
            .note(format!(
                "在数据文件中加上：\n{}:\n  {last}:\n    {}",
                if parent.is_empty() { last } else { parent },
                keys.join("\n    ")
            )),
        );
    }
}

/// A whole mandated table left out is taken as all zeros; say so.
fn tables_written(report: &Report, diags: &mut Diagnostics) {
    let format = report.format;
    for t in &format.tables {
        if report.absent.contains(&t.key) {
            diags.push(
                Diagnostic::new(
                    codes::MISSING_SECTION,
                    format!("没有填写“{}”的表格，按全部为 0 处理", format.sections[t.section].label),
                )
                .severity(crate::diag::Severity::Warning)
                .at(crate::source::Span::new(report.file, 0, 0), "数据文件中没有这张表")
                .note("确实全部为 0 时，建议照样写出各行（写 0），以便审核人员确认没有遗漏"),
            );
        }
    }
}

/// D-6 and sanity: the report is published after its year ends and by the
/// statutory deadline (departments 1月31日, governments 3月31日).
fn publish_date(report: &Report, diags: &mut Diagnostics) {
    let Some(date) = &report.meta.publish_date else { return };
    let year = report.meta.year.value;
    if date.value.year <= year {
        diags.push(
            Diagnostic::new(codes::EARLY_DATE, format!("发布日期 {} 早于报告年度 {year} 年结束", date.value.chinese()))
                .at(date.span, "报告应在年度结束后发布")
                .note(format!("{year} 年度的报告一般在 {} 年 1 月发布", year + 1)),
        );
        return;
    }
    // A kind the format gives no deadline for (乡镇、街道: set locally) is
    // not checked; a report that does not say its kind is a department's.
    let kind = report.meta.kind.as_ref().map_or(AgencyKind::Department, |k| k.value);
    let Some(d) = report.format.deadlines.iter().find(|d| d.kind == AgencyKind::NAMES[kind as usize]) else { return };
    let (deadline, who) = (Date { year: year + 1, month: d.month, day: d.day }, d.who.as_str());
    if date.value > deadline {
        diags.push(
            Diagnostic::new(
                codes::DEADLINE,
                format!("发布日期 {} 晚于法定期限 {}", date.value.chinese(), deadline.chinese()),
            )
            .at(date.span, "超过发布期限")
            .note(format!("《政府信息公开条例》第四十九条：{who}应于 {} 前公布", deadline.chinese()))
            .note("本地通知规定了更早的期限时，以本地期限为准"),
        );
    }
}

/// D-5: a government's report covers 工作考核、社会评议和责任追究结果.
fn government_assessment(report: &Report, diags: &mut Diagnostics) {
    let Some(kind) = &report.meta.kind else { return };
    if kind.value != AgencyKind::Government {
        return;
    }
    let text: String = report.narrative.iter().map(|n| n.text.as_str()).collect();
    // Each topic with the words reports use for it (from the format file).
    let topics = &report.format.government_topics;
    let missing: Vec<&str> = topics
        .iter()
        .filter(|t| !t.words.iter().any(|w| text.contains(w.as_str())))
        .map(|t| t.topic.as_str())
        .collect();
    if missing.is_empty() {
        return;
    }
    let at = report.narrative("overview").map_or(kind.span, |n| n.reference);
    diags.push(
        Diagnostic::new(
            codes::GOV_ASSESSMENT,
            format!(
                "各级人民政府的报告应说明{}结果情况，正文中没有提到：{}",
                enumerate(&topics.iter().map(|t| t.topic.as_str()).collect::<Vec<_>>()),
                missing.join("、")
            ),
        )
        .at(at, "未见相关内容")
        .note("《政府信息公开条例》第五十条第（四）项；2021 格式要求写在“总体情况”的“监督保障”部分"),
    );
}

/// 甲、乙和丙: an enumeration as Chinese prose writes it.
fn enumerate(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{}和{last}", init.join("、")),
    }
}
