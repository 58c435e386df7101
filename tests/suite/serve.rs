//! `gxgen serve`: the real binary on port 0, a real HTTP client over TCP.
//! The page shows the report and the findings; a saved change is seen
//! within seconds (polled, no timing asserted); nothing outside the
//! outputs is served; Ctrl+C (SIGINT) stops it cleanly. One server per
//! test; every wait is a poll with a generous deadline.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(target: &Path) -> Server {
    let mut child = gxgen()
        .args(["serve", "--port", "0", "--only", "html", target.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().rsplit("http://").next().unwrap().trim_end_matches('/').to_string();
    assert!(url.starts_with("127.0.0.1:"), "printed: {line:?}");
    let port = url.rsplit(':').next().unwrap().parse().unwrap();
    Server { child, port }
}

/// A raw request; (status code, body).
fn request(port: u16, raw: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s.write_all(raw.as_bytes()).unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    let text = String::from_utf8_lossy(&out).to_string();
    let status = text.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

fn get(port: u16, path: &str) -> (u16, String) {
    request(port, &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"))
}

/// Poll until `f` holds (deadline 60 s: a cold debug build is slow; the
/// rebuild itself is not timed here).
fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(start.elapsed() < Duration::from_secs(60), "never happened: {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn copy_example(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = repo().join("examples").join(name);
    for e in std::fs::read_dir(&src).unwrap().flatten() {
        if e.path().is_file() {
            std::fs::copy(e.path(), dir.path().join(e.file_name())).unwrap();
        }
    }
    dir
}

/// The URL of the report page inside the preview page.
fn report_url(page: &str) -> String {
    let at = page.find("<iframe name=\"report\" src=\"").expect("the page frames the report") + 27;
    page[at..].split('"').next().unwrap().to_string()
}

#[test]
fn preview_follows_every_save_and_serves_only_the_outputs() {
    let dir = copy_example("hanyin-xingzheng-shenpi-2021");
    let server = start(dir.path());
    let port = server.port;
    let (status, page) = get(port, "/");
    assert_eq!(status, 200);
    assert!(page.contains("没有发现问题"), "{page}");
    let report = report_url(&page);
    let (status, html) = get(port, &report);
    assert_eq!(status, 200);
    assert!(html.contains("汉阴县行政审批服务局"));
    assert!(!html.contains("__gxgen"), "the published page has no reload script");
    let version = get(port, "/__gxgen/version").1;

    // A save of the narrative: the new text is served.
    let overview = dir.path().join("overview.md");
    let text = std::fs::read_to_string(&overview).unwrap();
    std::fs::write(&overview, format!("{text}\n预览测试新加的一段。\n")).unwrap();
    eventually("the new paragraph in the page", || get(port, &report).1.contains("预览测试新加的一段"));
    assert_ne!(get(port, "/__gxgen/version").1, version, "the version the page polls changed");

    // A save that breaks a rule: the finding is listed beside the page,
    // with its place and a link into the page.
    let yaml = dir.path().join("report.yaml");
    let data = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(&yaml, data.replace("review:     {upheld: 0,", "review:     {upheld: 2,")).unwrap();
    eventually("the finding in the page", || get(port, "/").1.contains("GX03"));
    let page = get(port, "/").1;
    assert!(page.contains("report.yaml:"), "names file:line");
    assert!(page.contains("#review_litigation\" target=\"report\""), "links to the part of the page");
    assert!(page.contains("上次生成的版本"));

    // Nothing outside the outputs.
    for bad in [
        "/out/../report.yaml",
        "/out/%2e%2e/report.yaml",
        "/out/%2E%2E%2Freport.yaml",
        "/out//etc/passwd",
        "/etc/passwd",
        "/report.yaml",
        "/out/..%5creport.yaml",
        "/out/%00",
    ] {
        let (status, body) = get(port, bad);
        assert!(matches!(status, 400 | 403 | 404), "{bad}: {status}");
        assert!(!body.contains("meta:"), "{bad} served the data file");
    }
    let (status, _) = request(
        port,
        &format!("GET http://127.0.0.1:{port}/out/../report.yaml HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"),
    );
    assert_eq!(status, 400);
    // Another host name (DNS rebinding) is refused.
    let (status, _) = request(port, "GET / HTTP/1.1\r\nHost: evil.example:80\r\n\r\n");
    assert_eq!(status, 403);
    #[cfg(unix)]
    {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), dir.path().join("out/link.txt")).unwrap();
        let (status, body) = get(port, "/out/link.txt");
        assert_eq!(status, 403);
        assert!(!body.contains("secret"));
    }
}

#[cfg(unix)]
#[test]
fn a_workspace_shows_its_index_and_ctrl_c_stops_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    std::fs::create_dir_all(&ws).unwrap();
    for name in ["hanyin-xingzheng-shenpi-2021", "hongsibu-shenpi-2021"] {
        let src = repo().join("examples").join(name);
        let to = ws.join(name);
        std::fs::create_dir_all(&to).unwrap();
        for e in std::fs::read_dir(&src).unwrap().flatten() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
    std::fs::write(ws.join("gxgen.yaml"), "year: 2021\nregion: 测试县\n").unwrap();
    let mut server = start(&ws);
    let port = server.port;
    let page = get(port, "/").1;
    assert!(page.contains("各单位检查结果"), "{page}");
    let index = report_url(&page);
    assert!(index.ends_with("index.html"), "{index}");
    let (status, html) = get(port, &index);
    assert_eq!(status, 200);
    assert!(html.contains("汉阴县行政审批服务局") && html.contains("红寺堡"), "the index lists both agencies");

    let pid = server.child.id().to_string();
    assert!(std::process::Command::new("kill").args(["-INT", &pid]).status().unwrap().success());
    let start = Instant::now();
    let status = loop {
        if let Some(s) = server.child.try_wait().unwrap() {
            break s;
        }
        assert!(start.elapsed() < Duration::from_secs(30), "did not stop on Ctrl+C");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0));
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err(), "the port is closed");
}
