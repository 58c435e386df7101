//! `gxgen schema`: a JSON Schema (draft-07, the draft yaml-language-server
//! reads) of a report's data file for one format, and of a workspace's
//! gxgen.yaml, so that an editor completes keys and shows each key's
//! official label on hover. Cells, labels, kinds and units come from the
//! format files (`templates/tables/`); the other keys are described in
//! `templates/schema.yaml`. The schema describes the canonical form of a
//! value; the loader also accepts other spellings (full-width digits, "3件")
//! and warns about them.

use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::format::{Format, KeyNode, Kind, MoneyUnit};
use crate::model::AgencyKind;

const DRAFT: &str = "http://json-schema.org/draft-07/schema#";

/// The file name `gxgen new` writes beside report.yaml.
pub const REPORT_SCHEMA_FILE: &str = "report.schema.json";

/// The first line of a report.yaml that points yaml-language-server at the
/// schema beside it (a relative path: nothing is fetched).
pub fn modeline(file: &str) -> String {
    format!("# yaml-language-server: $schema=./{file}")
}

#[derive(Debug, Deserialize)]
struct Doc {
    meta: Block,
    narrative: Block,
    fonts: Block,
    workspace: Workspace,
    kinds: Kinds,
}

#[derive(Debug, Deserialize)]
struct Block {
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    keys: Vec<KeyDoc>,
}

#[derive(Debug, Deserialize)]
struct KeyDoc {
    key: String,
    kind: String,
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    keys: Vec<KeyDoc>,
}

#[derive(Debug, Deserialize)]
struct Workspace {
    title: String,
    description: String,
    keys: Vec<KeyDoc>,
    agency: AgencyDoc,
}

#[derive(Debug, Deserialize)]
struct AgencyDoc {
    title: String,
    path: Named,
    sheet: Named,
    worksheet: Named,
}

#[derive(Debug, Deserialize)]
struct Named {
    title: String,
    description: String,
}

#[derive(Debug, Deserialize)]
struct Kinds {
    count: String,
    signed: String,
    money_fixed: String,
    money_in_cell: String,
    row_list: String,
    total: String,
}

fn doc() -> Doc {
    let text = crate::assets::text("schema.yaml").expect("templates/schema.yaml is embedded");
    serde_saphyr::from_str(text).expect("templates/schema.yaml is embedded and valid")
}

fn titled(title: &str, description: &str, mut schema: Map<String, Value>) -> Value {
    let mut m = Map::new();
    m.insert("title".into(), json!(title));
    if !description.is_empty() {
        m.insert("description".into(), json!(description));
    }
    m.append(&mut schema);
    Value::Object(m)
}

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// The schema of a report's data file (report.yaml) in `format`.
pub fn report(format: &Format) -> Value {
    let d = doc();
    let mut root = report_properties(format, &d, true);
    let title = format!("{} — {}（{}）", d.meta.title, format.name, format.document);
    root.insert("$schema".into(), json!(DRAFT));
    let mut out = obj(titled(&title, &format.years_text(), Map::new()));
    out.append(&mut root);
    Value::Object(out)
}

/// The schema of a workspace manifest (gxgen.yaml); its `defaults` are
/// described with `format`'s keys.
pub fn workspace(format: &Format) -> Value {
    let d = doc();
    let mut props = Map::new();
    for k in &d.workspace.keys {
        let schema = match k.kind.as_str() {
            "defaults" => Value::Object(report_properties(format, &d, false)),
            "agencies" => agencies(&d.workspace.agency),
            _ => key_schema(format, &d, k),
        };
        props.insert(k.key.clone(), titled(&k.title, &k.description, obj(schema)));
    }
    let mut out = obj(titled(&d.workspace.title, &d.workspace.description, Map::new()));
    out.insert("$schema".into(), json!(DRAFT));
    out.insert("type".into(), json!("object"));
    out.insert("properties".into(), Value::Object(props));
    out.insert("additionalProperties".into(), json!(false));
    Value::Object(out)
}

