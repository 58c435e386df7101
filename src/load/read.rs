//! Reading source files: size limit, UTF-8, byte-order mark.

use std::path::Path;

use crate::diag::{Diagnostic, codes};
use crate::input::{Kind, ReadFailure};
use crate::load::yaml::MAX_FILE_BYTES;
use crate::source::{FileId, Sources, Span, display_path};

/// Why a file could not be read. `Io` is a usage/I-O failure (exit 2); the
/// others are problems with the file's content (exit 1).
#[derive(Debug)]
pub enum ReadError {
    Io(Diagnostic),
    Content(Diagnostic),
}

impl ReadError {
    pub fn diagnostic(self) -> Diagnostic {
        match self {
            ReadError::Io(d) | ReadError::Content(d) => d,
        }
    }
}

/// Read a text file into `sources` through its input door, refusing huge,
/// non-regular and non-UTF-8 files.
pub fn read_text(sources: &mut Sources, path: &Path) -> Result<FileId, ReadError> {
    let shown = display_path(path);
    let mut bytes = match sources.input().read(path, MAX_FILE_BYTES as u64) {
        Ok(b) => b,
        Err(ReadFailure::Io(e)) => return Err(ReadError::Io(io_error(&shown, &e))),
        Err(ReadFailure::NotAFile(Kind::Dir)) => {
            return Err(ReadError::Io(
                Diagnostic::new(codes::IO, format!("“{shown}”是一个文件夹，不是文件"))
                    .note("请给出数据文件的路径，例如 report.yaml"),
            ));
        }
        Err(ReadFailure::NotAFile(_)) => {
            return Err(ReadError::Io(
                Diagnostic::new(codes::IO, format!("“{shown}”不是普通文件（可能是管道、设备或套接字），不读取"))
                    .note("gxgen 只读取普通文件；请给出真正的文件"),
            ));
        }
        Err(ReadFailure::TooLarge { len }) => {
            return Err(ReadError::Content(
                Diagnostic::new(
                    codes::TOO_LARGE,
                    format!("文件“{shown}”太大（{len} 字节），超过上限 {} 字节", MAX_FILE_BYTES),
                )
                .note("一份年度报告的数据文件通常只有几千字节；请确认没有选错文件"),
            ));
        }
    };
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(sources.add(path, text)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            // Map the byte offset into the lossy text (same up to the error).
            let id = sources.add(path, lossy);
            let utf16 = looks_like_utf16(e.as_bytes());
            let gbk_hint = !utf16 && looks_like_gbk(e.as_bytes());
            let mut d = Diagnostic::new(codes::NOT_UTF8, format!("文件“{shown}”不是 UTF-8 编码"))
                .at(Span::new(id, at, at), "从这里开始无法按 UTF-8 读取");
            if utf16 {
                d = d.note("文件看起来是 UTF-16 编码（Windows 记事本“Unicode”、Excel“Unicode 文本”的保存格式）");
            }
            if gbk_hint {
                d = d.note("文件看起来是 GBK/GB2312 编码（Windows 记事本、WPS 的旧默认编码）");
            }
            Err(ReadError::Content(
                d.note("请用编辑器“另存为”UTF-8 编码后再试（VS Code：右下角编码 → 通过编码保存 → UTF-8）"),
            ))
        }
    }
}

/// A byte-order mark FF FE / FE FF, or every other byte 0 (ASCII text in UTF-16).
fn looks_like_utf16(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    let head = &bytes[..bytes.len().min(512)];
    let zeros = head.iter().filter(|&&b| b == 0).count();
    head.len() >= 8 && zeros * 3 >= head.len()
}

fn looks_like_gbk(bytes: &[u8]) -> bool {
    bytes.windows(2).filter(|w| (0x81..=0xFE).contains(&w[0]) && (0x40..=0xFE).contains(&w[1])).count() > 2
}

pub fn io_error(shown: &str, e: &std::io::Error) -> Diagnostic {
    let what = match e.kind() {
        std::io::ErrorKind::NotFound => "找不到文件".to_string(),
        std::io::ErrorKind::PermissionDenied => "没有读取权限".to_string(),
        _ => format!("无法读取（{e}）"),
    };
    Diagnostic::new(codes::IO, format!("{what}：{shown}")).note("请检查路径是否正确；路径相对于当前目录")
}
