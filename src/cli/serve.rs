//! `gxgen serve`

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use super::{EXIT_OK, EXIT_USAGE, ServeArgs};
use crate::driver::build::Options;
use crate::driver::workspace::manifest;
use crate::render::pdf;
use crate::serve::{self, Target};
use crate::source::display_path;

pub(super) fn run(args: ServeArgs) -> i32 {
    let given = args.target.clone().unwrap_or_else(|| PathBuf::from("."));
    let target = if let Some(m) = manifest::find(&given) {
        Target::Workspace(m)
    } else if given.is_dir() {
        let report = given.join("report.yaml");
        if !report.is_file() {
            eprintln!("错误：{} 中没有 report.yaml，也没有 gxgen.yaml", display_path(&given));
            eprintln!("用法：gxgen serve 报告文件夹、gxgen serve report.yaml，或 gxgen serve 工作区文件夹");
            return EXIT_USAGE;
        }
        Target::Report(report)
    } else if given.is_file() {
        Target::Report(given.clone())
    } else {
        eprintln!("错误：找不到 {}", display_path(&given));
        return EXIT_USAGE;
    };
    let mut outputs = if args.only.is_empty() { crate::render::names() } else { args.only.clone() };
    if !outputs.contains(&"html") {
        outputs.insert(0, "html");
    }
    let opts = serve::Options {
        port: args.port,
        build: Options {
            outputs,
            pdf_options: pdf::Options { fonts: args.fonts.options(), ..pdf::Options::default() },
            ..Options::default()
        },
        jobs: args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
    };
    let shown = display_path(match &target {
        Target::Report(p) | Target::Workspace(p) => p.as_path(),
    });
    eprintln!("正在生成 {shown}……");
    let result = serve::serve(target, opts, &STOP, |addr| {
        outln!("预览地址：http://{addr}/");
        eprintln!("在浏览器中打开上面的地址；保存输入文件后自动重新生成。按 Ctrl+C 停止。");
        on_interrupt();
    });
    match result {
        Ok(()) => {
            eprintln!("已停止预览");
            EXIT_OK
        }
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            eprintln!("错误：端口 {} 已被占用（可能已有一个 gxgen serve 在运行）", args.port);
            eprintln!("换一个端口：gxgen serve --port 8766，或 --port 0 任选一个空闲端口");
            EXIT_USAGE
        }
        Err(e) => {
            eprintln!("错误：无法启动预览：{e}");
            EXIT_USAGE
        }
    }
}

/// Set by Ctrl+C (SIGINT) or SIGTERM: the server finishes a build under way
/// and stops.
static STOP: AtomicBool = AtomicBool::new(false);

#[cfg(unix)]
extern "C" fn stop_on_signal(_: libc::c_int) {
    // Only an atomic store: nothing else is safe in a signal handler.
    STOP.store(true, Ordering::SeqCst);
}

#[cfg(unix)]
fn on_interrupt() {
    let handler = stop_on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe {
        libc::signal(libc::SIGINT, handler);
        libc::signal(libc::SIGTERM, handler);
    }
}

/// Elsewhere Ctrl+C ends the process at once; every output is written
/// atomically, so no half-written file is left.
#[cfg(not(unix))]
fn on_interrupt() {}
