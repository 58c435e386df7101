//! The document's outline: the six section headings (with or without their
//! numerals), the title lines before them, and the narrative paragraphs of
//! a section.

use super::labels::{self, Label, Quality};
use super::normalize::{norm, split_ordinal};
use crate::format::Format;

/// A section heading found in the text.
#[derive(Debug, Clone)]
pub struct Heading {
    /// The section's key (`overview`, `active`, …).
    pub key: String,
    /// Line index of the heading.
    pub line: usize,
    /// The heading as published, when it is not the official one.
    pub repaired: Option<(String, Vec<String>)>,
}

/// Longest line (in characters, normalised) still read as a heading.
const HEADING_SLACK: usize = 12;

/// Find the section headings, in order. A later section's heading is
/// accepted by exact or numeral-less match; a variant or fuzzy match only
/// for the section expected next (or the one after, when a heading is
/// missing). A repaired match gives way to an exact heading of the same
/// section further on (a sub-heading inside 一 is not section 二).
pub fn headings(lines: &[&str], format: &Format) -> Vec<Heading> {
    let labels: Vec<Label> =
        format.sections.iter().map(|s| Label::new(&s.label, labels::section_variants(&s.key))).collect();
    let longest = labels.iter().map(|l| norm(&l.text).chars().count()).max().unwrap_or(0) + HEADING_SLACK;
    let candidates: Vec<(usize, &str)> =
        lines.iter().enumerate().filter_map(|(i, l)| heading_text(l, longest).map(|t| (i, t))).collect();
    let all: Vec<&Label> = labels.iter().collect();
    let exact: Vec<(usize, usize)> = candidates
        .iter()
        .filter_map(|&(i, t)| {
            labels::best(t, &all, |_| false).filter(|h| h.quality == Quality::Exact).map(|h| (h.index, i))
        })
        .collect();
    let mut found: Vec<Heading> = Vec::new();
    let mut next = 0usize;
    for &(i, line) in &candidates {
        if next >= labels.len() {
            break;
        }
        let cands: Vec<&Label> = labels[next..].iter().collect();
        let Some(hit) = labels::best(line, &cands, |j| j <= 1) else { continue };
        let section = next + hit.index;
        if !ordinal_agrees(&norm(line), &labels[section]) {
            continue;
        }
        let repaired = match hit.quality {
            Quality::Exact => None,
            Quality::Repaired(r) => Some((line.trim().to_string(), r)),
        };
        if repaired.is_some() && exact.iter().any(|&(s, l)| s == section && l > i) {
            continue;
        }
        found.push(Heading { key: format.sections[section].key.clone(), line: i, repaired });
        next = section + 1;
    }
    found
}

/// The text of a line that may be a heading: not a table cell, not longer
/// than `longest` characters, without trailing punctuation ("一、总体情况：").
fn heading_text(line: &str, longest: usize) -> Option<&str> {
    if line.starts_with('\t') || line.trim_start().starts_with('|') {
        return None;
    }
    let t = line.trim().trim_end_matches(['。', '：', ':', '.', '；', ';']);
    let n = norm(t);
    (!n.is_empty() && n.chars().count() <= longest).then_some(t)
}

/// A heading written with a different numeral (e.g. a sub-heading "（二）主动
/// 公开政府信息情况" inside 一) is not the section heading.
fn ordinal_agrees(published: &str, label: &Label) -> bool {
    let (p, _) = split_ordinal(published);
    let (o, _) = split_ordinal(&norm(&label.text));
    match (p, o) {
        (Some(p), Some(o)) => p.numeral == o.numeral && p.paren == o.paren,
        _ => true,
    }
}

/// Lines of a section's body: from after its heading to the next heading.
pub fn body<'a>(lines: &[&'a str], headings: &[Heading], k: usize) -> Vec<&'a str> {
    let start = headings[k].line + 1;
    let end = headings.get(k + 1).map_or(lines.len(), |h| h.line);
    lines[start..end].to_vec()
}

/// Characters that end a paragraph.
fn ends_paragraph(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '：' | ':' | ';' | '!' | '?' | '”' | '）' | ')' | '」' | '』' | '…' | '.')
}

/// Lines shorter than this are never taken as a paragraph broken by the copy.
const BROKEN_LINE_MIN: usize = 40;

