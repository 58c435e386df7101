//! `gxgen build`

use super::{BuildArgs, EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::build::{self, Options};
use crate::diag::render_human;
use crate::source::display_path;

pub(super) fn run(args: BuildArgs) -> i32 {
    let style = args.color.style();
    let opts = Options { out_dir: args.out.clone(), templates: args.templates.clone() };
    let mut status = EXIT_OK;
    for path in &args.files {
        let built = build::build(path, &opts);
        eprint!("{}", render_human(&built.sources, &built.diagnostics.list, style));
        let (errors, warnings) = (built.diagnostics.errors(), built.diagnostics.warnings());
        if built.io_failure {
            status = EXIT_USAGE;
        } else if errors > 0 && status == EXIT_OK {
            status = EXIT_FAILED;
        }
        if errors > 0 || built.outputs.is_empty() {
            eprintln!("{}：未生成（{errors} 个错误，{warnings} 个警告）", display_path(path));
            continue;
        }
        for out in &built.outputs {
            eprintln!("已生成 {}（{warnings} 个警告）", display_path(out));
        }
    }
    status
}
