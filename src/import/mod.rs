//! `gxgen import`: read a report that was published without gxgen (plain
//! text copied from a web page or Word) back into a report folder —
//! `report.yaml` plus the narrative `.md` files — that `gxgen check`
//! accepts, keeping every number and the narrative text as published.
//!
//! The reader is deterministic and offline. It is driven by the table
//! templates (`templates/tables/*.yaml`): labels are matched after
//! normalisation (formats.md §9.3), with a list of known variants
//! (`variants.yaml`) and a bounded fuzzy match; the format version is
//! recognised from the labels and checked against the year; ragged rows are
//! completed from the arithmetic rules where that is unambiguous. Every
//! decision that is not an exact match is returned as a [`Finding`].
//!
//! The road: `doc` (section headings, paragraphs) → `meta` (title, agency,
//! year) → `tokens` (a table section cut into cells) → `tables` (cells
//! placed by label, `labels` and `layout` helping) → `facts` (信息处理费
//! stated in the text) → `emit` (the YAML).

mod doc;
mod emit;
mod facts;
pub mod input;
mod labels;
mod layout;
mod meta;
mod normalize;
pub mod pdf;
pub mod suggest;
mod tables;
mod tokens;

use crate::diag::codes;
use serde::Serialize;

use crate::format::{self, Format};
pub use tables::Read;
use tokens::Tokens;

/// The outcome of an import.
#[derive(Debug, Clone, Serialize)]
pub struct Imported {
    pub agency: Option<String>,
    pub year: Option<i32>,
    /// "2019" | "2021"
    pub format_id: Option<String>,
    /// A `report.yaml` that `gxgen check` accepts; narrative keys point at
    /// the files in `narratives`.
    pub yaml: String,
    /// (file name, markdown text), e.g. ("overview.md", …).
    pub narratives: Vec<(String, String)>,
    /// Every decision that was not an exact match.
    pub findings: Vec<Finding>,
    /// What was read for each cell of the format (by index into
    /// `format::by_id(format_id).cells`); empty when no format was found.
    #[serde(skip)]
    pub cells: Vec<Read>,
    /// The published text as read (line ends unified): what `line` of a
    /// finding counts in.
    #[serde(skip)]
    pub text: String,
    /// The sections of a truncated text that lie past its end (their
    /// labels): the truncation finding names them once.
    pub past_cut: Vec<String>,
}

impl Imported {
    /// The files of the report folder: `report.yaml` and the narratives.
    pub fn files(&self) -> Vec<(String, String)> {
        let mut v = vec![("report.yaml".to_string(), self.yaml.clone())];
        v.extend(self.narratives.iter().cloned());
        v
    }
}

/// One decision of the import that was not an exact match, or a part of
/// the report that was not found. Messages are in Chinese; `table`, `row`
/// and `column` use the official labels. `code` is a GX08xx code of
/// `templates/codes.yaml` (severity and `gxgen explain` text there).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub message: String,
    pub table: Option<String>,
    pub row: Option<String>,
    pub column: Option<String>,
    pub published: Option<String>,
    pub expected: Option<String>,
    /// The line of the published text (1-based, after line ends are
    /// unified) the finding is about, when it is about one place.
    pub line: Option<usize>,
}

impl Finding {
    /// The severity the catalogue gives the finding's code.
    pub fn severity(&self) -> crate::diag::Severity {
        codes::severity(self.code)
    }

    /// The finding as a diagnostic like any other (the place in the
    /// official table as a note).
    pub fn diagnostic(&self) -> crate::diag::Diagnostic {
        let mut d = crate::diag::Diagnostic::new(self.code, self.message.clone());
        let place: Vec<&str> =
            [self.table.as_deref(), self.row.as_deref(), self.column.as_deref()].into_iter().flatten().collect();
        if !place.is_empty() {
            d = d.note(format!("位置：{}", place.join(" › ")));
        }
        if let Some(l) = self.line {
            d = d.note(format!("原文第 {l} 行"));
        }
        d.actual = self.published.clone();
        d.expected = self.expected.clone();
        d
    }

    pub fn new(code: &'static str, message: impl Into<String>) -> Finding {
        Finding {
            code,
            message: message.into(),
            table: None,
            row: None,
            column: None,
            published: None,
            expected: None,
            line: None,
        }
    }

