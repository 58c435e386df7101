//! Fonts: found on the system and in `--font-path` folders, scanned once per
//! process and shared by every report of a run. Each role of an official
//! document (title 小标宋, body 仿宋, heading 黑体, subheading 楷体, table 宋体)
//! resolves through a fallback chain of family names, so the same report
//! looks right on Windows, macOS and Kylin/UOS or Debian.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontInfo, FontStyle, FontVariant, FontWeight};
use typst::utils::LazyHash;
use typst_kit::fonts::FontStore;

use crate::typography;

/// Where to look for fonts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct FontOptions {
    pub font_paths: Vec<PathBuf>,
    pub ignore_system: bool,
}

/// The libraries scanned this run, by the options they were scanned with.
type Scanned = Vec<(FontOptions, Arc<FontLibrary>)>;

/// The fonts of a run, and how each role resolves.
pub struct FontLibrary {
    pub store: FontStore,
    pub families: Vec<String>,
    /// The faces `prewarm` is reading ahead, each set once its thread is
    /// done (see `font`).
    warming: OnceLock<Vec<(usize, Arc<OnceLock<()>>)>>,
}

impl FontLibrary {
    /// Scan once per process for each set of options; shared afterwards.
    pub fn shared(opts: &FontOptions) -> Arc<FontLibrary> {
        let mut cache = Self::cache().lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, lib)) = cache.iter().find(|(o, _)| o == opts) {
            return lib.clone();
        }
        let lib = Arc::new(FontLibrary::scan(opts));
        cache.push((opts.clone(), lib.clone()));
        lib
    }

    /// The library of these options if this run has already scanned it.
    pub fn if_scanned(opts: &FontOptions) -> Option<Arc<FontLibrary>> {
        Self::cache().lock().unwrap_or_else(|e| e.into_inner()).iter().find(|(o, _)| o == opts).map(|(_, l)| l.clone())
    }

    fn cache() -> &'static Mutex<Scanned> {
        static CACHE: OnceLock<Mutex<Scanned>> = OnceLock::new();
        CACHE.get_or_init(|| Mutex::new(Vec::new()))
    }

    fn scan(opts: &FontOptions) -> FontLibrary {
        let mut store = FontStore::new();
        // Fonts given explicitly come first, so they win over system fonts of
        // the same family.
        for p in &opts.font_paths {
            store.extend(index::faces(&index::Root::Folder(p.clone())).into_iter().map(mapped));
        }
        if !opts.ignore_system {
            store.extend(index::faces(&index::Root::System).into_iter().map(mapped));
        }
        let mut families: Vec<String> = store.book().families().map(|(f, _)| f.to_string()).collect();
        families.sort();
        families.dedup();
        FontLibrary { store, families, warming: OnceLock::new() }
    }

    pub fn book(&self) -> &LazyHash<FontBook> {
        self.store.book()
    }

    /// The PostScript names of the faces `prewarm` reads ahead for these
    /// options, in its order (the test compares them with the fonts the
    /// PDFs embed).
    pub fn read_ahead(opts: &FontOptions) -> Vec<String> {
        let lib = FontLibrary::shared(opts);
        lib.likely_faces().into_iter().filter_map(|i| lib.font(i)?.post_script_name()).collect()
    }

    /// Load, on a thread of its own, the faces a report typically uses (the
    /// regular face of each role's families and the bold title), and hash
    /// their data, so that typst finds them ready. Typst keys its memoised
    /// work on a font's hash, SipHash of the whole file: three Noto CJK
    /// collections are 73 MB to read and hash, a fifth of a cold single
    /// report when done in the layout's path. Started once per set of
    /// options in a run; a guess that misses costs only that thread's time,
    /// and nothing typst produces depends on which thread loaded a face.
    pub fn prewarm(opts: &FontOptions) {
        static STARTED: Mutex<Vec<FontOptions>> = Mutex::new(Vec::new());
        let mut started = STARTED.lock().unwrap_or_else(|e| e.into_inner());
        if started.contains(opts) {
            return;
        }
        started.push(opts.clone());
        let opts = opts.clone();
        // A thread for each face: typst asks for them in no fixed order.
        let warm = move || {
            let lib = FontLibrary::shared(&opts);
            let faces: Vec<(usize, Arc<OnceLock<()>>)> =
                lib.likely_faces().into_iter().map(|i| (i, Arc::new(OnceLock::new()))).collect();
            // Once per library: `prewarm` starts once per set of options.
            let _ = lib.warming.set(faces.clone());
            std::thread::scope(|s| {
                for (index, ready) in faces {
                    let lib = &lib;
                    // Set when the thread ends, however it ends, and when it
                    // could not start: no reader waits for nothing.
                    let done = Ready(ready);
                    let _ = std::thread::Builder::new().name("gxgen-font".into()).spawn_scoped(s, move || {
                        let _done = done;
                        if let Some(font) = lib.store.font(index) {
                            typst::utils::hash128(&font);
                        }
                    });
                }
            });
        };
        // No thread (a sandbox that forbids them): typst loads on demand.
        let _ = std::thread::Builder::new().name("gxgen-fonts".into()).spawn(warm);
    }

    /// The faces a report of this library likely uses, as the PDF renderer
    /// resolves its roles without the report's own `fonts:`.
    fn likely_faces(&self) -> Vec<usize> {
        Resolved::resolve(self, &BTreeMap::new()).likely_faces(self)
    }

    /// A face, loaded on first use. A face being read ahead is waited for:
    /// typst hashes a font's whole file when it first gets it, and without
    /// waiting, it would hash the same 20–30 MB again beside the thread
    /// already doing so, on the layout's path.
    pub fn font(&self, index: usize) -> Option<Font> {
        if let Some((_, ready)) = self.warming.get().and_then(|w| w.iter().find(|(i, _)| *i == index)) {
            ready.wait();
        }
        self.store.font(index)
    }

    fn has(&self, family: &str) -> bool {
        self.book().contains_family(&family.to_lowercase())
    }

    /// The faces of a family.
    pub(crate) fn infos(&self, family: &str) -> Vec<&FontInfo> {
        self.book().select_family(&family.to_lowercase()).filter_map(|i| self.book().info(i)).collect()
    }

    /// Whether the family has a real bold face (no faux bold).
    pub fn has_bold(&self, family: &str) -> bool {
        self.book()
            .select(&family.to_lowercase(), FontVariant::new(FontStyle::Normal, FontWeight::BOLD, Default::default()))
            .and_then(|i| self.book().info(i))
            .is_some_and(|info| info.variant.weight >= FontWeight::SEMIBOLD)
    }

    /// Whether some face of the family covers `c`.
    pub fn covers(&self, family: &str, c: char) -> bool {
        self.infos(family).iter().any(|i| i.coverage.contains(c as u32))
    }

    /// Families of any installed font that covers `c`.
    pub fn any_covering(&self, c: char) -> Option<String> {
        (0..).map_while(|i| self.book().info(i)).find(|i| i.coverage.contains(c as u32)).map(|i| i.family.clone())
    }
}

