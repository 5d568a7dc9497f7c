//! The events file `anju rubric score --events FILE` reads (format: RUBRIC_FORMAT.md).
//!
//! ```toml
//! rubric = "erqi"            # optional; must match the rubric chosen
//! satisfaction = 0.83        # or "83%", or a [survey] table with counts
//! [[events]]
//! item = 10
//! code = "guard_absent"
//! count = 3                  # optional, 1 when left out
//! note = "3月5日夜班缺岗"
//! ```

use super::error::{EventRef, RubricError};
use super::satisfaction::SatisfactionRate;
use super::score::{Event, Survey};
use serde::Deserialize;

/// A parsed events file: the period's deduction events and the satisfaction survey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventsFile {
    /// The rubric the file is for, if it says.
    pub rubric: Option<String>,
    pub compound: Option<String>,
    pub period: Option<String>,
    pub assessor: Option<String>,
    pub events: Vec<Event>,
    pub survey: Option<Survey>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    rubric: Option<String>,
    compound: Option<String>,
    period: Option<String>,
    assessor: Option<String>,
    satisfaction: Option<toml::Value>,
    survey: Option<RawSurvey>,
    #[serde(default)]
    events: Vec<RawEvent>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSurvey {
    households: Option<i64>,
    responses: Option<i64>,
    satisfied: Option<i64>,
    rate: Option<toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent {
    item: i64,
    code: String,
    count: Option<i64>,
    note: Option<String>,
}

/// A rate written as a TOML number (0.83) or string ("0.83", "83%"). A TOML float is read
/// through its shortest decimal form, so 0.799 stays exactly 0.799.
fn rate_from_value(v: &toml::Value) -> Result<SatisfactionRate, RubricError> {
    match v {
        toml::Value::String(s) => SatisfactionRate::parse(s),
        toml::Value::Float(f) => SatisfactionRate::parse(&f.to_string()),
        toml::Value::Integer(i) => SatisfactionRate::parse(&i.to_string()),
        other => Err(RubricError::BadRate(other.to_string())),
    }
}

fn count_field(name_zh: &str, name_en: &str, v: Option<i64>) -> Result<Option<u32>, RubricError> {
    v.map(|n| {
        u32::try_from(n).map_err(|_| {
            RubricError::bad_survey(
                format!("{name_zh} {n} 应为非负整数"),
                format!("{name_en} {n} must be a whole number, not negative"),
            )
        })
    })
    .transpose()
}

impl EventsFile {
    /// Parses an events file. Counts must be whole numbers, not negative; items and codes are
    /// checked against a rubric when it is scored ([`super::score`]).
    pub fn parse(text: &str) -> Result<EventsFile, RubricError> {
        let raw: RawFile =
            toml::from_str(text).map_err(|e| RubricError::EventsSyntax(e.to_string()))?;
        let mut events = Vec::with_capacity(raw.events.len());
        for (i, e) in raw.events.into_iter().enumerate() {
            let at = || EventRef {
                index: i + 1,
                item: e.item,
                code: e.code.clone(),
                note: e.note.clone(),
            };
            let count = e.count.unwrap_or(1);
            if count < 0 {
                return Err(RubricError::NegativeCount { event: at(), count });
            }
            let count = u32::try_from(count)
                .map_err(|_| RubricError::CountTooLarge { event: at(), count })?;
            // A negative or huge item number is no item at all.
            let item = u32::try_from(e.item).map_err(|_| RubricError::UnknownItem(at()))?;
            events.push(Event {
                item,
                code: e.code,
                count,
                note: e.note,
            });
        }
        let survey = match (raw.satisfaction, raw.survey) {
            (None, None) => None,
            (Some(v), None) => Some(Survey::from_rate(rate_from_value(&v)?)),
            (Some(_), Some(_)) => {
                return Err(RubricError::bad_survey(
                    "satisfaction 与 [survey] 只能给一个",
                    "give either satisfaction or [survey], not both",
                ));
            }
            (None, Some(s)) => {
                let households = count_field("总户数 households", "households", s.households)?;
                let responses = count_field("有效问卷数 responses", "responses", s.responses)?;
                let satisfied = count_field("满意份数 satisfied", "satisfied", s.satisfied)?;
                let survey = match (satisfied, responses, &s.rate) {
                    (Some(k), Some(n), None) => Survey::from_counts(k, n, households)?,
                    (None, n, Some(v)) => Survey {
                        rate: rate_from_value(v)?,
                        households,
                        responses: n,
                        satisfied: None,
                    },
                    (Some(_), _, Some(_)) => {
                        return Err(RubricError::bad_survey(
                            "[survey] 中 satisfied 与 rate 只能给一个",
                            "[survey]: give either satisfied or rate, not both",
                        ));
                    }
                    _ => {
                        return Err(RubricError::bad_survey(
                            "[survey] 须给出 responses 和 satisfied，或给出 rate",
                            "[survey] needs responses and satisfied, or a rate",
                        ));
                    }
                };
                if let (Some(n), Some(h)) = (survey.responses, survey.households)
                    && n > h
                {
                    // Reported again by the sample rule when scoring; caught here as bad data.
                    return Err(RubricError::bad_survey(
                        format!("有效问卷 {n} 份多于总户数 {h} 户"),
                        format!("{n} responses is more than {h} households"),
                    ));
                }
                Some(survey)
            }
        };
        Ok(EventsFile {
            rubric: raw.rubric,
            compound: raw.compound,
            period: raw.period,
            assessor: raw.assessor,
            events,
            survey,
        })
    }

    /// Reads and parses an events file.
    pub fn load(path: &std::path::Path) -> Result<EventsFile, RubricError> {
        let text = std::fs::read_to_string(path).map_err(|e| RubricError::Io {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        EventsFile::parse(&text)
    }

    /// Refuses a file written for another rubric.
    pub fn check_rubric(&self, chosen: &str) -> Result<(), RubricError> {
        match &self.rubric {
            Some(file) if file != chosen => Err(RubricError::RubricMismatch {
                file: file.clone(),
                chosen: chosen.to_string(),
            }),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anju_core::Lang;
    use rust_decimal_macros::dec;

    #[test]
    fn parses_the_documented_example() {
        let f = EventsFile::parse(
            r#"
rubric = "erqi"
period = "2024年上半年"
satisfaction = 0.83
[[events]]
item = 10
code = "guard_absent"
count = 3
note = "3月5日夜班缺岗"
[[events]]
item = 1
code = "not_filed"
"#,
        )
        .expect("parse");
        assert_eq!(f.rubric.as_deref(), Some("erqi"));
        assert_eq!(f.events.len(), 2);
        assert_eq!(f.events[0].count, 3);
        assert_eq!(f.events[1].count, 1); // count defaults to 1
        assert_eq!(
            f.survey.as_ref().map(|s| s.rate.fraction()),
            Some(dec!(0.83))
        );
        assert!(f.check_rubric("erqi").is_ok());
        assert!(matches!(
            f.check_rubric("other"),
            Err(RubricError::RubricMismatch { .. })
        ));
    }

    #[test]
    fn satisfaction_forms() {
        // (file, exact rate)
        let cases = [
            ("satisfaction = 0.799", dec!(0.799)),
            ("satisfaction = \"79.9%\"", dec!(0.799)),
            ("satisfaction = \"0.5\"", dec!(0.5)),
            ("satisfaction = 1", dec!(1)),
            (
                "[survey]\nhouseholds = 120\nresponses = 12\nsatisfied = 6",
                dec!(0.5),
            ),
            ("[survey]\nresponses = 12\nrate = 0.75", dec!(0.75)),
        ];
        for (text, want) in cases {
            let f = EventsFile::parse(text).expect(text);
            assert_eq!(
                f.survey.map(|s| s.rate.fraction().normalize()),
                Some(want),
                "{text}"
            );
        }
        for bad in [
            "satisfaction = 83",
            "satisfaction = -0.1",
            "satisfaction = true",
            "satisfaction = 0.8\n[survey]\nrate = 0.8",
            "[survey]\nhouseholds = 120",
            "[survey]\nresponses = 12\nsatisfied = 13",
            "[survey]\nresponses = -1\nsatisfied = 0",
            "[survey]\nhouseholds = 10\nresponses = 12\nsatisfied = 1",
        ] {
            assert!(EventsFile::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn bad_events_name_the_event() {
        // (file, Chinese, English)
        let cases = [
            (
                "[[events]]\nitem = 10\ncode = \"guard_absent\"\ncount = -2\nnote = \"夜班\"",
                "第 1 个事件（第 10 项，代码 guard_absent，备注“夜班”）：次数 -2 不能为负数",
                "event #1 (item 10, code guard_absent, note \"夜班\"): count -2 cannot be negative",
            ),
            (
                "[[events]]\nitem = 1\ncode = \"not_filed\"\n[[events]]\nitem = -3\ncode = \"x\"",
                "第 2 个事件（第 -3 项，代码 x）：评分表没有第 -3 项",
                "event #2 (item -3, code x): the rubric has no item -3",
            ),
            (
                "[[events]]\nitem = 1\ncode = \"x\"\ncount = 99999999999",
                "第 1 个事件（第 1 项，代码 x）：次数 99999999999 过大",
                "event #1 (item 1, code x): count 99999999999 is too large",
            ),
        ];
        for (text, zh, en) in cases {
            let e = EventsFile::parse(text).expect_err(text);
            assert_eq!(e.to_string(), zh);
            assert_eq!(e.message(Lang::En), en);
        }
        for bad in [
            "[[events]]\nitem = 1\ncode = \"x\"\ncout = 2",
            "[[events]]\nitem = 1",
            "rubric = [",
        ] {
            assert!(
                matches!(EventsFile::parse(bad), Err(RubricError::EventsSyntax(_))),
                "{bad}"
            );
        }
    }
}
