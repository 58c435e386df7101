//! `gxgen serve`: a local preview of one report or a workspace. A plain
//! HTTP/1.1 server on std::net, bound to 127.0.0.1 only: the preview page
//! shows the built HTML beside the findings of the check, and reloads by
//! itself after every save of an input (the inputs' stamps are polled, no
//! file-system notification crate). The script that reloads lives only in
//! the preview page; the published HTML stays script-free. Only the
//! outputs folder is served, never a path outside it (`..`, `%2e%2e`,
//! absolute paths, links out are refused).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use std::time::Duration;

use crate::diag::{Diagnostic, Severity, Style, render_human};
use crate::driver::{build, workspace};
use crate::input::{Disk, Input};
use crate::source::{Sources, display_path};

/// What is previewed.
#[derive(Debug, Clone)]
pub enum Target {
    /// A report's data file.
    Report(PathBuf),
    /// A workspace manifest (gxgen.yaml).
    Workspace(PathBuf),
}

impl Target {
    /// The folder whose files are the inputs (watched) and hold `out/`.
    pub fn root(&self) -> PathBuf {
        let p = match self {
            Target::Report(p) | Target::Workspace(p) => p,
        };
        p.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf()
    }
}

pub struct Options {
    pub port: u16,
    pub build: build::Options,
    pub jobs: usize,
}

/// The most files under the report or workspace folder whose stamps are
/// polled, and how deep; a county workspace has a few hundred.
const MAX_WATCHED: usize = 20_000;
const MAX_DEPTH: usize = 8;
/// How often the stamps are polled.
const POLL: Duration = Duration::from_millis(200);
/// The largest request head read.
const MAX_REQUEST_HEAD: usize = 16 * 1024;

/// The state the watcher writes and the connections read.
#[derive(Default)]
struct State {
    /// Incremented by every build: the page reloads when it changes.
    version: u64,
    /// The preview page of the last build.
    page: String,
}

/// Serve until `stop` is set (Ctrl+C). `ready` is called with the bound
/// address once the first build is done.
pub fn serve(
    target: Target,
    opts: Options,
    stop: &'static AtomicBool,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let listener = TcpListener::bind(("127.0.0.1", opts.port))?;
    // Accepting without blocking, so that the loop sees `stop` (set from
    // the signal handler, which may do nothing but store a flag).
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let root = target.root();
    let out_dir = opts.build.out_dir.clone().unwrap_or_else(|| root.join("out"));
    let state = Arc::new(Mutex::new(State::default()));
    let mut watched = rebuild(&target, &opts, &out_dir, &state);
    ready(addr);
    let watcher = {
        let (state, target, out_dir) = (state.clone(), target.clone(), out_dir.clone());
        std::thread::spawn(move || {
            let mut last = stamps(&root, &out_dir, &watched);
            while !stop.load(Ordering::SeqCst) {
                std::thread::sleep(POLL);
                let now = stamps(&root, &out_dir, &watched);
                if now != last && !stop.load(Ordering::SeqCst) {
                    eprintln!("检测到改动，重新生成……");
                    watched = rebuild(&target, &opts, &out_dir, &state);
                    last = stamps(&root, &out_dir, &watched);
                }
            }
        })
    };
    while !stop.load(Ordering::SeqCst) {
        let conn = match listener.accept() {
            Ok((c, _)) => c,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
            Err(_) => continue,
        };
        let _ = conn.set_nonblocking(false);
        let (state, out_dir) = (state.clone(), out_dir.clone());
        std::thread::spawn(move || {
            let _ = handle(conn, addr, &out_dir, &state);
        });
    }
    // A build under way finishes (its files are written whole) before the end.
    let _ = watcher.join();
    Ok(())
}

