//! Who published the report and for which year: the title (possibly split
//! over two lines), else the report's name quoted in the opening text
//! (《…年度报告》), else a government named in the text; the year from the
//! title, else from the statistical period (统计期限).

use super::normalize::norm;
use crate::format::Format;

/// Lines longer than this (normalised characters) are prose, not title.
const TITLE_LINE_MAX: usize = 40;

/// The most lines a title is split over (with a breadcrumb or date before it).
const TITLE_LINES_MAX: usize = 6;

/// What the title says.
#[derive(Debug, Clone, Default)]
pub struct Title {
    /// The title as published (lines joined), if there is one.
    pub text: Option<String>,
    pub agency: Option<String>,
    pub year: Option<i32>,
}

/// The fixed end of every title: the template's title after `{year}`,
/// without its leading 年 (reports write both 2021年 and 2021年度).
fn title_suffix(format: &Format) -> String {
    let after = format.title.split("{year}").nth(1).unwrap_or_default();
    norm(after.strip_prefix('年').unwrap_or(after))
}

/// Read the title from the lines before the first section heading.
pub fn title(lines: &[&str], format: &Format) -> Title {
    let suffix = title_suffix(format);
    let mut kept: Vec<&str> = Vec::new();
    for line in lines {
        let n = norm(line);
        if n.is_empty() {
            continue;
        }
        if n.chars().count() > TITLE_LINE_MAX {
            break;
        }
        kept.push(line.trim());
        // A title is a few lines: only the last ones are tried (linear time
        // however long the text before the first heading is).
        if kept.len() > TITLE_LINES_MAX {
            kept.remove(0);
        }
        if split_title(&norm(&kept.concat()), &suffix).is_none() {
            continue;
        }
        // The title is the fewest last lines that name an agency (lines
        // before it may be a breadcrumb or a date).
        for start in (0..kept.len()).rev() {
            let text = kept[start..].concat();
            if let Some((agency, year)) = split_title(&norm(&text), &suffix)
                && (agency.is_some() || start == 0)
            {
                return Title { text: Some(text), agency, year };
            }
        }
    }
    Title::default()
}

/// `{agency}{year}年(度){suffix}` → (agency, year). The text must end with
/// the suffix (a title, not a sentence mentioning one).
fn split_title(n: &str, suffix: &str) -> Option<(Option<String>, Option<i32>)> {
    let head = n
        .strip_suffix(suffix)
        .or_else(|| super::labels::title_endings().iter().find_map(|e| n.strip_suffix(e.as_str())))?;
    // Year first: `{year}年(度){agency}{suffix}`.
    if let Some((year, rest)) = leading_year(head) {
        return Some((non_empty(rest), Some(year)));
    }
    let whole = head;
    let head = head.strip_suffix("年度").or_else(|| head.strip_suffix('年'));
    let Some(head) = head else {
        return Some((non_empty(whole), None));
    };
    let chars: Vec<char> = head.chars().collect();
    if chars.len() < 4 || !chars[chars.len() - 4..].iter().all(|c| c.is_ascii_digit()) {
        return Some((non_empty(head), None));
    }
    let year: String = chars[chars.len() - 4..].iter().collect();
    let agency: String = chars[..chars.len() - 4].iter().collect();
    Some((non_empty(&agency), year.parse().ok()))
}

