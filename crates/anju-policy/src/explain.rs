//! Explanation lines for every amount, in Chinese or English, written on demand from an
//! [`Outcome`] (the calculator stores numbers, never sentences).
//!
//! Each line shows its arithmetic with the actual figures and ends with its source, e.g.
//! `服务面积 5,000.00㎡ × 0.40 元/㎡/月 × 12 个月 = 24,000.00 元（聊城方案 三、财政补贴标准）`.

use crate::eval::{Check, Observed, Outcome, PeriodOutcome, ReqCheck, ReqValue};
use crate::input::Grade;
use crate::policy::{Basis, MAX_PAYERS, Policy, Select, TierHit};
use anju_core::money::group_decimal;
use anju_core::{Fen, Lang};
use rust_decimal::Decimal;

/// "0.4" → "0.40", "0.125" → "0.125": at least two decimals, never fewer than the value has.
pub fn rate_text(d: Decimal) -> String {
    let n = d.normalize();
    if n.scale() < 2 {
        group_decimal(n, 2)
    } else {
        group_decimal(n, n.scale())
    }
}

/// "0.8" → "80%", "0.125" → "12.5%".
pub fn pct(d: Decimal) -> String {
    format!("{}%", (d * Decimal::ONE_HUNDRED).normalize())
}

/// A plain number without trailing zeros: "12", "5.5".
pub fn num(d: Decimal) -> String {
    d.normalize().to_string()
}

/// An exact amount in yuan: two decimals, or all of them when it is finer than a fen.
pub fn yuan_exact(d: Decimal) -> String {
    let n = d.normalize();
    if n.scale() <= 2 {
        group_decimal(n, 2)
    } else {
        group_decimal(n, n.scale())
    }
}

fn yuan(f: Fen, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{} 元", f.grouped()),
        Lang::En => format!("{} yuan", f.grouped()),
    }
}

/// "（聊城方案 三、财政补贴标准）" / " (Liaocheng plan, 三、财政补贴标准)".
pub fn cite(policy: &Policy, clause: &str, lang: Lang) -> String {
    if clause.is_empty() {
        return String::new();
    }
    match lang {
        Lang::Zh => format!("（{} {}）", policy.file.short, clause),
        Lang::En => format!(" ({}, {})", policy.file.short_en, clause),
    }
}

fn tier_text(policy: &Policy, table: usize, hit: TierHit, lang: Lang) -> String {
    let Some(t) = policy.table_file(table) else {
        return String::new();
    };
    let tier = t.tiers.get(hit.tier);
    let text = tier
        .map(|x| lang.pick(&x.text, &x.text_en).to_string())
        .unwrap_or_default();
    match hit.resolution {
        None => text,
        Some(r) => {
            let at = t.resolve.get(r).map(|x| x.at.as_str()).unwrap_or("");
            match lang {
                Lang::Zh => format!("{text}；{at} 处文本有歧义，按本政策文件的解释归入此档"),
                Lang::En => {
                    format!("{text}; the text is unclear at {at}, settled by this policy file")
                }
            }
        }
    }
}

fn grade_name(g: Grade, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => g.zh(),
        Lang::En => g.en(),
    }
}

/// An observed share as a percentage with two decimals, "80.00 %", "86.25 %" — exact when it
/// has no more decimals than that, else cut (never rounded, so a value below a boundary never
/// prints as the boundary) after "约" / "≈": 0.799999 → "约79.99 %".
pub fn pct_observed(d: Decimal, lang: Lang) -> String {
    let p = (d * Decimal::ONE_HUNDRED).normalize();
    if p.scale() <= 2 {
        return format!("{p:.2} %");
    }
    let cut = p.trunc_with_scale(2);
    format!("{}{cut:.2} %", lang.pick("约", "≈"))
}

/// What a result input is called in a sentence ("物业费收缴率" for `collection_rate`).
pub fn input_label(key: &str, lang: Lang) -> &str {
    let (zh, en) = match key {
        "score" => ("考核得分", "assessment score"),
        "grade" => ("考核等级", "assessment grade"),
        "evaluation_passed" => ("考评结果", "evaluation result"),
        "third_party_passed" => ("第三方测评结果", "third-party evaluation result"),
        "satisfaction" => ("满意率", "satisfaction rate"),
        "collection_rate" => ("物业费收缴率", "fee collection rate"),
        other => (other, other),
    };
    lang.pick(zh, en)
}

fn req_value_text(v: ReqValue, lang: Lang) -> String {
    match v {
        ReqValue::Number(x) if x <= Decimal::ONE => pct_observed(x, lang),
        ReqValue::Number(x) => num(x),
        ReqValue::Grade(g) => grade_name(g, lang).to_string(),
        ReqValue::Bool(b) => lang
            .pick(if b { "是" } else { "否" }, if b { "yes" } else { "no" })
            .to_string(),
    }
}

fn mark(ok: bool) -> &'static str {
    if ok { "✓" } else { "✗" }
}

/// One line per eligibility condition.
pub fn eligibility_lines(policy: &Policy, outcome: &Outcome, lang: Lang) -> Vec<String> {
    outcome
        .checks
        .iter()
        .map(|c| eligibility_line(policy, c, lang))
        .collect()
}

