//! Our typst `World`: the one door between the typst compiler and the
//! outside. It serves the page template and the document model (as JSON,
//! never as markup) from memory, and fonts from the shared library. Any
//! other file, package or clock access is refused.

use std::sync::{Arc, Mutex, OnceLock};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use super::fonts::FontLibrary;

pub struct GxWorld {
    library: &'static LazyHash<Library>,
    fonts: Arc<FontLibrary>,
    main: Source,
    data_id: FileId,
    data: Bytes,
}

fn id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("valid virtual path");
    FileId::new(RootedPath::new(VirtualRoot::Project, vpath))
}

impl GxWorld {
    /// `template` is the typst page source; `data` the JSON it reads as
    /// `/document.json`.
    pub fn new(fonts: Arc<FontLibrary>, template: &str, data: Vec<u8>) -> GxWorld {
        GxWorld {
            library: library(),
            fonts,
            main: parsed(template),
            data_id: id("/document.json"),
            data: Bytes::new(data),
        }
    }

    pub fn main_source(&self) -> &Source {
        &self.main
    }
}

/// The standard library, built and hashed once per process: every report
/// of a run shares it, so typst's memoised work keyed on it is reused.
fn library() -> &'static LazyHash<Library> {
    static LIBRARY: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIBRARY.get_or_init(|| LazyHash::new(Library::default()))
}

/// The page template parsed once per process for each distinct text (a
/// workspace typesets hundreds of reports with one template). A `Source`
/// clone shares the parsed tree.
fn parsed(template: &str) -> Source {
    static PARSED: OnceLock<Mutex<Vec<Source>>> = OnceLock::new();
    let mut cache = PARSED.get_or_init(|| Mutex::new(Vec::new())).lock().unwrap_or_else(|e| e.into_inner());
    if let Some(s) = cache.iter().find(|s| s.text() == template) {
        return s.clone();
    }
    let s = Source::new(id("/report.typ"), template.to_string());
    // A handful of templates at most in one run; keep the last few.
    if cache.len() >= 8 {
        cache.remove(0);
    }
    cache.push(s.clone());
    s
}

impl World for GxWorld {
    fn library(&self) -> &LazyHash<Library> {
        self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() { Ok(self.main.clone()) } else { Err(FileError::AccessDenied) }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else if id == self.main.id() {
            Ok(Bytes::from_string(self.main.clone()))
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    /// No clock: the same inputs give the same bytes.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}