/// Pretty JSON with a final newline (byte-identical for the same format).
pub fn to_text(schema: &Value) -> String {
    let mut s = serde_json::to_string_pretty(schema).expect("a JSON value serialises");
    s.push('\n');
    s
}

fn agencies(a: &AgencyDoc) -> Value {
    let path = titled(&a.path.title, &a.path.description, obj(json!({"type": "string", "minLength": 1})));
    let sheet = titled(&a.sheet.title, &a.sheet.description, obj(json!({"type": "string", "minLength": 1})));
    let worksheet = titled(&a.worksheet.title, &a.worksheet.description, obj(json!({"type": "string"})));
    json!({
        "type": "array",
        "items": {
            "title": a.title,
            "anyOf": [
                path.clone(),
                {"type": "object", "properties": {"path": path}, "required": ["path"], "additionalProperties": false},
                {"type": "object", "properties": {"sheet": sheet, "worksheet": worksheet}, "required": ["sheet"],
                 "additionalProperties": false}
            ]
        }
    })
}

/// `type: object` with meta, narrative, fonts and the format's tables.
fn report_properties(format: &Format, d: &Doc, top: bool) -> Map<String, Value> {
    let mut props = Map::new();
    let meta = block(format, d, &d.meta, top);
    props.insert("meta".into(), meta);
    let mut narrative = Map::new();
    for s in format.sections.iter().filter(|s| s.narrative) {
        let desc = format!("{}。{}", s.label, d.narrative.description);
        narrative.insert(s.key.clone(), titled(&s.label, &desc, obj(json!({"type": "string"}))));
    }
    props.insert(
        "narrative".into(),
        titled(
            &d.narrative.title,
            &d.narrative.description,
            obj(json!({"type": "object", "properties": narrative, "additionalProperties": false})),
        ),
    );
    let mut fonts = Map::new();
    for role in &crate::typography::get().roles {
        let family = json!({"type": "string", "minLength": 1});
        let schema = json!({"anyOf": [family, {"type": "array", "items": family, "minItems": 1}]});
        fonts.insert(role.key.clone(), titled(&role.label, &d.fonts.description, obj(schema)));
    }
    props.insert(
        "fonts".into(),
        titled(
            &d.fonts.title,
            &d.fonts.description,
            obj(json!({"type": "object", "properties": fonts, "additionalProperties": false})),
        ),
    );
    for (key, node) in &format.tree.children {
        props.insert(key.clone(), node_schema(format, d, node));
    }
    let mut m = Map::new();
    m.insert("type".into(), json!("object"));
    m.insert("properties".into(), Value::Object(props));
    m.insert("additionalProperties".into(), json!(false));
    if top {
        m.insert("required".into(), json!(["meta"]));
    }
    m
}

/// A block of keys described in templates/schema.yaml.
fn block(format: &Format, d: &Doc, b: &Block, require: bool) -> Value {
    let (props, required) = keys(format, d, &b.keys);
    let mut m = obj(json!({"type": "object", "properties": props, "additionalProperties": false}));
    if require && !required.is_empty() {
        m.insert("required".into(), json!(required));
    }
    titled(&b.title, &b.description, m)
}

fn keys(format: &Format, d: &Doc, ks: &[KeyDoc]) -> (Map<String, Value>, Vec<String>) {
    let mut props = Map::new();
    let mut required = Vec::new();
    for k in ks {
        props.insert(k.key.clone(), titled(&k.title, &k.description, obj(key_schema(format, d, k))));
        if k.required {
            required.push(k.key.clone());
        }
    }
    (props, required)
}

fn key_schema(format: &Format, d: &Doc, k: &KeyDoc) -> Value {
    match k.kind.as_str() {
        "year" => {
            let mut m = obj(json!({"type": "integer", "minimum": format.years.from}));
            if let Some(to) = format.years.to {
                m.insert("maximum".into(), json!(to));
            }
            Value::Object(m)
        }
        "integer" => json!({"type": "integer"}),
        "format" => json!({"type": "string", "enum": [format.id]}),
        "kind" => json!({"type": "string", "enum": AgencyKind::NAMES}),
        "date" => json!({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}),
        "map" => {
            let (props, _) = keys(format, d, &k.keys);
            json!({"type": "object", "properties": props, "additionalProperties": false})
        }
        "narrative" => {
            let mut props = Map::new();
            for s in format.sections.iter().filter(|s| s.narrative) {
                props.insert(s.key.clone(), titled(&s.label, &d.narrative.description, obj(json!({"type": "string"}))));
            }
            json!({"type": "object", "properties": props, "additionalProperties": false})
        }
        // text, path, url
        _ => json!({"type": "string"}),
    }
}