/// Size and time of every file under `root` (but the outputs) and of the
/// inputs read from elsewhere (last year's report).
fn stamps(root: &Path, out_dir: &Path, extra: &[PathBuf]) -> Vec<(PathBuf, u64, Option<std::time::SystemTime>)> {
    let disk = Disk;
    let mut out = Vec::new();
    let mut stack = vec![(root.to_path_buf(), 0usize)];
    while let Some((dir, depth)) = stack.pop() {
        for p in disk.list(&dir) {
            if out.len() >= MAX_WATCHED {
                break;
            }
            let name = p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
            if name.starts_with('.') || p == out_dir {
                continue;
            }
            match disk.kind(&p) {
                crate::input::Kind::Dir if depth < MAX_DEPTH => stack.push((p, depth + 1)),
                crate::input::Kind::File => {
                    if let Some((len, time)) = disk.stamp(&p) {
                        out.push((p, len, time));
                    }
                }
                _ => {}
            }
        }
    }
    for p in extra {
        let (len, time) = disk.stamp(p).unwrap_or((u64::MAX, None));
        out.push((p.clone(), len, time));
    }
    out.sort();
    out
}

/// Build, print what happened, make the page; the inputs read from outside
/// the folder, to watch too.
fn rebuild(target: &Target, opts: &Options, out_dir: &Path, state: &Mutex<State>) -> Vec<PathBuf> {
    let root = target.root();
    let (body, title, outside) = match target {
        Target::Report(path) => {
            let mut bopts = opts.build.clone();
            bopts.out_dir = Some(out_dir.to_path_buf());
            let built = build::build(path, &bopts);
            let text = render_human(&built.sources, &built.diagnostics.list, Style::Plain);
            eprint!("{text}");
            let (e, w) = (built.diagnostics.errors(), built.diagnostics.warnings());
            if built.outputs.is_empty() {
                eprintln!("{}：未生成（{e} 个错误，{w} 个警告）；预览中仍是上次生成的版本", display_path(path));
            } else {
                eprintln!("已生成（{e} 个错误，{w} 个警告）");
            }
            let outside = read_elsewhere(&built.sources, &root);
            let (body, title) = report_page(&built, path, out_dir);
            (body, title, outside)
        }
        Target::Workspace(manifest) => {
            let wopts = workspace::Options {
                build: build::Options { out_dir: Some(out_dir.to_path_buf()), ..opts.build.clone() },
                jobs: opts.jobs,
                style: Style::Plain,
                progress: false,
            };
            match workspace::build(manifest, &wopts) {
                Ok(outcome) => {
                    let failed = outcome.agencies.iter().filter(|a| a.status == workspace::Status::Failed).count();
                    eprintln!("工作区已生成：{} 个单位，{failed} 个未生成", outcome.agencies.len());
                    let outside = read_elsewhere(&outcome.sources, &root);
                    (workspace_page(&outcome, out_dir), display_path(&root), outside)
                }
                Err((sources, diags)) => {
                    let text = render_human(&sources, &diags.list, Style::Plain);
                    eprint!("{text}");
                    let body = format!(
                        "<main class=\"only\"><aside><h2>gxgen.yaml 有错误，没有生成</h2><pre>{}</pre></aside></main>",
                        escape(&text)
                    );
                    (body, display_path(&root), Vec::new())
                }
            }
        }
    };
    let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
    s.version += 1;
    s.page = wrap(&title, &body, s.version);
    outside
}

/// Inputs a build read from outside the folder (`meta.previous`).
fn read_elsewhere(sources: &Sources, root: &Path) -> Vec<PathBuf> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    sources
        .files()
        .iter()
        .map(|f| f.path.clone())
        .filter(|p| !p.canonicalize().unwrap_or_else(|_| p.clone()).starts_with(&root))
        .collect()
}

/// `/out/…` for an output file.
fn out_url(out_dir: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(out_dir).ok()?;
    let parts: Vec<String> = rel.components().map(|c| percent_encode(&c.as_os_str().to_string_lossy())).collect();
    Some(format!("/out/{}", parts.join("/")))
}

fn percent_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// HTML-escaped text, as the published page escapes it.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    crate::render::html::escape(s, &mut out);
    out
}

