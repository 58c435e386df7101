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
pub const FORMAT_FILE: &str = "GX0109";

pub const WORKSPACE: &str = "GX0701";
pub const SUMMARY_RULE: &str = "GX0702";
pub const DUPLICATE_AGENCY: &str = "GX0703";
pub const DOCX_DAMAGED: &str = "GX0921";
pub const DOCX_LIMIT: &str = "GX0922";
pub const DOCX_EXTERNAL: &str = "GX0923";
pub const DOCX_IGNORED: &str = "GX0924";
pub const DOCX_PART_TITLE: &str = "GX0925";

// GX09xx: the report workbook (report.xlsx).
pub const WB_UNREADABLE: &str = "GX0901";
pub const WB_SHEET_MISSING: &str = "GX0902";
pub const WB_LABEL_REPAIRED: &str = "GX0903";
pub const WB_LABEL_UNKNOWN: &str = "GX0904";
pub const WB_FORMULA_EDITED: &str = "GX0905";
pub const WB_CACHED_STALE: &str = "GX0906";
pub const WB_FORMULA_IN_DATA: &str = "GX0907";
pub const WB_TWICE: &str = "GX0908";

// Importing and auditing published reports.
pub const IMPORT_UNREADABLE: &str = "GX0801";
// A PDF given to import: not gxgen's, its attached data unreadable, or read.
pub const IMPORT_PDF_NOT_GXGEN: &str = "GX0851";
pub const IMPORT_PDF_DATA: &str = "GX0852";
pub const IMPORT_PDF_DATA_READ: &str = "GX0853";
pub const IMPORT_ENCODING: &str = "GX0802";
pub const IMPORT_TITLE_MISSING: &str = "GX0803";
pub const IMPORT_AGENCY_MISSING: &str = "GX0804";
pub const IMPORT_AGENCY_COMPLETED: &str = "GX0805";
pub const IMPORT_AGENCY_INFERRED: &str = "GX0806";
pub const IMPORT_YEAR_MISSING: &str = "GX0807";
pub const IMPORT_YEAR_INFERRED: &str = "GX0808";
pub const IMPORT_YEAR_CONFLICT: &str = "GX0809";
pub const IMPORT_PERIOD_MISSING: &str = "GX0810";
pub const IMPORT_FORMAT_MISMATCH: &str = "GX0811";
pub const IMPORT_FORMAT_FROM_YEAR: &str = "GX0812";
pub const IMPORT_FORMAT_UNKNOWN: &str = "GX0813";
pub const IMPORT_SECTION_MISSING: &str = "GX0814";
pub const IMPORT_SECTION_EMPTY: &str = "GX0815";
pub const IMPORT_HEADING_VARIANT: &str = "GX0816";
pub const IMPORT_TRUNCATED: &str = "GX0817";
pub const IMPORT_TABLE_MISSING: &str = "GX0818";
pub const IMPORT_ROW_MISSING: &str = "GX0819";
pub const IMPORT_HEADER_MISSING: &str = "GX0820";
pub const IMPORT_LABEL_REPAIRED: &str = "GX0821";
pub const IMPORT_LABEL_UNKNOWN: &str = "GX0822";
pub const IMPORT_BLANK_CELL: &str = "GX0823";
pub const IMPORT_BAD_VALUE: &str = "GX0824";
pub const IMPORT_EXTRA_VALUES: &str = "GX0825";
pub const IMPORT_CELL_INFERRED: &str = "GX0826";
pub const IMPORT_CELLS_LOST: &str = "GX0827";
pub const IMPORT_PARAGRAPH_JOINED: &str = "GX0828";
pub const IMPORT_FACTS_READ: &str = "GX0829";
pub const IMPORT_FACTS_MISSING: &str = "GX0830";
pub const IMPORT_BLANKS: &str = "GX0840";
pub const IMPORT_UNCHECKED: &str = "GX0841";

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
    FORMAT_FILE,
    WORKSPACE,
    SUMMARY_RULE,
    IMPORT_UNREADABLE,
    IMPORT_PDF_NOT_GXGEN,
    IMPORT_PDF_DATA,
    IMPORT_PDF_DATA_READ,
    IMPORT_ENCODING,
    IMPORT_TITLE_MISSING,
    IMPORT_AGENCY_MISSING,
    IMPORT_AGENCY_COMPLETED,
    IMPORT_AGENCY_INFERRED,
    IMPORT_YEAR_MISSING,
    IMPORT_YEAR_INFERRED,
    IMPORT_YEAR_CONFLICT,
    IMPORT_PERIOD_MISSING,
    IMPORT_FORMAT_MISMATCH,
    IMPORT_FORMAT_FROM_YEAR,
    IMPORT_FORMAT_UNKNOWN,
    IMPORT_SECTION_MISSING,
    IMPORT_SECTION_EMPTY,
    IMPORT_HEADING_VARIANT,
    IMPORT_TRUNCATED,
    IMPORT_TABLE_MISSING,
    IMPORT_ROW_MISSING,
    IMPORT_HEADER_MISSING,
    IMPORT_LABEL_REPAIRED,
    IMPORT_LABEL_UNKNOWN,
    IMPORT_BLANK_CELL,
    IMPORT_BAD_VALUE,
    IMPORT_EXTRA_VALUES,
    IMPORT_CELL_INFERRED,
    IMPORT_CELLS_LOST,
    IMPORT_PARAGRAPH_JOINED,
    IMPORT_FACTS_READ,
    IMPORT_FACTS_MISSING,
    IMPORT_BLANKS,
    IMPORT_UNCHECKED,
    DUPLICATE_AGENCY,
    WB_UNREADABLE,
    WB_SHEET_MISSING,
    WB_LABEL_REPAIRED,
    WB_LABEL_UNKNOWN,
    WB_FORMULA_EDITED,
    WB_CACHED_STALE,
    WB_FORMULA_IN_DATA,
    WB_TWICE,
    DOCX_DAMAGED,
    DOCX_LIMIT,
    DOCX_EXTERNAL,
    DOCX_IGNORED,
    DOCX_PART_TITLE,
];
