//! Original files, once per content (sha256): in the database (`files.content`) or, when the
//! store has a files directory (`xxgk serve --files DIR`), in `DIR/ab/abcdef…` keyed by the
//! sha256, with `files.external_path` naming it.

use std::io::Write;
use std::path::{Path, PathBuf};

use sqlx::AnyConnection;

use crate::{get, now, sha256_hex, Result, Store, StoreError};

impl Store {
    /// This store with its original files kept in `dir` (created if needed) rather than in the
    /// database. Files already in the database stay there and are still read.
    pub fn with_files_dir(mut self, dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(dir).map_err(|error| StoreError::DataDir {
            path: dir.display().to_string(),
            error,
        })?;
        self.files_dir = Some(std::sync::Arc::new(dir.to_path_buf()));
        Ok(self)
    }

    /// The directory of original files, if the store keeps them outside the database.
    pub fn files_dir(&self) -> Option<&Path> {
        self.files_dir.as_deref().map(PathBuf::as_path)
    }

    /// Stores a file once per content: its id and sha256. With a files directory the bytes
    /// are written there first (under their hash, so a retry or a second upload writes the
    /// same file), then the row.
    pub(crate) async fn put_file(
        &self,
        conn: &mut AnyConnection,
        name: &str,
        bytes: &[u8],
    ) -> Result<(i64, String)> {
        let sha = sha256_hex(bytes);
        let (content, external) = match &self.files_dir {
            Some(dir) => {
                let key = format!("{}/{}", &sha[..2], sha);
                write_once(&dir.join(&key), bytes)?;
                (None, Some(key))
            }
            None => (Some(bytes.to_vec()), None),
        };
        sqlx::query(
            "INSERT INTO files (sha256, size, name, content, external_path, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(sha.as_str())
        .bind(bytes.len() as i64)
        .bind(name)
        .bind(content)
        .bind(external)
        .bind(now())
        .execute(&mut *conn)
        .await?;
        let id: i64 = get(
            &sqlx::query("SELECT id FROM files WHERE sha256 = $1")
                .bind(sha.as_str())
                .fetch_one(&mut *conn)
                .await?,
            "id",
        )?;
        Ok((id, sha))
    }

    /// The bytes of a stored file, from the database or the files directory.
    pub(crate) fn file_content(
        &self,
        content: Option<Vec<u8>>,
        external: Option<String>,
    ) -> Result<Vec<u8>> {
        match (content, external) {
            (Some(bytes), _) => Ok(bytes),
            (None, Some(key)) => {
                let Some(dir) = &self.files_dir else {
                    return Err(StoreError::FileOutside(key));
                };
                // Keys are written by `put_file` only (two hex digits / 64 hex digits).
                if !key.bytes().all(|b| b.is_ascii_hexdigit() || b == b'/') {
                    return Err(StoreError::FileOutside(key));
                }
                std::fs::read(dir.join(&key)).map_err(|error| StoreError::FileRead { key, error })
            }
            (None, None) => Ok(Vec::new()),
        }
    }
}

/// Writes `bytes` to `path` unless it exists: through a temporary file renamed into place, so
/// that a file under its hash is whole or absent.
fn write_once(path: &Path, bytes: &[u8]) -> Result<()> {
    if path.exists() {
        return Ok(());
    }
    let failed = |error| StoreError::FileWrite {
        path: path.display().to_string(),
        error,
    };
    let parent = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(failed)?;
    let mut tmp = tempfile_in(parent).map_err(failed)?;
    tmp.1.write_all(bytes).map_err(failed)?;
    tmp.1.sync_all().map_err(failed)?;
    std::fs::rename(&tmp.0, path).map_err(failed)?;
    Ok(())
}

fn tempfile_in(dir: &Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = format!(
        ".tmp-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let path = dir.join(name);
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)?;
    Ok((path, file))
}
