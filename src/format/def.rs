//! The serde shape of a table template file (`templates/tables/*.yaml`).
//!
//! These structs mirror the files one to one; `format::Format` derives the
//! cell list, the key tree and the expanded rules from them.

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormatDef {
    pub id: String,
    pub name: String,
    pub document: String,
    pub years: Years,
    pub title: String,
    pub opening: String,
    pub sections: Vec<SectionDef>,
    pub tables: Vec<TableDef>,
    #[serde(default)]
    pub facts: Vec<FactsDef>,
    #[serde(default)]
    pub statements: Vec<StatementDef>,
    pub rules: Vec<RuleDef>,
    /// When each kind of body must publish (条例 第四十九条).
    #[serde(default)]
    pub deadlines: Vec<DeadlineDef>,
    /// What a government's report must also cover (条例 第五十条), each
    /// topic with the words that show it is covered.
    #[serde(default)]
    pub government_topics: Vec<TopicDef>,
    /// The cells the workspace index shows for each agency: a cell key, or
    /// `{cell, label}` with the short label the index heads it with.
    #[serde(default)]
    pub headline: Vec<HeadlineDef>,
    /// The outcomes the workspace index charts for the county: each a label
    /// and the cells it sums (`*` matches one key segment).
    #[serde(default)]
    pub outcomes: Vec<OutcomeDef>,
    /// Money units, each with its power of ten relative to 元.
    #[serde(default)]
    pub money_units: Vec<MoneyUnitDef>,
    /// Bases a share in the narrative may name ("占本年新收申请的61.1%").
    #[serde(default)]
    pub share_bases: Vec<ShareBaseDef>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(untagged)]
pub enum HeadlineDef {
    Cell(String),
    Labelled { cell: String, label: String },
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct OutcomeDef {
    pub label: String,
    pub cells: Vec<String>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct DeadlineDef {
    /// An agency kind: department, government or township.
    pub kind: String,
    /// Month and day of the year after the report year.
    pub month: u32,
    pub day: u32,
    /// Whose reports the deadline binds, as the statute says it.
    pub who: String,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct TopicDef {
    pub topic: String,
    pub words: Vec<String>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct MoneyUnitDef {
    pub unit: String,
    pub exponent: i32,
}

#[derive(Debug, Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub struct Years {
    pub from: i32,
    #[serde(default)]
    pub to: Option<i32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionDef {
    pub key: String,
    pub label: String,
    #[serde(default)]
    pub narrative: bool,
    #[serde(default)]
    pub table: Option<String>,
    #[serde(default)]
    pub facts: Option<String>,
    /// A narrative part's file in a report folder (`overview.md`).
    #[serde(default)]
    pub file: Option<String>,
    /// What `gxgen new` writes into the part: paragraphs, `{placeholder}`
    /// where the author still has to write.
    #[serde(default)]
    pub skeleton: Vec<String>,
    /// Paragraphs added for a government's report (条例 第五十条).
    #[serde(default)]
    pub skeleton_government: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableDef {
    pub key: String,
    pub prefix: String,
    pub name: String,
    pub parts: Vec<PartDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartDef {
    #[serde(default)]
    pub caption: Option<String>,
    #[serde(default)]
    pub corner: Option<String>,
    pub columns: Vec<HeadDef>,
    pub rows: Vec<HeadDef>,
}

/// A node of a row or column header tree; leaves carry data.
#[derive(Debug, Deserialize, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct HeadDef {
    #[serde(default)]
    pub key: Option<String>,
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub kind: Option<KindDef>,
    /// Fixed unit printed in the header (money).
    #[serde(default)]
    pub unit: Option<String>,
    /// Units a money cell may carry inside the cell (the unit is printed with the value).
    #[serde(default)]
    pub units: Option<Vec<String>>,
    /// Label printed vertically (one character per line) in the table stub.
    #[serde(default)]
    pub vertical: bool,
    #[serde(default)]
    pub children: Vec<HeadDef>,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum KindDef {
    Count,
    Signed,
    Money,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactsDef {
    pub key: String,
    pub prefix: String,
    pub name: String,
    pub section: String,
    pub items: Vec<HeadDef>,
    pub sentence: String,
    pub sentence_when_zero: String,
}

/// Wording in the narrative that states a figure of the tables.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatementDef {
    pub what: String,
    pub cells: Vec<String>,
    pub words: Vec<String>,
    pub units: Vec<String>,
    #[serde(default)]
    pub none: Vec<String>,
    /// All-or-none claims ("均获维持"): after one of `words` in the same
    /// sentence, these phrases say the cells make up all of `all_of`.
    #[serde(default)]
    pub all: Vec<String>,
    #[serde(default)]
    pub all_of: Vec<String>,
    /// The natural base of a share stated after the figure ("占X%"): the
    /// percentage is recomputed as Σ cells / Σ share_of.
    #[serde(default)]
    pub share_of: Vec<String>,
}

/// A base a share may name after 占: "占本年新收申请的61.1%" is Σ cells of
/// the statement / Σ `cells` of the base whose `words` name it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareBaseDef {
    pub what: String,
    pub cells: Vec<String>,
    pub words: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    pub id: String,
    pub code: String,
    #[serde(default)]
    pub severity: Option<SeverityDef>,
    #[serde(default)]
    pub previous: bool,
    #[serde(default, rename = "for")]
    pub for_each: Option<ForDef>,
    pub check: CheckDef,
    #[serde(default)]
    pub total: Option<String>,
    #[serde(default)]
    pub parts: Vec<String>,
    #[serde(default)]
    pub left: Vec<String>,
    #[serde(default)]
    pub right: Vec<String>,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SeverityDef {
    Error,
    Warning,
    Info,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum CheckDef {
    Sum,
    Equal,
    Le,
    /// Flagged when Σ left equals Σ right and is not 0 (a heuristic for
    /// figures copied into the wrong column).
    Differ,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForDef {
    pub var: String,
    #[serde(default)]
    pub columns: Option<String>,
    #[serde(default)]
    pub rows: Option<String>,
    #[serde(default)]
    pub values: Option<Vec<String>>,
}
