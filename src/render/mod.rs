//! render: draw the document model. Each renderer implements [`Renderer`]
//! and reads `compose::Document` plus a small [`Context`], nothing else: not
//! the loaded report, not the sources. So the outputs cannot disagree, and a
//! new output is one module plus one line in [`RENDERERS`].

pub mod docx;
pub mod html;
pub mod pdf;

use std::path::PathBuf;

use crate::compose::Document;
use crate::diag::Diagnostic;

/// What every renderer may know besides the document: plain data chosen by
/// the driver from the command line and the report folder.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Folders whose page templates replace the built-in ones, in order
    /// (later wins): `templates/` beside the report, then `--templates`.
    pub template_dirs: Vec<PathBuf>,
    /// Fonts and PDF standard (fonts are shared with any renderer that
    /// names fonts).
    pub pdf: pdf::Options,
}

/// One output file's bytes, with what the renderer wants to say about it.
pub struct Output {
    pub bytes: Vec<u8>,
    pub warnings: Vec<Diagnostic>,
    /// Time spent in each phase, when the renderer measures it.
    pub timings: Option<pdf::Timings>,
}

impl Output {
    pub fn bytes(bytes: Vec<u8>) -> Output {
        Output { bytes, warnings: Vec::new(), timings: None }
    }
}

/// An output format.
pub trait Renderer: Sync {
    /// The name users choose it by (`--only html,pdf`), also the file
    /// extension of what it writes.
    fn name(&self) -> &'static str;
    /// Draw the document. Errors are located diagnostics; nothing is written
    /// here (the driver writes every output only when all have rendered).
    fn render(&self, doc: &Document, ctx: &Context) -> Result<Output, Vec<Diagnostic>>;
}

/// Every renderer, in the order outputs are made and listed.
pub static RENDERERS: &[&dyn Renderer] = &[&html::Html, &pdf::Pdf, &docx::Docx];

/// The renderer of that name.
pub fn find(name: &str) -> Option<&'static dyn Renderer> {
    RENDERERS.iter().copied().find(|r| r.name() == name)
}

/// The names of every renderer, for help texts and messages.
pub fn names() -> Vec<&'static str> {
    RENDERERS.iter().map(|r| r.name()).collect()
}