    pub fn table(mut self, s: impl Into<String>) -> Self {
        self.table = Some(s.into());
        self
    }

    pub fn row(mut self, s: impl Into<String>) -> Self {
        self.row = Some(s.into());
        self
    }

    pub fn column(mut self, s: impl Into<String>) -> Self {
        self.column = Some(s.into());
        self
    }

    pub fn published(mut self, s: impl Into<String>) -> Self {
        self.published = Some(s.into());
        self
    }

    pub fn expected(mut self, s: impl Into<String>) -> Self {
        self.expected = Some(s.into());
        self
    }

    pub fn line(mut self, line: Option<usize>) -> Self {
        self.line = self.line.or(line);
        self
    }
}

/// The finding code of an input that cannot be read at all (a broken or
/// oversized .docx, a file over the size limit, an HTML page nested too
/// deep): nothing is imported, `import` writes nothing and fails.
pub const UNREADABLE: &str = codes::IMPORT_UNREADABLE;

/// An import of nothing, with the reason the input could not be read.
fn refused(message: String) -> Imported {
    Imported {
        agency: None,
        year: None,
        format_id: None,
        yaml: String::new(),
        narratives: Vec::new(),
        findings: vec![Finding::new(UNREADABLE, message)],
        cells: Vec::new(),
        text: String::new(),
        past_cut: Vec::new(),
    }
}

impl Imported {
    /// The findings as diagnostics located in the published text: the text
    /// (as read: an HTML page or .docx as its text, line ends unified) is
    /// added to `sources` under `path`, a source like any other, and each
    /// finding about one line points at that line.
    pub fn diagnostics(
        &self,
        path: &std::path::Path,
        sources: &mut crate::source::Sources,
    ) -> Vec<crate::diag::Diagnostic> {
        let file = sources.add(path, self.text.clone());
        let starts = sources.get(file).line_starts().to_vec();
        let len = self.text.len();
        self.findings
            .iter()
            .map(|f| {
                let d = f.diagnostic();
                let span = f.line.and_then(|l| {
                    let start = *starts.get(l.checked_sub(1)?)?;
                    let end = starts.get(l).map_or(len, |&e| e.saturating_sub(1));
                    Some(crate::source::Span::new(file, start, end))
                });
                match span {
                    Some(span) => d.at(span, f.published.clone().unwrap_or_else(|| "这一行".into())),
                    None => d,
                }
            })
            .collect()
    }

    /// Whether the input could not be read at all (see [`UNREADABLE`]).
    pub fn unreadable(&self) -> bool {
        self.findings
            .iter()
            .any(|f| [UNREADABLE, codes::IMPORT_PDF_NOT_GXGEN, codes::IMPORT_PDF_DATA].contains(&f.code))
    }
}

/// What the caller knows besides the text.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The agency's full name, given by the user (`--agency`): it wins over
    /// what the text says.
    pub agency: Option<String>,
    /// The file's name without its extension: a last place to find the
    /// agency's name (`某某局2023年政府信息公开工作年度报告.txt`).
    pub file_stem: Option<String>,
    /// The HTML page's `<title>` (set by [`import_bytes_with`]).
    pub page_title: Option<String>,
    /// For `audit`: printed blanks are written as 0 in the YAML (so that
    /// the rules run on them; `cells` still says they were blank), and a
    /// missing agency or year is written as a placeholder (so that one
    /// finding says so and the rules still run).
    pub for_audit: bool,
}

/// The agency written for `audit` when the text names none.
pub const AGENCY_PLACEHOLDER: &str = "（原文未写明机关名称）";

/// Import a file's bytes: UTF-8 or GBK text, an HTML page or a .docx file,
/// within the limits of [`input`] (the same for `import` and `audit`).
pub fn import_bytes(bytes: &[u8]) -> Imported {
    import_bytes_with(bytes, &Options::default())
}

