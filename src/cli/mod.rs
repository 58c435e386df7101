//! The command line. Every text a user reads here is Chinese; each command's
//! help ends with an example.

/// `print!` to stdout that ends the run quietly when the reader has gone
/// (`gxgen check … | head`, or `| more` quit early on Windows) instead of
/// panicking, as ripgrep does.
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::write_stdout(format_args!($($arg)*)) };
}

/// `println!` to stdout, as `out!`.
macro_rules! outln {
    ($($arg:tt)*) => { $crate::cli::write_stdout(format_args!("{}\n", format_args!($($arg)*))) };
}

mod build;
mod check;
mod explain;
mod fonts;
mod new;
mod workspace;

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::diag::Style;

/// Write to stdout. A closed pipe ends the run with status 0; any other
/// failure (a full disk under `> 结果.txt`) is said and ends it with 2.
pub(crate) fn write_stdout(args: std::fmt::Arguments) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_fmt(args).and_then(|()| stdout.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(EXIT_OK);
        }
        eprintln!("错误：无法写出结果：{e}");
        std::process::exit(EXIT_USAGE);
    }
}

const HELP_TEMPLATE: &str = "\
{before-help}{about-with-newline}
用法：{usage}

{all-args}{after-help}";

#[derive(Parser, Debug)]
#[command(
    name = "gxgen",
    version,
    about = "gxgen：政府信息公开工作年度报告编译器\n\n用一个 YAML 数据文件和几段 markdown 正文写年度报告；gxgen 按国家统一格式\n（国办公开办函〔2019〕60号、〔2021〕30号）校验表格数据和勾稽关系，\n再排版出网页（HTML）和 PDF，两者与数据逐字一致。",
    help_template = HELP_TEMPLATE,
    subcommand_help_heading = "命令",
    subcommand_value_name = "命令",
    disable_help_subcommand = true,
    disable_help_flag = true,
    disable_version_flag = true,
    next_help_heading = "选项",
    override_usage = "gxgen <命令> [选项]",
    after_help = "示例：\n  gxgen new --year 2024 --agency 某某县某某局     生成一份报告骨架\n  gxgen check 某某县某某局-2024/report.yaml      校验数据\n  gxgen build 某某县某某局-2024/report.yaml      校验并生成网页和 PDF\n  gxgen fonts                                     查看 PDF 用到的字体\n  gxgen explain GX0301                            查看某个诊断代码的说明\n\n每个命令的详细用法：gxgen <命令> --help"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    #[arg(short = 'h', long = "help", action = clap::ArgAction::Help, help = "显示帮助", global = true, help_heading = "选项")]
    help: Option<bool>,
    #[arg(short = 'V', long = "version", action = clap::ArgAction::Version, help = "显示版本", help_heading = "选项")]
    version: Option<bool>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// 校验报告数据文件：格式、数值、勾稽关系和各项规则
    #[command(
        help_template = HELP_TEMPLATE,
        next_help_heading = "选项",
        override_usage = "gxgen check [选项] <数据文件或工作区>...",
        long_about = "校验一份或多份报告的数据文件（report.yaml）及其引用的正文文件。\n\n检查内容：YAML 语法、未知或写错的键、每个单元格的数值类型、每行合计、（七）总计、\n“第一项加第二项之和等于第三项加第四项之和”的勾稽关系、行政复议和行政诉讼的总计、\n年度与格式是否相符、各部分是否齐全、2021 格式第六部分的信息处理费情况、发布期限、\n正文中写出的件数与表格是否一致、正文中列表、引用、加粗等的套叠不超过 10 层、与上年报告是否衔接等。\n给出工作区文件夹（含 gxgen.yaml）时，按工作区的共同设置检查其中每个单位（含表格中的每一行），不生成任何文件。\n\n退出状态：0 没有错误；1 发现错误（或在 --deny warnings 时发现警告）；2 参数或读取文件失败。",
        after_help = "示例：\n  gxgen check report.yaml\n  gxgen check examples/*/report.yaml\n  gxgen check 某某县2024                   检查整个工作区的每个单位\n  gxgen check report.yaml --format json > 诊断.json\n  gxgen check report.yaml --deny warnings      警告也算不通过（适合上级审核）"
    )]
    Check(CheckArgs),
    /// 生成报告：先校验，再按官方格式排版，输出网页（HTML）和 PDF
    #[command(
        help_template = HELP_TEMPLATE,
        next_help_heading = "选项",
        override_usage = "gxgen build [选项] <数据文件或工作区>...",
        long_about = "先做与 gxgen check 相同的全部校验：有错误就不生成，警告照常显示。\n然后把正文中的 {{ … }} 换成表格中的数据，按国家统一格式排出六个部分和三张表，\n写出一个可以直接发布的网页：UTF-8、无脚本、不引用任何外部资源，表格与官方格式逐格一致，\n每个数据单元格带有它的键（data-key），页面内嵌全部数据（JSON），便于汇总程序精确读取；\n再用内置的 typst 排版出 PDF：按党政机关公文格式（GB/T 9704）的习惯用字和版式，与网页逐字一致。\n写 PDF 之前逐字检查字形，缺字时报错而不是印出空框。\n\n输出文件名由年度和机关全称组成（去掉看不见的控制字符），例如 out/2024-某某县某某局.html 和 .pdf；同样的输入总是得到完全相同的文件。
