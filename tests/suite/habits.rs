//! How Chinese clerks really type a data file (tracker issue 10, item 4, and
//! issue 14 defect 10): each habit on a real example, read as meant with a
//! warning, or one specific located error; never a cascade of generic ones.

use std::path::PathBuf;

use crate::common::*;

/// A copy of an example with `from` replaced by `to` in its report.yaml.
fn edited(example: &str, from: &str, to: &str) -> (tempfile::TempDir, PathBuf) {
    let src = repo().join("examples").join(example);
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(&src).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.path().join(e.file_name())).unwrap();
    }
    let path = dir.path().join("report.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    (dir, path)
}

fn ankang(from: &str, to: &str) -> (tempfile::TempDir, Vec<serde_json::Value>) {
    let (d, path) = edited("ankang-hanbin-2020", from, to);
    let ds = check_lib(&path).into_iter().filter(|d| d["code"] != "GX0323").collect();
    (d, ds)
}

fn errors(ds: &[serde_json::Value]) -> Vec<&serde_json::Value> {
    ds.iter().filter(|d| d["severity"] == "error").collect()
}

const NEW: &str = "[29, 6, 0, 0, 0, 0, 35]";

#[test]
fn fullwidth_commas_in_a_row_are_read_as_meant_with_one_warning() {
    let (_d, ds) = ankang(NEW, "[29，6，0，0，0，0，35]");
    assert!(errors(&ds).is_empty(), "{ds:#?}");
    let w = with_code(&ds, "GX0012");
    assert_eq!(w.len(), 1, "{ds:#?}");
    assert!(w[0]["message"].as_str().unwrap().contains("全角逗号“，”（共 6 处）"), "{:#}", w[0]);
    assert_eq!(w[0]["line"], 31);
    assert_eq!(w[0]["column"], 30, "the caret is on the first comma");
}

#[test]
fn enumeration_commas_in_a_row_are_read_as_meant() {
    let (_d, ds) = ankang(NEW, "[29、6、0、0、0、0、35]");
    assert!(errors(&ds).is_empty(), "{ds:#?}");
    assert_eq!(with_code(&ds, "GX0012").len(), 1);
}

#[test]
fn fullwidth_colon_after_a_key_is_read_as_meant() {
    let (_d, ds) = ankang("{upheld: 0, corrected: 0, other: 1", "{upheld：0, corrected: 0, other: 1");
    assert!(errors(&ds).is_empty(), "{ds:#?}");
    let w = with_code(&ds, "GX0012");
    assert!(w[0]["message"].as_str().unwrap().contains("全角冒号"), "{:#}", w[0]);
    assert_eq!(w[0]["column"], 20, "caret on the colon, not in the comment");
    // A block key too.
    let (_d, ds) = ankang("  year: 2020", "  year：2020");
    assert!(errors(&ds).is_empty(), "{ds:#?}");
}

#[test]
fn fullwidth_brackets_are_read_as_meant() {
    let (_d, ds) = ankang(NEW, "［29, 6, 0, 0, 0, 0, 35］");
    assert!(errors(&ds).is_empty(), "{ds:#?}");
    assert!(with_code(&ds, "GX0012").iter().any(|d| d["message"].as_str().unwrap().contains("全角方括号")));
}

#[test]
fn a_tab_in_the_indentation_is_one_error_with_the_caret_on_it() {
    let (_d, ds) = ankang("  new:                    [29", "\tnew:                    [29");
    assert_eq!(ds.len(), 1, "{ds:#?}");
    assert_eq!(ds[0]["code"], "GX0011");
    assert!(ds[0]["message"].as_str().unwrap().contains("制表符（Tab）"));
    assert_eq!(ds[0]["line"], 31);
    assert_eq!(ds[0]["column"], 1);
    assert!(ds[0]["notes"][0].as_str().unwrap().contains("换成空格"));
}

#[test]
fn a_fullwidth_space_in_the_indentation_is_named() {
    let (_d, ds) = ankang("  new:                    [29", "　new:                    [29");
    assert_eq!(ds.len(), 1, "{ds:#?}");
    assert_eq!(ds[0]["code"], "GX0011");
    assert!(ds[0]["message"].as_str().unwrap().contains("全角空格"));
}

