//! What can go wrong with a ledger file, in words an official reads (Chinese, or English).

use crate::columns::COLUMNS;
use anju_core::Lang;
use std::fmt::Write as _;

/// One bad cell (or row) in the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The row number as Excel shows it (1-based).
    pub row: usize,
    /// The header as written in the file and the column letter, e.g. "建筑面积 (F)".
    pub column: Option<String>,
    /// The cell as read, e.g. "-120" (empty when the cell is empty).
    pub value: String,
    pub reason_zh: String,
    pub reason_en: String,
}

impl Problem {
    /// "第 7 行，建筑面积 (F)：'-120' 面积不能为负数" / "Row 7, 建筑面积 (F): '-120' …".
    pub fn render(&self, lang: Lang) -> String {
        let mut s = match lang {
            Lang::Zh => format!("第 {} 行", self.row),
            Lang::En => format!("Row {}", self.row),
        };
        if let Some(c) = &self.column {
            s.push_str(lang.pick("，", ", "));
            s.push_str(c);
        }
        s.push_str(lang.pick("：", ": "));
        if !self.value.is_empty() {
            let _ = write!(s, "'{}' ", self.value);
        }
        s.push_str(lang.pick(&self.reason_zh, &self.reason_en));
        s
    }
}

/// The problems of a file as it is read: the first [`crate::limits::PROBLEMS_LISTED`] kept, the
/// rest counted (a file of three million bad rows must not make three million messages).
#[derive(Debug, Default)]
pub(crate) struct ProblemList {
    listed: Vec<Problem>,
    /// Problems past the listed ones: the row of the first, and how many.
    unlisted: Option<(usize, usize)>,
}

impl ProblemList {
    pub(crate) fn push(&mut self, p: Problem) {
        if self.listed.len() < crate::limits::PROBLEMS_LISTED {
            self.listed.push(p);
        } else {
            self.unlisted.get_or_insert((p.row, 0)).1 += 1;
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.listed.is_empty()
    }

    /// The listed problems, then one line counting the rest.
    pub(crate) fn into_error(mut self) -> LedgerError {
        if let Some((row, n)) = self.unlisted {
            let all = self.listed.len() + n;
            self.listed.push(Problem {
                row,
                column: None,
                value: String::new(),
                reason_zh: format!(
                    "自此行起还有 {n} 处问题未列出（共 {all} 处）；请先改正以上问题，再导入查看其余问题"
                ),
                reason_en: format!(
                    "{n} more problems from this row on are not listed ({all} in all); fix the ones above and import again to see the rest"
                ),
            });
        }
        LedgerError::Problems(self.listed)
    }
}

/// Why a ledger could not be read or written. Nothing is imported when any of these occurs.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    /// Bad rows: every one found, in file order.
    #[error("表格有 {} 处问题，未导入任何数据", .0.len())]
    Problems(Vec<Problem>),
    /// A 0-byte file, an empty sheet, or a header with no data rows below it.
    #[error("文件是空的：没有找到任何小区数据")]
    Empty,
    /// A damaged file or one that is not a spreadsheet.
    #[error("无法读取文件：{reason}")]
    Unreadable { reason: String },
    /// Past one of the import's limits ([`crate::limits`]), found while reading, before the
    /// file is held in memory; `what` names the limit in Chinese and English.
    #[error("文件超过导入上限：{what_zh}")]
    TooLarge { what_zh: String, what_en: String },
    /// A password-protected workbook.
    #[error("文件已加密，请先取消密码保护再导入")]
    Encrypted,
    /// Required columns not found. `missing` holds canonical headers; `found` the headers the
    /// file has (of the row that looked most like a header row).
    #[error("缺少必需的列：{}", .missing.join("、"))]
    MissingColumns {
        missing: Vec<String>,
        found: Vec<String>,
    },
    /// The extension is not .xlsx, .xlsm, .xls, .csv, .tsv or .txt.
    #[error("不支持的文件格式：{0}")]
    UnknownFormat(String),
    /// The file could not be opened or saved.
    #[error("无法读写文件 {path}：{reason}")]
    Io { path: String, reason: String },
    /// The workbook could not be produced.
    #[error("无法生成表格：{reason}")]
    Write { reason: String },
    /// The caller of [`crate::read_ledger_chunks`] asked to stop before the end of the file.
    #[error("读取已中止")]
    Cancelled,
}

