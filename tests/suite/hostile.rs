//! Hostile and careless inputs (tracker issue 14): each defect of the fuzz
//! campaign, reproduced, in a test named after it.

use crate::common::*;
use crate::workspace::workspace;
use std::path::Path;

const THREE: [&str; 3] = ["hanyin-xingzheng-shenpi-2021", "hongsibu-shenpi-2021", "zhoukou-chuanhui-shujuju-2021"];

fn build_ws(dir: &Path) -> (i32, String) {
    let o = run(&["build", dir.to_str().unwrap(), "--only", "html"], None);
    (o.status.code().unwrap(), String::from_utf8_lossy(&o.stderr).into_owned())
}

fn set_agencies(dir: &Path, list: &str) {
    let m = std::fs::read_to_string(dir.join("gxgen.yaml")).unwrap();
    std::fs::write(dir.join("gxgen.yaml"), format!("{m}agencies: {list}\n")).unwrap();
}

/// The summed value of one cell in the 汇总 page.
fn summed(html: &str, key: &str) -> i64 {
    let at = html.find(&format!("data-key=\"{key}\"")).expect("cell in the summary");
    let rest = &html[at..];
    let v = &rest[rest.find('>').unwrap() + 1..];
    v[..v.find('<').unwrap()].trim().parse().unwrap()
}

fn example_value(example: &str, key: &str) -> i64 {
    gxgen::check(&repo().join("examples").join(example).join("report.yaml"))
        .report
        .unwrap()
        .get(key)
        .map_or(0, |v| v.number.to_i64().unwrap())
}

#[cfg(unix)]
#[test]
fn defect_05_temp_file_symlink() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let outside = dir.path().join("outside.txt");
    std::fs::write(&outside, "not gxgen's").unwrap();

    // A symlink at the old predictable temporary name (`.<name>.gxgen-tmp-<pid>`,
    // the pid of this process, which writes here) pointing outside -o.
    let target = out.join("2024-某局.html");
    symlink(&outside, out.join(format!(".2024-某局.html.gxgen-tmp-{}", std::process::id()))).unwrap();
    gxgen::output::write_atomic(&target, b"<p>report</p>").unwrap();
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "not gxgen's", "wrote through the planted symlink");
    assert!(std::fs::symlink_metadata(&target).unwrap().file_type().is_file());
    assert_eq!(std::fs::read(&target).unwrap(), b"<p>report</p>");

    // A symlink at the target itself is replaced, never written through,
    // also when it points at a file that already holds the same bytes.
    for (name, write) in [
        ("a.pdf", gxgen::output::write_atomic as fn(&Path, &[u8]) -> std::io::Result<()>),
        ("b.pdf", gxgen::output::write_if_changed),
    ] {
        std::fs::write(&outside, "same").unwrap();
        let t = out.join(name);
        symlink(&outside, &t).unwrap();
        write(&t, b"same").unwrap();
        assert!(std::fs::symlink_metadata(&t).unwrap().file_type().is_file(), "{name} is still a symlink");
        write(&t, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "same", "{name} wrote outside -o");
        assert_eq!(std::fs::read(&t).unwrap(), b"new");
    }
    // No temporary file is left behind.
    let left: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".gxgen-tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");

    // End to end: a built report over a planted symlink is a regular file.
    let ws = workspace();
    let wout = ws.path().join("out");
    std::fs::create_dir(&wout).unwrap();
    let victim = ws.path().join("victim.txt");
    std::fs::write(&victim, "keep").unwrap();
    symlink(&victim, wout.join("2021-汉阴县行政审批服务局.html")).unwrap();
    symlink(&victim, wout.join("index.html")).unwrap();
    let (code, err) = build_ws(ws.path());
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
    for n in ["2021-汉阴县行政审批服务局.html", "index.html"] {
        assert!(std::fs::symlink_metadata(wout.join(n)).unwrap().file_type().is_file(), "{n}");
    }
}

