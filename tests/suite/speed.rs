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

/// `gxgen fonts --all` over one font folder, with its own cache folder.
fn families(cache: &Path, dir: &Path, extra_env: &[(&str, &str)]) -> String {
    let mut c = gxgen();
    c.args(["fonts", "--all", "--ignore-system-fonts", "--font-path", dir.to_str().unwrap()])
        .env("XDG_CACHE_HOME", cache)
        .env_remove("GXGEN_FONT_INDEX");
    for (k, v) in extra_env {
        c.env(k, v);
    }
    let o = c.output().unwrap();
    assert!(o.status.code().is_some(), "no crash");
    let text = String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
    assert!(!text.contains("panicked"), "{text}");
    text
}

fn index_files(cache: &Path) -> Vec<PathBuf> {
    let dir = cache.join("gxgen").join("fonts");
    let mut v: Vec<PathBuf> =
        std::fs::read_dir(&dir).map(|rd| rd.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    v.sort();
    v
}

#[test]
fn the_font_index_sees_fonts_added_and_removed_and_never_fails() {
    let noto = noto_only();
    let pick = |stem: &str| {
        std::fs::read_dir(noto.path())
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(stem))
    };
    let (Some(serif), Some(sans)) = (pick("NotoSerifCJK-Regular"), pick("NotoSansCJK-Regular")) else {
        panic!("Noto Serif CJK and Noto Sans CJK Regular are needed (fonts-noto-cjk)");
    };
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let fonts = tmp.path().join("fonts");
    std::fs::create_dir(&fonts).unwrap();
    std::fs::copy(&serif, fonts.join("serif.ttc")).unwrap();

    let first = families(&cache, &fonts, &[]);
    assert!(first.contains("Noto Serif CJK SC") && !first.contains("Noto Sans CJK SC"), "{first}");
    let index = index_files(&cache);
    assert_eq!(index.len(), 1, "one index for the folder: {index:?}");

    // Nothing changed: the faces come from the index, not from the files
    // (a family renamed in the index shows).
    let text = std::fs::read_to_string(&index[0]).unwrap();
    assert!(text.contains("Noto Serif CJK SC"));
    std::fs::write(&index[0], text.replace("Noto Serif CJK SC", "Indexed Serif")).unwrap();
    let second = families(&cache, &fonts, &[]);
    assert!(second.contains("Indexed Serif"), "{second}");

    // A font added is seen on the next run (and the index is made anew).
    std::fs::copy(&sans, fonts.join("sans.ttc")).unwrap();
    let added = families(&cache, &fonts, &[]);
    assert!(added.contains("Noto Sans CJK SC") && added.contains("Noto Serif CJK SC"), "{added}");
    assert!(!added.contains("Indexed Serif"), "{added}");
    // A font removed is gone on the next run.
    std::fs::remove_file(fonts.join("sans.ttc")).unwrap();
    let removed = families(&cache, &fonts, &[]);
    assert!(!removed.contains("Noto Sans CJK SC") && removed.contains("Noto Serif CJK SC"), "{removed}");

    // A corrupt index is a rescan, never an error; the index is rewritten.
    for garbage in [&b"{\"version\": garbage"[..], &[0xff, 0xfe, 0x00, 0x01][..], b""] {
        std::fs::write(&index[0], garbage).unwrap();
        let again = families(&cache, &fonts, &[]);
        assert!(again.contains("Noto Serif CJK SC"), "{again}");
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&index[0]).unwrap()).expect("rewritten");
        assert!(v["faces"].as_array().is_some_and(|f| !f.is_empty()));
    }
    // A cache folder that cannot be made (a file in its place) is no error.
    let blocked = tmp.path().join("not-a-folder");
    std::fs::write(&blocked, "x").unwrap();
    let no_cache = families(&blocked, &fonts, &[]);
    assert!(no_cache.contains("Noto Serif CJK SC"), "{no_cache}");
    // No half-written files are left beside the index.
    assert_eq!(index_files(&cache).len(), 1, "{:?}", index_files(&cache));
}

#[test]
fn a_pdf_made_with_the_font_index_is_the_same_as_without() {
    let noto = noto_only();
    let tmp = tempfile::tempdir().unwrap();
    let mut pdfs = Vec::new();
    for (i, index) in ["off", "on", "on"].iter().enumerate() {
        let out = tmp.path().join(format!("out{i}"));
        let mut c = gxgen();
        c.args([
            "build",
            EXAMPLE,
            "--only",
            "pdf",
            "-o",
            out.to_str().unwrap(),
            "--ignore-system-fonts",
            "--font-path",
        ])
        .arg(noto.path())
        .env("XDG_CACHE_HOME", tmp.path().join("cache"))
        .env("GXGEN_FONT_INDEX", index);
        let o = c.output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        pdfs.push(std::fs::read(out.join("2020-安康市汉滨区人民政府.pdf")).unwrap());
    }
    assert_eq!(index_files(&tmp.path().join("cache")).len(), 1);
    assert!(pdfs[0] == pdfs[1] && pdfs[1] == pdfs[2], "the index changes nothing in the PDF");
}

#[test]
fn folder_indexes_are_bounded() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    for i in 0..18 {
        let dir = tmp.path().join(format!("fonts{i}"));
        std::fs::create_dir(&dir).unwrap();
        families(&cache, &dir, &[]);
    }
    let n = index_files(&cache).len();
    assert!((1..=16).contains(&n), "{n} index files");
}
