//! Narrative: first a Tera template over the report's data (so figures in
//! the text come from the tables and cannot drift), then markdown parsed by
//! comrak with CJK-friendly emphasis into blocks of the document model. Raw
//! HTML is kept as text; links keep only safe schemes; images keep their
//! alt text (no external requests).

use comrak::nodes::{AstNode, ListType, NodeValue};
use comrak::{Arena, Options, parse_document};
use serde::Serialize;

use super::grid::Grid;
use crate::diag::{Diagnostic, codes};
use crate::model::Narrative;
use crate::source::{Sources, Span};

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    Paragraph {
        inlines: Vec<Inline>,
    },
    Heading {
        level: u8,
        inlines: Vec<Inline>,
    },
    List {
        ordered: bool,
        start: usize,
        items: Vec<Vec<Block>>,
    },
    Quote {
        blocks: Vec<Block>,
    },
    Code {
        text: String,
    },
    Rule,
    /// A table written in the narrative (markdown), not a mandated one.
    TextTable {
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    /// A mandated table.
    Table {
        grid: Grid,
    },
}

#[allow(non_snake_case)]
impl Block {
    pub fn Paragraph(inlines: Vec<Inline>) -> Block {
        Block::Paragraph { inlines }
    }
    pub fn Table(grid: Grid) -> Block {
        Block::Table { grid }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Inline {
    Text {
        text: String,
    },
    Strong {
        inlines: Vec<Inline>,
    },
    Emph {
        inlines: Vec<Inline>,
    },
    Strike {
        inlines: Vec<Inline>,
    },
    Code {
        text: String,
    },
    Link {
        url: String,
        inlines: Vec<Inline>,
    },
    Break,
    /// A line break inside a paragraph; resolved before the model is built.
    #[serde(skip)]
    SoftBreak,
}

#[allow(non_snake_case)]
impl Inline {
    pub fn Text(text: impl Into<String>) -> Inline {
        Inline::Text { text: text.into() }
    }
}

/// Render one narrative section into blocks.
pub fn render(n: &Narrative, ctx: &serde_json::Value, sources: &Sources) -> Result<Vec<Block>, Diagnostic> {
    let text = expand(n, ctx, sources)?;
    markdown_checked(&text).map_err(|line| too_deep(n, &text, line, sources))
}

// ------------------------------------------------------------ nesting

/// The deepest a narrative may nest: lists, block quotes, and emphasis and
/// links inside one another, counted together along one path. Found by
/// `check` (composing is part of it), so every renderer sees a document
/// within it: the built-in PDF template fails at 16 nested lists and 32
/// nested quotes (typst's show-rule depth, 64) and at about 40 nested
/// emphases (its call depth); the conversion below recurses once per level.
/// Real reports nest two or three levels.
pub const MAX_NESTING: usize = 10;

/// The 1-based line of the first place nested deeper than [`MAX_NESTING`],
/// found without recursion (comrak's parser does not recurse per level).
fn too_deep_line<'a>(root: &'a AstNode<'a>) -> Option<usize> {
    use comrak::arena_tree::NodeEdge;
    let counts = |n: &AstNode<'_>| {
        matches!(
            n.data.borrow().value,
            NodeValue::List(_)
                | NodeValue::BlockQuote
                | NodeValue::Emph
                | NodeValue::Strong
                | NodeValue::Strikethrough
                | NodeValue::Link(_)
                | NodeValue::Image(_)
        )
    };
    let mut depth = 0usize;
    for edge in root.traverse() {
        match edge {
            NodeEdge::Start(n) if counts(n) => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(n.data.borrow().sourcepos.start.line.max(1));
                }
            }
            NodeEdge::End(n) if counts(n) => depth -= 1,
            _ => {}
        }
    }
    None
}

fn too_deep(n: &Narrative, text: &str, line: usize, sources: &Sources) -> Diagnostic {
    let mut d = Diagnostic::new(
        codes::NESTING,
        format!("正文嵌套过深（narrative.{}）：列表、引用、加粗等套叠超过 {MAX_NESTING} 层", n.section),
    );
    // The line in the file when the text is the file's, unexpanded.
    let offset = text.split_inclusive('\n').take(line - 1).map(str::len).sum::<usize>();
    let len = sources.get(n.file).text.len();
    if !n.inline && text == n.text && n.span.start + offset <= len {
        let start = n.span.start + offset;
        let end = start + text[offset..].find('\n').unwrap_or(text.len() - offset);
        d = d.at(Span::new(n.file, start, end.min(len)), format!("这里已是第 {} 层", MAX_NESTING + 1));
    } else {
        d = d.at(n.reference, format!("这段正文的第 {line} 行"));
    }
    d.note("把多层列表或引用改写成段落，或减少层数；年度报告一般不超过三层")
}

