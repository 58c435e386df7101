//! Diagnostics: what gxgen tells the user about their report. Every
//! diagnostic has a stable code (see `templates/codes.yaml`), a severity, a
//! Chinese message and, where there is one, the place in the source.

pub mod codes;
mod render;

pub use render::{Style, place, render_human, to_json_value};

use crate::source::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A hint worth a look (a heuristic, or a rule the author has
    /// explained away): never fails a check, even with --deny warnings.
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn chinese(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub code: String,
    pub severity: Severity,
    pub message: String,
    /// Where the problem is, with a short label shown under the snippet.
    pub primary: Option<(Span, String)>,
    /// Other places worth showing (e.g. the parts of a sum).
    pub secondary: Vec<(Span, String)>,
    /// Explanations and "what to do next", one per line.
    pub notes: Vec<String>,
    /// The cell the diagnostic is about, by key.
    pub cell: Option<String>,
    /// Every cell the diagnostic involves (for a sum: the total and its parts).
    pub cells: Vec<String>,
    /// For a failed rule: the value the rule expects and the value found.
    pub expected: Option<String>,
    pub actual: Option<String>,
    /// Where the problem is as people name it, when the primary span lies in
    /// a listing made from another kind of file (`report.xlsx
    /// 三、收到和处理政府信息公开申请情况!E12`); else the source file's own
    /// place, if any (see [`place`]).
    pub place: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with the catalogue's default severity for `code`.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            code: code.to_string(),
            severity: codes::severity(code),
            message: message.into(),
            primary: None,
            secondary: Vec::new(),
            notes: Vec::new(),
            cell: None,
            cells: Vec::new(),
            expected: None,
            actual: None,
            place: None,
        }
    }

    pub fn severity(mut self, s: Severity) -> Self {
        self.severity = s;
        self
    }

    pub fn at(mut self, span: Span, label: impl Into<String>) -> Self {
        self.primary = Some((span, label.into()));
        self
    }

    pub fn at_opt(self, span: Option<Span>, label: impl Into<String>) -> Self {
        match span {
            Some(s) => self.at(s, label),
            None => self,
        }
    }

    pub fn also(mut self, span: Span, label: impl Into<String>) -> Self {
        self.secondary.push((span, label.into()));
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn cell(mut self, key: impl Into<String>) -> Self {
        let key = key.into();
        if !self.cells.contains(&key) {
            self.cells.push(key.clone());
        }
        self.cell = Some(key);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Diagnostics of one run, in the order found.
#[derive(Debug, Default)]
pub struct Diagnostics {
    pub list: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.list.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.list.extend(other.list);
    }

    pub fn errors(&self) -> usize {
        self.list.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.list.iter().filter(|d| d.severity == Severity::Warning).count()
    }

    pub fn infos(&self) -> usize {
        self.list.iter().filter(|d| d.severity == Severity::Info).count()
    }

    pub fn has_errors(&self) -> bool {
        self.errors() > 0
    }
}

/// The candidate a misspelt name most likely meant, for "是不是想写…" notes.
pub fn did_you_mean<'a>(name: &str, candidates: &'a [String]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(s, _)| *s > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.as_str())
}
