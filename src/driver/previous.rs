//! Last year's report of the same agency (`meta.previous`), loaded for the
//! cross-year rules (上年结转 = 上年报告的结转下年度, and the like).

use crate::diag::{Diagnostic, Diagnostics, codes};
use crate::model::Report;
use crate::source::Sources;
use crate::validate;
use std::path::Path;

/// Load and validate the previous report named by `report.meta.previous`.
/// Problems with it are reported once, as one diagnostic on `meta.previous`.
pub fn load(sources: &mut Sources, report: &Report, diags: &mut Diagnostics) -> Option<Report> {
    let given = report.meta.previous.as_ref()?;
    let dir = report.path.parent().unwrap_or(std::path::Path::new("."));
    let loaded = match sheet_ref(&given.value) {
        Some((file, agency)) => match sheet_row(sources, &crate::source::normalize(&dir.join(file)), agency) {
            Ok(loaded) => loaded,
            Err(why) => {
                diags.push(
                    Diagnostic::new(codes::PREVIOUS, format!("无法读取上年报告：{why}"))
                        .at(given.span, "上年报告所在的表格和机关")
                        .note("表格中的单位写作“表格文件#机关全称”，例如 ../2023/乡镇街道.xlsx#城关镇"),
                );
                return None;
            }
        },
        None => {
            let path = crate::source::normalize(&dir.join(&given.value));
            // Last year's report may belong to last year's workspace: its
            // defaults (year, dates, shared narrative) apply to it as they
            // did then.
            let defaults = path
                .parent()
                .and_then(Path::parent)
                .and_then(crate::driver::workspace::manifest::find)
                .and_then(|m| crate::driver::workspace::manifest::load(sources, &m).ok())
                .and_then(|m| m.defaults);
            // Last year's data may be a report workbook too.
            if super::workbook::is_workbook(&path) {
                super::workbook::load(sources, &path, defaults.as_ref()).0
            } else {
                super::workbook::load_yaml(sources, &path, defaults.as_ref()).0
            }
        }
    };
    let mut errors = loaded.diagnostics.errors();
    let Some(mut prev) = loaded.report else {
        let first = loaded.diagnostics.list.first().map(|d| d.message.clone()).unwrap_or_default();
        diags.push(
            Diagnostic::new(codes::PREVIOUS, format!("无法读取上年报告：{first}"))
                .at(given.span, "上年报告的数据文件")
                .note("路径相对于本数据文件所在的文件夹，例如 ../2023/report.yaml"),
        );
        return None;
    };
    errors += validate::validate(&mut prev, None).errors();
    let year = report.meta.year.value;
    if prev.meta.year.value != year - 1 {
        diags.push(
            Diagnostic::new(
                codes::PREVIOUS,
                format!("meta.previous 指向的是 {} 年度的报告，不是上一年度（{}）", prev.meta.year.value, year - 1),
            )
            .at(given.span, "不是上一年度的报告"),
        );
        return None;
    }
    if prev.meta.agency.value != report.meta.agency.value {
        diags.push(
            Diagnostic::new(
                codes::PREVIOUS,
                format!("上年报告的机关“{}”与本报告“{}”不同", prev.meta.agency.value, report.meta.agency.value),
            )
            .severity(crate::diag::Severity::Warning)
            .at(given.span, "机关名称不同")
            .note("机构改革更名时可以忽略此警告"),
        );
    }
    if errors > 0 {
        diags.push(
            Diagnostic::new(codes::PREVIOUS, format!("上年报告本身有 {errors} 个错误，跨年度核对的结果可能不准"))
                .severity(crate::diag::Severity::Warning)
                .at(given.span, "先用 gxgen check 检查上年报告"),
        );
    }
    Some(prev)
}

/// `../2023/乡镇街道.xlsx#城关镇`: a row of a spreadsheet, by its 机关全称.
fn sheet_ref(given: &str) -> Option<(&str, &str)> {
    given
        .split_once('#')
        .filter(|(file, agency)| crate::driver::workspace::sheet::is_sheet(file) && !agency.trim().is_empty())
        .map(|(f, a)| (f, a.trim()))
}

/// Last year's row of a spreadsheet agency, read with the settings of the
/// workspace the sheet belongs to (its year, defaults and format).
fn sheet_row(sources: &mut Sources, sheet: &Path, agency: &str) -> Result<crate::load::Loaded, String> {
    use crate::driver::workspace::manifest;
    use crate::source::display_path;
    let manifest = sheet
        .parent()
        .and_then(manifest::find)
        .ok_or_else(|| format!("{} 所在的文件夹中没有 gxgen.yaml，无法确定这个表格的年度", display_path(sheet)))?;
    let m = manifest::load(sources, &manifest)
        .map_err(|d| d.list.first().map(|d| d.message.clone()).unwrap_or_default())?;
    let row = m.sheet_rows(agency).find(|r| r.sheet.file_name() == sheet.file_name()).ok_or_else(|| {
        format!(
            "{} 中没有机关全称为“{agency}”的一行（或 {} 没有列出这个表格）",
            display_path(sheet),
            display_path(&manifest)
        )
    })?;
    let file = sources.add(&row.path, row.yaml.clone());
    Ok(crate::load::load_file(sources, &row.path, file, m.defaults.as_ref()))
}
