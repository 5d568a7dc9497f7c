//! The calculator's result for people: a serialisable report (for `--format json`) and an
//! aligned text table (for `--format table`), both with every explanation line.

use crate::eval::Outcome;
use crate::explain;
use crate::policy::Policy;
use anju_core::{Fen, Lang};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub policy: String,
    pub policy_title: String,
    pub compound: Option<String>,
    pub eligible: bool,
    pub eligibility: Vec<String>,
    pub periods: Vec<PeriodReport>,
    /// Yuan with two decimals, e.g. "45360.00".
    pub total_payable: String,
    pub total_standard: String,
    pub total_entitlement: String,
    pub retained_total: String,
    pub released: String,
    /// payer id → yuan.
    pub by_payer: BTreeMap<String, String>,
    pub payers: Vec<PayerReport>,
    pub explanation: Vec<String>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PayerReport {
    pub id: String,
    pub name: String,
    pub weight: u64,
    pub amount: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PeriodReport {
    pub period: u32,
    pub start: String,
    /// The period's last day (inclusive).
    pub end: String,
    pub served_from: Option<String>,
    pub served_to: Option<String>,
    pub months: String,
    pub rate: String,
    pub grade: Option<String>,
    pub score: Option<String>,
    pub factor: String,
    pub standard: String,
    pub entitlement: String,
    pub payable_now: String,
    pub retained: String,
    pub released: String,
    /// payable_now + released: paid at this period's settlement.
    pub payable: String,
    pub by_payer: BTreeMap<String, String>,
    pub explanation: Vec<String>,
}

fn payer_map(policy: &Policy, parts: &[Fen]) -> BTreeMap<String, String> {
    policy
        .file
        .payers
        .iter()
        .zip(parts.iter())
        .map(|(p, f)| (p.id.clone(), f.plain()))
        .collect()
}

/// Builds the report, with every explanation line in `lang`.
pub fn report(policy: &Policy, name: Option<&str>, o: &Outcome, lang: Lang) -> Report {
    let periods = o
        .periods
        .iter()
        .map(|p| PeriodReport {
            period: p.index,
            start: p.start.to_string(),
            end: p.end.yesterday().unwrap_or(p.end).to_string(),
            served_from: p.served.map(|s| s.0.to_string()),
            served_to: p.served.map(|s| s.1.yesterday().unwrap_or(s.1).to_string()),
            months: explain::num(p.months),
            rate: explain::num(p.rate),
            grade: p.grade.map(|g| lang.pick(g.zh(), g.en()).to_string()),
            score: p.score.map(explain::num),
            factor: explain::num(p.factor),
            standard: p.standard.plain(),
            entitlement: p.entitlement.plain(),
            payable_now: p.payable_now.plain(),
            retained: p.retained.plain(),
            released: p.released.plain(),
            payable: p.payable.plain(),
            by_payer: payer_map(policy, &p.by_payer),
            explanation: explain::period_lines(policy, o, p, lang),
        })
        .collect();
    let retained_total = o.release.map(|r| r.retained_total).unwrap_or(Fen::ZERO);
    let released = o.release.map(|r| r.released).unwrap_or(Fen::ZERO);
    let notes = policy
        .file
        .notes
        .iter()
        .map(|n| lang.pick(&n.zh, &n.en).to_string())
        .collect();
    Report {
        policy: policy.file.id.clone(),
        policy_title: lang
            .pick(&policy.file.title, &policy.file.title_en)
            .to_string(),
        compound: name.map(str::to_string),
        eligible: o.eligible,
        eligibility: explain::eligibility_lines(policy, o, lang),
        periods,
        total_payable: o.total_payable.plain(),
        total_standard: o.total_standard.plain(),
        total_entitlement: o.total_entitlement.plain(),
        retained_total: retained_total.plain(),
        released: released.plain(),
        by_payer: payer_map(policy, &o.by_payer),
        payers: policy
            .file
            .payers
            .iter()
            .zip(o.by_payer.iter())
            .map(|(p, f)| PayerReport {
                id: p.id.clone(),
                name: lang.pick(&p.name, &p.name_en).to_string(),
                weight: p.weight,
                amount: f.plain(),
            })
            .collect(),
        explanation: explain::total_lines(policy, o, lang),
        notes,
    }
}

/// Display width in a terminal: CJK and full-width characters take two columns.
pub fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let u = c as u32;
            let wide = (0x1100..=0x115F).contains(&u)
                || (0x2E80..=0xA4CF).contains(&u)
                || (0xAC00..=0xD7A3).contains(&u)
                || (0xF900..=0xFAFF).contains(&u)
                || (0xFE30..=0xFE4F).contains(&u)
                || (0xFF00..=0xFF60).contains(&u)
                || (0xFFE0..=0xFFE6).contains(&u);
            if wide { 2 } else { 1 }
        })
        .sum()
}

fn pad_left(s: &str, w: usize) -> String {
    format!("{}{s}", " ".repeat(w.saturating_sub(width(s))))
}

fn pad_right(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}

