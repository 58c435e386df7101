//! Every validation rule: a passing case (the valid synthetic report) and a
//! failing case that asserts the code, the location and the values.

use crate::common::*;

fn valid(year: i32) -> Synth {
    Synth::valid(year, &mut Rng(0x5eed + year as u64), 9)
}

#[test]
fn valid_reports_pass_every_rule() {
    for year in [2019, 2020, 2021, 2024] {
        let (_d, path, _) = valid(year).write();
        let ds = check_lib(&path);
        assert!(ds.is_empty(), "{year}: {ds:#?}");
    }
}

/// One broken cell: the diagnostic with `code` points at `at` (line of that
/// cell) and carries expected/actual.
fn broken(s: &Synth, code: &str, at: &str, expected: &str, actual: &str) {
    let (_d, path, lines) = s.write();
    let ds = check_lib(&path);
    let hits = with_code(&ds, code);
    let d = hits.iter().find(|d| d["cell"] == at).unwrap_or_else(|| panic!("no {code} at {at}: {ds:#?}"));
    assert_eq!(d["line"], lines[at], "{d:#}");
    assert!(d["column"].as_u64().unwrap() > 1, "{d:#}");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["expected"], expected, "{d:#}");
    assert_eq!(d["actual"], actual, "{d:#}");
    assert!(d["file"].as_str().unwrap().ends_with("report.yaml"));
}

#[test]
fn t3_2_row_total() {
    for year in [2020, 2021] {
        let mut s = valid(year);
        let total: i64 = s.cells["applications.new.total"].parse().unwrap();
        s.add("applications.new.total", 1);
        broken(&s, "GX0302", "applications.new.total", &total.to_string(), &(total + 1).to_string());
        // The message names the row and the column by their official labels,
        // and the note lists the parts.
        let (_d, path, _) = s.write();
        let d = check_lib(&path).into_iter().find(|d| d["code"] == "GX0302").unwrap();
        let msg = d["message"].as_str().unwrap();
        assert!(msg.contains("一、本年新收政府信息公开申请数量"), "{msg}");
        assert!(msg.contains("总计"), "{msg}");
        assert!(d["notes"][0].as_str().unwrap().contains("自然人"), "{d:#}");
    }
}

#[test]
fn t3_1_column_identity() {
    for year in [2020, 2021] {
        let mut s = valid(year);
        // Keep the row sum right: move one carried-forward application from
        // one column to another... no: add one to a column and its total.
        s.add("applications.carried_forward.research", 1).add("applications.carried_forward.total", 1);
        let (_d, path, lines) = s.write();
        let ds = check_lib(&path);
        assert_codes(&ds, &["GX0301"]);
        let d = ds
            .iter()
            .find(|d| d["cells"].as_array().unwrap().iter().any(|c| c == "applications.carried_forward.research"))
            .unwrap();
        let msg = d["message"].as_str().unwrap();
        assert!(msg.contains("科研机构"), "{msg}");
        assert!(msg.contains("四、结转下年度继续办理"), "{msg}");
        assert!(msg.contains("相差 1"), "{msg}");
        // Every term is named by its row: the column is named once.
        assert!(msg.contains("：一、本年新收政府信息公开申请数量 "), "{msg}");
        assert_eq!(d["line"], lines["applications.new.research"]);
    }
}

#[test]
fn t3_3_results_total() {
    for year in [2020, 2021] {
        let mut s = valid(year);
        let t: i64 = s.cells["applications.results.total.social_welfare"].parse().unwrap();
        s.add("applications.results.denied.third_party.social_welfare", 2)
            .add("applications.results.denied.third_party.total", 2);
        broken(&s, "GX0303", "applications.results.total.social_welfare", &(t + 2).to_string(), &t.to_string());
    }
}

#[test]
fn t3_5_carried_forward_bounded() {
    let mut s = valid(2021);
    let n: i64 = s.cells["applications.new.other_org"].parse().unwrap();
    let o: i64 = s.cells["applications.carried_over.other_org"].parse().unwrap();
    let cf: i64 = s.cells["applications.carried_forward.other_org"].parse().unwrap();
    let bump = n + o - cf + 5;
    s.add("applications.carried_forward.other_org", bump).add("applications.carried_forward.total", bump);
    let (_d, path, _) = s.write();
    let ds = check_lib(&path);
    assert_codes(&ds, &["GX0301", "GX0304"]);
}

