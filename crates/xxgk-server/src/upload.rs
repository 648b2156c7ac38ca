//! Uploads. `POST /api/v1/reports` reads and checks one file now (`201`); a ZIP sent there, or
//! a file whose agency is to be matched from the report itself, becomes a background job
//! (`202`). `POST /api/v1/uploads` always queues a job: a ZIP (thousands of entries, folders
//! kept in the names) or one file. The body is told apart by its content (the readers'
//! `sniff`, and the signatures of executables, images and other archives, which are refused
//! with `415`).

use std::io::{Cursor, Read};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Query, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use xxgk_read::FileKind;
use xxgk_store::{Actor, Agency, EntryContent, Job, NewReport, Role, UploadEntry, User};

use crate::auth::Caller;
use crate::{process, report_object, ApiError, ApiResult, App};

/// The most entries a ZIP may hold.
pub const MAX_ZIP_ENTRIES: usize = 20_000;
/// The most bytes a ZIP's entries may hold in all, decompressed.
pub const MAX_ZIP_TOTAL_BYTES: u64 = 2 * 1024 * 1024 * 1024;
/// An entry that decompresses to more than this many times its compressed size (and to more
/// than 1 MB) is not decompressed: a zip bomb.
pub const MAX_ZIP_RATIO: u64 = 200;

#[derive(serde::Deserialize)]
pub(crate) struct UploadQuery {
    pub(crate) agency: Option<String>,
}

/// The agency an upload goes to: the one named (it must be in the caller's scope, else 404
/// as for an unknown code), else a staff member's own; `None` for a supervisor or an admin who
/// names none: each report's agency is then matched from its own agency name.
pub(crate) async fn chosen_agency(
    app: &App,
    user: &User,
    query: &UploadQuery,
) -> ApiResult<Option<Agency>> {
    if let Some(code) = query
        .agency
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        let visible = app.store.agencies_visible(user).await?;
        return visible
            .into_iter()
            .find(|a| a.code == code)
            .map(Some)
            .ok_or_else(|| {
                ApiError::new(
                    StatusCode::NOT_FOUND,
                    format!("机构不存在或无权上传：{code}"),
                )
            });
    }
    match (user.role, user.agency_id) {
        (Role::Staff, Some(id)) => Ok(app.store.agency_by_id(id).await?),
        (Role::Staff, None) => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "该账户不属于任何机构，不能上传",
        )),
        _ => Ok(None),
    }
}

/// The file name of `X-Filename` (percent-encoded UTF-8, no path): `None` when absent.
fn file_name(headers: &HeaderMap) -> ApiResult<Option<String>> {
    let Some(v) = headers.get("x-filename") else {
        return Ok(None);
    };
    let name = percent_encoding::percent_decode(v.as_bytes())
        .decode_utf8()
        .map_err(|_| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "X-Filename 不是百分号编码的 UTF-8 文件名",
            )
        })?;
    let name = name.trim();
    if name.is_empty() {
        return Ok(None);
    }
    if name.contains(['/', '\\', '\0']) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "X-Filename 只能是文件名，不能含路径",
        ));
    }
    Ok(Some(name.to_owned()))
}

fn missing_name() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "缺少文件名：请在 X-Filename 中给出（百分号编码的 UTF-8，不含路径）",
    )
}

/// What a body is when it is certainly not a report: an executable, an image, an archive
/// other than ZIP (a ZIP is a batch). Told by the first bytes; `None` for anything the readers
/// may take.
pub fn refused_kind(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"\x7fELF", "可执行文件"),
        (b"MZ", "可执行文件"),
        (b"\xCF\xFA\xED\xFE", "可执行文件"),
        (b"\xCE\xFA\xED\xFE", "可执行文件"),
        (b"\xCA\xFE\xBA\xBE", "可执行文件"),
        (b"\x89PNG\r\n\x1a\n", "图片"),
        (b"\xFF\xD8\xFF", "图片"),
        (b"GIF87a", "图片"),
        (b"GIF89a", "图片"),
        (b"II*\x00", "图片"),
        (b"MM\x00*", "图片"),
        (b"\x1f\x8b", "gzip 压缩包"),
        (b"7z\xBC\xAF\x27\x1C", "7z 压缩包"),
        (b"Rar!\x1a\x07", "RAR 压缩包"),
        (b"BZh", "bzip2 压缩包"),
        (b"\xFD7zXZ\x00", "xz 压缩包"),
    ];
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Some("图片");
    }
    if bytes.len() >= 2 && &bytes[..2] == b"BM" && bytes.len() >= 14 {
        // A BMP header: the file size (little-endian) at 2..6.
        let size = u32::from_le_bytes([bytes[2], bytes[3], bytes[4], bytes[5]]) as usize;
        if size == bytes.len() {
            return Some("图片");
        }
    }
    SIGNATURES
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|&(_, kind)| kind)
}