/// Where a finding is, as people name it: `report.yaml:23:5`,
/// `总体情况.docx 第 3 段`, and the cell by its official labels.
fn location(sources: &Sources, report: Option<&crate::model::Report>, d: &Diagnostic) -> String {
    let mut parts = Vec::new();
    if let Some(p) = crate::diag::place(sources, d) {
        parts.push(p);
    } else if let Some((span, _)) = &d.primary {
        let f = sources.get(span.file);
        let (l, c) = f.line_col(span.start);
        parts.push(format!("{}:{l}:{c}", f.name));
    }
    if let (Some(r), Some(key)) = (report, &d.cell)
        && let Some(c) = r.format.cell(key)
    {
        parts.push(r.format.describe(c));
    }
    parts.join(" · ")
}

/// The part of the report page a finding belongs to (its section's id).
fn anchor(report: Option<&crate::model::Report>, d: &Diagnostic) -> Option<String> {
    let r = report?;
    if let Some(c) = d.cell.as_deref().and_then(|k| r.format.cell(k)) {
        return Some(r.format.cell_section(c).key.clone());
    }
    let (span, _) = d.primary.as_ref()?;
    r.narrative.iter().find(|n| n.file == span.file && !n.inline).map(|n| n.section.clone())
}

fn report_page(built: &build::Built, path: &Path, out_dir: &Path) -> (String, String) {
    let report = built.report.as_ref();
    let title =
        report.map_or_else(|| display_path(path), |r| format!("{} {} 年度", r.meta.agency.value, r.meta.year.value));
    // The outputs of this build, or of the last one that succeeded.
    let stem = report.map(|r| build::output_stem(r.meta.year.value, &r.meta.agency.value));
    let output = |ext: &str| stem.as_ref().map(|s| out_dir.join(format!("{s}.{ext}"))).filter(|p| p.is_file());
    let html = output("html").and_then(|p| out_url(out_dir, &p));
    let mut links = String::new();
    for (ext, label) in [("pdf", "PDF"), ("docx", "Word 文件")] {
        if let Some(u) = output(ext).and_then(|p| out_url(out_dir, &p)) {
            links.push_str(&format!(" <a href=\"{u}\" target=\"_blank\">{label}</a>"));
        }
    }
    let d = &built.diagnostics;
    let stale = if built.outputs.is_empty() && html.is_some() {
        "<p class=\"stale\">有错误，没有重新生成；左边是上次生成的版本。</p>"
    } else {
        ""
    };
    let mut items = String::new();
    for diag in &d.list {
        let class = match diag.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        let code = match (&html, anchor(report, diag)) {
            (Some(h), Some(a)) => {
                format!("<a href=\"{h}#{}\" target=\"report\">{}</a>", escape(&a), escape(&diag.code))
            }
            _ => escape(&diag.code),
        };
        items.push_str(&format!(
            "<li class=\"{class}\"><span class=\"sev\">{}</span> {code} {}<br><span class=\"where\">{}</span></li>\n",
            diag.severity.chinese(),
            escape(&diag.message),
            escape(&location(&built.sources, report, diag))
        ));
    }
    if items.is_empty() {
        items.push_str("<li class=\"ok\">没有发现问题。</li>");
    }
    let frame = match &html {
        Some(h) => format!("<iframe name=\"report\" src=\"{h}\" title=\"报告网页\"></iframe>"),
        None => "<div class=\"empty\">还没有生成网页：先改正右边列出的错误。</div>".to_string(),
    };
    let body = format!(
        "<header><b>gxgen 预览</b> {} ·{links}{} <span class=\"count\">{} 个错误，{} 个警告</span></header>\n<main>{frame}<aside><h2>检查结果</h2>{stale}<ol>\n{items}</ol></aside></main>",
        escape(&title),
        html.as_ref().map_or(String::new(), |h| format!(" <a href=\"{h}\" target=\"_blank\">网页</a>")),
        d.errors(),
        d.warnings()
    );
    (body, title)
}