/// `2019年某某局` → (2019, "某某局"); `2019年度` alone too.
fn leading_year(head: &str) -> Option<(i32, &str)> {
    let digits = head.get(..4)?;
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let rest = &head[4..];
    let rest = rest.strip_prefix("年度").or_else(|| rest.strip_prefix('年'))?;
    let year: i32 = digits.parse().ok()?;
    (2000..=2100).contains(&year).then_some((year, rest))
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

/// The agency in a page title or a file name: the piece (between `_`, `|`,
/// `-`, `—` or spaces) that reads as a report title with an agency, e.g.
/// `某某局2023年政府信息公开工作年度报告_某某市人民政府`.
pub fn agency_in_name(name: &str, format: &Format) -> Option<String> {
    let suffix = title_suffix(format);
    name.split(['_', '|', '-', '—', ' ', '\u{3000}', '｜'])
        .find_map(|piece| split_title(&norm(piece), &suffix).and_then(|(a, _)| a))
        .filter(|a| a.chars().count() >= 2)
}

/// How a report names itself when it does not say its name: 我局, 我镇 …
pub fn self_reference(text: &str) -> Option<String> {
    const WORDS: &[&str] =
        &["我局", "我镇", "我乡", "我街道", "我办", "我委", "我区", "我县", "我市", "本机关", "本单位", "我单位"];
    let n = norm(text);
    WORDS.iter().filter_map(|w| n.find(w).map(|at| (at, *w))).min().map(|(_, w)| w.to_string())
}

/// Report names quoted in the text: 《{agency}{year}年政府信息公开工作年度报告》.
pub fn quoted_titles(text: &str, format: &Format) -> Vec<(String, Option<i32>)> {
    let suffix = title_suffix(format);
    let n = norm(text);
    let mut out = Vec::new();
    for part in n.split('《').skip(1) {
        let Some((inner, _)) = part.split_once('》') else { continue };
        if let Some((Some(agency), year)) = split_title(inner, &suffix) {
            out.push((agency, year));
        }
    }
    out
}

/// Characters that cannot be part of an agency name found in running text.
fn stops_name(c: char) -> bool {
    !('\u{4E00}'..='\u{9FFF}').contains(&c)
        || matches!(
            c,
            '与' | '向'
                | '请'
                | '对'
                | '由'
                | '在'
                | '和'
                | '及'
                | '经'
                | '据'
                | '按'
                | '为'
                | '的'
                | '是'
                | '了'
                | '将'
                | '把'
                | '被'
                | '从'
                | '至'
                | '同'
                | '给'
                | '于'
                | '以'
                | '我'
                | '本'
                | '各'
                | '即'
        )
}

/// The first government named in the text (`…人民政府`), for a report
/// without a title. The name is read backwards from 人民政府 up to a word
/// that cannot be part of it.
pub fn government_in_text(text: &str) -> Option<String> {
    const GOV: &str = "人民政府";
    let n = norm(text);
    let at = n.find(GOV)?;
    let before: Vec<char> = n[..at].chars().collect();
    let start = before.iter().rposition(|&c| stops_name(c)).map_or(0, |p| p + 1);
    let place: String = before[start..].iter().collect();
    (place.chars().count() >= 2).then(|| format!("{place}{GOV}"))
}

/// The year of the statistical period: `自YYYY年1月1日起至YYYY年12月31日止`,
/// also `从YYYY年1月1日到12月31日止` (the end without its year) and a start
/// whose 年 was lost (`20191月1日`).
pub fn period_year(text: &str) -> Option<i32> {
    let n: Vec<char> = norm(text).chars().collect();
    let four = |at: usize| -> Option<i32> {
        let s: String = n.get(at.checked_sub(4)?..at)?.iter().collect();
        s.chars().all(|c| c.is_ascii_digit()).then(|| s.parse().ok()).flatten()
    };
    let starts_with = |at: usize, pat: &str| pat.chars().enumerate().all(|(k, c)| n.get(at + k) == Some(&c));
    for i in 0..n.len() {
        if !starts_with(i, "12月31日") || (i > 0 && n[i - 1].is_ascii_digit()) {
            continue;
        }
        let end_year = if i > 0 && n[i - 1] == '年' { four(i - 1) } else { None };
        let window = i.saturating_sub(30);
        let start = (window..i)
            .rev()
            .find(|&k| starts_with(k, "1月1日") && (k == 0 || !n[k - 1].is_ascii_digit() || four(k).is_some()));
        let Some(k) = start else { continue };
        let start_year = if k > 0 && n[k - 1] == '年' { four(k - 1) } else { four(k) };
        match (start_year, end_year) {
            (Some(a), Some(b)) if a == b => return Some(a),
            (Some(a), None) => return Some(a),
            (None, Some(b)) => return Some(b),
            _ => {}
        }
    }
    None
}

/// The year most often written as `YYYY年` in `text` (a last resort).
pub fn common_year(text: &str) -> Option<i32> {
    let chars: Vec<char> = norm(text).chars().collect();
    let mut counts: Vec<(i32, usize)> = Vec::new();
    for i in 4..chars.len() {
        if chars[i] == '年'
            && chars[i - 4..i].iter().all(|c| c.is_ascii_digit())
            && (i < 5 || !chars[i - 5].is_ascii_digit())
        {
            let y: i32 = chars[i - 4..i].iter().collect::<String>().parse().unwrap_or(0);
            if (2000..=2100).contains(&y) {
                match counts.iter_mut().find(|(v, _)| *v == y) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((y, 1)),
                }
            }
        }
    }
    counts.into_iter().max_by_key(|&(y, n)| (n, y)).map(|(y, _)| y)
}

/// `meta.kind` from the agency's name.
pub fn kind_of(agency: &str) -> &'static str {
    if agency.ends_with("街道办事处") || agency.ends_with("乡人民政府") || agency.ends_with("镇人民政府")
    {
        "township"
    } else if agency.ends_with("人民政府") {
        "government"
    } else {
        "department"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f() -> &'static Format {
        crate::format::by_id("2021").unwrap()
    }

    #[test]
    fn titles_split_over_lines() {
        let t = title(&["行政审批服务局2020年政府信息公开", "", "工作年度报告", "", "根据……"], f());
        assert_eq!(t.agency.as_deref(), Some("行政审批服务局"));
        assert_eq!(t.year, Some(2020));
        let t = title(&["汉阴县行政审批服务局", "", "2021年度政府信息公开工作年度报告"], f());
        assert_eq!(t.agency.as_deref(), Some("汉阴县行政审批服务局"));
        assert_eq!(t.year, Some(2021));
        assert!(title(&["一、总体情况"], f()).text.is_none());
        let t = title(&["首页 > 政务公开", "某某局2022年政府信息公开工作年度报告"], f());
        assert_eq!(t.agency.as_deref(), Some("某某局"));
        let t = title(&["2019年黄家镇政府信息公开工作年度报告"], f());
        assert_eq!((t.agency.as_deref(), t.year), (Some("黄家镇"), Some(2019)));
    }

    #[test]
    fn names_in_text() {
        let q = quoted_titles("研究编制了《汶上县行政审批服务局2020年政府信息公开工作年度报告》，现予以公开", f());
        assert_eq!(q, [("汶上县行政审批服务局".to_string(), Some(2020))]);
        assert_eq!(
            government_in_text("如有疑问请与安康市汉滨区人民政府信息管理办公室联系").as_deref(),
            Some("安康市汉滨区人民政府")
        );
        assert_eq!(period_year("本报告中所列数据的统计期限为2020年1月1日起至2020年12月31日止"), Some(2020));
        assert_eq!(period_year("统计期限从2019年1月1日到12月31日止"), Some(2019));
        assert_eq!(period_year("统计期限从20191月1日起到2019年12月31日止"), Some(2019));
        assert_eq!(period_year("2019年1月1日至2020年12月31日"), None);
    }
}