fn eligibility_line(policy: &Policy, c: &Check, lang: Lang) -> String {
    let Some(cf) = policy.file.eligibility.get(c.condition) else {
        return String::new();
    };
    let text = lang.pick(&cf.text, &cf.text_en);
    let seen = match (c.observed, lang) {
        (Observed::Number(x), Lang::Zh) => format!("实为 {}", num(x)),
        (Observed::Number(x), Lang::En) => format!("actual {}", num(x)),
        (Observed::Bool(b), Lang::Zh) => (if b { "是" } else { "否" }).to_string(),
        (Observed::Bool(b), Lang::En) => (if b { "yes" } else { "no" }).to_string(),
        (Observed::Status(s), Lang::Zh) => format!("小区状态：{}", s.zh()),
        (Observed::Status(s), Lang::En) => format!("status: {}", s.en()),
        (
            Observed::Years {
                years,
                days,
                from,
                to,
                to_is_end: true,
            },
            Lang::Zh,
        ) => {
            let last = to.yesterday().unwrap_or(to);
            format!("{from} 至 {last}（含）共 {years} 年 {days} 天")
        }
        (
            Observed::Years {
                years,
                days,
                from,
                to,
                to_is_end: true,
            },
            Lang::En,
        ) => {
            let last = to.yesterday().unwrap_or(to);
            format!("{from} to {last} inclusive, {years} years {days} days")
        }
        (
            Observed::Years {
                years,
                days,
                from,
                to,
                to_is_end: false,
            },
            Lang::Zh,
        ) => {
            format!("{from} 到 {to} 为 {years} 年 {days} 天")
        }
        (
            Observed::Years {
                years,
                days,
                from,
                to,
                to_is_end: false,
            },
            Lang::En,
        ) => {
            format!("{from} to {to}: {years} years {days} days")
        }
        (Observed::YearsFromBuiltYear { built_year, to }, Lang::Zh) => {
            format!("{built_year} 年建成，到 {to} 无论哪一天竣工结论都相同")
        }
        (Observed::YearsFromBuiltYear { built_year, to }, Lang::En) => {
            format!("built in {built_year}; by {to} the answer is the same whatever the day")
        }
    };
    format!(
        "{} {text}：{seen}{}",
        mark(c.passed),
        cite(policy, &cf.clause, lang)
    )
    .replace("：", if lang == Lang::Zh { "：" } else { ": " })
}

fn months_text(p: &PeriodOutcome, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{} 个月", num(p.months)),
        Lang::En => format!("{} months", num(p.months)),
    }
}

