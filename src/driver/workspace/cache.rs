//! Incremental builds: an agency whose inputs did not change is not
//! rendered again. The key is a content hash over everything an output
//! depends on: the gxgen version, the build options, the page templates,
//! the font folders, and every file the agency's check read (its data file,
//! its narrative, the workspace manifest, last year's report).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::driver::build;
use crate::source::Sources;

const FILE: &str = ".gxgen-cache.json";

/// FNV-1a, 64 bit: stable across platforms and compiler versions.
#[derive(Clone, Copy)]
pub struct Hasher(u64);

impl Hasher {
    pub fn new() -> Self {
        Hasher(0xcbf2_9ce4_8422_2325)
    }
    pub fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        // Separate fields, so that "ab"+"c" differs from "a"+"bc".
        self.0 ^= 0xff;
        self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
    }
    pub fn hex(self) -> String {
        format!("{:016x}", self.0)
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Cache {
    pub entries: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub hash: String,
    pub outputs: Vec<PathBuf>,
}

impl Cache {
    pub fn read(out_dir: &Path) -> Cache {
        std::fs::read(out_dir.join(FILE)).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
    }

    pub fn write(&self, out_dir: &Path) {
        if let Ok(bytes) = serde_json::to_vec_pretty(self) {
            let _ = std::fs::create_dir_all(out_dir);
            let _ = crate::output::write_if_changed(&out_dir.join(FILE), &bytes);
        }
    }

    /// The outputs of an unchanged agency, if they are all still there.
    pub fn fresh(&self, key: &str, hash: &str) -> Option<Vec<PathBuf>> {
        let e = self.entries.get(key)?;
        (e.hash == hash && !e.outputs.is_empty() && e.outputs.iter().all(|p| p.is_file())).then(|| e.outputs.clone())
    }
}

/// What every agency's outputs depend on besides its own files.
pub fn shared_fingerprint(opts: &build::Options, template_dirs: &[PathBuf]) -> Hasher {
    let mut h = Hasher::new();
    h.write(env!("CARGO_PKG_VERSION").as_bytes());
    // The built-in templates: a gxgen of the same version whose page or
    // table templates changed must not keep the outputs of the old ones.
    for (path, contents) in crate::assets::all() {
        h.write(path.as_bytes());
        h.write(contents);
    }
    h.write(format!("{:?}{:?}{:?}", opts.outputs, opts.pdf_options.standard, opts.pdf_options.fonts).as_bytes());
    if opts.emit_typst {
        h.write(b"emit typst");
    }
    for dir in template_dirs {
        hash_dir(&mut h, dir);
    }
    // Fonts: the given folders and the system font folders, by listing and
    // modification time (installing a font changes them) — no font scan.
    let mut font_dirs = opts.pdf_options.fonts.font_paths.clone();
    if !opts.pdf_options.fonts.ignore_system {
        font_dirs.extend(
            [
                "/usr/share/fonts",
                "/usr/local/share/fonts",
                "C:\\Windows\\Fonts",
                "/Library/Fonts",
                "/System/Library/Fonts",
            ]
            .iter()
            .map(PathBuf::from),
        );
        if let Some(home) = std::env::var_os("HOME") {
            font_dirs.push(PathBuf::from(&home).join(".fonts"));
            font_dirs.push(PathBuf::from(&home).join(".local/share/fonts"));
        }
    }
    for d in font_dirs {
        if let Ok(m) = std::fs::metadata(&d) {
            h.write(d.to_string_lossy().as_bytes());
            h.write(format!("{:?}", m.modified().ok()).as_bytes());
        }
    }
    h
}

fn hash_dir(h: &mut Hasher, dir: &Path) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut files: Vec<PathBuf> = rd.flatten().map(|e| e.path()).filter(|p| p.is_file()).collect();
    files.sort();
    for f in files {
        h.write(f.to_string_lossy().as_bytes());
        h.write(&std::fs::read(&f).unwrap_or_default());
    }
}

/// The hash of one agency: the shared fingerprint and every file read.
pub fn agency_hash(shared: Hasher, sources: &Sources) -> String {
    let mut h = shared;
    for f in sources.files() {
        h.write(f.path.to_string_lossy().as_bytes());
        h.write(f.text.as_bytes());
    }
    h.hex()
}