/// [`import_bytes`] with what the caller knows besides the text.
pub fn import_bytes_with(bytes: &[u8], options: &Options) -> Imported {
    if bytes.len() > input::MAX_INPUT_BYTES {
        return refused(format!(
            "文件太大（{} 字节），超过上限 {} MiB，不像一份年度报告",
            bytes.len(),
            input::MAX_INPUT_BYTES >> 20
        ));
    }
    if pdf::is_pdf(bytes) {
        return pdf::import(bytes, options);
    }
    if input::is_docx(bytes) {
        return match input::docx_to_text(bytes) {
            Ok(text) => import_text_with(&text, options),
            Err(e) => refused(format!("无法读取 .docx 文件：{e}")),
        };
    }
    let (text, decoded) = input::decode(bytes);
    let mut imported = if input::is_html(&text) {
        let depth = input::html_depth(&text);
        if depth > input::MAX_HTML_DEPTH {
            return refused(format!(
                "网页的元素嵌套过深（{depth} 层，上限 {} 层），不像一份年度报告的网页，拒绝读取",
                input::MAX_HTML_DEPTH
            ));
        }
        let options = Options { page_title: input::html_title(&text), ..options.clone() };
        import_text_with(&input::html_to_text(&text), &options)
    } else {
        import_text_with(&text, options)
    };
    if let Some(f) = decoded {
        imported.findings.insert(0, f);
    }
    imported
}

/// Import a report published as plain text.
pub fn import_text(text: &str) -> Imported {
    import_text_with(text, &Options::default())
}

/// [`import_text`] with what the caller knows besides the text.
pub fn import_text_with(text: &str, options: &Options) -> Imported {
    let text = clean(text);
    let lines: Vec<&str> = text.split('\n').collect();
    let mut findings = Vec::new();

    // Section headings are the same in every format; the latest one's are used
    // until the tables say which format the report follows.
    let provisional = format::all().last().expect("at least one format");
    let outline = Outline { heads: doc::headings(&lines, provisional), lines };
    let first = outline.heads.first().map_or(outline.lines.len(), |h| h.line);
    let title = meta::title(&outline.lines[..first], provisional);
    if title.text.is_none() {
        findings
            .push(Finding::new(codes::IMPORT_TITLE_MISSING, "原文没有标题（机关名称+年度+政府信息公开工作年度报告）"));
    }
    let year = find_year(&title, &text, outline.body("overview").unwrap_or_default(), &mut findings);

    let table_tokens: Vec<(String, Tokens)> = provisional
        .tables
        .iter()
        .filter_map(|t| {
            let key = &provisional.sections[t.section].key;
            outline.body(key).map(|b| {
                let mut toks = tokens::tokenize(&b);
                toks.ends_document = outline.heads.last().is_some_and(|h| h.key == *key)
                    && provisional.sections.last().is_some_and(|s| s.key != *key);
                toks.first_line = outline.heads.iter().find(|h| h.key == *key).map_or(0, |h| h.line + 1);
                (key.clone(), toks)
            })
        })
        .collect();
    let Some((format, format_note)) = choose_format(&table_tokens, year.map(|y| y.0), &mut findings) else {
        return unformatted(title, year, findings);
    };
    let agency = find_agency(&title, &text, format, options, &mut findings);
    report_outline(format, &outline.heads, &mut findings);

    let outline_keys: Vec<String> = outline.heads.iter().map(|h| h.key.clone()).collect();
    let (mut cells, mut left_out) = read_tables(format, &table_tokens, &outline_keys, &mut findings);
    let prose = read_narratives(format, &outline, agency.as_ref().map(|a| a.0.as_str()), &mut findings);
    read_facts(format, &outline, &prose, &mut cells, &mut left_out, &mut findings);

    let title_text = title.text.clone().unwrap_or_else(|| {
        let a = agency.as_ref().map_or(String::new(), |a| a.0.clone());
        let y = year.map_or(String::new(), |y| y.0.to_string());
        format.title.replace("{agency}", &a).replace("{year}", &y)
    });
    let notes: Vec<String> = findings.iter().filter(|f| is_document_note(f)).map(|f| f.message.clone()).collect();
    let row_notes = row_notes(&findings);
    let placeholder = (AGENCY_PLACEHOLDER.to_string(), "机关全称（原文未写明，审核时的占位）".to_string());
    let agency_written = match (&agency, options.for_audit) {
        (None, true) => Some(&placeholder),
        (a, _) => a.as_ref(),
    };
    let year_written = match (year, options.for_audit) {
        (None, true) => {
            (2000..=2100).find(|&y| format.fits_year(y)).map(|y| (y, "报告年度（原文未写明，审核时的占位）"))
        }
        (y, _) => y,
    };
    let written: Vec<Read> = match options.for_audit {
        true => cells
            .iter()
            .map(|c| match c {
                Read::Blank(_) => Read::Value(crate::value::CellValue::count(crate::value::Decimal::ZERO)),
                other => other.clone(),
            })
            .collect(),
        false => cells.clone(),
    };
    let head = emit::Head {
        format,
        title: title_text,
        agency: agency_written.map(|(a, how)| (a.as_str(), how.as_str())),
        year: year_written,
        format_note,
        kind: agency.as_ref().map(|a| meta::kind_of(&a.0)),
        publish_date: prose.publish_date.as_deref(),
        narratives: &prose.keys,
        notes: &notes,
        left_out: &left_out,
        row_notes: &row_notes,
    };
    let yaml = emit::yaml(&head, &written);
    Imported {
        agency: agency.map(|a| a.0),
        year: year.map(|y| y.0),
        format_id: Some(format.id.clone()),
        yaml,
        narratives: prose.files,
        findings,
        cells,
        text: text.clone(),
        past_cut: format
            .sections
            .iter()
            .skip(format.sections.iter().rposition(|s| outline_keys.contains(&s.key)).map_or(usize::MAX, |l| l + 1))
            .map(|s| s.label.clone())
            .collect(),
    }
}

