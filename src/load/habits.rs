//! Chinese clerks' typing habits in a YAML data file, found before the YAML
//! parser sees the text. An input method left on gives full-width commas,
//! colons, brackets and spaces where YAML needs ASCII; a spreadsheet gives
//! thousands separators and Tabs. What has one sure reading is repaired in
//! place (with a byte-for-byte replacement of the same length, so every
//! place the parser reports still points at the author's text) and said as a
//! warning; what has not is one specific error with the caret on the
//! character.

use crate::diag::{Diagnostic, codes};
use crate::source::{FileId, Span};

/// What the scan found: the text to parse, repairs made (warnings) and
/// mistakes that stop the parse (errors).
pub struct Scan {
    pub text: String,
    pub hints: Vec<Diagnostic>,
    pub errors: Vec<Diagnostic>,
}

/// YAML tags gxgen accepts: `!!str` only makes a scalar text, which is harmless.
const ALLOWED_TAGS: &[&str] = &["!!str"];

pub fn scan(file: FileId, text: &str) -> Scan {
    let mut out = text.as_bytes().to_vec();
    let mut hints = Vec::new();
    let mut errors = Vec::new();
    let mut block: Option<usize> = None; // indent of the line that opened a block scalar
    let mut flow_depth: usize = 0;
    let mut line_start = 0;
    // Counted as the lines go by: counting from the start of the text for
    // every line made long files quadratic (found by the fuzz harness).
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let line_no = index + 1;
        let start = line_start;
        line_start += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let indent_len = body.len() - body.trim_start_matches([' ', '\t', '\u{3000}']).len();
        let indent = &body[..indent_len];
        let rest = &body[indent_len..];
        let spaces = indent.chars().take_while(|&c| c == ' ').count();
        if let Some(parent) = block {
            if rest.is_empty() || spaces > parent {
                continue;
            }
            block = None;
        }
        if rest.is_empty() || rest.starts_with('#') {
            continue;
        }
        let span = |a: usize, b: usize| Span::new(file, start + a, start + b);
        // Indentation: only ASCII spaces.
        if let Some((i, c)) = indent.char_indices().find(|&(_, c)| c != ' ') {
            let (name, fix) = if c == '\t' {
                ("制表符（Tab）", "YAML 只能用空格缩进：把这个 Tab 换成空格，与上下行对齐")
            } else {
                ("全角空格“　”", "缩进只能用半角空格：关闭输入法的全角模式，把它换成空格，与上下行对齐")
            };
            errors.push(
                Diagnostic::new(codes::TYPING, format!("第 {line_no} 行的缩进里有{name}"))
                    .at(span(i, i + c.len_utf8()), format!("这里是{name}"))
                    .note(fix),
            );
            continue;
        }
        let mut quote: Option<char> = None;
        let mut items_seen_spaced = false; // a ", " separator inside this line's list
        let chars: Vec<(usize, char)> = body.char_indices().skip_while(|&(i, _)| i < indent_len).collect();
        let mut thousands: Vec<usize> = Vec::new();
        let mut prev: Option<char> = None;
        let mut node_start = true; // at a place where a YAML node may begin
        for (k, &(i, c)) in chars.iter().enumerate() {
            let next = chars.get(k + 1).map(|&(_, n)| n);
            if let Some(q) = quote {
                if c == q {
                    quote = None;
                }
                prev = Some(c);
                continue;
            }
            match c {
                '"' | '\'' if node_start => quote = Some(c),
                '#' if prev.is_none_or(|p| p == ' ' || p == '\t') => break,
                '[' | '{' => flow_depth += 1,
                ']' | '}' => flow_depth = flow_depth.saturating_sub(1),
                '!' if node_start => {
                    let tag: String = body[i..].chars().take_while(|c| !c.is_whitespace() && *c != ',').collect();
                    if !ALLOWED_TAGS.contains(&tag.as_str()) {
                        errors.push(
                            Diagnostic::new(codes::YAML_TAG, format!("数据文件里有 YAML 标签“{tag}”"))
                                .at(span(i, i + tag.len()), "gxgen 不认这个标签")
                                .note("年度报告的数据只是数字和文字，不需要也不接受 YAML 标签（! 或 !! 开头的写法）")
                                .note("删掉这个标签；要写以 ! 开头的文字，请给整个值加引号"),
                        );
                    }
                }
                ',' if flow_depth > 0 => {
                    // An empty list item: `[821, 35, , , 2]`.
                    let gap: String = body[i + 1..].chars().take_while(|c| *c == ' ').collect();
                    let after = body[i + 1 + gap.len()..].chars().next();
                    let before_empty = body[..i].trim_end().ends_with([',', '[']);
                    if matches!(after, Some(',' | ']')) && !gap.is_empty() {
                        // Room for `~` (null): the cell reader says GX0205 at it.
                        out[start + i + 1] = b'~';
                    } else if matches!(after, Some(',' | ']')) || before_empty && k == 0 {
                        errors.push(blank_item(span(i, i + 1), line_no));
                    }
                    if next == Some(' ') {
                        items_seen_spaced = true;
                    } else if prev.is_some_and(|p| p.is_ascii_digit()) && next.is_some_and(|n| n.is_ascii_digit()) {
                        let lead = body[..i].chars().rev().take_while(char::is_ascii_digit).count();
                        let group = body[i + 1..].chars().take_while(char::is_ascii_digit).count();
                        let lead_start = i - lead;
                        let lead_alone = body[..lead_start].trim_end().ends_with(['[', ',']);
                        if (1..=3).contains(&lead) && group == 3 && lead_alone {
                            thousands.push(i);
                        }
                    }
                }
                _ => {}
            }
            // Full-width punctuation where YAML needs ASCII.
            let fix: Option<(&[u8; 3], &str, &str)> = match c {
                '，' | '、' if flow_depth > 0 => Some((b",  ", "全角逗号", "列表里的数要用半角逗号“,”隔开")),
                '：' if is_key_before(body, indent_len, i) => {
                    Some((b":  ", "全角冒号", "键和值之间要用半角冒号加空格“: ”"))
                }
                '\u{3000}' if prev == Some(':') => Some((b"   ", "全角空格", "冒号后面要用半角空格")),
                '［' if node_start => Some((b"[  ", "全角方括号", "列表要用半角方括号“[ ]”")),
                '］' if flow_depth > 0 => Some((b"  ]", "全角方括号", "列表要用半角方括号“[ ]”")),
                _ => None,
            };
            if let Some((ascii, name, how)) = fix {
                out[start + i..start + i + 3].copy_from_slice(ascii);
                match c {
                    '［' => flow_depth += 1,
                    '］' => flow_depth = flow_depth.saturating_sub(1),
                    _ => {}
                }
                let shown = if c == '\u{3000}' { "　".to_string() } else { c.to_string() };
                // One hint per character and line, counting the others.
                let same = format!("第 {line_no} 行用了{name}“{shown}”");
                if let Some(h) = hints.iter_mut().find(|h: &&mut Diagnostic| h.message.starts_with(&same)) {
                    let n = h.secondary.len() + 2;
                    h.message = format!("{same}（共 {n} 处），已按半角读取");
                    h.secondary.push((span(i, i + c.len_utf8()), String::new()));
                    prev = Some(ascii[0] as char);
                    node_start = matches!(ascii[0], b',' | b':' | b'[');
                    continue;
                }
                hints.push(
                    Diagnostic::new(codes::TYPING_READ, format!("第 {line_no} 行用了{name}“{shown}”，已按半角读取"))
                        .at(span(i, i + c.len_utf8()), name.to_string())
                        .note(format!("{how}；请关闭输入法的全角模式后改正（别的软件可能读不懂这一行）")),
                );
                prev = Some(ascii[0] as char);
                node_start = matches!(ascii[0], b',' | b':' | b'[');
                continue;
            }
            node_start = match c {
                ' ' | '\t' => node_start || matches!(prev, Some(':' | '-' | ',' | '[' | '{')),
                '[' | '{' | ',' => true,
                '-' => prev.is_none() && next.is_none_or(|n| n == ' '),
                _ => false,
            };
            if c == ' ' && prev == Some(':') {
                node_start = true;
            }
            prev = Some(c);
        }
        if items_seen_spaced {
            for &i in &thousands {
                out[start + i] = b' ';
                let number: String = body[..i]
                    .chars()
                    .rev()
                    .take_while(char::is_ascii_digit)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .chain(body[i + 1..].chars().take_while(|c| c.is_ascii_digit() || *c == ','))
                    .filter(char::is_ascii_digit)
                    .collect();
                hints.push(
                    Diagnostic::new(
                        codes::TYPING_READ,
                        format!("第 {line_no} 行列表里的“,”像是千位分隔符，已按一个数 {number} 读取"),
                    )
                    .at(span(i, i + 1), "这里没有空格，其余的数之间有")
                    .note(format!(
                        "列表里逗号用来分隔各列；一个数不要写千位分隔符，请写成 {number}（如果这里其实是两列，请在逗号后加空格）"
                    )),
                );
            }
        }
        // A block scalar starts after `key: |` or `- >-`.
        let code = strip_comment(rest).trim_end();
        let opens_block = code
            .rsplit_once([' ', '\t'])
            .map_or(code, |(_, last)| last)
            .trim_start_matches(['|', '>'])
            .chars()
            .all(|c| matches!(c, '+' | '-' | '1'..='9'))
            && code.rsplit([' ', '\t']).next().is_some_and(|l| l.starts_with(['|', '>']))
            && (code.contains(": ") || code.starts_with("- ") || code.starts_with(['|', '>']));
        if opens_block {
            block = Some(spaces);
        }
    }
    Scan { text: String::from_utf8(out).unwrap_or_else(|_| text.to_string()), hints, errors }
}

