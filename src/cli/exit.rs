//! Exit statuses, and what a wrong command line says (in Chinese, with
//! what to do next).

/// Exit statuses.
pub const EXIT_OK: i32 = 0;
pub const EXIT_FAILED: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

pub(super) fn usage_error(e: clap::Error) -> i32 {
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
