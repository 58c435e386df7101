//! Diagnostics for people (rustc-style snippets, via codespan-reporting) and
//! for tools (our own JSON shape).

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, Config};
use serde_json::{Value, json};

use super::{Diagnostic, Severity};
use crate::source::{FileId, Sources};

impl<'a> Files<'a> for Sources {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.get(id).name)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.get(id).text)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.get(id).line_starts().partition_point(|&s| s <= byte_index).saturating_sub(1))
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<std::ops::Range<usize>, FilesError> {
        let f = self.get(id);
        let starts = f.line_starts();
        let start =
            *starts.get(line_index).ok_or(FilesError::LineTooLarge { given: line_index, max: starts.len() - 1 })?;
        let end = starts.get(line_index + 1).copied().unwrap_or(f.text.len());
        Ok(start..end)
    }
}

/// Whether to colour human output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Color,
    Plain,
}

/// Where the primary label is, as people name places in a file that is not
/// text (`总体情况.docx 第 12 段`, `report.xlsx 三、…!E12`); None for text files.
pub fn place(sources: &Sources, d: &Diagnostic) -> Option<String> {
    let (span, _) = d.primary.as_ref()?;
    if let Some(p) = &d.place {
        return Some(p.clone());
    }
    sources.files().get(span.file.0)?.place(span.start).map(str::to_string)
}

fn to_codespan(d: &Diagnostic) -> CsDiagnostic<FileId> {
    let severity = match d.severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info => CsSeverity::Note,
    };
    let mut labels = Vec::new();
    if let Some((span, text)) = &d.primary {
        labels.push(Label::primary(span.file, span.start..span.end).with_message(text));
    }
    for (span, text) in &d.secondary {
        labels.push(Label::secondary(span.file, span.start..span.end).with_message(text));
    }
    let mut notes = d.notes.clone();
    notes.push(format!("详细说明：gxgen explain {}", d.code));
    CsDiagnostic::new(severity).with_code(&d.code).with_message(&d.message).with_labels(labels).with_notes(notes)
}

fn config() -> Config {
    // Keep every line of the snippet: Chinese YAML files are short and the
    // row the value sits in matters.
    Config { start_context_lines: 2, end_context_lines: 1, ..Config::default() }
}

/// Render diagnostics for a terminal or a log.
pub fn render_human(sources: &Sources, diags: &[Diagnostic], style: Style) -> String {
    let config = config();
    let mut out = String::new();
    for d in diags {
        let cs = to_codespan(d);
        let mut one = String::new();
        match style {
            Style::Plain => {
                let _ = term::emit_to_string(&mut one, &config, sources, &cs);
            }
            Style::Color => {
                let mut buf = term::termcolor::Buffer::ansi();
                if term::emit_to_write_style(&mut buf, &config, sources, &cs).is_ok() {
                    one.push_str(&String::from_utf8_lossy(buf.as_slice()));
                }
            }
        }
        if let Some(p) = place(sources, d) {
            relocate(&mut one, &p);
        }
        out.push_str(&one);
    }
    out
}

/// The location line of a rendered diagnostic (`┌─ name:line:column`) names
/// the place as the user knows it instead (`┌─ report.xlsx 三、…!E12`): the
/// listing's line numbers mean nothing in Excel or Word. The snippet below
/// still shows the listing's line.
fn relocate(rendered: &mut String, place: &str) {
    let Some(i) = rendered.find("┌─") else { return };
    let mut j = i + "┌─".len();
    // Colour codes between the border and the location.
    while rendered[j..].starts_with("\x1b[") {
        match rendered[j..].find('m') {
            Some(m) => j += m + 1,
            None => return,
        }
    }
    let end = rendered[j..].find('\n').map_or(rendered.len(), |e| j + e);
    rendered.replace_range(j..end, &format!(" {place}"));
}

/// One diagnostic as JSON: code, severity, message, file, line, column, cell.
pub fn to_json_value(sources: &Sources, d: &Diagnostic) -> Value {
    let (file, line, column) = match &d.primary {
        Some((span, _)) => {
            let f = sources.get(span.file);
            let (l, c) = f.line_col(span.start);
            (Value::from(f.name.clone()), Value::from(l), Value::from(c))
        }
        None => (Value::Null, Value::Null, Value::Null),
    };
    let mut v = json!({
        "code": d.code,
        "severity": d.severity,
        "message": d.message,
        "file": file,
        "line": line,
        "column": column,
        "cell": d.cell,
        "cells": d.cells,
        "expected": d.expected,
        "actual": d.actual,
        "notes": d.notes,
    });
    if let Some(p) = place(sources, d) {
        v["place"] = Value::from(p);
    }
    v
}
