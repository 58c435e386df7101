//! YAML into a located node tree. Cells are keyed by the table templates, so
//! the loader walks this tree instead of deserialising typed structs: every
//! node keeps the exact place it came from, and numbers keep the text the
//! author wrote (money is never passed through a binary float).

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Budget, Location, Spanned};

use crate::diag::{Diagnostic, codes};
use crate::source::{FileId, SourceFile, Span};

/// Largest data file gxgen reads. A report is a few kilobytes.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum Value {
    Null,
    Bool(bool),
    /// A number as written (plain scalar), e.g. `12`, `-3`, `0.125`.
    Number(String),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

#[derive(Debug, Clone)]
pub struct Key {
    pub name: String,
    pub span: Span,
}

impl Node {
    /// Fill what `self` (a report) does not write from `defaults` (a
    /// workspace's shared settings), map by map. Filled nodes keep their own
    /// places, so a problem in a default points at the workspace file.
    pub fn merge_defaults(&mut self, defaults: &Node) {
        let (Value::Map(mine), Value::Map(theirs)) = (&mut self.value, &defaults.value) else { return };
        for (k, v) in theirs {
            match mine.iter_mut().find(|(mk, _)| mk.name == k.name) {
                Some((_, existing)) => existing.merge_defaults(v),
                None => mine.push((k.clone(), v.clone())),
            }
        }
    }