fn unsupported(kind: &str) -> ApiError {
    ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        format!("不是年度报告：上传的是{kind}（支持文本、HTML、Word、WPS、PDF，或这些文件的 ZIP 压缩包）"),
    )
}

fn empty_body() -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "上传的文件是空的")
}

/// `POST /api/v1/reports?agency=CODE`: the body is the file, `X-Filename` its name. Read and
/// checked now, `201` with the report; a ZIP, or a file whose agency is to be matched, is
/// queued as a job: `202 {"job", "status"}`.
pub(crate) async fn upload(
    State(app): State<Arc<App>>,
    Caller { user, .. }: Caller,
    headers: HeaderMap,
    Query(query): Query<UploadQuery>,
    body: Bytes,
) -> ApiResult<Response> {
    let agency = chosen_agency(&app, &user, &query).await?;
    let name = file_name(&headers)?.ok_or_else(missing_name)?;
    if body.is_empty() {
        return Err(empty_body());
    }
    if let Some(kind) = refused_kind(&body) {
        return Err(unsupported(kind));
    }
    if xxgk_read::sniff(&body) == FileKind::Zip {
        let job = enqueue_zip(&app, &user, agency.as_ref(), body).await?;
        return Ok(accepted(&job));
    }
    let Some(agency) = agency else {
        let entry = UploadEntry {
            name,
            content: EntryContent::Bytes(body.to_vec()),
        };
        let job = enqueue(&app, &user, None, vec![entry].into_iter()).await?;
        return Ok(accepted(&job));
    };
    let bytes = body.clone();
    let file_name = name.clone();
    let processed = tokio::task::spawn_blocking(move || process(&bytes, &file_name))
        .await
        .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "读取文件时出错"))?;
    let findings_json = serde_json::to_string(&processed.findings)
        .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "无法生成检查结果"))?;
    let stored = app
        .store
        .add_report(
            &Actor::user(&user),
            &NewReport {
                agency_id: agency.id,
                year: processed.year,
                file_name: &name,
                bytes: &body,
                status: processed.status,
                unreadable_reason: processed.unreadable_reason.as_deref(),
                extract_json: processed.extract_json.as_deref(),
                findings_json: Some(&findings_json),
                error_count: processed.errors,
                warning_count: processed.warnings,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(report_object(&stored))).into_response())
}

/// `POST /api/v1/uploads?agency=CODE`: a ZIP or one file as the body (`X-Filename` its
/// name), or `multipart/form-data` with many files, queued as a job: `202 {"job": ID,
/// "status": "queued"}`. Without `agency`, each report's agency is matched from its own
/// agency name (staff: always their own agency).
pub(crate) async fn uploads(
    State(app): State<Arc<App>>,
    Caller { user, .. }: Caller,
    Query(query): Query<UploadQuery>,
    request: Request,
) -> ApiResult<Response> {
    let headers = request.headers().clone();
    let agency = chosen_agency(&app, &user, &query).await?;
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().starts_with("multipart/form-data"));
    if is_form {
        let form = Multipart::from_request(request, &app)
            .await
            .map_err(|e| ApiError::new(e.status(), format!("表单数据有误：{}", e.body_text())))?;
        let entries = multipart_entries(form).await?;
        let job = enqueue(&app, &user, agency.as_ref(), entries.into_iter()).await?;
        return Ok(accepted(&job));
    }
    let name = file_name(&headers)?;
    let body = Bytes::from_request(request, &app)
        .await
        .map_err(|e| ApiError::new(e.status(), e.body_text()))?;
    if body.is_empty() {
        return Err(empty_body());
    }
    if let Some(kind) = refused_kind(&body) {
        return Err(unsupported(kind));
    }
    let job = if xxgk_read::sniff(&body) == FileKind::Zip {
        enqueue_zip(&app, &user, agency.as_ref(), body).await?
    } else {
        let name = name.ok_or_else(missing_name)?;
        let entry = UploadEntry {
            name,
            content: EntryContent::Bytes(body.to_vec()),
        };
        enqueue(&app, &user, agency.as_ref(), vec![entry].into_iter()).await?
    };
    Ok(accepted(&job))
}

fn accepted(job: &Job) -> Response {
    (
        StatusCode::ACCEPTED,
        Json(json!({"job": job.id, "status": job.state.as_str(), "files": job.progress_total})),
    )
        .into_response()
}

async fn enqueue(
    app: &App,
    user: &User,
    agency: Option<&Agency>,
    mut entries: impl Iterator<Item = UploadEntry> + Send,
) -> ApiResult<Job> {
    let job = app
        .store
        .enqueue_upload(user, agency.map(|a| a.id), &mut entries)
        .await?;
    app.wake.notify_waiters();
    Ok(job)
}

