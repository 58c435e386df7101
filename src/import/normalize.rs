//! Text normalisation for matching published text against the templates
//! (formats.md §9.3): width folding, deletion of whitespace and quotes,
//! ordinal prefixes, and the grammar of a value cell.
//!
//! Normalised strings are for comparison only; what is written out is
//! always either the template's official label or the published text.

/// Fold a full-width character to its half-width form (the part of NFKC
/// that matters for report text: ASCII range and the ideographic space).
pub fn fold(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        '\u{2212}' => '-',
        _ => c,
    }
}

/// Quotes deleted before matching (“三安全一稳定” vs "三安全一稳定").
fn is_quote(c: char) -> bool {
    matches!(c, '“' | '”' | '"' | '\'' | '‘' | '’' | '「' | '」' | '『' | '』')
}

/// The matching form of a label: width folded, without whitespace (which
/// also undoes labels broken over lines or written one character per line)
/// and without quotes.
pub fn norm(s: &str) -> String {
    s.chars().map(fold).filter(|c| !c.is_whitespace() && !is_quote(*c)).collect()
}

/// How a label is numbered: `一、`, `（一）`, `1.` …
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ordinal {
    /// True for a parenthesised ordinal, `（一）` / `(1)`.
    pub paren: bool,
    /// The numeral as written (`一`, `3`).
    pub numeral: String,
}

impl Ordinal {
    /// Written the way the templates write it, for messages.
    pub fn display(&self) -> String {
        let arabic = self.numeral.chars().all(|c| c.is_ascii_digit());
        match (self.paren, arabic) {
            (true, _) => format!("（{}）", self.numeral),
            (false, true) => format!("{}.", self.numeral),
            (false, false) => format!("{}、", self.numeral),
        }
    }
}

fn is_cn_numeral(c: char) -> bool {
    matches!(c, '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' | '〇' | '零')
}

fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || is_cn_numeral(c)
}

/// Split a normalised label into its ordinal prefix and the rest. `1、` and
/// `1.` (and `三、` / `三.`) count as the same ordinal.
pub fn split_ordinal(n: &str) -> (Option<Ordinal>, &str) {
    let chars: Vec<(usize, char)> = n.char_indices().collect();
    // (一) / (1)
    if let Some(&(_, '(')) = chars.first() {
        let digits = chars[1..].iter().take_while(|(_, c)| is_numeral(*c)).count();
        if (1..=3).contains(&digits)
            && let Some(&(at, ')')) = chars.get(1 + digits)
        {
            let numeral: String = chars[1..1 + digits].iter().map(|(_, c)| c).collect();
            return (Some(Ordinal { paren: true, numeral }), &n[at + 1..]);
        }
        return (None, n);
    }
    let run = chars.iter().take_while(|(_, c)| is_numeral(*c)).count();
    if run == 0 || run > 3 {
        return (None, n);
    }
    let numeral: String = chars[..run].iter().map(|(_, c)| c).collect();
    let arabic = numeral.chars().all(|c| c.is_ascii_digit());
    let mixed = !arabic && numeral.chars().any(|c| c.is_ascii_digit());
    match chars.get(run) {
        // "1.5" is a number, not an ordinal.
        Some(&(at, '.')) if !mixed && !chars.get(run + 1).is_some_and(|(_, c)| c.is_ascii_digit()) => {
            (Some(Ordinal { paren: false, numeral }), &n[at + 1..])
        }
        Some(&(at, '、')) if !mixed => (Some(Ordinal { paren: false, numeral }), &n[at + '、'.len_utf8()..]),
        _ => (None, n),
    }
}

/// What a table cell holds, judged from its text alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellText {
    /// Empty or a marker for "nothing" (`—`, `-`, `/`, `无`).
    Blank,
    /// Something that reads as a number, possibly signed or with a unit.
    Number(String),
    /// Anything else: a label or prose.
    Text,
}