fn workspace_page(outcome: &workspace::Outcome, out_dir: &Path) -> String {
    let index = outcome.index.as_ref().and_then(|p| out_url(out_dir, p));
    let mut items = String::new();
    for a in &outcome.agencies {
        let name = a.report.as_ref().map_or_else(|| display_path(&a.path), |r| r.meta.agency.value.clone());
        let page =
            a.outputs.iter().find(|p| p.extension().is_some_and(|e| e == "html")).and_then(|p| out_url(out_dir, p));
        let title = match &page {
            Some(u) => format!("<a href=\"{u}\" target=\"report\">{}</a>", escape(&name)),
            None => escape(&name),
        };
        let class = if a.errors > 0 {
            "error"
        } else if a.warnings > 0 {
            "warning"
        } else {
            "ok"
        };
        let detail =
            if a.rendered.trim().is_empty() { String::new() } else { format!("<pre>{}</pre>", escape(&a.rendered)) };
        items.push_str(&format!(
            "<li class=\"{class}\">{} {title}（{} 个错误，{} 个警告）{detail}</li>\n",
            a.status.chinese(),
            a.errors,
            a.warnings
        ));
    }
    let shared = render_human(&outcome.sources, &outcome.diagnostics.list, Style::Plain);
    if !shared.trim().is_empty() {
        items.push_str(&format!("<li class=\"error\">工作区与汇总<pre>{}</pre></li>", escape(&shared)));
    }
    let frame = match &index {
        Some(u) => format!("<iframe name=\"report\" src=\"{u}\" title=\"目录页\"></iframe>"),
        None => "<div class=\"empty\">还没有生成目录页。</div>".to_string(),
    };
    format!(
        "<header><b>gxgen 预览</b> 工作区{} <span class=\"count\">{} 个单位</span></header>\n<main>{frame}<aside><h2>各单位检查结果</h2><ol>\n{items}</ol></aside></main>",
        index.as_ref().map_or(String::new(), |u| format!(" · <a href=\"{u}\" target=\"report\">目录页</a>")),
        outcome.agencies.len()
    )
}

