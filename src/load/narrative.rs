//! `narrative:` — the markdown text of the sections that are written in
//! prose, inline or in `.md` files beside the data file.

use std::path::Path;

use super::read::{self, ReadError};
use super::yaml::{Node, Value};
use super::{did_you_mean, text_of};
use crate::diag::{Diagnostic, Diagnostics, codes};
use crate::input::{Confined, Kind, confine};
use crate::model::{Narrative, Report};
use crate::source::{Sources, Span};

pub fn read(sources: &mut Sources, dir: &Path, node: &Node, report: &mut Report, diags: &mut Diagnostics) {
    report.places.insert("narrative".into(), node.span);
    let allowed: Vec<String> = report.format.sections.iter().filter(|s| s.narrative).map(|s| s.key.clone()).collect();
    let Some(entries) = node.as_map() else {
        if !matches!(node.value, Value::Null) {
            diags.push(
                Diagnostic::new(codes::WRONG_TYPE, format!("narrative 应为键值表，实际是{}", node.type_name()))
                    .at(node.span, "应为键值表")
                    .note(format!("可以写的键：{}", allowed.join("、"))),
            );
        }
        return;
    };
    for (key, value) in entries {
        report.places.insert(format!("narrative.{}", key.name), key.span);
        let Some(section) = report.format.section(&key.name).filter(|s| s.narrative) else {
            let mut d = Diagnostic::new(codes::UNKNOWN_KEY, format!("未知的键“narrative.{}”", key.name))
                .at(key.span, "没有这个叙述部分");
            if let Some(s) = did_you_mean(&key.name, &allowed) {
                d = d.note(format!("是不是想写“{s}”？"));
            }
            let labels: Vec<String> = report
                .format
                .sections
                .iter()
                .filter(|s| s.narrative)
                .map(|s| format!("{}（{}）", s.key, s.label))
                .collect();
            diags.push(d.note(format!("narrative 下可以写：{}", labels.join("、"))));
            continue;
        };
        let Some(text) = text_of(value) else {
            if !matches!(value.value, Value::Null) {
                diags.push(
                    Diagnostic::new(codes::WRONG_TYPE, format!("narrative.{} 应为文字或 .md 文件路径", key.name))
                        .at(value.span, format!("这里是{}", value.type_name())),
                );
            }
            continue;
        };
        let label = section.label.clone();
        let section = section.key.clone();
        if let Some(kind) = wrong_kind(&text) {
            diags.push(
                Diagnostic::new(
                    codes::BAD_PATH,
                    format!("narrative.{} 写的“{}”像是文件名，但{kind}", key.name, text.trim()),
                )
                .at(value.span, "gxgen 不会把文件名当作正文印出")
                .note(
                    "正文可以直接写在这里，或者放在报告文件夹里的 .md、.txt 或 .docx 文件中，在这里写文件名，例如 overview.md",
                )
                .note("旧版 Word（.doc）、WPS（.wps）文件请“另存为”Word 文档（.docx），或把文字复制到 .md 文件里"),
            );
            continue;
        }
        if is_path(&text) {
            // Relative to the file that names it: the report, or the
            // workspace manifest for shared narrative.
            let base = if value.span.file == report.file {
                dir.to_path_buf()
            } else {
                sources.get(value.span.file).path.parent().unwrap_or(Path::new(".")).to_path_buf()
            };
            if let Some(n) = read_file(sources, &base, (&section, &label), &text, value.span, diags) {
                report.narrative.push(n);
            }
        } else {
            report.narrative.push(Narrative {
                section,
                text,
                file: report.file,
                span: value.span,
                reference: value.span,
                inline: true,
            });
        }
    }
}

/// Kinds of file gxgen reads as narrative (plain text is markdown).
const READABLE: &[&str] = &[".md", ".txt", ".docx"];
/// Kinds of file a clerk names that gxgen does not read as narrative.
const OTHER_KINDS: &[&str] = &[".doc", ".wps", ".pdf", ".rtf", ".odt", ".html", ".htm"];

/// Whether a value names a file rather than being text: one line, no
/// spaces, and a file-name ending or a path separator ("docs/overview",
/// "其他事项.docx").
fn names_file(text: &str) -> bool {
    let t = text.trim();
    let lower = t.to_lowercase();
    let ext = READABLE.iter().chain(OTHER_KINDS).any(|e| lower.ends_with(e));
    let sentence = t.contains(['。', '，', '；', '：', '！', '？']);
    !t.is_empty() && !t.contains(char::is_whitespace) && !sentence && (ext || t.contains(['/', '\\']))
}

/// A one-line value ending in `.md`, `.txt` or `.docx` names a file gxgen reads;
/// anything else is markdown (or a file of the wrong kind, see `wrong_kind`).
fn is_path(text: &str) -> bool {
    let t = text.trim().to_lowercase();
    names_file(text) && READABLE.iter().any(|e| t.ends_with(e))
}