async fn enqueue_zip(
    app: &App,
    user: &User,
    agency: Option<&Agency>,
    body: Bytes,
) -> ApiResult<Job> {
    let entries = ZipEntries::open(body)?;
    enqueue(app, user, agency, entries).await
}

fn too_large(message: String) -> ApiError {
    ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, message)
}

/// The entries of a ZIP, decompressed one at a time (each bounded), as upload entries: every
/// file listed, folders kept in its name; what is not a report, too large, damaged or
/// encrypted is listed as skipped with the reason.
pub(crate) struct ZipEntries {
    archive: zip::ZipArchive<Cursor<Bytes>>,
    next: usize,
    total: u64,
}

impl ZipEntries {
    /// Opens a ZIP, refusing (413) one with too many entries or too many bytes in all.
    pub(crate) fn open(body: Bytes) -> ApiResult<ZipEntries> {
        let mut archive = zip::ZipArchive::new(Cursor::new(body)).map_err(|e| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                format!("ZIP 压缩包已损坏，无法打开：{e}"),
            )
        })?;
        if archive.len() > MAX_ZIP_ENTRIES {
            return Err(too_large(format!(
                "压缩包中的文件过多：{} 个，最多 {MAX_ZIP_ENTRIES} 个（请分批上传）",
                archive.len()
            )));
        }
        let mut declared = 0u64;
        for i in 0..archive.len() {
            if let Ok(entry) = archive.by_index_raw(i) {
                declared = declared.saturating_add(entry.size());
            }
        }
        if declared > MAX_ZIP_TOTAL_BYTES {
            return Err(too_large(format!(
                "压缩包解压后过大：{} MB，最多 {} MB（请分批上传）",
                declared / (1024 * 1024),
                MAX_ZIP_TOTAL_BYTES / (1024 * 1024)
            )));
        }
        Ok(ZipEntries {
            archive,
            next: 0,
            total: 0,
        })
    }

    fn entry(&mut self, i: usize) -> Option<UploadEntry> {
        let skipped = |name: String, reason: &str| {
            Some(UploadEntry {
                name,
                content: EntryContent::Skipped(reason.to_owned()),
            })
        };
        let (name, is_dir, size, compressed, encrypted) = match self.archive.by_index_raw(i) {
            Ok(e) => (
                entry_name(e.name_raw()),
                e.is_dir(),
                e.size(),
                e.compressed_size(),
                e.encrypted(),
            ),
            Err(e) => return skipped(format!("第 {} 个文件", i + 1), &damaged(&e)),
        };
        if is_dir {
            return None;
        }
        let base = name.rsplit('/').next().unwrap_or(&name);
        if name.starts_with("__MACOSX/")
            || name.split('/').any(|part| part.starts_with('.'))
            || ["Thumbs.db", "desktop.ini"].contains(&base)
        {
            return skipped(name, "系统生成的文件，不是报告");
        }
        if encrypted {
            return skipped(name, "文件已加密，无法解压");
        }
        let limit = xxgk_read::MAX_FILE_BYTES as u64;
        if size > limit {
            return skipped(name, "文件过大：解压后超过 64 MB");
        }
        if size > 1024 * 1024 && size > compressed.saturating_mul(MAX_ZIP_RATIO) {
            return skipped(name, "压缩比异常（超过 200 倍），疑为压缩炸弹，未解压");
        }
        if self.total.saturating_add(size) > MAX_ZIP_TOTAL_BYTES {
            return skipped(name, "压缩包解压后的总大小超过上限，此文件未解压");
        }
        let mut bytes = Vec::with_capacity(size.min(limit) as usize);
        let read = self
            .archive
            .by_index(i)
            .map_err(|e| damaged(&e))
            .and_then(|entry| {
                // The declared size may lie: never read more than the limit.
                entry
                    .take(limit + 1)
                    .read_to_end(&mut bytes)
                    .map_err(|e| format!("压缩包中的该文件已损坏：{e}"))
            });
        if let Err(reason) = read {
            return skipped(name, &reason);
        }
        if bytes.len() as u64 > limit {
            return skipped(name, "文件过大：解压后超过 64 MB");
        }
        self.total += bytes.len() as u64;
        if xxgk_read::sniff(&bytes) == FileKind::Zip {
            return skipped(name, "压缩包中的压缩包不展开，请单独上传");
        }
        Some(entry(name, bytes))
    }
}

impl Iterator for ZipEntries {
    type Item = UploadEntry;

