//! Names a reader of the audit log understands: the stored record kinds, actions and field
//! keys in Chinese (or English); an unknown key is shown as it is.

use anju_core::Lang;

/// Record kinds (`audit_log.entity`).
const ENTITIES: &[(&str, &str, &str)] = &[
    ("account_entry", "收支公示条目", "account entry"),
    ("assessment", "考核评分", "assessment"),
    ("company", "物业企业", "company"),
    ("company_record", "企业信用记录", "company credit record"),
    ("complaint", "投诉", "complaint"),
    ("compound", "小区", "compound"),
    (
        "compound_public_key",
        "小区公开链接",
        "compound public link",
    ),
    ("contract", "物业服务合同", "contract"),
    ("dismissal_proposal", "解聘提议", "dismissal proposal"),
    ("evaluator_assignment", "测评委托", "evaluator assignment"),
    ("evidence", "证明材料", "evidence"),
    ("fee_month", "月度收费", "monthly fees"),
    ("funding_policy", "补贴政策", "funding policy"),
    ("holiday", "节假日", "holiday"),
    ("household_fee", "住户缴费", "household fee"),
    ("ledger", "台账导入", "ledger import"),
    ("lifecycle", "管理进程", "path to coverage"),
    ("management_area", "管理区域", "management area"),
    ("patrol", "巡查", "patrol"),
    ("patrol_finding", "巡查发现", "patrol finding"),
    ("rectification_answer", "整改回复", "rectification answer"),
    ("rectification_order", "整改通知", "rectification order"),
    ("region", "行政区划", "region"),
    ("selection", "公开选聘", "selection"),
    ("session", "登录会话", "session"),
    ("step", "进程步骤", "step"),
    ("subsidy_adjustment", "补贴调整", "subsidy adjustment"),
    ("subsidy_line", "补贴明细", "subsidy line"),
    ("subsidy_run", "补贴测算", "subsidy run"),
    ("evaluator_fee", "第三方测评经费", "evaluator's fee"),
    ("survey", "满意度调查", "survey"),
    ("survey_response", "问卷答复", "survey response"),
    ("household", "业主名册住户", "household"),
    ("vote", "业主表决", "owners' vote"),
    ("vote_ballot", "选票", "ballot"),
    ("fund_entry", "维修资金收支", "fund entry"),
    ("fund_use", "维修资金使用申请", "fund use"),
    ("target", "目标", "target"),
    ("task", "任务", "task"),
    ("user", "账号", "account"),
];

/// Actions (`audit_log.action`).
const ACTIONS: &[(&str, &str, &str)] = &[
    ("adjust", "调整", "adjust"),
    ("answer", "回复", "answer"),
    ("archive", "归档", "archive"),
    ("attach_evidence", "附证明材料", "attach evidence"),
    ("apply", "使用表决结果", "use a vote's result"),
    ("cast", "投票", "cast a ballot"),
    ("close", "办结", "close"),
    ("correct", "更正", "correct"),
    ("correct_mode_date", "更正管理方式日期", "correct mode date"),
    ("disable", "停用", "disable"),
    ("enable", "启用", "enable"),
    ("file", "备案", "file"),
    ("import", "导入", "import"),
    ("insert", "新增", "insert"),
    ("issue_tokens", "发放问卷码", "issue tokens"),
    ("login", "登录", "sign in"),
    ("logout", "退出登录", "sign out"),
    ("password", "修改密码", "password"),
    (
        "record_earlier_mode",
        "补录此前的管理方式",
        "record an earlier mode",
    ),
    (
        "set_owners_share",
        "登记业委会分成比例",
        "record the owners' share",
    ),
    ("step", "推进", "step"),
    ("supersede", "替代", "supersede"),
    ("terminate", "终止", "terminate"),
    ("unlock_login", "解除登录限制", "clear sign-in failures"),
    ("update", "修改", "update"),
];