#[test]
fn t4_1_review_and_litigation_totals() {
    for g in ["review", "litigation.direct", "litigation.after_review"] {
        let mut s = valid(2021);
        let key = format!("{g}.total");
        let t: i64 = s.cells[&key].parse().unwrap();
        s.add(&key, 3);
        broken(&s, "GX0311", &key, &t.to_string(), &(t + 3).to_string());
    }
}

#[test]
fn t2_19_1_items_never_negative() {
    let mut s = valid(2020);
    s.set("active.licensing.prev_items", 2).set("active.licensing.change", -5);
    let (_d, path, lines) = s.write();
    let ds = check_lib(&path);
    assert_codes(&ds, &["GX0321"]);
    assert_eq!(ds[0]["line"], lines["active.licensing.prev_items"]);
    assert_eq!(ds[0]["expected"], "-3");
    assert!(ds[0]["message"].as_str().unwrap().contains("不应小于 0"), "{:#}", ds[0]);
}

#[test]
fn t2_19_4_new_published_within_total_is_a_warning() {
    let mut s = valid(2020);
    s.set("active.normative_docs.new_made", 50)
        .set("active.normative_docs.new_published", 50)
        .set("active.normative_docs.total_published", 40);
    let (_d, path, _) = s.write();
    let ds = check_lib(&path);
    assert_codes(&ds, &["GX0322"]);
    assert_eq!(ds[0]["severity"], "warning");
    let (code, _) = check_json(&path);
    assert_eq!(code, 0, "warnings alone pass");
    let out = run(&["check", "--deny", "warnings", path.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1), "--deny warnings fails");
}

#[test]
fn hints_are_info_never_failing_a_check_even_with_deny_warnings() {
    // T2-19-3: 处罚 decisions equal to the item count; T2-19-5: made ≠ published.
    let mut s = valid(2020);
    s.set("active.penalty.prev_items", 1433).set("active.penalty.change", -167).set("active.penalty.decisions", 1266);
    s.set("active.rules.new_made", 3).set("active.rules.new_published", 2).set("active.rules.total_published", 9);
    let (_d, path, lines) = s.write();
    let ds = check_lib(&path);
    assert_codes(&ds, &["GX0323", "GX0324"]);
    assert!(ds.iter().all(|d| d["severity"] == "info"), "{ds:?}");
    assert_eq!(ds[0]["line"].as_u64(), Some(lines["active.penalty.decisions"] as u64));
    assert!(ds[0]["message"].as_str().unwrap().contains("1433") && ds[0]["message"].as_str().unwrap().contains("1266"));
    let out = run(&["check", "--deny", "warnings", path.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "hints never fail a check");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("note[GX0323]") && text.contains("通过，0 个错误，0 个警告，2 个提示"), "{text}");
    // Both 0: nothing to hint at.
    let mut s = valid(2020);
    s.set("active.penalty.prev_items", 0).set("active.penalty.change", 0).set("active.penalty.decisions", 0);
    let (_d, path, _) = s.write();
    assert!(check_lib(&path).is_empty());
}

#[test]
fn n4_info_fee_warnings() {
    let mut s = valid(2021);
    s.set("other_matters.info_fee.collected_amount_yuan", "400");
    let (_d, path, lines) = s.write();
    let ds = check_lib(&path);
    assert_codes(&ds, &["GX0331"]);
    assert_eq!(ds[0]["line"], lines["other_matters.info_fee.collected_amount_yuan"]);

    let mut s = valid(2021);
    let unpaid: i64 = s.cells["applications.results.other.fee_unpaid.total"].parse().unwrap();
    s.set("other_matters.info_fee.notices", 0);
    let (_d, path, _) = s.write();
    let ds = check_lib(&path);
    if unpaid > 0 {
        assert_codes(&ds, &["GX0332"]);
    } else {
        assert!(ds.is_empty());
    }
}

#[test]
fn totals_may_be_omitted_and_are_computed() {
    let mut s = valid(2021);
    let totals: Vec<String> = s.cells.keys().filter(|k| k.ends_with(".total")).cloned().collect();
    s.omit = totals;
    let (_d, path, _) = s.write();
    assert!(check_lib(&path).is_empty());
    let checked = gxgen::check(&path);
    let r = checked.report.unwrap();
    let want: i64 = valid(2021).cells["applications.results.total.total"].parse().unwrap();
    assert_eq!(r.get("applications.results.total.total").unwrap().number.to_i64(), Some(want));
}