PDF 的日期取自 meta.publish_date；数据文件没有写发布日期时，才用环境变量 SOURCE_DATE_EPOCH。\n模板可以覆盖：报告文件夹下的 templates/，或 --templates 指定的文件夹，放入同名的\nreport.html、table.html、style.css（网页）或 report.typ（PDF）即可。",
        after_help = "示例：\n  gxgen build report.yaml                 输出到 report.yaml 旁边的 out/\n  gxgen build report.yaml --only pdf       只生成 PDF\n  gxgen build report.yaml --font-path 字体  另外使用“字体”文件夹中的字体\n  gxgen build report.yaml -o 发布          输出到“发布”文件夹\n  gxgen build examples/*/report.yaml -o out\n  gxgen build report.yaml --templates 我的模板\n  gxgen build 某某县2024                   生成整个工作区（含 gxgen.yaml 的文件夹）"
    )]
    Build(BuildArgs),
    /// 生成一份带注释的报告骨架（数据文件和正文文件），可直接通过校验
    #[command(
        help_template = HELP_TEMPLATE,
        next_help_heading = "选项",
        override_usage = "gxgen new --year <年度> --agency <机关全称> [选项] [文件夹]",
        long_about = "按年度适用的国家统一格式生成一份完整的报告骨架：report.yaml（每个键后注明官方表格中的名称）\n和三个正文文件 overview.md、problems.md、other.md。生成的文件可以直接通过 gxgen check，\n正文中“【待填写】”的地方会给出警告，提醒替换为实际内容。",
        after_help = "示例：\n  gxgen new --year 2024 --agency 某某县某某局\n  gxgen new --year 2024 --agency 某某县人民政府 --kind government 报告/2024"
    )]
    New(NewArgs),
    /// 显示 PDF 每种排版用途（标题、正文、各级标题、表格）在本机选中的字体
    #[command(
        help_template = HELP_TEMPLATE,
        next_help_heading = "选项",
        override_usage = "gxgen fonts [选项]",
        long_about = "PDF 按公文习惯用字：标题用小标宋，正文用仿宋，一级标题用黑体，二级标题用楷体，表格和页码用宋体。\n每种用途有一串候选字体，gxgen 选用本机已安装的第一个。这个命令列出每种用途选中的字体，\n以及缺少中文字体的用途。系统字体每次运行只扫描一次。",
        after_help = "示例：\n  gxgen fonts\n  gxgen fonts --font-path 字体\n  gxgen fonts --all"
    )]
    Fonts(FontsArgs),
    /// 生成一张空的数据表（CSV 或 XLSX），每个单位一行、每个单元格一列，按官方顺序
    #[command(
        help_template = HELP_TEMPLATE,
        next_help_heading = "选项",
        override_usage = "gxgen template <csv|xlsx> --year <年度> [-o 文件]",
        long_about = "县级政务公开办常用一张表收集各单位的数据。这个命令生成这样一张空表：第一行是表头，\n依次为机关全称、机关类型、发布日期和该年度格式的每一个单元格（用官方名称路径命名），\n每个单位填一行。在工作区的 gxgen.yaml 中用 agencies: [各单位.xlsx] 引用它，gxgen build 就为每一行生成一份报告。",
        after_help = "示例：\n  gxgen template xlsx --year 2024 -o 各单位数据.xlsx\n  gxgen template csv --year 2024 -o 各单位数据.csv"
    )]
    Template(TemplateArgs),
    /// 读入一份已发布的报告（复制的文字、网页或 Word 文件），写成 gxgen 的报告文件夹
    #[command(
        help_template = HELP_TEMPLATE,
        next_help_heading = "选项",
        override_usage = "gxgen import <文件> -o <文件夹> [选项]",
        long_about = "读入已发布的年度报告：从网页或 Word 复制、粘贴保存的文本，从网站另存的网页（.html），\n或 Word 文件（.docx）；UTF-8 或 GBK 编码都可以。找出标题、六个部分和三张表，\n按官方表格的名称逐格对应，写成 report.yaml 和正文 .md 文件。不是原样对上的地方\n（修正的表格名称、空白格、推定的数、缺少的表格或部分）逐条列出，绝不悄悄当作 0。\n读入后用 gxgen check 检查。",
        after_help = "示例：\n  gxgen import 2023年报告.txt -o 某某局-2023\n  gxgen import 2023年报告.html -o 某某局-2023\n  gxgen import 2023年报告.docx -o 某某局-2023 --format json"
    )]
    Import(ImportArgs),
    /// 审核已发布的报告：读入后逐条检查，列出不符合格式和规则之处
    #[command(
        help_template = HELP_TEMPLATE,
        next_help_heading = "选项",
        override_usage = "gxgen audit [选项] <文件>...",
        long_about = "对每份已发布的报告（复制的文本、另存的网页或 .docx，与 gxgen import 相同）先读入，再按国家统一格式检查：\n已公布的数字不符合的算术规则、与官方格式不同的表格名称、与年度不符的格式、缺少的部分或行、\n2021 格式第六部分缺少信息处理费说明、正文中与表格矛盾的数字（措辞能明确对应时），以及值得一看的提示。\n一份报告给人看的结果；审核多份报告时用 --format csv 得到一张表：报告、规则、级别、表格、行、列、公布值、应为。\n有报告存在错误时退出状态为 1。",
        after_help = "示例：\n  gxgen audit 各单位/*.txt\n  gxgen audit 各单位/*.txt --format csv > 审核结果.csv"
    )]
    Audit(AuditArgs),
    /// 解释一个诊断代码（如 GX0301）；不带代码时列出全部代码
    #[command(
        help_template = HELP_TEMPLATE,
        next_help_heading = "选项",
        override_usage = "gxgen explain [代码]",
        after_help = "示例：\n  gxgen explain GX0301\n  gxgen explain"
    )]
    Explain(ExplainArgs),
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// 报告数据文件（report.yaml）或报告文件夹，可以给多个；或工作区文件夹（含 gxgen.yaml），检查其中每个单位。不写时检查当前文件夹的工作区
    #[arg(value_name = "数据文件")]
    files: Vec<PathBuf>,
    /// 输出格式：human 给人看（默认），json 给程序读
    #[arg(long, value_enum, default_value_t = OutputFormat::Human, hide_default_value = true, hide_possible_values = true, value_name = "格式")]
    format: OutputFormat,
    /// 把警告也当作不通过：--deny warnings
    #[arg(long, value_enum, value_name = "类别", hide_possible_values = true)]
    deny: Option<Deny>,
    /// 彩色输出：auto（终端上彩色，管道或设置 NO_COLOR 时不彩色）、always、never
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, hide_default_value = true, hide_possible_values = true, value_name = "何时")]
    color: ColorWhen,
}

