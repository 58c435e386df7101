//! The driver: it owns the road. Every public entry point (check or build
//! one report, check or build a workspace, audit published reports) runs
//! load → validate → compose → render here, and nothing else does.

pub mod audit;
pub mod build;
mod previous;
pub mod workbook;
pub mod workspace;

use std::path::Path;

use crate::diag::Diagnostics;
use crate::model::Report;
use crate::source::Sources;
use crate::{compose, load, validate};

/// Everything a check of one report produced.
pub struct Checked {
    pub sources: Sources,
    pub report: Option<Report>,
    pub diagnostics: Diagnostics,
    /// A file could not be read at all (exit status 2).
    pub io_failure: bool,
    /// The composed document, when the report has no errors (reused by build).
    pub document: Option<compose::Document>,
    /// Last year's report, when `meta.previous` names one that loaded (the
    /// workspace index shows each figure's change from it).
    pub previous: Option<Report>,
}

/// Load and validate the report whose data file is `path`.
/// A report inside a workspace (an agency folder beside gxgen.yaml) is read
/// with the workspace's settings, as `gxgen build DIR` reads it.
pub fn check(path: &Path) -> Checked {
    workspace::check_member(path).unwrap_or_else(|| check_with(Sources::new(), path, None))
}

/// Check with `sources` already holding other files (a workspace manifest)
/// and the workspace's `defaults` filling what the report does not write.
pub fn check_with(sources: Sources, path: &Path, defaults: Option<&load::yaml::Node>) -> Checked {
    check_source(sources, path, None, defaults)
}

/// Check a report given as text (a spreadsheet row) or, with `text` None,
/// read from `path`.
pub fn check_source(sources: Sources, path: &Path, text: Option<&str>, defaults: Option<&load::yaml::Node>) -> Checked {
    check_source_as(sources, path, text, defaults, true)
}

/// As [`check_source`]; with `keep_document` false the narratives are
/// checked (the same diagnostics) but no document is composed: `document`
/// is None and a build composes it when it renders.
pub fn check_source_as(
    mut sources: Sources,
    path: &Path,
    text: Option<&str>,
    defaults: Option<&load::yaml::Node>,
    keep_document: bool,
) -> Checked {
    let mut listing = None;
    let loaded = match text {
        Some(t) => {
            let file = sources.add(path, t.to_string());
            load::load_file(&mut sources, path, file, defaults)
        }
        None if workbook::is_workbook(path) => {
            let (loaded, l) = workbook::load(&mut sources, path, defaults);
            listing = l;
            loaded
        }
        None => {
            let (loaded, l) = workbook::load_yaml(&mut sources, path, defaults);
            listing = l;
            loaded
        }
    };
    let mut diagnostics = loaded.diagnostics;
    let mut report = loaded.report;
    if let Some(r) = report.as_ref() {
        for d in &mut diagnostics.list {
            crate::import::suggest::name_label_key(r.format, d);
        }
    }
    let mut document = None;
    let mut previous = None;
    if let Some(r) = report.as_mut() {
        previous = previous::load(&mut sources, r, &mut diagnostics);
        diagnostics.extend(validate::validate(r, previous.as_ref()));
        // The narrative templates are part of the report: an unknown key
        // there is found by check, not first by build.
        if !diagnostics.has_errors() && keep_document {
            let (doc, d) = compose::compose(r, &sources);
            diagnostics.extend(d);
            document = doc;
        } else if !diagnostics.has_errors() {
            diagnostics.extend(compose::check(r, &sources));
        }
    }
    if let Some(l) = &listing {
        workbook::finish(l, report.as_ref(), &sources, &mut diagnostics);
        if document.is_some() && diagnostics.has_errors() {
            document = None;
        }
    }
    Checked { sources, report, diagnostics, io_failure: loaded.io_failure, document, previous }
}
