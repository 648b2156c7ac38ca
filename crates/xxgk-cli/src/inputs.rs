//! Command-line arguments → an ordered list of inputs, and the bytes of each input.
//!
//! A directory is expanded recursively into its regular files, sorted by name. Problems are kept
//! in order as [`Input::Failed`], so that they are reported where the input stood and the other
//! inputs are still read: inside a directory, a FIFO, socket or device, a dangling symbolic link,
//! a link loop and a link to a directory are each reported, never skipped without a word.
//!
//! Every source is capped while it is read ([`MAX_FILE_BYTES`]): a regular file by its size
//! before reading, standard input and other non-regular files (`/dev/zero`) by reading at most
//! one byte more than the limit. A FIFO named on the command line is refused without opening it
//! (opening would block until a writer comes).

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
        let failed = |message: String| Input::Failed {
            name: path.display().to_string(),
            message,
        };
        // file_type() does not follow symbolic links; a link is followed only to a file, so that
        // a link cycle cannot make the walk endless.
        let kind = match entry.file_type() {
            Ok(kind) => kind,
            Err(e) => {
                out.push(failed(io_message(&e)));
                continue;
            }
        };
        if kind.is_dir() {
            walk(&path, out);
        } else if kind.is_file() {
            out.push(Input::File(path));
        } else if kind.is_symlink() {
            match fs::metadata(&path) {
                Ok(target) if target.is_file() => out.push(Input::File(path)),
                Ok(target) if target.is_dir() => {
                    out.push(failed("符号链接指向目录，未跟随（以免循环）".to_string()))
                }
                Ok(target) => out.push(failed(format!(
                    "符号链接指向{}，不是普通文件，未读取",
                    special_kind(&target.file_type())
                ))),
                Err(e) if is_link_loop(&e) => out.push(failed(
                    "符号链接循环（链接最终指回自身），未读取".to_string(),
                )),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    out.push(failed("符号链接指向的文件不存在（悬空链接）".to_string()))
                }
                Err(e) => out.push(failed(format!("符号链接无法跟随：{}", io_message(&e)))),
            }
        } else {
            out.push(failed(format!(
                "是{}，不是普通文件，未读取",
                special_kind(&kind)
            )));
        }
    }
}

/// What a file that is neither a regular file, a directory nor a symbolic link is, in Chinese.
fn special_kind(kind: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "命名管道（FIFO）";
        }
        if kind.is_socket() {
            return "套接字";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "设备文件";
        }
    }
    if kind.is_dir() {
        return "目录";
    }
    "特殊文件"
}

/// Whether an error is a symbolic link loop (ELOOP: too many levels of symbolic links).
fn is_link_loop(e: &io::Error) -> bool {
    // ELOOP is 40 on Linux, 62 on the BSDs and macOS.
    const ELOOP: i32 = if cfg!(any(target_os = "linux", target_os = "android")) {
        40
    } else {
        62
    };
    e.raw_os_error() == Some(ELOOP)
}

/// Read at most [`MAX_FILE_BYTES`] from `source`; more is refused as too large (the cap holds
/// while reading: an endless source stops one byte past the limit). `expected` is the size the
/// source is thought to have (a regular file's length): the buffer is made that large at once,
/// one byte more so that the read that meets the end needs no larger buffer, and the file is
/// read in two system calls instead of a doubling series of them.
fn read_capped(source: impl Read, what: &str, expected: usize) -> Result<Vec<u8>, String> {
    let mut buf = Vec::with_capacity(expected.min(MAX_FILE_BYTES) + 1);
    source
        .take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(|e| format!("{what}{}", io_message(&e)))?;
    if buf.len() > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge {
            size: buf.len(),
            limit: MAX_FILE_BYTES,
        }
        .to_string());
    }
    Ok(buf)
}

