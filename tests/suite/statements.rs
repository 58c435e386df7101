//! Every figure the narrative states is checked against the tables
//! (tracker issue 10, item 1): wrong figures written into the examples'
//! narratives are reported at the words with both figures, the same
//! sentences with the right figures pass, and the examples and the real
//! report texts of tests/fixtures/corpus-check/ give no false finding.

use std::path::{Path, PathBuf};

use crate::common::*;

/// A copy of an example with `sentence` appended to its overview.md.
fn with_sentence(example: &str, sentence: &str) -> (tempfile::TempDir, PathBuf) {
    let src = repo().join("examples").join(example);
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(&src).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.path().join(e.file_name())).unwrap();
    }
    let md = dir.path().join("overview.md");
    let text = std::fs::read_to_string(&md).unwrap();
    std::fs::write(&md, format!("{text}\n\n{sentence}\n")).unwrap();
    let path = dir.path().join("report.yaml");
    (dir, path)
}

fn findings(path: &Path) -> Vec<serde_json::Value> {
    check_lib(path).into_iter().filter(|d| d["code"] == "GX0409" || d["code"] == "GX0410").collect()
}

/// ankang-hanbin-2020 (2019 format): 新收 35, 予以公开 28, 部分公开 7,
/// 行政复议 1 (其他结果), 行政诉讼 1 (尚未审结).
#[test]
fn wrong_figures_of_each_kind_are_found_and_right_ones_pass() {
    let cases: &[(&str, &str, &str)] = &[
        ("本年度予以公开29件。", "本年度予以公开28件。", "28"),
        ("部分公开8件。", "部分公开7件。", "7"),
        ("予以公开及部分公开36件。", "予以公开及部分公开35件。", "35"),
        ("不予公开2件。", "不予公开0件。", "0"),
        ("结转下年度继续办理3件。", "结转下年度继续办理0件。", "0"),
        ("上年结转4件。", "上年结转0件。", "0"),
        ("全年共发生行政复议两起。", "全年共发生行政复议一起。", "1"),
        ("收到政府信息公开申请三十六件。", "收到政府信息公开申请三十五件。", "35"),
    ];
    for (wrong, right, table) in cases {
        let (_d, path) = with_sentence("ankang-hanbin-2020", wrong);
        let f = findings(&path);
        assert_eq!(f.len(), 1, "{wrong}: {f:#?}");
        let msg = f[0]["message"].as_str().unwrap();
        assert!(msg.contains("表格中") && msg.ends_with(&format!("是 {table}")), "{wrong}: {msg}");
        assert!(f[0]["file"].as_str().unwrap().ends_with("overview.md"), "located on the words");
        assert!(f[0]["notes"].to_string().contains("{{"), "offers the expression: {:#}", f[0]);
        let (_d, path) = with_sentence("ankang-hanbin-2020", right);
        assert!(findings(&path).is_empty(), "{right}: {:#?}", findings(&path));
    }
}

#[test]
fn the_sum_wording_is_not_read_as_its_last_part() {
    // 予以公开及部分公开35件 is 28 + 7, not 部分公开 35.
    let (_d, path) = with_sentence("ankang-hanbin-2020", "其中予以公开及部分公开35件，部分公开7件。");
    assert!(findings(&path).is_empty(), "{:#?}", findings(&path));
}

#[test]
fn figures_about_another_year_are_skipped() {
    let (_d, path) = with_sentence("ankang-hanbin-2020", "2019年予以公开99件。上年予以公开98件。");
    assert!(findings(&path).is_empty(), "{:#?}", findings(&path));
}

#[test]
fn table_two_figures_are_checked_in_the_2021_format() {
    // hongsibu-shenpi-2021: every cell of table 二 is 0.
    let (_d, path) = with_sentence("hongsibu-shenpi-2021", "本年制发规范性文件3件，作出行政处罚决定2件。");
    let f = findings(&path);
    assert_eq!(f.len(), 2, "{f:#?}");
    let (_d, path) = with_sentence("hongsibu-shenpi-2021", "本年制发规范性文件0件。");
    assert!(findings(&path).is_empty());
}

