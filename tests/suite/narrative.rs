//! Narrative: figures quoted through variables, markdown with Chinese
//! emphasis, user text never becoming markup, located template errors.

use crate::common::*;
use std::path::Path;

/// A valid report whose overview is the file overview.md with `text`.
fn with_overview(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let mut s = Synth::valid(2021, &mut Rng(21), 30);
    s.narrative[0].1 = "overview.md".into();
    let (dir, path, _) = s.write();
    std::fs::write(dir.path().join("overview.md"), text).unwrap();
    (dir, path)
}

fn build_html(path: &Path) -> (i32, String, String) {
    let out = path.parent().unwrap().join("out");
    let o = run(&["build", "--only", "html", path.to_str().unwrap(), "-o", out.to_str().unwrap()], None);
    let html = std::fs::read_dir(&out)
        .ok()
        .and_then(|mut d| d.next())
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .unwrap_or_default();
    (o.status.code().unwrap(), html, String::from_utf8_lossy(&o.stderr).into_owned())
}

#[test]
fn variables_quote_the_tables() {
    let (dir, path) = with_overview(
        "共收到政府信息公开申请{{ applications.new.total }}件，其中自然人{{ applications.new.natural_person }}件。{{ agency }}{{ year }}年。\n",
    );
    let r = gxgen::check(&path).report.unwrap();
    let total = r.get("applications.new.total").unwrap().number.to_string();
    let np = r.get("applications.new.natural_person").unwrap().number.to_string();
    let (code, html, err) = build_html(&path);
    assert_eq!(code, 0, "{err}");
    assert!(
        html.contains(&format!("<p>共收到政府信息公开申请{total}件，其中自然人{np}件。测试县测试局2021年。</p>")),
        "{html}"
    );
    drop(dir);
}

#[test]
fn computed_totals_can_be_quoted() {
    let mut s = Synth::valid(2021, &mut Rng(21), 30);
    let want = s.cells["applications.results.total.total"].clone();
    s.omit = s.cells.keys().filter(|k| k.ends_with(".total")).cloned().collect();
    s.narrative[0].1 = "办结{{ applications.results.total.total }}件。".into();
    let (_d, path, _) = s.write();
    let (code, html, err) = build_html(&path);
    assert_eq!(code, 0, "{err}");
    assert!(html.contains(&format!("<p>办结{want}件。</p>")), "{html}");
}

#[test]
fn chinese_markdown() {
    let (_d, path) = with_overview(
        "**注意：**正文\n\n这是**“重要”**内容\n\n第一行\n第二行\n\n1. 甲\n2. 乙\n\n- 丙\n\n## （一）小标题\n\n| 项目 | 数量 |\n|---|---|\n| 网站 | 3 |\n\n[政府网站](https://www.gov.cn)\n",
    );
    let (code, html, err) = build_html(&path);
    assert_eq!(code, 0, "{err}");
    assert!(html.contains("<p><strong>注意：</strong>正文</p>"), "{html}");
    assert!(html.contains("<p>这是<strong>“重要”</strong>内容</p>"), "{html}");
    assert!(html.contains("<p>第一行第二行</p>"), "{html}");
    assert!(html.contains("<ol>\n<li>甲</li>\n<li>乙</li>\n</ol>"), "{html}");
    assert!(html.contains("<ul>\n<li>丙</li>\n</ul>"), "{html}");
    assert!(html.contains("<h4>（一）小标题</h4>"), "{html}");
    assert!(html.contains("<td>网站</td><td>3</td>"), "{html}");
    assert!(html.contains("<a href=\"https://www.gov.cn\" rel=\"noopener noreferrer\">政府网站</a>"), "{html}");
}

#[test]
fn user_text_never_becomes_markup() {
    let evil = "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n正文<b onclick=\"x()\">粗</b>\n\n[链接](javascript:alert(3))\n\n代码 `{{ 不是模板 }}` 与 `{% raw %}`\n\n```\n{{ 也不是 }}\n```\n";
    let mut s = Synth::valid(2021, &mut Rng(21), 30);
    s.agency = "某局<script>alert(4)</script>".into();
    s.narrative[0].1 = "overview.md".into();
    let (dir, path, _) = s.write();
    std::fs::write(dir.path().join("overview.md"), evil).unwrap();
    let (code, html, err) = build_html(&path);
    assert_eq!(code, 0, "{err}");
    let doc = scraper::Html::parse_document(&html);
    for bad in ["main script", "img", "b", "[onerror]", "[onclick]", "a[href^=javascript]"] {
        assert_eq!(doc.select(&scraper::Selector::parse(bad).unwrap()).count(), 0, "{bad}");
    }
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
    assert!(html.contains("&lt;img src=x onerror=alert(2)&gt;"), "{html}");
    assert!(html.contains("某局&lt;script&gt;alert(4)&lt;/script&gt;"), "{html}");
    assert!(html.contains("<code>{{ 不是模板 }}</code>"), "{html}");
    assert!(html.contains("<pre><code>{{ 也不是 }}</code></pre>"), "{html}");
    assert!(!html.contains("javascript:"), "{html}");
    drop(dir);
}