/// Renders rows as aligned columns: the first `left` columns left-aligned, the rest right.
pub fn columns(rows: &[Vec<String>], left: usize) -> String {
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut w = vec![0usize; n];
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            w[i] = w[i].max(width(c));
        }
    }
    let mut out = String::new();
    for (ri, r) in rows.iter().enumerate() {
        let cells: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i < left {
                    pad_right(c, w[i])
                } else {
                    pad_left(c, w[i])
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
        if ri == 0 {
            let total: usize = w.iter().sum::<usize>() + 2 * n.saturating_sub(1);
            out.push_str(&"─".repeat(total));
            out.push('\n');
        }
    }
    out
}

/// The table an official reads: the eligibility, one row per period, the total, the split,
/// then every period's explanation.
pub fn render_table(policy: &Policy, name: Option<&str>, o: &Outcome, lang: Lang) -> String {
    let r = report(policy, name, o, lang);
    let mut s = String::new();
    let title = lang.pick(&policy.file.title, &policy.file.title_en);
    s.push_str(&format!("{}  [{}]\n", title, policy.file.id));
    if let Some(n) = name {
        s.push_str(&format!("{}{n}\n", lang.pick("小区：", "Compound: ")));
    }
    s.push('\n');
    s.push_str(lang.pick("补贴资格\n", "Eligibility\n"));
    if r.eligibility.is_empty() {
        s.push_str(lang.pick(
            "  （本政策未设资格条件）\n",
            "  (the policy sets no condition)\n",
        ));
    }
    for l in &r.eligibility {
        s.push_str(&format!("  {l}\n"));
    }
    s.push_str(&format!(
        "  → {}\n\n",
        if o.eligible {
            lang.pick("符合补贴条件", "eligible")
        } else {
            lang.pick("不符合补贴条件", "not eligible")
        }
    ));
    if o.eligible {
        let head: Vec<String> = if lang == Lang::Zh {
            [
                "期",
                "起",
                "止",
                "月数",
                "按标准(元)",
                "应得(元)",
                "本期支付(元)",
                "预留(元)",
                "释放(元)",
                "支付(元)",
            ]
        } else {
            [
                "period", "from", "to", "months", "standard", "entitled", "paid now", "retained",
                "released", "paid",
            ]
        }
        .iter()
        .map(|x| x.to_string())
        .collect();
        let mut rows = vec![head];
        for p in &o.periods {
            rows.push(vec![
                p.index.to_string(),
                p.start.to_string(),
                p.end.yesterday().unwrap_or(p.end).to_string(),
                explain::num(p.months),
                p.standard.grouped(),
                p.entitlement.grouped(),
                p.payable_now.grouped(),
                p.retained.grouped(),
                p.released.grouped(),
                p.payable.grouped(),
            ]);
        }
        let sum = |f: fn(&crate::eval::PeriodOutcome) -> Fen| {
            o.periods.iter().map(f).sum::<Fen>().grouped()
        };
        rows.push(vec![
            lang.pick("合计", "total").to_string(),
            String::new(),
            String::new(),
            explain::num(o.periods.iter().map(|p| p.months).sum()),
            sum(|p| p.standard),
            sum(|p| p.entitlement),
            sum(|p| p.payable_now),
            sum(|p| p.retained),
            sum(|p| p.released),
            sum(|p| p.payable),
        ]);
        s.push_str(&columns(&rows, 3));
        s.push('\n');
        let mut payer_rows = vec![vec![
            lang.pick("出资方", "payer").to_string(),
            lang.pick("比例", "share").to_string(),
            lang.pick("金额(元)", "amount (yuan)").to_string(),
        ]];
        let wsum: u64 = policy.weights.iter().sum();
        for p in &r.payers {
            let f = o.by_payer[r.payers.iter().position(|x| x.id == p.id).unwrap_or(0)];
            payer_rows.push(vec![
                p.name.clone(),
                format!("{}/{wsum}", p.weight),
                f.grouped(),
            ]);
        }
        s.push_str(&columns(&payer_rows, 1));
        s.push('\n');
    }
    s.push_str(&format!(
        "{}{}\n\n",
        lang.pick("合计支付：", "Total payable: "),
        match lang {
            Lang::Zh => format!("{} 元", o.total_payable.grouped()),
            Lang::En => format!("{} yuan", o.total_payable.grouped()),
        }
    ));
    if o.eligible {
        s.push_str(lang.pick("计算说明\n", "How each amount was computed\n"));
        for p in &r.periods {
            for (i, l) in p.explanation.iter().enumerate() {
                s.push_str(if i == 0 { "  " } else { "    " });
                s.push_str(l);
                s.push('\n');
            }
        }
        for l in &r.explanation {
            s.push_str(&format!("  {l}\n"));
        }
    }
    if !r.notes.is_empty() {
        s.push_str(lang.pick(
            "\n本政策文件对文本的解释\n",
            "\nReadings this policy file makes of the text\n",
        ));
        for n in &r.notes {
            s.push_str(&format!("  · {n}\n"));
        }
    }
    s
}
