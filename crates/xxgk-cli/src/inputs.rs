//! Command-line arguments → an ordered list of inputs, and the bytes of each input.
//!
//! A directory is expanded recursively into its regular files, sorted by name. Problems are kept
//! in order as [`Input::Failed`], so that they are reported where the input stood and the other
//! inputs are still read.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use xxgk_read::ReadError;
use xxgk_read::MAX_FILE_BYTES;

/// One thing to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Standard input (`-`).
    Stdin,
    /// A file.
    File(PathBuf),
    /// An argument that could not even be listed (e.g. an unreadable directory).
    Failed { name: String, message: String },
}

impl Input {
    /// The name used in messages and in the report's `source`.
    pub fn name(&self) -> String {
        match self {
            Input::Stdin => "-".to_string(),
            Input::File(p) => p.display().to_string(),
            Input::Failed { name, .. } => name.clone(),
        }
    }

    /// The directory of a file (where a web page's images are looked for).
    pub fn dir(&self) -> Option<&std::path::Path> {
        match self {
            Input::File(p) => Some(p.parent().unwrap_or(std::path::Path::new("."))),
            _ => None,
        }
    }
}

/// Whether an argument names a directory (then it may hold any number of files).
pub fn is_dir(arg: &Path) -> bool {
    arg != Path::new("-") && arg.is_dir()
}

/// Expand the arguments, in order; directories recursively, their entries sorted by name.
pub fn expand(args: &[PathBuf]) -> Vec<Input> {
    let mut out = Vec::new();
    for arg in args {
        if arg == Path::new("-") {
            out.push(Input::Stdin);
        } else if arg.is_dir() {
            walk(arg, &mut out);
        } else {
            // Missing and unreadable files are reported when they are read.
            out.push(Input::File(arg.clone()));
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<Input>) {
    let entries = match fs::read_dir(dir) {
        Ok(rd) => rd.collect::<Result<Vec<_>, _>>(),
        Err(e) => Err(e),
    };
    let mut entries = match entries {
        Ok(e) => e,
        Err(e) => {
            out.push(Input::Failed {
                name: dir.display().to_string(),
                message: format!("无法读取目录：{}", io_message(&e)),
            });
            return;
        }
    };
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        // file_type() does not follow symbolic links; a link is followed only to a file, so that
        // a link cycle cannot make the walk endless.
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            walk(&path, out);
        } else if kind.is_file() || (kind.is_symlink() && path.is_file()) {
            out.push(Input::File(path));
        }
    }
}

/// The bytes of an input, or a Chinese message saying why they cannot be had.
pub fn read_bytes(input: &Input) -> Result<Vec<u8>, String> {
    match input {
        Input::Stdin => {
            let mut buf = Vec::new();
            io::stdin()
                .lock()
                .read_to_end(&mut buf)
                .map_err(|e| format!("无法读取标准输入：{}", io_message(&e)))?;
            Ok(buf)
        }
        Input::File(path) => {
            let meta = fs::metadata(path).map_err(|e| io_message(&e))?;
            if meta.is_dir() {
                return Err("是目录，不是文件".to_string());
            }
            let size = usize::try_from(meta.len()).unwrap_or(usize::MAX);
            if meta.is_file() && size > MAX_FILE_BYTES {
                // Refuse before reading a huge file into memory; the reader says the same.
                return Err(ReadError::TooLarge {
                    size,
                    limit: MAX_FILE_BYTES,
                }
                .to_string());
            }
            fs::read(path).map_err(|e| io_message(&e))
        }
        Input::Failed { message, .. } => Err(message.clone()),
    }
}

/// A Chinese message for an I/O error met while reading. The system's English words ("No such
/// file or directory (os error 2)") are never shown; an unusual error keeps its number.
pub fn io_message(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "文件不存在".to_string(),
        io::ErrorKind::PermissionDenied => "没有读取权限".to_string(),
        io::ErrorKind::IsADirectory => "是目录，不是文件".to_string(),
        io::ErrorKind::NotADirectory => "路径中有一部分不是目录".to_string(),
        io::ErrorKind::InvalidData => "数据无效".to_string(),
        io::ErrorKind::UnexpectedEof => "文件在读取时被截断".to_string(),
        io::ErrorKind::OutOfMemory => "内存不足".to_string(),
        _ => format!("读取失败（{}）", os_code(e)),
    }
}

/// A Chinese message for an I/O error met while writing `path` (an output file or directory):
/// why the path cannot be written, naming the directory that is missing.
pub fn write_message(e: &io::Error, path: &Path) -> String {
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match e.kind() {
        io::ErrorKind::NotFound => format!("目录 {} 不存在", parent.display()),
        io::ErrorKind::PermissionDenied => {
            format!("没有写入权限（不能在 {} 中写文件）", parent.display())
        }
        io::ErrorKind::IsADirectory => "这是一个目录，不能作为输出文件".to_string(),
        io::ErrorKind::NotADirectory => {
            format!("路径 {} 中有一部分是文件，不是目录", path.display())
        }
        io::ErrorKind::ReadOnlyFilesystem => "所在的文件系统是只读的".to_string(),
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => "磁盘空间不足".to_string(),
        io::ErrorKind::AlreadyExists => "已有同名的文件，不能用作目录".to_string(),
        io::ErrorKind::InvalidFilename => "文件名无效".to_string(),
        io::ErrorKind::BrokenPipe => "输出管道已关闭".to_string(),
        _ => format!("写入失败（{}）", os_code(e)),
    }
}

/// "系统错误码 N" for an error of the system, else "错误类型 kind" — never the system's English.
fn os_code(e: &io::Error) -> String {
    match e.raw_os_error() {
        Some(n) => format!("系统错误码 {n}"),
        None => format!("错误类型 {:?}", e.kind()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_are_walked_in_sorted_order() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        fs::create_dir(root.join("b")).expect("mkdir");
        fs::write(root.join("b").join("2.txt"), "x").expect("write");
        fs::write(root.join("c.txt"), "x").expect("write");
        fs::write(root.join("a.txt"), "x").expect("write");
        let got = expand(&[root.to_path_buf(), PathBuf::from("-")]);
        assert_eq!(
            got,
            vec![
                Input::File(root.join("a.txt")),
                Input::File(root.join("b").join("2.txt")),
                Input::File(root.join("c.txt")),
                Input::Stdin,
            ]
        );
    }

    #[test]
    fn a_missing_file_is_reported_in_chinese() {
        let input = Input::File(PathBuf::from("/nonexistent/xxgk/none.txt"));
        assert_eq!(read_bytes(&input), Err("文件不存在".to_string()));
    }

    #[test]
    fn io_errors_are_chinese_without_the_system_words() {
        let e = io::Error::from_raw_os_error(5);
        assert_eq!(io_message(&e), "读取失败（系统错误码 5）");
        let missing = io::Error::from(io::ErrorKind::NotFound);
        assert_eq!(
            write_message(&missing, Path::new("无此目录/x.toml")),
            "目录 无此目录 不存在"
        );
        assert_eq!(
            write_message(&missing, Path::new("x.toml")),
            "目录 . 不存在"
        );
    }
}
