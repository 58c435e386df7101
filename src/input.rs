//! The one door for inputs, as typst's `World` is for the typesetter: every
//! file gxgen reads for a report (data files, narratives, workspace
//! manifests and spreadsheets, last year's report, page templates) comes in
//! through an [`Input`]. Two doors exist: [`Disk`] for files, [`Memory`] for
//! text already in hand (an imported document being audited, a test). Each
//! read is of a regular file only (never a FIFO, a device or a folder), and
//! no read ever goes to the network.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// What stands at a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Dir,
    /// Something that is neither (a FIFO, a socket, a device).
    Other,
    Missing,
}

/// Why a read failed.
#[derive(Debug)]
pub enum ReadFailure {
    /// Not there, not permitted, or another I/O error.
    Io(std::io::Error),
    /// A folder, or not a regular file (a FIFO would block the run).
    NotAFile(Kind),
    /// Larger than the limit the caller gave.
    TooLarge { len: u64 },
}

/// A source of input files.
pub trait Input: Send + Sync + std::fmt::Debug {
    /// What is at `path`.
    fn kind(&self, path: &Path) -> Kind;
    /// The bytes of the regular file at `path`, refusing more than `limit`.
    fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadFailure>;
    /// The path with links and `..` resolved, for confinement checks.
    fn resolve(&self, path: &Path) -> Option<PathBuf>;
    /// The entries of a folder, sorted by name.
    fn list(&self, dir: &Path) -> Vec<PathBuf>;
    /// Size and modification time of a file, for caches (None in memory).
    fn stamp(&self, path: &Path) -> Option<(u64, Option<std::time::SystemTime>)>;
}

/// Files on disk.
#[derive(Debug, Default, Clone, Copy)]
pub struct Disk;

impl Input for Disk {
    fn kind(&self, path: &Path) -> Kind {
        match std::fs::metadata(path) {
            Ok(m) if m.is_file() => Kind::File,
            Ok(m) if m.is_dir() => Kind::Dir,
            Ok(_) => Kind::Other,
            Err(_) => Kind::Missing,
        }
    }

    fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadFailure> {
        // Look before opening: opening a FIFO blocks until a writer comes.
        let meta = std::fs::metadata(path).map_err(ReadFailure::Io)?;
        if !meta.is_file() {
            return Err(ReadFailure::NotAFile(if meta.is_dir() { Kind::Dir } else { Kind::Other }));
        }
        if meta.len() > limit {
            return Err(ReadFailure::TooLarge { len: meta.len() });
        }
        let file = std::fs::File::open(path).map_err(ReadFailure::Io)?;
        // The file may have grown since it was measured: never read past the limit.
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        file.take(limit + 1).read_to_end(&mut bytes).map_err(ReadFailure::Io)?;
        if bytes.len() as u64 > limit {
            return Err(ReadFailure::TooLarge { len: bytes.len() as u64 });
        }
        Ok(bytes)
    }

    fn resolve(&self, path: &Path) -> Option<PathBuf> {
        path.canonicalize().ok()
    }

    fn list(&self, dir: &Path) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> =
            std::fs::read_dir(dir).map(|rd| rd.flatten().map(|e| e.path()).collect()).unwrap_or_default();
        v.sort();
        v
    }

    fn stamp(&self, path: &Path) -> Option<(u64, Option<std::time::SystemTime>)> {
        std::fs::metadata(path).ok().map(|m| (m.len(), m.modified().ok()))
    }
}

/// Files held in memory, by normalised path. Nothing else exists.
#[derive(Debug, Default, Clone)]
pub struct Memory {
    files: BTreeMap<PathBuf, Vec<u8>>,
}

impl Memory {
    pub fn new() -> Memory {
        Memory::default()
    }

    /// Add (or replace) a file.
    pub fn insert(&mut self, path: impl AsRef<Path>, bytes: impl Into<Vec<u8>>) {
        self.files.insert(normalize(path.as_ref()), bytes.into());
    }

    fn is_dir(&self, path: &Path) -> bool {
        let p = normalize(path);
        self.files.keys().any(|k| k.starts_with(&p) && k != &p)
    }
}

impl Input for Memory {
    fn kind(&self, path: &Path) -> Kind {
        if self.files.contains_key(&normalize(path)) {
            Kind::File
        } else if self.is_dir(path) {
            Kind::Dir
        } else {
            Kind::Missing
        }
    }

    fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadFailure> {
        match self.files.get(&normalize(path)) {
            Some(b) if b.len() as u64 > limit => Err(ReadFailure::TooLarge { len: b.len() as u64 }),
            Some(b) => Ok(b.clone()),
            None if self.is_dir(path) => Err(ReadFailure::NotAFile(Kind::Dir)),
            None => Err(ReadFailure::Io(std::io::Error::from(std::io::ErrorKind::NotFound))),
        }
    }

    fn resolve(&self, path: &Path) -> Option<PathBuf> {
        Some(normalize(path))
    }

    fn list(&self, dir: &Path) -> Vec<PathBuf> {
        let dir = normalize(dir);
        let mut v: Vec<PathBuf> = self
            .files
            .keys()
            .filter_map(|k| k.strip_prefix(&dir).ok()?.components().next().map(|c| dir.join(c)))
            .collect();
        v.dedup();
        v
    }