/// The document's lines and the section headings found in them.
struct Outline<'t> {
    lines: Vec<&'t str>,
    heads: Vec<doc::Heading>,
}

impl<'t> Outline<'t> {
    /// The lines of a section's body, if its heading was found.
    fn body(&self, key: &str) -> Option<Vec<&'t str>> {
        self.heads.iter().position(|h| h.key == key).map(|k| doc::body(&self.lines, &self.heads, k))
    }

    fn has(&self, key: &str) -> bool {
        self.heads.iter().any(|h| h.key == key)
    }
}

/// Every table of the format, read from its section; tables not found are
/// left out of the YAML (their top-level keys, with why).
fn read_tables(
    format: &'static Format,
    tokens: &[(String, Tokens)],
    outline_keys: &[String],
    findings: &mut Vec<Finding>,
) -> (Vec<Read>, Vec<(String, String)>) {
    let last_found = format.sections.iter().rposition(|s| outline_keys.contains(&s.key));
    let mut cells = vec![Read::Absent; format.cells.len()];
    let mut left_out = Vec::new();
    for (t, table) in format.tables.iter().enumerate() {
        let section = &format.sections[table.section];
        let found = tokens
            .iter()
            .find(|(k, _)| *k == section.key)
            .is_some_and(|(_, toks)| tables::read(format, t, toks, &mut cells, findings));
        // A table past the cut of a truncated text is named once, in the
        // truncation finding.
        let past_cut = last_found.is_some() && format.sections.iter().position(|x| x.key == section.key) > last_found;
        if !found && !past_cut {
            findings.push(
                Finding::new(
                    codes::IMPORT_TABLE_MISSING,
                    format!("原文中未找到“{}”的表格，数据文件中不写这张表", section.label),
                )
                .table(section.label.clone()),
            );
            for top in top_keys(format, t) {
                left_out.push((top, format!("原文中未找到“{}”的表格", section.label)));
            }
        }
    }
    (cells, left_out)
}

/// The narrative sections as read.
struct Prose {
    /// (file name, markdown)
    files: Vec<(String, String)>,
    /// (section key, file name)
    keys: Vec<(String, String)>,
    /// (section key, paragraphs joined by newlines)
    texts: Vec<(String, String)>,
    /// The date at the end of the report, YYYY-MM-DD.
    publish_date: Option<String>,
}

