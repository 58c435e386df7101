//! The five seed reports as examples: each passes; each number we break is
//! caught with the official labels, the expected and actual value and the
//! YAML line. The seeds as published live on as failing fixtures.

use crate::common::*;

#[test]
fn there_are_five_examples_of_both_formats() {
    let ex = examples();
    assert_eq!(ex.len(), 5, "{ex:?}");
    let formats: Vec<String> = ex.iter().map(|p| gxgen::check(p).report.unwrap().format.id.clone()).collect();
    assert!(formats.contains(&"2019".to_string()) && formats.contains(&"2021".to_string()));
}

#[test]
fn every_example_passes_without_errors_or_warnings() {
    for p in examples() {
        let out = run(&["check", "--deny", "warnings", p.to_str().unwrap()], None);
        assert_eq!(out.status.code(), Some(0), "{}: {}", p.display(), String::from_utf8_lossy(&out.stdout));
        let stderr = String::from_utf8_lossy(&out.stdout);
        assert!(stderr.contains("通过，0 个错误，0 个警告"), "{stderr}");
    }
}

#[test]
fn example_figures_are_the_published_ones() {
    // 安康市汉滨区 2020 (seed 001): 35 applications, 28 granted, 7 partly.
    let r = gxgen::check(&repo().join("examples/ankang-hanbin-2020/report.yaml")).report.unwrap();
    let n = |k: &str| r.get(k).unwrap().number.to_string();
    assert_eq!(n("applications.new.total"), "35");
    assert_eq!(n("applications.new.natural_person"), "29");
    assert_eq!(n("applications.results.granted.total"), "28");
    assert_eq!(n("applications.results.partial.total"), "7");
    assert_eq!(n("active.penalty.change"), "-167");
    assert_eq!(
        r.get("active.procurement.amount")
            .unwrap()
            .display(&r.format.cells[r.format.cell("active.procurement.amount").unwrap()].kind),
        "16800万元"
    );
    assert_eq!(n("review.other"), "1");
    assert_eq!(n("litigation.direct.pending"), "1");
    // 汉阴县 2021 (seed 000): 9261 licensing decisions.
    let r = gxgen::check(&repo().join("examples/hanyin-xingzheng-shenpi-2021/report.yaml")).report.unwrap();
    assert_eq!(r.get("active.licensing.decisions").unwrap().number.to_string(), "9261");
}

/// Breaking any single number of an example makes check exit 1 and name
/// the official labels, the expected and actual value and the YAML line.
#[test]
fn breaking_a_number_of_an_example_is_caught() {
    let src = repo().join("examples/ankang-hanbin-2020");
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(&src).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.path().join(e.file_name())).unwrap();
    }
    let path = dir.path().join("report.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    // 一、本年新收: 自然人 29 → 30.
    let broken = text.replacen("[29, 6, 0, 0, 0, 0, 35]", "[30, 6, 0, 0, 0, 0, 35]", 1);
    std::fs::write(&path, &broken).unwrap();
    let out = run(&["check", path.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stdout);
    // One error, on the cell that changed, asking for its original value;
    // the two rules it breaks are notes. The total 35 was right: no message
    // asks to change it.
    assert_eq!(stderr.matches("error[").count(), 1, "{stderr}");
    assert!(stderr.contains("error[GX0302]"), "{stderr}");
    assert!(stderr.contains("一、本年新收政府信息公开申请数量"), "{stderr}");
    assert!(stderr.contains("自然人」应为 29，实际填写 30"), "{stderr}");
    assert!(stderr.contains(&format!("report.yaml:{}:", line_of("new: "))), "{stderr}");
    assert!(stderr.contains("勾稽关系不成立"), "{stderr}");
    assert!(!stderr.contains("应为 36"), "{stderr}");
}

/// The seeds as published: each fixture says which codes it must produce.
#[test]
fn seeds_as_published_fail_as_expected() {
    let dir = repo().join("tests/fixtures/seeds");
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path().join("report.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        let expect: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("# expect:"))
            .flat_map(|l| l.split([',', ' ']).filter(|s| !s.is_empty()))
            .collect();
        assert!(!expect.is_empty(), "{} has no # expect: line", path.display());
        assert_codes(&check_lib(&path), &expect);
        n += 1;
    }
    assert!(n >= 2);
}
