//! Fonts: found on the system and in `--font-path` folders, scanned once per
//! process and shared by every report of a run. Each role of an official
//! document (title 小标宋, body 仿宋, heading 黑体, subheading 楷体, table 宋体)
//! resolves through a fallback chain of family names, so the same report
//! looks right on Windows, macOS and Kylin/UOS or Debian.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

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
            store.extend(typst_kit::fonts::scan(p));
        }
        if !opts.ignore_system {
            store.extend(typst_kit::fonts::system());
        }
        let mut families: Vec<String> = store.book().families().map(|(f, _)| f.to_string()).collect();
        families.sort();
        families.dedup();
        FontLibrary { store, families }
    }

    pub fn book(&self) -> &LazyHash<FontBook> {
        self.store.book()
    }

    pub fn font(&self, index: usize) -> Option<Font> {
        self.store.font(index)
    }

    fn has(&self, family: &str) -> bool {
        self.book().contains_family(&family.to_lowercase())
    }

    fn infos(&self, family: &str) -> Vec<&FontInfo> {
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

    /// Roles without a CJK font, in the order of the typography table.
    pub fn missing_roles(&self) -> Vec<&'static str> {
        typography::get().keys().filter(|r| self.cjk.get(*r).is_some_and(Option::is_none)).collect()
    }
}

pub fn role_label(role: &str) -> &'static str {
    typography::get().label(role)
}

/// What to install for fonts, per platform.
pub const INSTALL_HINT: &str = "Debian/Ubuntu/统信 UOS/麒麟：sudo apt install fonts-noto-cjk；\
Windows 和 macOS 自带中文字体；也可以把字体文件放进一个文件夹，用 --font-path 文件夹 指定";