#[test]
fn omitted_cells_are_zero_and_a_wrong_given_total_is_never_overwritten() {
    let mut s = valid(2021);
    s.omit = vec!["applications.new.research".into()];
    let r: i64 = s.cells["applications.new.research"].parse().unwrap();
    let (_d, path, _) = s.write();
    let ds = check_lib(&path);
    if r == 0 {
        assert!(ds.is_empty());
    } else {
        // The written total still says the old sum: reported, not replaced.
        assert!(!with_code(&ds, "GX0302").is_empty(), "{ds:#?}");
    }
}

#[test]
fn value_kinds() {
    let cases: &[(i32, &str, &str, &str)] = &[
        (2021, "applications.new.natural_person", "-1", "GX0201"),
        (2021, "applications.new.natural_person", "1.5", "GX0201"),
        (2021, "review.upheld", "\"很多\"", "GX0201"),
        (2020, "active.licensing.change", "1.5", "GX0202"),
        (2021, "active.admin_fees.amount_wan", "-3", "GX0203"),
        (2021, "active.admin_fees.amount_wan", "abc", "GX0203"),
        (2020, "active.procurement.amount", "16800", "GX0204"),
        (2021, "applications.new.commercial", "", "GX0205"),
    ];
    for (year, key, value, code) in cases {
        let mut s = valid(*year);
        s.set(key, value);
        let (_d, path, lines) = s.write();
        let ds = check_lib(&path);
        let d = ds.iter().find(|d| d["code"] == *code).unwrap_or_else(|| panic!("{key}={value}: {ds:#?}"));
        assert_eq!(d["cell"], *key);
        assert_eq!(d["line"], lines[*key]);
        // A bad value is reported once, not again by the arithmetic.
        assert_eq!(ds.len(), 1, "{key}={value}: {ds:#?}");
    }
}

#[test]
fn values_in_the_forms_people_write() {
    let mut s = valid(2020);
    s.set("active.licensing.change", "\"+3\"").set("active.procurement.amount", "\"251000元\"");
    s.set("active.licensing.prev_items", 10);
    let (_d, path, _) = s.write();
    assert!(check_lib(&path).is_empty());
    let mut s = valid(2021);
    s.set("active.admin_fees.amount_wan", "\"12500元\"");
    let (_d, path, _) = s.write();
    let checked = gxgen::check(&path);
    assert!(checked.diagnostics.list.is_empty());
    assert_eq!(checked.report.unwrap().get("active.admin_fees.amount_wan").unwrap().number.to_string(), "1.2500");
}

#[test]
fn format_must_fit_year() {
    let mut s = valid(2021);
    s.extra_meta.push("format: \"2019\"".into());
    let (_d, path, _) = s.write();
    let ds = check_lib(&path);
    assert_codes(&ds, &["GX0401"]);
    assert_eq!(ds[0]["line"], 5);
    assert!(ds[0]["message"].as_str().unwrap().contains("2021"));

    let mut s = valid(2021);
    s.year = 2018;
    let (_d, path, _) = s.write();
    assert_codes(&check_lib(&path), &["GX0401"]);
}

#[test]
fn a_key_of_the_other_format_says_so() {
    let (dir, path, _) = valid(2021).write();
    let mut text = std::fs::read_to_string(&path).unwrap();
    text = text.replace("active:\n", "active:\n  procurement:\n    projects: 3\n");
    std::fs::write(&path, &text).unwrap();
    let ds = check_lib(&path);
    assert_codes(&ds, &["GX0102"]);
    let msg = ds[0]["message"].as_str().unwrap();
    assert!(msg.contains("2019") && msg.contains("2021"), "{msg}");
    assert!(ds[0]["notes"][0].as_str().unwrap().contains("第二十条第（九）项"), "{:#}", ds[0]);
    drop(dir);
}

#[test]
fn unknown_keys_suggest_the_right_one() {
    let (_dir, path, lines) = valid(2021).write();
    let text = std::fs::read_to_string(&path).unwrap().replace("    natural_person:", "    natural_persn:");
    std::fs::write(&path, &text).unwrap();
    let ds = check_lib(&path);
    let d = &with_code(&ds, "GX0101")[0];
    assert_eq!(d["line"], lines["applications.new.natural_person"]);
    assert!(d["notes"][0].as_str().unwrap().contains("natural_person"), "{d:#}");
}

