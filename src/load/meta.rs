//! `meta:` — who publishes the report, for which year, in which format.

use super::yaml::{Node, Value};
use super::{did_you_mean, text_of};
use crate::diag::{Diagnostic, Diagnostics, codes};
use crate::format::{self, Format};
use crate::model::{AgencyKind, Contact, Date, Located, Meta};

const META_KEYS: &[&str] =
    &["agency", "year", "format", "kind", "publish_date", "website", "contact", "previous", "carry_over_note"];
const CONTACT_KEYS: &[&str] = &["address", "postcode", "phone", "fax", "email"];

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn unknown(parent: &str, key: &super::yaml::Key, allowed: &[&str]) -> Diagnostic {
    let candidates = names(allowed);
    let mut d = Diagnostic::new(codes::UNKNOWN_KEY, format!("未知的键“{parent}.{}”", key.name))
        .at(key.span, "这里不认识这个键");
    if let Some(s) = did_you_mean(&key.name, &candidates) {
        d = d.note(format!("是不是想写“{s}”？"));
    }
    d.note(format!("{parent} 下可以写的键：{}", allowed.join("、")))
}

fn wrong_type(what: &str, expected: &str, node: &Node) -> Diagnostic {
    Diagnostic::new(codes::WRONG_TYPE, format!("{what}应为{expected}，实际是{}", node.type_name()))
        .at(node.span, format!("应为{expected}"))
}

/// Read `meta:`; None when the report cannot be identified (no agency/year).
pub fn read(node: Option<&Node>, root: &Node, diags: &mut Diagnostics) -> Option<Meta> {
    let Some(node) = node else {
        diags.push(
            Diagnostic::new(codes::MISSING_FIELD, "缺少 meta：报告的机关全称、年度等基本信息")
                .at(root.span, "文件开头应有 meta:")
                .note("至少写明：\nmeta:\n  agency: 某某县某某局\n  year: 2024"),
        );
        return None;
    };
    let Some(entries) = node.as_map() else {
        diags.push(wrong_type("meta", "键值表", node));
        return None;
    };
    let mut agency = None;
    let mut year = None;
    let mut format = None;
    let mut kind = None;
    let mut publish_date = None;
    let mut website = None;
    let mut contact = Contact::default();
    let mut previous = None;
    let mut carry_over_note = None;
    for (key, value) in entries {
        match key.name.as_str() {
            "agency" => match text_of(value).map(|s| s.trim().to_string()) {
                Some(s) if !s.is_empty() => agency = Some(Located { value: s, span: value.span }),
                _ => diags.push(wrong_type("meta.agency（机关全称）", "非空文字", value)),
            },
            "year" => match text_of(value).map(|s| year_digits(&s)).and_then(|s| s.parse::<i32>().ok()) {
                Some(y) if (2000..=2100).contains(&y) => year = Some(Located { value: y, span: value.span }),
                Some(y) => diags.push(
                    Diagnostic::new(
                        codes::BAD_META,
                        format!("meta.year（报告年度）写的是 {y}，不在 2000 到 2100 年之间"),
                    )
                    .at(value.span, "这个年度不可能")
                    .note("请核对数字是否打错（例如把 2019 打成了 2109），报告年度是报告所统计的那一年"),
                ),
                None => diags.push(
                    Diagnostic::new(codes::BAD_META, "meta.year（报告年度）应为四位数的年份，例如 2024")
                        .at(value.span, "这里不是有效的年度"),
                ),
            },
            "format" => match text_of(value) {
                Some(s) => format = Some(Located { value: s.trim().to_string(), span: value.span }),
                None => diags.push(wrong_type("meta.format（报告格式）", "\"2019\" 或 \"2021\"", value)),
            },
            "kind" => match text_of(value).as_deref().and_then(AgencyKind::parse) {
                Some(k) => kind = Some(Located { value: k, span: value.span }),
                None => diags.push(
                    Diagnostic::new(codes::BAD_META, "meta.kind（机关类型）只能是 department、government 或 township")
                        .at(value.span, "无法识别的机关类型")
                        .note("department：政府部门；government：一级人民政府；township：乡镇人民政府或街道办事处"),
                ),
            },
            "publish_date" => match text_of(value).as_deref().and_then(Date::parse) {
                Some(d) => publish_date = Some(Located { value: d, span: value.span }),
                None => diags.push(
                    Diagnostic::new(codes::BAD_META, "meta.publish_date（发布日期）应写成 YYYY-MM-DD，例如 2025-01-20")
                        .at(value.span, "这里不是有效的日期"),
                ),
            },
            "website" => website = text_of(value),
            "contact" => read_contact(value, &mut contact, diags),
            "previous" => match text_of(value) {
                Some(s) if !s.trim().is_empty() => {
                    previous = Some(Located { value: s.trim().to_string(), span: value.span })
                }
                _ => diags.push(wrong_type("meta.previous（上年报告的数据文件）", "文件路径", value)),
            },
            "carry_over_note" => match text_of(value) {
                Some(s) if !s.trim().is_empty() => {
                    carry_over_note = Some(Located { value: s.trim().to_string(), span: value.span })
                }
                _ => diags.push(wrong_type("meta.carry_over_note（与上年不衔接的原因）", "一句说明", value)),
            },
            _ => diags.push(unknown("meta", key, META_KEYS)),
        }
    }
    let missing = |field: &str, label: &str, example: &str| {
        Diagnostic::new(codes::MISSING_FIELD, format!("meta 缺少 {field}（{label}）"))
            .at(node.span, format!("请在 meta 下加上 {field}"))
            .note(format!("例如：  {field}: {example}"))
    };
    if agency.is_none() && !entries.iter().any(|(k, _)| k.name == "agency") {
        diags.push(missing("agency", "机关全称", "某某县某某局"));
    }
    if year.is_none() && !entries.iter().any(|(k, _)| k.name == "year") {
        diags.push(missing("year", "报告年度", "2024"));
    }
    Some(Meta { agency: agency?, year: year?, format, kind, publish_date, website, contact, previous, carry_over_note })
}

