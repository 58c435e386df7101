//! `gxgen build`

use super::{BuildArgs, Deny, EXIT_FAILED, EXIT_OK, EXIT_USAGE, PdfStandardArg};
use crate::diag::render_human;
use crate::driver::build::{self, Options};
use crate::render::pdf;
use crate::source::display_path;

pub(super) fn run(args: BuildArgs) -> i32 {
    let style = args.color.style(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    let opts = Options {
        out_dir: args.out.clone(),
        templates: args.templates.clone(),
        deny_warnings: args.deny == Some(Deny::Warnings),
        // `--emit typst` alone writes only the typst inputs.
        outputs: match (args.only.is_empty(), args.emit.is_some()) {
            (true, false) => crate::render::names(),
            (true, true) => Vec::new(),
            (false, _) => args.only.clone(),
        },
        pdf_options: pdf::Options {
            fonts: args.fonts.options(),
            standard: match args.pdf_standard {
                None => pdf::Standard::Tagged,
                Some(PdfStandardArg::A2b) => pdf::Standard::A2b,
                Some(PdfStandardArg::A3b) => pdf::Standard::A3b,
                Some(PdfStandardArg::Ua1) => pdf::Standard::Ua1,
            },
            template: None,
        },
        emit_typst: args.emit == Some(super::EmitArg::Typst),
    };
    let timings = std::env::var_os("GXGEN_TIMINGS").is_some();
    // A workspace: DIR with gxgen.yaml, the manifest itself, or none given
    // inside one.
    let workspace = match args.files.as_slice() {
        [] => crate::driver::workspace::manifest::find(std::path::Path::new(".")),
        [one] => crate::driver::workspace::manifest::find(one),
        _ => None,
    };
    if let Some(manifest) = workspace {
        let jobs = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        return super::workspace::run(&manifest, opts, jobs, style);
    }
    if args.files.is_empty() {
        eprintln!("错误：没有给出数据文件，当前文件夹也不是工作区（没有 gxgen.yaml）");
        eprintln!("用法：gxgen build report.yaml，或 gxgen build 工作区文件夹");
        return EXIT_USAGE;
    }
    let mut status = EXIT_OK;
    for path in &args.files {
        // A report folder: its report.yaml, else its report.xlsx.
        let file = path.is_dir().then(|| crate::driver::workbook::data_file(path)).flatten();
        let path = file.as_ref().unwrap_or(path);
        let built = build::build(path, &opts);
        eprint!("{}", render_human(&built.sources, &built.diagnostics.list, style));
        let (errors, warnings) = (built.diagnostics.errors(), built.diagnostics.warnings());
        if built.io_failure {
            status = EXIT_USAGE;
        } else if (errors > 0 || built.outputs.is_empty()) && status == EXIT_OK {
            status = EXIT_FAILED;
        }
        if errors > 0 || built.outputs.is_empty() {
            let why = if errors == 0 && opts.deny_warnings { "，--deny warnings" } else { "" };
            eprintln!("{}：未生成（{errors} 个错误，{warnings} 个警告{why}）", display_path(path));
            continue;
        }
        for out in &built.outputs {
            eprintln!("已生成 {}（{warnings} 个警告）", display_path(out));
        }
        if let (true, Some(t)) = (timings, built.pdf_timings) {
            eprintln!("timings: fonts {:.1} ms, layout {:.1} ms, pdf {:.1} ms", t.fonts_ms, t.layout_ms, t.pdf_ms);
        }
    }
    if let Some(hint) = super::fonts::substitute_hint(&opts.pdf_options.fonts) {
        eprintln!("{hint}");
    }
    status
}