/// Why a value that names a file cannot be read as narrative, if it cannot.
fn wrong_kind(text: &str) -> Option<String> {
    if !names_file(text) || is_path(text) {
        return None;
    }
    let t = text.trim().to_lowercase();
    Some(match OTHER_KINDS.iter().find(|e| t.ends_with(*e)) {
        Some(e) => format!("gxgen 不读 {e} 文件作正文（只读 .md、.txt 和 Word 的 .docx）"),
        None => "没有 .md、.txt 或 .docx 扩展名，gxgen 不知道这是什么文件".to_string(),
    })
}

fn read_file(
    sources: &mut Sources,
    dir: &Path,
    (section, label): (&str, &str),
    rel: &str,
    at: Span,
    diags: &mut Diagnostics,
) -> Option<Narrative> {
    let rel = rel.trim();
    let path = match confine(sources.input(), dir, rel) {
        Confined::Inside(p) => p,
        Confined::Outside => {
            diags.push(
                Diagnostic::new(codes::BAD_PATH, format!("叙述文件“{rel}”不在报告所在的文件夹内"))
                    .at(at, "不允许指向报告文件夹以外")
                    .note("叙述文件必须放在数据文件所在的文件夹（或其子文件夹）里，写相对路径，例如 overview.md"),
            );
            return None;
        }
        Confined::LinksOut => {
            diags.push(
                Diagnostic::new(codes::BAD_PATH, format!("叙述文件“{rel}”链接到报告文件夹以外"))
                    .at(at, "不允许指向报告文件夹以外"),
            );
            return None;
        }
    };
    match sources.input().kind(&path) {
        Kind::File | Kind::Missing => {}
        Kind::Dir => {
            diags.push(
                Diagnostic::new(codes::BAD_PATH, format!("叙述文件“{rel}”是一个文件夹"))
                    .at(at, "这里应是一个文件")
                    .note("写出文件夹中那个文件的相对路径，例如 正文/overview.md"),
            );
            return None;
        }
        Kind::Other => {
            diags.push(
                Diagnostic::new(codes::BAD_PATH, format!("叙述文件“{rel}”不是普通文件（可能是管道或设备），不读取"))
                    .at(at, "这里应是一个普通文件"),
            );
            return None;
        }
    }
    if rel.to_lowercase().ends_with(".docx") {
        return read_docx(sources, &path, dir, (section, label), rel, at, diags);
    }
    match read::read_text(sources, &path) {
        Ok(file) => {
            let len = sources.get(file).text.len();
            Some(Narrative {
                section: section.to_string(),
                text: sources.get(file).text.clone(),
                file,
                span: Span::new(file, 0, len),
                reference: at,
                inline: false,
            })
        }
        Err(ReadError::Io(_)) => {
            diags.push(
                Diagnostic::new(codes::BAD_PATH, format!("找不到叙述文件“{rel}”"))
                    .at(at, "这个文件不存在或无法读取")
                    .note(format!("路径相对于数据文件所在的文件夹：{}", crate::source::display_path(dir))),
            );
            None
        }
        Err(ReadError::Content(d)) => {
            diags.push(d);
            None
        }
    }
}

