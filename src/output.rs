//! Writing outputs: to a temporary file beside the target, then renamed over
//! it, so a failure never leaves a half-written file.
//!
//! The temporary file has an unpredictable name and is created exclusively
//! (`O_CREAT | O_EXCL`, by `tempfile`), so nothing planted in the output
//! folder beforehand — a symlink at a guessable name — is ever opened or
//! followed. The rename replaces the target's directory entry itself: a
//! symlink planted at the target is replaced, never written through, and the
//! published file is always a regular file.

use std::io::Write;
use std::path::Path;

/// Write `bytes` to `path` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".gxgen-tmp");
    // Readable like any other file the user makes (the umask still applies);
    // tempfile's default is owner-only.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    // On failure the temporary file is removed when `tmp` drops.
    tmp.persist(path).map(|_| ()).map_err(|e| e.error)
}

/// Write atomically unless the file already holds exactly `bytes`, so that
/// a rebuild in which nothing changed rewrites nothing. Only a regular file
/// counts as unchanged: a symlink at the target is replaced.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let regular = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_file());
    if regular && std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    write_atomic(path, bytes)
}
/// Agency names are used in file names: drop characters Windows refuses
/// (replaced by `_`, as are control characters and line separators) and
/// every invisible formatting character — bidi controls above all (U+202E
/// would show `2024-局fdp.exe` as `2024-局exe.pdf`), zero-width spaces and
/// joiners, the byte-order mark — which are removed.
pub fn safe_file_name(s: &str) -> String {
    s.chars()
        .filter(|&c| !invisible(c))
        .map(
            |c| {
                if r#"<>:"/\|?*"#.contains(c) || c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
                    '_'
                } else {
                    c
                }
            },
        )
        .collect()
}

/// Unicode's format characters (general category Cf): invisible, and able
/// to reorder or hide what a file name shows.
fn invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}'
        | '\u{0600}'..='\u{0605}'
        | '\u{061C}'
        | '\u{06DD}'
        | '\u{070F}'
        | '\u{0890}'..='\u{0891}'
        | '\u{08E2}'
        | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206F}'
        | '\u{FEFF}'
        | '\u{FFF9}'..='\u{FFFB}'
        | '\u{110BD}'
        | '\u{110CD}'
        | '\u{13430}'..='\u{1343F}'
        | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0001}'
        | '\u{E0020}'..='\u{E007F}')
}