#[test]
fn template_errors_point_at_the_md_line() {
    for (text, code, line, col) in [
        ("第一段。\n\n共收到{{ applications.new.totl }}件。\n", "GX0502", 3, 24),
        ("第一段。\n\n`{{ 代码 }}` 之后 {{ applications.new.total \n", "GX0501", 3, 0),
        ("{% if %}\n", "GX0501", 1, 0),
    ] {
        let (_d, path) = with_overview(text);
        let (status, _html, err) = build_html(&path);
        assert_eq!(status, 1, "{err}");
        assert!(err.contains(&format!("error[{code}]")), "{err}");
        assert!(err.contains(&format!("overview.md:{line}:")), "{text}: {err}");
        if col > 0 {
            assert!(err.contains(&format!("overview.md:{line}:{col}")), "{text}: {err}");
        }
        assert!(err.contains("未生成"), "{err}");
        if code == "GX0502" {
            assert!(err.contains("是不是想写“total”"), "{err}");
        }
        assert!(!path.parent().unwrap().join("out").exists(), "nothing written on error");
    }
}

#[test]
fn build_stops_on_check_errors_and_goes_on_with_warnings() {
    let mut s = Synth::valid(2021, &mut Rng(21), 30);
    s.add("review.total", 1);
    let (_d, path, _) = s.write();
    let (status, _h, err) = build_html(&path);
    assert_eq!(status, 1);
    assert!(err.contains("error[GX0311]"), "{err}");
    let mut s = Synth::valid(2021, &mut Rng(21), 30);
    s.omit = vec!["other_matters".into()];
    let (_d, path, _) = s.write();
    let (status, html, err) = build_html(&path);
    assert_eq!(status, 0, "{err}");
    assert!(err.contains("warning[GX0403]"), "{err}");
    assert!(!html.is_empty());
}

#[test]
fn templates_can_be_overridden() {
    let s = Synth::valid(2021, &mut Rng(21), 30);
    let (dir, path, _) = s.write();
    std::fs::create_dir(dir.path().join("templates")).unwrap();
    std::fs::write(dir.path().join("templates/style.css"), "body { color: #123456; }").unwrap();
    let (status, html, err) = build_html(&path);
    assert_eq!(status, 0, "{err}");
    assert!(html.contains("#123456"));
    assert!(!html.contains("--body:"));
    // A broken override is a located diagnostic, not a panic.
    std::fs::write(dir.path().join("templates/report.html"), "{% for x in %}").unwrap();
    std::fs::remove_dir_all(dir.path().join("out")).unwrap();
    let (status, _h, err) = build_html(&path);
    assert_eq!(status, 1);
    assert!(err.contains("error[GX0503]") && err.contains("templates/report.html"), "{err}");
}

#[test]
fn six_part_sentence_states_the_fee_facts() {
    let mut s = Synth::valid(2021, &mut Rng(21), 30);
    s.set("other_matters.info_fee.notices", 0)
        .set("other_matters.info_fee.notified_amount_yuan", 0)
        .set("other_matters.info_fee.collected_amount_yuan", 0);
    s.set("applications.results.other.fee_unpaid.natural_person", 0);
    let (_d, path, _) = s.write();
    let r = gxgen::check(&path);
    if r.diagnostics.list.is_empty() {
        let (_s, html, _e) = build_html(&path);
        assert!(html.contains("本年度本机关未发出信息处理费收费通知，未收取信息处理费。"), "{html}");
    }
    let s = Synth::valid(2021, &mut Rng(21), 30);
    let notices = s.cells["other_matters.info_fee.notices"].clone();
    let (_d, path, _) = s.write();
    let (_s, html, err) = build_html(&path);
    assert!(
        html.contains(&format!("本年度发出信息处理费收费通知{notices}件，通知金额300.50元，实际收取信息处理费200元。")),
        "{err}{html}"
    );
}
