//! Workspaces: a whole county's reports built in one run, in parallel, with
//! fonts and templates loaded once, an index page and a summed (汇总) report.
//! One agency's errors never stop the others.

mod cache;
mod index;
pub mod manifest;
pub mod sheet;
mod summary;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;

use crate::diag::{Diagnostic, Diagnostics, Style, codes, render_human};
use crate::driver::build::{self, Built};
use crate::model::Report;
use crate::source::{Sources, display_path};
pub use index::FINDINGS_PAGE;
pub use manifest::{MANIFEST, Manifest};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Built,
    BuiltWithWarnings,
    Failed,
}

impl Status {
    pub fn chinese(self) -> &'static str {
        match self {
            Status::Built => "已生成",
            Status::BuiltWithWarnings => "已生成（有警告）",
            Status::Failed => "未生成",
        }
    }
}

/// One agency's outcome.
pub struct Agency {
    pub path: PathBuf,
    pub status: Status,
    pub errors: usize,
    pub warnings: usize,
    /// Hints (severity info).
    pub infos: usize,
    /// Its diagnostics, for the findings page.
    pub findings: Vec<index::Finding>,
    /// Its diagnostics, rendered for people.
    pub rendered: String,
    pub outputs: Vec<PathBuf>,
    pub report: Option<Report>,
    /// Last year's report, as its check loaded it (for the index).
    pub previous: Option<Report>,
    /// The content hash of its inputs.
    pub hash: String,
    /// Not rendered again: nothing it depends on changed.
    pub unchanged: bool,
    /// An agency that appeared earlier in the workspace (GX0703): not built,
    /// not summed.
    pub duplicate: bool,
}

pub struct Outcome {
    pub agencies: Vec<Agency>,
    /// Problems of the workspace itself and of the summed report.
    pub sources: Sources,
    pub diagnostics: Diagnostics,
    pub index: Option<PathBuf>,
    pub summary_outputs: Vec<PathBuf>,
    /// Outputs of an earlier build that no longer correspond to an agency
    /// built now, removed.
    pub removed: Vec<PathBuf>,
}

#[derive(Clone)]
pub struct Options {
    pub build: build::Options,
    /// Parallel builds (default: every core).
    pub jobs: usize,
    pub style: Style,
    /// Show a progress line on stderr (a terminal, not CI).
    pub progress: bool,
}

