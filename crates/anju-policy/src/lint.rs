//! The linter: finds what the text leaves open and checks the file says how it is settled.
//!
//! It reports, each with its line and a suggested resolution:
//! - overlapping and missing ranges in every tier table (score tiers, grades, proration);
//! - parameters without a value;
//! - periods without a rate, and left-over days no rule counts (proration);
//! - unknown keys, bad values, rules without a citation, resolutions that settle nothing.
//!
//! A finding the file settles explicitly (`resolve = […]` in a table, `unset = "…"` on a
//! parameter, `part_month = "refuse"` with a `reason`) is *resolved*: lint prints it as a note
//! with the file's reasoning. Any other finding is unresolved and `anju policy lint` exits 1.

use crate::interval::{CoverageIssue, Interval, coverage};
use crate::load::{LineMap, parse_file};
use crate::policy::{ParamValue, PartMonth, Policy, Select};
use anju_core::Lang;
use std::fmt::Write as _;

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Syntax(String),
    UnknownField(String),
    Invalid {
        path: String,
        msg: String,
    },
    MissingCitation(String),
    Overlap {
        table: String,
        at: Interval,
        tiers: Vec<String>,
    },
    Gap {
        table: String,
        at: Interval,
    },
    UnusedResolution {
        table: String,
        at: String,
    },
    ParameterWithoutValue {
        name: String,
    },
    PeriodWithoutRate {
        what_zh: String,
        what_en: String,
    },
    PartMonthUnstated,
}

/// How the file settles a finding: where, and its reasoning.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolution {
    pub line: usize,
    pub zh: String,
    pub en: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub line: usize,
    pub kind: Kind,
    pub resolution: Option<Resolution>,
}

impl Finding {
    /// A short code: overlap, gap, unknown_field, …
    pub fn code(&self) -> &'static str {
        match self.kind {
            Kind::Syntax(_) => "syntax",
            Kind::UnknownField(_) => "unknown_field",
            Kind::Invalid { .. } => "invalid",
            Kind::MissingCitation(_) => "missing_citation",
            Kind::Overlap { .. } => "overlap",
            Kind::Gap { .. } => "gap",
            Kind::UnusedResolution { .. } => "unused_resolution",
            Kind::ParameterWithoutValue { .. } => "parameter_without_value",
            Kind::PeriodWithoutRate { .. } => "period_without_rate",
            Kind::PartMonthUnstated => "part_month_unstated",
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match &self.kind {
            Kind::Syntax(m) => {
                if zh {
                    format!("TOML 语法错误：{m}")
                } else {
                    format!("TOML syntax error: {m}")
                }
            }
            Kind::UnknownField(p) => {
                if zh {
                    format!("未知字段 {p}")
                } else {
                    format!("unknown key {p}")
                }
            }
            Kind::Invalid { path, msg } => {
                if zh {
                    format!("{path} 的值不对：{msg}")
                } else {
                    format!("{path} is not valid: {msg}")
                }
            }
            Kind::MissingCitation(p) => {
                if zh {
                    format!("规则 {p} 没有注明出处（clause 与 quote）")
                } else {
                    format!("rule {p} cites no clause and quote")
                }
            }
            Kind::Overlap { table, at, tiers } => {
                let at = at_text(at, lang);
                if zh {
                    format!("表 {table}：{at} 同时属于 {}（文本重叠）", tiers.join("、"))
                } else {
                    format!(
                        "table {table}: {at} falls in {} (the text overlaps)",
                        tiers.join(", ")
                    )
                }
            }
            Kind::Gap { table, at } => {
                let at = at_text(at, lang);
                if zh {
                    format!("表 {table}：{at} 不属于任何一档（文本缺口）")
                } else {
                    format!("table {table}: {at} is in no tier (a gap in the text)")
                }
            }
            Kind::UnusedResolution { table, at } => {
                if zh {
                    format!("表 {table}：resolve 中的 {at} 没有对应的重叠或缺口")
                } else {
                    format!("table {table}: the resolution at {at} settles no overlap or gap")
                }
            }
            Kind::ParameterWithoutValue { name } => {
                if zh {
                    format!("参数 {name} 没有取值")
                } else {
                    format!("parameter {name} has no value")
                }
            }
            Kind::PeriodWithoutRate { what_zh, what_en } => {
                if zh {
                    format!("有期没有补贴标准：{what_zh}")
                } else {
                    format!("a period has no rate: {what_en}")
                }
            }
            Kind::PartMonthUnstated => {
                if zh {
                    "不足一个月的服务时间，文本没有规定如何计算（缺口）".to_string()
                } else {
                    "the text does not say how service shorter than a month counts (a gap)"
                        .to_string()
                }
            }
        }
    }