/// Field keys of the stored records (one segment of a dotted path).
const FIELDS: &[(&str, &str, &str)] = &[
    ("id", "编号", "id"),
    ("name", "名称", "name"),
    ("name_en", "英文名称", "English name"),
    ("street", "街道", "street"),
    ("street_id", "街道编号", "street id"),
    ("community", "社区", "community"),
    ("community_id", "社区编号", "community id"),
    ("district", "区县", "district"),
    ("city", "城市", "city"),
    ("region", "区划", "region"),
    ("region_id", "区划编号", "region id"),
    ("region_name", "区划名称", "region name"),
    ("region_level", "区划级别", "region level"),
    ("parent_id", "上级编号", "parent id"),
    ("level", "级别", "level"),
    ("address", "地址", "address"),
    ("built_year", "建成年份", "year built"),
    ("area", "建筑面积", "floor area"),
    ("area_m2", "建筑面积（㎡）", "floor area (m²)"),
    ("buildings", "楼栋数", "buildings"),
    ("households", "户数", "households"),
    ("category", "类别", "category"),
    ("mode", "管理方式", "management mode"),
    ("mode_since", "管理方式起始日", "mode since"),
    ("since", "起始日", "since"),
    (
        "earliest_mode",
        "原最早的管理方式",
        "earliest mode on record",
    ),
    ("until", "截止日", "until"),
    ("verdict", "核实结论", "finding"),
    ("verdict_on", "核实日期", "verified on"),
    ("verdict_note", "核实情况", "what was found"),
    ("verdict_by", "核实人", "verified by"),
    ("percent", "比例（%）", "percent"),
    ("agreed_on", "约定日期", "agreed on"),
    ("stage", "进程阶段", "stage"),
    ("stage_from", "原阶段", "stage from"),
    ("stage_to", "新阶段", "stage to"),
    ("status", "状态", "status"),
    ("to_status", "新状态", "new status"),
    ("compound", "小区", "compound"),
    ("compound_id", "小区编号", "compound id"),
    ("compound_ids", "小区编号", "compound ids"),
    ("company", "物业企业", "company"),
    ("company_id", "企业编号", "company id"),
    ("company_name", "企业名称", "company name"),
    ("credit_code", "统一社会信用代码", "credit code"),
    ("owners_body", "业主组织", "owners' body"),
    ("with_body", "有业主组织", "with owners' body"),
    ("party_branch", "党支部", "party branch"),
    ("contact", "联系方式", "contact"),
    ("contact_person", "联系人", "contact person"),
    ("phone", "电话", "phone"),
    ("coords", "坐标", "coordinates"),
    ("lat_e6", "纬度", "latitude"),
    ("lng_e6", "经度", "longitude"),
    ("note", "备注", "note"),
    ("remarks", "备注", "remarks"),
    ("reason", "原因", "reason"),
    ("reason_zh", "原因", "reason"),
    ("reason_en", "原因（英文）", "reason (English)"),
    ("comment", "意见", "comment"),
    ("description", "说明", "description"),
    ("explanation", "说明", "explanation"),
    ("detail", "详情", "detail"),
    ("summary", "摘要", "summary"),
    ("text", "内容", "text"),
    ("title", "标题", "title"),
    ("subject", "事由", "subject"),
    ("kind", "类型", "kind"),
    ("source", "来源", "source"),
    ("date", "日期", "date"),
    ("on", "日期", "date"),
    ("happened_on", "发生日期", "date"),
    ("entry_on", "进场日期", "entry date"),
    ("signed_on", "签订日期", "signed on"),
    ("filed", "已备案", "filed"),
    ("reviewed_on", "复核日期", "reviewed on"),
    ("received_on", "受理日期", "received on"),
    ("answered_on", "回复日期", "answered on"),
    ("closed_on", "办结日期", "closed on"),
    ("issued_on", "下发日期", "issued on"),
    ("notice_on", "公示日期", "notice date"),
    ("surveyed_on", "调查日期", "surveyed on"),
    ("submitted_on", "提交日期", "submitted on"),
    ("registered_on", "登记日期", "registered on"),
    ("deadline", "期限", "deadline"),
    ("starts_on", "开始日期", "starts on"),
    ("ends_on", "结束日期", "ends on"),
    ("term_start", "服务期起", "term start"),
    ("term_end", "服务期止", "term end"),
    ("term", "服务期", "term"),
    ("period", "期间", "period"),
    ("period_start", "期间起", "period start"),
    ("period_end", "期间止", "period end"),
    ("month", "月份", "month"),
    ("months", "月数", "months"),
    ("year", "年度", "year"),
    ("days", "天数", "days"),
    ("created_at", "创建时间", "created"),
    ("updated_at", "更新时间", "updated"),
    ("created_by", "创建人", "created by"),
    ("version", "版本", "version"),
    ("archived", "已归档", "archived"),
    ("active", "启用", "active"),
    ("username", "登录名", "username"),
    ("display_name", "姓名", "name"),
    ("role", "角色", "role"),
    ("actor", "操作人", "actor"),
    ("session_id", "会话编号", "session id"),
    ("last_seen_at", "最近活动", "last seen"),
    ("amount", "金额", "amount"),
    ("billed", "应收", "billed"),
    ("collected", "实收", "collected"),
    ("rate", "比例", "rate"),
    ("fees", "费用", "fees"),
    ("paid", "已缴", "paid"),
    ("score", "得分", "score"),
    ("points", "分值", "points"),
    ("grade", "等级", "grade"),
    ("grade_code", "等级代码", "grade code"),
    ("passed", "通过", "passed"),
    ("assessor", "评分人", "assessor"),
    ("assessor_kind", "评分方", "assessor kind"),
    ("assessment_id", "考核编号", "assessment id"),
    ("inspector", "巡查人", "inspector"),
    ("findings", "巡查发现", "findings"),
    ("severity", "严重程度", "severity"),
    ("answer", "回复", "answer"),
    ("contract", "合同", "contract"),
    ("contract_id", "合同编号", "contract id"),
    ("order_id", "整改通知编号", "order id"),
    ("order_deadline", "整改期限", "order deadline"),
    ("complaint", "投诉", "complaint"),
    ("service_level", "服务等级", "service level"),
    ("signer", "签约人", "signer"),
    ("signer_name", "签约人姓名", "signer name"),
    ("survey", "调查", "survey"),
    ("satisfied", "满意", "satisfied"),
    ("dissatisfied", "不满意", "dissatisfied"),
    ("respondents", "答卷人数", "respondents"),
    ("responses", "答卷数", "responses"),
    ("target", "目标", "target"),
    ("target_households", "目标户数", "target households"),
    ("responsible", "责任人", "responsible"),
    ("run_id", "测算编号", "run id"),
    ("line_id", "明细编号", "line id"),
    ("policy_id", "政策编号", "policy id"),
    ("eligible", "符合条件", "eligible"),
    ("sha256", "文件摘要", "file digest"),
    ("original_name", "原文件名", "file name"),
    ("mime", "文件类型", "file type"),
    ("size", "大小", "size"),
    ("evidence", "证明材料", "evidence"),
    ("entity", "对象", "record type"),
    ("entity_id", "对象编号", "record id"),
    ("action", "操作", "action"),
    ("before", "变更前", "before"),
    ("after", "变更后", "after"),
    ("total", "合计", "total"),
    ("inserted", "新增", "inserted"),
    ("updated", "修改", "updated"),
    ("unchanged", "未变", "unchanged"),
    ("compounds", "小区数", "compounds"),
    ("regions_created", "新建区划", "regions created"),
];

