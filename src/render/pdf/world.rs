//! Our typst `World`: the one door between the typst compiler and the
//! outside. It serves the page template and the document model (as JSON,
//! never as markup) from memory, and fonts from the shared library. Any
//! other file, package or clock access is refused.

use std::sync::Arc;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use super::fonts::FontLibrary;

pub struct GxWorld {
    library: LazyHash<Library>,
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
            library: LazyHash::new(Library::default()),
            fonts,
            main: Source::new(id("/report.typ"), template.to_string()),
            data_id: id("/document.json"),
            data: Bytes::new(data),
        }
    }

    pub fn main_source(&self) -> &Source {
        &self.main
    }
}

impl World for GxWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
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