    pub fn as_map(&self) -> Option<&[(Key, Node)]> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?.iter().find(|(k, _)| k.name == key).map(|(_, v)| v)
    }

    /// Chinese name of the node's type, for messages.
    pub fn type_name(&self) -> &'static str {
        match &self.value {
            Value::Null => "空值",
            Value::Bool(_) => "布尔值",
            Value::Number(_) => "数字",
            Value::Str(_) => "文字",
            Value::Seq(_) => "列表",
            Value::Map(_) => "键值表",
        }
    }

    /// The scalar as text (numbers as written), if it is one.
    pub fn scalar_text(&self) -> Option<&str> {
        match &self.value {
            Value::Number(s) | Value::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// The node tree as serde-saphyr hands it over, before spans are mapped to
/// our files.
enum Raw {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Raw>>),
    Map(Vec<(Spanned<String>, Spanned<Raw>)>),
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Raw;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a YAML value")
            }
            fn visit_unit<E>(self) -> Result<Raw, E> {
                Ok(Raw::Null)
            }
            fn visit_none<E>(self) -> Result<Raw, E> {
                Ok(Raw::Null)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
                Ok(Raw::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Raw, E> {
                Ok(Raw::Int(v.into()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Raw, E> {
                Ok(Raw::Int(v.into()))
            }
            fn visit_i128<E>(self, v: i128) -> Result<Raw, E> {
                Ok(Raw::Int(v))
            }
            fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<Raw, E> {
                i128::try_from(v).map(Raw::Int).map_err(|_| E::custom("number too large"))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Raw, E> {
                Ok(Raw::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
                Ok(Raw::Str(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<Raw, E> {
                Ok(Raw::Str(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Raw, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = a.next_element::<Spanned<Raw>>()? {
                    v.push(x);
                }
                Ok(Raw::Seq(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Raw, A::Error> {
                let mut v = Vec::new();
                while let Some(k) = a.next_key::<Spanned<String>>()? {
                    let val = a.next_value::<Spanned<Raw>>()?;
                    v.push((k, val));
                }
                Ok(Raw::Map(v))
            }
        }
        d.deserialize_any(V)
    }
}

fn options() -> serde_saphyr::Options {
    let mut budget = Budget::default();
    budget.max_events = 200_000;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    budget.max_depth = 32;
    budget.max_nodes = 100_000;
    budget.max_total_scalar_bytes = MAX_FILE_BYTES;
    serde_saphyr::options! { budget: Some(budget) }
}

/// Parse one YAML source into a node tree, or one diagnostic saying why not.
pub fn parse(file: FileId, source: &SourceFile) -> Result<Node, Diagnostic> {
    parse_with_hints(file, source).map(|(n, _)| n)
}

/// Parse one YAML source, first repairing the typing habits that have one
/// sure reading (`super::habits`): the node tree and the warnings saying what
/// was read as meant, or the first diagnostic that stops the parse.
pub fn parse_with_hints(file: FileId, source: &SourceFile) -> Result<(Node, Vec<Diagnostic>), Diagnostic> {
    let scan = super::habits::scan(file, &source.text);
    if let Some(first) = scan.errors.into_iter().next() {
        return Err(first);
    }
    let text = scan.text.as_str();
    let raw: Spanned<Raw> =
        serde_saphyr::from_str_with_options(text, options()).map_err(|e| yaml_error(file, source, &e))?;
    let node = convert(file, source, raw);
    if matches!(node.value, Value::Null) {
        return Err(Diagnostic::new(codes::EMPTY_FILE, "数据文件是空的")
            .at(Span::new(file, 0, 0), "这里没有任何数据")
            .note("用 `gxgen new --year 年度 --agency 机关全称` 生成一份完整的数据文件骨架"));
    }
    Ok((node, scan.hints))
}

fn span_of(file: FileId, source: &SourceFile, loc: &Location) -> Span {
    let s = loc.span();
    match (s.byte_offset(), s.byte_len()) {
        (Some(o), Some(l)) if (o + l) as usize <= source.text.len() => Span::new(file, o as usize, (o + l) as usize),
        _ => {
            // Fall back to line and column (characters).
            let line = (loc.line() as usize).saturating_sub(1);
            let start = source.line_starts().get(line).copied().unwrap_or(source.text.len());
            let col = (loc.column() as usize).saturating_sub(1);
            let off = source.text[start..].char_indices().nth(col).map_or(source.text.len(), |(i, _)| start + i);
            Span::new(file, off, off)
        }
    }
}

fn convert(file: FileId, source: &SourceFile, raw: Spanned<Raw>) -> Node {
    let span = span_of(file, source, &raw.referenced);
    let value = match raw.value {
        Raw::Null => Value::Null,
        Raw::Bool(b) => Value::Bool(b),
        Raw::Int(i) => {
            // Decimal digits as written ("012" is twelve); 0x1F, 0o17, 0b11
            // and 1_000 stay text, so that the cell that holds them says so.
            let def = span_of(file, source, &raw.defined);
            let written = source.text.get(def.start..def.end).unwrap_or_default().trim();
            let digits = written.trim_start_matches(['+', '-']);
            if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                Value::Number(written.trim_start_matches('+').to_string())
            } else if written.is_empty() || written.starts_with('*') {
                Value::Number(i.to_string())
            } else {
                Value::Str(written.to_string())
            }
        }
        Raw::Float(f) => {
            // Keep the digits as written where the source has them.
            let def = span_of(file, source, &raw.defined);
            let written = source.text[def.start..def.end].trim();
            if written.parse::<f64>().is_ok_and(|w| w == f) {
                Value::Number(written.trim_start_matches('+').to_string())
            } else {
                Value::Number(f.to_string())
            }
        }
        Raw::Str(s) => Value::Str(s),
        Raw::Seq(items) => Value::Seq(items.into_iter().map(|i| convert(file, source, i)).collect()),
        Raw::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| {
                    let key = Key { span: span_of(file, source, &k.referenced), name: k.value };
                    (key, convert(file, source, v))
                })
                .collect(),
        ),
    };
    Node { value, span }
}

fn yaml_error(file: FileId, source: &SourceFile, e: &serde_saphyr::Error) -> Diagnostic {
    use serde_saphyr::Error as E;
    let mut inner = e;
    while let E::WithSnippet { error, .. } = inner {
        inner = error;
    }
    let span = e.location().map(|l| span_of(file, source, &l)).unwrap_or(Span::new(file, 0, 0));
    let detail = detail_text(inner).replace(", set DuplicateKeyPolicy in Options if acceptable", "");
    // Budget breaches raised inside nested values reach us as messages.
    let over_budget = detail.contains("budget breached") || detail.contains("alias") && detail.contains("limit");
    match inner {
        _ if over_budget => limit_error(span, &detail),
        E::DuplicateMappingKey { .. } => Diagnostic::new(codes::DUPLICATE_KEY, "同一个键写了两次")
            .at(span, "这个键在上面已经出现过")
            .note("YAML 中同一层级的键不能重复；删除或合并其中一处")
            .note(format!("解析器原文：{detail}")),
        E::Budget { .. }
        | E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. }
        | E::AliasReplayCounterOverflow { .. } => limit_error(span, &detail),
        _ => Diagnostic::new(codes::YAML_SYNTAX, "YAML 语法错误")
            .at(span, "这里无法解析")
            .note("常见原因：冒号后缺少空格、缩进不一致、括号或引号没有配对、用了全角冒号“：”代替半角“:”")
            .note(format!("解析器原文：{detail}")),
    }
}

fn limit_error(span: Span, detail: &str) -> Diagnostic {
    Diagnostic::new(codes::YAML_LIMIT, "数据文件超出了安全限制（嵌套过深、节点或别名过多）")
        .at(span, "在这里超出限制")
        .note("年度报告的数据文件只有几百个数值；请不要使用大量锚点/别名（&、*）或深层嵌套")
        .note(format!("解析器原文：{detail}"))
}

/// The library's message without its own location prefix and snippet.
fn detail_text(e: &serde_saphyr::Error) -> String {
    let full = e.to_string();
    let first = full.lines().next().unwrap_or_default();
    match first.split_once(": ") {
        Some((prefix, rest)) if prefix.starts_with("line ") || prefix.starts_with("error") => {
            rest.split_once(": ").filter(|(p, _)| p.starts_with("line ")).map_or(rest, |(_, r)| r).to_string()
        }
        _ => first.to_string(),
    }
}
