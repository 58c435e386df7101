//! The source files a run has read, so that every value can point back to the
//! file, line and column it came from.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::input::{Disk, Input};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub usize);

/// A byte range in one source file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Span { file, start, end: end.max(start) }
    }
}

#[derive(Debug)]
pub struct SourceFile {
    /// The path as shown to the user.
    pub name: String,
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<usize>,
    /// For text made from another kind of file (a Word narrative): where
    /// each of its places starts, as people name them (`总体情况.docx 第 12 段`).
    places: Vec<(usize, String)>,
}

impl SourceFile {
    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let col = self.text.get(start..offset).map_or(0, |s| s.chars().count());
        (line + 1, col + 1)
    }

    pub fn line_starts(&self) -> &[usize] {
        &self.line_starts
    }

    /// The place that holds byte `offset`, for text made from another kind
    /// of file; None for text files, whose lines are their places.
    pub fn place(&self, offset: usize) -> Option<&str> {
        let i = self.places.partition_point(|(s, _)| *s <= offset);
        self.places.get(i.checked_sub(1)?).map(|(_, p)| p.as_str())
    }
}

/// The files a run has read, and the door it reads them through.
#[derive(Debug)]
pub struct Sources {
    files: Vec<SourceFile>,
    input: Arc<dyn Input>,
}

impl Default for Sources {
    fn default() -> Self {
        Sources { files: Vec::new(), input: Arc::new(Disk) }
    }
}

impl Sources {
    /// Sources read from disk.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sources read through another door (text in memory).
    pub fn with_input(input: Arc<dyn Input>) -> Self {
        Sources { files: Vec::new(), input }
    }

    /// The door every read of this run goes through.
    pub fn input(&self) -> &dyn Input {
        &*self.input
    }

    /// The same door, for another run (a workspace member).
    pub fn shared_input(&self) -> Arc<dyn Input> {
        self.input.clone()
    }

    pub fn add(&mut self, path: &Path, text: String) -> FileId {
        self.add_with_places(path, text, Vec::new())
    }

    /// Add text made from another kind of file, with its places (byte
    /// offset where each starts, its name), in order.
    pub fn add_with_places(&mut self, path: &Path, text: String, places: Vec<(usize, String)>) -> FileId {
        let name = display_path(path);
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        self.files.push(SourceFile { name, path: path.to_path_buf(), text, line_starts, places });
        FileId(self.files.len() - 1)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0]
    }

    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }
}

pub use crate::input::normalize;

/// Paths are shown with forward slashes so that output is the same on every
/// platform, relative to the working directory where possible.
pub fn display_path(path: &Path) -> String {
    let path = &normalize(path);
    let shown = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf());
    shown.to_string_lossy().replace('\\', "/")
}