fn cell_schema(format: &Format, d: &Doc, cell: usize) -> Value {
    let c = &format.cells[cell];
    let (schema, kind) = match &c.kind {
        Kind::Count => (json!({"type": "integer", "minimum": 0}), d.kinds.count.clone()),
        Kind::Signed => (json!({"type": "integer"}), d.kinds.signed.clone()),
        Kind::Money(MoneyUnit::Fixed(u)) => {
            (json!({"type": "number", "minimum": 0}), d.kinds.money_fixed.replace("{unit}", u))
        }
        Kind::Money(MoneyUnit::InCell(units)) => {
            let alternatives: Vec<String> = units.iter().map(|u| regex_literal(u)).collect();
            // Zero needs no unit (0 or "0"); any other amount carries one.
            let pattern = format!("^([0-9]+(\\.[0-9]+)?({})|0+(\\.0+)?)$", alternatives.join("|"));
            let schema = json!({"type": ["string", "integer"], "pattern": pattern, "minimum": 0, "maximum": 0});
            (schema, d.kinds.money_in_cell.replace("{units}", &units.join("、")))
        }
    };
    let mut desc = format!("{}。{kind}", format.describe(cell));
    if is_total(format, cell) {
        desc.push('；');
        desc.push_str(&d.kinds.total);
    }
    let title = c.col_labels.last().or(c.row_labels.last()).cloned().unwrap_or_else(|| c.key.clone());
    titled(&title, &desc, obj(schema))
}

/// A cell that is the total of a sum rule (it may be omitted).
fn is_total(format: &Format, cell: usize) -> bool {
    format.rules.iter().any(|r| r.total() == Some(cell))
}

fn regex_literal(s: &str) -> String {
    s.chars().map(|c| if "\\^$.|?*+()[]{}".contains(c) { format!("\\{c}") } else { c.to_string() }).collect()
}

fn node_schema(format: &Format, d: &Doc, node: &KeyNode) -> Value {
    if let Some(c) = node.cell {
        return cell_schema(format, d, c);
    }
    let mut cells = Vec::new();
    node.cells(&mut cells);
    let title = format.group_label(node).unwrap_or_else(|| format.cell_section(cells[0]).label.clone());
    let mut props = Map::new();
    for (k, n) in &node.children {
        props.insert(k.clone(), node_schema(format, d, n));
    }
    let map = json!({"type": "object", "properties": props, "additionalProperties": false});
    if !node.is_row() {
        return titled(&title, &format.cell_section(cells[0]).label, obj(map));
    }
    // A row: by column key, or as a list in the official column order
    // (without its trailing totals, which gxgen then computes).
    let row: Vec<usize> = node.children.iter().filter_map(|(_, n)| n.cell).collect();
    let leading = row.iter().take_while(|&&c| !is_total(format, c)).count();
    let trailing_totals = row[leading..].iter().all(|&c| is_total(format, c));
    let min = if trailing_totals && leading > 0 { leading } else { row.len() };
    let items: Vec<Value> = row.iter().map(|&c| cell_schema(format, d, c)).collect();
    let columns: Vec<String> =
        row.iter().map(|&c| format.cells[c].col_labels.last().cloned().unwrap_or_default()).collect();
    let list = json!({"type": "array", "items": items, "additionalItems": false, "minItems": min,
                      "maxItems": row.len()});
    let desc = format!(
        "{}。{}",
        format.cell_section(cells[0]).label,
        d.kinds.row_list.replace("{columns}", &columns.join("、"))
    );
    titled(&title, &desc, obj(json!({"anyOf": [map, list]})))
}
