//! Evidence uploads (`POST /api/v1/evidence`), raw or multipart, through `App::upload_evidence`.

use super::{Out, bad, created, msg, write_guard};
use crate::api::types::UploadedEvidence;
use crate::params::{self, params};
use crate::{AppState, Viewer, WebError};
use anju_app::model::{EVIDENCE_MAX_BYTES, EvidenceDir};
use anju_core::Lang;
use anju_core::access::Action;
use axum::body::Bytes;
use axum::extract::{Extension, FromRequest, Multipart, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct UploadQuery {
    #[serde(deserialize_with = "params::text")]
    name: Option<String>,
}

pub(super) fn too_large(l: Lang) -> WebError {
    let mib = EVIDENCE_MAX_BYTES / (1024 * 1024);
    WebError::TooLarge(msg(
        l,
        format!("证明材料 file：文件超过 {mib} MiB 上限，请压缩或分开上传"),
        format!("file: larger than the {mib} MiB limit"),
    ))
}

/// The file of an upload request: `multipart/form-data` (the first part with a file name,
/// usually `file`) or the raw body named by `?name=`.
async fn upload_of(
    state: &AppState,
    q: &UploadQuery,
    req: axum::extract::Request,
    l: Lang,
) -> Result<(String, Bytes), WebError> {
    let multipart = req
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let broken = |status: StatusCode| {
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            too_large(l)
        } else {
            bad(
                l,
                "证明材料 file：上传中断或格式不对，请重试",
                "file: the upload was interrupted or malformed",
            )
        }
    };
    if multipart {
        let mut mp = Multipart::from_request(req, state)
            .await
            .map_err(|e| broken(e.status()))?;
        while let Some(field) = mp.next_field().await.map_err(|e| broken(e.status()))? {
            let Some(name) = field.file_name().map(str::to_string) else {
                continue;
            };
            let bytes = field.bytes().await.map_err(|e| broken(e.status()))?;
            return Ok((name, bytes));
        }
        return Err(bad(
            l,
            "证明材料 file：请求中没有文件",
            "file: the request carries no file",
        ));
    }
    let name = q.name.clone().ok_or_else(|| {
        bad(
            l,
            "文件名 name：直接上传文件内容时须在 ?name= 中给出原始文件名",
            "name: give the file's name as ?name= when sending the raw file",
        )
    })?;
    let bytes = Bytes::from_request(req, state)
        .await
        .map_err(|e| broken(e.status()))?;
    Ok((name, bytes))
}

/// `POST /api/v1/evidence`: the same store path as the pages' uploads (size, magic bytes,
/// stored by SHA-256 with its audit row); oversize and unknown kinds get their own codes.
pub(super) async fn evidence_upload(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    ext: Option<Extension<EvidenceDir>>,
    RawQuery(raw): RawQuery,
    req: axum::extract::Request,
) -> Out {
    write_guard(&viewer, &headers, Action::UploadEvidence)?;
    let l = viewer.lang;
    let q: UploadQuery = params(raw.as_deref(), l)?;
    let (name, bytes) = upload_of(&state, &q, req, l).await?;
    let e = state
        .app
        .upload_evidence(
            &viewer.principal(),
            &crate::evidence_dir(ext),
            &name,
            &bytes,
        )
        .await
        .map_err(|e| WebError::app(e, l))?;
    created(UploadedEvidence {
        sha256: e.sha256,
        size: e.size,
        mime: e.mime,
        original_name: e.original_name,
        uploaded_by: e.actor,
        created_at: e.created_at,
    })
}