#[test]
fn defect_06_duplicate_agencies() {
    // The same folder listed three times: built once, summed once, both
    // places named.
    let ws = workspace();
    set_agencies(ws.path(), &format!("[{a}, {b}, {a}, {c}, ./{a}/]", a = THREE[0], b = THREE[1], c = THREE[2]));
    let (code, err) = build_ws(ws.path());
    assert_eq!(code, 1, "{err}");
    assert_eq!(err.matches("error[GX0703]").count(), 2, "{err}");
    assert!(err.contains("又列了一次") && err.contains("第一次列在这里"), "{err}");
    let out = ws.path().join("out");
    let sum = std::fs::read_to_string(out.join("2021-测试区各部门汇总.html")).unwrap();
    let key = "active.licensing.decisions";
    let want: i64 = THREE.iter().map(|e| example_value(e, key)).sum();
    assert_eq!(summed(&sum, key), want, "each agency summed once");
    assert!(sum.contains("本报告汇总以下 3 个单位"), "three agencies in the summary");
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert_eq!(index.matches("href=\"2021-汉阴县行政审批服务局.html\"").count(), 1, "{index}");

    // Two folders with the same 机关全称: the second is an error naming both.
    let ws = workspace();
    copy(&ws.path().join(THREE[0]), &ws.path().join("zz-copy"));
    let (code, err) = build_ws(ws.path());
    assert_eq!(code, 1, "{err}");
    assert_eq!(err.matches("error[GX0703]").count(), 1, "{err}");
    assert!(err.contains("机关全称“汉阴县行政审批服务局”与工作区中另一个单位相同"), "{err}");
    // Both places: the duplicate's own line, and the first one's file and line.
    assert!(err.contains("zz-copy/report.yaml:4"), "{err}");
    assert!(err.contains("另一个单位：") && err.contains("hanyin-xingzheng-shenpi-2021/report.yaml 第 4 行"), "{err}");
    let index = std::fs::read_to_string(ws.path().join("out/index.html")).unwrap();
    assert_eq!(index.matches("href=\"2021-汉阴县行政审批服务局.html\"").count(), 1, "{index}");
    let sum = std::fs::read_to_string(ws.path().join("out/2021-测试区各部门汇总.html")).unwrap();
    assert!(sum.contains("本报告汇总以下 3 个单位"), "three agencies in the summary");
    // check agrees with build.
    let o = run(&["check", ws.path().to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("GX0703") || String::from_utf8_lossy(&o.stderr).contains("GX0703")
    );

    // Names that differ but make the same file name collide too.
    let ws = workspace();
    for (folder, name) in [("zz-a", "测试:局"), ("zz-b", "测试?局")] {
        copy(&ws.path().join(THREE[0]), &ws.path().join(folder));
        let y = ws.path().join(folder).join("report.yaml");
        let t = std::fs::read_to_string(&y).unwrap().replacen(
            "agency: 汉阴县行政审批服务局",
            &format!("agency: \"{name}\""),
            1,
        );
        std::fs::write(&y, t).unwrap();
    }
    let (code, err) = build_ws(ws.path());
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("机关全称“测试?局”与另一个单位的“测试:局”生成的文件名相同（2021-测试_局）"), "{err}");
}

#[test]
fn defect_06_duplicate_sheet_rows() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let header = "机关全称,机关类型,发布日期\n";
    std::fs::write(root.join("乡镇.csv"), format!("{header}城关镇,township,2022-01-20\n城关镇,township,2022-01-21\n"))
        .unwrap();
    std::fs::write(root.join("gxgen.yaml"), "year: 2021\nagencies: [乡镇.csv]\n").unwrap();
    let o = run(&["check", root.to_str().unwrap()], None);
    let err = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert!(err.contains("GX0703") && err.contains("机关全称“城关镇”与工作区中另一个单位相同"), "{err}");
    assert!(err.contains("乡镇.csv 第3行（城关镇）:3") && err.contains("乡镇.csv 第2行（城关镇）\n"), "{err}");
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for f in std::fs::read_dir(from).unwrap().flatten() {
        if f.path().is_file() {
            std::fs::copy(f.path(), to.join(f.file_name())).unwrap();
        }
    }
}

