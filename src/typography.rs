//! The typesetting roles of an official document (title 小标宋, body 仿宋,
//! heading 黑体, subheading 楷体, table 宋体), read from
//! `templates/typography.yaml`. One table serves every renderer that chooses
//! fonts and `gxgen fonts`, so the PDF and the Word file name the same fonts.

use std::sync::OnceLock;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Role {
    pub key: String,
    /// How the role is named to users, e.g. 正文（仿宋）.
    pub label: String,
    /// The style the role is set in, e.g. 仿宋.
    pub style: String,
    /// The size GB/T 9704 sets for the role, in points.
    pub size_pt: f64,
    /// Font names written into a Word file: the first, then its fallbacks.
    pub word: Vec<String>,
    /// Families tried in order when typesetting.
    pub chain: Vec<String>,
    /// Parts of family names that mark a font of the role's own style.
    pub true_style: Vec<String>,
    /// What to install for the role's style, by system (`windows`, `linux`, `macos`).
    pub install: std::collections::BTreeMap<String, String>,
}

impl Role {
    /// Whether a family is of this role's style (else it is a substitute).
    pub fn is_true_style(&self, family: &str) -> bool {
        self.true_style.iter().any(|m| family.contains(m.as_str()))
    }

    /// What to install on the system gxgen runs on.
    pub fn install_here(&self) -> Option<&str> {
        let os = match std::env::consts::OS {
            "windows" => "windows",
            "macos" => "macos",
            _ => "linux",
        };
        self.install.get(os).map(String::as_str)
    }
}

#[derive(Debug, Deserialize)]
pub struct Typography {
    pub roles: Vec<Role>,
    /// Latin serif families tried in order.
    pub latin: Vec<String>,
    /// The Latin font name written into a Word file.
    pub word_latin: String,
}

impl Typography {
    pub fn role(&self, key: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.key == key)
    }

    /// The role keys, in the order `gxgen fonts` shows them.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.roles.iter().map(|r| r.key.as_str())
    }

    /// The user-facing name of a role ("" for an unknown one).
    pub fn label(&self, key: &str) -> &str {
        self.role(key).map_or("", |r| r.label.as_str())
    }
}

/// The embedded table, parsed once. It ships inside the binary, so a parse
/// failure is a build defect that the test suite catches.
pub fn get() -> &'static Typography {
    static T: OnceLock<Typography> = OnceLock::new();
    T.get_or_init(|| {
        let text = crate::assets::text("typography.yaml").unwrap_or_default();
        serde_saphyr::from_str(text).expect("templates/typography.yaml is embedded and valid")
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_role_has_fonts() {
        let t = super::get();
        assert_eq!(t.keys().collect::<Vec<_>>(), ["title", "body", "heading", "subheading", "table"]);
        for r in &t.roles {
            assert!(!r.chain.is_empty() && !r.word.is_empty() && r.size_pt > 0.0, "{}", r.key);
            assert_eq!(r.install.len(), 3, "{}: install hints for windows, linux, macos", r.key);
            // The role's first choice is of its own style.
            assert!(r.is_true_style(&r.chain[0]), "{}", r.key);
        }
    }
}
