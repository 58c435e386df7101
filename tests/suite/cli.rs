//! The command line: Chinese help with examples, explain, exit statuses,
//! colour only on a terminal, the JSON shape.

use crate::common::*;

fn stdout(args: &[&str]) -> String {
    String::from_utf8(run(args, None).stdout).unwrap()
}

#[test]
fn help_is_chinese_and_has_examples() {
    for args in [vec!["--help"], vec!["check", "--help"], vec!["new", "--help"], vec!["explain", "--help"]] {
        let out = stdout(&args);
        assert!(out.contains("用法："), "{args:?}: {out}");
        assert!(out.contains("示例："), "{args:?}: {out}");
        assert!(!out.contains("Usage:") && !out.contains("Options:"), "{args:?}: {out}");
    }
}

#[test]
fn usage_errors_exit_2_in_chinese() {
    let out = run(&["chek"], None);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("错误：") && err.contains("check"), "{err}");
    assert_eq!(run(&["check"], None).status.code(), Some(2));
}

#[test]
fn every_code_is_explained() {
    let list = stdout(&["explain"]);
    for code in gxgen::diag::codes::catalogue().keys() {
        assert!(list.contains(code.as_str()));
        let out = run(&["explain", code], None);
        assert_eq!(out.status.code(), Some(0));
        assert!(String::from_utf8_lossy(&out.stdout).len() > 40);
    }
    let t = stdout(&["explain", "gx0301"]);
    assert!(t.contains("勾稽关系"), "{t}");
    assert!(t.contains("2019 格式") && t.contains("2021 格式"), "{t}");
    assert!(t.contains("一、本年新收政府信息公开申请数量"), "{t}");
    // The narrative rules list the wording each format's `statements` reads.
    let t = stdout(&["explain", "GX0409"]);
    assert!(
        t.contains("2021 格式")
            && t.contains("“收到政府信息公开申请”")
            && t.contains("litigation.direct.total + litigation.after_review.total"),
        "{t}"
    );
    let t = stdout(&["explain", "GX0410"]);
    assert!(t.contains("“未发生行政复议”"), "{t}");
    assert_eq!(run(&["explain", "GX9999"], None).status.code(), Some(2));
}

#[test]
fn codes_used_anywhere_are_in_the_catalogue() {
    let cat = gxgen::diag::codes::catalogue();
    for c in gxgen::diag::codes::ALL {
        assert!(cat.contains_key(*c), "{c}");
    }
    for f in gxgen::format::all() {
        for r in &f.rules {
            assert!(cat.contains_key(&r.code), "{} {}", f.id, r.code);
        }
    }
}

#[test]
fn no_colour_when_piped_or_no_color() {
    let s = Synth::valid(2021, &mut Rng(3), 5);
    let mut s2 = s.clone();
    s2.add("review.total", 1);
    let (_d, path, _) = s2.write();
    let p = path.to_str().unwrap();
    let piped = run(&["check", p], None);
    assert!(!String::from_utf8_lossy(&piped.stdout).contains('\u{1b}'));
    let forced = run(&["check", "--color", "always", p], None);
    assert!(String::from_utf8_lossy(&forced.stdout).contains('\u{1b}'));
    // rustc-style snippet with the code, file:line:col and a help line.
    let err = String::from_utf8_lossy(&piped.stdout);
    assert!(err.contains("error[GX0311]"), "{err}");
    assert!(err.contains("report.yaml:"), "{err}");
    assert!(err.contains("gxgen explain GX0311"), "{err}");
}

#[test]
fn json_shape() {
    let mut s = Synth::valid(2021, &mut Rng(3), 5);
    s.add("review.total", 1);
    let (_d, path, lines) = s.write();
    let (status, v) = check_json(&path);
    assert_eq!(status, 1);
    assert_eq!(v["errors"], 1);
    assert_eq!(v["ok"], false);
    assert_eq!(v["reports"][0]["format"], "2021");
    let d = &diags(&v)[0];
    for k in ["code", "severity", "message", "file", "line", "column", "cell", "cells", "expected", "actual"] {
        assert!(d.get(k).is_some(), "{k} missing: {d:#}");
    }
    assert_eq!(d["cell"], "review.total");
    assert_eq!(d["line"], lines["review.total"]);
}

#[test]
fn many_reports_one_run() {
    let a = Synth::valid(2021, &mut Rng(3), 5);
    let mut b = a.clone();
    b.add("review.total", 1);
    let (_da, pa, _) = a.write();
    let (_db, pb, _) = b.write();
    let out = run(&["check", pa.to_str().unwrap(), pb.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stdout);
    assert!(err.contains("共 2 份报告"), "{err}");
}

#[test]
fn globs_are_expanded_by_gxgen_itself() {
    // As on Windows, where the shell passes `*` through.
    let out = run(&["check", "examples/*/report.yaml"], Some(&repo()));
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stdout).contains("共 5 份报告"));
    let none = run(&["check", "nowhere/*/report.yaml"], Some(&repo()));
    assert_eq!(none.status.code(), Some(2));
}

#[test]
fn missing_argument_is_named() {
    let out = run(&["check"], None);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("数据文件"), "{err}");
}

#[test]
fn check_finds_narrative_template_errors() {
    let mut s = Synth::valid(2021, &mut Rng(5), 9);
    s.narrative[0].1 = "共{{ applications.new.totl }}件".into();
    let (_d, path, _) = s.write();
    let (status, v) = check_json(&path);
    assert_eq!(status, 1);
    assert_eq!(codes(&v), ["GX0502"]);
}

#[test]
fn build_deny_warnings_writes_nothing() {
    let mut s = Synth::valid(2021, &mut Rng(5), 9);
    s.omit = vec!["other_matters".into()];
    let (dir, path, _) = s.write();
    let out_dir = dir.path().join("out");
    let o = run(&["build", "--deny", "warnings", path.to_str().unwrap(), "-o", out_dir.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(!out_dir.exists());
}