    fn stamp(&self, _path: &Path) -> Option<(u64, Option<std::time::SystemTime>)> {
        None
    }
}

/// Why a member of a zip file (a .docx, an .xlsx) could not be read.
#[derive(Debug)]
pub enum ZipFailure {
    /// Not a zip file, or a damaged one (the message of the zip reader).
    Damaged(String),
    /// The member is not in the archive.
    Missing,
    /// The member inflates to more than the limit (checked while
    /// inflating: a declared size may lie).
    TooLarge { limit: u64 },
    /// More members than any office document has.
    TooManyEntries(usize),
}

/// The most members a zip input may list: a Word file has a few dozen.
pub const MAX_ZIP_ENTRIES: usize = 10_000;

/// A zip archive read from bytes already read through the door.
pub fn open_zip(bytes: &[u8]) -> Result<zip::ZipArchive<std::io::Cursor<&[u8]>>, ZipFailure> {
    let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| ZipFailure::Damaged(e.to_string()))?;
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(ZipFailure::TooManyEntries(zip.len()));
    }
    Ok(zip)
}

/// The inflated bytes of member `name`, refusing more than `limit` bytes
/// without ever holding more than `limit + 1` in memory.
pub fn zip_member(
    zip: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    name: &str,
    limit: u64,
) -> Result<Vec<u8>, ZipFailure> {
    let entry = match zip.by_name(name) {
        Ok(e) => e,
        Err(zip::result::ZipError::FileNotFound) => return Err(ZipFailure::Missing),
        Err(e) => return Err(ZipFailure::Damaged(e.to_string())),
    };
    if entry.size() > limit {
        return Err(ZipFailure::TooLarge { limit });
    }
    let mut raw = Vec::new();
    entry.take(limit + 1).read_to_end(&mut raw).map_err(|e| ZipFailure::Damaged(e.to_string()))?;
    if raw.len() as u64 > limit {
        return Err(ZipFailure::TooLarge { limit });
    }
    Ok(raw)
}

/// `a/b/../c` → `a/c`, without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Where a path a user wrote leads, relative to the folder it must stay in.
#[derive(Debug, PartialEq, Eq)]
pub enum Confined {
    /// Inside: the path to read.
    Inside(PathBuf),
    /// Absolute, or climbing out with `..`.
    Outside,
    /// Inside by name, but a link leads out.
    LinksOut,
}

/// `base/rel`, when `rel` is a relative path that stays inside `base`, also
/// once links are followed. A missing file is `Inside` (the read then says
/// it is missing).
pub fn confine(input: &dyn Input, base: &Path, rel: &str) -> Confined {
    use std::path::Component;
    let p = Path::new(rel.trim());
    if p.is_absolute() || p.has_root() || p.components().any(|c| matches!(c, Component::Prefix(_))) {
        return Confined::Outside;
    }
    let mut depth = 0i32;
    for c in p.components() {
        match c {
            Component::ParentDir => depth -= 1,
            Component::Normal(_) => depth += 1,
            _ => {}
        }
        if depth < 0 {
            return Confined::Outside;
        }
    }
    let path = normalize(&base.join(p));
    if let (Some(real), Some(root)) = (input.resolve(&path), input.resolve(base))
        && !real.starts_with(&root)
    {
        return Confined::LinksOut;
    }
    Confined::Inside(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_is_a_door_like_disk() {
        let mut m = Memory::new();
        m.insert("r/report.yaml", "meta: {}");
        m.insert("r/parts/a.md", "x");
        assert_eq!(m.kind(Path::new("r/report.yaml")), Kind::File);
        assert_eq!(m.kind(Path::new("r/parts")), Kind::Dir);
        assert_eq!(m.kind(Path::new("r/none.md")), Kind::Missing);
        assert!(matches!(m.read(Path::new("r/./report.yaml"), 100), Ok(b) if b == b"meta: {}"));
        assert!(matches!(m.read(Path::new("r/report.yaml"), 3), Err(ReadFailure::TooLarge { len: 8 })));
        assert_eq!(m.list(Path::new("r")), [PathBuf::from("r/parts"), PathBuf::from("r/report.yaml")]);
    }

    #[test]
    fn confinement() {
        let m = Memory::new();
        assert_eq!(confine(&m, Path::new("r"), "a/b.md"), Confined::Inside(PathBuf::from("r/a/b.md")));
        assert_eq!(confine(&m, Path::new("r"), "a/../b.md"), Confined::Inside(PathBuf::from("r/b.md")));
        assert_eq!(confine(&m, Path::new("r"), "../x.md"), Confined::Outside);
        assert_eq!(confine(&m, Path::new("r"), "/etc/passwd"), Confined::Outside);
    }

    #[cfg(unix)]
    #[test]
    fn disk_refuses_a_fifo_without_opening_it() {
        let dir = std::env::temp_dir().join(format!("gxgen-fifo-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let fifo = dir.join("p.md");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().map(|s| s.success()).unwrap_or(false);
        if made {
            assert_eq!(Disk.kind(&fifo), Kind::Other);
            assert!(matches!(Disk.read(&fifo, 100), Err(ReadFailure::NotAFile(Kind::Other))));
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
