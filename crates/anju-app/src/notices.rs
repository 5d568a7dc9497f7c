//! 站内信 (issue 18 item 7): every referral, order, complaint, overdue item and filing reminder
//! reaches the responsible people's inbox, with unread counts; and goes out through a
//! [`NoticeSender`] (SMS, WeChat …) — by default [`LogSender`], which only writes a log line, so
//! no outside service is ever called unless a deployment plugs one in.
//!
//! Who gets what:
//! - a referral made → its department's officers; acknowledged or resolved → the officer who
//!   referred it; sent back or confirmed → the department's officers;
//! - a complaint → its company's accounts; on a compound no company serves, the street's and
//!   the community's accounts (it lands with them, never with nobody);
//! - a rectification order → its company's accounts;
//! - the sweep ([`App::sweep_notices`], at start-up and hourly in `anju serve`, or `anju notices
//!   sweep`): an overdue referral (督办) → its department and the district's 住建; a filing day
//!   (today, or passed without a filing) → the street's accounts; a complaint or an order past
//!   its deadline → the company's accounts. Each once per person (a `dedupe` key).
//!
//! A notice that cannot be written or sent is logged; it never undoes the use case that raised
//! it.

use crate::App;
use crate::error::Result;
use crate::principal::Principal;
use anju_core::access::Role;
use anju_store::{NewNotice, Notice, ReferralFilter, User};
use serde::{Deserialize, Serialize};

/// Sends a notice outside the app. Implementations must not block for long: they run after the
/// use case, on its task.
pub trait NoticeSender: Send + Sync + std::fmt::Debug {
    /// The sender's name, for the log.
    fn name(&self) -> &'static str;
    /// Delivers one notice to one person; an error is logged, never raised.
    fn deliver(&self, to: &User, notice: &Notice) -> std::result::Result<(), String>;
}

/// The default sender: a log line per notice (`tracing`, target `anju::notices`).
#[derive(Debug, Default, Clone, Copy)]
pub struct LogSender;

impl NoticeSender for LogSender {
    fn name(&self) -> &'static str {
        "log"
    }

    fn deliver(&self, to: &User, notice: &Notice) -> std::result::Result<(), String> {
        tracing::info!(
            target: "anju::notices",
            user = %to.username,
            kind = %notice.kind,
            title = %notice.title,
            "站内信"
        );
        Ok(())
    }
}

/// A sender that keeps what it was asked to send (tests, and a deployment's dry run).
#[derive(Debug, Default)]
pub struct MemorySender {
    sent: std::sync::Mutex<Vec<(String, String)>>,
}

impl MemorySender {
    /// (username, title) of every notice delivered so far.
    pub fn sent(&self) -> Vec<(String, String)> {
        self.sent.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

impl NoticeSender for MemorySender {
    fn name(&self) -> &'static str {
        "memory"
    }

    fn deliver(&self, to: &User, notice: &Notice) -> std::result::Result<(), String> {
        self.sent
            .lock()
            .map_err(|e| e.to_string())?
            .push((to.username.clone(), notice.title.clone()));
        Ok(())
    }
}

/// What a sweep sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SweepSummary {
    pub referrals_overdue: usize,
    pub filings_due: usize,
    pub filings_missing: usize,
    pub complaints_overdue: usize,
    pub orders_overdue: usize,
    pub assignments_overdue: usize,
    pub terms_ending: usize,
    /// Notices written (each person once per item).
    pub notices: usize,
}

fn notice(
    kind: &str,
    title: impl Into<String>,
    body: impl Into<String>,
    link: String,
) -> NewNotice {
    NewNotice {
        kind: kind.to_string(),
        title: title.into(),
        body: body.into(),
        link: Some(link),
        dedupe: None,
    }
}

fn once(mut n: NewNotice, key: String) -> NewNotice {
    n.dedupe = Some(key);
    n
}