#[derive(Args, Debug)]
pub struct BuildArgs {
    /// 报告数据文件（report.yaml），可以给多个；或工作区文件夹（含 gxgen.yaml）。不写时使用当前文件夹的工作区
    #[arg(value_name = "数据文件")]
    files: Vec<PathBuf>,
    /// 工作区并行生成的份数（默认：CPU 核数）
    #[arg(short = 'j', long, value_name = "份数")]
    jobs: Option<usize>,
    /// 输出文件夹（默认：数据文件旁边的 out/）
    #[arg(short = 'o', long = "out", value_name = "文件夹")]
    out: Option<PathBuf>,
    /// 页面模板文件夹：其中的同名文件覆盖内置模板
    #[arg(long, value_name = "文件夹")]
    templates: Option<PathBuf>,
    /// 有警告也不生成：--deny warnings（例如正文里还有“【待填写】”）
    #[arg(long, value_enum, value_name = "类别", hide_possible_values = true)]
    deny: Option<Deny>,
    /// 只生成其中几种，用逗号分隔：--only pdf、--only html,pdf（默认全部生成：html、pdf）
    #[arg(long, value_name = "格式", value_delimiter = ',', value_parser = parse_output)]
    only: Vec<&'static str>,
    #[command(flatten)]
    fonts: FontArgs,
    /// PDF 标准：a-2b（PDF/A-2b，适合归档）或 ua-1（PDF/UA-1，无障碍）；默认为带标签的 PDF
    #[arg(long, value_enum, value_name = "标准", hide_possible_values = true)]
    pdf_standard: Option<PdfStandardArg>,
    /// 彩色输出：auto、always、never
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, value_name = "何时", hide_default_value = true, hide_possible_values = true)]
    color: ColorWhen,
}