// ---------------------------------------------------------------- Tera

/// Code spans and fenced code are shown as written: wrap them in
/// `{% raw %}` so that `{{` there is not a template. Returns the template
/// source and the insertions made (position in the template, length).
fn protect_code(text: &str) -> (String, Vec<(usize, usize)>) {
    const OPEN: &str = "{% raw %}";
    const CLOSE: &str = "{% endraw %}";
    let mut out = String::with_capacity(text.len() + 64);
    let mut inserts = Vec::new();
    let push_marker = |out: &mut String, m: &str, inserts: &mut Vec<(usize, usize)>| {
        inserts.push((out.len(), m.len()));
        out.push_str(m);
    };
    let mut lines = text.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        let t = line.trim_start_matches(' ');
        let fence = ["```", "~~~"].into_iter().find(|f| t.starts_with(f) && line.len() - t.len() <= 3);
        if let Some(f) = fence {
            push_marker(&mut out, OPEN, &mut inserts);
            out.push_str(line);
            for inner in lines.by_ref() {
                out.push_str(inner);
                if inner.trim_start().starts_with(f) {
                    break;
                }
            }
            push_marker(&mut out, CLOSE, &mut inserts);
            continue;
        }
        // Inline code spans: a run of backticks up to the same run.
        let b = line.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'`' {
                let run = b[i..].iter().take_while(|&&c| c == b'`').count();
                let ticks = &line[i..i + run];
                let close = line[i + run..].find(ticks).map(|p| i + run + p);
                if let Some(end) = close.filter(|&e| !line[e + run..].starts_with('`')) {
                    push_marker(&mut out, OPEN, &mut inserts);
                    out.push_str(&line[i..end + run]);
                    push_marker(&mut out, CLOSE, &mut inserts);
                    i = end + run;
                    continue;
                }
                out.push_str(ticks);
                i += run;
                continue;
            }
            let ch = line[i..].chars().next().expect("char");
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    (out, inserts)
}

/// Map an offset in the template source back to the narrative text.
fn original_offset(pos: usize, inserts: &[(usize, usize)]) -> usize {
    let shift: usize = inserts.iter().filter(|(p, _)| *p < pos).map(|(p, l)| (*l).min(pos - p)).sum();
    pos - shift
}

fn expand(n: &Narrative, ctx: &serde_json::Value, sources: &Sources) -> Result<String, Diagnostic> {
    if !n.text.contains("{{") && !n.text.contains("{%") && !n.text.contains("{#") {
        return Ok(n.text.clone());
    }
    let (src, inserts) = protect_code(&n.text);
    let context = tera::Context::from_serialize(ctx).unwrap_or_default();
    let tera = tera::Tera::default();
    tera.render_str(&src, &context, false).map_err(|e| template_error(n, &e, &inserts, sources))
}

fn template_error(n: &Narrative, e: &tera::Error, inserts: &[(usize, usize)], sources: &Sources) -> Diagnostic {
    let (report, syntax) = match e.kind() {
        tera::ErrorKind::SyntaxError(r) => (Some(r.as_ref()), true),
        tera::ErrorKind::RenderingError(r) => (Some(r.as_ref()), false),
        _ => (None, false),
    };
    let detail = report.map_or_else(|| e.to_string(), |r| r.message().to_string());
    let (code, what) = if syntax {
        (codes::TEMPLATE_SYNTAX, "正文中的模板语法有误")
    } else if detail.contains("not defined") {
        (codes::TEMPLATE_VARIABLE, "正文引用了不存在的数据")
    } else {
        (codes::TEMPLATE_VARIABLE, "正文中的模板无法展开")
    };
    let section = n.section.as_str();
    let mut d = Diagnostic::new(code, format!("{what}（narrative.{section}）"));
    let span = report.map(|r| r.span().range.clone());
    match span {
        Some(range) if !n.inline => {
            let start = n.span.start + original_offset(range.start, inserts);
            let end = n.span.start + original_offset(range.end.max(range.start), inserts);
            let len = sources.get(n.file).text.len();
            d = d.at(Span::new(n.file, start.min(len), end.min(len)), "这里");
        }
        Some(range) => {
            let line = n.text[..original_offset(range.start, inserts).min(n.text.len())].matches('\n').count() + 1;
            d = d.at(n.reference, format!("这段正文的第 {line} 行"));
        }
        None => d = d.at(n.reference, "这段正文"),
    }
    if let Some(s) = suggestion(&detail) {
        d = d.note(format!("是不是想写“{s}”？"));
    }
    match chinese_detail(&detail) {
        Some(zh) => d = d.note(zh),
        None => d = d.note(format!("模板引擎原文：{detail}")),
    }
    d.note("数据用 {{ 键 }} 引用，例如 {{ applications.new.total }}；可用的键见用户手册“数据文件参考”")
        .note("要原样写出 {{ 时，把它放进反引号代码中：`{{`")
}

