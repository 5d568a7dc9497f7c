//! Evidence files (证明材料): uploading one, and who may read one. A file is kept under its
//! SHA-256 with an audit row; it may be read by someone who may see a compound whose records
//! (path steps, rectification orders, assessments, complaints) name it.

use crate::error::FileProblem;
use crate::principal::Principal;
use crate::{App, AppError, Result};
use anju_core::access::Action;
use anju_core::{CompoundId, PatrolId};
use anju_store::{
    AssessmentFilter, ComplaintFilter, EVIDENCE_MAX_BYTES, Evidence, EvidenceDir, OrderFilter,
    StoreError, sniff_mime,
};

fn not_found() -> AppError {
    StoreError::NotFound {
        entity: "evidence",
        id: 0,
    }
    .into()
}

/// Whether `sha` looks like a SHA-256 in hex (anything else is not a file of ours).
fn is_sha256(sha: &str) -> bool {
    sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_hexdigit())
}

impl App {
    /// Keeps an uploaded file: at most [`EVIDENCE_MAX_BYTES`], a JPEG, PNG, WebP, HEIC image or
    /// a PDF judged by its first bytes (not its name), never empty. The same file uploaded
    /// twice is kept once.
    pub async fn upload_evidence(
        &self,
        who: &Principal,
        dir: &EvidenceDir,
        name: &str,
        bytes: &[u8],
    ) -> Result<Evidence> {
        who.require(Action::UploadEvidence)?;
        let mib = EVIDENCE_MAX_BYTES / (1024 * 1024);
        if bytes.len() > EVIDENCE_MAX_BYTES {
            return Err(AppError::File {
                problem: FileProblem::TooLarge,
                zh: format!(
                    "证明材料“{name}”大小为 {:.1} MiB，超过上限 {mib} MiB，请压缩或分开上传",
                    bytes.len() as f64 / 1_048_576.0
                ),
                en: format!("file '{name}': larger than the {mib} MiB limit"),
            });
        }
        if !bytes.is_empty() && sniff_mime(bytes).is_none() {
            return Err(AppError::File {
                problem: FileProblem::UnsupportedType,
                zh: format!(
                    "证明材料“{name}”不是可接受的文件类型，只接受 JPEG、PNG、WebP、HEIC 图片和 PDF 文件（按文件内容识别，与扩展名无关）"
                ),
                en: format!(
                    "file '{name}' is not an accepted kind: JPEG, PNG, WebP, HEIC images and PDF only (judged by content, not by name)"
                ),
            });
        }
        Ok(self
            .store
            .put_evidence(&who.actor(), dir, name, bytes)
            .await?)
    }

    /// The names of files kept from an earlier, refused attempt, by hash (a form that comes back
    /// names them; an unknown hash is left out).
    pub async fn kept_files(&self, shas: &[String]) -> Result<Vec<(String, String)>> {
        let known = self.store.evidence_by_sha(shas).await?;
        Ok(shas
            .iter()
            .filter_map(|h| known.get(h).map(|e| (h.clone(), e.original_name.clone())))
            .collect())
    }

    /// Refuses unless every file kept from an earlier, refused attempt is still there (a
    /// form that comes back names them by hash).
    pub async fn require_kept_evidence(&self, kept: &[String]) -> Result<()> {
        for sha in kept {
            if !is_sha256(sha) || self.store.get_evidence(sha).await?.is_none() {
                return Err(AppError::field(
                    "evidence",
                    "证明材料",
                    "找不到先前上传的文件，请重新上传",
                    "an earlier upload is missing, upload it again",
                ));
            }
        }
        Ok(())
    }

    /// The files behind the steps of a compound's path, by hash, for someone who may see the
    /// compound: their names and kinds for the timeline.
    pub async fn path_evidence(
        &self,
        who: &Principal,
        compound_id: CompoundId,
    ) -> Result<std::collections::HashMap<String, Evidence>> {
        self.compound_in_scope(who, compound_id).await?;
        Ok(self.store.compound_step_evidence(compound_id.get()).await?)
    }

    /// The names and kinds of files a record of a compound names (an assessment's photos …),
    /// for someone who may see the compound.
    pub async fn record_files(
        &self,
        who: &Principal,
        compound_id: CompoundId,
        shas: &[String],
    ) -> Result<std::collections::HashMap<String, Evidence>> {
        self.compound_in_scope(who, compound_id).await?;
        Ok(self.store.evidence_by_sha(shas).await?)
    }

    /// A file of a compound's records, for someone who may see the compound; a file no record
    /// of the compound names is refused (a link cannot be reused for another compound's file).
    pub async fn compound_evidence(
        &self,
        who: &Principal,
        compound_id: CompoundId,
        sha: &str,
    ) -> Result<Evidence> {
        if !is_sha256(sha) {
            return Err(not_found());
        }
        let e = self.store.get_evidence(sha).await?.ok_or_else(not_found)?;
        self.compound_in_scope(who, compound_id).await?;
        if self.compound_names_file(compound_id.get(), sha).await?
            || (crate::votes::reads_ballot_scans(who)
                && self
                    .store
                    .ballot_scan_of_compound(compound_id.get(), sha)
                    .await?)
        {
            Ok(e)
        } else {
            Err(AppError::forbidden(
                "该证明材料不属于您可查看的小区",
                "this evidence belongs to no compound you may see",
            ))
        }
    }

    /// A photo of a patrol's findings or of the answers to its orders, for someone who may see
    /// the patrol's compound.
    pub async fn patrol_evidence(
        &self,
        who: &Principal,
        patrol_id: PatrolId,
        sha: &str,
    ) -> Result<Evidence> {
        let p = self.patrol(who, patrol_id).await?;
        let mut linked = p
            .findings
            .iter()
            .any(|f| f.evidence.iter().any(|h| h == sha));
        if !linked {
            for oid in p.findings.iter().filter_map(|f| f.order_id) {
                if self
                    .store
                    .get_order(oid)
                    .await?
                    .evidence
                    .iter()
                    .any(|h| h == sha)
                {
                    linked = true;
                    break;
                }
            }
        }
        if !linked {
            return Err(not_found());
        }
        self.store.get_evidence(sha).await?.ok_or_else(not_found)
    }

    /// Whether a compound's records name this file (path steps, rectification orders,
    /// assessments, complaints).
    async fn compound_names_file(&self, compound_id: i64, sha: &str) -> Result<bool> {
        let named = |list: &[String]| list.iter().any(|h| h == sha);
        let lc = self.store.lifecycle(compound_id).await?;
        if lc.steps.iter().any(|s| named(&s.evidence)) {
            return Ok(true);
        }
        let orders = self
            .store
            .list_orders(&OrderFilter {
                compound_id: Some(compound_id),
                ..OrderFilter::default()
            })
            .await?;
        if orders.iter().any(|o| named(&o.evidence)) {
            return Ok(true);
        }
        let assessments = self
            .store
            .list_assessments(&AssessmentFilter {
                compound_id: Some(compound_id),
                ..AssessmentFilter::default()
            })
            .await?;
        if assessments.iter().any(|a| named(&a.evidence)) {
            return Ok(true);
        }
        let complaints = self
            .store
            .list_complaints(&ComplaintFilter {
                compound_id: Some(compound_id),
                ..ComplaintFilter::default()
            })
            .await?;
        for k in complaints {
            let files = self.store.complaint_evidence(k.id).await?;
            if files.iter().any(|(_, e)| e.sha256 == sha) {
                return Ok(true);
            }
        }
        self.store
            .referral_evidence_of_compound(compound_id, sha)
            .await
            .map_err(Into::into)
    }
}