/// The preview page: the only page with a script — it asks for the build
/// version twice a second and reloads when it changes.
fn wrap(title: &str, body: &str, version: u64) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>预览：{title}</title>
<style>
body{{margin:0;font-family:sans-serif;font-size:14px;display:flex;flex-direction:column;height:100vh}}
header{{padding:6px 12px;background:#8b0000;color:#fff}} header a{{color:#fff;margin-left:.6em}}
.count{{float:right}} main{{flex:1;display:flex;min-height:0}}
iframe{{flex:2;border:0;border-right:1px solid #ccc}} .empty{{flex:2;padding:2em;color:#666}}
aside{{flex:1;overflow:auto;padding:0 12px;background:#fafafa}} main.only aside{{flex:1}}
ol{{padding-left:1.2em}} li{{margin:.5em 0}} .where{{color:#555;font-size:12px}}
.error .sev{{color:#b00;font-weight:bold}} .warning .sev{{color:#a60;font-weight:bold}} .info .sev{{color:#36c}}
.stale{{color:#b00}} pre{{white-space:pre-wrap;font-size:12px}}
</style></head>
<body data-version="{version}">
{body}
<script>
(function () {{
  var version = "{version}";
  setInterval(function () {{
    fetch("/__gxgen/version", {{cache: "no-store"}}).then(function (r) {{ return r.text(); }})
      .then(function (v) {{ if (v !== version) location.reload(); }}).catch(function () {{}});
  }}, 500);
}})();
</script>
</body></html>
"#,
        title = escape(title)
    )
}

struct Response {
    status: &'static str,
    kind: &'static str,
    body: Vec<u8>,
    policy: &'static str,
}

fn text(status: &'static str, body: &str) -> Response {
    Response { status, kind: "text/plain; charset=utf-8", body: body.as_bytes().to_vec(), policy: "default-src 'none'" }
}

fn handle(mut conn: TcpStream, addr: SocketAddr, out_dir: &Path, state: &Mutex<State>) -> std::io::Result<()> {
    conn.set_read_timeout(Some(Duration::from_secs(5)))?;
    conn.set_write_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new((&conn).take(MAX_REQUEST_HEAD as u64));
    let mut head = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
        head.push(line);
    }
    let (response, head_only) = respond(&head, addr, out_dir, state);
    let mut out = format!(
        "HTTP/1.1 {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nContent-Security-Policy: {}\r\nConnection: close\r\n\r\n",
        response.status,
        response.kind,
        response.body.len(),
        response.policy
    )
    .into_bytes();
    if !head_only {
        out.extend_from_slice(&response.body);
    }
    conn.write_all(&out)?;
    conn.flush()
}

fn respond(head: &[String], addr: SocketAddr, out_dir: &Path, state: &Mutex<State>) -> (Response, bool) {
    let Some(first) = head.first() else { return (text("400 Bad Request", "请求不完整"), false) };
    let mut parts = first.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let head_only = method == "HEAD";
    if method != "GET" && !head_only {
        return (text("405 Method Not Allowed", "只支持 GET"), false);
    }
    // Only this machine's own names: a page elsewhere cannot reach the
    // preview by pointing a host name at 127.0.0.1 (DNS rebinding).
    let host = head.iter().find_map(|h| {
        h.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case("host")).map(|(_, v)| v.trim().to_string())
    });
    let port = addr.port();
    let allowed = [format!("127.0.0.1:{port}"), format!("localhost:{port}")];
    if !host.as_ref().is_some_and(|h| allowed.contains(h)) {
        return (text("403 Forbidden", "只接受 127.0.0.1 上的访问"), head_only);
    }
    if !target.starts_with('/') {
        return (text("400 Bad Request", "请求路径应以 / 开头"), head_only);
    }
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let response = match path {
        "/" | "/index.html" => {
            let s = state.lock().unwrap_or_else(|e| e.into_inner());
            Response {
                status: "200 OK",
                kind: "text/html; charset=utf-8",
                body: s.page.clone().into_bytes(),
                policy: "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline' 'self'; img-src 'self' data:",
            }
        }
        "/__gxgen/version" => {
            let v = state.lock().unwrap_or_else(|e| e.into_inner()).version;
            text("200 OK", &v.to_string())
        }
        p => match p.strip_prefix("/out/") {
            Some(rest) => output_file(out_dir, rest),
            None => text("404 Not Found", "没有这个页面"),
        },
    };
    (response, head_only)
}

/// `%XX` decoded; None when malformed or not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A file of the outputs folder, and nothing outside it.
fn output_file(out_dir: &Path, rest: &str) -> Response {
    let refused = || text("403 Forbidden", "只能访问生成的文件");
    let Some(rel) = percent_decode(rest) else { return text("400 Bad Request", "路径编码有误") };
    let segments: Vec<&str> = rel.split('/').collect();
    if segments.iter().any(|s| s.is_empty() || *s == "." || *s == ".." || s.contains(['\\', ':', '\0'])) {
        return refused();
    }
    let mut path = out_dir.to_path_buf();
    for s in &segments {
        path.push(s);
    }
    let (Ok(real), Ok(base)) = (path.canonicalize(), out_dir.canonicalize()) else {
        return text("404 Not Found", "没有这个文件");
    };
    if !real.starts_with(&base) {
        return refused();
    }
    if Disk.kind(&real) != crate::input::Kind::File {
        return text("404 Not Found", "没有这个文件");
    }
    let kind = match real.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("pdf") => "application/pdf",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("csv") => "text/csv; charset=utf-8",
        Some("json") => "application/json",
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    };
    match Disk.read(&real, 512 * 1024 * 1024) {
        // The published pages run no script, here too.
        Ok(body) => Response {
            status: "200 OK",
            kind,
            body,
            policy: "script-src 'none'; object-src 'none'; frame-ancestors 'self'",
        },
        Err(_) => text("404 Not Found", "无法读取这个文件"),
    }
}
