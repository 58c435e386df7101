//! The text of one table section cut into cells ("tokens").
//!
//! Copied tables reach us in three shapes (formats.md §6.9):
//! * one cell per line, each cell line starting with a tab; lines without
//!   a tab continue the cell above (labels broken over lines, vertical
//!   text); a blank line before a cell starts a new table row;
//! * cells separated by lines holding only `|` (no row boundaries);
//! * markdown tables, one row per line, with padding cells left over from
//!   merged cells.
//!
//! Text without tabs or pipes is read one cell per line.

use super::normalize::{CellText, cell_text};

/// A label broken over lines is joined up to this length (bytes).
const MAX_LABEL_BYTES: usize = 400;

#[derive(Debug, Clone)]
pub struct Tok {
    /// The cell's text as published (continuation lines joined by `\n`).
    pub text: String,
    /// The table row the cell is in, when the layout says so.
    pub row: Option<usize>,
    /// The line (index into the section's lines) the cell starts on.
    pub line: usize,
}

impl Tok {
    pub fn kind(&self) -> CellText {
        cell_text(&self.text)
    }

    pub fn is_label(&self) -> bool {
        self.kind() == CellText::Text
    }
}

#[derive(Debug, Default)]
pub struct Tokens {
    pub toks: Vec<Tok>,
    /// Empty cells at the ends of a row are layout padding (markdown), not
    /// blank data cells.
    pub padded: bool,
    /// Every cell is delimited (pipe rows, blank-line separated cells): no
    /// cell is lost inside a row, so a row cut by the end of the text holds
    /// its first cells.
    pub delimited: bool,
    /// The text ends in this section (the document was cut here).
    pub ends_document: bool,
    /// Line index (0-based, in the whole text) of the section's first line.
    pub first_line: usize,
}

impl Tokens {
    /// The 1-based line of the whole text that cell `k` starts on.
    pub fn line_of(&self, k: usize) -> Option<usize> {
        self.toks.get(k).map(|t| self.first_line + t.line + 1)
    }
}

/// Cut the lines of one table section into cells.
pub fn tokenize(lines: &[&str]) -> Tokens {
    let non_empty = lines.iter().filter(|l| !l.trim().is_empty()).count();
    let markdown = lines.iter().filter(|l| is_markdown_row(l)).count();
    if markdown > 0 && markdown * 2 >= non_empty {
        return Tokens { toks: markdown_cells(lines), padded: true, ..Tokens::default() };
    }
    let tabbed = lines.iter().any(|l| l.starts_with('\t'));
    let piped = lines.iter().filter(|l| is_pipe_terminated(l)).count();
    if !tabbed && piped > 0 && piped * 3 >= non_empty {
        return Tokens { toks: pipe_rows(lines), delimited: true, ..Tokens::default() };
    }
    if !tabbed && piped == 0 && is_blank_separated(lines) {
        return Tokens { toks: blank_separated(lines), delimited: true, ..Tokens::default() };
    }
    if lines.iter().any(|l| l.trim() == "|") {
        return Tokens { toks: pipe_cells(lines), ..Tokens::default() };
    }
    Tokens { toks: line_cells(lines), ..Tokens::default() }
}

/// A line of text whose cells are ended by `|` (`规章 | 0 | 0 |`, `0 |`,
/// `规章 | |||`), not starting with one (markdown) and not only pipes.
fn is_pipe_terminated(line: &str) -> bool {
    let t = line.trim();
    t.contains('|') && !t.starts_with('|') && !is_pipe_only(t)
}

/// A line holding only pipes (`|`, `||`, `||||`): a separator between rows
/// or around a caption, holding no cell.
fn is_pipe_only(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && t.chars().all(|c| c == '|' || c.is_whitespace())
}

/// Cells separated by blank lines (a web copy where each cell is a
/// paragraph): most text lines are followed by a blank line.
fn is_blank_separated(lines: &[&str]) -> bool {
    let mut text = 0;
    let mut followed = 0;
    for (i, l) in lines.iter().enumerate() {
        if l.trim().is_empty() {
            continue;
        }
        text += 1;
        if lines.get(i + 1).is_some_and(|n| n.trim().is_empty()) {
            followed += 1;
        }
    }
    text >= 4 && followed * 10 >= text * 7
}

