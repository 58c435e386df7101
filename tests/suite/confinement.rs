//! The input door: paths users write stay inside the report or workspace
//! folder (links included), only regular files are read, and audit reads an
//! import in memory. Regression tests for defects 3, 4, 7 and 9 of the
//! hostile-input campaign (issue "Hostile and careless inputs").

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use crate::common::*;

/// A copy of one example report folder in a fresh temporary folder.
fn example_copy(name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let to = dir.path().join(name);
    std::fs::create_dir(&to).unwrap();
    for f in std::fs::read_dir(repo().join("examples").join(name)).unwrap() {
        let f = f.unwrap();
        if f.path().is_file() {
            std::fs::copy(f.path(), to.join(f.file_name())).unwrap();
        }
    }
    (dir, to)
}

/// A secret outside every report folder, whose text must never be published.
const SECRET: &str = "绝密内容-不应出现在任何输出中";

fn all_output_text(dir: &Path) -> String {
    let mut s = String::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                s.push_str(&all_output_text(&p));
            } else if let Ok(t) = std::fs::read(&p) {
                s.push_str(&String::from_utf8_lossy(&t));
            }
        }
    }
    s
}

/// A workspace of one agency (an example), with `gxgen.yaml` as given.
fn one_agency_workspace(manifest: &str) -> tempfile::TempDir {
    let (dir, _) = example_copy("hanyin-xingzheng-shenpi-2021");
    std::fs::write(dir.path().join("gxgen.yaml"), manifest).unwrap();
    dir
}

#[test]
fn defect_03_summary_narrative_outside_the_workspace_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.md");
    std::fs::write(&secret, SECRET).unwrap();
    for given in [secret.to_str().unwrap().to_string(), "../secret.md".to_string()] {
        let ws = one_agency_workspace(&format!(
            "year: 2021\nagencies: [hanyin-xingzheng-shenpi-2021]\nsummary: {{agency: 测试汇总, narrative: {{overview: '{given}'}}}}\n"
        ));
        let out = run(&["build", ws.path().to_str().unwrap(), "--only", "html"], None);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_ne!(out.status.code(), Some(0), "{stderr}");
        assert!(stderr.contains("GX0106") && stderr.contains("不在工作区文件夹内"), "{stderr}");
        assert!(!all_output_text(ws.path()).contains(SECRET));
    }
}

#[test]
fn defect_03_a_misspelt_summary_narrative_is_an_error() {
    let ws = one_agency_workspace(
        "year: 2021\nagencies: [hanyin-xingzheng-shenpi-2021]\nsummary: {agency: 测试汇总, narrative: {overview: 总体情况.md}}\n",
    );
    let out = run(&["build", ws.path().to_str().unwrap(), "--only", "html"], None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("找不到汇总的叙述文件“总体情况.md”"), "{stderr}");
    // Written, it is used.
    std::fs::write(ws.path().join("总体情况.md"), "本级汇总的总体情况。").unwrap();
    let out = run(&["build", ws.path().to_str().unwrap(), "--only", "html"], None);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(all_output_text(&ws.path().join("out")).contains("本级汇总的总体情况。"));
}

#[cfg(unix)]
#[test]
fn defect_04_a_template_linked_out_of_the_report_folder_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("style.css");
    std::fs::write(&secret, format!("/* {SECRET} */")).unwrap();
    let (_dir, report) = example_copy("hanyin-xingzheng-shenpi-2021");
    std::fs::create_dir(report.join("templates")).unwrap();
    std::os::unix::fs::symlink(&secret, report.join("templates/style.css")).unwrap();
    let out = run(&["build", report.join("report.yaml").to_str().unwrap(), "--only", "html"], None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("链接到模板文件夹以外"), "{stderr}");
    assert!(!all_output_text(&report.join("out")).contains(SECRET));
    // A real file in the same place is used.
    std::fs::remove_file(report.join("templates/style.css")).unwrap();
    std::fs::write(report.join("templates/style.css"), "/* 本单位样式 */").unwrap();
    let out = run(&["build", report.join("report.yaml").to_str().unwrap(), "--only", "html"], None);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(all_output_text(&report.join("out")).contains("本单位样式"));
}

