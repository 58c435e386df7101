//! The one way gxgen writes report YAML: `gxgen new` (the skeleton),
//! `gxgen import` (a published report read back) and spreadsheet rows all
//! quote text and lay out comments through these functions, so the files
//! they write look alike and read back alike.

/// A YAML scalar holding `s` exactly: a JSON string is valid YAML, and
/// escapes every character that could end or change it.
pub fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// Comments start at this column where the line is short enough (a
/// Chinese character counts two columns, as editors show it).
pub const COMMENT_COLUMN: usize = 44;

/// `line`, then the comment at the comment column (at least one space
/// after the line); `line` alone when there is no comment.
pub fn with_comment(line: &str, comment: &str) -> String {
    if comment.is_empty() {
        return line.to_string();
    }
    let width: usize = line.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
    format!("{line}{}# {comment}", " ".repeat(COMMENT_COLUMN.saturating_sub(width).max(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_survives_yaml() {
        assert_eq!(quote("某某局: \"甲\"#1"), r##""某某局: \"甲\"#1""##);
    }

    #[test]
    fn comments_line_up() {
        assert_eq!(with_comment("  year: 2024", "报告年度").find('#'), Some(44));
        // 汉字 count two columns: "  agency: 某某局" is 10 + 6 = 16 columns wide.
        let l = with_comment("  agency: 某某局", "机关全称");
        assert_eq!(l.chars().take_while(|&c| c != '#').filter(|&c| c == ' ').count(), 2 + 1 + (44 - 16));
        assert_eq!(with_comment("x: 1", ""), "x: 1");
    }
}