#[test]
fn missing_and_empty_sections() {
    let mut s = valid(2021);
    s.narrative.retain(|(k, _)| k != "problems");
    let (_d, path, _) = s.write();
    let ds = check_lib(&path);
    assert_codes(&ds, &["GX0402"]);
    assert!(ds[0]["message"].as_str().unwrap().contains("五、存在的主要问题及改进情况"));

    let mut s = valid(2021);
    s.narrative[2].1 = "<!-- 待写 -->\n".into();
    let (_d, path, _) = s.write();
    let ds = check_lib(&path);
    assert_codes(&ds, &["GX0402"]);
    assert!(ds[0]["message"].as_str().unwrap().contains("六、其他需要报告的事项"));
}

#[test]
fn info_fee_facts_required_in_2021_only() {
    let mut s = valid(2021);
    s.omit = vec!["other_matters".into()];
    let (_d, path, _) = s.write();
    let ds = check_lib(&path);
    assert_codes(&ds, &["GX0403"]);
    assert_eq!(ds[0]["severity"], "warning");
    let (_d, path, _) = valid(2020).write();
    assert!(check_lib(&path).is_empty());
}

#[test]
fn publication_dates() {
    let mut s = valid(2021);
    s.extra_meta.push("publish_date: 2022-02-15".into());
    let (_d, path, _) = s.write();
    let ds = check_lib(&path);
    assert_codes(&ds, &["GX0404"]);
    assert!(ds[0]["message"].as_str().unwrap().contains("2022年1月31日"));
    // A government has until 3月31日.
    let mut s = valid(2021);
    s.kind = "government";
    s.narrative[0].1 = "工作考核、社会评议和责任追究结果情况：无。".into();
    s.extra_meta.push("publish_date: 2022-02-15".into());
    let (_d, path, _) = s.write();
    assert!(check_lib(&path).is_empty());
    // 乡镇、街道: no statutory deadline.
    let mut s = valid(2021);
    s.kind = "township";
    s.extra_meta.push("publish_date: 2022-02-15".into());
    let (_d, path, _) = s.write();
    assert!(check_lib(&path).is_empty());
    let mut s = valid(2021);
    s.extra_meta.push("publish_date: 2021-12-30".into());
    let (_d, path, _) = s.write();
    assert_codes(&check_lib(&path), &["GX0405"]);
    let mut s = valid(2021);
    s.extra_meta.push("publish_date: 2022-02-30".into());
    let (_d, path, _) = s.write();
    assert_codes(&check_lib(&path), &["GX0107"]);
}

#[test]
fn government_reports_cover_assessment() {
    let mut s = valid(2021);
    s.kind = "government";
    let (_d, path, _) = s.write();
    let ds = check_lib(&path);
    assert_codes(&ds, &["GX0406"]);
    assert!(ds[0]["message"].as_str().unwrap().contains("工作考核"));
}

#[test]
fn rows_as_lists() {
    let (_dir, path, _) = valid(2021).write();
    let s = valid(2021);
    let row: Vec<String> =
        ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total"]
            .iter()
            .map(|c| s.cells[&format!("applications.new.{c}")].clone())
            .collect();
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text.find("  new:\n").unwrap();
    let end = text[start..].find("  carried_over:").unwrap() + start;
    let with_list = format!("{}  new: [{}]\n{}", &text[..start], row.join(", "), &text[end..]);
    std::fs::write(&path, &with_list).unwrap();
    assert!(check_lib(&path).is_empty());
    // Six values: the total is computed.
    let six = format!("{}  new: [{}]\n{}", &text[..start], row[..6].join(", "), &text[end..]);
    std::fs::write(&path, &six).unwrap();
    assert!(check_lib(&path).is_empty());
    // Five values: wrong length, with the column order in the note.
    let five = format!("{}  new: [{}]\n{}", &text[..start], row[..5].join(", "), &text[end..]);
    std::fs::write(&path, &five).unwrap();
    let ds = check_lib(&path);
    let d = &with_code(&ds, "GX0105")[0];
    assert!(d["notes"][0].as_str().unwrap().contains("自然人、商业企业、科研机构"), "{d:#}");
}

/// A valid 2021 report whose part 一 is `overview.md` with `text`.
fn with_overview(s: &Synth, text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let mut s = Synth { cells: s.cells.clone(), narrative: s.narrative.clone(), ..valid(s.year) };
    s.narrative.retain(|(k, _)| k != "overview");
    s.narrative.push(("overview".into(), "overview.md".into()));
    let (dir, path, _) = s.write();
    std::fs::write(dir.path().join("overview.md"), text).unwrap();
    (dir, path)
}