/// The bytes of an input, or a Chinese message saying why they cannot be had.
pub fn read_bytes(input: &Input) -> Result<Vec<u8>, String> {
    match input {
        Input::Stdin => read_capped(io::stdin().lock(), "无法读取标准输入：", 0),
        Input::File(path) => {
            let meta = fs::metadata(path).map_err(|e| io_message(&e))?;
            if meta.is_dir() {
                return Err("是目录，不是文件".to_string());
            }
            #[cfg(unix)]
            {
                use std::os::unix::fs::FileTypeExt;
                // Opening a FIFO blocks until a writer comes; a socket cannot be opened.
                let kind = meta.file_type();
                if kind.is_fifo() || kind.is_socket() {
                    return Err(format!("是{}，不是普通文件，未读取", special_kind(&kind)));
                }
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
            // A device (or a file that grows while it is read) is capped while it is read.
            let file = fs::File::open(path).map_err(|e| io_message(&e))?;
            read_capped(file, "", if meta.is_file() { size } else { 0 })
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

    #[cfg(unix)]
    fn mkfifo(path: &Path) {
        let ok = std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .expect("mkfifo runs")
            .success();
        assert!(ok, "mkfifo {}", path.display());
    }

    /// Inside a directory, a FIFO, a dangling link, a link loop and a link to a directory are
    /// each reported where they stand, in Chinese; a link to a file is read.
    #[cfg(unix)]
    #[test]
    fn special_entries_of_a_directory_are_reported_not_skipped() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        fs::write(root.join("a.txt"), "x").expect("write");
        mkfifo(&root.join("b-fifo"));
        symlink(root.join("none.txt"), root.join("c-dangling")).expect("symlink");
        symlink(root.join("d-loop"), root.join("d-loop")).expect("symlink");
        fs::create_dir(root.join("sub")).expect("mkdir");
        symlink(root.join("sub"), root.join("e-dirlink")).expect("symlink");
        symlink(root.join("a.txt"), root.join("f-filelink")).expect("symlink");
        let got = expand(&[root.to_path_buf()]);
        let failed = |name: &str, message: &str| Input::Failed {
            name: root.join(name).display().to_string(),
            message: message.to_string(),
        };
        assert_eq!(
            got,
            vec![
                Input::File(root.join("a.txt")),
                failed("b-fifo", "是命名管道（FIFO），不是普通文件，未读取"),
                failed("c-dangling", "符号链接指向的文件不存在（悬空链接）"),
                failed("d-loop", "符号链接循环（链接最终指回自身），未读取"),
                failed("e-dirlink", "符号链接指向目录，未跟随（以免循环）"),
                Input::File(root.join("f-filelink")),
            ]
        );
    }

    /// A FIFO named on the command line is refused at once, not opened (opening it would block
    /// until a writer comes: without the check this test fails by its timeout).
    #[cfg(unix)]
    #[test]
    fn a_fifo_named_on_the_command_line_is_refused_without_blocking() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("fifo");
        mkfifo(&fifo);
        let (tx, rx) = std::sync::mpsc::channel();
        let input = Input::File(fifo.clone());
        std::thread::spawn(move || tx.send(read_bytes(&input)));
        let got = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("read_bytes returned instead of blocking");
        assert_eq!(
            got,
            Err("是命名管道（FIFO），不是普通文件，未读取".to_string())
        );
    }

    /// The expected size only sizes the buffer: a source longer or shorter than expected (a file
    /// that grows or shrinks while it is read) is read to its end, exactly.
    #[test]
    fn the_expected_size_does_not_change_what_is_read() {
        let text: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        for expected in [0, 1, 9_999, 10_000, 10_001, 1_000_000] {
            let read = read_capped(&text[..], "", expected).expect("read");
            assert_eq!(read, text, "expected {expected}");
        }
    }

    /// Standard input and devices are capped while they are read: an endless source is refused
    /// as too large, one byte past the limit, instead of filling the memory.
    #[test]
    fn endless_sources_are_capped_while_read() {
        let err = read_capped(io::repeat(0), "", 0).expect_err("too large");
        assert!(err.contains("超过") || err.contains("过大"), "{err}");
        let exact = read_capped(
            io::repeat(7).take(MAX_FILE_BYTES as u64),
            "",
            MAX_FILE_BYTES,
        )
        .expect("at the limit");
        assert_eq!(exact.len(), MAX_FILE_BYTES);
        #[cfg(target_os = "linux")]
        {
            let zero = read_bytes(&Input::File(PathBuf::from("/dev/zero")));
            assert_eq!(zero.map(|b| b.len()), Err(err));
        }
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
