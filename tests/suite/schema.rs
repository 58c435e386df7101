//! `gxgen schema`: the JSON Schema (draft-07) of report.yaml and gxgen.yaml
//! accepts every example and the county workspace, and rejects an unknown
//! key and a negative count. The schema is checked by a small draft-07
//! validator below (the keywords gxgen's schemas use; any other keyword
//! fails the test, so nothing is silently ignored) rather than the
//! `jsonschema` crate, which would add ~60 crates to a cold CI build.

use serde_json::{Value, json};

use crate::common::*;

/// Errors of `v` against `s`, as JSON-pointer-ish paths.
fn validate(s: &Value, v: &Value, at: &str, errors: &mut Vec<String>) {
    let Some(obj) = s.as_object() else { panic!("schema at {at} is not an object") };
    for (k, kw) in obj {
        match k.as_str() {
            "$schema" | "title" | "description" => {}
            "type" => {
                let ok = |t: &str| match t {
                    "object" => v.is_object(),
                    "array" => v.is_array(),
                    "string" => v.is_string(),
                    "integer" => v.is_i64() || v.is_u64(),
                    "number" => v.is_number(),
                    "boolean" => v.is_boolean(),
                    "null" => v.is_null(),
                    other => panic!("type {other}"),
                };
                let fits = match kw {
                    Value::String(t) => ok(t),
                    Value::Array(ts) => ts.iter().any(|t| ok(t.as_str().unwrap())),
                    _ => panic!("type at {at}"),
                };
                if !fits {
                    errors.push(format!("{at}: not {kw}"));
                }
            }
            "properties" => {
                if let Some(o) = v.as_object() {
                    for (name, sub) in kw.as_object().unwrap() {
                        if let Some(x) = o.get(name) {
                            validate(sub, x, &format!("{at}/{name}"), errors);
                        }
                    }
                }
            }
            "additionalProperties" => {
                assert_eq!(kw, &json!(false), "only additionalProperties: false is used");
                if let Some(o) = v.as_object() {
                    let known = obj.get("properties").and_then(Value::as_object);
                    for name in o.keys() {
                        if !known.is_some_and(|p| p.contains_key(name)) {
                            errors.push(format!("{at}: unknown key {name}"));
                        }
                    }
                }
            }
            "required" => {
                if let Some(o) = v.as_object() {
                    for r in kw.as_array().unwrap() {
                        if !o.contains_key(r.as_str().unwrap()) {
                            errors.push(format!("{at}: missing {r}"));
                        }
                    }
                }
            }
            "items" => {
                if let Some(a) = v.as_array() {
                    for (i, x) in a.iter().enumerate() {
                        let sub = match kw {
                            Value::Array(list) => match list.get(i) {
                                Some(s) => s,
                                None => continue,
                            },
                            one => one,
                        };
                        validate(sub, x, &format!("{at}/{i}"), errors);
                    }
                }
            }
            "additionalItems" => {
                assert_eq!(kw, &json!(false));
                if let (Some(a), Some(Value::Array(list))) = (v.as_array(), obj.get("items"))
                    && a.len() > list.len()
                {
                    errors.push(format!("{at}: {} items, at most {}", a.len(), list.len()));
                }
            }
            "minItems" | "maxItems" => {
                if let Some(a) = v.as_array() {
                    let n = kw.as_u64().unwrap() as usize;
                    if (k == "minItems" && a.len() < n) || (k == "maxItems" && a.len() > n) {
                        errors.push(format!("{at}: {} items, {k} {n}", a.len()));
                    }
                }
            }
            "minLength" => {
                if let Some(t) = v.as_str()
                    && t.chars().count() < kw.as_u64().unwrap() as usize
                {
                    errors.push(format!("{at}: too short"));
                }
            }
            "minimum" | "maximum" => {
                if let Some(n) = v.as_f64() {
                    let m = kw.as_f64().unwrap();
                    if (k == "minimum" && n < m) || (k == "maximum" && n > m) {
                        errors.push(format!("{at}: {n} against {k} {m}"));
                    }
                }
            }
            "enum" => {
                if !kw.as_array().unwrap().contains(v) {
                    errors.push(format!("{at}: {v} not in {kw}"));
                }
            }
            "pattern" => {
                if let Some(t) = v.as_str()
                    && !regex::Regex::new(kw.as_str().unwrap()).unwrap().is_match(t)
                {
                    errors.push(format!("{at}: {t:?} does not match {kw}"));
                }
            }
            "anyOf" => {
                let fits = kw.as_array().unwrap().iter().any(|sub| {
                    let mut e = Vec::new();
                    validate(sub, v, at, &mut e);
                    e.is_empty()
                });
                if !fits {
                    let mut first = Vec::new();
                    validate(&kw[0], v, at, &mut first);
                    errors.push(format!("{at}: fits none of anyOf ({})", first.join("; ")));
                }
            }
            other => panic!("schema keyword {other} at {at} is not understood by this validator"),
        }
    }
}