impl App {
    /// Writes a notice into each recipient's inbox and hands it to the sender; returns how many
    /// were written. Failures are logged.
    pub(crate) async fn notify(&self, to: &[User], n: NewNotice) -> usize {
        let ids: Vec<i64> = to.iter().map(|u| u.id).collect();
        match self.store().add_notices(&ids, &n).await {
            Ok(written) => {
                for w in &written {
                    if let Some(u) = to.iter().find(|u| u.id == w.user_id)
                        && let Err(e) = self.sender.deliver(u, w)
                    {
                        tracing::warn!(sender = self.sender.name(), error = %e, "站内信未能发出");
                    }
                }
                written.len()
            }
            Err(e) => {
                tracing::warn!(error = %e, kind = %n.kind, "站内信未能写入");
                0
            }
        }
    }

    /// The active accounts of a department.
    pub(crate) async fn department_people(&self, department_id: i64) -> Vec<User> {
        self.store()
            .recipients(Some(department_id), None, None)
            .await
            .unwrap_or_default()
    }

    /// The active accounts of a company.
    pub(crate) async fn company_people(&self, company_id: i64) -> Vec<User> {
        self.store()
            .recipients(None, Some(company_id), None)
            .await
            .unwrap_or_default()
    }

    /// The active accounts of a role bounded to a region.
    pub(crate) async fn region_people(&self, role: Role, region_id: i64) -> Vec<User> {
        self.store()
            .recipients(None, None, Some((role, region_id)))
            .await
            .unwrap_or_default()
    }

    /// The account a principal signed in with (the command line has none).
    async fn own_account(&self, who: &Principal) -> Result<Option<User>> {
        Ok(self.store().find_user(&who.name).await?)
    }

    /// The principal's notices, newest first (at most 200).
    pub async fn inbox(&self, who: &Principal) -> Result<Vec<Notice>> {
        Ok(match self.own_account(who).await? {
            Some(u) => self.store().notices_for(u.id, 200).await?,
            None => Vec::new(),
        })
    }

    /// One of the principal's notices (another person's is not found).
    pub async fn notice(&self, who: &Principal, id: i64) -> Result<Option<Notice>> {
        Ok(match self.own_account(who).await? {
            Some(u) => self.store().notice_of(u.id, id).await?,
            None => None,
        })
    }

    /// Marks the principal's notices read: those named, or all.
    pub async fn mark_read(&self, who: &Principal, ids: Option<&[i64]>) -> Result<u64> {
        Ok(match self.own_account(who).await? {
            Some(u) => self.store().mark_notices_read(u.id, ids).await?,
            None => 0,
        })
    }