/// Marks a face read ahead as ready when dropped.
struct Ready(Arc<OnceLock<()>>);

impl Drop for Ready {
    fn drop(&mut self) {
        let _ = self.0.set(());
    }
}

fn mapped((path, info): (typst_kit::fonts::FontPath, FontInfo)) -> (MappedFont, FontInfo) {
    (MappedFont(path), info)
}

/// A font file loaded on first use by mapping it into memory instead of
/// reading it: a CJK collection is 20–30 MB (Noto Serif CJK's .ttc holds
/// the glyphs of five regions), and reading two of them was a fifth of a
/// cold single-report build (`perf record`: `fs::read` page faults and
/// copies). Only the pages typst touches are read. When the file cannot
/// be mapped it is read, as typst-kit does.
struct MappedFont(typst_kit::fonts::FontPath);

impl typst_kit::fonts::FontSource for MappedFont {
    fn load(&self) -> Option<Font> {
        let file = std::fs::File::open(&self.0.path).ok()?;
        // SAFETY: the mapping is read-only and private. Font files are
        // replaced by package managers through a rename (the mapped inode
        // stays intact) and cannot be changed while mapped on Windows; a
        // font file truncated in place during a run is not guarded against,
        // as in fontdb, which maps fonts the same way.
        let data = match unsafe { memmap2::Mmap::map(&file) } {
            Ok(map) => Bytes::new(map),
            Err(_) => Bytes::new(std::fs::read(&self.0.path).ok()?),
        };
        Font::new(data, self.0.index)
    }
}

/// How each role resolved: the families typst gets, in order (Latin serif
/// first where present, then the CJK family of the role).
#[derive(Debug, Clone)]
pub struct Resolved {
    /// role → chosen CJK family (None: none installed).
    pub cjk: BTreeMap<String, Option<String>>,
    pub latin: Option<String>,
    /// role → pinned families that are not installed.
    pub missing_pins: Vec<(String, String)>,
}