const BLANK_MARKERS: &[&str] = &["", "-", "--", "—", "——", "–", "/", "\\", "无", "&nbsp;", "空", "空白"];
/// Words written for the sign of a change (本年增/减): 增15, 减少4.
const SIGN_WORDS: &[(&str, char)] = &[("增加", '+'), ("减少", '-'), ("增", '+'), ("减", '-')];
const UNITS: &[&str] = &["万元", "元", "件", "项", "个", "条"];

/// Classify a cell's text. Numbers are returned folded and without spaces.
pub fn cell_text(raw: &str) -> CellText {
    let t: String = raw.chars().map(fold).filter(|c| !c.is_whitespace()).collect();
    if BLANK_MARKERS.contains(&t.as_str()) {
        return CellText::Blank;
    }
    // A sign written as a word: 增15 / 增加15 → +15, 减4 / 减少4 → -4.
    for (word, sign) in SIGN_WORDS {
        if let Some(rest) = t.strip_prefix(word)
            && looks_numeric(rest)
            && !rest.starts_with(['+', '-'])
        {
            return CellText::Number(format!("{sign}{rest}"));
        }
    }
    if looks_numeric(&t) {
        return CellText::Number(t);
    }
    CellText::Text
}

fn looks_numeric(t: &str) -> bool {
    let body = t.strip_prefix(['+', '-']).unwrap_or(t);
    let body = UNITS.iter().find_map(|u| body.strip_suffix(u)).unwrap_or(body);
    let mut digits = 0;
    let mut points = 0;
    for c in body.chars() {
        match c {
            '0'..='9' => digits += 1,
            '.' => points += 1,
            ',' => {}
            _ => return false,
        }
    }
    digits > 0 && points <= 1 && body.starts_with(|c: char| c.is_ascii_digit())
}

/// Text that is prose, not a table label: long or a finished sentence.
pub fn is_prose(raw: &str) -> bool {
    let n = norm(raw);
    n.contains('。') || n.chars().count() > 60
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_width_and_deletes_spaces_and_quotes() {
        assert_eq!(norm("（二） 部分公开"), "(二)部分公开");
        assert_eq!(norm("3.危及“三安全一稳定”"), "3.危及三安全一稳定");
        assert_eq!(norm("三\n\n、\n\n本\n年"), "三、本年");
        assert_eq!(norm("本年增／减"), "本年增/减");
    }

    #[test]
    fn ordinals() {
        let (o, rest) = split_ordinal("(三)不予公开");
        assert_eq!(o.unwrap().display(), "（三）");
        assert_eq!(rest, "不予公开");
        let (o, rest) = split_ordinal("1、属于国家秘密");
        assert_eq!(o, split_ordinal("1.属于国家秘密").0);
        assert_eq!(rest, "属于国家秘密");
        assert_eq!(split_ordinal("三、本年度办理结果").1, "本年度办理结果");
        assert_eq!(split_ordinal("三安全一稳定").0, None);
        assert_eq!(split_ordinal("1.5").0, None);
        assert_eq!(split_ordinal("其其他处理").0, None);
    }

    #[test]
    fn cells() {
        assert_eq!(cell_text(" 2"), CellText::Number("2".into()));
        assert_eq!(cell_text("＋３"), CellText::Number("+3".into()));
        assert_eq!(cell_text("16800万元"), CellText::Number("16800万元".into()));
        assert_eq!(cell_text("—"), CellText::Blank);
        assert_eq!(cell_text("增15"), CellText::Number("+15".into()));
        assert_eq!(cell_text("减 4"), CellText::Number("-4".into()));
        assert_eq!(cell_text("增加"), CellText::Text);
        assert_eq!(cell_text("\u{a0}"), CellText::Blank);
        assert_eq!(cell_text("规章"), CellText::Text);
        assert_eq!(cell_text("2021年"), CellText::Text);
    }
}
