//! The programme's own organisation (issue 18 item 3): leading groups and 专班 with their members
//! (seed 003 五（一） and 附件1/2; seed 004 二; seed 001 五（二）), meetings with their decisions
//! (联席会议 of seed 001 五（二）/002 八（三）/003 二（二）, 调度会 of seed 004 二), the decisions as
//! 交办事项 with a deadline and someone responsible, and 通报 / 约谈 (seed 001 四（四）, 002 七（三）3,
//! 004 三（三）) with their follow-up.
//!
//! Decisions the seeds leave open, taken here:
//! - A body, a meeting or a 通报 belongs to a region (city, district, street, community): the
//!   people of that region, of the regions under it and of those above it read it (a street
//!   officer sits in the district's leading group; a district reads its streets' 调度会).
//! - A decision of a meeting becomes a 交办事项 (assignment) of one responsible unit: a street or
//!   community, a department, or a company. The unit reports it done (报结) with its result; the
//!   issuing side closes it (销号) or sends it back (退回). 逾期: not reported by the deadline
//!   day (the deadline day is on time). A closed assignment is final.
//! - A 通报批评 or 约谈 may carry a 整改要求 with a deadline: that follow-up is an assignment of the
//!   unit named, so one path serves meetings and 通报 alike. A 通报表扬 has no follow-up.
//! - A member leaves a body by an end date, never by deletion; the roster as of a date is the
//!   members whose dates cover it.

use serde::{Deserialize, Serialize};

codes! {
    /// 议事协调机构: what kind of body.
    GroupKind {
        LeadingGroup = "leading_group", "领导小组", "leading group";
        TaskForce = "task_force", "工作专班", "task force";
        JointMeeting = "joint_meeting", "联席会议", "joint meeting";
    }
}

codes! {
    /// A member's place in a body (附件1/2: 组长, 副组长, 成员; the office under it).
    MemberRole {
        Head = "head", "组长", "head";
        Deputy = "deputy", "副组长", "deputy head";
        Member = "member", "成员", "member";
        OfficeHead = "office_head", "办公室主任", "office head";
        OfficeDeputy = "office_deputy", "办公室副主任", "office deputy";
    }
}

codes! {
    /// 会议类型.
    MeetingKind {
        Dispatch = "dispatch", "调度会", "scheduling meeting";
        Joint = "joint", "联席会议", "joint meeting";
        Group = "group", "领导小组会议", "leading group meeting";
        TaskForce = "task_force", "专班会议", "task force meeting";
        Mobilise = "mobilise", "动员部署会", "mobilisation meeting";
        Tripartite = "tripartite", "三方联动议事会", "tripartite meeting";
        Other = "other", "其他会议", "other meeting";
    }
}

codes! {
    /// 通报 and 约谈.
    CensureKind {
        Praise = "praise", "通报表扬", "commendation";
        Criticism = "criticism", "通报批评", "public criticism";
        Interview = "interview", "约谈", "admonitory talk";
    }
}

codes! {
    /// Who answers for an assignment or is named by a 通报.
    UnitKind {
        Region = "region", "区/街道/社区", "district, street or community";
        Department = "department", "职能部门", "department";
        Company = "company", "物业企业", "company";
    }
}

codes! {
    /// Where an assignment (交办事项) stands.
    AssignmentStatus {
        Open = "open", "办理中", "in hand";
        Reported = "reported", "已报结待销号", "reported done";
        Returned = "returned", "退回重办", "sent back";
        Closed = "closed", "已销号", "closed";
    }
}

codes! {
    /// A step of an assignment.
    AssignmentStep {
        Report = "report", "报结", "report done";
        Close = "close", "销号", "close";
        Return = "return", "退回重办", "send back";
    }
}

codes! {
    /// Where an assignment came from.
    AssignmentSource {
        Meeting = "meeting", "会议决定事项", "meeting decision";
        Censure = "censure", "通报约谈整改要求", "follow-up of a censure";
    }
}

impl MemberRole {
    /// The order a roster lists its members in (组长 first).
    pub fn rank(self) -> u8 {
        match self {
            MemberRole::Head => 0,
            MemberRole::Deputy => 1,
            MemberRole::Member => 2,
            MemberRole::OfficeHead => 3,
            MemberRole::OfficeDeputy => 4,
        }
    }
}

