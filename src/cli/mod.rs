//! The command line. Every text a user reads here is Chinese; each command's
//! help ends with an example.

mod build;
mod check;
mod explain;
mod new;

use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::diag::Style;

const HELP_TEMPLATE: &str = "\
{before-help}{about-with-newline}
用法：{usage}

{all-args}{after-help}";

#[derive(Parser, Debug)]
#[command(
    name = "gxgen",
    version,
    about = "gxgen：政府信息公开工作年度报告编译器\n\n用一个 YAML 数据文件和几段 markdown 正文写年度报告；gxgen 按国家统一格式\n（国办公开办函〔2019〕60号、〔2021〕30号）校验表格数据和勾稽关系。",
    help_template = HELP_TEMPLATE,
    subcommand_help_heading = "命令",
    subcommand_value_name = "命令",
    disable_help_subcommand = true,
    disable_help_flag = true,
    disable_version_flag = true,
    next_help_heading = "选项",
    override_usage = "gxgen <命令> [选项]",
    after_help = "示例：\n  gxgen new --year 2024 --agency 某某县某某局     生成一份报告骨架\n  gxgen check 某某县某某局-2024/report.yaml      校验数据\n  gxgen build 某某县某某局-2024/report.yaml      校验并生成网页\n  gxgen explain GX0301                            查看某个诊断代码的说明\n\n每个命令的详细用法：gxgen <命令> --help"
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
        override_usage = "gxgen check [选项] <数据文件>...",
        long_about = "校验一份或多份报告的数据文件（report.yaml）及其引用的正文文件。\n\n检查内容：YAML 语法、未知或写错的键、每个单元格的数值类型、每行合计、（七）总计、\n“第一项加第二项之和等于第三项加第四项之和”的勾稽关系、行政复议和行政诉讼的总计、\n年度与格式是否相符、各部分是否齐全、2021 格式第六部分的信息处理费情况、发布期限等。\n\n退出状态：0 没有错误；1 发现错误（或在 --deny warnings 时发现警告）；2 参数或读取文件失败。",
        after_help = "示例：\n  gxgen check report.yaml\n  gxgen check examples/*/report.yaml\n  gxgen check report.yaml --format json > 诊断.json\n  gxgen check report.yaml --deny warnings      警告也算不通过（适合上级审核）"
    )]
    Check(CheckArgs),
    /// 生成报告：先校验，再按官方格式排版输出网页（HTML）
    #[command(
        help_template = HELP_TEMPLATE,
        next_help_heading = "选项",
        override_usage = "gxgen build [选项] <数据文件>...",
        long_about = "先做与 gxgen check 相同的全部校验：有错误就不生成，警告照常显示。\n然后把正文中的 {{ … }} 换成表格中的数据，按国家统一格式排出六个部分和三张表，\n写出一个可以直接发布的网页：UTF-8、无脚本、不引用任何外部资源，表格与官方格式逐格一致，\n每个数据单元格带有它的键（data-key），页面内嵌全部数据（JSON），便于汇总程序精确读取。\n\n输出文件名由年度和机关全称组成，例如 out/2024-某某县某某局.html；同样的输入总是得到完全相同的文件。\n页面模板可以覆盖：报告文件夹下的 templates/，或 --templates 指定的文件夹，放入同名的\nreport.html、table.html、style.css 即可。",
        after_help = "示例：\n  gxgen build report.yaml                 输出到 report.yaml 旁边的 out/\n  gxgen build report.yaml -o 发布          输出到“发布”文件夹\n  gxgen build examples/*/report.yaml -o out\n  gxgen build report.yaml --templates 我的模板"
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
    /// 报告数据文件（report.yaml），可以给多个
    #[arg(required = true, value_name = "数据文件")]
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
    /// 报告数据文件（report.yaml），可以给多个
    #[arg(required = true, value_name = "数据文件")]
    files: Vec<PathBuf>,
    /// 输出文件夹（默认：数据文件旁边的 out/）
    #[arg(short = 'o', long = "out", value_name = "文件夹")]
    out: Option<PathBuf>,
    /// 页面模板文件夹：其中的同名文件覆盖内置模板
    #[arg(long, value_name = "文件夹")]
    templates: Option<PathBuf>,
    /// 彩色输出：auto、always、never
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, value_name = "何时", hide_default_value = true, hide_possible_values = true)]
    color: ColorWhen,
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
    fn style(self) -> Style {
        match self {
            ColorWhen::Always => Style::Color,
            ColorWhen::Never => Style::Plain,
            ColorWhen::Auto => {
                let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
                if !no_color && std::io::stderr().is_terminal() {
                    Style::Color
                } else {
                    Style::Plain
                }
            }
        }
    }
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
        Command::Check(a) => check::run(a),
        Command::Build(a) => build::run(a),
        Command::New(a) => new::run(a),
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
            let detail = e.render().to_string();
            let detail = detail.lines().next().unwrap_or_default().trim_start_matches("error: ");
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