/// The lines explaining one period, in order: dates and time served, grade, the standard
/// amount, the gate, what is paid now, retained, released, and the split.
pub fn period_lines(
    policy: &Policy,
    outcome: &Outcome,
    p: &PeriodOutcome,
    lang: Lang,
) -> Vec<String> {
    let f = &policy.file;
    let mut out = Vec::new();
    let last_day = p.end.yesterday().unwrap_or(p.end);
    let unit = policy.periods.unit;
    out.push(match lang {
        Lang::Zh => format!(
            "第 {} 期（{}）：{} 至 {}",
            p.index,
            unit.zh(),
            p.start,
            last_day
        ),
        Lang::En => format!(
            "Period {} ({}): {} to {}",
            p.index,
            unit.en(),
            p.start,
            last_day
        ),
    });
    let Some((s, e)) = p.served else {
        out.push(match lang {
            Lang::Zh => "本期无计入的服务时间（服务未开始、已终止，或在政策施行之前），金额为 0。".to_string(),
            Lang::En => "No service time counts in this period (not started, ended, or before the policy took effect): 0.".to_string(),
        });
        return out;
    };
    let e_last = e.yesterday().unwrap_or(e);
    // Time served.
    let whole_period = s == p.start && e == p.end;
    let time = if p.time.days == 0 {
        match lang {
            Lang::Zh => format!(
                "服务时间：{s} 至 {e_last}，{} 个整月{}",
                p.time.months,
                if whole_period { "（整期）" } else { "" }
            ),
            Lang::En => format!(
                "Service: {s} to {e_last}, {} whole months{}",
                p.time.months,
                if whole_period {
                    " (the whole period)"
                } else {
                    ""
                }
            ),
        }
    } else {
        let (tier, frac) = match (policy.part_month, p.part_hit) {
            (crate::policy::PartMonth::Table(ti), Some(hit)) => {
                (tier_text(policy, ti, hit, lang), p.part_fraction)
            }
            _ => (String::new(), p.part_fraction),
        };
        match lang {
            Lang::Zh => format!(
                "服务时间：{s} 至 {e_last}，{} 个整月 + {} 天（{}，按 {} 个月计）= {}{}",
                p.time.months,
                p.time.days,
                tier,
                num(frac),
                months_text(p, lang),
                cite(policy, &f.proration.clause, lang)
            ),
            Lang::En => format!(
                "Service: {s} to {e_last}, {} whole months + {} days ({}, counted as {} month) = {}{}",
                p.time.months,
                p.time.days,
                tier,
                num(frac),
                months_text(p, lang),
                cite(policy, &f.proration.clause, lang)
            ),
        }
    };
    out.push(time);
    // Grade.
    if let Some(g) = p.grade {
        let line = match (policy.gate.grade_table, p.grade_hit, p.score) {
            (Some(gt), Some(hit), Some(score)) => {
                let clause = policy
                    .table_file(gt)
                    .map(|t| t.clause.as_str())
                    .unwrap_or("");
                match lang {
                    Lang::Zh => format!(
                        "考核评分 {} 分 → {}（{}）{}",
                        num(score),
                        g.zh(),
                        tier_text(policy, gt, hit, lang),
                        cite(policy, clause, lang)
                    ),
                    Lang::En => format!(
                        "Score {} → {} ({}){}",
                        num(score),
                        g.en(),
                        tier_text(policy, gt, hit, lang),
                        cite(policy, clause, lang)
                    ),
                }
            }
            _ => match lang {
                Lang::Zh => format!("考核等次：{}", g.zh()),
                Lang::En => format!("Assessment grade: {}", g.en()),
            },
        };
        out.push(line);
    }
    // The standard amount.
    let pf = policy.param_file(policy.rate.param);
    let unit_zh = pf.map(|x| x.unit.as_str()).unwrap_or("");
    let unit_en = pf.map(|x| x.unit_en.as_str()).unwrap_or("");
    let rate_why = match (policy.rate.select, lang) {
        (Select::PeriodIndex, Lang::Zh) => format!("第 {} 期标准", p.index),
        (Select::PeriodIndex, Lang::En) => format!("rate for period {}", p.index),
        (Select::Grade, Lang::Zh) => format!("{}等次标准", p.grade.map(|g| g.zh()).unwrap_or("")),
        (Select::Grade, Lang::En) => {
            format!("rate for grade {}", p.grade.map(|g| g.en()).unwrap_or(""))
        }
        (Select::Value, Lang::Zh) => match p.rate_from.filter(|d| *d != jiff::civil::Date::MIN) {
            Some(d) => format!("{d} 起执行的标准"),
            None => "标准".to_string(),
        },
        (Select::Value, Lang::En) => match p.rate_from.filter(|d| *d != jiff::civil::Date::MIN) {
            Some(d) => format!("rate in force from {d}"),
            None => "rate".to_string(),
        },
    };
    let area_label = match lang {
        Lang::Zh => f.rate.area_label.clone().unwrap_or_else(|| "面积".into()),
        Lang::En => f
            .rate
            .area_label_en
            .clone()
            .unwrap_or_else(|| "area".into()),
    };
    let area = outcome
        .area_m2
        .map(|a| group_decimal(a, 2))
        .unwrap_or_default();
    let std_line = match policy.rate.basis {
        Basis::AreaRateMonths => match lang {
            Lang::Zh => format!(
                "按标准：{area_label} {area}㎡ × {} {unit_zh}（{rate_why}）× {} = {} 元{}",
                rate_text(p.rate),
                months_text(p, lang),
                yuan_exact(p.standard_exact),
                cite(policy, &f.rate.clause, lang)
            ),
            Lang::En => format!(
                "By the standard: {area_label} {area} m² × {} {unit_en} ({rate_why}) × {} = {} yuan{}",
                rate_text(p.rate),
                months_text(p, lang),
                yuan_exact(p.standard_exact),
                cite(policy, &f.rate.clause, lang)
            ),
        },
        Basis::FeeShare => {
            let fees = p.fees.unwrap_or_default();
            let fees_how = if p.fees_given {
                match lang {
                    Lang::Zh => format!(
                        "本期物业费总额 {} 元（results.fees_total{}）",
                        yuan_exact(fees),
                        match policy.reading("fees_total") {
                            Some("collected") => "；读法 fees_total = collected，按实收",
                            Some(_) => "；读法 fees_total = billed，按应收",
                            None => "",
                        }
                    ),
                    Lang::En => format!(
                        "the period's property fees {} yuan (results.fees_total{})",
                        yuan_exact(fees),
                        match policy.reading("fees_total") {
                            Some("collected") => "; reading fees_total = collected",
                            Some(_) => "; reading fees_total = billed",
                            None => "",
                        }
                    ),
                }
            } else {
                let fee = rate_text(outcome.fee_per_m2_month.unwrap_or_default());
                match lang {
                    Lang::Zh => format!(
                        "物业费 {area_label} {area}㎡ × {fee} 元/㎡/月 × {} = {} 元",
                        months_text(p, lang),
                        yuan_exact(fees)
                    ),
                    Lang::En => format!(
                        "property fees: {area_label} {area} m² × {fee} yuan/m²/month × {} = {} yuan",
                        months_text(p, lang),
                        yuan_exact(fees)
                    ),
                }
            };
            match lang {
                Lang::Zh => format!(
                    "按标准：{fees_how}；× {} = {} 元{}",
                    pct(p.rate),
                    yuan_exact(p.standard_exact),
                    cite(policy, &f.rate.clause, lang)
                ),
                Lang::En => format!(
                    "By the standard: {fees_how}; × {} = {} yuan{}",
                    pct(p.rate),
                    yuan_exact(p.standard_exact),
                    cite(policy, &f.rate.clause, lang)
                ),
            }
        }
        Basis::Amount => match lang {
            Lang::Zh => format!(
                "按标准：{} 元/期 × {} / {} = {} 元{}",
                rate_text(p.rate),
                months_text(p, lang),
                unit.months(),
                yuan_exact(p.standard_exact),
                cite(policy, &f.rate.clause, lang)
            ),
            Lang::En => format!(
                "By the standard: {} yuan per period × {} / {} = {} yuan{}",
                rate_text(p.rate),
                months_text(p, lang),
                unit.months(),
                yuan_exact(p.standard_exact),
                cite(policy, &f.rate.clause, lang)
            ),
        },
    };
    out.push(std_line);
    // The gate.
    let gate_clause = f.gate.as_ref().map(|g| g.clause.as_str()).unwrap_or("");
    if let Some(g) = &f.gate {
        for (i, rf) in g.require.iter().enumerate() {
            if let Some(Some(ReqCheck { passed, observed })) = p.reqs.get(i) {
                out.push(match lang {
                    Lang::Zh => format!(
                        "{} 条件「{}」：实为 {}{}",
                        mark(*passed),
                        rf.text,
                        req_value_text(*observed, lang),
                        cite(policy, gate_clause, lang)
                    ),
                    Lang::En => format!(
                        "{} condition '{}': actual {}{}",
                        mark(*passed),
                        rf.text_en,
                        req_value_text(*observed, lang),
                        cite(policy, gate_clause, lang)
                    ),
                });
            }
        }
    }
    if !p.gate_passed {
        out.push(match lang {
            Lang::Zh => format!(
                "考核条件未满足，本期不予补贴：应得 {}{}",
                yuan(Fen::ZERO, lang),
                cite(policy, gate_clause, lang)
            ),
            Lang::En => format!(
                "The assessment conditions are not met: nothing is due for this period{}",
                cite(policy, gate_clause, lang)
            ),
        });
    } else {
        let share = policy
            .retention
            .as_ref()
            .map(|r| r.share)
            .unwrap_or(Decimal::ZERO);
        let base = Decimal::ONE - share;
        let ret_clause = f
            .retention
            .as_ref()
            .map(|r| r.clause.as_str())
            .unwrap_or("");
        let standard_txt = yuan_exact(p.standard_exact);
        let line = match (policy.gate.factor_table, p.factor_hit, p.score) {
            (Some(ft), Some(hit), Some(score)) => match lang {
                Lang::Zh => format!(
                    "本期支付：{standard_txt} 元 × {}（基础补助）× {}（考核评分 {} 分，{}）= {}{}",
                    pct(base),
                    pct(p.factor),
                    num(score),
                    tier_text(policy, ft, hit, lang),
                    yuan(p.payable_now, lang),
                    cite(
                        policy,
                        policy
                            .table_file(ft)
                            .map(|t| t.clause.as_str())
                            .unwrap_or(""),
                        lang
                    )
                ),
                Lang::En => format!(
                    "Paid now: {standard_txt} yuan × {} (base) × {} (score {}, {}) = {}{}",
                    pct(base),
                    pct(p.factor),
                    num(score),
                    tier_text(policy, ft, hit, lang),
                    yuan(p.payable_now, lang),
                    cite(
                        policy,
                        policy
                            .table_file(ft)
                            .map(|t| t.clause.as_str())
                            .unwrap_or(""),
                        lang
                    )
                ),
            },
            _ if share > Decimal::ZERO => match lang {
                Lang::Zh => format!(
                    "本期支付：{standard_txt} 元 × {} = {}{}",
                    pct(base),
                    yuan(p.payable_now, lang),
                    cite(policy, ret_clause, lang)
                ),
                Lang::En => format!(
                    "Paid now: {standard_txt} yuan × {} = {}{}",
                    pct(base),
                    yuan(p.payable_now, lang),
                    cite(policy, ret_clause, lang)
                ),
            },
            _ => match lang {
                Lang::Zh => format!(
                    "本期支付：{}（按标准金额四舍五入到分）",
                    yuan(p.payable_now, lang)
                ),
                Lang::En => format!(
                    "Paid now: {} (the standard amount, rounded half-up to the fen)",
                    yuan(p.payable_now, lang)
                ),
            },
        };
        out.push(line);
        if share > Decimal::ZERO {
            out.push(match lang {
                Lang::Zh => format!("预留：{standard_txt} 元 × {} = {}，待补助期满视条件支付{}", pct(share), yuan(p.retained, lang), cite(policy, ret_clause, lang)),
                Lang::En => format!("Retained: {standard_txt} yuan × {} = {}, paid at the end of the term if the condition is met{}", pct(share), yuan(p.retained, lang), cite(policy, ret_clause, lang)),
            });
        }
        if p.entitlement != p.standard {
            out.push(match lang {
                Lang::Zh => format!("应得：本期支付 {} + 预留 {} = {}（按标准 {}，因考核少得 {}）", p.payable_now.grouped(), p.retained.grouped(), yuan(p.entitlement, lang), p.standard.grouped(), (p.standard - p.entitlement).grouped()),
                Lang::En => format!("Entitlement: paid now {} + retained {} = {} (standard {}, {} less because of the assessment)", p.payable_now.grouped(), p.retained.grouped(), yuan(p.entitlement, lang), p.standard.grouped(), (p.standard - p.entitlement).grouped()),
            });
        }
    }
    if let Some(r) = outcome.release.filter(|r| r.period == p.index) {
        out.extend(release_lines(policy, &r, lang));
    }
    out.push(split_line(policy, p.payable, &p.by_payer, lang, true));
    out
}