#[test]
fn blank_list_items_say_blank_is_not_zero_at_each_item() {
    let (_d, ds) = ankang("[23, 5, 0, 0, 0, 0, 28]", "[23, 5, , , 0, 0, 28]");
    let e = errors(&ds);
    assert_eq!(e.len(), 2, "{ds:#?}");
    for (d, col) in e.iter().zip([34, 36]) {
        assert_eq!(d["code"], "GX0205");
        assert_eq!(d["column"], col);
        assert!(d["notes"][0].as_str().unwrap().contains("没有数据请填 0"));
    }
    // Commas with nothing between them at all.
    let (_d, ds) = ankang("[23, 5, 0, 0, 0, 0, 28]", "[23, 5,,, 0, 0, 28]");
    assert_eq!(errors(&ds).len(), 1, "{ds:#?}");
    assert_eq!(ds[0]["code"], "GX0205");
}

#[test]
fn a_thousands_separator_inside_a_list_is_one_number() {
    // 1,029 among items written with ", ": one number, said as a warning,
    // and the row keeps its seven cells (no "wrong number of items").
    let (_d, ds) = ankang(NEW, "[1,029, 6, 0, 0, 0, 0, 1,035]");
    let w = with_code(&ds, "GX0012");
    assert_eq!(w.len(), 2, "{ds:#?}");
    assert!(w[0]["message"].as_str().unwrap().contains("一个数 1029"));
    assert!(with_code(&ds, "GX0105").is_empty(), "{ds:#?}");
    assert!(errors(&ds).iter().any(|e| e["message"].as_str().unwrap().contains("1029")), "{ds:#?}");
    // Items all written without spaces are a list: [1,029,...] is not joined.
    let (_d, ds) = ankang(NEW, "[29,6,0,0,0,0,35]");
    assert!(ds.is_empty(), "{ds:#?}");
}

#[test]
fn six_numbers_whose_last_is_their_sum_say_both_readings() {
    // The 科研机构 cell left out: the last number is the total.
    let (_d, ds) = ankang(NEW, "[29, 6, 0, 0, 0, 35]");
    let w = with_code(&ds, "GX0105");
    assert_eq!(w.len(), 1, "{ds:#?}");
    assert_eq!(w[0]["severity"], "warning");
    let msg = w[0]["message"].as_str().unwrap();
    assert!(msg.contains("按“不含合计”读取") && msg.contains("合计算作 70"), "{msg}");
    assert!(w[0]["notes"][0].as_str().unwrap().contains("漏写了一列"));
    // Six numbers that are parts: no warning.
    let (_d, ds) = ankang(NEW, "[29, 6, 0, 0, 0, 0]");
    assert!(with_code(&ds, "GX0105").is_empty(), "{ds:#?}");
}

#[test]
fn a_chinese_label_as_key_gets_the_key_and_the_official_label() {
    let (_d, ds) = ankang("      state_secret:       [0,", "      属于国家机密:       [0,");
    let e = errors(&ds);
    assert_eq!(e.len(), 1, "{ds:#?}");
    assert_eq!(e[0]["code"], "GX0101");
    let note = e[0]["notes"][0].as_str().unwrap();
    assert!(note.contains("state_secret") && note.contains("属于国家秘密"), "{note}");
}

#[test]
fn a_misspelt_key_is_one_error_not_a_cascade() {
    let (_d, ds) = ankang("{upheld: 0, corrected: 0, other: 1", "{upheld: 0, corrected: 0, othr: 1");
    let e = errors(&ds);
    assert_eq!(e.len(), 1, "{ds:#?}");
    assert_eq!(e[0]["code"], "GX0101");
    // A wrong row length: the row's cells are unknown, not 0.
    let (_d, ds) = ankang(NEW, "[29, 6, 0, 0, 35]");
    let e = errors(&ds);
    assert_eq!(e.len(), 1, "{ds:#?}");
    assert_eq!(e[0]["code"], "GX0105");
}

#[test]
fn a_wrong_row_total_does_not_ask_to_change_the_grand_total() {
    let (_d, ds) = ankang("[23, 5, 0, 0, 0, 0, 28]", "[23, 5, 0, 0, 0, 0, 30]");
    let e = errors(&ds);
    assert_eq!(e.len(), 1, "{ds:#?}");
    assert_eq!(e[0]["cell"], "applications.results.granted.total");
    assert_eq!(e[0]["expected"], "28");
    let all = serde_json::to_string(&ds).unwrap();
    assert!(!all.contains("应为 37"), "the grand total 35 was right: {all}");
}