    /// What to write in the file to settle it.
    pub fn suggestion(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match &self.kind {
            Kind::Syntax(_) => lang.pick("改正 TOML 语法。", "fix the TOML syntax.").to_string(),
            Kind::UnknownField(p) => {
                if zh { format!("删除 {p}，或改成格式里的字段名（见 POLICY_FORMAT.md）。") } else { format!("remove {p} or spell it as the format does (see POLICY_FORMAT.md).") }
            }
            Kind::Invalid { .. } => lang.pick("按 POLICY_FORMAT.md 改正此值。", "correct the value as POLICY_FORMAT.md says.").to_string(),
            Kind::MissingCitation(_) => lang.pick("写明 clause（条款）和 quote（原文）。", "add clause and quote (the words of the text).").to_string(),
            Kind::Overlap { at, tiers, .. } => {
                let a = at_key(at);
                let t = tiers.first().cloned().unwrap_or_default();
                if zh {
                    format!("在该表写 resolve = [{{ at = \"{a}\", tier = \"{t}\", reason = \"…\", reason_en = \"…\" }}]，说明 {a} 归哪一档及理由。")
                } else {
                    format!("add resolve = [{{ at = \"{a}\", tier = \"{t}\", reason = \"…\", reason_en = \"…\" }}] to the table, saying which tier {a} belongs to and why.")
                }
            }
            Kind::Gap { at, .. } => {
                let a = at_key(at);
                if zh {
                    format!("在该表写 resolve = [{{ at = \"{a}\", tier = \"…\", reason = \"…\", reason_en = \"…\" }}] 把 {a} 归入一档，或改正档次的边界。")
                } else {
                    format!("add resolve = [{{ at = \"{a}\", tier = \"…\", reason = \"…\", reason_en = \"…\" }}] to put {a} in a tier, or correct the tier bounds.")
                }
            }
            Kind::UnusedResolution { .. } => lang.pick("删除这条 resolve，或改正它的 at。", "remove this resolution or correct its at.").to_string(),
            Kind::ParameterWithoutValue { .. } => lang
                .pick(
                    "写 values = [{ from = …, value = … }]；若文本确实未定，写 unset = \"原因\" 与 unset_en，计算时会明确报告而不是按 0。",
                    "add values = [{ from = …, value = … }]; if the text really leaves it open, write unset = \"why\" and unset_en: the calculator then says so instead of computing 0.",
                )
                .to_string(),
            Kind::PeriodWithoutRate { .. } => lang
                .pick("补全该期的取值（by_index 的长度、by_grade 的等次，或更早的 from）。", "give that period a value (by_index length, the grade in by_grade, or an earlier from).")
                .to_string(),
            Kind::PartMonthUnstated => lang
                .pick(
                    "写 part_month = \"table\" 和一张按天数的表；或 part_month = \"refuse\" 并写 reason，计算遇到不足一个月时报错而不猜。",
                    "write part_month = \"table\" with a table over the days; or part_month = \"refuse\" with a reason, so the calculator refuses part months instead of guessing.",
                )
                .to_string(),
        }
    }
}

fn at_key(at: &Interval) -> String {
    match at.as_point() {
        Some(p) => p.normalize().to_string(),
        None => at.to_string(),
    }
}

