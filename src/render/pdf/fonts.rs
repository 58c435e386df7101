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

/// The roles of an official document, in the order `gxgen fonts` shows them.
pub const ROLES: &[(&str, &str)] = &[
    ("title", "标题（小标宋）"),
    ("body", "正文（仿宋）"),
    ("heading", "一级标题（黑体）"),
    ("subheading", "二级标题（楷体）"),
    ("table", "表格和页码（宋体）"),
];

/// Fallback chains by role: Windows and 方正 names first, then macOS, then
/// the open fonts of Linux distributions.
fn chain(role: &str) -> &'static [&'static str] {
    match role {
        "title" => &[
            "方正小标宋简体",
            "FZXiaoBiaoSong-B05S",
            "方正小标宋_GBK",
            "FZXiaoBiaoSong-B05",
            "STZhongsong",
            "华文中宋",
            "Songti SC",
            "Noto Serif CJK SC",
            "Source Han Serif SC",
            "Source Han Serif CN",
            "Noto Serif SC",
            "SimSun",
            "AR PL UMing CN",
            "AR PL UMing",
        ],
        "body" => &[
            "仿宋_GB2312",
            "FangSong_GB2312",
            "FangSong",
            "仿宋",
            "STFangsong",
            "华文仿宋",
            "方正仿宋_GBK",
            "FZFangSong-Z02S",
            "FandolFang",
            "Noto Serif CJK SC",
            "Source Han Serif SC",
            "Source Han Serif CN",
            "Noto Serif SC",
            "AR PL UMing CN",
            "AR PL UMing",
            "WenQuanYi Zen Hei",
        ],
        "heading" => &[
            "SimHei",
            "黑体",
            "方正黑体_GBK",
            "FZHei-B01S",
            "Heiti SC",
            "STHeiti",
            "PingFang SC",
            "Noto Sans CJK SC",
            "Source Han Sans SC",
            "Source Han Sans CN",
            "Noto Sans SC",
            "WenQuanYi Zen Hei",
            "WenQuanYi Micro Hei",
            // Last resort: a serif CJK font rather than none.
            "Noto Serif CJK SC",
            "Source Han Serif SC",
            "AR PL UMing",
        ],
        "subheading" => &[
            "楷体_GB2312",
            "KaiTi_GB2312",
            "KaiTi",
            "楷体",
            "STKaiti",
            "华文楷体",
            "Kaiti SC",
            "方正楷体_GBK",
            "FZKai-Z03S",
            "FandolKai",
            "AR PL UKai CN",
            "AR PL UKai",
            "Noto Serif CJK SC",
            "Source Han Serif SC",
        ],
        "table" => &[
            "SimSun",
            "宋体",
            "NSimSun",
            "方正书宋_GBK",
            "Songti SC",
            "STSong",
            "华文宋体",
            "FandolSong",
            "Noto Serif CJK SC",
            "Source Han Serif SC",
            "Source Han Serif CN",
            "Noto Serif SC",
            "AR PL UMing CN",
            "AR PL UMing",
        ],
        _ => &[],
    }
}

/// Latin letters and digits are set in a matching serif where one exists.
const LATIN: &[&str] =
    &["Times New Roman", "Liberation Serif", "Nimbus Roman", "TeX Gyre Termes", "DejaVu Serif", "Noto Serif"];

/// Where to look for fonts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct FontOptions {
    pub font_paths: Vec<PathBuf>,
    pub ignore_system: bool,
}

/// The fonts of a run, and how each role resolves.
pub struct FontLibrary {
    pub store: FontStore,
    pub families: Vec<String>,
}

impl FontLibrary {
    /// Scan once per process for each set of options; shared afterwards.
    pub fn shared(opts: &FontOptions) -> Arc<FontLibrary> {
        static CACHE: OnceLock<Mutex<Vec<(FontOptions, Arc<FontLibrary>)>>> = OnceLock::new();
        let cache = CACHE.get_or_init(|| Mutex::new(Vec::new()));
        let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, lib)) = cache.iter().find(|(o, _)| o == opts) {
            return lib.clone();
        }
        let lib = Arc::new(FontLibrary::scan(opts));
        cache.push((opts.clone(), lib.clone()));
        lib
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
        for (role, _) in ROLES {
            let pinned = pins.get(*role).cloned().unwrap_or_default();
            // A pinned list is a fallback list: missing only when none is installed.
            if !pinned.is_empty() && !pinned.iter().any(|p| lib.has(p)) {
                missing_pins.push((role.to_string(), pinned.join("、")));
            }
            // A CJK family must cover common Chinese characters.
            let found = pinned
                .iter()
                .map(String::as_str)
                .chain(chain(role).iter().copied())
                .find(|f| lib.has(f) && lib.covers(f, '政'))
                .map(|f| lib.infos(f).first().map_or(f.to_string(), |i| i.family.clone()));
            cjk.insert(role.to_string(), found);
        }
        let latin = LATIN.iter().find(|f| lib.has(f)).map(|f| lib.infos(f)[0].family.clone());
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

    /// Roles without a CJK font, in the order of ROLES.
    pub fn missing_roles(&self) -> Vec<&'static str> {
        ROLES.iter().map(|(r, _)| *r).filter(|r| self.cjk.get(*r).is_some_and(Option::is_none)).collect()
    }
}

pub fn role_label(role: &str) -> &'static str {
    ROLES.iter().find(|(r, _)| *r == role).map_or("", |(_, l)| l)
}

/// What to install for fonts, per platform.
pub const INSTALL_HINT: &str = "Debian/Ubuntu/统信 UOS/麒麟：sudo apt install fonts-noto-cjk；\
Windows 和 macOS 自带中文字体；也可以把字体文件放进一个文件夹，用 --font-path 文件夹 指定";