/// The paragraphs of the narrative sections, verbatim; the closing lines
/// (signature, date) are taken off the last section.
fn read_narratives(format: &Format, outline: &Outline, agency: Option<&str>, findings: &mut Vec<Finding>) -> Prose {
    let mut prose = Prose { files: Vec::new(), keys: Vec::new(), texts: Vec::new(), publish_date: None };
    for s in format.sections.iter().filter(|s| s.narrative) {
        let Some(mut lines) = outline.body(&s.key) else { continue };
        if outline.heads.last().is_some_and(|h| h.key == s.key) {
            prose.publish_date = strip_closing(&mut lines, agency);
        }
        let mut joined = 0;
        let paragraphs = doc::paragraphs(&lines, &mut joined);
        if joined > 0 {
            findings.push(Finding::new(
                codes::IMPORT_PARAGRAPH_JOINED,
                format!("“{}”中有 {joined} 处段落在复制时被断开（行末没有标点），已接回", s.label),
            ));
        }
        if paragraphs.is_empty() {
            findings.push(Finding::new(codes::IMPORT_SECTION_EMPTY, format!("“{}”部分没有内容", s.label)));
        }
        let file = s.file.clone();
        prose.texts.push((s.key.clone(), paragraphs.join("\n")));
        prose.files.push((file.clone(), doc::markdown(&paragraphs)));
        prose.keys.push((s.key.clone(), file));
    }
    prose
}

/// Facts a format wants stated in a section's text (2021: 信息处理费): written
/// only when the text states them, else left out (check then says so).
fn read_facts(
    format: &Format,
    outline: &Outline,
    prose: &Prose,
    cells: &mut [Read],
    left_out: &mut Vec<(String, String)>,
    findings: &mut Vec<Finding>,
) {
    for f in &format.facts {
        let section = &format.sections[f.section];
        let text = prose.texts.iter().find(|(k, _)| *k == section.key).map_or("", |(_, t)| t.as_str());
        let Some(stated) = facts::read(format, f, text) else {
            let message = match outline.has(&section.key) {
                true => format!(
                    "“{}”未说明{}情况，数据文件中不写 {}（gxgen check 会就此提示）",
                    section.label, f.name, f.prefix
                ),
                false => {
                    format!("原文中没有“{}”部分，无从读取{}情况，数据文件中不写 {}", section.label, f.name, f.prefix)
                }
            };
            findings.push(Finding::new(codes::IMPORT_FACTS_MISSING, message));
            left_out
                .push((f.prefix.split('.').next().unwrap_or_default().to_string(), format!("原文未说明{}", f.name)));
            continue;
        };
        let mut shown = Vec::new();
        for (key, value) in &stated.values {
            let cell = format.cell(&format!("{}.{key}", f.prefix)).expect("facts item is a cell");
            cells[cell] = match tables::parse_value(value, &format.cells[cell].kind) {
                Ok(v) => Read::Value(v),
                Err(_) => Read::Invalid(value.clone()),
            };
            shown.push(format!("{} {value}", format.cells[cell].col_labels.join("")));
        }
        findings.push(
            Finding::new(
                codes::IMPORT_FACTS_READ,
                format!("据“{}”中“{}”，记{}：{}", section.label, stated.sentence, f.name, shown.join("，")),
            )
            .published(stated.sentence.clone()),
        );
    }
}

/// Short notes for the YAML comments of the rows the import had to judge,
/// by official row label path.
fn row_notes(findings: &[Finding]) -> Vec<(String, String)> {
    findings
        .iter()
        .filter_map(|f| {
            let note = match f.code {
                codes::IMPORT_LABEL_REPAIRED => format!("原表写作“{}”", f.published.as_deref()?),
                codes::IMPORT_CELL_INFERRED => "原文缺格，按算术关系推定".to_string(),
                codes::IMPORT_CELLS_LOST => "原文缺格，不能确定的格留空".to_string(),
                codes::IMPORT_ROW_MISSING => "原文无此行".to_string(),
                codes::IMPORT_EXTRA_VALUES => "原文多出的数未读取".to_string(),
                _ => return None,
            };
            Some((f.row.clone()?, note))
        })
        .collect()
}

/// Findings about the document as a whole, repeated at the top of the YAML.
fn is_document_note(f: &Finding) -> bool {
    matches!(
        f.code,
        codes::IMPORT_TITLE_MISSING
            | codes::IMPORT_AGENCY_COMPLETED
            | codes::IMPORT_AGENCY_INFERRED
            | codes::IMPORT_YEAR_INFERRED
            | codes::IMPORT_YEAR_CONFLICT
            | codes::IMPORT_PERIOD_MISSING
            | codes::IMPORT_FORMAT_MISMATCH
            | codes::IMPORT_FORMAT_FROM_YEAR
            | codes::IMPORT_TRUNCATED
            | codes::IMPORT_SECTION_MISSING
            | codes::IMPORT_TABLE_MISSING
    )
}