/// The five examples: no finding; how many sentences with figures were read
/// and how many matched a quantity of the tables.
#[test]
fn the_examples_give_no_false_finding() {
    let mut read = 0;
    let mut matched = 0;
    for path in examples() {
        assert!(findings(&path).is_empty(), "{}: {:#?}", path.display(), findings(&path));
        let checked = gxgen::check(&path);
        let (r, m) = gxgen::validate::survey(checked.report.as_ref().unwrap());
        read += r;
        matched += m;
    }
    eprintln!("examples: {read} sentences with figures read, {matched} matched to a quantity");
    assert!(read > 0 && matched > 0);
}

/// The real report texts of the development corpus (first 2,000 bytes of 20
/// published reports, with their hand-read tables): each text as the
/// overview of a report whose tables are the ground truth.
#[test]
fn the_corpus_texts_give_no_false_finding() {
    let dir = repo().join("tests/fixtures/corpus-check");
    let mut read = 0;
    let mut matched = 0;
    let mut texts = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_none_or(|x| x != "txt") {
            continue;
        }
        let truth: serde_json::Value =
            serde_saphyr::from_str(&std::fs::read_to_string(p.with_extension("yaml")).unwrap()).unwrap();
        let mut report = serde_json::json!({
            "meta": {"agency": truth["agency"], "year": truth["year"], "format": truth["format"].to_string()},
            "narrative": {"overview": "text.txt"},
        });
        for key in ["active", "applications", "review", "litigation"] {
            if !truth[key].is_null() {
                report[key] = truth[key].clone();
            }
        }
        let tmp = tempfile::tempdir().unwrap();
        std::fs::copy(&p, tmp.path().join("text.txt")).unwrap();
        let path = tmp.path().join("report.yaml");
        std::fs::write(&path, serde_json::to_string_pretty(&report).unwrap()).unwrap();
        let f = findings(&path);
        assert!(f.is_empty(), "{}: {f:#?}", p.display());
        let checked = gxgen::check(&path);
        if let Some(r) = checked.report.as_ref() {
            let (a, b) = gxgen::validate::survey(r);
            read += a;
            matched += b;
        }
        texts += 1;
    }
    eprintln!("corpus: {texts} texts, {read} sentences with figures read, {matched} matched to a quantity");
    assert_eq!(texts, 20);
}

#[test]
fn all_or_none_claims_are_checked() {
    // ankang: 行政复议 1 (其他结果), 行政诉讼 1 (尚未审结).
    let (_d, path) = with_sentence("ankang-hanbin-2020", "本年度发生行政复议1件，均获维持。");
    let f = findings(&path);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(f[0]["message"].as_str().unwrap().contains("均获维持"));
    let (_d, path) = with_sentence("ankang-hanbin-2020", "被提起行政诉讼1件，均已审结。");
    assert_eq!(findings(&path).len(), 1, "{:#?}", findings(&path));
    // 行政复议 其他结果 1 is decided: 均已审结 is true.
    let (_d, path) = with_sentence("ankang-hanbin-2020", "本年度发生行政复议1件，均已审结。");
    assert!(findings(&path).is_empty(), "{:#?}", findings(&path));
}

#[test]
fn shares_are_recomputed_within_the_texts_rounding() {
    // ankang: 予以公开 28 of （七）总计 35 = 80%, 部分公开 7 = 20%.
    for right in ["予以公开28件，占80%。", "予以公开28件，占总数的80.0%。", "部分公开7件，占20%。"]
    {
        let (_d, path) = with_sentence("ankang-hanbin-2020", right);
        assert!(findings(&path).is_empty(), "{right}: {:#?}", findings(&path));
    }
    let (_d, path) = with_sentence("ankang-hanbin-2020", "予以公开28件，占79.5%。");
    let f = findings(&path);
    assert_eq!(f.len(), 1, "{f:#?}");
    let msg = f[0]["message"].as_str().unwrap();
    assert!(msg.contains("79.5%") && msg.contains("28 / 35 = 80.0%"), "{msg}");
    assert!(f[0]["notes"].to_string().contains("round(precision=1)"), "{:#}", f[0]);
}