/// Build every agency of the workspace whose manifest is `path`.
pub fn build(path: &Path, opts: &Options) -> Result<Outcome, (Sources, Diagnostics)> {
    let mut sources = Sources::new();
    let m = manifest::load(&mut sources, path).map_err(|d| (std::mem::take(&mut sources), d))?;
    let out_dir = opts.build.out_dir.clone().unwrap_or_else(|| m.dir.join("out"));
    let mut bopts = opts.build.clone();
    bopts.out_dir = Some(out_dir.clone());
    if bopts.templates.is_none() && m.dir.join("templates").is_dir() {
        bopts.templates = Some(m.dir.join("templates"));
    }

    // Fonts are scanned at most once, by the first agency that typesets
    // (the library is shared by every worker); an unchanged workspace never
    // scans them.
    let previous = cache::Cache::read(&out_dir);
    if previous.entries.is_empty() {
        build::prewarm(&bopts);
    }
    let last = last_year(&m);
    let shared =
        cache::shared_fingerprint(&bopts, &build::template_dirs(sources.input(), &m.path, bopts.templates.as_deref()));
    let total = m.agencies.len();
    // Every agency is checked before any is rendered: an agency that appears
    // twice is known before it could be built twice or overwrite another's
    // output.
    let checks = check_all(&m, last.as_ref(), opts.jobs);
    let hashes: Vec<String> = checks.iter().map(|(c, _)| cache::agency_hash(shared, &c.sources)).collect();
    // Fonts load on a thread of their own once some report is to be made
    // (on a first build, when none can be fresh, they began before the
    // checks, and this call does nothing).
    if m.agencies
        .iter()
        .zip(&hashes)
        .any(|((s, _), h)| previous.entries.get(&*s.path().to_string_lossy()).is_none_or(|e| e.hash != *h))
    {
        build::prewarm(&bopts);
    }
    // The summed report needs only the checks: it is typeset in the pool
    // beside the agencies, first, so that no thread waits for it at the end.
    let plan = summary::plan(&m, checks.iter().map(|(c, d)| (c.report.as_ref(), *d)), &hashes, &previous, shared);
    let checks: Vec<Mutex<Option<(crate::driver::Checked, bool)>>> =
        checks.into_iter().map(|c| Mutex::new(Some(c))).collect();
    let jobs: Vec<Job> = std::iter::once(Job::Summary).chain((0..total).map(Job::Agency)).collect();
    let built = AtomicUsize::new(0);
    let done = parallel(&jobs, opts.jobs, |job| match *job {
        Job::Summary => Done::Summary(plan.as_ref().and_then(|p| summary::render(p, &m, &bopts)).map(Box::new)),
        Job::Agency(i) => {
            let (checked, duplicate) =
                checks[i].lock().unwrap_or_else(|e| e.into_inner()).take().expect("each agency is built once");
            let a =
                build_one(m.agencies[i].0.path(), checked, duplicate, &bopts, opts.style, &previous, hashes[i].clone());
            let n = built.fetch_add(1, Ordering::Relaxed) + 1;
            if opts.progress {
                let width = 30;
                let filled = width * n / total.max(1);
                eprint!("\r生成中 [{}{}] {n}/{total}", "#".repeat(filled), " ".repeat(width - filled));
                if n == total {
                    eprint!("\r{}\r", " ".repeat(width + 20));
                }
            }
            Done::Agency(Box::new(a))
        }
    });
    let mut written = None;
    let mut agencies: Vec<Agency> = Vec::with_capacity(total);
    for d in done {
        match d {
            Done::Summary(w) => written = w.map(|w| *w),
            Done::Agency(a) => agencies.push(*a),
        }
    }
    let mut next_cache = cache::Cache::default();
    for a in agencies.iter().filter(|a| a.status != Status::Failed) {
        next_cache.entries.insert(
            a.path.to_string_lossy().into_owned(),
            cache::Entry { hash: a.hash.clone(), outputs: a.outputs.clone() },
        );
    }

    let mut diagnostics = Diagnostics::default();
    let (summary_outputs, sum) = summary::finish(plan, written, &agencies, &mut next_cache, &mut diagnostics);
    next_cache.write(&out_dir);
    let mut own = Sources::new();
    own.add(&m.path, m.text.clone());
    let shown =
        index::Summary { outputs: &summary_outputs, report: sum.as_ref(), sources: &own, diagnostics: &diagnostics };
    let mut index_diags = Diagnostics::default();
    let index = index::write(&m, &agencies, &shown, &out_dir, &mut index_diags);
    diagnostics.extend(index_diags);
    let mut now: Vec<(String, &[PathBuf])> =
        agencies.iter().map(|a| (a.path.to_string_lossy().into_owned(), a.outputs.as_slice())).collect();
    now.push((summary::KEY.to_string(), &summary_outputs));
    let removed = remove_stale(&previous, &now, &out_dir);
    Ok(Outcome { agencies, sources, diagnostics, index, summary_outputs, removed })
}

