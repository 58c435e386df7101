//! The command line's definitions: every command and its arguments. Help
//! texts live in `help.rs`, the handlers in one file per command.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use super::help;
use crate::diag::Style;

#[derive(Parser, Debug)]
#[command(
    name = "gxgen",
    version,
    about = help::GXGEN_ABOUT,
    help_template = help::HELP_TEMPLATE,
    subcommand_help_heading = "命令",
    subcommand_value_name = "命令",
    disable_help_subcommand = true,
    disable_help_flag = true,
    disable_version_flag = true,
    next_help_heading = "选项",
    override_usage = "gxgen <命令> [选项]",
    after_help = help::GXGEN_AFTER_HELP
)]
pub struct Cli {
    #[command(subcommand)]
    pub(super) command: Command,
    #[arg(short = 'h', long = "help", action = clap::ArgAction::Help, help = "显示帮助", global = true, help_heading = "选项")]
    pub(super) help: Option<bool>,
    #[arg(short = 'V', long = "version", action = clap::ArgAction::Version, help = "显示版本", help_heading = "选项")]
    pub(super) version: Option<bool>,
}

#[derive(Subcommand, Debug)]
pub(super) enum Command {
    /// 校验报告数据文件：格式、数值、勾稽关系和各项规则
    #[command(
        help_template = help::HELP_TEMPLATE,
        next_help_heading = "选项",
        override_usage = "gxgen check [选项] <数据文件或工作区>...",
        long_about = help::CHECK_LONG_ABOUT,
        after_help = help::CHECK_AFTER_HELP
    )]
    Check(CheckArgs),
    /// 生成报告：先校验，再按官方格式排版，输出网页（HTML）和 PDF
    #[command(
        help_template = help::HELP_TEMPLATE,
        next_help_heading = "选项",
        override_usage = "gxgen build [选项] <数据文件或工作区>...",
        long_about = help::BUILD_LONG_ABOUT,
        after_help = help::BUILD_AFTER_HELP
    )]
    Build(BuildArgs),
    /// 生成一份带注释的报告骨架（数据文件和正文文件），可直接通过校验
    #[command(
        help_template = help::HELP_TEMPLATE,
        next_help_heading = "选项",
        override_usage = "gxgen new --year <年度> --agency <机关全称> [选项] [文件夹]",
        long_about = help::NEW_LONG_ABOUT,
        after_help = help::NEW_AFTER_HELP
    )]
    New(NewArgs),
    /// 显示 PDF 每种排版用途（标题、正文、各级标题、表格）在本机选中的字体
    #[command(
        help_template = help::HELP_TEMPLATE,
        next_help_heading = "选项",
        override_usage = "gxgen fonts [选项]",
        long_about = help::FONTS_LONG_ABOUT,
        after_help = help::FONTS_AFTER_HELP
    )]
    Fonts(FontsArgs),
    /// 生成一张空的数据表（CSV 或 XLSX），每个单位一行、每个单元格一列，按官方顺序
    #[command(
        help_template = help::HELP_TEMPLATE,
        next_help_heading = "选项",
        override_usage = "gxgen template <csv|xlsx> --year <年度> [-o 文件]",
        long_about = help::TEMPLATE_LONG_ABOUT,
        after_help = help::TEMPLATE_AFTER_HELP
    )]
    Template(TemplateArgs),
    /// 读入一份已发布的报告（复制的文字、网页或 Word 文件），写成 gxgen 的报告文件夹
    #[command(
        help_template = help::HELP_TEMPLATE,
        next_help_heading = "选项",
        override_usage = "gxgen import <文件> -o <文件夹> [选项]",
        long_about = help::IMPORT_LONG_ABOUT,
        after_help = help::IMPORT_AFTER_HELP
    )]
    Import(ImportArgs),
    /// 审核已发布的报告：读入后逐条检查，列出不符合格式和规则之处
    #[command(
        help_template = help::HELP_TEMPLATE,
        next_help_heading = "选项",
        override_usage = "gxgen audit [选项] <文件>...",
        long_about = help::AUDIT_LONG_ABOUT,
        after_help = help::AUDIT_AFTER_HELP
    )]
    Audit(AuditArgs),
    /// 在本机浏览器中预览报告：网页和检查结果并排显示，每次保存输入文件后自动重新生成、自动刷新
    #[command(
        help_template = help::HELP_TEMPLATE,
        next_help_heading = "选项",
        override_usage = "gxgen serve [选项] [数据文件或工作区]",
        long_about = help::SERVE_LONG_ABOUT,
        after_help = help::SERVE_AFTER_HELP
    )]
    Serve(ServeArgs),
    /// 写出数据文件（report.yaml）或工作区（gxgen.yaml）的 JSON Schema，供编辑器自动补全、悬停显示官方名称
    #[command(
        help_template = help::HELP_TEMPLATE,
        next_help_heading = "选项",
        override_usage = "gxgen schema (--year <年度> | --workspace) [-o 文件]",
        long_about = help::SCHEMA_LONG_ABOUT,
        after_help = help::SCHEMA_AFTER_HELP
    )]
    Schema(SchemaArgs),
    /// 解释一个诊断代码（如 GX0301）；不带代码时列出全部代码
    #[command(
        help_template = help::HELP_TEMPLATE,
        next_help_heading = "选项",
        override_usage = "gxgen explain [代码]",
        after_help = help::EXPLAIN_AFTER_HELP
    )]
    Explain(ExplainArgs),
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// 报告数据文件（report.yaml 或报告工作簿 report.xlsx）或报告文件夹，可以给多个；或工作区文件夹（含 gxgen.yaml），检查其中每个单位。不写时检查当前文件夹的工作区
    #[arg(value_name = "数据文件")]
    pub(super) files: Vec<PathBuf>,
    /// 输出格式：human 给人看（默认），json 给程序读
    #[arg(long, value_enum, default_value_t = OutputFormat::Human, hide_default_value = true, hide_possible_values = true, value_name = "格式")]
    pub(super) format: OutputFormat,
    /// 把警告也当作不通过：--deny warnings
    #[arg(long, value_enum, value_name = "类别", hide_possible_values = true)]
    pub(super) deny: Option<Deny>,
    /// 彩色输出：auto（终端上彩色，管道或设置 NO_COLOR 时不彩色）、always、never
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, hide_default_value = true, hide_possible_values = true, value_name = "何时")]
    pub(super) color: ColorWhen,
}