impl CensureKind {
    /// Whether the kind may carry a 整改要求 (a commendation does not).
    pub fn has_follow_up(self) -> bool {
        !matches!(self, CensureKind::Praise)
    }
}

impl AssignmentStep {
    /// Whether the responsible unit takes the step (报结); else the issuing side (销号, 退回).
    pub fn by_assignee(self) -> bool {
        matches!(self, AssignmentStep::Report)
    }
}

impl AssignmentStatus {
    /// Not yet reported done: in hand or sent back.
    pub fn is_open(self) -> bool {
        matches!(self, AssignmentStatus::Open | AssignmentStatus::Returned)
    }
}

/// 逾期: an assignment not reported done after its deadline day (the deadline day is on time).
pub fn overdue(
    status: AssignmentStatus,
    deadline: jiff::civil::Date,
    as_of: jiff::civil::Date,
) -> bool {
    status.is_open() && as_of > deadline
}

/// The status after `step`, or why it cannot be taken now (both languages).
pub fn next(
    status: AssignmentStatus,
    step: AssignmentStep,
) -> Result<AssignmentStatus, crate::referral::StepRefused> {
    use AssignmentStatus as S;
    use AssignmentStep as T;
    match (status, step) {
        (S::Open | S::Returned, T::Report) => Ok(S::Reported),
        (S::Reported, T::Close) => Ok(S::Closed),
        (S::Reported, T::Return) => Ok(S::Returned),
        (S::Closed, _) => Err(crate::referral::StepRefused {
            zh: "该事项已销号，不能再改动".into(),
            en: "the assignment is closed and final".into(),
        }),
        (s, t) => Err(crate::referral::StepRefused {
            zh: format!(
                "事项当前为“{}”，不能{}",
                s.label(crate::Lang::Zh),
                t.label(crate::Lang::Zh)
            ),
            en: format!(
                "the assignment is {}: \"{}\" cannot be taken now",
                s.label(crate::Lang::En),
                t.label(crate::Lang::En)
            ),
        }),
    }
}

/// One member as read from a pasted roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RosterLine {
    pub name: String,
    /// 职务, e.g. "区住建局局长".
    pub position: String,
    pub role: MemberRole,
}

/// A pasted roster (名单) as read, with the office named in its closing sentence.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Roster {
    pub members: Vec<RosterLine>,
    /// 办公室设在 …, when the text says so.
    pub office: Option<String>,
}

/// A line of a roster that could not be read: its number (from 1) and why, in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterError {
    pub line: usize,
    pub zh: String,
    pub en: String,
}

/// The role prefixes a roster line may start with, longest first so 副组长 is not read as 组长.
const PREFIXES: [(&str, MemberRole); 5] = [
    ("办公室副主任", MemberRole::OfficeDeputy),
    ("办公室主任", MemberRole::OfficeHead),
    ("副组长", MemberRole::Deputy),
    ("组长", MemberRole::Head),
    ("成员", MemberRole::Member),
];