#[test]
fn table_two_figures_are_checked_in_the_2019_format() {
    // ankang-hanbin-2020: 行政处罚 处理决定数量 1266.
    let (_d, path) = with_sentence("ankang-hanbin-2020", "全年作出行政处罚决定1,265件。");
    let f = findings(&path);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(f[0]["message"].as_str().unwrap().ends_with("是 1266"), "{:#}", f[0]);
    let (_d, path) = with_sentence("ankang-hanbin-2020", "全年作出行政处罚决定1,266件。");
    assert!(findings(&path).is_empty(), "{:#?}", findings(&path));
}

/// A copy of the county workspace (both years, so meta.previous is known)
/// with one 2024 agency's overview.md open for a sentence.
struct CountyAgency {
    _dir: tempfile::TempDir,
    md: PathBuf,
    text: String,
    path: PathBuf,
}

impl CountyAgency {
    fn new(agency: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let ok = std::process::Command::new("cp")
            .args(["-r", repo().join("examples/county").to_str().unwrap(), dir.path().to_str().unwrap()])
            .status()
            .unwrap();
        assert!(ok.success());
        let folder = dir.path().join("county/2024").join(agency);
        let md = folder.join("overview.md");
        let text = std::fs::read_to_string(&md).unwrap();
        CountyAgency { md, text, path: folder.join("report.yaml"), _dir: dir }
    }

    /// check's narrative findings with `sentence` appended to the overview.
    fn findings_with(&self, sentence: &str) -> Vec<serde_json::Value> {
        std::fs::write(&self.md, format!("{}\n\n{sentence}\n", self.text)).unwrap();
        findings(&self.path)
    }
}

/// With last year's report known (meta.previous): 同比/较上年 增加·减少 N件
/// or X% recomputed from both tables. 县公安局: 新收 28 (2023) → 20 (2024).
#[test]
fn changes_against_last_year_are_checked() {
    let county = CountyAgency::new("县公安局");
    let run_with = |sentence: &str| county.findings_with(sentence);
    for right in ["本年收到政府信息公开申请20件，同比减少8件。", "本年收到政府信息公开申请20件，较上年下降28.6%。"]
    {
        assert!(run_with(right).is_empty(), "{right}: {:#?}", run_with(right));
    }
    for wrong in ["本年收到政府信息公开申请20件，同比减少5件。", "本年收到政府信息公开申请20件，同比增长30%。"]
    {
        let f = run_with(wrong);
        assert_eq!(f.len(), 1, "{wrong}: {f:#?}");
        assert!(f[0]["notes"].to_string().contains("上年报告 28"), "{:#}", f[0]);
    }
}

/// A share whose sentence names its base ("占本年新收申请的…") is recomputed
/// against that base, not the natural one; a base the format does not know
/// is left alone. 县交通运输局 (2024): 予以公开 11, 新收 18, 上年结转 2,
/// 办理结果总计 20.
#[test]
fn a_share_is_recomputed_against_the_base_its_sentence_names() {
    let county = CountyAgency::new("县交通运输局");
    let run_with = |sentence: &str| county.findings_with(sentence);
    for right in [
        "予以公开11件，占本年新收申请的61.1%。",
        "予以公开11件，占新收申请总数的61%。",
        "予以公开11件，占办结申请的55%。",
        "予以公开11件，占55%。",
        "予以公开11件，占本年新收和上年结转的55.0%。",
        // A base the format does not name is not checked against another.
        "予以公开11件，占群众来信的70%。",
    ] {
        assert!(run_with(right).is_empty(), "{right}: {:#?}", run_with(right));
    }
    let f = run_with("予以公开11件，占本年新收申请的55%。");
    assert_eq!(f.len(), 1, "{f:#?}");
    let msg = f[0]["message"].as_str().unwrap();
    assert!(msg.contains("占本年新收申请的 55%") && msg.contains("11 / 18 = 61%"), "{msg}");
    assert!(f[0]["notes"].to_string().contains("applications.new.total"), "{:#}", f[0]);
    // The natural base stays the default: 11 / 20.
    let f = run_with("予以公开11件，占61.1%。");
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(f[0]["message"].as_str().unwrap().contains("11 / 20 = 55.0%"), "{:#}", f[0]);
}