fn errors(schema: &Value, doc: &Value) -> Vec<String> {
    let mut e = Vec::new();
    validate(schema, doc, "", &mut e);
    e
}

fn yaml(path: &std::path::Path) -> Value {
    serde_saphyr::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn cli_schema(args: &[&str]) -> Value {
    let out = run(args, None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn every_example_fits_its_year_schema_and_bad_values_do_not() {
    let mut tried = 0;
    for ex in examples() {
        let doc = yaml(&ex);
        let year = doc["meta"]["year"].as_i64().unwrap();
        let schema = cli_schema(&["schema", "--year", &year.to_string()]);
        assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
        let e = errors(&schema, &doc);
        assert!(e.is_empty(), "{}: {e:#?}", ex.display());
        // An unknown key, anywhere, is refused.
        let mut bad = doc.clone();
        bad["activ"] = json!({});
        assert!(errors(&schema, &bad).iter().any(|e| e.contains("unknown key activ")));
        let mut bad = doc.clone();
        bad["meta"]["agncy"] = json!("x");
        assert!(!errors(&schema, &bad).is_empty());
        // A negative count, in a map row and in a list row.
        let mut bad = doc.clone();
        bad["review"]["upheld"] = json!(-1);
        assert!(errors(&schema, &bad).iter().any(|e| e.contains("minimum")), "{:?}", errors(&schema, &bad));
        let mut bad = doc.clone();
        bad["applications"]["new"] = json!([-3, 0, 0, 0, 0, 0, -3]);
        assert!(!errors(&schema, &bad).is_empty());
        // A row list of the wrong length.
        let mut bad = doc.clone();
        bad["applications"]["new"] = json!([1, 2, 3]);
        assert!(!errors(&schema, &bad).is_empty());
        tried += 1;
    }
    assert!(tried >= 5);
}

#[test]
fn labels_come_from_the_format_files() {
    let f = gxgen::format::for_year(2021).unwrap();
    let schema = gxgen::schema::report(f);
    let cells = &schema["properties"]["applications"]["properties"]["new"];
    assert_eq!(cells["title"], "一、本年新收政府信息公开申请数量");
    let person = &cells["anyOf"][0]["properties"]["natural_person"];
    assert_eq!(person["title"], "自然人");
    assert_eq!(person["minimum"], 0);
    // Every cell's last official label is a title somewhere in the schema.
    let text = gxgen::schema::to_text(&schema);
    for c in &f.cells {
        assert!(text.contains(&format!("\"title\": \"{}\"", c.col_labels.last().unwrap())), "{}", c.key);
    }
    // The 2019 format's 本年增/减 may be negative; its money carries a unit.
    let f19 = gxgen::format::for_year(2019).unwrap();
    let s19 = gxgen::schema::report(f19);
    let lic = &s19["properties"]["active"]["properties"]["licensing"]["anyOf"][0]["properties"];
    assert!(lic["change"].get("minimum").is_none());
    assert!(
        errors(&s19["properties"]["active"]["properties"]["procurement"], &json!({"amount": "12.5万元"})).is_empty()
    );
    assert!(!errors(&s19["properties"]["active"]["properties"]["procurement"], &json!({"amount": "12.5"})).is_empty());
}

#[test]
fn the_county_workspace_fits_the_workspace_schema() {
    for year in ["2023", "2024"] {
        let ws = repo().join("examples/county").join(year).join("gxgen.yaml");
        let schema = cli_schema(&["schema", "--workspace", "--year", year]);
        let doc = yaml(&ws);
        let e = errors(&schema, &doc);
        assert!(e.is_empty(), "{year}: {e:#?}");
        let mut bad = doc.clone();
        bad["defaults"]["meta"]["kind"] = json!("bureau");
        assert!(!errors(&schema, &bad).is_empty());
        let mut bad = doc.clone();
        bad["agency"] = json!([]);
        assert!(!errors(&schema, &bad).is_empty());
    }
}

#[test]
fn new_writes_the_schema_and_names_it_on_the_first_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["new", "--year", "2024", "--agency", "某某县某某局", dir.path().to_str().unwrap()], None);
    assert!(out.status.success());
    let text = std::fs::read_to_string(dir.path().join("report.yaml")).unwrap();
    assert_eq!(text.lines().next(), Some("# yaml-language-server: $schema=./report.schema.json"));
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("report.schema.json")).unwrap()).unwrap();
    assert_eq!(schema, cli_schema(&["schema", "--year", "2024"]));
    // The skeleton itself fits.
    let e = errors(&schema, &yaml(&dir.path().join("report.yaml")));
    assert!(e.is_empty(), "{e:#?}");
}