impl Resolved {
    pub fn resolve(lib: &FontLibrary, pins: &BTreeMap<String, Vec<String>>) -> Resolved {
        let mut cjk = BTreeMap::new();
        let mut missing_pins = Vec::new();
        let t = typography::get();
        for role in &t.roles {
            let role = role.key.as_str();
            let pinned = pins.get(role).cloned().unwrap_or_default();
            // A pinned list is a fallback list: missing only when none is installed.
            if !pinned.is_empty() && !pinned.iter().any(|p| lib.has(p)) {
                missing_pins.push((role.to_string(), pinned.join("、")));
            }
            // A CJK family must cover common Chinese characters.
            let found = pinned
                .iter()
                .map(String::as_str)
                .chain(t.role(role).map_or(&[][..], |r| &r.chain).iter().map(String::as_str))
                .find(|f| lib.has(f) && lib.covers(f, '政'))
                .map(|f| lib.infos(f).first().map_or(f.to_string(), |i| i.family.clone()));
            cjk.insert(role.to_string(), found);
        }
        let latin = t.latin.iter().find(|f| lib.has(f)).map(|f| lib.infos(f)[0].family.clone());
        Resolved { cjk, latin, missing_pins }
    }

    /// The font list typst gets for a role.
    pub fn stack(&self, role: &str) -> Vec<String> {
        let mut v = Vec::new();
        if let Some(l) = &self.latin {
            v.push(l.clone());
        }
        if let Some(Some(c)) = self.cjk.get(role) {
            v.push(c.clone());
        }
        v
    }

    /// Roles served by a font of another style (a 宋体 for the 仿宋 body, say),
    /// with the family chosen, in the order of the typography table.
    pub fn substitutes(&self) -> Vec<(&'static typography::Role, String)> {
        typography::get()
            .roles
            .iter()
            .filter_map(|r| {
                let f = self.cjk.get(&r.key)?.as_ref()?;
                (!r.is_true_style(f)).then(|| (r, f.clone()))
            })
            .collect()
    }

    /// The faces typst is likely to load first, in the order of the roles:
    /// each family's regular face, and the bold one of the title's.
    fn likely_faces(&self, lib: &FontLibrary) -> Vec<usize> {
        let regular = FontVariant::default();
        let bold = FontVariant::new(FontStyle::Normal, FontWeight::BOLD, Default::default());
        let mut faces = Vec::new();
        for role in typography::get().keys() {
            for family in self.stack(role) {
                let variants = if role == "title" { &[regular, bold][..] } else { &[regular][..] };
                for v in variants {
                    if let Some(i) = lib.book().select(&family.to_lowercase(), *v)
                        && !faces.contains(&i)
                    {
                        faces.push(i);
                    }
                }
            }
        }
        faces
    }

    /// Roles without a CJK font, in the order of the typography table.
    pub fn missing_roles(&self) -> Vec<&'static str> {
        typography::get().keys().filter(|r| self.cjk.get(*r).is_some_and(Option::is_none)).collect()
    }
}

pub fn role_label(role: &str) -> &'static str {
    typography::get().label(role)
}

/// The font index: a scan's result kept in the user's cache folder
/// (`$XDG_CACHE_HOME/gxgen/fonts` or `~/.cache/gxgen/fonts`, on Windows
/// `AppData\\Local\\gxgen\\fonts`, on macOS `~/Library/Caches/gxgen/fonts`),
/// one file per scanned place. It holds every face found (path, index in its
/// collection, typst's font info, in scan order) and the stamp (path, size,
/// modification time) of every font file and folder the scan covers. A run
/// whose stamps all match reads the faces from the index instead of opening
/// and parsing every font file; any difference (a font added, removed,
/// replaced; a folder changed) means a full scan, exactly as without an
/// index, and a new index. The index is an optimisation only: unreadable,
/// corrupt or unwritable means a scan, never an error.
pub mod index {
    use std::path::{Path, PathBuf};
    use std::time::UNIX_EPOCH;

    use serde::{Deserialize, Serialize};
    use typst::text::FontInfo;
    use typst_kit::fonts::FontPath;

    /// Bumped when the file's layout or the meaning of a face changes.
    const VERSION: &str = concat!("gxgen-font-index-1/", env!("CARGO_PKG_VERSION"), "/typst-0.15.1");

