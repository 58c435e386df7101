//! render: draw the document model. Each renderer implements [`Renderer`]
//! and reads `compose::Document` plus a small [`Context`], nothing else: not
//! the loaded report, not the sources. So the outputs cannot disagree, and a
//! new output is one module plus one line in [`RENDERERS`].

pub mod docx;
pub mod html;
pub mod pdf;
pub mod typst_emit;

use crate::compose::Document;
use crate::diag::Diagnostic;

/// What every renderer may know besides the document: plain data chosen by
/// the driver from the command line and the report folder.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Page templates that replace built-in ones, in order (a later one of
    /// the same name wins): `templates/` beside the report, then
    /// `--templates`. The driver reads them through the input door.
    pub templates: Vec<Template>,
    /// Fonts and PDF standard (fonts are shared with any renderer that
    /// names fonts).
    pub pdf: pdf::Options,
}

/// A page template given by the user.
#[derive(Debug, Clone)]
pub struct Template {
    /// The built-in template it replaces, e.g. `report.html`.
    pub name: String,
    pub text: String,
    /// Where it came from, as shown in messages.
    pub origin: String,
}

impl Context {
    /// The user's template of that name, if any (the last given wins).
    pub fn template(&self, name: &str) -> Option<&Template> {
        self.templates.iter().rev().find(|t| t.name == name)
    }
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
    /// The page templates a user may replace, by file name.
    fn template_names(&self) -> &'static [&'static str] {
        &[]
    }
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

/// Every replaceable template name, of every renderer.
pub fn template_names() -> Vec<&'static str> {
    RENDERERS.iter().flat_map(|r| r.template_names().iter().copied()).collect()
}

/// The names of every renderer, for help texts and messages.
pub fn names() -> Vec<&'static str> {
    RENDERERS.iter().map(|r| r.name()).collect()
}
