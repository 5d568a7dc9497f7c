//! 证明材料 (evidence): uploaded scans and photos behind each step of the path.
//!
//! Files are stored on disk under a directory (default [`DEFAULT_EVIDENCE_DIR`]), named by the
//! SHA-256 of their content: the same file uploaded twice is stored once, and a name can never
//! point at different content. A file is written (and its row recorded) **before** the step it
//! supports is attempted, so a refused step never loses an upload: the caller gets the hash back
//! and can retry with it.

use crate::audit::{self, Actor, NewAudit, to_json};
use crate::sql::{Cols, Row, now_ts, query};
use crate::{Result, Store, StoreError};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

pub(crate) const EVIDENCE: &str = "evidence";

/// The largest file accepted: 20 MiB (a multi-page scan at 300 dpi fits).
pub const EVIDENCE_MAX_BYTES: usize = 20 * 1024 * 1024;

/// Where evidence files go unless configured otherwise (relative to where `anju` runs).
pub const DEFAULT_EVIDENCE_DIR: &str = "anju-evidence";

/// One stored file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub sha256: String,
    pub size: i64,
    pub mime: String,
    pub original_name: String,
    /// Relative to the evidence directory: `ab/abcdef….pdf`.
    pub stored_path: String,
    pub actor: String,
    pub created_at: jiff::Timestamp,
}

/// The kinds of file accepted, recognised by their first bytes (never by the name).
pub fn sniff_mime(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    let starts = |p: &[u8]| bytes.starts_with(p);
    if starts(b"\xFF\xD8\xFF") {
        Some(("image/jpeg", "jpg"))
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Some(("image/png", "png"))
    } else if starts(b"%PDF-") {
        Some(("application/pdf", "pdf"))
    } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(("image/webp", "webp"))
    } else if bytes.len() >= 12
        && &bytes[4..8] == b"ftyp"
        && matches!(
            &bytes[8..12],
            b"heic" | b"heix" | b"mif1" | b"msf1" | b"heim" | b"heis"
        )
    {
        Some(("image/heic", "heic"))
    } else {
        None
    }
}

