//! Facts a format wants stated in a section's text (2021: 信息处理费), read
//! from what the published text says. Nothing is assumed: a block is only
//! written when a sentence names the fact and either says none was charged
//! or gives the figures.

use super::normalize::norm;
use crate::format::{Facts, Format};

/// Words saying that nothing was charged or notified.
const NONE_WORDS: &[&str] =
    &["未收取", "没有收取", "不收取", "未发出", "没有发出", "未产生", "未发生", "无收取", "均为0", "均为零"];

/// What a sentence states about one facts block: value text per item key.
#[derive(Debug, Clone, PartialEq)]
pub struct Stated {
    pub values: Vec<(String, String)>,
    /// The sentence it was read from.
    pub sentence: String,
}

/// Read the facts block `facts` of `format` from `text` (the section's paragraphs).
pub fn read(format: &Format, facts: &Facts, text: &str) -> Option<Stated> {
    let items: Vec<&crate::format::Cell> =
        format.cells.iter().filter(|c| c.key.starts_with(&format!("{}.", facts.prefix))).collect();
    for sentence in sentences(text) {
        let n = norm(&sentence);
        if !n.contains(&norm(&facts.name)) {
            continue;
        }
        if NONE_WORDS.iter().any(|w| n.contains(w)) && !has_figures(&n) {
            let values = items.iter().map(|c| (c.col_key.clone(), "0".to_string())).collect();
            return Some(Stated { values, sentence });
        }
        if let Some(values) = figures(&n, &items) {
            return Some(Stated { values, sentence });
        }
    }
    None
}

fn sentences(text: &str) -> Vec<String> {
    text.split(['。', '；', ';', '\n']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// Non-zero figures in a sentence (a "0" is not a figure).
fn has_figures(n: &str) -> bool {
    numbers(n).iter().any(|(v, _)| v.chars().any(|c| c.is_ascii_digit() && c != '0'))
}

/// Numbers with the unit written after them: ("3", "件").
fn numbers(n: &str) -> Vec<(String, String)> {
    let chars: Vec<char> = n.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.' || chars[i] == ',') {
                i += 1;
            }
            let num: String = chars[start..i].iter().filter(|&&c| c != ',').collect();
            let unit: String = chars[i..chars.len().min(i + 2)].iter().collect();
            let unit = if unit.starts_with("万元") {
                "万元"
            } else {
                match chars.get(i) {
                    Some('元') => "元",
                    Some('件') => "件",
                    _ => "",
                }
            };
            out.push((num, unit.to_string()));
        } else {
            i += 1;
        }
    }
    out
}

/// A sentence giving the figures in the items' order: a count (件) for
/// count items, amounts (元) for money items. Only taken when the sentence
/// has exactly as many such figures as there are items.
fn figures(n: &str, items: &[&crate::format::Cell]) -> Option<Vec<(String, String)>> {
    let nums = numbers(n);
    let counts: Vec<&(String, String)> = nums.iter().filter(|(_, u)| u == "件").collect();
    let amounts: Vec<&(String, String)> = nums.iter().filter(|(_, u)| u == "元" || u == "万元").collect();
    let want_counts = items.iter().filter(|c| matches!(c.kind, crate::format::Kind::Count)).count();
    if counts.len() != want_counts || amounts.len() != items.len() - want_counts {
        return None;
    }
    let (mut ci, mut ai) = (counts.iter(), amounts.iter());
    items
        .iter()
        .map(|c| {
            let (v, unit) = match c.kind {
                crate::format::Kind::Count => ci.next()?,
                _ => ai.next()?,
            };
            let value = if unit == "万元" { format!("{v}万元") } else { v.clone() };
            Some((c.col_key.clone(), value))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fee() -> (&'static Format, &'static Facts) {
        let f = crate::format::by_id("2021").unwrap();
        (f, &f.facts[0])
    }

    #[test]
    fn nothing_charged() {
        let (f, facts) = fee();
        let s =
            read(f, facts, "本单位无其他需要报告的事项，根据《政府信息公开信息处理费管理办法》未收取任何相关费用。")
                .unwrap();
        assert!(s.values.iter().all(|(_, v)| v == "0"));
        assert!(read(f, facts, "无其他需要报告的事项。").is_none());
    }

    #[test]
    fn figures_in_order() {
        let (f, facts) = fee();
        let s = read(f, facts, "本年度发出信息处理费收费通知2件，通知金额300元，实际收取信息处理费200元。").unwrap();
        let v: Vec<&str> = s.values.iter().map(|(_, v)| v.as_str()).collect();
        assert_eq!(v, ["2", "300", "200"]);
    }
}