    /// Sends the notices that come due with time (see the module doc); each item reaches each
    /// person once, so running it again sends nothing new.
    pub async fn sweep_notices(&self) -> Result<SweepSummary> {
        let today = self.today();
        let mut s = SweepSummary::default();
        // Overdue referrals (督办): the department and the district's 住建.
        let open = self
            .store()
            .list_referrals(&ReferralFilter {
                open_only: true,
                ..ReferralFilter::default()
            })
            .await?;
        for r in open.iter().filter(|r| r.overdue(today)) {
            s.referrals_overdue += 1;
            let mut to = self.department_people(r.department_id).await;
            if let Ok(d) = self.store().get_department(r.department_id).await {
                to.extend(
                    self.region_people(Role::HousingAuthority, d.district_id)
                        .await,
                );
            }
            let n = notice(
                "referral_overdue",
                format!("吹哨事项逾期（督办）：{}", r.compound),
                format!(
                    "{}（{}）办理期限 {}，至今未办结。",
                    r.category, r.department, r.deadline
                ),
                format!("/referrals/{}", r.id),
            );
            s.notices += self
                .notify(&to, once(n, format!("referral-overdue:{}", r.id)))
                .await;
        }
        // 调度表: due today, or passed without a filing.
        for st in self
            .filing_overview(&Principal::admin("sweep", anju_core::Lang::Zh))
            .await?
            .streets
        {
            for d in &st.days {
                let (kind, title, key) = match d.standing {
                    anju_core::dispatch::Standing::Due if d.due_on == today => (
                        "dispatch_due",
                        format!("今天报送调度表（{}）", d.due_on),
                        format!("dispatch-due:{}:{}", st.street_id, d.due_on),
                    ),
                    anju_core::dispatch::Standing::Missing { .. } => (
                        "dispatch_missing",
                        format!("调度表逾期未报（{}）", d.due_on),
                        format!("dispatch-missing:{}:{}", st.street_id, d.due_on),
                    ),
                    _ => continue,
                };
                if kind == "dispatch_due" {
                    s.filings_due += 1;
                } else {
                    s.filings_missing += 1;
                }
                let to = self.region_people(Role::Street, st.street_id).await;
                let n = notice(
                    kind,
                    title,
                    format!(
                        "{}的住宅小区物业管理全覆盖进展情况调度表（每月1号、15号报送）。",
                        st.street
                    ),
                    "/dispatch".to_string(),
                );
                s.notices += self.notify(&to, once(n, key)).await;
            }
        }
        // Complaints and orders past their deadlines: the company.
        let complaints = self
            .store()
            .list_complaints(&anju_store::ComplaintFilter {
                overdue_on: Some(today),
                ..anju_store::ComplaintFilter::default()
            })
            .await?;
        for c in &complaints {
            let Some(company) = c.company_id else {
                continue;
            };
            s.complaints_overdue += 1;
            let n = notice(
                "complaint_overdue",
                format!("投诉逾期未处理：{}", c.compound),
                format!(
                    "{}：签收期限 {}，答复期限 {}。",
                    c.category, c.sign_deadline, c.answer_deadline
                ),
                format!("/complaints/{}", c.id),
            );
            let to = self.company_people(company).await;
            s.notices += self
                .notify(&to, once(n, format!("complaint-overdue:{}", c.id)))
                .await;
        }
        let orders = self
            .store()
            .list_orders(&anju_store::OrderFilter::default())
            .await?;
        for o in orders.iter().filter(|o| o.overdue(today)) {
            s.orders_overdue += 1;
            let n = notice(
                "order_overdue",
                format!("整改通知逾期：{}", o.compound),
                format!("{}，整改期限 {}。", o.description, o.deadline),
                format!("/compounds/{}", o.compound_id),
            );
            let to = self.company_people(o.company_id).await;
            s.notices += self
                .notify(&to, once(n, format!("order-overdue:{}", o.id)))
                .await;
        }
        // 换届: owners' bodies whose term ends within the window or has ended: the street and
        // the community of the compound, once per body.
        let horizon = today
            .checked_add(jiff::Span::new().days(anju_core::owners_body::RENEWAL_WINDOW_DAYS))
            .unwrap_or(today);
        for b in self
            .store()
            .owners_bodies_ending(anju_store::Scope::All, horizon)
            .await?
        {
            s.terms_ending += 1;
            let mut to = self.region_people(Role::Street, b.street_id).await;
            if let Ok(c) = self.store().get_compound(b.compound_id).await
                && let Some(cm) = c.community_id
            {
                to.extend(self.region_people(Role::Community, cm).await);
            }
            let last = b.term_last_day.unwrap_or(today);
            let n = notice(
                "term_ending",
                format!("业主组织换届：{}", b.compound),
                format!("{}任期于 {last} 届满，请组织换届选举。", b.kind.zh()),
                format!("/owners-bodies/{}", b.id),
            );
            s.notices += self
                .notify(&to, once(n, format!("term-ending:{}:{last}", b.id)))
                .await;
        }
        // 交办事项 past their deadlines: the unit, and whoever handed them out.
        let open = self
            .store()
            .list_assignments(&anju_store::AssignmentFilter {
                open_only: true,
                ..anju_store::AssignmentFilter::default()
            })
            .await?;
        for a in open.iter().filter(|a| a.overdue(today)) {
            s.assignments_overdue += 1;
            let mut to = self.unit_people(a.unit).await;
            if let Ok(Some(u)) = self.store().find_user(&a.issued_by).await
                && u.active
                && !to.iter().any(|x| x.id == u.id)
            {
                to.push(u);
            }
            let n = notice(
                "assignment_overdue",
                format!(
                    "交办事项逾期：{}",
                    a.text.chars().take(30).collect::<String>()
                ),
                format!(
                    "{}，完成时限 {}，责任单位 {}。",
                    a.source_title, a.deadline, a.unit_name
                ),
                format!("/organisation/assignments/{}", a.id),
            );
            s.notices += self
                .notify(&to, once(n, format!("assignment-overdue:{}", a.id)))
                .await;
        }
        Ok(s)
    }
}