    fn next(&mut self) -> Option<UploadEntry> {
        while self.next < self.archive.len() {
            let i = self.next;
            self.next += 1;
            if let Some(entry) = self.entry(i) {
                return Some(entry);
            }
        }
        None
    }
}

/// One file of a batch: its bytes, or skipped when empty or certainly not a report.
fn entry(name: String, bytes: Vec<u8>) -> UploadEntry {
    let content = if bytes.is_empty() {
        EntryContent::Skipped("空文件".to_owned())
    } else if let Some(kind) = refused_kind(&bytes) {
        EntryContent::Skipped(format!("不是年度报告（{kind}）"))
    } else {
        EntryContent::Bytes(bytes)
    };
    UploadEntry { name, content }
}

/// The files of a `multipart/form-data` body (every part with a file name; other fields are
/// ignored), a ZIP among them unpacked with its entries named `x.zip/folder/file`.
async fn multipart_entries(mut form: Multipart) -> ApiResult<Vec<UploadEntry>> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        ApiError::new(e.status(), format!("表单数据有误：{}", e.body_text()))
    };
    let mut entries = Vec::new();
    while let Some(field) = form.next_field().await.map_err(bad)? {
        let Some(name) = field.file_name().map(|n| entry_name(n.as_bytes())) else {
            continue;
        };
        let name = name.rsplit('/').next().unwrap_or(&name).to_owned();
        let bytes = field.bytes().await.map_err(bad)?;
        if !bytes.is_empty() && xxgk_read::sniff(&bytes) == FileKind::Zip {
            for e in ZipEntries::open(bytes)? {
                entries.push(UploadEntry {
                    name: format!("{name}/{}", e.name),
                    content: e.content,
                });
            }
        } else {
            entries.push(entry(name, bytes.to_vec()));
        }
    }
    if entries.is_empty() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "表单中没有文件：请用 multipart/form-data 上传一个或多个文件",
        ));
    }
    Ok(entries)
}

fn damaged(e: &zip::result::ZipError) -> String {
    match e {
        zip::result::ZipError::UnsupportedArchive(_) => {
            format!("压缩方式不受支持，无法解压：{e}")
        }
        _ => format!("压缩包中的该文件已损坏：{e}"),
    }
}

/// An entry's name: UTF-8 when it is (the flag, or plain ASCII), else GBK (ZIPs made on
/// Chinese Windows); backslashes as folder separators.
fn entry_name(raw: &[u8]) -> String {
    let name = match std::str::from_utf8(raw) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::GB18030.decode(raw).0.into_owned(),
    };
    name.replace('\\', "/").trim_start_matches('/').to_owned()
}

/// The entries of one file of an upload form (a ZIP unpacked under its name), for the upload
/// page (`pages/upload.rs`), as `POST /api/v1/uploads` takes a form's file parts.
pub(crate) fn part_entries(raw_name: &[u8], bytes: Bytes) -> ApiResult<Vec<UploadEntry>> {
    let name = entry_name(raw_name);
    let name = name.rsplit('/').next().unwrap_or(&name).to_owned();
    if !bytes.is_empty() && xxgk_read::sniff(&bytes) == FileKind::Zip {
        return Ok(ZipEntries::open(bytes)?
            .map(|e| UploadEntry {
                name: format!("{name}/{}", e.name),
                content: e.content,
            })
            .collect());
    }
    Ok(vec![entry(name, bytes.to_vec())])
}

/// Queues entries as an upload job of `user` (the upload page).
pub(crate) async fn enqueue_entries(
    app: &App,
    user: &User,
    agency: Option<&Agency>,
    entries: Vec<UploadEntry>,
) -> ApiResult<Job> {
    enqueue(app, user, agency, entries.into_iter()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_refused() {
        assert_eq!(refused_kind(b"\x7fELF\x02\x01"), Some("可执行文件"));
        assert_eq!(refused_kind(b"MZ\x90\x00"), Some("可执行文件"));
        assert_eq!(refused_kind(b"\x89PNG\r\n\x1a\n\0\0"), Some("图片"));
        assert_eq!(refused_kind(b"\xFF\xD8\xFF\xE0"), Some("图片"));
        assert_eq!(refused_kind(b"\x1f\x8b\x08"), Some("gzip 压缩包"));
        assert_eq!(
            refused_kind("某局2024年政府信息公开工作年度报告".as_bytes()),
            None
        );
        assert_eq!(refused_kind(b"PK\x03\x04"), None);
    }

    #[test]
    fn gbk_entry_names() {
        let (gbk, _, _) = encoding_rs::GBK.encode("年报/甲局.txt");
        assert_eq!(entry_name(&gbk), "年报/甲局.txt");
        assert_eq!(entry_name("a\\b.txt".as_bytes()), "a/b.txt");
    }
}