/// Files an earlier build wrote that this one did not: those of an agency
/// that now fails or left the workspace, and the old names of a renamed
/// one. Left in place they would be published beside the index as if
/// current. A kind of output not asked for this time (`--only html`) is
/// kept. Only files directly in the output folder, by name, are touched.
fn remove_stale(previous: &cache::Cache, now: &[(String, &[PathBuf])], out_dir: &Path) -> Vec<PathBuf> {
    use std::ffi::OsStr;
    let name = |p: &PathBuf| p.file_name().map(OsStr::to_owned);
    let ext = |p: &Path| p.extension().map(OsStr::to_owned);
    let produced: std::collections::HashSet<std::ffi::OsString> =
        now.iter().flat_map(|(_, o)| o.iter()).filter_map(name).collect();
    let mut stale: Vec<std::ffi::OsString> = Vec::new();
    for (key, entry) in &previous.entries {
        let outputs = now.iter().find(|(k, _)| k == key).map(|(_, o)| *o).unwrap_or_default();
        for old in entry.outputs.iter().filter_map(name) {
            let kind = ext(Path::new(&old));
            let asked = outputs.is_empty() || outputs.iter().any(|p| ext(p) == kind);
            if asked
                && !produced.contains(&old)
                && matches!(kind.as_deref().and_then(OsStr::to_str), Some("html" | "pdf" | "docx"))
            {
                stale.push(old);
            }
        }
    }
    stale.sort();
    stale.dedup();
    stale.into_iter().map(|n| out_dir.join(n)).filter(|p| p.is_file() && std::fs::remove_file(p).is_ok()).collect()
}

/// Check every agency of the workspace whose manifest is `path`, as `gxgen
/// build` does before rendering, writing nothing: (the agency's data path,
/// its check), in the manifest's order.
pub fn check(path: &Path, jobs: usize) -> Result<Vec<(PathBuf, crate::driver::Checked)>, (Sources, Diagnostics)> {
    let mut sources = Sources::new();
    let m = manifest::load(&mut sources, path).map_err(|d| (std::mem::take(&mut sources), d))?;
    let last = last_year(&m);
    let checks = check_all(&m, last.as_ref(), jobs);
    Ok(m.agencies.iter().zip(checks).map(|((source, _), (c, _))| (source.path().to_path_buf(), c)).collect())
}

/// Every agency of the workspace checked, in the manifest's order, with
/// whether it repeats an agency before it (its check then carries GX0703).
fn check_all(m: &Manifest, last: Option<&Manifest>, jobs: usize) -> Vec<(crate::driver::Checked, bool)> {
    // A folder or row listed again is found before anything is checked: a
    // list of the same folder thousands of times (the fuzz harness's) once
    // checked it thousands of times.
    let first = first_listings(m);
    let todo: Vec<usize> = (0..m.agencies.len()).filter(|&j| first[j].is_none()).collect();
    let mut checked = parallel(&todo, jobs, |&j| {
        let (source, span) = &m.agencies[j];
        // No document: `gxgen check` writes nothing, and a build
        // composes only the agencies the cache does not find fresh.
        check_agency(m, last, source, *span, false)
    })
    .into_iter();
    let mut times = vec![1usize; m.agencies.len()];
    for f in first.iter().flatten() {
        times[*f] += 1;
    }
    let mut said = vec![false; m.agencies.len()];
    let mut checks: Vec<crate::driver::Checked> = Vec::with_capacity(m.agencies.len());
    for (j, first) in first.iter().enumerate() {
        match first {
            None => checks.extend(checked.next()),
            // The first repeat shows both places; further ones are said
            // in a line each, without a snippet (a manifest listing one
            // folder thousands of times on one long line made the
            // snippets quadratic).
            Some(i) => {
                checks.push(listed_again(m, j, *i, times[*i], said[*i]));
                said[*i] = true;
            }
        }
    }
    let mut repeats = duplicates(m, &mut checks);
    for (j, f) in first.iter().enumerate() {
        repeats[j] |= f.is_some();
    }
    checks.into_iter().zip(repeats).collect()
}

/// For each listing, the earlier listing of the same folder or sheet row.
fn first_listings(m: &Manifest) -> Vec<Option<usize>> {
    use crate::source::normalize;
    let mut places: std::collections::HashMap<PathBuf, usize> = std::collections::HashMap::new();
    m.agencies
        .iter()
        .enumerate()
        .map(|(j, (source, _))| {
            let place = normalize(&std::path::absolute(source.path()).unwrap_or_else(|_| source.path().to_path_buf()));
            match places.get(&place) {
                Some(&i) => Some(i),
                None => {
                    places.insert(place, j);
                    None
                }
            }
        })
        .collect()
}

