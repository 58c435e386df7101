//! `*` and `?` in file arguments, expanded by gxgen itself.

use std::path::PathBuf;

/// Expand `*` and `?` in file arguments ourselves: PowerShell and cmd do
/// not, so `gxgen check 各单位/*/report.yaml` works on Windows too. A
/// pattern that matches nothing is kept as written (and reported).
pub(super) fn expand_globs(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        let text = p.to_string_lossy().into_owned();
        if !text.contains(['*', '?']) {
            out.push(p);
            continue;
        }
        let mut found = vec![PathBuf::new()];
        for comp in p.components() {
            let name = comp.as_os_str().to_string_lossy().into_owned();
            if !name.contains(['*', '?']) {
                for f in found.iter_mut() {
                    f.push(comp.as_os_str());
                }
                continue;
            }
            let mut next = Vec::new();
            for dir in &found {
                let listing = if dir.as_os_str().is_empty() { PathBuf::from(".") } else { dir.clone() };
                let Ok(entries) = std::fs::read_dir(&listing) else { continue };
                let mut names: Vec<String> =
                    entries.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
                names.sort();
                for n in names.into_iter().filter(|n| wildcard(&name, n)) {
                    next.push(dir.join(n));
                }
            }
            found = next;
        }
        let mut hits: Vec<PathBuf> = found.into_iter().filter(|f| f.exists()).collect();
        hits.sort();
        if hits.is_empty() {
            out.push(p);
        } else {
            out.extend(hits);
        }
    }
    out
}

/// `*` any run of characters, `?` one character.
fn wildcard(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    let (mut pi, mut ni, mut star, mut mark) = (0, 0, None, 0);
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ni;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ni = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::wildcard;

    #[test]
    fn wildcards() {
        assert!(wildcard("*", "report.yaml"));
        assert!(wildcard("*.yaml", "report.yaml"));
        assert!(wildcard("r?port.yaml", "report.yaml"));
        assert!(wildcard("汉*局", "汉阴县行政审批服务局"));
        assert!(!wildcard("*.md", "report.yaml"));
        assert!(!wildcard("a?", "a"));
    }
}