#[derive(Args, Debug, Clone)]
pub struct FontArgs {
    /// 额外的字体文件夹（可以给多次）；其中的字体优先于系统字体
    #[arg(long = "font-path", value_name = "文件夹")]
    font_paths: Vec<PathBuf>,
    /// 不使用系统字体，只用 --font-path 中的字体
    #[arg(long)]
    pub(crate) ignore_system_fonts: bool,
}

impl FontArgs {
    fn options(&self) -> crate::render::pdf::FontOptions {
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

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum PdfStandardArg {
    #[value(name = "a-2b")]
    A2b,
    #[value(name = "ua-1")]
    Ua1,
}

#[derive(Args, Debug)]
pub struct FontsArgs {
    #[command(flatten)]
    fonts: FontArgs,
    /// 同时列出本机全部字体家族
    #[arg(long)]
    all: bool,
}

#[derive(Args, Debug)]
pub struct NewArgs {
    /// 报告年度，例如 2024
    #[arg(long, value_name = "年度")]
    year: i32,
    /// 机关全称，例如 某某县某某局
    #[arg(long, value_name = "机关全称")]
    agency: String,
    /// 机关类型：department 政府部门（默认）、government 一级人民政府、township 乡镇/街道
    #[arg(long, value_enum, default_value_t = KindArg::Department, hide_default_value = true, hide_possible_values = true, value_name = "类型")]
    kind: KindArg,
    /// 输出文件夹（默认：当前目录下的“机关全称-年度”）
    #[arg(value_name = "文件夹")]
    dir: Option<PathBuf>,
    /// 文件已存在时覆盖
    #[arg(long)]
    force: bool,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// 已发布的报告：文本（.txt）、网页（.html）或 Word 文件（.docx）
    #[arg(value_name = "文件")]
    file: PathBuf,
    /// 写出报告文件夹的位置
    #[arg(short = 'o', long = "out", value_name = "文件夹")]
    out: PathBuf,
    /// 输出格式：human 或 json（读入时的发现）
    #[arg(long, value_enum, default_value_t = OutputFormat::Human, value_name = "格式", hide_default_value = true, hide_possible_values = true)]
    format: OutputFormat,
    /// 文件已存在时覆盖
    #[arg(long)]
    force: bool,
}

#[derive(Args, Debug)]
pub struct AuditArgs {
    /// 已发布的报告：文本、网页或 .docx，可以给多个
    #[arg(required = true, value_name = "文件")]
    files: Vec<PathBuf>,
    /// 输出格式：human、json 或 csv
    #[arg(long, value_enum, default_value_t = AuditFormat::Human, value_name = "格式", hide_default_value = true, hide_possible_values = true)]
    format: AuditFormat,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum AuditFormat {
    Human,
    Json,
    Csv,
}

#[derive(Args, Debug)]
pub struct TemplateArgs {
    /// 表格类型：csv 或 xlsx
    #[arg(value_enum, value_name = "类型", hide_possible_values = true)]
    kind: SheetKind,
    /// 报告年度（决定使用哪种格式）
    #[arg(long, value_name = "年度")]
    year: i32,
    /// 输出文件（默认：数据表-年度.csv/.xlsx）
    #[arg(short = 'o', long = "out", value_name = "文件")]
    out: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum SheetKind {
    Csv,
    Xlsx,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// 诊断代码，例如 GX0301
    #[arg(value_name = "代码")]
    code: Option<String>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum OutputFormat {
    Human,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Deny {
    Warnings,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum KindArg {
    Department,
    Government,
    Township,
}

impl ColorWhen {
    /// `terminal`: whether the stream the diagnostics go to is a terminal.
    fn style(self, terminal: bool) -> Style {
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

fn audit(args: AuditArgs) -> i32 {
    let mut rows = Vec::new();
    let mut status = EXIT_OK;
    for f in &args.files {
        match crate::driver::audit::audit_file(f) {
            Ok(a) => {
                if args.format == AuditFormat::Human {
                    let errors = a.rows.iter().filter(|r| r.severity == crate::diag::Severity::Error).count();
                    outln!(
                        "{}（{} {} 年度）：{} 个错误，{} 个警告",
                        crate::source::display_path(f),
                        a.agency.as_deref().unwrap_or("未找到机关名称"),
                        a.year.map_or("？".into(), |y| y.to_string()),
                        errors,
                        a.rows.len() - errors
                    );
                    for r in &a.rows {
                        let place: Vec<&str> = [r.table.as_str(), r.row.as_str(), r.column.as_str()]
                            .into_iter()
                            .filter(|s| !s.is_empty())
                            .collect();
                        let place =
                            if place.is_empty() { String::new() } else { format!("（{}）", place.join(" › ")) };
                        outln!("  {} [{}] {}{place}", r.severity.chinese(), r.rule, r.message);
                    }
                }
                rows.extend(a.rows);
            }
            Err(d) => {
                eprintln!("错误：{}（{}）", d.message, crate::source::display_path(f));
                status = EXIT_USAGE;
            }
        }
    }
    match args.format {
        AuditFormat::Csv => out!("{}", crate::driver::audit::csv(&rows)),
        AuditFormat::Json => outln!("{}", serde_json::to_string_pretty(&rows).unwrap_or_default()),
        AuditFormat::Human => {}
    }
    if status == EXIT_OK && rows.iter().any(|r| r.severity == crate::diag::Severity::Error) {
        status = EXIT_FAILED;
    }
    status
}

fn import(args: ImportArgs) -> i32 {
    let bytes = match std::fs::read(&args.file) {
        Ok(b) if b.len() <= crate::load::yaml::MAX_FILE_BYTES * 4 => b,
        Ok(_) => {
            eprintln!("错误：{} 太大，不像一份年度报告", crate::source::display_path(&args.file));
            return EXIT_USAGE;
        }
        Err(e) => {
            eprintln!("错误：无法读取 {}：{e}", crate::source::display_path(&args.file));
            return EXIT_USAGE;
        }
    };
    let imported = crate::import::import_bytes(&bytes);
    let files = imported.files();
    if !args.force {
        if let Some((name, _)) = files.iter().find(|(n, _)| args.out.join(n).exists()) {
            eprintln!(
                "错误：{} 已存在，没有写入任何文件；换一个文件夹，或加 --force 覆盖",
                crate::source::display_path(&args.out.join(name))
            );
            return EXIT_USAGE;
        }
    }
    let written = std::fs::create_dir_all(&args.out)
        .and_then(|_| files.iter().try_for_each(|(n, t)| crate::output::write_atomic(&args.out.join(n), t.as_bytes())));
    if let Err(e) = written {
        eprintln!("错误：无法写入 {}：{e}", crate::source::display_path(&args.out));
        return EXIT_USAGE;
    }
    match args.format {
        OutputFormat::Json => outln!("{}", serde_json::to_string_pretty(&imported).unwrap_or_default()),
        OutputFormat::Human => {
            outln!(
                "已读入：{} {} 年度（{} 格式），写到 {}/",
                imported.agency.as_deref().unwrap_or("（未找到机关名称）"),
                imported.year.map_or("？".to_string(), |y| y.to_string()),
                imported.format_id.as_deref().unwrap_or("？"),
                crate::source::display_path(&args.out)
            );
            for f in &imported.findings {
                let place: Vec<&str> =
                    [f.table.as_deref(), f.row.as_deref(), f.column.as_deref()].into_iter().flatten().collect();
                let place = if place.is_empty() { String::new() } else { format!("（{}）", place.join(" › ")) };
                outln!("  [{}] {}{place}", f.code, f.message);
            }
            outln!(
                "共 {} 处需要留意的地方。下一步：gxgen check {}/report.yaml",
                imported.findings.len(),
                crate::source::display_path(&args.out)
            );
        }
    }
    EXIT_OK
}

fn template(args: TemplateArgs) -> i32 {
    use crate::driver::workspace::sheet;
    let Some(format) = crate::format::for_year(args.year) else {
        eprintln!("错误：没有适用于 {} 年度的报告格式", args.year);
        return EXIT_USAGE;
    };
    let header = sheet::template_header(format);
    let (bytes, ext) = match args.kind {
        SheetKind::Csv => (Ok(sheet::write_csv(&header)), "csv"),
        SheetKind::Xlsx => (sheet::write_xlsx(&header), "xlsx"),
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => {
            eprintln!("错误：无法生成表格：{e}");
            return EXIT_USAGE;
        }
    };
    let out = args.out.unwrap_or_else(|| PathBuf::from(format!("数据表-{}.{ext}", args.year)));
    if let Err(e) = crate::output::write_atomic(&out, &bytes) {
        eprintln!("错误：无法写入 {}：{e}", crate::source::display_path(&out));
        return EXIT_USAGE;
    }
    eprintln!(
        "已生成 {}：{} 列（{} 格式，{}）",
        crate::source::display_path(&out),
        header.len(),
        format.id,
        format.document
    );
    EXIT_OK
}

/// Expand `*` and `?` in file arguments ourselves: PowerShell and cmd do
/// not, so `gxgen check 各单位/*/report.yaml` works on Windows too. A
/// pattern that matches nothing is kept as written (and reported).
fn expand_globs(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        let text = p.to_string_lossy().into_owned();
        if !text.contains(['*', '?']) {
            out.push(p);
            continue;
        }
        let mut found = vec![PathBuf::new()];
        for comp in p.components() {
            let name = comp.as_os_str().to_string_lossy().into_owned();
            if !name.contains(['*', '?']) {
                for f in found.iter_mut() {
                    f.push(comp.as_os_str());
                }
                continue;
            }
            let mut next = Vec::new();
            for dir in &found {
                let listing = if dir.as_os_str().is_empty() { PathBuf::from(".") } else { dir.clone() };
                let Ok(entries) = std::fs::read_dir(&listing) else { continue };
                let mut names: Vec<String> =
                    entries.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
                names.sort();
                for n in names.into_iter().filter(|n| wildcard(&name, n)) {
                    next.push(dir.join(n));
                }
            }
            found = next;
        }
        let mut hits: Vec<PathBuf> = found.into_iter().filter(|f| f.exists()).collect();
        hits.sort();
        if hits.is_empty() {
            out.push(p);
        } else {
            out.extend(hits);
        }
    }
    out
}

/// `*` any run of characters, `?` one character.
fn wildcard(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    let (mut pi, mut ni, mut star, mut mark) = (0, 0, None, 0);
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ni;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ni = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Exit statuses.
pub const EXIT_OK: i32 = 0;
pub const EXIT_FAILED: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

/// Run the command line; returns the exit status.
pub fn run<I: IntoIterator<Item = OsString>>(args: I) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => return usage_error(e),
    };
    match cli.command {
        Command::Check(mut a) => {
            a.files = expand_globs(std::mem::take(&mut a.files));
            check::run(a)
        }
        Command::Build(mut a) => {
            a.files = expand_globs(std::mem::take(&mut a.files));
            build::run(a)
        }
        Command::New(a) => new::run(a),
        Command::Fonts(a) => fonts::run(a),
        Command::Template(a) => template(a),
        Command::Import(a) => import(a),
        Command::Audit(mut a) => {
            a.files = expand_globs(std::mem::take(&mut a.files));
            audit(a)
        }
        Command::Explain(a) => explain::run(a),
    }
}

fn usage_error(e: clap::Error) -> i32 {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand { EXIT_USAGE } else { EXIT_OK }
        }
        kind => {
            let what = match kind {
                ErrorKind::InvalidSubcommand => "没有这个命令",
                ErrorKind::UnknownArgument => "不认识的参数",
                ErrorKind::MissingRequiredArgument => "缺少必需的参数",
                ErrorKind::InvalidValue => "参数的值无效",
                ErrorKind::ValueValidation => "参数的值无效",
                _ => "命令行参数有误",
            };
            let rendered = e.render().to_string();
            // The first line, plus the indented lines that name the argument.
            let mut lines = rendered.lines();
            let mut detail =
                lines.next().unwrap_or_default().trim_start_matches("error: ").trim_end_matches(':').to_string();
            for l in lines.take_while(|l| l.starts_with("  ")) {
                detail.push(' ');
                detail.push_str(l.trim());
            }
            eprintln!("错误：{what}（{detail}）");
            for kind in [clap::error::ContextKind::SuggestedSubcommand, clap::error::ContextKind::SuggestedArg] {
                if let Some(clap::error::ContextValue::Strings(v)) = e.get(kind) {
                    eprintln!("是不是想用：{}？", v.join("、"));
                }
                if let Some(clap::error::ContextValue::String(v)) = e.get(kind) {
                    eprintln!("是不是想用：{v}？");
                }
            }
            eprintln!("用 gxgen --help 查看用法，gxgen <命令> --help 查看某个命令的用法");
            EXIT_USAGE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::wildcard;

    #[test]
    fn wildcards() {
        assert!(wildcard("*", "report.yaml"));
        assert!(wildcard("*.yaml", "report.yaml"));
        assert!(wildcard("r?port.yaml", "report.yaml"));
        assert!(wildcard("汉*局", "汉阴县行政审批服务局"));
        assert!(!wildcard("*.md", "report.yaml"));
        assert!(!wildcard("a?", "a"));
    }
}