fn blank_item(span: Span, line: usize) -> Diagnostic {
    Diagnostic::new(codes::BLANK, format!("第 {line} 行的列表里有空白的一项"))
        .at(span, "空白不等于 0")
        .note("空白不等于 0，没有数据请填 0")
}

/// Whether a full-width colon at `at` ends a key: an ASCII key name right
/// before it, at the start of the line (after `- `) or of a flow map entry,
/// and no ASCII `: ` earlier on the line.
fn is_key_before(body: &str, indent: usize, at: usize) -> bool {
    let before = &body[indent..at];
    // In a flow map only the entry itself counts: `{a: 1, upheld：0}`.
    let entry = before.rsplit(['{', ',']).next().unwrap_or_default();
    let in_flow = entry.len() < before.len();
    if entry.contains(": ") || !in_flow && before.contains(": ") {
        return false;
    }
    let key = entry.trim_start().trim_start_matches("- ");
    !key.is_empty()
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && key.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
}

fn strip_comment(s: &str) -> &str {
    let mut prev = ' ';
    let mut quote = None;
    for (i, c) in s.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && (prev == ' ' || prev == '\t') => return &s[..i],
            None => {}
        }
        prev = c;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(t: &str) -> Scan {
        scan(FileId(0), t)
    }

    #[test]
    fn repairs_keep_offsets() {
        let s = run("a: [821，35，0]\nupheld：3\n");
        assert_eq!(s.text.len(), "a: [821，35，0]\nupheld：3\n".len());
        assert!(s.text.starts_with("a: [821,  35,  0]\nupheld:  3"));
        assert_eq!(s.hints.len(), 2);
        assert!(s.errors.is_empty());
    }

    #[test]
    fn blank_items_become_null() {
        let s = run("new: [821, 35, , , 2, 1, 859]\n");
        assert_eq!(s.text, "new: [821, 35,~,~, 2, 1, 859]\n");
        let s = run("new: [821,,2]\n");
        assert_eq!(s.errors.len(), 1);
    }

    #[test]
    fn thousands_separators_join_when_other_items_are_spaced() {
        let s = run("new: [1,821, 35, 0]\n");
        assert_eq!(s.text, "new: [1 821, 35, 0]\n");
        assert_eq!(s.hints.len(), 1);
        let s = run("new: [1,821,35]\n");
        assert_eq!(s.text, "new: [1,821,35]\n");
    }

    #[test]
    fn indentation_tab_and_tags() {
        assert_eq!(run("a:\n\tb: 1\n").errors.len(), 1);
        assert_eq!(run("a:\n　b: 1\n").errors.len(), 1);
        assert_eq!(run("a: !!python/object x\n").errors.len(), 1);
        assert!(run("a: \"!!x\"\nb: 好!\n").errors.is_empty());
    }

    #[test]
    fn block_scalars_and_prose_are_left_alone() {
        let s = run("overview: |\n  本机关：\n  一是，二是\n  [x，y]\nb: 总体情况：好，很好\n");
        assert!(s.errors.is_empty(), "{:?}", s.errors.iter().map(|d| &d.message).collect::<Vec<_>>());
        assert!(s.hints.is_empty());
    }
}