fn at_text(at: &Interval, lang: Lang) -> String {
    match (at.as_point(), lang) {
        (Some(p), Lang::Zh) => format!("恰好 {}", p.normalize()),
        (Some(p), Lang::En) => format!("exactly {}", p.normalize()),
        (None, Lang::Zh) => format!("区间 {at}"),
        (None, Lang::En) => format!("the range {at}"),
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct LintReport {
    pub findings: Vec<Finding>,
}

impl LintReport {
    pub fn unresolved(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.resolution.is_none())
            .count()
    }

    /// The findings of one kind.
    pub fn of(&self, code: &str) -> Vec<&Finding> {
        self.findings.iter().filter(|f| f.code() == code).collect()
    }

    /// The text `anju policy lint` prints.
    pub fn render(&self, name: &str, lang: Lang) -> String {
        let mut s = String::new();
        let n = self.findings.len();
        let u = self.unresolved();
        let _ = match lang {
            Lang::Zh => writeln!(
                s,
                "{name}：{n} 项发现，{u} 项未解决，{} 项已由政策文件明确解释",
                n - u
            ),
            Lang::En => writeln!(
                s,
                "{name}: {n} finding(s), {u} unresolved, {} settled explicitly by the policy file",
                n - u
            ),
        };
        for f in &self.findings {
            let line = match lang {
                Lang::Zh => format!("第 {} 行", f.line),
                Lang::En => format!("line {}", f.line),
            };
            match &f.resolution {
                None => {
                    let _ = writeln!(
                        s,
                        "{} {line} [{}] {}",
                        lang.pick("错误", "error"),
                        f.code(),
                        f.message(lang)
                    );
                    let _ = writeln!(
                        s,
                        "    {}{}",
                        lang.pick("建议：", "suggestion: "),
                        f.suggestion(lang)
                    );
                }
                Some(r) => {
                    let _ = writeln!(
                        s,
                        "{} {line} [{}] {}",
                        lang.pick("说明", "note"),
                        f.code(),
                        f.message(lang)
                    );
                    let how = match lang {
                        Lang::Zh => format!("    已解决（第 {} 行）：{}", r.line, r.zh),
                        Lang::En => format!("    resolved (line {}): {}", r.line, r.en),
                    };
                    let _ = writeln!(s, "{how}");
                }
            }
        }
        s
    }
}

/// Lints a policy text. Never fails: every problem is a finding.
pub fn lint(src: &str) -> LintReport {
    let mut out = LintReport::default();
    let parsed = parse_file(src);
    let lines = &parsed.lines;
    for (path, line) in &parsed.unknown {
        out.findings.push(Finding {
            line: *line,
            kind: Kind::UnknownField(path.clone()),
            resolution: None,
        });
    }
    if let Some((line, msg)) = &parsed.error {
        let kind =
            if parsed.file.is_none() && parsed.unknown.is_empty() && lines.exact("id").is_none() {
                Kind::Syntax(msg.clone())
            } else {
                Kind::Invalid {
                    path: String::new(),
                    msg: msg.clone(),
                }
            };
        out.findings.push(Finding {
            line: *line,
            kind,
            resolution: None,
        });
        return out;
    }
    let Some(file) = parsed.file else { return out };
    citations(&file, lines, &mut out);
    let policy = match Policy::compile(file) {
        Ok(p) => p,
        Err(issues) => {
            for i in issues {
                out.findings.push(Finding {
                    line: lines.line(&i.path),
                    kind: Kind::Invalid {
                        path: i.path,
                        msg: i.msg,
                    },
                    resolution: None,
                });
            }
            return out;
        }
    };
    tables(&policy, lines, &mut out);
    parameters(&policy, lines, &mut out);
    rates(&policy, lines, &mut out);
    proration(&policy, lines, &mut out);
    out.findings.sort_by_key(|f| f.line);
    out
}

fn citations(f: &crate::format::PolicyFile, lines: &LineMap, out: &mut LintReport) {
    let mut need = |path: String, clause: &str, quote: &str| {
        if clause.trim().is_empty() || quote.trim().is_empty() {
            out.findings.push(Finding {
                line: lines.line(&path),
                kind: Kind::MissingCitation(path),
                resolution: None,
            });
        }
    };
    need("periods".into(), &f.periods.clause, &f.periods.quote);
    need("proration".into(), &f.proration.clause, &f.proration.quote);
    need("rate".into(), &f.rate.clause, &f.rate.quote);
    if let Some(g) = &f.gate {
        need("gate".into(), &g.clause, &g.quote);
    }
    if let Some(r) = &f.retention {
        need("retention".into(), &r.clause, &r.quote);
    }
    for (i, p) in f.payers.iter().enumerate() {
        need(format!("payers.{i}"), &p.clause, &p.quote);
    }
    for (i, c) in f.eligibility.iter().enumerate() {
        need(format!("eligibility.{i}"), &c.clause, &c.quote);
    }
    for (n, p) in &f.parameters {
        need(format!("parameters.{n}"), &p.clause, &p.quote);
    }
    for (n, t) in &f.tables {
        need(format!("tables.{n}"), &t.clause, &t.quote);
    }
    // Rounding is the project's convention where the texts are silent: a clause (saying so)
    // is enough.
    if f.rounding.clause.trim().is_empty() {
        out.findings.push(Finding {
            line: lines.line("rounding"),
            kind: Kind::MissingCitation("rounding".into()),
            resolution: None,
        });
    }
}

/// The line of the first tier whose bound is the issue's boundary, else the table's line.
fn issue_line(policy: &Policy, ti: usize, issue: &CoverageIssue, lines: &LineMap) -> usize {
    let t = &policy.tables[ti];
    let v = issue
        .at
        .lo
        .map(|b| b.value)
        .or(issue.at.hi.map(|b| b.value));
    let candidates: Vec<usize> = if issue.tiers.is_empty() {
        (0..t.tiers.len()).collect()
    } else {
        issue.tiers.clone()
    };
    for i in candidates {
        let r = t.tiers[i].range;
        let touches = [r.lo, r.hi]
            .into_iter()
            .flatten()
            .any(|b| Some(b.value) == v);
        if touches {
            return lines.line(&format!("tables.{}.tiers.{i}", t.name));
        }
    }
    lines.line(&format!("tables.{}", t.name))
}

fn tables(policy: &Policy, lines: &LineMap, out: &mut LintReport) {
    for (ti, t) in policy.tables.iter().enumerate() {
        let Some(tf) = policy.table_file(ti) else {
            continue;
        };
        let ranges: Vec<Interval> = t.tiers.iter().map(|x| x.range).collect();
        let issues = coverage(&t.domain, &ranges);
        let mut used = vec![false; t.resolutions.len()];
        for issue in &issues {
            let res = t.resolutions.iter().enumerate().find(|(_, (at, tier))| {
                at.covers(&issue.at) && (issue.tiers.is_empty() || issue.tiers.contains(tier))
            });
            let resolution = res.map(|(ri, _)| {
                used[ri] = true;
                let rf = &tf.resolve[ri];
                Resolution {
                    line: lines.line(&format!("tables.{}.resolve.{ri}", t.name)),
                    zh: format!("归入「{}」。{}", rf.tier, rf.reason),
                    en: format!(
                        "goes to '{}'. {}",
                        tf.tiers[t.resolutions[ri].1].text_en, rf.reason_en
                    ),
                }
            });
            let kind = if issue.tiers.is_empty() {
                Kind::Gap {
                    table: t.name.clone(),
                    at: issue.at,
                }
            } else {
                Kind::Overlap {
                    table: t.name.clone(),
                    at: issue.at,
                    tiers: issue
                        .tiers
                        .iter()
                        .map(|i| tf.tiers[*i].text.clone())
                        .collect(),
                }
            };
            out.findings.push(Finding {
                line: issue_line(policy, ti, issue, lines),
                kind,
                resolution,
            });
        }
        for (ri, u) in used.iter().enumerate() {
            if !u {
                out.findings.push(Finding {
                    line: lines.line(&format!("tables.{}.resolve.{ri}", t.name)),
                    kind: Kind::UnusedResolution {
                        table: t.name.clone(),
                        at: tf.resolve[ri].at.clone(),
                    },
                    resolution: None,
                });
            }
        }
    }
}

fn parameters(policy: &Policy, lines: &LineMap, out: &mut LintReport) {
    for (name, pf) in &policy.file.parameters {
        let path = format!("parameters.{name}");
        if pf.values.is_empty() {
            let resolution = pf.unset.as_ref().map(|why| Resolution {
                line: lines.exact(&format!("{path}.unset")).unwrap_or_else(|| lines.line(&path)),
                zh: format!("文本未给出取值：{why}。计算时明确报告“金额未定”，不按 0 计算。"),
                en: format!("the text gives no value: {}. The calculator says the amount is not set; it never computes 0.", pf.unset_en.clone().unwrap_or_default()),
            });
            out.findings.push(Finding {
                line: lines.line(&path),
                kind: Kind::ParameterWithoutValue { name: name.clone() },
                resolution,
            });
        } else if pf.unset.is_some() {
            out.findings.push(Finding {
                line: lines.line(&format!("{path}.unset")),
                kind: Kind::Invalid {
                    path: format!("{path}.unset"),
                    msg: "有取值的参数不能同时写 unset / a parameter with values cannot be unset"
                        .into(),
                },
                resolution: None,
            });
        }
    }
}

fn rates(policy: &Policy, lines: &LineMap, out: &mut LintReport) {
    let param = &policy.params[policy.rate.param];
    let path = format!("parameters.{}", param.name);
    let line = lines.line(&path);
    if param.values.is_empty() {
        return; // reported as a parameter without a value
    }
    let mut push = |zh: String, en: String| {
        out.findings.push(Finding {
            line,
            kind: Kind::PeriodWithoutRate {
                what_zh: zh,
                what_en: en,
            },
            resolution: None,
        });
    };
    if let (Some((first, _)), Some(eff)) = (param.values.first(), policy.effective_from)
        && *first > eff
    {
        push(
            format!(
                "政策 {eff} 起施行，而 {} 的第一个取值 {first} 才开始",
                param.name
            ),
            format!(
                "the policy starts {eff} but {} has no value before {first}",
                param.name
            ),
        );
    }
    for (from, v) in &param.values {
        match (policy.rate.select, v) {
            (Select::PeriodIndex, ParamValue::ByIndex(list)) => match policy.periods.count {
                None => push(
                    format!(
                        "{from} 起的 by_index 只有 {} 项，而期数不定（until = contract_end）",
                        list.len()
                    ),
                    format!(
                        "from {from}, by_index lists {} periods but the number of periods is open",
                        list.len()
                    ),
                ),
                Some(n) if (list.len() as u32) < n => push(
                    format!(
                        "{from} 起的 by_index 只有 {} 项，第 {} 至 {n} 期没有标准",
                        list.len(),
                        list.len() + 1
                    ),
                    format!(
                        "from {from}, by_index lists {} periods: periods {} to {n} have none",
                        list.len(),
                        list.len() + 1
                    ),
                ),
                _ => {}
            },
            (Select::Grade, ParamValue::ByGrade(map)) => {
                let grades: Vec<crate::input::Grade> = match policy.gate.grade_table {
                    Some(gt) => policy.tables[gt]
                        .tiers
                        .iter()
                        .filter_map(|t| t.grade)
                        .collect(),
                    None => crate::input::Grade::ALL.to_vec(),
                };
                for g in grades {
                    if !map.iter().any(|(k, _)| *k == g) {
                        push(
                            format!("{from} 起等次「{}」没有标准", g.zh()),
                            format!("from {from}, grade '{}' has no rate", g.en()),
                        );
                    }
                }
            }
            _ => {}
        }
    }
}

fn proration(policy: &Policy, lines: &LineMap, out: &mut LintReport) {
    if policy.part_month == PartMonth::Refuse {
        let pf = &policy.file.proration;
        let resolution = pf.reason.as_ref().map(|why| Resolution {
            line: lines
                .exact("proration.reason")
                .unwrap_or_else(|| lines.line("proration")),
            zh: format!("不足一个月的服务：计算时报错，不作推测。{why}"),
            en: format!(
                "service shorter than a month: the calculator refuses rather than guesses. {}",
                pf.reason_en.clone().unwrap_or_default()
            ),
        });
        out.findings.push(Finding {
            line: lines.line("proration.part_month"),
            kind: Kind::PartMonthUnstated,
            resolution,
        });
    }
}