/// The check of listing `j`, which repeats listing `i`: not read again,
/// one error naming both places.
fn listed_again(m: &Manifest, j: usize, i: usize, times: usize, said: bool) -> crate::driver::Checked {
    let mut sources = Sources::new();
    sources.add(&m.path, m.text.clone());
    let (source, span) = &m.agencies[j];
    let shown = display_path(source.path());
    let d = if said {
        Diagnostic::new(codes::DUPLICATE_AGENCY, format!("{shown} 在工作区中重复列出（见上）"))
    } else {
        let how = if times == 2 { "两次".to_string() } else { format!("{times} 次") };
        Diagnostic::new(codes::DUPLICATE_AGENCY, format!("{shown} 在工作区中列了{how}"))
            .at(*span, "又列了一次")
            .also(m.agencies[i].1, "第一次列在这里")
            .note("同一个单位只能列一次：重复的各项不生成、不计入汇总；请删去重复的项")
    };
    let mut diagnostics = Diagnostics::default();
    diagnostics.push(d);
    crate::driver::Checked { sources, report: None, diagnostics, io_failure: false, document: None, previous: None }
}

/// Find agencies that appear twice under two listings: two whose 机关全称 —
/// or the output file name made from it — is the same (the same folder or
/// row listed twice is found before checking, by `first_listings`). The later one gets an error naming both places and is
/// neither built nor summed; the first is built as usual.
fn duplicates(m: &Manifest, checks: &mut [crate::driver::Checked]) -> Vec<bool> {
    use std::collections::HashMap;
    let mut repeats = vec![false; checks.len()];
    let mut stems: HashMap<String, usize> = HashMap::new();
    for j in 0..checks.len() {
        let Some(report) = checks[j].report.as_ref() else { continue };
        let stem = build::output_stem(report.meta.year.value, &report.meta.agency.value);
        if let Some(&i) = stems.get(&stem) {
            let first = checks[i].report.as_ref().expect("a named agency has a report");
            // A sheet row's path already names its row.
            let there = match &m.agencies[i].0 {
                manifest::Source::File(p) => {
                    let span = first.meta.agency.span;
                    format!("{} 第 {} 行", display_path(p), checks[i].sources.get(span.file).line_col(span.start).0)
                }
                manifest::Source::Row(r) => display_path(&r.path),
            };
            let same = first.meta.agency.value == report.meta.agency.value;
            let message = if same {
                format!("机关全称“{}”与工作区中另一个单位相同", report.meta.agency.value)
            } else {
                format!(
                    "机关全称“{}”与另一个单位的“{}”生成的文件名相同（{stem}）",
                    report.meta.agency.value, first.meta.agency.value
                )
            };
            let d = Diagnostic::new(codes::DUPLICATE_AGENCY, message)
                .at(report.meta.agency.span, "与另一个单位重复")
                .note(format!("另一个单位：{there}"))
                .note("同一个单位只能出现一次：这一个不生成、不计入汇总；请删去重复的一个，或改正机关全称");
            checks[j].diagnostics.push(d);
            repeats[j] = true;
            continue;
        }
        stems.insert(stem, j);
    }
    repeats
}

/// The check of a report that is an agency of the workspace around it (its
/// folder's parent holds a gxgen.yaml that lists it), with the workspace's
/// defaults and last year's report; None for any other file.
pub fn check_member(file: &Path) -> Option<crate::driver::Checked> {
    use crate::source::normalize;
    let want = normalize(&std::path::absolute(file).ok()?);
    let manifest = manifest::find(want.parent()?.parent()?)?;
    let m = manifest::load(&mut Sources::new(), &manifest).ok()?;
    let (source, span) =
        m.agencies.iter().find(|(s, _)| matches!(s, manifest::Source::File(p) if normalize(p) == want))?;
    Some(check_agency(&m, last_year(&m).as_ref(), source, *span, true))
}

