//! Hostile and broken input: one clear, coded diagnostic and a quick exit,
//! never a panic.

use crate::common::*;

/// Run `gxgen check` on a file holding `bytes`; returns (exit, JSON).
fn check_bytes(bytes: &[u8]) -> (i32, serde_json::Value) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.yaml");
    std::fs::write(&path, bytes).unwrap();
    check_json(&path)
}

fn one(bytes: &[u8], code: &str, exit: i32) -> serde_json::Value {
    let (status, v) = check_bytes(bytes);
    let ds = diags(&v);
    assert_eq!(ds.len(), 1, "{v:#}");
    assert_eq!(ds[0]["code"], code, "{v:#}");
    assert_eq!(status, exit, "{v:#}");
    // The message is Chinese.
    assert!(ds[0]["message"].as_str().unwrap().chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
    ds[0].clone()
}

#[test]
fn yaml_syntax_error_is_located() {
    let d = one("meta:\n  agency: 某局\n  year: [2021\nnarrative: {}\n".as_bytes(), "GX0005", 1);
    assert_eq!(d["line"], 4);
}

#[test]
fn full_width_colon_is_a_syntax_or_type_error_not_a_panic() {
    let (status, v) = check_bytes("meta：\n  agency: 某局\n".as_bytes());
    assert_eq!(status, 1, "{v:#}");
}

#[test]
fn wrong_type() {
    let d = one(b"- 1\n- 2\n", "GX0103", 1);
    assert_eq!(d["line"], 1);
    let (status, v) = check_bytes("meta:\n  agency: 某局\n  year: 2021\napplications: 5\n".as_bytes());
    assert_eq!(status, 1);
    assert!(codes(&v).contains(&"GX0103".to_string()), "{v:#}");
}

#[test]
fn duplicate_key() {
    let d = one("meta:\n  agency: 某局\n  agency: 另一局\n  year: 2021\n".as_bytes(), "GX0007", 1);
    assert_eq!(d["line"], 3);
    assert!(!d["notes"].to_string().contains("DuplicateKeyPolicy"), "{d:#}");
}

#[test]
fn non_utf8_file() {
    // “汉阴县” in GBK.
    let mut bytes = b"meta:\n  agency: ".to_vec();
    bytes.extend([0xBA, 0xBA, 0xD2, 0xF5, 0xCF, 0xD8]);
    bytes.extend(b"\n  year: 2021\n");
    let d = one(&bytes, "GX0002", 1);
    assert_eq!(d["line"], 2);
    assert!(d["notes"].to_string().contains("GBK"), "{d:#}");
}

#[test]
fn empty_file() {
    one(b"", "GX0003", 1);
    one(b"# only a comment\n\n", "GX0003", 1);
}

#[test]
fn missing_file_is_exit_2() {
    let (status, v) = check_json(std::path::Path::new("/nonexistent/report.yaml"));
    assert_eq!(status, 2);
    assert_eq!(codes(&v), ["GX0001"]);
}

#[test]
fn fifty_megabytes_is_refused_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.yaml");
    let line = "# ".to_string() + &"填".repeat(1000) + "\n";
    let mut text = String::with_capacity(50 << 20);
    while text.len() < 50 << 20 {
        text.push_str(&line);
    }
    std::fs::write(&path, text).unwrap();
    let (status, v) = check_json(&path);
    assert_eq!(status, 1);
    assert_eq!(codes(&v), ["GX0004"]);
}

#[test]
fn billion_laughs_is_refused() {
    let mut y = String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for i in 1..10u8 {
        let (p, c) = ((b'a' + i - 1) as char, (b'a' + i) as char);
        y.push_str(&format!("{c}: &{c} [{}]\n", vec![format!("*{p}"); 9].join(",")));
    }
    one(y.as_bytes(), "GX0006", 1);
}

#[test]
fn deep_nesting_is_refused() {
    let y = "a: ".to_string() + &"[".repeat(500) + &"]".repeat(500) + "\n";
    let (status, v) = check_bytes(y.as_bytes());
    assert_eq!(status, 1);
    assert_eq!(diags(&v).len(), 1, "{v:#}");
}

#[test]
fn narrative_paths_stay_inside_the_report_folder() {
    let s = Synth::valid(2021, &mut Rng(7), 5);
    for bad in ["../secret.md", "/etc/passwd.md", "sub/../../x.md"] {
        let mut s = s.clone();
        s.narrative[0].1 = bad.into();
        let (_d, path, _) = s.write();
        let ds = check_lib(&path);
        let hits = with_code(&ds, "GX0106");
        assert_eq!(hits.len(), 1, "{bad}: {ds:#?}");
        assert_eq!(hits[0]["line"], 6);
        assert!(hits[0]["message"].as_str().unwrap().contains("不在报告所在的文件夹内"));
    }
    let mut s = s.clone();
    s.narrative[0].1 = "missing.md".into();
    let (_d, path, _) = s.write();
    let ds = check_lib(&path);
    assert_codes(&ds, &["GX0106"]);
}

#[test]
fn narrative_files_are_read() {
    let mut s = Synth::valid(2021, &mut Rng(7), 5);
    s.narrative[0].1 = "texts/overview.md".into();
    let (dir, path, _) = s.write();
    std::fs::create_dir(dir.path().join("texts")).unwrap();
    std::fs::write(dir.path().join("texts/overview.md"), "本年度……\n").unwrap();
    assert!(check_lib(&path).is_empty());
    let checked = gxgen::check(&path);
    assert_eq!(checked.report.unwrap().narrative("overview").unwrap().text, "本年度……\n");
}

/// `gxgen check … | head`: the reader goes away; gxgen must end quietly,
/// not panic on the closed pipe.
#[test]
fn a_closed_pipe_is_not_a_panic() {
    use std::process::Stdio;
    let county = repo().join("examples/county/2024");
    let mut child = gxgen()
        .args(["check", county.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The reader is gone before gxgen has checked 35 reports and printed.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
}

/// Output into a full disk is said, with status 2, not a panic.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_under_stdout_is_said() {
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let out = gxgen().args(["explain"]).stdout(full).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("无法写出结果") && !err.contains("panicked"), "{err}");
}