/// A narrative part written in Word: its markdown, with each paragraph a
/// place diagnostics name. Also the workspace's `summary.narrative` parts.
pub(crate) fn read_docx(
    sources: &mut Sources,
    path: &Path,
    dir: &Path,
    (section, label): (&str, &str),
    rel: &str,
    at: Span,
    diags: &mut Diagnostics,
) -> Option<Narrative> {
    use super::docx::{self, Failure, Notice};
    use crate::input::ReadFailure;
    let bytes = match sources.input().read(path, docx::MAX_DOCX_BYTES) {
        Ok(b) => b,
        Err(ReadFailure::TooLarge { len }) => {
            diags.push(
                Diagnostic::new(
                    codes::DOCX_LIMIT,
                    format!("正文 Word 文件“{rel}”太大（{len} 字节），超过上限 {} MiB", docx::MAX_DOCX_BYTES >> 20),
                )
                .at(at, "这个文件不读")
                .note("一份年度报告的正文只有几十千字节；请确认没有选错文件"),
            );
            return None;
        }
        Err(_) => {
            diags.push(
                Diagnostic::new(codes::BAD_PATH, format!("找不到叙述文件“{rel}”"))
                    .at(at, "这个文件不存在或无法读取")
                    .note(format!("路径相对于数据文件所在的文件夹：{}", crate::source::display_path(dir))),
            );
            return None;
        }
    };
    let converted = match docx::convert(&bytes) {
        Ok(c) => c,
        Err(Failure::Damaged(why)) => {
            diags.push(
                Diagnostic::new(codes::DOCX_DAMAGED, format!("正文 Word 文件“{rel}”无法读取：{why}"))
                    .at(at, "这个文件不读")
                    .note("请用 Word 或 WPS 打开它，“另存为”Word 文档（*.docx）后再试"),
            );
            return None;
        }
        Err(Failure::Limit(why)) => {
            diags.push(
                Diagnostic::new(codes::DOCX_LIMIT, format!("正文 Word 文件“{rel}”超过限制：{why}"))
                    .at(at, "这个文件不读")
                    .note("一份年度报告的正文远在这些限制以内；请确认没有选错文件（gxgen explain GX0922）"),
            );
            return None;
        }
    };
    if converted.text.len() > super::yaml::MAX_FILE_BYTES {
        diags.push(
            Diagnostic::new(
                codes::DOCX_LIMIT,
                format!("正文 Word 文件“{rel}”的文字超过上限 {} MiB", super::yaml::MAX_FILE_BYTES >> 20),
            )
            .at(at, "这个文件不读"),
        );
        return None;
    }
    let mut converted = converted;
    let repeated = drop_part_title(&mut converted, label);
    let shown = rel.to_string();
    let places: Vec<(usize, String)> = converted
        .paragraphs
        .iter()
        .map(|&(at, n, table)| (at, format!("{shown} 第 {n} 段{}", if table { "（表格）" } else { "" })))
        .collect();
    let text = converted.text;
    let len = text.len();
    let file = sources.add_with_places(path, text.clone(), places);
    let paragraph_span = |n: usize| {
        converted.paragraphs.iter().find(|p| p.1 == n).map(|p| {
            let text = &sources.get(file).text;
            let end = text[p.0..].find('\n').map_or(text.len(), |e| p.0 + e);
            Span::new(file, p.0, end)
        })
    };
    if let Some(title) = repeated {
        diags.push(
            Diagnostic::new(
                codes::DOCX_PART_TITLE,
                format!("正文 Word 文件“{rel}”开头的“{title}”是部分标题，不重复印出"),
            )
            .at(at, "这个文件的第 1 段")
            .note(format!("“{label}”由 gxgen 印出；Word 文件中只写这一部分的正文")),
        );
    }
    for notice in &converted.notices {
        match notice {
            Notice::Ignored { what, paragraph } => {
                let mut d = Diagnostic::new(codes::DOCX_IGNORED, format!("正文 Word 文件“{rel}”中的{what}不印出"));
                d = match paragraph_span(*paragraph) {
                    Some(span) => d.at(span, format!("{what}在这一段（第 {paragraph} 段）或紧接其后")),
                    None => d.at(at, "这个文件"),
                };
                diags.push(d.note("gxgen 只读 Word 文件中的文字；需要时请把这些内容改写成正文文字"));
            }
            Notice::External { count, first } => diags.push(
                Diagnostic::new(
                    codes::DOCX_EXTERNAL,
                    format!("正文 Word 文件“{rel}”引用了文件以外的 {count} 处内容（例如“{first}”），不打开、不印出"),
                )
                .at(at, "这个文件")
                .note("gxgen 不联网，也不读报告文件夹以外的文件；正文文字照常读取"),
            ),
        }
    }
    Some(Narrative {
        section: section.to_string(),
        text: sources.get(file).text.clone(),
        file,
        span: Span::new(file, 0, len),
        reference: at,
        inline: false,
    })
}

/// A Word file that begins with its part's own title (“一、总体情况”, or
/// “总体情况”): the title is gxgen's to print, so that first block is left
/// out (the paragraphs keep their Word numbers). The title as written.
fn drop_part_title(c: &mut super::docx::Converted, label: &str) -> Option<String> {
    let first = c.paragraphs.first()?;
    if first.1 != 1 || first.2 {
        return None;
    }
    let end = c.paragraphs.get(1).map_or(c.text.len(), |p| p.0);
    let block = c.text[first.0..end].trim();
    let plain: String =
        block.trim_start_matches('#').chars().filter(|ch| !ch.is_whitespace() && *ch != '\\' && *ch != '*').collect();
    let bare = label.split_once('、').map_or(label, |(_, rest)| rest);
    if plain != label && plain != bare {
        return None;
    }
    let title = plain.clone();
    c.text.drain(..end);
    c.paragraphs.remove(0);
    for p in &mut c.paragraphs {
        p.0 -= end;
    }
    Some(title)
}

/// Every narrative section of the format must be present and not empty.
pub fn require_sections(report: &Report, root: Span, diags: &mut Diagnostics) {
    for s in report.format.sections.iter().filter(|s| s.narrative) {
        let at = report.places.get("narrative").copied().unwrap_or(root);
        match report.narrative(&s.key) {
            // Written but unreadable: that problem is already reported.
            None if report.places.contains_key(&format!("narrative.{}", s.key)) => {}
            None => diags.push(
                Diagnostic::new(codes::MISSING_SECTION, format!("缺少“{}”部分的内容", s.label))
                    .at(at, format!("narrative 下应有 {}", s.key))
                    .note(format!("在 narrative 下加上：  {}: {}.md （或直接写文字）", s.key, s.key))
                    .note("没有需要报告的内容时也应写明，例如“无”"),
            ),
            Some(n) if without_comments(&n.text).trim().is_empty() => diags.push(
                Diagnostic::new(codes::MISSING_SECTION, format!("“{}”部分是空的", s.label))
                    .at(n.reference, "这里没有内容")
                    .note("没有需要报告的内容时也应写明，例如“无”"),
            ),
            Some(_) => {}
        }
    }
}

/// The text without HTML comments (authors' notes, never printed).
pub fn without_comments(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        match rest[start..].find("-->") {
            Some(end) => rest = &rest[start + end + 3..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}