#[test]
fn hex_octal_and_underscores_are_errors_naming_the_cell() {
    for (written, value) in [("0x1D", "29"), ("0o35", "29"), ("2_9", "29")] {
        let (_d, ds) = ankang(NEW, &format!("[{written}, 6, 0, 0, 0, 0, 35]"));
        let e = errors(&ds);
        assert_eq!(e.len(), 1, "{written}: {ds:#?}");
        assert_eq!(e[0]["code"], "GX0201");
        assert_eq!(e[0]["cell"], "applications.new.natural_person");
        let notes = e[0]["notes"].to_string();
        assert!(notes.contains(value), "{written}: {notes}");
    }
}

#[test]
fn twelve_point_zero_is_read_as_twelve_with_a_warning() {
    let (_d, ds) = ankang(NEW, "[29.0, 6, 0, 0, 0, 0, 35]");
    assert!(errors(&ds).is_empty(), "{ds:#?}");
    let w = with_code(&ds, "GX0211");
    assert_eq!(w.len(), 1);
    assert_eq!(w[0]["cell"], "applications.new.natural_person");
    let (_d, ds) = ankang(NEW, "[29.5, 6, 0, 0, 0, 0, 35]");
    assert_eq!(errors(&ds)[0]["code"], "GX0201");
}

#[test]
fn yaml_tags_are_errors() {
    let (_d, ds) = ankang("  agency: ", "  agency: !!python/object ");
    assert_eq!(ds.len(), 1, "{ds:#?}");
    assert_eq!(ds[0]["code"], "GX0013");
    assert!(ds[0]["message"].as_str().unwrap().contains("!!python/object"));
}

#[test]
fn fullwidth_digits_in_the_year_are_read() {
    let (_d, ds) = ankang("  year: 2020", "  year: ２０２０");
    assert!(errors(&ds).is_empty(), "{ds:#?}");
}

#[test]
fn an_impossible_year_is_not_called_not_four_digits() {
    let (_d, ds) = ankang("  year: 2020", "  year: 2109");
    let e = errors(&ds);
    let msg = e[0]["message"].as_str().unwrap();
    assert!(msg.contains("2109") && msg.contains("不在 2000 到 2100 年之间") && !msg.contains("四位数"), "{msg}");
}

#[test]
fn a_utf16_file_is_called_utf16_not_gbk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.yaml");
    let mut bytes = vec![0xFF, 0xFE];
    for u in "meta:\n  agency: 某局\n  year: 2021\n".encode_utf16() {
        bytes.extend(u.to_le_bytes());
    }
    std::fs::write(&path, bytes).unwrap();
    let ds = check_lib(&path);
    assert_eq!(ds[0]["code"], "GX0002");
    let notes = ds[0]["notes"].to_string();
    assert!(notes.contains("UTF-16") && !notes.contains("GBK"), "{notes}");
}

#[test]
fn explain_accepts_the_code_however_written() {
    for code in ["GX0301", "gx0301", "0301", "301"] {
        let out = run(&["explain", code], None);
        assert_eq!(out.status.code(), Some(0), "{code}");
        assert!(String::from_utf8_lossy(&out.stdout).starts_with("GX0301："), "{code}");
    }
}

#[test]
fn a_narrative_naming_a_txt_file_reads_it() {
    let (d, path) = edited("ankang-hanbin-2020", "overview.md", "overview.txt");
    std::fs::rename(d.path().join("overview.md"), d.path().join("overview.txt")).unwrap();
    let ds = check_lib(&path);
    assert!(errors(&ds).is_empty(), "{ds:#?}");
    let html = built_html(&path);
    assert!(!html.contains("overview.txt"), "the file name is not the text");
}

#[test]
fn a_narrative_naming_a_file_gxgen_does_not_read_is_an_error() {
    for name in ["其他事项.wps", "overview.doc", "docs/overview"] {
        let (_d, path) = edited("ankang-hanbin-2020", "overview.md", name);
        let ds = check_lib(&path);
        let e = errors(&ds);
        assert_eq!(e.len(), 1, "{name}: {ds:#?}");
        assert_eq!(e[0]["code"], "GX0106", "{name}");
        assert!(e[0]["message"].as_str().unwrap().contains("像是文件名"), "{name}");
    }
    // A missing .txt or .docx is "not found", not text (a .docx is read:
    // tests/suite/docx_narrative.rs).
    for name in ["overview.txt", "其他事项.docx"] {
        let (_d, path) = edited("ankang-hanbin-2020", "overview.md", name);
        let ds = check_lib(&path);
        let e = errors(&ds);
        assert_eq!(e.len(), 1, "{name}: {ds:#?}");
        assert!(e[0]["message"].as_str().unwrap().contains("找不到"), "{name}: {ds:#?}");
    }
}

