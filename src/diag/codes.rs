//! The code catalogue, loaded from `templates/codes.yaml`. Rust code names
//! codes through the constants below; a test checks that every constant and
//! every code used by a table template is in the catalogue.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::Severity;
use crate::assets;

pub const IO: &str = "GX0001";
pub const NOT_UTF8: &str = "GX0002";
pub const EMPTY_FILE: &str = "GX0003";
pub const TOO_LARGE: &str = "GX0004";
pub const YAML_SYNTAX: &str = "GX0005";
pub const YAML_LIMIT: &str = "GX0006";
pub const DUPLICATE_KEY: &str = "GX0007";
pub const TYPING: &str = "GX0011";
pub const TYPING_READ: &str = "GX0012";
pub const YAML_TAG: &str = "GX0013";

pub const UNKNOWN_KEY: &str = "GX0101";
pub const OTHER_FORMAT_KEY: &str = "GX0102";
pub const WRONG_TYPE: &str = "GX0103";
pub const MISSING_FIELD: &str = "GX0104";
pub const ROW_LENGTH: &str = "GX0105";
pub const BAD_PATH: &str = "GX0106";
pub const BAD_META: &str = "GX0107";

pub const COUNT: &str = "GX0201";
pub const SIGNED: &str = "GX0202";
pub const MONEY: &str = "GX0203";
pub const MONEY_UNIT: &str = "GX0204";
pub const BLANK: &str = "GX0205";
pub const NUMBER_FORM: &str = "GX0211";

pub const FORMAT_YEAR: &str = "GX0401";
pub const MISSING_SECTION: &str = "GX0402";
pub const MISSING_FACTS: &str = "GX0403";
pub const DEADLINE: &str = "GX0404";
pub const EARLY_DATE: &str = "GX0405";
pub const GOV_ASSESSMENT: &str = "GX0406";
pub const PREVIOUS: &str = "GX0407";
pub const PLACEHOLDER: &str = "GX0408";
pub const NARRATIVE_FIGURE: &str = "GX0409";
pub const NARRATIVE_NONE: &str = "GX0410";

pub const TEMPLATE_SYNTAX: &str = "GX0501";
pub const TEMPLATE_VARIABLE: &str = "GX0502";
pub const PAGE_TEMPLATE: &str = "GX0503";
pub const OUTPUT: &str = "GX0504";
pub const NESTING: &str = "GX0505";

pub const FONT_MISSING: &str = "GX0601";
pub const GLYPH_MISSING: &str = "GX0602";
pub const TYPESET: &str = "GX0603";
pub const BAD_FONTS: &str = "GX0108";

pub const WORKSPACE: &str = "GX0701";
pub const SUMMARY_RULE: &str = "GX0702";
pub const DUPLICATE_AGENCY: &str = "GX0703";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeInfo {
    pub severity: Severity,
    pub title: String,
    pub explain: String,
}

impl<'de> Deserialize<'de> for Severity {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match String::deserialize(d)?.as_str() {
            "error" => Ok(Severity::Error),
            "warning" => Ok(Severity::Warning),
            "info" => Ok(Severity::Info),
            other => Err(serde::de::Error::custom(format!("unknown severity {other}"))),
        }
    }
}

pub fn catalogue() -> &'static BTreeMap<String, CodeInfo> {
    static CODES: OnceLock<BTreeMap<String, CodeInfo>> = OnceLock::new();
    CODES.get_or_init(|| {
        let text = assets::text("codes.yaml").expect("templates/codes.yaml is embedded");
        serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("templates/codes.yaml is invalid: {e}"))
    })
}

pub fn info(code: &str) -> Option<&'static CodeInfo> {
    catalogue().get(&code.to_ascii_uppercase())
}

pub fn severity(code: &str) -> Severity {
    info(code).map_or(Severity::Error, |i| i.severity)
}

/// Every constant above, for the catalogue test.
pub const ALL: &[&str] = &[
    IO,
    NOT_UTF8,
    EMPTY_FILE,
    TOO_LARGE,
    YAML_SYNTAX,
    YAML_LIMIT,
    DUPLICATE_KEY,
    UNKNOWN_KEY,
    OTHER_FORMAT_KEY,
    WRONG_TYPE,
    MISSING_FIELD,
    ROW_LENGTH,
    BAD_PATH,
    BAD_META,
    COUNT,
    SIGNED,
    MONEY,
    MONEY_UNIT,
    BLANK,
    FORMAT_YEAR,
    MISSING_SECTION,
    MISSING_FACTS,
    DEADLINE,
    EARLY_DATE,
    GOV_ASSESSMENT,
    PREVIOUS,
    PLACEHOLDER,
    NARRATIVE_FIGURE,
    NARRATIVE_NONE,
    TEMPLATE_SYNTAX,
    TEMPLATE_VARIABLE,
    PAGE_TEMPLATE,
    OUTPUT,
    NESTING,
    FONT_MISSING,
    GLYPH_MISSING,
    TYPESET,
    BAD_FONTS,
    WORKSPACE,
    SUMMARY_RULE,
    DUPLICATE_AGENCY,
];