#[test]
fn defect_15_missing_report_yaml_fails_one_agency() {
    let ws = workspace();
    std::fs::create_dir(ws.path().join("空文件夹")).unwrap();
    set_agencies(ws.path(), &format!("[{}, 空文件夹, {}, {}]", THREE[0], THREE[1], THREE[2]));
    let (code, err) = build_ws(ws.path());
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("找不到报告") && err.contains("空文件夹/report.yaml"), "{err}");
    assert!(err.contains("gxgen.yaml:"), "located in gxgen.yaml: {err}");
    let out = ws.path().join("out");
    for n in ["2021-汉阴县行政审批服务局.html", "2021-川汇区政务服务和大数据管理局.html", "index.html"]
    {
        assert!(out.join(n).exists(), "{n}: {err}");
    }
    assert!(err.contains("共 4 个单位：1 个未生成"), "{err}");
    // `check` agrees.
    let o = run(&["check", ws.path().to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn output_names_drop_bidi_and_invisible_characters() {
    use gxgen::output::safe_file_name;
    assert_eq!(safe_file_name("某局\u{202E}fdp.exe"), "某局fdp.exe");
    for c in ['\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}'] {
        assert_eq!(safe_file_name(&format!("a{c}b")), "ab", "{:04X}", c as u32);
    }
    for c in
        ['\u{200B}', '\u{200C}', '\u{200D}', '\u{200E}', '\u{200F}', '\u{FEFF}', '\u{00AD}', '\u{061C}', '\u{E0041}']
    {
        assert_eq!(safe_file_name(&format!("a{c}b")), "ab", "{:04X}", c as u32);
    }
    assert_eq!(safe_file_name("a\u{0007}b\nc\u{2028}d/e"), "a_b_c_d_e");
    assert_eq!(safe_file_name("汉阴县行政审批服务局（本级）"), "汉阴县行政审批服务局（本级）");

    // End to end: the built file's name carries no U+202E.
    let ws = workspace();
    let y = ws.path().join(THREE[0]).join("report.yaml");
    let t = std::fs::read_to_string(&y).unwrap().replacen(
        "agency: 汉阴县行政审批服务局",
        "agency: 汉阴县行政\u{202E}审批服务局",
        1,
    );
    std::fs::write(&y, t).unwrap();
    build_ws(ws.path());
    let names: Vec<String> = std::fs::read_dir(ws.path().join("out"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains('\u{202E}')), "{names:?}");
    assert!(names.iter().any(|n| n == "2021-汉阴县行政审批服务局.html"), "{names:?}");
}

/// A copy of a 2021 example whose 一、总体情况 is `overview`.
fn with_overview(overview: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    copy(&repo().join("examples").join(THREE[0]), dir.path());
    std::fs::write(dir.path().join("overview.md"), format!("总体情况。\n\n{overview}")).unwrap();
    let report = dir.path().join("report.yaml");
    (dir, report)
}

fn nested(kind: &str, n: usize) -> String {
    match kind {
        "quote" => format!("{} 引用\n", ">".repeat(n)),
        "list" => (0..n).map(|i| format!("{}- 条目\n", "  ".repeat(i))).collect(),
        "strong" => format!("{}文字{}\n", "**强 ".repeat(n), " 强**".repeat(n)),
        // A list of quotes of emphasis: every kind along one path.
        "mixed" => {
            let lists = n / 3;
            let quotes = n / 3;
            let strong = n - lists - quotes;
            let mut s: String = (0..lists).map(|i| format!("{}- 条目\n", "  ".repeat(i))).collect();
            s.push_str(&format!(
                "{}{} {}文字{}\n",
                "  ".repeat(lists),
                ">".repeat(quotes),
                "**强 ".repeat(strong),
                " 强**".repeat(strong)
            ));
            s
        }
        _ => unreachable!(),
    }
}

#[test]
fn defect_01_deep_block_quotes_do_not_overflow_the_stack() {
    // In a test thread (2 MiB of stack, less than the CLI's main thread):
    // 30,000 nested quotes are a located error, not an abort.
    let (_dir, report) = with_overview(&">".repeat(30_000));
    let checked = gxgen::check(&report);
    let d = checked.diagnostics.list.iter().find(|d| d.code == "GX0505").expect("GX0505");
    assert!(d.primary.is_some(), "located");
    // The same through the CLI, check and build, and written inline in the YAML.
    for args in [vec!["check"], vec!["build", "--only", "html"]] {
        let mut a = args.clone();
        a.push(report.to_str().unwrap());
        let o = run(&a, None);
        let err = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains("error[GX0505]") && err.contains("overview.md:3:1"), "{err}");
    }
    let y = std::fs::read_to_string(&report).unwrap();
    let inline = y.replacen("overview: overview.md", &format!("overview: \"{} x\"", ">".repeat(100_000)), 1);
    std::fs::write(&report, inline).unwrap();
    let o = run(&["check", report.to_str().unwrap()], None);
    let err = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("error[GX0505]") && err.contains("这段正文的第 1 行"), "{err}");
    // Other deep nestings: emphasis, images, lists.
    for text in [
        format!("{}x{}", "*".repeat(50_000), "*".repeat(50_000)),
        format!("{}x{}", "![a ".repeat(20_000), "](http://a)".repeat(20_000)),
        nested("list", 1_500),
    ] {
        let (_dir, report) = with_overview(&text);
        let checked = gxgen::check(&report);
        assert!(checked.diagnostics.list.iter().any(|d| d.code == "GX0505"), "{}", &text[..40]);
    }
}