/// The template engine's "Field `totl` is not defined. Available fields:
/// a, total" (or "Variable …"), said in Chinese.
fn chinese_detail(detail: &str) -> Option<String> {
    let name = detail.split('`').nth(1)?;
    let what = if detail.starts_with("Field") {
        "这一层没有"
    } else if detail.starts_with("Variable") {
        "没有叫这个名字的数据"
    } else {
        return None;
    };
    let avail = detail.split_once("Available ")?.1.split_once(':')?.1;
    let list: Vec<&str> = avail.split(',').map(|s| s.trim().trim_end_matches('.')).filter(|s| !s.is_empty()).collect();
    Some(format!("“{name}”：{what}；这里可以写：{}", list.join("、")))
}

/// From "Field `totl` is not defined. Available fields: a, total", the
/// closest available name.
fn suggestion(detail: &str) -> Option<String> {
    let name = detail.split('`').nth(1)?;
    let (_, avail) = detail.split_once("Available ")?;
    let list: Vec<String> =
        avail.split_once(':')?.1.split(',').map(|s| s.trim().trim_end_matches('.').to_string()).collect();
    crate::diag::did_you_mean(name, &list).map(str::to_string)
}

// ------------------------------------------------------------ markdown

fn options() -> Options<'static> {
    let mut o = Options::default();
    o.extension.table = true;
    o.extension.strikethrough = true;
    o.extension.cjk_friendly_emphasis = true;
    o
}

#[cfg(test)]
fn markdown(text: &str) -> Vec<Block> {
    markdown_checked(text).expect("nesting within the limit")
}

/// The blocks of a markdown text, or the line where it nests deeper than
/// [`MAX_NESTING`].
fn markdown_checked(text: &str) -> Result<Vec<Block>, usize> {
    let arena = Arena::new();
    let prose = chinese_lines(text);
    let root = parse_document(&arena, &prose, &options());
    match too_deep_line(root) {
        // The line in the text as written: chinese_lines may add lines, and
        // nests nothing, so the text as written nests as deep.
        Some(line) => Err(too_deep_line(parse_document(&arena, text, &options())).unwrap_or(line)),
        None => Ok(blocks(root)),
    }
}

/// Chinese prose as Word and web pages give it, made markdown:
///
/// - A line that ends a sentence (。！？； or …… , possibly followed by a
///   closing quote or bracket) and is followed by another line of text ends
///   its paragraph: text pasted one paragraph per line keeps its
///   paragraphs. A line broken in the middle of a sentence (hard-wrapped
///   text) is still joined to the next, as markdown does.
/// - A standalone short line （一）……, （二）…… or 一是…… without
///   sentence-final punctuation is a subheading (楷体), like `## （一）……`.
///
/// Lines inside fenced code, indented lines and lines that start a
/// markdown construct (#, >, lists, tables) are left as written.
pub fn chinese_lines(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = String::with_capacity(text.len() + 64);
    let mut fence: Option<&str> = None;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_end_matches('\r');
        if let Some(f) = fence {
            if t.trim_start().starts_with(f) {
                fence = None;
            }
            out.push_str(line);
            out.push('\n');
            continue;
        }
        if let Some(f) = ["```", "~~~"].into_iter().find(|f| t.trim_start().starts_with(f)) {
            fence = Some(f);
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let plain = |l: &str| {
            let l = l.trim_end_matches('\r');
            !l.trim().is_empty() && !l.starts_with([' ', '\t']) && !starts_block(l)
        };
        let next_plain = lines.get(i + 1).is_some_and(|n| plain(n));
        let prev_blank = i == 0 || lines[i - 1].trim().is_empty() || ends_sentence(lines[i - 1]);
        if plain(t) && is_subheading(t) && prev_blank {
            out.push_str("\n## ");
            out.push_str(t.trim());
            out.push_str("\n\n");
            continue;
        }
        out.push_str(line);
        out.push('\n');
        if plain(t) && next_plain && ends_sentence(t) {
            out.push('\n');
        }
    }
    if !text.ends_with('\n') {
        out.pop();
    }
    out
}