#[test]
fn figures_the_narrative_states_must_be_the_tables() {
    let s = valid(2021);
    let new: u64 = s.cells["applications.new.total"].parse().unwrap();
    let review: u64 = s.cells["review.total"].parse().unwrap();
    let suits: u64 = s.cells["litigation.direct.total"].parse::<u64>().unwrap()
        + s.cells["litigation.after_review.total"].parse::<u64>().unwrap();
    // Agreeing figures, a variable, another year's figure, a growth: nothing.
    let fine = format!(
        "本年度共收到政府信息公开申请{new}件，被申请行政复议{review}件，行政诉讼{suits}起。\n\n上年收到政府信息公开申请{}件。2020年收到政府信息公开申请3件。新收政府信息公开申请{{{{ applications.new.total }}}}件，较上年增加2件。受理政府信息公开申请，2件当日答复。受理政府信息公开申请，共{new}件。\n",
        new + 7
    );
    let (_d, path) = with_overview(&s, &fine);
    assert!(check_lib(&path).is_empty(), "{:?}", check_lib(&path));

    // A wrong figure: located on the number in the .md file, both values given.
    let wrong = format!("第一段。\n\n本年度共收到政府信息公开申请{}件，办结率100%。\n", new + 1);
    let (_d, path) = with_overview(&s, &wrong);
    let ds = check_lib(&path);
    assert_codes(&ds, &["GX0409"]);
    let d = &ds[0];
    assert!(d["file"].as_str().unwrap().ends_with("overview.md"));
    // 本年度共收到政府信息公开申请 is 14 characters: the number is at column 15.
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(3), Some(15)));
    assert_eq!(
        (d["actual"].as_str(), d["expected"].as_str()),
        (Some((new + 1).to_string().as_str()), Some(new.to_string().as_str()))
    );
    assert_eq!(d["cell"], "applications.new.total");
    assert!(d["message"].as_str().unwrap().contains(&format!("收到政府信息公开申请{}件", new + 1)));

    // "，共" leads to the figure; a bare comma does not ("，2件当日答复").
    let (_d, path) = with_overview(&s, &format!("受理政府信息公开申请，共{}件。", new + 2));
    assert_codes(&check_lib(&path), &["GX0409"]);

    // Litigation is the sum of both kinds of suit; full-width digits count.
    let fw: String =
        (suits + 2).to_string().chars().map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap()).collect();
    let (_d, path) = with_overview(&s, &format!("发生政府信息公开行政诉讼{fw}件。"));
    let ds = check_lib(&path);
    assert_codes(&ds, &["GX0409"]);
    assert_eq!(ds[0]["cells"], serde_json::json!(["litigation.direct.total", "litigation.after_review.total"]));
    assert_eq!(ds[0]["expected"].as_str(), Some(suits.to_string().as_str()));
}

#[test]
fn saying_none_while_the_table_has_some_is_flagged() {
    let mut s = valid(2021);
    s.set("review.upheld", 1)
        .set("review.corrected", 0)
        .set("review.other", 0)
        .set("review.pending", 0)
        .set("review.total", 1);
    let (_d, path) = with_overview(&s, "本年度未发生政府信息公开行政复议、行政诉讼。");
    let ds = check_lib(&path);
    let codes: Vec<&str> = ds.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"GX0410"), "{ds:?}");
    let review: Vec<_> = ds.iter().filter(|d| d["cell"] == "review.total").collect();
    assert_eq!(review.len(), 1, "{ds:?}");
    assert_eq!((review[0]["actual"].as_str(), review[0]["expected"].as_str()), (Some("0"), Some("1")));
    // Said of last year: not this year's table.
    let (_d, path) = with_overview(&s, "上年度未发生政府信息公开行政复议。");
    assert!(!check_lib(&path).iter().any(|d| d["code"] == "GX0410"));
    // Inline narrative: the whole value is the place.
    s.narrative.retain(|(k, _)| k != "overview");
    s.narrative.push(("overview".into(), "本年度未发生行政复议。".into()));
    let (_d, path, _) = s.write();
    let ds = check_lib(&path);
    assert_codes(&ds, &["GX0410"]);
    assert!(ds[0]["file"].as_str().unwrap().ends_with("report.yaml"));
}