fn pick(table: &[(&str, &'static str, &'static str)], key: &str, l: Lang) -> Option<&'static str> {
    table
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, zh, en)| l.pick(zh, en))
}

/// A record kind in words (the key itself when unknown).
pub(crate) fn entity(key: &str, l: Lang) -> String {
    pick(ENTITIES, key, l).map_or_else(|| key.to_string(), str::to_string)
}

/// An action in words (the key itself when unknown).
pub(crate) fn action(key: &str, l: Lang) -> String {
    pick(ACTIONS, key, l).map_or_else(|| key.to_string(), str::to_string)
}

/// A field's dotted path in words, segment by segment (`compound.households` → 小区·户数);
/// an unknown segment stays as it is.
pub(crate) fn field(path: &str, l: Lang) -> String {
    path.split('.')
        .map(|seg| pick(FIELDS, seg, l).unwrap_or(seg))
        .collect::<Vec<_>>()
        .join("·")
}

/// The record kinds a reader may filter by: (key, words).
pub(crate) fn entity_choices(l: Lang) -> Vec<(&'static str, &'static str)> {
    ENTITIES
        .iter()
        .map(|(k, zh, en)| (*k, l.pick(zh, en)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_read_in_words_and_unknown_keys_stay() {
        assert_eq!(field("compound.households", Lang::Zh), "小区·户数");
        assert_eq!(field("households", Lang::En), "households");
        assert_eq!(field("built_year", Lang::Zh), "建成年份");
        assert_eq!(field("zz_unknown", Lang::Zh), "zz_unknown");
        assert_eq!(entity("rectification_order", Lang::Zh), "整改通知");
        assert_eq!(entity("new_kind", Lang::Zh), "new_kind");
        assert_eq!(action("insert", Lang::Zh), "新增");
    }

    /// Every action the store writes into the audit log (`action: "…"` in anju-store's
    /// sources) reads in words: a reader never meets a key like `unlock_login`.
    #[test]
    fn every_action_the_store_writes_has_words() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../anju-store/src");
        let mut seen = 0;
        for entry in std::fs::read_dir(&dir).expect("anju-store/src") {
            let path = entry.expect("entry").path();
            let text = std::fs::read_to_string(&path).expect("source");
            for line in text
                .lines()
                .filter(|l| l.trim_start().starts_with("action: "))
            {
                for key in line.split('"').skip(1).step_by(2) {
                    seen += 1;
                    assert!(
                        ACTIONS.iter().any(|(k, _, _)| *k == key),
                        "{}: action {key:?} has no words in ACTIONS",
                        path.display()
                    );
                }
            }
        }
        assert!(seen > 20, "found only {seen} actions");
    }
}
