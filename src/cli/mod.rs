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

mod args;
mod audit;
mod build;
mod check;
mod exit;
mod explain;
mod fonts;
mod glob;
mod help;
mod import;
mod new;
mod schema;
mod serve;
mod template;
mod workspace;

use std::ffi::OsString;

use clap::Parser;

pub use args::Cli;
use args::*;
use exit::usage_error;
pub use exit::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use glob::expand_globs;

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

/// Run the command line; returns the exit status.
pub fn run<I: IntoIterator<Item = OsString>>(args: I) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => return usage_error(e),
    };
    // Format files added at run time must all load before anything runs.
    let problems = crate::format::problems();
    if !problems.is_empty() {
        let diags: Vec<crate::diag::Diagnostic> = problems
            .iter()
            .map(|p| {
                crate::diag::Diagnostic::new(crate::diag::codes::FORMAT_FILE, p.clone()).note(format!(
                    "{} 指定的文件夹中每个 .yaml 都是一种格式；改正这个文件，或把它移出这个文件夹",
                    crate::format::FORMATS_VAR
                ))
            })
            .collect();
        let style = ColorWhen::Auto.style(std::io::IsTerminal::is_terminal(&std::io::stderr()));
        eprint!("{}", crate::diag::render_human(&crate::source::Sources::new(), &diags, style));
        return EXIT_USAGE;
    }
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
        Command::Template(a) => template::run(a),
        Command::Import(a) => import::run(a),
        Command::Audit(mut a) => {
            a.files = expand_globs(std::mem::take(&mut a.files));
            audit::run(a)
        }
        Command::Schema(a) => schema::run(a),
        Command::Serve(a) => serve::run(a),
        Command::Explain(a) => explain::run(a),
    }
}
