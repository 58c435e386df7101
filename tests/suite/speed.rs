//! Speed lane: `--emit typst` writes exactly what the PDF renderer
//! compiles, deterministically; the font index in the user's cache folder
//! sees fonts added and removed and never fails a build.

use crate::common::*;
use crate::pdf::noto_only;
use std::path::{Path, PathBuf};

const EXAMPLE: &str = "examples/ankang-hanbin-2020/report.yaml";

fn read_pair(out: &Path) -> (Vec<u8>, Vec<u8>) {
    let dir = out.join("2020-安康市汉滨区人民政府-typst");
    (std::fs::read(dir.join("report.typ")).unwrap(), std::fs::read(dir.join("document.json")).unwrap())
}

#[test]
fn emit_typst_is_what_the_pdf_renderer_compiles() {
    let fonts = noto_only();
    let out = tempfile::tempdir().unwrap();
    let opts = gxgen::driver::build::Options {
        out_dir: Some(out.path().to_path_buf()),
        outputs: vec!["pdf"],
        emit_typst: true,
        pdf_options: gxgen::render::pdf::Options {
            fonts: gxgen::render::pdf::FontOptions {
                font_paths: vec![fonts.path().to_path_buf()],
                ignore_system: true,
            },
            ..Default::default()
        },
        ..Default::default()
    };
    let built = gxgen::driver::build::build(Path::new(EXAMPLE), &opts);
    assert!(!built.diagnostics.has_errors(), "{:?}", built.diagnostics.list);
    let names: Vec<String> =
        built.outputs.iter().map(|p| p.strip_prefix(out.path()).unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(
        names,
        [
            "2020-安康市汉滨区人民政府.pdf",
            "2020-安康市汉滨区人民政府-typst/report.typ",
            "2020-安康市汉滨区人民政府-typst/document.json"
        ]
    );
    let pdf = std::fs::read(out.path().join("2020-安康市汉滨区人民政府.pdf")).unwrap();
    let (typ, json) = read_pair(out.path());
    // The template is the built-in one, and the data is plain JSON naming
    // the fonts the template asks for.
    assert_eq!(typ, gxgen::assets::text("typst/report.typ").unwrap().as_bytes());
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert!(v["document"]["agency"].as_str().unwrap().contains("汉滨区"));
    assert!(
        v["fonts"]["body"].as_array().unwrap().iter().any(|f| f.as_str().unwrap().contains("CJK")),
        "{}",
        v["fonts"]
    );

    // Compiling the files as written gives the very PDF the build wrote.
    let doc = built.document.expect("the document");
    let mut inputs =
        gxgen::render::pdf::typst_inputs(&doc, &opts.pdf_options, &mut Default::default()).expect("typst inputs");
    assert_eq!(inputs.data, json, "the renderer's data is the emitted document.json");
    inputs.template = String::from_utf8(typ).unwrap();
    inputs.data = json;
    let again = gxgen::render::pdf::typeset(&doc, &opts.pdf_options, inputs, Default::default()).expect("typeset");
    assert!(again.bytes == pdf, "the emitted pair compiles to the same PDF");
}

#[test]
fn emit_typst_alone_is_deterministic_and_writes_nothing_else() {
    let fonts = noto_only();
    let fp = fonts.path().to_str().unwrap();
    let mut pairs = Vec::new();
    for _ in 0..2 {
        let out = tempfile::tempdir().unwrap();
        let o = run(
            &[
                "build",
                EXAMPLE,
                "-o",
                out.path().to_str().unwrap(),
                "--emit",
                "typst",
                "--ignore-system-fonts",
                "--font-path",
                fp,
            ],
            None,
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let top: Vec<PathBuf> = std::fs::read_dir(out.path()).unwrap().map(|e| e.unwrap().path()).collect();
        assert_eq!(top.len(), 1, "only the typst folder: {top:?}");
        pairs.push(read_pair(out.path()));
    }
    assert!(pairs[0] == pairs[1], "same inputs, same bytes");
    // A user's report.typ is what is emitted.
    let dir = tempfile::tempdir().unwrap();
    let tpl = dir.path().join("tpl");
    std::fs::create_dir(&tpl).unwrap();
    let mine = "#let input = json(\"/document.json\")\n#input.document.agency\n";
    std::fs::write(tpl.join("report.typ"), mine).unwrap();
    let out = dir.path().join("out");
    let o = run(
        &[
            "build",
            EXAMPLE,
            "-o",
            out.to_str().unwrap(),
            "--emit",
            "typst",
            "--templates",
            tpl.to_str().unwrap(),
            "--ignore-system-fonts",
            "--font-path",
            fp,
        ],
        None,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(read_pair(&out).0, mine.as_bytes());
}