/// Unify line ends and drop a byte-order mark.
fn clean(text: &str) -> String {
    text.trim_start_matches('\u{feff}').replace("\r\n", "\n").replace('\r', "\n")
}

/// Top-level YAML keys holding the cells of table `t`.
fn top_keys(format: &Format, t: usize) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for c in &format.cells {
        if matches!(c.owner, format::Owner::Table { table, .. } if table == t) {
            let top = c.key.split('.').next().unwrap_or_default().to_string();
            if !v.contains(&top) {
                v.push(top);
            }
        }
    }
    v
}

/// The year and where it came from.
fn find_year(
    title: &meta::Title,
    text: &str,
    overview: Vec<&str>,
    findings: &mut Vec<Finding>,
) -> Option<(i32, &'static str)> {
    let period = meta::period_year(text);
    if period.is_none() {
        // D-7: the report states its period as Y-01-01 … Y-12-31.
        findings.push(Finding::new(
            codes::IMPORT_PERIOD_MISSING,
            "原文中没有“统计期限自某年1月1日起至12月31日止”这样的说明",
        ));
    }
    match (title.year, period) {
        (Some(t), Some(p)) if t != p => {
            findings.push(
                Finding::new(
                    codes::IMPORT_YEAR_CONFLICT,
                    format!("标题的年度 {t} 与统计期限的年度 {p} 不一致，按标题取 {t}"),
                )
                .published(p.to_string())
                .expected(t.to_string()),
            );
            Some((t, "报告年度（取自标题；统计期限写的是另一年）"))
        }
        (Some(t), _) => Some((t, "报告年度（取自标题）")),
        (None, Some(p)) => {
            findings.push(Finding::new(
                codes::IMPORT_YEAR_INFERRED,
                format!("标题中没有年度，按正文中的统计期限取 {p} 年"),
            ));
            Some((p, "报告年度（取自统计期限）"))
        }
        (None, None) => match meta::common_year(&overview.join("\n")).or_else(|| meta::common_year(text)) {
            Some(y) => {
                findings.push(Finding::new(
                    codes::IMPORT_YEAR_INFERRED,
                    format!("标题和统计期限中都没有年度，按“总体情况”中最常出现的年份取 {y} 年"),
                ));
                Some((y, "报告年度（据正文推定）"))
            }
            None => {
                findings.push(Finding::new(codes::IMPORT_YEAR_MISSING, "原文中找不到报告年度"));
                None
            }
        },
    }
}

/// The agency and where its name came from: `--agency`, the title, the
/// report's name quoted in the text, the HTML page's `<title>`, a
/// government named in the text, the file name. A report that names itself
/// only 我局/我镇/本机关 gets one finding.
fn find_agency(
    title: &meta::Title,
    text: &str,
    format: &Format,
    options: &Options,
    findings: &mut Vec<Finding>,
) -> Option<(String, String)> {
    if let Some(a) = options.agency.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        if title.agency.as_deref().is_some_and(|t| t != a) {
            findings.push(Finding::new(
                codes::IMPORT_AGENCY_INFERRED,
                format!(
                    "按 --agency 选项取机关名称“{a}”（标题中写的是“{}”）",
                    title.agency.as_deref().unwrap_or_default()
                ),
            ));
        }
        return Some((a.to_string(), "机关全称（按 --agency 选项）".into()));
    }
    let quoted = meta::quoted_titles(text, format);
    if let Some(a) = &title.agency {
        if let Some((full, _)) = quoted.iter().find(|(q, _)| q.ends_with(a.as_str()) && q.len() > a.len()) {
            findings.push(
                Finding::new(
                    codes::IMPORT_AGENCY_COMPLETED,
                    format!("标题中的机关名称“{a}”不完整，按正文中的报告名称取“{full}”"),
                )
                .published(a.clone())
                .expected(full.clone()),
            );
            return Some((full.clone(), "机关全称（标题不完整，取自正文中的报告名称）".into()));
        }
        return Some((a.clone(), "机关全称（取自标题）".into()));
    }
    if let Some((q, _)) = quoted.first() {
        findings.push(Finding::new(
            codes::IMPORT_AGENCY_INFERRED,
            format!("标题中没有机关名称，按正文中的报告名称取“{q}”"),
        ));
        return Some((q.clone(), "机关全称（取自正文中的报告名称）".into()));
    }
    if let Some(a) = options.page_title.as_deref().and_then(|t| meta::agency_in_name(t, format)) {
        findings.push(Finding::new(
            codes::IMPORT_AGENCY_INFERRED,
            format!("正文中没有机关名称，按网页标题（<title>）取“{a}”"),
        ));
        return Some((a, "机关全称（取自网页标题）".into()));
    }
    if let Some(g) = meta::government_in_text(text) {
        findings
            .push(Finding::new(codes::IMPORT_AGENCY_INFERRED, format!("标题中没有机关名称，按正文中提到的“{g}”推定")));
        return Some((g, "机关全称（原文无标题，据正文推定）".into()));
    }
    if let Some(a) = options.file_stem.as_deref().and_then(|t| meta::agency_in_name(t, format)) {
        findings.push(Finding::new(codes::IMPORT_AGENCY_INFERRED, format!("正文中没有机关名称，按文件名取“{a}”")));
        return Some((a, "机关全称（取自文件名）".into()));
    }
    let self_name = meta::self_reference(text).map_or(String::new(), |w| format!("（正文只称“{w}”）"));
    findings.push(Finding::new(
        codes::IMPORT_AGENCY_MISSING,
        format!("原文中找不到机关名称{self_name}；可用 --agency 机关全称 指定"),
    ));
    None
}

