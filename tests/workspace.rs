//! Workspaces: many reports from shared settings in one run; one agency's
//! errors do not stop the others; an index and a summed report.

mod common;
use common::*;
use std::path::Path;

/// A workspace of three 2021 examples; one of them takes its year, publish
/// date and part 五 from the workspace.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for e in ["hanyin-xingzheng-shenpi-2021", "hongsibu-shenpi-2021", "zhoukou-chuanhui-shujuju-2021"] {
        std::fs::create_dir(root.join(e)).unwrap();
        for f in std::fs::read_dir(repo().join("examples").join(e)).unwrap() {
            let f = f.unwrap();
            if f.path().is_file() {
                std::fs::copy(f.path(), root.join(e).join(f.file_name())).unwrap();
            }
        }
    }
    std::fs::create_dir(root.join("shared")).unwrap();
    std::fs::write(root.join("shared/problems.md"), "{{ agency }}的问题与改进：共用文字。\n").unwrap();
    std::fs::write(
        root.join("gxgen.yaml"),
        "year: 2021\nregion: 测试区\ndefaults:\n  meta:\n    publish_date: 2022-01-20\n  narrative:\n    problems: shared/problems.md\nsummary: {agency: 测试区各部门汇总}\n",
    )
    .unwrap();
    let y = root.join("hanyin-xingzheng-shenpi-2021/report.yaml");
    let t = std::fs::read_to_string(&y).unwrap();
    let t: String = t.lines().filter(|l| !l.trim_start().starts_with("year:") && !l.trim_start().starts_with("problems:")).map(|l| format!("{l}\n")).collect();
    std::fs::write(&y, t).unwrap();
    dir
}

fn build(dir: &Path, extra: &[&str]) -> (i32, String) {
    let mut args = vec!["build", dir.to_str().unwrap(), "--only", "html"];
    args.extend_from_slice(extra);
    let o = run(&args, None);
    (o.status.code().unwrap(), String::from_utf8_lossy(&o.stderr).into_owned())
}

#[test]
fn a_workspace_builds_every_agency_an_index_and_a_summary() {
    let ws = workspace();
    let (code, err) = build(ws.path(), &["-j", "2"]);
    assert_eq!(code, 0, "{err}");
    let out = ws.path().join("out");
    for name in ["2021-汉阴县行政审批服务局.html", "2021-吴忠市红寺堡区审批服务管理局.html", "2021-川汇区政务服务和大数据管理局.html", "2021-测试区各部门汇总.html", "index.html"] {
        assert!(out.join(name).exists(), "{name} missing: {err}");
    }
    // Defaults filled what the report left out, with the agency's own data.
    let hanyin = std::fs::read_to_string(out.join("2021-汉阴县行政审批服务局.html")).unwrap();
    assert!(hanyin.contains("汉阴县行政审批服务局的问题与改进：共用文字。"));
    assert!(hanyin.contains("2022年1月20日"));
    // The summary sums every cell.
    let sum = std::fs::read_to_string(out.join("2021-测试区各部门汇总.html")).unwrap();
    let want: i64 = ["hanyin-xingzheng-shenpi-2021", "hongsibu-shenpi-2021", "zhoukou-chuanhui-shujuju-2021"]
        .iter()
        .map(|e| gxgen::check(&repo().join("examples").join(e).join("report.yaml")).report.unwrap().get("active.licensing.decisions").map_or(0, |v| v.number.to_i64().unwrap()))
        .sum();
    assert!(sum.contains(&format!("data-key=\"active.licensing.decisions\" colspan=\"3\">{want}<")), "sum {want}");
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    for a in ["汉阴县行政审批服务局", "吴忠市红寺堡区审批服务管理局", "川汇区政务服务和大数据管理局"] {
        assert!(index.contains(a));
    }
    assert!(index.contains("已生成 3 份"));
    // Byte-identical on a rebuild.
    let before = std::fs::read(out.join("2021-测试区各部门汇总.html")).unwrap();
    build(ws.path(), &[]);
    assert_eq!(before, std::fs::read(out.join("2021-测试区各部门汇总.html")).unwrap());
}

#[test]
fn a_broken_agency_does_not_stop_the_others_and_is_named_in_the_summary() {
    let ws = workspace();
    let y = ws.path().join("hongsibu-shenpi-2021/report.yaml");
    let t = std::fs::read_to_string(&y).unwrap().replacen("new:                    [0, 0, 0, 0, 0, 0, 0]", "new:                    [1, 0, 0, 0, 0, 0, 0]", 1);
    std::fs::write(&y, t).unwrap();
    let (code, err) = build(ws.path(), &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("未生成  吴忠市红寺堡区审批服务管理局"), "{err}");
    assert!(err.contains("已生成  汉阴县行政审批服务局"), "{err}");
    assert!(err.contains("error[GX0702]") && err.contains("不符合这条规则（GX0302）的单位：吴忠市红寺堡区审批服务管理局"), "{err}");
    let out = ws.path().join("out");
    assert!(out.join("2021-汉阴县行政审批服务局.html").exists());
    assert!(!out.join("2021-吴忠市红寺堡区审批服务管理局.html").exists());
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("未生成 1 份"));
}

#[test]
fn manifest_errors_are_located() {
    let ws = workspace();
    std::fs::write(ws.path().join("gxgen.yaml"), "year: 2021\nagencis: [a]\n").unwrap();
    let (code, err) = build(ws.path(), &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("error[GX0701]") && err.contains("gxgen.yaml:2:1") && err.contains("agencies"), "{err}");
    std::fs::write(ws.path().join("gxgen.yaml"), "agencies: [不存在的单位]\n").unwrap();
    let (code, err) = build(ws.path(), &[]);
    assert_eq!(code, 2);
    assert!(err.contains("找不到报告"), "{err}");
}

fn mtimes(dir: &Path) -> Vec<(String, std::time::SystemTime)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.file_name().to_string_lossy().into_owned(), e.metadata().unwrap().modified().unwrap())
        })
        .collect();
    v.sort();
    v
}

#[test]
fn a_rebuild_with_no_change_rewrites_nothing_and_an_edit_rebuilds_one_agency() {
    let ws = workspace();
    let (code, err) = build(ws.path(), &[]);
    assert_eq!(code, 0, "{err}");
    let out = ws.path().join("out");
    let first = mtimes(&out);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let (code, _) = build(ws.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(mtimes(&out), first, "a no-change rebuild rewrote files");
    // Edit one agency: it and the summary are rebuilt, the others are not.
    let md = ws.path().join("hongsibu-shenpi-2021/other.md");
    let t = std::fs::read_to_string(&md).unwrap() + "\n补充一句。\n";
    std::fs::write(&md, t).unwrap();
    let (code, _) = build(ws.path(), &[]);
    assert_eq!(code, 0);
    let after = mtimes(&out);
    let changed: Vec<&String> = after.iter().zip(&first).filter(|(a, b)| a.1 != b.1).map(|(a, _)| &a.0).collect();
    assert!(changed.iter().any(|n| n.contains("吴忠市红寺堡区")), "{changed:?}");
    assert!(changed.iter().any(|n| n.contains("汇总")), "{changed:?}");
    assert!(!changed.iter().any(|n| n.contains("汉阴县") || n.contains("川汇区")), "{changed:?}");
}