/// Checks an upload: not empty, not too big, a known kind. Returns (mime, extension).
pub fn check_upload(name: &str, bytes: &[u8]) -> Result<(&'static str, &'static str)> {
    if bytes.is_empty() {
        return Err(StoreError::Invalid(format!("证明材料“{name}”是空文件")));
    }
    if bytes.len() > EVIDENCE_MAX_BYTES {
        return Err(StoreError::Invalid(format!(
            "证明材料“{name}”大小为 {:.1} MiB，超过上限 20 MiB",
            bytes.len() as f64 / 1_048_576.0
        )));
    }
    sniff_mime(bytes).ok_or_else(|| {
        StoreError::Invalid(format!(
            "证明材料“{name}”不是可接受的文件类型：只接受 JPEG、PNG、WebP、HEIC 图片和 PDF 文件"
        ))
    })
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in d.iter() {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// The directory evidence files live in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceDir {
    root: PathBuf,
}

impl EvidenceDir {
    pub fn new(root: impl Into<PathBuf>) -> EvidenceDir {
        EvidenceDir { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The full path of a stored file.
    pub fn path_of(&self, e: &Evidence) -> PathBuf {
        self.root.join(&e.stored_path)
    }

    /// Writes the content under its hash (a temporary file renamed into place, so a crash never
    /// leaves half a file under a valid name). Already there: nothing is written.
    fn write(&self, sha: &str, ext: &str, bytes: &[u8]) -> Result<String> {
        let rel = format!("{}/{sha}.{ext}", &sha[..2]);
        let full = self.root.join(&rel);
        if full.exists() {
            return Ok(rel);
        }
        let io = |e: std::io::Error| {
            StoreError::Invalid(format!("无法保存证明材料到 {}：{e}", self.root.display()))
        };
        let dir = full.parent().unwrap_or(&self.root);
        std::fs::create_dir_all(dir).map_err(io)?;
        let tmp = dir.join(format!(".{sha}.{}.tmp", std::process::id()));
        let mut f = std::fs::File::create(&tmp).map_err(io)?;
        f.write_all(bytes).map_err(io)?;
        f.sync_all().map_err(io)?;
        std::fs::rename(&tmp, &full).map_err(io)?;
        Ok(rel)
    }
}

fn evidence_from_row(row: &Row) -> Result<Evidence> {
    let mut c = Cols::new(row);
    Ok(Evidence {
        sha256: c.string()?,
        size: c.i64()?,
        mime: c.string()?,
        original_name: c.string()?,
        stored_path: c.string()?,
        actor: c.string()?,
        created_at: c.timestamp()?,
    })
}

const EVIDENCE_COLS: &str = "sha256, size, mime, original_name, stored_path, actor, created_at";

impl Store {
    /// Stores an uploaded file on disk and records it (with its audit row). Uploading the same
    /// content again returns the existing record.
    pub async fn put_evidence(
        &self,
        actor: &Actor,
        dir: &EvidenceDir,
        original_name: &str,
        bytes: &[u8],
    ) -> Result<Evidence> {
        let (mime, ext) = check_upload(original_name, bytes)?;
        let sha = sha256_hex(bytes);
        let stored_path = dir.write(&sha, ext, bytes)?;
        if let Some(e) = self.get_evidence(&sha).await? {
            return Ok(e);
        }
        let at = now_ts();
        let e = Evidence {
            sha256: sha,
            size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
            mime: mime.into(),
            original_name: original_name.into(),
            stored_path,
            actor: actor.name.clone(),
            created_at: crate::sql::parse_ts(&at)?,
        };
        let mut tx = self.begin_write().await?;
        let exists = query("SELECT 1 FROM evidence WHERE sha256 = $1")
            .bind(e.sha256.clone())
            .fetch_optional(&mut *tx)
            .await?
            .is_some();
        if !exists {
            query(
                "INSERT INTO evidence (sha256, size, mime, original_name, stored_path, actor, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(e.sha256.clone())
            .bind(e.size)
            .bind(e.mime.clone())
            .bind(e.original_name.clone())
            .bind(e.stored_path.clone())
            .bind(e.actor.clone())
            .bind(at.clone())
            .execute(&mut *tx)
            .await?;
            audit::append(
                &mut tx,
                actor,
                &at,
                vec![NewAudit {
                    action: "insert",
                    entity: EVIDENCE,
                    entity_id: None,
                    before: None,
                    after: Some(to_json(&e)?),
                }],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(self.get_evidence(&e.sha256).await?.unwrap_or(e))
    }

    pub async fn get_evidence(&self, sha256: &str) -> Result<Option<Evidence>> {
        let row = crate::sql::query(format!(
            "SELECT {EVIDENCE_COLS} FROM evidence WHERE sha256 = $1"
        ))
        .bind(sha256.to_string())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(evidence_from_row).transpose()
    }

    /// Every file linked to a step of a compound's path, by hash (one statement): the
    /// timeline names each file and draws each photo.
    pub async fn compound_step_evidence(
        &self,
        compound_id: i64,
    ) -> Result<std::collections::HashMap<String, Evidence>> {
        let rows = crate::sql::query(format!(
            "SELECT DISTINCT {} FROM evidence e JOIN step_evidence s ON s.sha256 = e.sha256 \
             JOIN compound_steps cs ON cs.id = s.step_id WHERE cs.compound_id = $1",
            EVIDENCE_COLS
                .split(", ")
                .map(|c| format!("e.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .bind(compound_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| evidence_from_row(r).map(|e| (e.sha256.clone(), e)))
            .collect()
    }

    /// These files by hash (those stored), in chunks of 1,000 hashes a statement.
    pub async fn evidence_by_sha(
        &self,
        shas: &[String],
    ) -> Result<std::collections::HashMap<String, Evidence>> {
        let mut out = std::collections::HashMap::with_capacity(shas.len());
        for chunk in shas.chunks(1_000) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let mut q = crate::sql::query(format!(
                "SELECT {EVIDENCE_COLS} FROM evidence WHERE sha256 IN ({})",
                marks.join(", ")
            ));
            for sha in chunk {
                q = q.bind(sha.clone());
            }
            for r in q.fetch_all(&self.pool).await? {
                let e = evidence_from_row(&r)?;
                out.insert(e.sha256.clone(), e);
            }
        }
        Ok(out)
    }

    /// The evidence linked to a step, by hash order.
    pub async fn step_evidence(&self, step_id: i64) -> Result<Vec<Evidence>> {
        let rows = crate::sql::query(format!(
            "SELECT {} FROM evidence e JOIN step_evidence s ON s.sha256 = e.sha256 \
             WHERE s.step_id = $1 ORDER BY e.sha256",
            EVIDENCE_COLS
                .split(", ")
                .map(|c| format!("e.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .bind(step_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(evidence_from_row).collect()
    }
}