#[derive(Args, Debug)]
pub struct BuildArgs {
    /// 报告数据文件（report.yaml 或 report.xlsx）或报告文件夹，可以给多个；或工作区文件夹（含 gxgen.yaml）。不写时使用当前文件夹的工作区
    #[arg(value_name = "数据文件")]
    pub(super) files: Vec<PathBuf>,
    /// 工作区并行生成的份数（默认：CPU 核数）
    #[arg(short = 'j', long, value_name = "份数")]
    pub(super) jobs: Option<usize>,
    /// 输出文件夹（默认：数据文件旁边的 out/）
    #[arg(short = 'o', long = "out", value_name = "文件夹")]
    pub(super) out: Option<PathBuf>,
    /// 页面模板文件夹：其中的同名文件覆盖内置模板
    #[arg(long, value_name = "文件夹")]
    pub(super) templates: Option<PathBuf>,
    /// 有警告也不生成：--deny warnings（例如正文里还有“【待填写】”）
    #[arg(long, value_enum, value_name = "类别", hide_possible_values = true)]
    pub(super) deny: Option<Deny>,
    /// 只生成其中几种，用逗号分隔：--only pdf、--only html,docx（默认全部生成：html、pdf、docx）
    #[arg(long, value_name = "格式", value_delimiter = ',', value_parser = parse_output)]
    pub(super) only: Vec<&'static str>,
    /// 另外写出 typst 排版输入：--emit typst 在输出文件夹写出“年度-机关-typst/”，内有 report.typ 和 document.json，
    /// 与生成 PDF 时交给 typst 的完全相同，可以直接用 typst compile 或 typst 网页版编译（只给 --emit 时不生成其他格式）
    #[arg(long, value_enum, value_name = "内容", hide_possible_values = true)]
    pub(super) emit: Option<EmitArg>,
    #[command(flatten)]
    pub(super) fonts: FontArgs,
    /// PDF 标准：a-3b（PDF/A-3b，适合归档，带报告数据）、a-2b（PDF/A-2b，适合归档，不带报告数据）或 ua-1（PDF/UA-1，无障碍）；默认为带标签的 PDF
    #[arg(long, value_enum, value_name = "标准", hide_possible_values = true)]
    pub(super) pdf_standard: Option<PdfStandardArg>,
    /// 彩色输出：auto、always、never
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, value_name = "何时", hide_default_value = true, hide_possible_values = true)]
    pub(super) color: ColorWhen,
}

