//! 巡查与投诉: patrol findings, rectification orders (整改) and complaints (投诉) as domain codes,
//! with their deadline rules.
//!
//! Seed 002 (二七区) 七(三): "周巡查、月考核", problems recorded and their rectification
//! supervised; seeds 002/003: complaints answered by the company within a deadline.

use serde::{Deserialize, Serialize};

macro_rules! codes {
    ($(#[$m:meta])* $name:ident { $($v:ident = $code:literal, $zh:literal, $en:literal;)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($v,)+ }

        /// JSON carries the same code as the database and the command line.
        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                // Also the serde name of earlier versions (`hotline12345`).
                let loose = |c: &str| c.replace('_', "") == s.replace('_', "");
                $name::from_code(&s)
                    .or_else(|| Self::ALL.iter().copied().find(|x| loose(x.code())))
                    .ok_or_else(|| serde::de::Error::unknown_variant(&s, Self::CODES))
            }
        }

        /// The schema of the codes, listed (the custom `Serialize` above writes `code()`).
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                let codes: Vec<&str> = Self::ALL.iter().map(|x| x.code()).collect();
                let zh: Vec<String> = Self::ALL
                    .iter()
                    .map(|x| format!("{}={}", x.code(), x.label(crate::Lang::Zh)))
                    .collect();
                crate::schema::text(&zh.join("，"), None, Some(&codes))
            }
        }
        impl utoipa::ToSchema for $name {}

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v,)+];
            /// The codes, in the order of [`Self::ALL`].
            pub const CODES: &'static [&'static str] = &[$($code,)+];

            pub fn code(self) -> &'static str {
                match self { $($name::$v => $code,)+ }
            }

            pub fn from_code(s: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|x| x.code() == s.trim())
            }

            pub fn label(self, lang: crate::Lang) -> &'static str {
                match self { $($name::$v => lang.pick($zh, $en),)+ }
            }
        }
    };
}

codes! {
    /// 巡查类型: 周巡查 or 月考核 (seed 002 七(三)).
    PatrolKind {
        WeeklyPatrol = "weekly_patrol", "周巡查", "weekly patrol";
        MonthlyCheck = "monthly_check", "月考核", "monthly check";
    }
}

codes! {
    /// What a patrol finding is about.
    FindingCategory {
        Environment = "environment", "环境卫生", "environment";
        Facilities = "facilities", "设施设备", "facilities";
        Order = "order", "秩序", "order";
        Safety = "safety", "安全隐患", "safety hazard";
    }
}

codes! {
    /// Where a rectification order (整改通知) stands.
    OrderStatus {
        Open = "open", "待整改", "open";
        Answered = "answered", "已回复", "answered";
        Closed = "closed", "已销号", "closed";
    }
}

codes! {
    /// Where a complaint comes from.
    ComplaintSource {
        Resident = "resident", "居民", "resident";
        Hotline12345 = "hotline_12345", "12345热线", "12345 hotline";
        Other = "other", "其他", "other";
    }
}

codes! {
    /// Where a complaint stands.
    ComplaintStatus {
        Received = "received", "待签收", "received";
        Signed = "signed", "已签收", "signed for";
        Answered = "answered", "已答复", "answered";
        Closed = "closed", "已办结", "closed";
    }
}

codes! {
    /// The street's finding on a complaint (核实): only a substantiated complaint counts
    /// against a company in its credit file.
    ComplaintVerdict {
        Substantiated = "substantiated", "核实有效", "substantiated";
        Unfounded = "unfounded", "核实无效", "unfounded";
    }
}

/// 逾期: an order still open after its deadline (the deadline day itself is on time). An
/// answered or closed order is not overdue; whether its answer was late is [`answered_late`].
pub fn order_overdue(
    status: OrderStatus,
    deadline: jiff::civil::Date,
    as_of: jiff::civil::Date,
) -> bool {
    status == OrderStatus::Open && as_of > deadline
}

/// An answer given after the deadline day is late.
pub fn answered_late(deadline: jiff::civil::Date, answered_on: jiff::civil::Date) -> bool {
    answered_on > deadline
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn overdue_from_the_day_after_and_late_answers() {
        let d = date(2026, 12, 1);
        assert!(!order_overdue(OrderStatus::Open, d, date(2026, 12, 1)));
        assert!(order_overdue(OrderStatus::Open, d, date(2026, 12, 2)));
        assert!(!order_overdue(OrderStatus::Answered, d, date(2026, 12, 9)));
        assert!(!answered_late(d, date(2026, 12, 1)));
        assert!(answered_late(d, date(2026, 12, 2)));
        assert_eq!(
            FindingCategory::from_code("safety"),
            Some(FindingCategory::Safety)
        );
        assert_eq!(ComplaintSource::Hotline12345.code(), "hotline_12345");
        // JSON uses the same code, and still reads the older serde name.
        assert_eq!(
            serde_json::to_string(&ComplaintSource::Hotline12345).unwrap(),
            "\"hotline_12345\""
        );
        for old in ["\"hotline_12345\"", "\"hotline12345\""] {
            let back: ComplaintSource = serde_json::from_str(old).unwrap();
            assert_eq!(back, ComplaintSource::Hotline12345);
        }
    }
}