    /// A place fonts are scanned from.
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    pub enum Root {
        /// The operating system's font folders (as typst scans them).
        System,
        /// A `--font-path` folder, searched recursively.
        Folder(PathBuf),
    }

    /// Path, size and modification time (ns since 1970) of a file or folder.
    #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
    struct Stamp {
        path: PathBuf,
        dir: bool,
        size: u64,
        mtime: u128,
    }

    #[derive(Serialize, Deserialize)]
    struct Face {
        path: PathBuf,
        index: u32,
        info: FontInfo,
    }

    #[derive(Serialize, Deserialize)]
    struct File {
        version: String,
        root: String,
        stamps: Vec<Stamp>,
        faces: Vec<Face>,
    }

    /// The faces of a place: from the index when it is current, else scanned
    /// (and the index rewritten).
    pub fn faces(root: &Root) -> Vec<(FontPath, FontInfo)> {
        let file = cache_file(root);
        let key = describe(root);
        if let Some(f) = file.as_deref().and_then(|p| read(p, root, &key)) {
            return f;
        }
        let scanned: Vec<(FontPath, FontInfo)> = match root {
            Root::System => typst_kit::fonts::system().collect(),
            Root::Folder(p) => typst_kit::fonts::scan(p).collect(),
        };
        if let Some(file) = file {
            write(&file, root, &key, &scanned);
        }
        scanned
    }

    /// The index file of a place, in the user's cache folder
    /// (`GXGEN_FONT_INDEX=off` turns the index off, for measuring).
    fn cache_file(root: &Root) -> Option<PathBuf> {
        if std::env::var_os("GXGEN_FONT_INDEX").is_some_and(|v| v == "off") {
            return None;
        }
        let name = match root {
            Root::System => "system".to_string(),
            Root::Folder(_) => format!("folder-{:016x}", fnv(describe(root).as_bytes())),
        };
        Some(dirs::cache_dir()?.join("gxgen").join("fonts").join(format!("{name}.json")))
    }