#[derive(Args, Debug, Clone)]
pub struct FontArgs {
    /// 额外的字体文件夹（可以给多次）；其中的字体优先于系统字体
    #[arg(long = "font-path", value_name = "文件夹")]
    pub(super) font_paths: Vec<PathBuf>,
    /// 不使用系统字体，只用 --font-path 中的字体
    #[arg(long)]
    pub(crate) ignore_system_fonts: bool,
}

impl FontArgs {
    pub(super) fn options(&self) -> crate::render::pdf::FontOptions {
        crate::render::pdf::FontOptions { font_paths: self.font_paths.clone(), ignore_system: self.ignore_system_fonts }
    }
}

/// An output format named on the command line (`--only`).
fn parse_output(s: &str) -> Result<&'static str, String> {
    let name = s.trim().to_ascii_lowercase();
    crate::render::find(&name)
        .map(|r| r.name())
        .ok_or_else(|| format!("没有“{s}”这种输出格式；可以用：{}", crate::render::names().join("、")))
}

/// What `--emit` writes besides the outputs.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum EmitArg {
    /// The typst template and data of the PDF.
    Typst,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum PdfStandardArg {
    #[value(name = "a-2b")]
    A2b,
    #[value(name = "a-3b")]
    A3b,
    #[value(name = "ua-1")]
    Ua1,
}

#[derive(Args, Debug)]
pub struct FontsArgs {
    #[command(flatten)]
    pub(super) fonts: FontArgs,
    /// 同时列出本机全部字体家族
    #[arg(long)]
    pub(super) all: bool,
}

#[derive(Args, Debug)]
pub struct NewArgs {
    /// 报告年度，例如 2024
    #[arg(long, value_name = "年度", required_unless_present = "from")]
    pub(super) year: Option<i32>,
    /// 机关全称，例如 某某县某某局
    #[arg(long, value_name = "机关全称", required_unless_present = "from")]
    pub(super) agency: Option<String>,
    /// 机关类型：department 政府部门（默认）、government 一级人民政府、township 乡镇/街道
    #[arg(long, value_enum, default_value_t = KindArg::Department, hide_default_value = true, hide_possible_values = true, value_name = "类型")]
    pub(super) kind: KindArg,
    /// 输出文件夹（默认：当前目录下的“机关全称-年度”）
    #[arg(value_name = "文件夹")]
    pub(super) dir: Option<PathBuf>,
    /// 文件已存在时覆盖
    #[arg(long)]
    pub(super) force: bool,
    /// 数据写成工作簿 report.xlsx（按官方表格排好，只有填数的单元格可以改），不写 report.yaml
    #[arg(long)]
    pub(super) xlsx: bool,
    /// 与 --xlsx 同用：把已有的数据文件（report.yaml）转成工作簿，机关、年度、每个数和正文都取自它
    #[arg(long, value_name = "数据文件", requires = "xlsx", conflicts_with_all = ["year", "agency"])]
    pub(super) from: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// 已发布的报告：文本（.txt）、网页（.html）、Word 文件（.docx）或 gxgen 生成的 PDF
    #[arg(value_name = "文件")]
    pub(super) file: PathBuf,
    /// 写出报告文件夹的位置
    #[arg(short = 'o', long = "out", value_name = "文件夹")]
    pub(super) out: PathBuf,
    /// 输出格式：human 或 json（读入时的发现）
    #[arg(long, value_enum, default_value_t = OutputFormat::Human, value_name = "格式", hide_default_value = true, hide_possible_values = true)]
    pub(super) format: OutputFormat,
    /// 文件已存在时覆盖
    #[arg(long)]
    pub(super) force: bool,
    /// 机关全称：原文只称“我局”“我镇”“本机关”、标题中没有机关名称时指定（优先于原文）
    #[arg(long, value_name = "机关全称")]
    pub(super) agency: Option<String>,
    /// 数据写成报告工作簿 report.xlsx（与 gxgen new --xlsx 的相同），不写 report.yaml
    #[arg(long)]
    pub(super) xlsx: bool,
}