/// Whether a line of prose ends a sentence.
fn ends_sentence(line: &str) -> bool {
    let t = line.trim_end().trim_end_matches(['”', '’', '）', ')', '」', '』']);
    t.ends_with(['。', '！', '？', '；', '!', '?']) || t.ends_with("……")
}

/// Lines markdown reads as something other than a paragraph line.
fn starts_block(l: &str) -> bool {
    let t = l.trim_start();
    t.starts_with(['#', '>', '|', '-', '*', '+', '<'])
        || t.split_once(['.', ')']).is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// （一）主动公开方面 / 一是加强组织领导: short, numbered, no sentence end.
fn is_subheading(line: &str) -> bool {
    const NUMERALS: &[char] = &['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
    let t = line.trim();
    if t.chars().count() > 30 || ends_sentence(t) || t.ends_with(['，', '：', ':', ',', '、']) {
        return false;
    }
    let numbered = match t.strip_prefix('（').or_else(|| t.strip_prefix('(')) {
        Some(rest) => {
            let n = rest.chars().take_while(|c| NUMERALS.contains(c)).count();
            n > 0 && rest.chars().nth(n).is_some_and(|c| c == '）' || c == ')')
        }
        None => {
            let n = t.chars().take_while(|c| NUMERALS.contains(c)).count();
            n > 0 && t.chars().nth(n) == Some('是')
        }
    };
    numbered && t.chars().count() > 3
}

fn blocks<'a>(node: &'a AstNode<'a>) -> Vec<Block> {
    node.children().filter_map(block).collect()
}

fn block<'a>(node: &'a AstNode<'a>) -> Option<Block> {
    let value = node.data.borrow().value.clone();
    Some(match value {
        NodeValue::Paragraph => Block::Paragraph { inlines: inlines(node) },
        NodeValue::Heading(h) => Block::Heading { level: h.level, inlines: inlines(node) },
        NodeValue::List(l) => Block::List {
            ordered: l.list_type == ListType::Ordered,
            start: l.start,
            items: node.children().map(blocks).collect(),
        },
        NodeValue::BlockQuote => Block::Quote { blocks: blocks(node) },
        NodeValue::CodeBlock(c) => Block::Code { text: c.literal.trim_end_matches('\n').to_string() },
        NodeValue::HtmlBlock(h) if is_comment(&h.literal) => return None,
        NodeValue::HtmlBlock(h) => Block::Paragraph { inlines: vec![Inline::Text(h.literal.trim_end().to_string())] },
        NodeValue::ThematicBreak => Block::Rule,
        NodeValue::Table(_) => {
            let mut rows: Vec<Vec<Vec<Inline>>> =
                node.children().map(|r| r.children().map(inlines).collect()).collect();
            let header = if rows.is_empty() { Vec::new() } else { rows.remove(0) };
            Block::TextTable { header, rows }
        }
        _ => return None,
    })
}

fn inlines<'a>(node: &'a AstNode<'a>) -> Vec<Inline> {
    let mut out = Vec::new();
    for c in node.children() {
        inline(c, &mut out);
    }
    resolve_soft_breaks(merge_text(out))
}

fn inline<'a>(node: &'a AstNode<'a>, out: &mut Vec<Inline>) {
    let value = node.data.borrow().value.clone();
    match value {
        NodeValue::Text(t) => out.push(Inline::Text(t.to_string())),
        NodeValue::SoftBreak => out.push(Inline::SoftBreak),
        NodeValue::LineBreak => out.push(Inline::Break),
        NodeValue::Code(c) => out.push(Inline::Code { text: c.literal }),
        NodeValue::HtmlInline(h) if is_comment(&h) => {}
        NodeValue::HtmlInline(h) => out.push(Inline::Text(h)),
        NodeValue::Emph => out.push(Inline::Emph { inlines: inlines(node) }),
        NodeValue::Strong => out.push(Inline::Strong { inlines: inlines(node) }),
        NodeValue::Strikethrough => out.push(Inline::Strike { inlines: inlines(node) }),
        NodeValue::Link(l) => {
            let children = inlines(node);
            if safe_url(&l.url) {
                out.push(Inline::Link { url: l.url.clone(), inlines: children });
            } else {
                out.extend(children);
            }
        }
        // No external requests: an image is its alt text.
        NodeValue::Image(_) => out.extend(inlines(node)),
        _ => {
            for c in node.children() {
                inline(c, out);
            }
        }
    }
}