fn read_contact(node: &Node, contact: &mut Contact, diags: &mut Diagnostics) {
    let Some(entries) = node.as_map() else {
        if !matches!(node.value, Value::Null) {
            diags.push(wrong_type("meta.contact（联系方式）", "键值表", node));
        }
        return;
    };
    for (key, value) in entries {
        let slot = match key.name.as_str() {
            "address" => &mut contact.address,
            "postcode" => &mut contact.postcode,
            "phone" => &mut contact.phone,
            "fax" => &mut contact.fax,
            "email" => &mut contact.email,
            _ => {
                diags.push(unknown("meta.contact", key, CONTACT_KEYS));
                continue;
            }
        };
        match text_of(value) {
            Some(s) => *slot = Some(s),
            None if matches!(value.value, Value::Null) => {}
            None => diags.push(wrong_type(&format!("meta.contact.{}", key.name), "文字", value)),
        }
    }
}

/// The format the report uses: as written (checked against the year), or
/// inferred from the year.
pub fn choose_format(meta: &Meta, diags: &mut Diagnostics) -> Option<&'static Format> {
    let year = meta.year.value;
    let list = || {
        format::all()
            .iter()
            .map(|f| format!("\"{}\"（{}，{}）", f.id, f.document, f.years_text()))
            .collect::<Vec<_>>()
            .join("；")
    };
    match &meta.format {
        Some(given) => {
            let Some(f) = format::by_id(&given.value) else {
                diags.push(
                    Diagnostic::new(codes::BAD_META, format!("不认识的报告格式“{}”", given.value))
                        .at(given.span, "没有这个格式")
                        .note(format!("可用的格式：{}", list())),
                );
                return None;
            };
            if !f.fits_year(year) {
                let right = format::for_year(year);
                let mut d = Diagnostic::new(
                    codes::FORMAT_YEAR,
                    format!("{year} 年度的报告不能使用 {} 格式（{}适用于 {}）", f.id, f.document, f.years_text()),
                )
                .at(given.span, "格式与年度不符")
                .also(meta.year.span, format!("报告年度是 {year}"));
                d = match right {
                    Some(r) => d.note(format!(
                        "{year} 年度应使用 {} 格式（{}）：把这里改成 \"{}\"，或删去 format 让 gxgen 按年度选择",
                        r.id, r.document, r.id
                    )),
                    None => d.note(format!("没有适用于 {year} 年度的格式；可用的格式：{}", list())),
                };
                diags.push(d);
                return None;
            }
            Some(f)
        }
        None => match format::for_year(year) {
            Some(f) => Some(f),
            None => {
                diags.push(
                    Diagnostic::new(codes::FORMAT_YEAR, format!("没有适用于 {year} 年度的报告格式"))
                        .at(meta.year.span, "这个年度没有全国统一格式")
                        .note(format!("gxgen 支持的格式：{}", list())),
                );
                None
            }
        },
    }
}

/// The year as digits: full-width digits folded (`２０１９`), a trailing
/// 年 or 年度 dropped (`2019年`).
fn year_digits(s: &str) -> String {
    let t: String = s
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            c => c,
        })
        .collect();
    t.trim_end_matches("度").trim_end_matches('年').trim().to_string()
}