/// One table row per line, each cell ended by a pipe: every `|` closes a
/// cell (so `规章 | |||` is the label and three empty cells, `0 |` one cell);
/// text after the last pipe is a cell too. Lines of pipes only separate rows.
/// A line without pipes is one cell of its own row.
fn pipe_rows(lines: &[&str]) -> Vec<Tok> {
    let mut out = Vec::new();
    for (row, line) in lines.iter().enumerate() {
        let t = line.trim();
        if t.is_empty() || is_pipe_only(t) {
            continue;
        }
        let mut parts: Vec<&str> = t.split('|').collect();
        if parts.len() > 1 && parts.last().is_some_and(|p| p.trim().is_empty()) {
            parts.pop();
        }
        out.extend(parts.iter().map(|c| Tok { text: c.trim().to_string(), row: Some(row), line: row }));
    }
    out
}

/// Cells separated by blank lines: a filled cell is followed by one blank
/// line, and each further blank line is an empty cell (the page's empty
/// paragraph). Text lines not separated by a blank line are one cell (a
/// label broken over lines).
fn blank_separated(lines: &[&str]) -> Vec<Tok> {
    let mut out: Vec<Tok> = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    let mut cur_line = 0;
    let mut blanks = 0usize;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        if t.is_empty() {
            blanks += 1;
            continue;
        }
        if !cur.is_empty() && blanks > 0 {
            out.push(Tok { text: cur.join("\n"), row: None, line: cur_line });
            cur.clear();
            out.extend((1..blanks).map(|b| Tok { text: String::new(), row: None, line: i - blanks + b }));
        }
        if cur.is_empty() {
            cur_line = i;
        }
        blanks = 0;
        cur.push(t);
    }
    if !cur.is_empty() {
        out.push(Tok { text: cur.join("\n"), row: None, line: cur_line });
    }
    out
}

fn is_markdown_row(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|') && t.len() > 1 && t.matches('|').count() >= 2
}

fn is_separator_row(cells: &[&str]) -> bool {
    cells.iter().all(|c| c.trim().chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
        && cells.iter().any(|c| c.contains('-'))
}

fn markdown_cells(lines: &[&str]) -> Vec<Tok> {
    let mut out = Vec::new();
    for (row, line) in lines.iter().enumerate() {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if !is_markdown_row(t) {
            out.push(Tok { text: t.to_string(), row: Some(row), line: row });
            continue;
        }
        let inner = t.strip_prefix('|').unwrap_or(t);
        let inner = inner.strip_suffix('|').unwrap_or(inner);
        let cells: Vec<&str> = inner.split('|').collect();
        if is_separator_row(&cells) {
            continue;
        }
        out.extend(cells.iter().map(|c| Tok { text: c.trim().to_string(), row: Some(row), line: row }));
    }
    out
}

fn pipe_cells(lines: &[&str]) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    let mut started = false;
    let mut cur_line = 0;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        if t == "|" {
            out.push(Tok { text: cur.join("\n"), row: None, line: cur_line });
            cur.clear();
            started = true;
            cur_line = i + 1;
        } else if !t.is_empty() {
            if cur.is_empty() {
                cur_line = i;
            }
            cur.push(t);
        }
    }
    if !cur.is_empty() || !started {
        out.push(Tok { text: cur.join("\n"), row: None, line: cur_line });
    }
    // A leading empty chunk (text starting with `|`) is not a cell.
    if out.first().is_some_and(|t| t.text.is_empty())
        && lines.iter().find(|l| !l.trim().is_empty()).is_some_and(|l| l.trim() == "|")
    {
        out.remove(0);
    }
    out
}