/// Text pasted one paragraph per line (as Word and web pages give it).
#[test]
fn a_line_break_after_a_sentence_starts_a_new_paragraph() {
    let (d, path) = edited("ankang-hanbin-2020", "overview: overview.md", "overview: overview.md");
    std::fs::write(
        d.path().join("overview.md"),
        "本年度依法主动公开政府信息。\n全年共收到申请35件。\n这一句在句中\n折行，仍是一段。\n",
    )
    .unwrap();
    let html = built_html(&path);
    assert!(html.contains("<p>本年度依法主动公开政府信息。</p>"), "{html}");
    assert!(html.contains("<p>全年共收到申请35件。</p>"), "{html}");
    assert!(html.contains("<p>这一句在句中折行，仍是一段。</p>"), "{html}");
}

/// A standalone （一）… line, as every Word report writes it, is a subheading.
#[test]
fn a_standalone_numbered_line_is_a_subheading() {
    let (d, path) = edited("ankang-hanbin-2020", "overview: overview.md", "overview: overview.md");
    std::fs::write(
        d.path().join("overview.md"),
        "（一）主动公开方面\n本年度依法主动公开政府信息。\n\n一是加强组织领导\n\n（二）依申请公开。全年共收到申请35件。\n",
    )
    .unwrap();
    let html = built_html(&path);
    assert!(html.contains("<h4>（一）主动公开方面</h4>"), "{html}");
    assert!(html.contains("<h4>一是加强组织领导</h4>"), "{html}");
    // A numbered line that is a sentence stays a paragraph.
    assert!(html.contains("<p>（二）依申请公开。全年共收到申请35件。</p>"), "{html}");
}

/// A label variant in a spreadsheet header (国家机密 for 国家秘密) gets the
/// official header and the key as the suggestion.
#[test]
fn a_label_variant_in_a_spreadsheet_header_gets_the_official_one() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    let header_file = ws.join("h.csv");
    run(&["template", "csv", "--year", "2024", "-o", header_file.to_str().unwrap()], None);
    let header = std::fs::read_to_string(&header_file).unwrap();
    let header = header.trim_start_matches('\u{feff}').trim_end().replace("属于国家秘密", "属于国家机密");
    let n = header.split(',').count();
    let mut row = vec!["0".to_string(); n];
    row[0] = "甲镇人民政府".into();
    row[1] = "乡镇".into();
    row[2] = "2025-01-20".into();
    std::fs::write(ws.join("乡镇.csv"), format!("{header}\r\n{}\r\n", row.join(","))).unwrap();
    std::fs::write(
        ws.join("gxgen.yaml"),
        "year: 2024\nregion: 测试县\ndefaults:\n  narrative: {overview: 无。, problems: 无。, other_matters: 无。}\nagencies: [乡镇.csv]\n",
    )
    .unwrap();
    let out = run(&["check", ws.to_str().unwrap()], None);
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("1.属于国家机密/自然人"), "{text}");
    assert!(
        text.contains("是不是“三、收到和处理政府信息公开申请情况/三、本年度办理结果/（三）不予公开/1.属于国家秘密/自然人”（键 applications.results.denied.state_secret.natural_person）"),
        "{text}"
    );
}

/// Totals left as 0 (a clerk's "fill in later") while the parts are written:
/// each row total is asked for its sum, and no message asks for 0.
#[test]
fn totals_typed_as_zero_never_give_should_be_zero() {
    let src = repo().join("examples/ankang-hanbin-2020/report.yaml");
    let text = std::fs::read_to_string(&src).unwrap();
    let mut out = String::new();
    for line in text.lines() {
        match (line.find('['), line.find(']')) {
            (Some(a), Some(b)) if line[a..b].matches(',').count() == 6 => {
                let head = line[..=a].to_string();
                let items: Vec<&str> = line[a + 1..b].split(',').map(str::trim).collect();
                out.push_str(&format!("{head}{}, 0{}\n", items[..6].join(", "), &line[b..]));
            }
            _ => out.push_str(&format!("{line}\n")),
        }
    }
    let (_d, path) = edited("ankang-hanbin-2020", "meta:", "meta:");
    std::fs::write(&path, out).unwrap();
    let ds = check_lib(&path);
    let e = errors(&ds);
    assert_eq!(e.len(), 4, "one per non-zero row: {ds:#?}");
    for d in &e {
        assert_eq!(d["code"], "GX0302");
        assert_ne!(d["expected"], "0", "{d:#}");
        assert_eq!(d["actual"], "0");
    }
}