/// The paragraphs of narrative lines. A long line that stops mid-sentence
/// and is followed by a line that does not start a new item was broken by
/// the copy; it is joined to the next (and counted in `joined`).
pub fn paragraphs(lines: &[&str], joined: &mut usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut glue = false;
    for line in lines {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if glue && !starts_item(t) {
            out.last_mut().expect("glue implies a paragraph").push_str(t);
            *joined += 1;
        } else {
            out.push(t.to_string());
        }
        let last = out.last().expect("just pushed");
        // Counting only up to the bound keeps this linear when many lines are joined.
        glue = last.chars().take(BROKEN_LINE_MIN).count() >= BROKEN_LINE_MIN
            && !last.chars().next_back().is_some_and(ends_paragraph);
    }
    out
}

/// A line that begins a new item: an ordinal or a list marker.
fn starts_item(t: &str) -> bool {
    let n = norm(t);
    split_ordinal(&n).0.is_some() || n.starts_with(['一', '二', '三', '四', '五']) && n.chars().nth(1) == Some('是')
}

/// Markdown for verbatim paragraphs: each paragraph is protected from being
/// read as markdown structure or as a template.
pub fn markdown(paragraphs: &[String]) -> String {
    let mut s = String::new();
    for p in paragraphs {
        let mut p = escape_block_start(p);
        if p.contains("{{") || p.contains("{%") || p.contains("{#") {
            p = format!("{{% raw %}}{p}{{% endraw %}}");
        }
        s.push_str(&p);
        s.push_str("\n\n");
    }
    let trimmed = s.trim_end().len();
    s.truncate(trimmed);
    if !s.is_empty() {
        s.push('\n');
    }
    s
}

/// A backslash before a character that would start a markdown block
/// (list, heading, quote) at the beginning of a paragraph.
fn escape_block_start(p: &str) -> String {
    let bytes = p.as_bytes();
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits > 0
        && digits < 10
        && matches!(bytes.get(digits), Some(b'.' | b')'))
        && matches!(bytes.get(digits + 1), Some(b' ' | b'\t') | None)
    {
        return format!("{}\\{}", &p[..digits], &p[digits..]);
    }
    if matches!(bytes.first(), Some(b'-' | b'+' | b'*' | b'#' | b'>' | b'=' | b'_' | b'`' | b'~' | b'<')) {
        return format!("\\{p}");
    }
    p.to_string()
}

/// True when the normalised text looks like a dateline: `2021年1月27日`.
pub fn date_line(line: &str) -> Option<String> {
    let n = norm(line);
    let (y, rest) = n.split_once('年')?;
    let (m, rest) = rest.split_once('月')?;
    let d = rest.strip_suffix('日')?;
    let ok = |s: &str, max: usize| !s.is_empty() && s.len() <= max && s.chars().all(|c| c.is_ascii_digit());
    (ok(y, 4) && y.len() == 4 && ok(m, 2) && ok(d, 2)).then(|| format!("{y}-{:0>2}-{:0>2}", m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_with_and_without_numerals() {
        let f = crate::format::by_id("2021").unwrap();
        let lines = [
            "一、总体情况",
            "主动公开政府信息情况",
            "正文",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况",
            "存在的主要问题及改进情况：",
            "六、其他需要报告的事项",
        ];
        let h = headings(&lines, f);
        let at: Vec<usize> = h.iter().map(|h| h.line).collect();
        assert_eq!(at, [0, 3, 4, 5, 6, 7]);
        assert!(h[4].repaired.is_some() && h[1].repaired.is_none());
    }

    #[test]
    fn broken_paragraphs_are_joined() {
        let long =
            "下一步, 我局将继续按照区委、区政府的要求, 继续认真贯彻《政府信息公开条例》进一步加强政府信息公开工作, 及";
        let mut n = 0;
        let p = paragraphs(&[long, "", "时提供，确保。", "存在问题：", "1、数据壁垒。"], &mut n);
        assert_eq!(p.len(), 3);
        assert!(p[0].ends_with("及时提供，确保。"));
        assert_eq!(n, 1);
    }

    #[test]
    fn markdown_structure_is_escaped() {
        assert_eq!(markdown(&["1. 第一".into()]), "1\\. 第一\n");
        assert_eq!(markdown(&["1.第一".into()]), "1.第一\n");
        assert_eq!(markdown(&["a {{ b }}".into()]), "{% raw %}a {{ b }}{% endraw %}\n");
    }

    #[test]
    fn datelines() {
        assert_eq!(date_line("                                    2021年1月27日").as_deref(), Some("2021-01-27"));
        assert_eq!(date_line("2021年，我局"), None);
    }
}