/// Reads a roster as the seeds print one (附件1/2 of seed 003), so an official pastes the
/// document's list instead of typing it again:
///
/// ```text
/// 组  长：李  军  区委常委、区政府副区长
/// 成  员：项琳琳  区委组织部副部长、“两新”组织工委书记、
/// 区人才服务中心主任
/// 刘  翔  区发改局局长
/// 领导小组下设办公室，办公室设在区住建局，周升民同志兼任办公室主任，潘伟同志任办公室副主任。
/// ```
///
/// - A line starting with a role (spaces inside it ignored: "组  长") and a colon opens that
///   role; lines after it without a role are further members of the same role.
/// - The name is the first word; a one-character word followed by another (the seeds pad
///   two-character names: "李  军") joins it. The rest of the line is the 职务.
/// - A line of one word longer than four characters continues the previous member's 职务 (the
///   seed wraps long ones); a line ending in "、" is continued likewise.
/// - The closing sentence names the office ("办公室设在区住建局") and its head and deputies
///   ("周升民同志兼任办公室主任", "刘广海、孙景超同志任办公室副主任"): each is added as a member with
///   that role (their 职务 copied from their line above when they are on it).
/// - Blank lines are skipped. A line before any role, or a name longer than four characters,
///   is an error naming its line.
pub fn parse_roster(text: &str) -> Result<Roster, Vec<RosterError>> {
    let mut out = Roster::default();
    let mut errors = Vec::new();
    let mut role: Option<MemberRole> = None;
    let mut continues = false;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.trim().trim_start_matches('\u{feff}');
        if line.is_empty() {
            continue;
        }
        if line.contains("办公室设在") || (line.contains("同志") && line.contains("办公室"))
        {
            office_sentence(line, &mut out);
            continues = false;
            continue;
        }
        let mut rest = line;
        let mut opens = false;
        if let Some(colon) = line.find(['：', ':']) {
            let head: String = line[..colon]
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            if let Some((_, r)) = PREFIXES.iter().find(|(p, _)| *p == head) {
                role = Some(*r);
                let width = line[colon..].chars().next().map_or(1, char::len_utf8);
                rest = &line[colon + width..];
                continues = false;
                opens = true;
            }
        }
        let words: Vec<&str> = rest.split_whitespace().collect();
        if words.is_empty() {
            continue;
        }
        if let Some(last) = out.members.last_mut().filter(|_| continues)
            && words.len() == 1
        {
            last.position.push_str(words[0]);
            continues = words[0].ends_with('、');
            continue;
        }
        if words.len() == 1
            && !opens
            && words[0].chars().count() > 4
            && let Some(last) = out.members.last_mut()
        {
            last.position.push_str(words[0]);
            continues = words[0].ends_with('、');
            continue;
        }
        let Some(r) = role else {
            errors.push(RosterError {
                line: line_no,
                zh: format!("第 {line_no} 行：请先写明角色（组长、副组长、成员…），如“成员：张三 区住建局局长”"),
                en: format!("line {line_no}: name a role first (组长, 副组长, 成员 …)"),
            });
            continue;
        };
        let (name, used) = if words[0].chars().count() == 1 && words.len() > 1 {
            (format!("{}{}", words[0], words[1]), 2)
        } else {
            (words[0].to_string(), 1)
        };
        if name.chars().count() > 4 {
            errors.push(RosterError {
                line: line_no,
                zh: format!("第 {line_no} 行：“{name}”不像姓名（姓名与职务之间请留空格）"),
                en: format!(
                    "line {line_no}: \"{name}\" is not a name (leave a space before the position)"
                ),
            });
            continue;
        }
        let position = words[used..].join("");
        continues = position.ends_with('、');
        out.members.push(RosterLine {
            name,
            position,
            role: r,
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Reads "办公室设在X，A同志兼任办公室主任，B、C同志任办公室副主任" into the roster.
fn office_sentence(line: &str, out: &mut Roster) {
    for clause in line.split(['，', '。', '；', ',']) {
        let clause = clause.trim();
        if let Some(at) = clause.find("办公室设在") {
            let place = clause[at + "办公室设在".len()..].trim();
            if !place.is_empty() {
                out.office = Some(place.to_string());
            }
            continue;
        }
        let Some(k) = clause.find("同志") else {
            continue;
        };
        let role = if clause.contains("办公室副主任") {
            MemberRole::OfficeDeputy
        } else if clause.contains("办公室主任") {
            MemberRole::OfficeHead
        } else {
            continue;
        };
        // "潘伟同志兼任办公室主任" and "办公室主任由潘伟同志兼任" alike; a longer word is not a
        // name and is left out.
        let names = clause[..k].rsplit('由').next().unwrap_or("");
        for name in names
            .split(['、', ' '])
            .filter(|n| (2..=4).contains(&n.chars().count()))
        {
            let position = out
                .members
                .iter()
                .find(|m| m.name == name)
                .map(|m| m.position.clone())
                .unwrap_or_default();
            out.members.push(RosterLine {
                name: name.to_string(),
                position,
                role,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Seed 003 附件2 as printed (the 专班).
    const TASK_FORCE: &str = "组  长：李明智  区政府副区长
副组长：项琳琳  区委组织部副部长、“两新”组织工委书记、
区人才服务中心主任
周升民 区住建局局长
贾继勇  山城街道办事处主任
成  员：孙祥军  区财政局党组成员
陈昌河  区自然资源局副局长
潘  伟  区住房保障服务中心主任
郭振华  山城街道党工委副书记
专班办公室设在区住建局，潘伟同志兼任办公室主任，刘广海、孙景超同志任办公室副主任。";

    #[test]
    fn reads_the_seeds_roster_as_printed() {
        let r = parse_roster(TASK_FORCE).expect("valid");
        assert_eq!(r.office.as_deref(), Some("区住建局"));
        let names: Vec<(&str, MemberRole)> = r
            .members
            .iter()
            .map(|m| (m.name.as_str(), m.role))
            .collect();
        assert_eq!(
            names,
            vec![
                ("李明智", MemberRole::Head),
                ("项琳琳", MemberRole::Deputy),
                ("周升民", MemberRole::Deputy),
                ("贾继勇", MemberRole::Deputy),
                ("孙祥军", MemberRole::Member),
                ("陈昌河", MemberRole::Member),
                ("潘伟", MemberRole::Member),
                ("郭振华", MemberRole::Member),
                ("潘伟", MemberRole::OfficeHead),
                ("刘广海", MemberRole::OfficeDeputy),
                ("孙景超", MemberRole::OfficeDeputy),
            ]
        );
        // The wrapped 职务 is joined; the office head's 职务 is copied from the line above.
        assert_eq!(
            r.members[1].position,
            "区委组织部副部长、“两新”组织工委书记、区人才服务中心主任"
        );
        assert_eq!(r.members[8].position, "区住房保障服务中心主任");
        assert_eq!(r.members[9].position, "");
    }

    #[test]
    fn comrades_outside_the_office_sentence_and_names_after_you_are_read() {
        let r = parse_roster(
            "成员：张三 区财政局主要负责同志\n办公室主任由潘伟同志兼任，由周升民同志任办公室副主任。",
        )
        .expect("valid");
        let got: Vec<(&str, MemberRole)> = r
            .members
            .iter()
            .map(|m| (m.name.as_str(), m.role))
            .collect();
        assert_eq!(
            got,
            vec![
                ("张三", MemberRole::Member),
                ("潘伟", MemberRole::OfficeHead),
                ("周升民", MemberRole::OfficeDeputy),
            ]
        );
        assert_eq!(r.members[0].position, "区财政局主要负责同志");
        // A role line of one long word is not glued onto the member above.
        let e = parse_roster("成员：张三 局长\n成员：各街道办事处主任").expect_err("refused");
        assert_eq!(e[0].line, 2);
    }

    #[test]
    fn a_line_before_any_role_or_a_long_name_is_an_error_with_its_line() {
        let e = parse_roster("\n李四 区民政局局长\n成员：张三 局长").expect_err("refused");
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].line, 2);
        assert!(e[0].zh.contains("第 2 行"));
        let e = parse_roster("成员：区民政局局长张三 局长").expect_err("refused");
        assert!(e[0].zh.contains("不像姓名"), "{:?}", e[0]);
        // Half-width colons and no spaces inside the role do as well.
        let r = parse_roster("组长:王五 副区长").expect("valid");
        assert_eq!(r.members[0].name, "王五");
        assert_eq!(r.members[0].role, MemberRole::Head);
    }

    #[test]
    fn assignments_follow_their_path_and_are_overdue_after_the_deadline_day() {
        use AssignmentStatus as S;
        use AssignmentStep as T;
        assert_eq!(next(S::Open, T::Report), Ok(S::Reported));
        assert_eq!(next(S::Reported, T::Return), Ok(S::Returned));
        assert_eq!(next(S::Returned, T::Report), Ok(S::Reported));
        assert_eq!(next(S::Reported, T::Close), Ok(S::Closed));
        assert!(next(S::Open, T::Close).is_err());
        assert!(
            next(S::Closed, T::Report)
                .expect_err("refused")
                .zh
                .contains("已销号")
        );
        let d = jiff::civil::date(2026, 12, 15);
        assert!(!overdue(S::Open, d, d));
        assert!(overdue(S::Open, d, d.tomorrow().expect("valid")));
        assert!(!overdue(S::Reported, d, d.tomorrow().expect("valid")));
        assert!(overdue(S::Returned, d, d.tomorrow().expect("valid")));
    }
}
