//! The loaded report: metadata, narrative and every cell of the format's
//! tables, each remembering where it came from.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::format::Format;
use crate::source::{FileId, Span};
use crate::value::CellValue;
pub use crate::value::Date;

/// What `gxgen new` writes where the author still has to write: text that
/// still holds it is not ready to publish.
pub const PLACEHOLDER: &str = "【待填写】";

#[derive(Debug, Clone)]
pub struct Located<T> {
    pub value: T,
    pub span: Span,
}

/// What kind of body publishes the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgencyKind {
    /// 政府部门
    Department,
    /// 一级人民政府
    Government,
    /// 乡镇人民政府、街道办事处
    Township,
}

impl AgencyKind {
    pub const NAMES: &'static [&'static str] = &["department", "government", "township"];

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "department" => Some(Self::Department),
            "government" => Some(Self::Government),
            "township" => Some(Self::Township),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Contact {
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub phone: Option<String>,
    pub fax: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Meta {
    pub agency: Located<String>,
    pub year: Located<i32>,
    /// The format as written (None: inferred from the year).
    pub format: Option<Located<String>>,
    pub kind: Option<Located<AgencyKind>>,
    pub publish_date: Option<Located<Date>>,
    pub website: Option<String>,
    pub contact: Contact,
    /// Last year's data file of the same agency, as written (relative to this file).
    pub previous: Option<Located<String>>,
    /// Why this year's figures do not follow from last year's (机构改革:
    /// merged or split agencies): the cross-year rules become hints.
    pub carry_over_note: Option<Located<String>>,
}

/// Markdown narrative of one section.
#[derive(Debug, Clone)]
pub struct Narrative {
    pub section: String,
    pub text: String,
    /// The `.md` file, or the YAML file for inline text.
    pub file: FileId,
    /// Where the text is: the whole `.md` file, or the inline YAML value.
    pub span: Span,
    /// Where the data file names this narrative (the value of `narrative.<key>`).
    pub reference: Span,
    pub inline: bool,
}

impl Narrative {
    /// Where bytes `start..end` of the text are in the source: that place in
    /// a `.md` file; the whole value for inline text (its YAML quoting and
    /// indentation move characters).
    pub fn place(&self, start: usize, end: usize) -> Span {
        if self.inline { self.span } else { Span::new(self.file, self.span.start + start, self.span.start + end) }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Written in the data file at this place.
    Given(Span),
    /// Not written: a cell that is not a total, taken as 0.
    Omitted,
    /// Not written: a total, computed from its parts.
    Computed,
}

#[derive(Debug, Clone)]
pub struct Slot {
    pub value: Option<CellValue>,
    pub origin: Origin,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub path: PathBuf,
    pub file: FileId,
    pub format: &'static Format,
    pub meta: Meta,
    pub narrative: Vec<Narrative>,
    /// One slot per cell of the format, in the format's cell order.
    pub cells: Vec<Slot>,
    /// Where each group of cells (a table, a row) is written, by key prefix.
    pub places: HashMap<String, Span>,
    /// Facts blocks and tables that the data file does not write at all.
    pub absent: Vec<String>,
    /// Fonts pinned per typesetting role (`fonts:`), with where they are written.
    pub fonts: std::collections::BTreeMap<String, (Vec<String>, Span)>,
}

impl Report {
    pub fn value(&self, cell: usize) -> Option<&CellValue> {
        self.cells[cell].value.as_ref()
    }

    /// The value of a cell by key.
    pub fn get(&self, key: &str) -> Option<&CellValue> {
        self.value(self.format.cell(key)?)
    }

    /// Where a cell was written, or the nearest enclosing group.
    pub fn place(&self, cell: usize) -> Span {
        if let Origin::Given(s) = self.cells[cell].origin {
            return s;
        }
        let key = &self.format.cells[cell].key;
        let mut prefix = key.as_str();
        while let Some((head, _)) = prefix.rsplit_once('.') {
            if let Some(s) = self.places.get(head) {
                return *s;
            }
            prefix = head;
        }
        self.places.get(prefix).copied().unwrap_or(Span::new(self.file, 0, 0))
    }

    pub fn narrative(&self, section: &str) -> Option<&Narrative> {
        self.narrative.iter().find(|n| n.section == section)
    }
}

#[cfg(test)]
mod tests {
    use super::Date;

    #[test]
    fn days_since_1970() {
        assert_eq!(Date::from_unix_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix_days(19_675).to_string(), "2023-11-14"); // SOURCE_DATE_EPOCH 1700000000
        assert_eq!(Date::from_unix_days(45_658 - 25_569).to_string(), "2025-01-01"); // Excel serial 45658
        assert_eq!(Date::from_unix_days(11_016).to_string(), "2000-02-29");
    }
}
