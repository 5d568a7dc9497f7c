//! Fuzzing that stays: the ledger reader and the fee sheet reader take any bytes without a
//! panic, and never list more than the capped problems. Inputs are arbitrary bytes, the
//! fixture files with bytes flipped, inserted and cut (so the ZIP, the XML and the BIFF records
//! are almost right, where parsers break), and CSV text made of awkward cells.
//!
//! `cargo test` runs each with proptest's default 256 cases; `.ci/fuzz` runs them at length
//! (`PROPTEST_CASES`, in release).

use anju_core::Lang;
use anju_sheets::{FileKind, LedgerError, ReadOptions, read_fee_sheet_bytes, read_ledger_bytes};
use proptest::prelude::*;

fn opts() -> ReadOptions {
    ReadOptions {
        current_year: 2026,
        lang: Lang::Zh,
    }
}

/// Reads `bytes` every way a user can hand them over; panics are the failure.
fn read_every_way(bytes: &[u8]) -> Result<(), TestCaseError> {
    for kind in [FileKind::Xlsx, FileKind::Xls, FileKind::Csv] {
        if let Err(LedgerError::Problems(p)) = read_ledger_bytes(bytes, kind, &opts()) {
            prop_assert!(p.len() <= anju_sheets::limits::PROBLEMS_LISTED + 1);
        }
        if let Err(LedgerError::Problems(p)) = read_fee_sheet_bytes(bytes, kind) {
            prop_assert!(p.len() <= anju_sheets::limits::PROBLEMS_LISTED + 1);
        }
    }
    Ok(())
}

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(path).expect("fixture")
}

/// One edit of a file: flip a byte, insert bytes, or cut a stretch.
#[derive(Debug, Clone)]
enum Edit {
    Flip(usize, u8),
    Insert(usize, Vec<u8>),
    Cut(usize, usize),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec(
        prop_oneof![
            (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Edit::Flip(at, b)),
            (any::<usize>(), prop::collection::vec(any::<u8>(), 1..16))
                .prop_map(|(at, b)| Edit::Insert(at, b)),
            (any::<usize>(), 1usize..64).prop_map(|(at, n)| Edit::Cut(at, n)),
        ],
        1..8,
    )
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let len = bytes.len().max(1);
        match e {
            Edit::Flip(at, b) => {
                if let Some(x) = bytes.get_mut(at % len) {
                    *x ^= b | 1;
                }
            }
            Edit::Insert(at, b) => {
                let at = at % (bytes.len() + 1);
                bytes.splice(at..at, b.iter().copied());
            }
            Edit::Cut(at, n) => {
                let at = at % len;
                let end = (at + n).min(bytes.len());
                if at < end {
                    bytes.drain(at..end);
                }
            }
        }
    }
    bytes
}

/// A cell a user might type, or one made to break a parser.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("幸福家园".to_string()),
        Just("大沁他拉街道".to_string()),
        Just("弃管".to_string()),
        Just("2026-01".to_string()),
        Just("12,345.67".to_string()),
        Just("-0".to_string()),
        Just("1e308".to_string()),
        Just("\"".to_string()),
        Just("=HYPERLINK(\"x\")".to_string()),
        "[\\PC\\t\\r\\n\"\u{0}\u{1}]{0,12}",
        any::<i64>().prop_map(|n| n.to_string()),
    ]
}

fn csv_text() -> impl Strategy<Value = String> {
    let header = prop_oneof![
        Just("小区名称,所属街道,物业管理方式,月份,应收,实收".to_string()),
        Just("小区名称\t所属街道\t物业管理方式".to_string()),
        Just(String::new()),
    ];
    (
        header,
        prop::collection::vec(prop::collection::vec(cell(), 0..8), 0..12),
    )
        .prop_map(|(h, rows)| {
            let mut s = h;
            for r in rows {
                s.push('\n');
                s.push_str(&r.join(","));
            }
            s
        })
}

/// A case fuzzing found (an edited `good.xls`): a DIMENSIONS record whose first row (24,832)
/// lies past its last (8), which calamine's u32 arithmetic wraps into 4 billion rows (4 TB
/// asked of the allocator: the process aborted) and the guard took for one row. Refused in
/// words now.
#[test]
fn an_xls_whose_dimensions_run_backwards_is_refused_not_a_crash() {
    let bytes = fixture("inverted_dimensions.xls");
    for kind in [FileKind::Xls, FileKind::Xlsx, FileKind::Csv] {
        assert!(read_ledger_bytes(&bytes, kind, &opts()).is_err());
        assert!(read_fee_sheet_bytes(&bytes, kind).is_err());
    }
}

proptest! {
    #[test]
    fn fuzz_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        read_every_way(&bytes)?;
    }

    #[test]
    fn fuzz_xlsx_edited(e in edits()) {
        read_every_way(&apply(fixture("good.xlsx"), &e))?;
    }

    #[test]
    fn fuzz_xls_edited(e in edits()) {
        read_every_way(&apply(fixture("good.xls"), &e))?;
    }

    #[test]
    fn fuzz_csv_edited(e in edits()) {
        read_every_way(&apply(fixture("good_gb18030.csv"), &e))?;
    }

    #[test]
    fn fuzz_csv_cells(text in csv_text()) {
        read_every_way(text.as_bytes())?;
    }
}