/// `f` over `items` on up to `jobs` threads; results in the items' order.
///
/// The threads are those of a rayon pool made for the run, so typst's own
/// parallel work (page runs, deferred values, krilla's font subsetting)
/// runs on the same threads: with plain threads each report handed it to
/// rayon's global pool and waited on a futex, and `--jobs 2` on two cores
/// ran four busy threads. Each thread takes the next item itself (no item
/// is a stealable job), so a thread waiting inside typst never starts a
/// second report on its stack.
fn parallel<T: Sync, R: Send>(items: &[T], jobs: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    let threads = jobs.max(1).min(items.len().max(1));
    let worker = || {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            let r = f(item);
            results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(r);
        }
    };
    // Typst's layout recurses deeply: the same stack as a main thread.
    match rayon::ThreadPoolBuilder::new().num_threads(threads).stack_size(64 << 20).build() {
        Ok(pool) => pool.install(|| {
            rayon::scope(|s| {
                for _ in 0..threads {
                    s.spawn(|_| worker());
                }
            })
        }),
        Err(_) => std::thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(worker);
            }
        }),
    }
    results.into_inner().unwrap_or_else(|e| e.into_inner()).into_iter().flatten().collect()
}

/// One agency's report, read with the workspace's defaults and checked
/// (against last year's report when one is found).
fn check_agency(
    m: &Manifest,
    last: Option<&Manifest>,
    source: &manifest::Source,
    span: crate::source::Span,
    keep_document: bool,
) -> crate::driver::Checked {
    let mut sources = Sources::new();
    sources.add(&m.path, m.text.clone());
    // Only a report that is not there at all; a FIFO or a folder in its
    // place is refused by the input door when it is read.
    if let manifest::Source::File(file) = source
        && crate::input::Input::kind(&crate::input::Disk, file) == crate::input::Kind::Missing
    {
        return missing(sources, file, span);
    }
    let text = match source {
        manifest::Source::Row(row) => Some(row.yaml.as_str()),
        manifest::Source::File(_) => None,
    };
    let defaults = with_previous_year(m, last, source);
    crate::driver::check_source_as(
        sources,
        source.path(),
        text,
        defaults.as_ref().or(m.defaults.as_ref()),
        keep_document,
    )
}

/// A listed agency whose report.yaml is not there: a failure of that agency
/// alone, located in gxgen.yaml (`sources` holds it first).
fn missing(sources: Sources, file: &Path, span: crate::source::Span) -> crate::driver::Checked {
    let mut diagnostics = Diagnostics::default();
    diagnostics.push(
        Diagnostic::new(codes::WORKSPACE, format!("找不到报告：{}", display_path(file)))
            .at(span, "这个单位的 report.yaml 不存在")
            .note("路径相对于 gxgen.yaml 所在的文件夹；其余单位照常生成"),
    );
    crate::driver::Checked { sources, report: None, diagnostics, io_failure: false, document: None, previous: None }
}

/// One piece of a workspace build's work.
enum Job {
    /// The summed report.
    Summary,
    /// The agency at this index of the manifest.
    Agency(usize),
}

/// A job's result.
enum Done {
    Summary(Option<Box<build::Written>>),
    Agency(Box<Agency>),
}