/// One cell per tab-started line (Word/web copies), or per line when the
/// text has no tabs at all.
fn line_cells(lines: &[&str]) -> Vec<Tok> {
    let tabbed = lines.iter().any(|l| l.starts_with('\t'));
    let mut out: Vec<Tok> = Vec::new();
    let mut row = 0usize;
    let mut blank_before = false;
    // Whether the last token may still grow by continuation lines.
    let mut open = false;
    for (i, line) in lines.iter().enumerate() {
        // A line holding only a tab is an empty cell, not a blank line.
        if line.trim().is_empty() && !line.starts_with('\t') {
            blank_before = true;
            continue;
        }
        if let Some(rest) = line.strip_prefix('\t') {
            if blank_before {
                row += 1;
            }
            blank_before = false;
            if rest.trim_end().contains('\t') {
                // A whole row on one line (spreadsheet copy).
                row += 1;
                out.extend(rest.trim_end().split('\t').map(|c| Tok {
                    text: c.trim().to_string(),
                    row: Some(row),
                    line: i,
                }));
                row += 1;
                open = false;
            } else {
                out.push(Tok { text: rest.trim().to_string(), row: Some(row), line: i });
                open = true;
            }
            continue;
        }
        let t = line.trim();
        // Only a short label grows: the longest official label is under
        // 100 characters, and classifying an ever-growing cell on every
        // line made long texts quadratic.
        let last_is_label = out.last().is_some_and(|l| l.text.len() <= MAX_LABEL_BYTES && l.is_label());
        if tabbed && open && last_is_label {
            // A label broken over lines, or one character per line.
            let last = out.last_mut().expect("checked above");
            last.text.push('\n');
            last.text.push_str(t);
            blank_before = false;
        } else if line.contains('\t') || t.contains('|') {
            // A whole row on one line: tab- or pipe-separated cells.
            row += 1;
            out.extend(t.split(['\t', '|']).map(|c| Tok { text: c.trim().to_string(), row: Some(row), line: i }));
            row += 1;
            open = false;
        } else {
            row += 1;
            out.push(Tok { text: t.to_string(), row: if tabbed { Some(row) } else { None }, line: i });
            open = tabbed && cell_text(t) == CellText::Text;
            blank_before = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &Tokens) -> Vec<String> {
        t.toks.iter().map(|t| t.text.replace('\n', "")).collect()
    }

    #[test]
    fn tab_cells_with_continuations_and_rows() {
        let lines = ["\t规章", "\t0", "\t1", "", "\t商业", "企业", "\t三", "", "、", "\t（一）予以公开", "\t", "\t5"];
        let t = tokenize(&lines);
        assert_eq!(texts(&t), ["规章", "0", "1", "商业企业", "三、", "（一）予以公开", "", "5"]);
        assert_eq!(t.toks[0].row, t.toks[2].row);
        assert_ne!(t.toks[2].row, t.toks[3].row);
        assert_eq!(t.toks[4].row, t.toks[5].row);
    }

    #[test]
    fn pipe_stream() {
        let lines = ["第二十条第(一)项", "|", "信息内容", "|", "商业", "企业", "|", "0", "|", "|", "6", "|"];
        let t = tokenize(&lines);
        assert_eq!(texts(&t), ["第二十条第(一)项", "信息内容", "商业企业", "0", "", "6"]);
        assert!(t.toks.iter().all(|t| t.row.is_none()));
    }

    #[test]
    fn pipe_separated_rows_on_one_line() {
        let t = tokenize(&["规章 | 0 | 1 | 2", "行政规范性文件|3|4|5"]);
        assert_eq!(texts(&t), ["规章", "0", "1", "2", "行政规范性文件", "3", "4", "5"]);
        assert_ne!(t.toks[3].row, t.toks[4].row);
    }

    #[test]
    fn markdown_rows_skip_separators() {
        let lines = ["| 规章 | 0 | 0 | 0 |", "|---|---|---|---|", "| 行政许可 | 0 | | |"];
        let t = tokenize(&lines);
        assert!(t.padded);
        assert_eq!(texts(&t), ["规章", "0", "0", "0", "行政许可", "0", "", ""]);
        assert_ne!(t.toks[0].row, t.toks[4].row);
    }
}