fn release_lines(policy: &Policy, r: &crate::eval::ReleaseOutcome, lang: Lang) -> Vec<String> {
    let Some(rf) = &policy.file.retention else {
        return Vec::new();
    };
    let c = cite(policy, &rf.clause, lang);
    let subject = release_subject(policy, r, lang);
    let rounding = release_rounding(r, lang);
    vec![if r.check.passed {
        match lang {
            Lang::Zh => format!(
                "✓ 释放预留：{subject}，满足「{}」→ 支付预留合计 {}{rounding}{c}",
                rf.condition.text,
                yuan(r.released, lang),
            ),
            Lang::En => format!(
                "✓ Retention released: {subject}, meets '{}' → the retained {} is paid{rounding}{c}",
                rf.condition.text_en,
                yuan(r.released, lang),
            ),
        }
    } else {
        match lang {
            Lang::Zh => format!(
                "✗ 预留不再支付：{subject}，未满足「{}」→ 预留合计 {} 不予支付{rounding}{c}",
                rf.condition.text,
                yuan(r.retained_total, lang),
            ),
            Lang::En => format!(
                "✗ Retention withheld: {subject}, does not meet '{}' → the retained {} is not paid{rounding}{c}",
                rf.condition.text_en,
                yuan(r.retained_total, lang),
            ),
        }
    }]
}