/// Run gxgen; kill it if it has not ended in a minute (a hang guard, not a
/// timing assertion). Returns its status and what it printed.
fn run_guarded(args: &[&str]) -> (Option<i32>, String) {
    let mut child = gxgen().args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    for _ in 0..600 {
        if let Some(status) = child.try_wait().unwrap() {
            let mut text = String::new();
            use std::io::Read;
            child.stdout.take().unwrap().read_to_string(&mut text).unwrap();
            child.stderr.take().unwrap().read_to_string(&mut text).unwrap();
            return (status.code(), text);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    (None, "gxgen did not end: it blocked".into())
}

#[cfg(unix)]
#[test]
fn defect_07_a_fifo_is_not_read() {
    let (_dir, report) = example_copy("hanyin-xingzheng-shenpi-2021");
    // The narrative file becomes a FIFO: opening it would block for ever.
    let md = std::fs::read_dir(&report)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "md"))
        .unwrap();
    std::fs::remove_file(&md).unwrap();
    let made = std::process::Command::new("mkfifo").arg(&md).status().unwrap();
    assert!(made.success());
    let (code, err) = run_guarded(&["check", report.join("report.yaml").to_str().unwrap()]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("不是普通文件"), "{err}");

    // meta.previous naming a FIFO.
    let (_dir2, report2) = example_copy("hanyin-xingzheng-shenpi-2021");
    let fifo = report2.join("last.yaml");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let y = report2.join("report.yaml");
    let t = std::fs::read_to_string(&y).unwrap().replacen("\nmeta:\n", "\nmeta:\n  previous: last.yaml\n", 1);
    std::fs::write(&y, t).unwrap();
    let (code, err) = run_guarded(&["check", y.to_str().unwrap()]);
    assert!(code.is_some(), "{err}");
    assert!(err.contains("不是普通文件"), "{err}");
}

#[test]
fn defect_09_agencies_stay_inside_the_workspace() {
    let outside = tempfile::tempdir().unwrap();
    let agency = outside.path().join("外部单位");
    std::fs::create_dir(&agency).unwrap();
    // Not YAML at all: a parse error would echo its lines.
    std::fs::write(agency.join("report.yaml"), format!("{SECRET}: [\n")).unwrap();
    for given in [agency.to_str().unwrap().to_string(), "../外部单位".to_string()] {
        let ws = tempfile::tempdir().unwrap();
        let ws_dir = outside.path().join(format!("ws{}", given.len()));
        std::fs::create_dir(&ws_dir).unwrap();
        std::fs::write(ws_dir.join("gxgen.yaml"), format!("year: 2021\nagencies: ['{given}']\n")).unwrap();
        let out = run(&["check", ws_dir.to_str().unwrap()], None);
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert_ne!(out.status.code(), Some(0), "{text}");
        assert!(text.contains("不在工作区文件夹内"), "{text}");
        assert!(!text.contains(SECRET), "{text}");
        drop(ws);
    }
}

#[cfg(unix)]
#[test]
fn defect_09_an_agency_linked_out_of_the_workspace_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("report.yaml"), format!("{SECRET}: [\n")).unwrap();
    let ws = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), ws.path().join("单位")).unwrap();
    std::fs::write(ws.path().join("gxgen.yaml"), "year: 2021\nagencies: [单位]\n").unwrap();
    let out = run(&["check", ws.path().to_str().unwrap()], None);
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_ne!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("链接到工作区以外"), "{text}");
    assert!(!text.contains(SECRET), "{text}");
}

#[test]
fn audit_reads_an_import_in_memory() {
    let text = std::fs::read_to_string(repo().join("tests/fixtures/published/000_00ab0ce5bfe98028.txt")).unwrap();
    let imported = gxgen::import::import_text(&text);
    let checked = gxgen::driver::audit::check_imported(&imported);
    let report = checked.report.expect("the seed reads as a report");
    assert_eq!(report.meta.agency.value, "汉阴县行政审批服务局");
    // Every diagnostic's place is a source the check really read: the
    // imported files, held in memory.
    for d in &checked.diagnostics.list {
        for (span, _) in d.primary.iter().chain(&d.secondary) {
            let f = checked.sources.get(span.file);
            assert!(f.path.starts_with("导入"), "{}", f.name);
        }
    }
    assert!(!Path::new("导入").exists(), "nothing is written to disk");
}