/// The format the tables follow, checked against the year.
fn choose_format(
    tables: &[(String, Tokens)],
    year: Option<i32>,
    findings: &mut Vec<Finding>,
) -> Option<(&'static Format, &'static str)> {
    const BY_LABELS: &str = "据表格的行名、列名判断";
    let detected = detect_format(tables);
    match (detected, year) {
        (Some((f, _)), Some(y)) if f.fits_year(y) => Some((f, BY_LABELS)),
        (Some((f, evidence)), Some(y)) => {
            let right = format::for_year(y);
            let should = right
                .map_or("没有适用的格式".to_string(), |r| format!("应使用 {} 格式（{}）", r.id, r.document));
            findings.push(
                Finding::new(
                    codes::IMPORT_FORMAT_MISMATCH,
                    format!(
                        "表格使用的是 {} 格式（{}，依据：{}），而 {y} 年度的报告{should}",
                        f.id,
                        f.document,
                        evidence.join("、")
                    ),
                )
                .published(f.id.clone())
                .expected(right.map_or(String::new(), |r| r.id.clone())),
            );
            Some((f, "据表格的行名、列名判断（与报告年度不符）"))
        }
        (Some((f, _)), None) => Some((f, BY_LABELS)),
        (None, Some(y)) => {
            let f = format::for_year(y);
            match f {
                Some(f) => findings.push(Finding::new(
                    codes::IMPORT_FORMAT_FROM_YEAR,
                    format!("未能从表格判断格式，按报告年度 {y} 选用 {} 格式（{}）", f.id, f.document),
                )),
                None => findings.push(Finding::new(
                    codes::IMPORT_FORMAT_UNKNOWN,
                    format!("未能从表格判断格式，{y} 年度也没有适用的格式"),
                )),
            }
            f.map(|f| (f, "表格中无法判断，按报告年度选用"))
        }
        (None, None) => {
            findings.push(Finding::new(codes::IMPORT_FORMAT_UNKNOWN, "未能从表格或年度判断报告格式"));
            None
        }
    }
}

/// The format whose own labels (those no other format has) appear most in
/// the tables, with the labels found. None when no format's labels appear,
/// or two formats tie.
fn detect_format(tables: &[(String, Tokens)]) -> Option<(&'static Format, Vec<String>)> {
    let published: Vec<String> =
        tables.iter().flat_map(|(_, t)| t.toks.iter().map(|tok| normalize::norm(&tok.text))).collect();
    let all = format::all();
    let labels: Vec<Vec<String>> = all.iter().map(table_labels).collect();
    let mut scores: Vec<(usize, Vec<String>)> = Vec::new();
    for (i, own) in labels.iter().enumerate() {
        let others: Vec<String> = labels
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .flat_map(|(_, l)| l.iter().map(|x| normalize::norm(x)))
            .collect();
        let found: Vec<String> = own
            .iter()
            .filter(|l| !others.contains(&normalize::norm(l)) && published.contains(&normalize::norm(l)))
            .cloned()
            .collect();
        scores.push((found.len(), found));
    }
    let best = scores.iter().map(|(n, _)| *n).max()?;
    if best == 0 || scores.iter().filter(|(n, _)| *n == best).count() > 1 {
        return None;
    }
    let i = scores.iter().position(|(n, _)| *n == best)?;
    Some((&all[i], scores[i].1.clone()))
}