/// What the retention's release was judged on: "第 3 期 物业费收缴率 为 85.00 %", or the whole
/// term's rate with the reading that says so (`retention_basis = whole_term`).
pub fn release_subject(policy: &Policy, r: &crate::eval::ReleaseOutcome, lang: Lang) -> String {
    let input = policy
        .file
        .retention
        .as_ref()
        .map_or("", |rf| rf.condition.input.as_str());
    let label = input_label(input, lang);
    let seen = req_value_text(r.check.observed, lang);
    match (r.whole_term, lang) {
        (None, Lang::Zh) => format!("第 {} 期 {label} 为 {seen}", r.period),
        (None, Lang::En) => format!("period {} {label} is {seen}", r.period),
        (Some(w), Lang::Zh) => format!(
            "整个补助期限 {label} 为 {seen}（读法 retention_basis = whole_term：各期收缴率按计入月数加权，共 {} 个月{}）",
            w.months.normalize(),
            if w.carried_months.is_zero() {
                String::new()
            } else {
                format!("，其中以前各次结算 {} 个月", w.carried_months.normalize())
            }
        ),
        (Some(w), Lang::En) => format!(
            "the whole term's {label} is {seen} (reading retention_basis = whole_term: each period's rate weighed by its months counted, {} months{})",
            w.months.normalize(),
            if w.carried_months.is_zero() {
                String::new()
            } else {
                format!(", {} of them settled earlier", w.carried_months.normalize())
            }
        ),
    }
}

/// "（读法 retention_rounding = at_release：…）" when the retention is rounded once at release.
pub fn release_rounding(r: &crate::eval::ReleaseOutcome, lang: Lang) -> String {
    match (r.exact, lang) {
        (None, _) => String::new(),
        (Some(x), Lang::Zh) => format!(
            "（读法 retention_rounding = at_release：各期预留精确值合计 {} 元，释放时一次舍入到分）",
            x.normalize()
        ),
        (Some(x), Lang::En) => format!(
            " (reading retention_rounding = at_release: the exact retentions sum to {} yuan, rounded once to the fen at release)",
            x.normalize()
        ),
    }
}

/// "出资：开发区财政 1/1 45,360.00 元" — who pays what.
pub fn split_line(
    policy: &Policy,
    total: Fen,
    parts: &[Fen; MAX_PAYERS],
    lang: Lang,
    period: bool,
) -> String {
    let sum: u64 = policy.weights.iter().sum();
    let items: Vec<String> = policy
        .file
        .payers
        .iter()
        .zip(parts.iter())
        .map(|(p, f)| {
            let name = lang.pick(&p.name, &p.name_en);
            format!("{name} {}/{sum} {}", p.weight, yuan(*f, lang))
        })
        .collect();
    let clause = policy
        .file
        .payers
        .first()
        .map(|p| p.clause.as_str())
        .unwrap_or("");
    let head = match (lang, period) {
        (Lang::Zh, true) => format!("本期支付 {}，出资", yuan(total, lang)),
        (Lang::Zh, false) => format!("合计支付 {}，出资", yuan(total, lang)),
        (Lang::En, true) => format!("Paid at this settlement {}, paid by", yuan(total, lang)),
        (Lang::En, false) => format!("Total paid {}, paid by", yuan(total, lang)),
    };
    let sep = lang.pick("；", "; ");
    let colon = lang.pick("：", ": ");
    format!(
        "{head}{colon}{}{}",
        items.join(sep),
        cite(policy, clause, lang)
    )
}

/// The summary lines: total and its split.
pub fn total_lines(policy: &Policy, outcome: &Outcome, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    let parts: Vec<String> = outcome
        .periods
        .iter()
        .filter(|p| p.payable != Fen::ZERO)
        .map(|p| p.payable.grouped())
        .collect();
    if !outcome.eligible {
        out.push(match lang {
            Lang::Zh => "不符合补贴条件，合计支付 0.00 元。".to_string(),
            Lang::En => "Not eligible: total paid 0.00 yuan.".to_string(),
        });
        return out;
    }
    out.push(match lang {
        Lang::Zh => format!(
            "合计支付：{} = {}",
            if parts.is_empty() {
                "0.00".into()
            } else {
                parts.join(" + ")
            },
            yuan(outcome.total_payable, lang)
        ),
        Lang::En => format!(
            "Total paid: {} = {}",
            if parts.is_empty() {
                "0.00".into()
            } else {
                parts.join(" + ")
            },
            yuan(outcome.total_payable, lang)
        ),
    });
    out.push(split_line(
        policy,
        outcome.total_payable,
        &outcome.by_payer,
        lang,
        false,
    ));
    out
}

fn quote_line(quote: &str, clause: &str, lang: Lang) -> String {
    if quote.is_empty() {
        return format!("    【{clause}】");
    }
    match lang {
        Lang::Zh => format!("    【{clause}】原文：“{quote}”"),
        Lang::En => format!("    [{clause}] the text: “{quote}”"),
    }
}

fn section(s: &mut String, n: usize, zh: &str, en: &str, lang: Lang) {
    const NUM: [&str; 12] = [
        "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二",
    ];
    match lang {
        Lang::Zh => s.push_str(&format!("\n{}、{zh}\n", NUM.get(n).copied().unwrap_or("·"))),
        Lang::En => s.push_str(&format!("\n{}. {en}\n", n + 1)),
    }
}