    /// What the index of a place is for: the folders it covers, which depend
    /// on the environment (HOME, XDG_DATA_HOME, SYSTEMROOT…).
    fn describe(root: &Root) -> String {
        // A folder by its real path: the same relative --font-path from
        // another folder is another place.
        let real = |p: &PathBuf| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()).to_string_lossy().into_owned();
        let roots: Vec<String> = roots(root).iter().map(real).collect();
        format!("{} {}", if *root == Root::System { "system" } else { "folder" }, roots.join("|"))
    }

    fn fnv(bytes: &[u8]) -> u64 {
        bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
    }

    /// The folders (and configuration files) whose contents decide a scan.
    fn roots(root: &Root) -> Vec<PathBuf> {
        match root {
            Root::Folder(p) => vec![p.clone()],
            Root::System => system_roots(),
        }
    }

    fn system_roots() -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = Vec::new();
        let home = std::env::var_os("HOME").map(PathBuf::from);
        if cfg!(target_os = "windows") {
            let root = std::env::var_os("SYSTEMROOT").map_or(PathBuf::from("C:\\Windows"), PathBuf::from);
            v.push(root.join("Fonts"));
            if let Some(p) = std::env::var_os("USERPROFILE").map(PathBuf::from) {
                v.push(p.join("AppData\\Local\\Microsoft\\Windows\\Fonts"));
                v.push(p.join("AppData\\Roaming\\Microsoft\\Windows\\Fonts"));
            }
        } else if cfg!(target_os = "macos") {
            v.extend(
                ["/Library/Fonts", "/System/Library/Fonts", "/System/Library/AssetsV2", "/Network/Library/Fonts"]
                    .map(PathBuf::from),
            );
            if let Some(h) = &home {
                v.push(h.join("Library/Fonts"));
            }
        } else {
            // fontconfig's usual folders and its configuration, which may
            // name more (those are covered by the stamps of the faces found).
            v.extend(["/usr/share/fonts", "/usr/local/share/fonts", "/etc/fonts"].map(PathBuf::from));
            if let Some(h) = &home {
                v.push(h.join(".fonts"));
                v.push(h.join(".local/share/fonts"));
                v.push(h.join(".config/fontconfig"));
            }
            if let Some(d) = std::env::var_os("XDG_DATA_HOME") {
                v.push(PathBuf::from(d).join("fonts"));
            }
            if let Some(d) = std::env::var_os("XDG_CONFIG_HOME") {
                v.push(PathBuf::from(d).join("fontconfig"));
            }
        }
        v
    }

    fn stamp(path: &Path) -> Option<Stamp> {
        let m = std::fs::metadata(path).ok()?;
        let mtime = m.modified().ok()?.duration_since(UNIX_EPOCH).ok()?.as_nanos();
        Some(Stamp { path: path.to_path_buf(), dir: m.is_dir(), size: if m.is_dir() { 0 } else { m.len() }, mtime })
    }

    fn is_font(p: &Path) -> bool {
        p.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| ["ttf", "ttc", "otf", "otc", "conf"].iter().any(|x| e.eq_ignore_ascii_case(x)))
    }

    /// Every folder under the roots, and every font (or fontconfig) file in
    /// them, stamped. Links are followed (as the scan does) to a depth of 32.
    fn walk(roots: &[PathBuf]) -> Vec<Stamp> {
        fn go(p: &Path, depth: usize, out: &mut Vec<Stamp>) {
            let Some(s) = stamp(p) else { return };
            if s.dir {
                out.push(s);
                if depth >= 32 {
                    return;
                }
                let Ok(rd) = std::fs::read_dir(p) else { return };
                for e in rd.flatten() {
                    go(&e.path(), depth + 1, out);
                }
            } else if is_font(p) {
                out.push(s);
            }
        }
        let mut out = Vec::new();
        for r in roots {
            go(r, 0, &mut out);
        }
        out
    }

    /// The stamps a scan's result depends on: the walk, and each face's file
    /// and folder (a font in a folder only fontconfig names).
    fn stamps_now(roots: &[PathBuf], faces: impl Iterator<Item = PathBuf>) -> Vec<Stamp> {
        let mut v = walk(roots);
        for f in faces {
            v.extend(stamp(&f));
            if let Some(d) = f.parent() {
                v.extend(stamp(d));
            }
        }
        v.sort();
        v.dedup();
        v
    }

    fn read(file: &Path, root: &Root, key: &str) -> Option<Vec<(FontPath, FontInfo)>> {
        let bytes = std::fs::read(file).ok()?;
        let f: File = serde_json::from_slice(&bytes).ok()?;
        if f.version != VERSION || f.root != key {
            return None;
        }
        let now = stamps_now(&roots(root), f.faces.iter().map(|x| x.path.clone()));
        if now != f.stamps {
            return None;
        }
        Some(f.faces.into_iter().map(|x| (FontPath { path: x.path, index: x.index }, x.info)).collect())
    }

    /// Write the index atomically (a temporary file renamed into place), so
    /// a run killed midway or two runs at once never leave half a file.
    fn write(file: &Path, root: &Root, key: &str, scanned: &[(FontPath, FontInfo)]) {
        let faces: Vec<Face> =
            scanned.iter().map(|(p, info)| Face { path: p.path.clone(), index: p.index, info: info.clone() }).collect();
        let stamps = stamps_now(&roots(root), faces.iter().map(|x| x.path.clone()));
        let f = File { version: VERSION.to_string(), root: key.to_string(), stamps, faces };
        let Ok(bytes) = serde_json::to_vec(&f) else { return };
        let Some(dir) = file.parent() else { return };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        let Ok(mut tmp) = tempfile::NamedTempFile::new_in(dir) else { return };
        if std::io::Write::write_all(&mut tmp, &bytes).is_ok() {
            let _ = tmp.persist(file);
        }
        if matches!(root, Root::Folder(_)) {
            prune(dir, file);
        }
    }

    /// Folder indexes kept at most: each `--font-path` folder ever used has
    /// one (temporary folders too), so the oldest written go first.
    const MAX_FOLDERS: usize = 16;

    fn prune(dir: &Path, keep: &Path) {
        let Ok(rd) = std::fs::read_dir(dir) else { return };
        let mut folders: Vec<(std::time::SystemTime, PathBuf)> = rd
            .flatten()
            .map(|e| e.path())
            .filter(|p| p != keep && p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("folder-")))
            .filter_map(|p| Some((std::fs::metadata(&p).ok()?.modified().ok()?, p)))
            .collect();
        folders.sort();
        let excess = (folders.len() + 1).saturating_sub(MAX_FOLDERS);
        for (_, p) in folders.into_iter().take(excess) {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// What to install for fonts, per platform.
pub const INSTALL_HINT: &str = "Debian/Ubuntu/统信 UOS/麒麟：sudo apt install fonts-noto-cjk；\
Windows 和 macOS 自带中文字体；也可以把字体文件放进一个文件夹，用 --font-path 文件夹 指定";
