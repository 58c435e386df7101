//! Text into WordprocessingML: every user string is escaped, and characters
//! XML 1.0 forbids (controls other than tab, newline, carriage return; the
//! noncharacters U+FFFE and U+FFFF) are dropped, so no input can break the
//! markup or turn into it.

/// Whether XML 1.0 allows the character in a document.
pub fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escape text for element content and attribute values alike.
pub fn escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if allowed(c) => out.push(c),
            _ => {}
        }
    }
}

/// The escaped text.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape(s, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_forbidden_characters() {
        assert_eq!(esc("<w:instrText>&\"'"), "&lt;w:instrText&gt;&amp;&quot;&apos;");
        assert_eq!(esc("a\u{0}b\u{1b}c\u{fffe}\td"), "abc\td");
        assert_eq!(esc("汉字😀"), "汉字😀");
    }
}