#[test]
fn defect_08_nesting_limit_agrees_in_check_html_and_pdf() {
    assert_eq!(gxgen::compose::MAX_NESTING, 10);
    let fonts = crate::pdf::noto_only();
    let fp = fonts.path().to_str().unwrap();
    for kind in ["list", "quote", "strong", "mixed"] {
        // At the limit: check passes and both HTML and PDF are made.
        let (dir, report) = with_overview(&nested(kind, 10));
        let out = dir.path().join("out");
        let o = run(
            &[
                "build",
                report.to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
                "--ignore-system-fonts",
                "--font-path",
                fp,
            ],
            None,
        );
        assert_eq!(o.status.code(), Some(0), "{kind} 10: {}", String::from_utf8_lossy(&o.stderr));
        assert!(
            out.join("2021-汉阴县行政审批服务局.pdf").is_file() && out.join("2021-汉阴县行政审批服务局.html").is_file()
        );
        // One over: check finds it, located, and nothing is built.
        let (dir, report) = with_overview(&nested(kind, 11));
        let o = run(&["check", report.to_str().unwrap()], None);
        let err = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
        assert_eq!(o.status.code(), Some(1), "{kind} 11: {err}");
        assert!(err.contains("error[GX0505]") && err.contains("overview.md:"), "{kind} 11: {err}");
        let out = dir.path().join("out");
        let o = run(&["build", report.to_str().unwrap(), "-o", out.to_str().unwrap()], None);
        assert_eq!(o.status.code(), Some(1));
        assert!(!String::from_utf8_lossy(&o.stderr).contains("GX0603"), "the PDF renderer is never reached");
        assert!(!out.exists() || std::fs::read_dir(&out).unwrap().next().is_none());
    }
}

/// The PDF's creation date as pdfinfo shows it.
fn pdf_creation_date(report: &Path, epoch: Option<&str>) -> String {
    let out = tempfile::tempdir().unwrap();
    let fonts = crate::pdf::noto_only();
    let mut c = gxgen();
    c.args(["build", report.to_str().unwrap(), "-o", out.path().to_str().unwrap(), "--only", "pdf"]);
    c.args(["--ignore-system-fonts", "--font-path", fonts.path().to_str().unwrap()]);
    match epoch {
        Some(e) => c.env("SOURCE_DATE_EPOCH", e),
        None => c.env_remove("SOURCE_DATE_EPOCH"),
    };
    let o = c.output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pdf =
        std::fs::read_dir(out.path()).unwrap().flatten().find(|e| e.path().extension().is_some_and(|x| x == "pdf"));
    let info = std::process::Command::new("pdfinfo").arg("-isodates").arg(pdf.unwrap().path()).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    info.lines().find(|l| l.starts_with("CreationDate:")).unwrap_or("CreationDate: none").to_string()
}

#[test]
fn defect_16_source_date_epoch_never_overrides_publish_date() {
    let (dir, report) = with_overview("");
    let t = std::fs::read_to_string(&report).unwrap().replacen("meta:\n", "meta:\n  publish_date: 2022-01-20\n", 1);
    std::fs::write(&report, &t).unwrap();
    let own = pdf_creation_date(&report, None);
    assert!(own.contains("2022-01-20T00:00:00+08"), "{own}");
    // 2001-09-09T01:46:40Z
    assert_eq!(pdf_creation_date(&report, Some("1000000000")), own, "the report's date wins");
    // Without a publish date, SOURCE_DATE_EPOCH is the date.
    let t: String =
        t.lines().filter(|l| !l.trim_start().starts_with("publish_date:")).map(|l| format!("{l}\n")).collect();
    std::fs::write(&report, t).unwrap();
    assert!(pdf_creation_date(&report, Some("1000000000")).contains("2001-09-09T01:46:40"));
    drop(dir);
}