fn describe_table(policy: &Policy, name: &str, lang: Lang) -> Vec<String> {
    let Some(ti) = policy.table_index(name) else {
        return Vec::new();
    };
    let (Some(tf), t) = (policy.table_file(ti), &policy.tables[ti]) else {
        return Vec::new();
    };
    let mut v = Vec::new();
    v.push(match lang {
        Lang::Zh => format!("  {}（{}，取值范围 {}）：", tf.label, tf.unit, tf.domain),
        Lang::En => format!("  {} ({}, domain {}):", tf.label_en, tf.unit_en, tf.domain),
    });
    for (i, tier) in tf.tiers.iter().enumerate() {
        let out = match (t.output, &t.tiers[i]) {
            (crate::policy::TableOutput::Grade, x) => x
                .grade
                .map(|g| grade_name(g, lang).to_string())
                .unwrap_or_default(),
            (crate::policy::TableOutput::Factor, x) => x.value.map(pct).unwrap_or_default(),
            (crate::policy::TableOutput::Months, x) => match lang {
                Lang::Zh => format!("按 {} 个月计", x.value.map(num).unwrap_or_default()),
                Lang::En => format!("counts as {} month", x.value.map(num).unwrap_or_default()),
            },
        };
        v.push(format!(
            "    · {} {} → {out}",
            lang.pick(&tier.text, &tier.text_en),
            t.tiers[i].range
        ));
    }
    for r in &tf.resolve {
        v.push(match lang {
            Lang::Zh => format!(
                "    · 文本有歧义之处 {} → 归入「{}」：{}",
                r.at, r.tier, r.reason
            ),
            Lang::En => format!(
                "    · where the text is unclear, {} → '{}': {}",
                r.at, r.tier, r.reason_en
            ),
        });
    }
    v.push(quote_line(&tf.quote, &tf.clause, lang));
    v
}

fn param_value_text(policy: &Policy, name: &str, lang: Lang) -> Vec<String> {
    let Some(pi) = policy.param_index(name) else {
        return Vec::new();
    };
    let p = &policy.params[pi];
    let Some(pf) = policy.param_file(pi) else {
        return Vec::new();
    };
    let unit = lang.pick(&pf.unit, &pf.unit_en);
    if p.values.is_empty() {
        return vec![match lang {
            Lang::Zh => format!(
                "  {}：尚无取值 —— {}",
                pf.label,
                pf.unset.clone().unwrap_or_default()
            ),
            Lang::En => format!(
                "  {}: no value yet — {}",
                pf.label_en,
                pf.unset_en.clone().unwrap_or_default()
            ),
        }];
    }
    p.values
        .iter()
        .map(|(from, v)| {
            let val = match v {
                crate::policy::ParamValue::Value(x)
                    if !unit.contains('元') && !unit.contains("yuan") =>
                {
                    format!("{} {unit}", num(*x))
                }
                crate::policy::ParamValue::Value(x) => format!("{} {unit}", rate_text(*x)),
                crate::policy::ParamValue::ByIndex(list) => list
                    .iter()
                    .enumerate()
                    .map(|(i, x)| match lang {
                        Lang::Zh => format!("第 {} 期 {} {unit}", i + 1, rate_text(*x)),
                        Lang::En => format!("period {}: {} {unit}", i + 1, rate_text(*x)),
                    })
                    .collect::<Vec<_>>()
                    .join(lang.pick("，", ", ")),
                crate::policy::ParamValue::ByGrade(list) => list
                    .iter()
                    .map(|(g, x)| format!("{} {} {unit}", grade_name(*g, lang), rate_text(*x)))
                    .collect::<Vec<_>>()
                    .join(lang.pick("，", ", ")),
            };
            let dated = *from != jiff::civil::Date::MIN;
            match (lang, dated) {
                (Lang::Zh, true) => format!("  {}：自 {from} 起 {val}", pf.label),
                (Lang::Zh, false) => format!("  {}：{val}", pf.label),
                (Lang::En, true) => format!("  {}: from {from}, {val}", pf.label_en),
                (Lang::En, false) => format!("  {}: {val}", pf.label_en),
            }
        })
        .collect()
}

