//! Matching published labels against the official ones of a template:
//! exact (after normalisation), the same label with a missing or different
//! ordinal, a known variant (`variants.yaml`), or a bounded fuzzy match
//! among the labels expected at that position. Everything but an exact
//! match is a repair, with the reasons in Chinese.

use std::sync::OnceLock;

use serde::Deserialize;

use super::normalize::{Ordinal, norm, split_ordinal};

/// An official label, prepared for matching.
#[derive(Debug, Clone)]
pub struct Label {
    /// As the template writes it.
    pub text: String,
    full: String,
    ordinal: Option<Ordinal>,
    core: String,
    /// Normalised cores of known variants.
    variants: Vec<String>,
}

impl Label {
    pub fn new(text: &str, variants: Vec<String>) -> Label {
        let full = norm(text);
        let (ordinal, core) = split_ordinal(&full);
        let core = core.to_string();
        Label { text: text.to_string(), full: full.clone(), ordinal, core, variants }
    }
}

/// How a published label was matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Quality {
    Exact,
    /// Matched after a repair; the reasons, in Chinese.
    Repaired(Vec<String>),
}

/// The match tiers, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tier {
    Exact,
    Core,
    Variant,
    Fuzzy(usize),
}

#[derive(Debug, Clone)]
pub struct Hit {
    /// Index into the candidate list.
    pub index: usize,
    pub quality: Quality,
}

/// The largest edit distance accepted for a label of `len` characters:
/// none for short labels (其他 / 总计 differ by two characters).
fn fuzzy_bound(len: usize) -> usize {
    (len / 4).min(2)
}

fn tier_of(published_full: &str, published_core: &str, label: &Label, loose: bool) -> Option<Tier> {
    if published_full == label.full {
        return Some(Tier::Exact);
    }
    if published_core == label.core {
        return Some(Tier::Core);
    }
    if !loose {
        return None;
    }
    if label.variants.iter().any(|v| v == published_core || v == published_full) {
        return Some(Tier::Variant);
    }
    let len = label.core.chars().count();
    let d = strsim::levenshtein(published_core, &label.core);
    (d <= fuzzy_bound(len)).then_some(Tier::Fuzzy(d))
}

/// The best candidate for `published`. `loose(i)` says whether candidate i
/// may be matched by variant or fuzzy match (only labels expected near the
/// current position may). Ties go to the earliest candidate, except fuzzy
/// ties, which are ambiguous and match nothing.
pub fn best(published: &str, candidates: &[&Label], loose: impl Fn(usize) -> bool) -> Option<Hit> {
    let full = norm(published);
    if full.is_empty() {
        return None;
    }
    let (ordinal, core) = split_ordinal(&full);
    let mut found: Option<(Tier, usize)> = None;
    let mut tie = false;
    for (i, label) in candidates.iter().enumerate() {
        let Some(t) = tier_of(&full, core, label, loose(i)) else { continue };
        match found {
            Some((best, _)) if t > best => {}
            Some((best, _)) if t == best => tie |= matches!(t, Tier::Fuzzy(_)),
            _ => {
                found = Some((t, i));
                tie = false;
            }
        }
    }
    let (tier, index) = found?;
    if tie {
        return None;
    }
    let label = candidates[index];
    let mut reasons = Vec::new();
    match tier {
        Tier::Exact => {}
        Tier::Core => {}
        Tier::Variant => reasons.push("已知的不规范写法".to_string()),
        Tier::Fuzzy(d) => reasons.push(format!("与官方名称相差 {d} 个字")),
    }
    if tier != Tier::Exact
        && let Some(r) = ordinal_reason(ordinal.as_ref(), label.ordinal.as_ref())
    {
        reasons.push(r);
    }
    let quality = if reasons.is_empty() { Quality::Exact } else { Quality::Repaired(reasons) };
    Some(Hit { index, quality })
}

/// Why the ordinal written differs from the official one, if it does.
fn ordinal_reason(published: Option<&Ordinal>, official: Option<&Ordinal>) -> Option<String> {
    match (published, official) {
        (None, None) => None,
        (Some(p), Some(o)) if p == o => None,
        (None, Some(o)) => Some(format!("缺少序号“{}”", o.display())),
        (Some(p), None) => Some(format!("多出序号“{}”", p.display())),
        (Some(p), Some(o)) => Some(format!("序号“{}”应为“{}”", p.display(), o.display())),
    }
}