#[derive(Args, Debug)]
pub struct AuditArgs {
    /// 已发布的报告：文本、网页或 .docx，可以给多个
    #[arg(required = true, value_name = "文件")]
    pub(super) files: Vec<PathBuf>,
    /// 输出格式：human、json、csv 或 html（给审核人看的一页网页，须用 -o 指定文件）
    #[arg(long, value_enum, default_value_t = AuditFormat::Human, value_name = "格式", hide_default_value = true, hide_possible_values = true)]
    pub(super) format: AuditFormat,
    /// 把结果写到这个文件（不写时输出到屏幕；--format html 时必须给）
    #[arg(short = 'o', long = "out", value_name = "文件")]
    pub(super) out: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum AuditFormat {
    Human,
    Json,
    Csv,
    Html,
}

#[derive(Args, Debug)]
pub struct TemplateArgs {
    /// 表格类型：csv 或 xlsx
    #[arg(value_enum, value_name = "类型", hide_possible_values = true)]
    pub(super) kind: SheetKind,
    /// 报告年度（决定使用哪种格式）
    #[arg(long, value_name = "年度")]
    pub(super) year: i32,
    /// 输出文件（默认：数据表-年度.csv/.xlsx）
    #[arg(short = 'o', long = "out", value_name = "文件")]
    pub(super) out: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum SheetKind {
    Csv,
    Xlsx,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// 报告数据文件（report.yaml）、报告文件夹或工作区文件夹（含 gxgen.yaml）；不写时用当前文件夹
    #[arg(value_name = "数据文件或工作区")]
    pub(super) target: Option<PathBuf>,
    /// 端口（默认 8765；0 表示任选一个空闲端口）。只在本机 127.0.0.1 上监听
    #[arg(long, default_value_t = 8765, hide_default_value = true, value_name = "端口")]
    pub(super) port: u16,
    /// 只生成其中几种，用逗号分隔（默认全部：html、pdf、docx；预览至少需要 html）
    #[arg(long, value_name = "格式", value_delimiter = ',', value_parser = parse_output)]
    pub(super) only: Vec<&'static str>,
    #[command(flatten)]
    pub(super) fonts: FontArgs,
    /// 工作区并行生成的份数（默认：CPU 核数）
    #[arg(short = 'j', long, value_name = "份数")]
    pub(super) jobs: Option<usize>,
}

#[derive(Args, Debug)]
pub struct SchemaArgs {
    /// 报告年度（决定使用哪种格式）；与 --workspace 同用时描述工作区 defaults 中的键
    #[arg(long, value_name = "年度", required_unless_present = "workspace")]
    pub(super) year: Option<i32>,
    /// 写出工作区 gxgen.yaml 的 schema（不写 --year 时按最新格式）
    #[arg(long)]
    pub(super) workspace: bool,
    /// 输出文件（默认输出到屏幕）
    #[arg(short = 'o', long = "out", value_name = "文件")]
    pub(super) out: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// 诊断代码，例如 GX0301
    #[arg(value_name = "代码")]
    pub(super) code: Option<String>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum OutputFormat {
    Human,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Deny {
    Warnings,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum KindArg {
    Department,
    Government,
    Township,
}

impl ColorWhen {
    /// `terminal`: whether the stream the diagnostics go to is a terminal.
    pub(super) fn style(self, terminal: bool) -> Style {
        match self {
            ColorWhen::Always => Style::Color,
            ColorWhen::Never => Style::Plain,
            ColorWhen::Auto => {
                let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
                if !no_color && terminal { Style::Color } else { Style::Plain }
            }
        }
    }
}