/// The policy's rules in plain words (`anju policy show`).
pub fn describe(policy: &Policy, lang: Lang) -> String {
    let f = &policy.file;
    let mut s = String::new();
    let zh = lang == Lang::Zh;
    s.push_str(&format!(
        "{}  [{}]\n",
        lang.pick(&f.title, &f.title_en),
        f.id
    ));
    let status = match (f.status.as_str(), zh) {
        ("in_force", true) => "施行",
        ("draft", true) => "征求意见稿（草案）",
        ("proposal", true) => "街道建议（未经批准）",
        ("in_force", false) => "in force",
        ("draft", false) => "draft",
        (_, false) => "proposal (not adopted)",
        _ => "",
    };
    if zh {
        s.push_str(&format!("辖区：{}；状态：{status}；", f.jurisdiction));
        if let Some(d) = f.issued {
            s.push_str(&format!("印发：{}；", d.0));
        }
        match f.effective_from {
            Some(d) => s.push_str(&format!("施行：{} 起", d.0)),
            None => s.push_str("施行：文本未注明日期"),
        }
        if let Some(d) = f.effective_to {
            s.push_str(&format!(" 至 {}", d.0));
        }
        s.push_str(&format!(
            "\n依据：{}（{}；seed {}，{}）\n",
            f.source.document, f.source.issuer, f.source.seed, f.source.file
        ));
    } else {
        s.push_str(&format!(
            "Jurisdiction: {}; status: {status}; ",
            f.jurisdiction_en
        ));
        if let Some(d) = f.issued {
            s.push_str(&format!("issued {}; ", d.0));
        }
        match f.effective_from {
            Some(d) => s.push_str(&format!("in force from {}", d.0)),
            None => s.push_str("in force from: the text gives no date"),
        }
        if let Some(d) = f.effective_to {
            s.push_str(&format!(" to {}", d.0));
        }
        s.push_str(&format!(
            "\nSource: {} ({}; seed {}, {})\n",
            f.source.document, f.source.issuer, f.source.seed, f.source.file
        ));
    }
    let mut n = 0;
    section(&mut s, n, "补贴资格", "Who qualifies", lang);
    n += 1;
    if f.eligibility.is_empty() {
        s.push_str(lang.pick(
            "  本政策未设资格条件。\n",
            "  The policy sets no condition.\n",
        ));
    }
    for (i, c) in f.eligibility.iter().enumerate() {
        let formal = match policy.conditions.get(i) {
            Some(crate::policy::Condition::Range { range, .. }) => format!("{} ∈ {range}", c.input),
            Some(crate::policy::Condition::IsTrue(fact)) => format!("{} = true", fact.key()),
            Some(crate::policy::Condition::Status(list)) => {
                let names: Vec<&str> = list
                    .iter()
                    .map(|x| if zh { x.zh() } else { x.en() })
                    .collect();
                format!("{} ∈ {{{}}}", c.input, names.join(", "))
            }
            Some(crate::policy::Condition::YearsBetween { from, to, range }) => match lang {
                Lang::Zh => format!("{} 至 {} 的年数 ∈ {range}", from.key(), to.key()),
                Lang::En => format!("years from {} to {} ∈ {range}", from.key(), to.key()),
            },
            None => String::new(),
        };
        s.push_str(&format!(
            "  {}. {}（{formal}）\n",
            i + 1,
            lang.pick(&c.text, &c.text_en)
        ));
        s.push_str(&quote_line(&c.quote, &c.clause, lang));
        s.push('\n');
    }
    section(&mut s, n, "补贴期间", "Periods", lang);
    n += 1;
    let p = &policy.periods;
    let from = match (p.from, zh) {
        (crate::policy::From::Signed, true) => "签订物业服务合同之日",
        (crate::policy::From::Entry, true) => "物业服务企业正式进场之日",
        (crate::policy::From::Signed, false) => "the day the service contract is signed",
        (crate::policy::From::Entry, false) => "the day of formal entry",
    };
    let anchor = match (p.anchor, zh) {
        (crate::policy::Anchor::Start, true) => {
            format!("每{}为一期，从起算日起连续计算", p.unit.zh())
        }
        (crate::policy::Anchor::Calendar, true) => format!("按自然{}分期", p.unit.zh()),
        (crate::policy::Anchor::Start, false) => {
            format!("each {} from the start day is a period", p.unit.en())
        }
        (crate::policy::Anchor::Calendar, false) => format!("calendar {}s", p.unit.en()),
    };
    let count = match (p.count, zh) {
        (Some(c), true) => format!("共 {c} 期"),
        (None, true) => "直至合同期满".to_string(),
        (Some(c), false) => format!("{c} periods"),
        (None, false) => "until the contract ends".to_string(),
    };
    s.push_str(&format!(
        "  {}{from}{}；{anchor}；{count}。\n",
        lang.pick("自", "Counted from "),
        lang.pick("起算", "")
    ));
    s.push_str(&quote_line(&f.periods.quote, &f.periods.clause, lang));
    s.push('\n');
    s.push_str(lang.pick(
        "  日期规则：n 个月后 = 起算日加 n 个月，遇月末取该月最后一天（1月31日 + 1个月 = 2月28/29日），始终从起算日推算。\n",
        "  Date rule: n months after a day keeps its day of the month, or the month's last day when shorter (31 Jan + 1 month = 28/29 Feb), always counted from the start day.\n",
    ));
    section(&mut s, n, "补贴标准", "The rate", lang);
    n += 1;
    let area = match lang {
        Lang::Zh => f.rate.area_label.clone().unwrap_or_else(|| "面积".into()),
        Lang::En => f
            .rate
            .area_label_en
            .clone()
            .unwrap_or_else(|| "area".into()),
    };
    let formula = match (policy.rate.basis, zh) {
        (Basis::AreaRateMonths, true) => format!("  金额 = {area} × 补贴标准 × 服务月数"),
        (Basis::AreaRateMonths, false) => format!("  amount = {area} × rate × months served"),
        (Basis::FeeShare, true) => "  金额 = 本期物业费总额 × 比例（物业费总额 = 面积 × 收费标准 × 月数，或情景中给出的 fees_total）".to_string(),
        (Basis::FeeShare, false) => "  amount = the period's property fees × share (fees = area × fee × months, or fees_total from the scenario)".to_string(),
        (Basis::Amount, true) => "  金额 = 每期奖补数额 × 服务月数 / 每期月数".to_string(),
        (Basis::Amount, false) => "  amount = the reward per period × months served / months per period".to_string(),
    };
    s.push_str(&formula);
    s.push('\n');
    for l in param_value_text(policy, &f.rate.parameter, lang) {
        s.push_str(&l);
        s.push('\n');
    }
    s.push_str(&quote_line(&f.rate.quote, &f.rate.clause, lang));
    s.push('\n');
    section(
        &mut s,
        n,
        "不足一个月的服务",
        "Service shorter than a month",
        lang,
    );
    n += 1;
    s.push_str(lang.pick(
        "  服务时间按整月计（满月据实），剩余天数：\n",
        "  Service counts in whole months; the days left over:\n",
    ));
    match (&policy.part_month, &f.proration.table) {
        (crate::policy::PartMonth::Table(_), Some(t)) => {
            for l in describe_table(policy, t, lang) {
                s.push_str(&l);
                s.push('\n');
            }
        }
        _ => {
            let why = match lang {
                Lang::Zh => f.proration.reason.clone().unwrap_or_default(),
                Lang::En => f.proration.reason_en.clone().unwrap_or_default(),
            };
            s.push_str(&format!(
                "  {}{why}\n",
                lang.pick(
                    "文本未规定，遇到时拒绝计算：",
                    "the text is silent; the calculator refuses: "
                )
            ));
            s.push_str(&quote_line(&f.proration.quote, &f.proration.clause, lang));
            s.push('\n');
        }
    }
    if let Some(g) = &f.gate {
        section(&mut s, n, "考核", "The assessment gate", lang);
        n += 1;
        for t in [&g.grade_table, &g.factor_table].into_iter().flatten() {
            for l in describe_table(policy, t, lang) {
                s.push_str(&l);
                s.push('\n');
            }
        }
        for r in &g.require {
            s.push_str(&format!(
                "  {}{}\n",
                lang.pick("须满足：", "required: "),
                lang.pick(&r.text, &r.text_en)
            ));
        }
        s.push_str(&quote_line(&g.quote, &g.clause, lang));
        s.push('\n');
    }
    if let Some(r) = &f.retention {
        section(&mut s, n, "预留", "Retention", lang);
        n += 1;
        s.push_str(&match lang {
            Lang::Zh => format!("  每期金额的 {} 预留，补助期满后按最后一期的 {} 结算：{}则支付全部预留，否则不再支付。\n", pct(r.share.0), input_label(&r.condition.input, Lang::Zh), r.condition.text),
            Lang::En => format!("  {} of each period is held back and settled on the last period's {}: paid in full if {}, otherwise not paid.\n", pct(r.share.0), input_label(&r.condition.input, Lang::En), r.condition.text_en),
        });
        s.push_str(&quote_line(&r.quote, &r.clause, lang));
        s.push('\n');
    }
    section(&mut s, n, "出资", "Who pays", lang);
    n += 1;
    let wsum: u64 = policy.weights.iter().sum();
    for p in &f.payers {
        s.push_str(&format!(
            "  {} {}/{wsum}\n",
            lang.pick(&p.name, &p.name_en),
            p.weight
        ));
        s.push_str(&quote_line(&p.quote, &p.clause, lang));
        s.push('\n');
    }
    if !f.readings.is_empty() {
        section(&mut s, n, "读法开关", "Readings (switches)", lang);
        n += 1;
        for r in &f.readings {
            let pending = r.status == "pending";
            s.push_str(&format!(
                "  {} = {}（{}{}{}）：{}\n",
                r.id,
                r.value,
                lang.pick("可选：", "choices: "),
                r.choices.join(" | "),
                if pending {
                    lang.pick("；待确认", "; awaiting confirmation")
                } else {
                    ""
                },
                lang.pick(&r.zh, &r.en)
            ));
            s.push_str(&quote_line(&r.quote, &r.clause, lang));
            s.push('\n');
        }
    }
    section(
        &mut s,
        n,
        "审批与拨付",
        "Who reviews, approves and pays",
        lang,
    );
    n += 1;
    s.push_str(&format!(
        "  {}",
        lang.pick("企业申报", "the company applies")
    ));
    for st in &policy.chain.steps {
        s.push_str(&format!(
            " → {}{}",
            lang.pick(&st.by_zh, &st.by_en),
            match lang {
                Lang::Zh => st.action.label(lang).to_string(),
                Lang::En => format!(" ({})", st.action.label(lang)),
            }
        ));
    }
    s.push('\n');
    if policy.chain.named {
        for a in &f.approval {
            s.push_str(&quote_line(&a.quote, &a.clause, lang));
            s.push('\n');
        }
    } else {
        s.push_str(lang.pick(
            "    （文本未规定审批流程：按安居默认流程，可在政策文件的 [[approval]] 中写明）\n",
            "    (the text names no chain: Anju's standard one; a file states its own in [[approval]])\n",
        ));
    }
    section(&mut s, n, "舍入", "Rounding", lang);
    n += 1;
    s.push_str(lang.pick(
        "  每笔支付和预留的金额四舍五入到分，只舍入一次；计算过程保留全部小数。\n",
        "  Each amount paid or held back is rounded half-up to the fen, once; the working keeps every decimal.\n",
    ));
    s.push_str(&format!("    【{}】\n", f.rounding.clause));
    let other: Vec<&String> = f
        .parameters
        .keys()
        .filter(|k| **k != f.rate.parameter)
        .collect();
    if !other.is_empty() {
        section(&mut s, n, "其他参数", "Other parameters", lang);
        n += 1;
        for k in other {
            for l in param_value_text(policy, k, lang) {
                s.push_str(&l);
                s.push('\n');
            }
        }
    }
    if !f.notes.is_empty() {
        section(
            &mut s,
            n,
            "本政策文件对文本的解释",
            "Readings this file makes of the text",
            lang,
        );
        for note in &f.notes {
            s.push_str(&format!("  · {}\n", lang.pick(&note.zh, &note.en)));
            s.push_str(&quote_line(&note.quote, &note.clause, lang));
            s.push('\n');
        }
    }
    s
}