fn build_one(
    file: &Path,
    checked: crate::driver::Checked,
    duplicate: bool,
    opts: &build::Options,
    style: Style,
    cache: &cache::Cache,
    hash: String,
) -> Agency {
    let key = file.to_string_lossy().into_owned();
    if let Some(outputs) =
        cache.fresh(&key, &hash).filter(|_| !checked.diagnostics.has_errors() && checked.report.is_some())
    {
        let warnings = checked.diagnostics.warnings();
        return Agency {
            path: file.to_path_buf(),
            status: if warnings > 0 { Status::BuiltWithWarnings } else { Status::Built },
            errors: 0,
            warnings,
            infos: checked.diagnostics.infos(),
            findings: index::findings(&checked.sources, &checked.diagnostics),
            rendered: render_human(&checked.sources, &checked.diagnostics.list, style),
            outputs,
            report: checked.report,
            previous: checked.previous,
            hash,
            unchanged: true,
            duplicate,
        };
    }
    let built: Built = build::build_checked(file, checked, opts);
    let (errors, warnings) = (built.diagnostics.errors(), built.diagnostics.warnings());
    let status = if errors > 0 || built.outputs.is_empty() {
        Status::Failed
    } else if warnings > 0 {
        Status::BuiltWithWarnings
    } else {
        Status::Built
    };
    Agency {
        path: file.to_path_buf(),
        status,
        errors,
        warnings,
        infos: built.diagnostics.infos(),
        findings: index::findings(&built.sources, &built.diagnostics),
        rendered: render_human(&built.sources, &built.diagnostics.list, style),
        outputs: built.outputs,
        report: built.report,
        previous: built.previous,
        hash,
        unchanged: false,
        duplicate,
    }
}

/// With one workspace folder per year (`2023/`, `2024/`), the workspace of
/// last year beside this one.
fn last_year(m: &Manifest) -> Option<Manifest> {
    let year = m.year?;
    if m.dir.file_name()?.to_str()? != year.to_string() {
        return None;
    }
    let path = manifest::find(&m.dir.parent()?.join((year - 1).to_string()))?;
    manifest::load(&mut Sources::new(), &path).ok()
}

/// An agency's report of last year, found in last year's workspace: a
/// report folder by its folder name (`../2023/<同名文件夹>/report.yaml`), a
/// spreadsheet row by its 机关全称 (`../2023/乡镇街道.xlsx#城关镇`). A report
/// that names its own `meta.previous` keeps it.
fn with_previous_year(
    m: &Manifest,
    last: Option<&Manifest>,
    source: &manifest::Source,
) -> Option<crate::load::yaml::Node> {
    use crate::load::yaml::{Key, Node, Value};
    use crate::source::normalize;
    let (last, year) = (last?, m.year?);
    // From the folder a report's paths are relative to, up to the folder
    // that holds the year folders.
    let up =
        |dir: &Path| Some("../".repeat(normalize(dir).strip_prefix(normalize(&m.dir)).ok()?.components().count() + 1));
    let rel = match source {
        manifest::Source::File(file) => {
            let folder = normalize(file.parent()?).strip_prefix(normalize(&m.dir)).ok()?.to_path_buf();
            if folder.as_os_str().is_empty() || !last.dir.join(&folder).join("report.yaml").is_file() {
                return None;
            }
            format!("{}{}/{}/report.yaml", up(file.parent()?)?, year - 1, folder.to_string_lossy().replace('\\', "/"))
        }
        manifest::Source::Row(row) => {
            let sheet = &last.sheet_rows(&row.agency).next()?.sheet;
            let within = sheet.strip_prefix(normalize(&last.dir)).ok()?.to_string_lossy().replace('\\', "/");
            format!("{}{}/{within}#{}", up(row.path.parent()?)?, year - 1, row.agency)
        }
    };
    let span = crate::source::Span::new(crate::source::FileId(0), 0, 0);
    let leaf = |name: &str, v: Node| (Key { name: name.into(), span }, v);
    let prev = Node { value: Value::Str(rel), span };
    let meta = Node { value: Value::Map(vec![leaf("previous", prev)]), span };
    let mut d = m.defaults.clone().unwrap_or(Node { value: Value::Map(Vec::new()), span });
    d.merge_defaults(&Node { value: Value::Map(vec![leaf("meta", meta)]), span });
    Some(d)
}