/// Every label of a format's tables (captions, corners, columns, rows).
fn table_labels(format: &Format) -> Vec<String> {
    fn walk(h: &format::HeadDef, out: &mut Vec<String>) {
        if let Some(l) = &h.label
            && !out.contains(l)
        {
            out.push(l.clone());
        }
        for c in &h.children {
            walk(c, out);
        }
    }
    let mut out = Vec::new();
    for t in &format.tables {
        for p in &t.parts {
            out.extend(p.caption.iter().cloned());
            out.extend(p.corner.iter().cloned());
            for h in p.columns.iter().chain(&p.rows) {
                walk(h, &mut out);
            }
        }
    }
    out
}

/// Section headings that were repaired, sections not found, and a document
/// that stops before its last section.
fn report_outline(format: &Format, heads: &[doc::Heading], findings: &mut Vec<Finding>) {
    for h in heads {
        if let Some((published, reasons)) = &h.repaired {
            let label = format.section(&h.key).map_or(String::new(), |s| s.label.clone());
            findings.push(
                Finding::new(
                    codes::IMPORT_HEADING_VARIANT,
                    format!("标题“{published}”按“{label}”读取（{}）", reasons.join("；")),
                )
                .published(published.clone())
                .expected(label)
                .line(Some(h.line + 1)),
            );
        }
    }
    let found: Vec<usize> = format
        .sections
        .iter()
        .enumerate()
        .filter(|(_, s)| heads.iter().any(|h| h.key == s.key))
        .map(|(i, _)| i)
        .collect();
    let last = found.last().copied();
    for (i, s) in format.sections.iter().enumerate() {
        // Sections past the cut are named once, in the truncation finding.
        if !found.contains(&i) && last.is_none_or(|l| i < l) {
            findings.push(
                Finding::new(codes::IMPORT_SECTION_MISSING, format!("原文中未找到“{}”部分", s.label))
                    .expected(s.label.clone()),
            );
        }
    }
    if let Some(last) = last
        && last + 1 < format.sections.len()
    {
        let rest: Vec<&str> = format.sections[last + 1..].iter().map(|s| s.label.as_str()).collect();
        findings.push(Finding::new(
            codes::IMPORT_TRUNCATED,
            format!(
                "原文在“{}”之后就结束了，其后的“{}”均未找到：文档可能不完整（被截断）",
                format.sections[last].label,
                rest.join("”“")
            ),
        ));
    }
}

/// Remove the closing lines (a date line, a signature naming the agency)
/// from the end of the last section; returns the date as YYYY-MM-DD.
fn strip_closing(lines: &mut Vec<&str>, agency: Option<&str>) -> Option<String> {
    let mut date = None;
    while let Some(last) = lines.last() {
        let n = normalize::norm(last);
        if n.is_empty() {
            lines.pop();
        } else if date.is_none() && doc::date_line(last).is_some() {
            date = doc::date_line(last);
            lines.pop();
        } else if agency.is_some_and(|a| a.ends_with(&n)) && n.chars().count() >= 2 {
            lines.pop();
        } else {
            break;
        }
    }
    date
}

/// An import whose format could not be determined: meta only.
fn unformatted(title: meta::Title, year: Option<(i32, &'static str)>, findings: Vec<Finding>) -> Imported {
    let mut yaml = String::from("# 由 gxgen import 导入：未能判断报告格式，只写出基本信息。\nmeta:\n");
    if let Some(a) = &title.agency {
        yaml.push_str(&format!("  agency: {}\n", serde_json::to_string(a).unwrap_or_default()));
    }
    if let Some((y, _)) = year {
        yaml.push_str(&format!("  year: {y}\n"));
    }
    Imported {
        agency: title.agency,
        year: year.map(|y| y.0),
        format_id: None,
        yaml,
        narratives: Vec::new(),
        findings,
        cells: Vec::new(),
        text: String::new(),
        past_cut: Vec::new(),
    }
}