impl LedgerError {
    /// The full report an official reads, one problem a line.
    pub fn render(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            LedgerError::Problems(ps) => {
                let mut s = if zh {
                    format!(
                        "表格有 {} 处问题，未导入任何数据。请修改后重新导入：\n",
                        ps.len()
                    )
                } else {
                    format!(
                        "The sheet has {} problem{}; nothing was imported. Fix them and import again:\n",
                        ps.len(),
                        if ps.len() == 1 { "" } else { "s" }
                    )
                };
                for p in ps {
                    s.push_str(&p.render(lang));
                    s.push('\n');
                }
                s
            }
            LedgerError::Empty => lang
                .pick(
                    "文件是空的：没有找到任何小区数据行。\n",
                    "The file is empty: it has no compound rows.\n",
                )
                .to_string(),
            LedgerError::Unreadable { reason } => {
                if zh {
                    format!("无法读取文件，文件可能已损坏，或不是 Excel/CSV 表格（{reason}）。\n")
                } else {
                    format!(
                        "Cannot read the file: it may be damaged or not a spreadsheet ({reason}).\n"
                    )
                }
            }
            LedgerError::TooLarge { what_zh, what_en } => match lang {
                Lang::Zh => format!("文件超过导入上限：{what_zh}。请拆分后分批导入。\n"),
                Lang::En => format!(
                    "The file is past an import limit: {what_en}. Split it and import in parts.\n"
                ),
            },
            LedgerError::Encrypted => lang
                .pick(
                    "文件已加密，请先取消密码保护再导入。\n",
                    "The file is password-protected: remove the password and import again.\n",
                )
                .to_string(),
            LedgerError::MissingColumns { missing, found } => {
                let mut s = lang
                    .pick(
                        "表头不对：在前 10 行中没有找到以下必需的列。\n",
                        "Wrong headers: these required columns were not found in the first 10 rows.\n",
                    )
                    .to_string();
                for m in missing {
                    let spec = COLUMNS.iter().find(|c| c.header == m.as_str());
                    let variants: Vec<&str> = spec
                        .map(|c| {
                            std::iter::once(c.header)
                                .chain(c.variants.iter().copied())
                                .collect()
                        })
                        .unwrap_or_default();
                    if zh {
                        let _ = writeln!(s, "缺少“{m}”列（可用列名：{}）", variants.join("、"));
                    } else {
                        let en = spec.map(|c| c.en).unwrap_or_default();
                        let _ = writeln!(
                            s,
                            "Missing column “{m}” ({en}); accepted headers: {}",
                            variants.join(", ")
                        );
                    }
                }
                if found.is_empty() {
                    s.push_str(
                        lang.pick("文件中没有找到表头。\n", "The file has no header row.\n"),
                    );
                } else if zh {
                    let _ = writeln!(s, "文件中的列名：{}", found.join("、"));
                } else {
                    let _ = writeln!(s, "Headers in the file: {}", found.join(", "));
                }
                s
            }
            LedgerError::UnknownFormat(ext) => {
                if zh {
                    format!("不支持的文件格式“{ext}”：请使用 .xlsx、.xls 或 .csv 文件。\n")
                } else {
                    format!("Unsupported file format “{ext}”: use an .xlsx, .xls or .csv file.\n")
                }
            }
            LedgerError::Io { path, reason } => {
                if zh {
                    format!("无法读写文件 {path}：{reason}\n")
                } else {
                    format!("Cannot read or write {path}: {reason}\n")
                }
            }
            LedgerError::Write { reason } => {
                if zh {
                    format!("无法生成表格：{reason}\n")
                } else {
                    format!("Cannot produce the workbook: {reason}\n")
                }
            }
            LedgerError::Cancelled => lang
                .pick("读取已中止。\n", "Reading was stopped.\n")
                .to_string(),
        }
    }
}