/// Whether `published` (normalised) could be the start of a label split
/// into several cells (vertical text read one character per line).
pub fn is_prefix_of_any(published: &str, candidates: &[&Label]) -> bool {
    let n = norm(published);
    !n.is_empty() && candidates.iter().any(|l| l.full.starts_with(&n) || l.core.starts_with(&n))
}

// ---------------------------------------------------------------------
// The variant map (variants.yaml).

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VariantFile {
    labels: Vec<LabelVariant>,
    sections: Vec<SectionVariant>,
    #[serde(default)]
    title_endings: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LabelVariant {
    table: String,
    #[serde(default)]
    row: Option<String>,
    #[serde(default)]
    column: Option<String>,
    seen: String,
    #[serde(default)]
    formats: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionVariant {
    section: String,
    seen: String,
}

fn variant_file() -> &'static VariantFile {
    static FILE: OnceLock<VariantFile> = OnceLock::new();
    FILE.get_or_init(|| {
        serde_saphyr::from_str(include_str!("variants.yaml"))
            .unwrap_or_else(|e| panic!("src/import/variants.yaml is invalid: {e}"))
    })
}

/// The normalised core of a variant as stored.
fn variant_core(seen: &str) -> String {
    let n = norm(seen);
    split_ordinal(&n).1.to_string()
}

/// Known variants of the row `row_key` of table `table` in format `format`.
pub fn row_variants(format: &str, table: &str, row_key: &str) -> Vec<String> {
    variant_file()
        .labels
        .iter()
        .filter(|v| v.table == table && v.row.as_deref() == Some(row_key))
        .filter(|v| v.formats.is_empty() || v.formats.iter().any(|f| f == format))
        .map(|v| variant_core(&v.seen))
        .collect()
}

/// Known variants of the column `col_key` of table `table`.
pub fn column_variants(format: &str, table: &str, col_key: &str) -> Vec<String> {
    variant_file()
        .labels
        .iter()
        .filter(|v| v.table == table && v.column.as_deref() == Some(col_key))
        .filter(|v| v.formats.is_empty() || v.formats.iter().any(|f| f == format))
        .map(|v| variant_core(&v.seen))
        .collect()
}

/// Other endings published titles use instead of the format's own
/// (`政府信息公开年度报告` without 工作), normalised.
pub fn title_endings() -> &'static [String] {
    static ENDINGS: OnceLock<Vec<String>> = OnceLock::new();
    ENDINGS.get_or_init(|| variant_file().title_endings.iter().map(|e| norm(e)).collect())
}

/// Known variants of a section heading.
pub fn section_variants(section: &str) -> Vec<String> {
    variant_file().sections.iter().filter(|v| v.section == section).map(|v| variant_core(&v.seen)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(text: &str) -> Label {
        Label::new(text, Vec::new())
    }

    #[test]
    fn exact_after_normalisation_is_no_repair() {
        let l = label("（二）部分公开（区分处理的，只计这一情形，不计其他情形）");
        let hit = best("(二) 部分公开 (区分处理的, 只计这一情形, 不计其他情形)", &[&l], |_| true).unwrap();
        assert_eq!(hit.quality, Quality::Exact);
        let l = label("1.属于国家秘密");
        assert_eq!(best("1、属于国家秘密", &[&l], |_| true).unwrap().quality, Quality::Exact);
    }

    #[test]
    fn missing_ordinal_and_fuzzy_are_repairs() {
        let l = label("（三）不予公开");
        let Quality::Repaired(r) = best("不\n\n予\n\n公\n\n开", &[&l], |_| true).unwrap().quality else { panic!() };
        assert_eq!(r, ["缺少序号“（三）”"]);
        let l = label("1.属于国家秘密");
        assert!(matches!(best("1.属于国家机密", &[&l], |_| true).unwrap().quality, Quality::Repaired(_)));
        assert!(best("1.属于国家机密", &[&l], |_| false).is_none());
    }

    #[test]
    fn short_labels_are_not_fuzzy() {
        let a = label("其他");
        assert!(best("总计", &[&a], |_| true).is_none());
    }

    #[test]
    fn variants_load() {
        assert!(!row_variants("2021", "active", "normative_docs").is_empty());
        assert!(row_variants("2019", "active", "normative_docs").iter().all(|v| v != "规范性文件"));
        assert!(!section_variants("problems").is_empty());
    }
}