/// `<!-- … -->` is an author's note: never printed. Other raw HTML is
/// shown as text.
fn is_comment(html: &str) -> bool {
    let t = html.trim();
    t.starts_with("<!--") && t.ends_with("-->")
}

fn safe_url(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    u.starts_with("http://") || u.starts_with("https://") || u.starts_with("mailto:")
}

fn merge_text(v: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    for i in v {
        if let (Some(Inline::Text { text: prev }), Inline::Text { text }) = (out.last_mut(), &i) {
            prev.push_str(text);
            continue;
        }
        out.push(i);
    }
    out
}

/// Chinese text needs no space where a line breaks inside a paragraph;
/// between two Latin letters or digits it does.
fn resolve_soft_breaks(v: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    let n = v.len();
    for (i, item) in v.iter().enumerate() {
        if *item != Inline::SoftBreak {
            out.push(item.clone());
            continue;
        }
        let before = out.last().and_then(last_char);
        let after = v[i + 1..n].iter().find_map(first_char);
        let space = matches!((before, after), (Some(a), Some(b)) if !wide(a) && !wide(b));
        if space {
            out.push(Inline::Text(" "));
        }
    }
    merge_text(out)
}

fn wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

fn last_char(i: &Inline) -> Option<char> {
    match i {
        Inline::Text { text } | Inline::Code { text } => text.chars().last(),
        Inline::Strong { inlines }
        | Inline::Emph { inlines }
        | Inline::Strike { inlines }
        | Inline::Link { inlines, .. } => inlines.last().and_then(last_char),
        _ => None,
    }
}

fn first_char(i: &Inline) -> Option<char> {
    match i {
        Inline::Text { text } | Inline::Code { text } => text.chars().next(),
        Inline::Strong { inlines }
        | Inline::Emph { inlines }
        | Inline::Strike { inlines }
        | Inline::Link { inlines, .. } => inlines.first().and_then(first_char),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(md: &str) -> Vec<Inline> {
        match markdown(md).remove(0) {
            Block::Paragraph { inlines } => inlines,
            b => panic!("{b:?}"),
        }
    }

    #[test]
    fn chinese_emphasis_is_bold() {
        let p = para("**注意：**正文");
        assert_eq!(p[0], Inline::Strong { inlines: vec![Inline::Text("注意：")] });
        let p = para("这是**“重要”**内容");
        assert_eq!(p[1], Inline::Strong { inlines: vec![Inline::Text("“重要”")] });
    }

    #[test]
    fn line_breaks_join_chinese_without_space() {
        assert_eq!(para("第一行\n第二行"), vec![Inline::Text("第一行第二行")]);
        assert_eq!(para("word\nnext"), vec![Inline::Text("word next")]);
    }

    #[test]
    fn raw_html_is_text() {
        assert_eq!(para("a<script>alert(1)</script>b"), vec![Inline::Text("a<script>alert(1)</script>b")]);
        assert!(
            matches!(&markdown("<div>x</div>")[0], Block::Paragraph { inlines } if inlines[0] == Inline::Text("<div>x</div>"))
        );
    }

    #[test]
    fn comments_are_notes() {
        assert!(markdown("<!-- 待写 -->\n").is_empty());
        assert_eq!(para("甲<!-- 注 -->乙"), vec![Inline::Text("甲乙")]);
    }

    #[test]
    fn unsafe_links_lose_their_target() {
        assert_eq!(para("[点我](javascript:alert(1))"), vec![Inline::Text("点我")]);
        assert!(
            matches!(&para("[网站](https://www.gov.cn)")[0], Inline::Link { url, .. } if url == "https://www.gov.cn")
        );
    }

    #[test]
    fn code_is_protected_from_templates() {
        let (src, ins) = protect_code("a `{{ x }}` b\n```\n{{ y }}\n```\n");
        assert!(src.contains("{% raw %}`{{ x }}`{% endraw %}"), "{src}");
        assert!(src.contains("{% raw %}```\n{{ y }}\n```\n{% endraw %}"), "{src}");
        let pos = src.find(" b").unwrap();
        assert_eq!(original_offset(pos, &ins), "a `{{ x }}`".len());
    }
}
