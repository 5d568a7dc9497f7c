//! Resident pages, no login (issue 5): the satisfaction survey by its link or QR code
//! (`/s/{token}`), the compound's public page (`/p/{public_key}`: 公示 of services and fees,
//! 收支公示, and a complaint form), and the printable sheet of a survey's QR codes.
//!
//! Who may do what is decided by the store: a token works once, only for its compound and only
//! while its survey is open; a public key names one compound and is never its numeric id.
//! QR codes are drawn here as SVG (crate `qrcode`), nothing is fetched at run time.

use crate::{AppState, WebError};
use anju_app::model::{
    AccountStatement, ContractRecord, IssuedToken, StoreError, Survey, SurveyAnswer,
};
use anju_core::CompoundId;
use anju_core::{Fen, Lang};
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

/// Complaint categories offered on the public form (free text is stored as chosen).
use anju_app::public::{COMPLAINT_CATEGORIES as CATEGORIES, ResidentComplaint};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/s/{token}", get(survey_page).post(survey_answer))
        .route("/s/{token}/qr.svg", get(survey_qr))
        .route("/p/{key}", get(public_page))
        .route("/credit/bad-conduct", get(bad_conduct_page))
        .route("/p/{key}/complaint", axum::routing::post(public_complaint))
}

#[derive(Debug, Default, Deserialize)]
pub struct LangQuery {
    pub lang: Option<String>,
    pub period: Option<String>,
}

impl LangQuery {
    fn lang(&self) -> Lang {
        self.lang
            .as_deref()
            .and_then(Lang::parse)
            .unwrap_or_default()
    }
}

fn lang_suffix(lang: Lang) -> &'static str {
    if lang == Lang::En { "?lang=en" } else { "" }
}

/// A QR code of `data` as an inline SVG element (no XML declaration), `size` px square.
pub fn qr_svg(data: &str, size: u32) -> Result<String, WebError> {
    let code = qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| WebError::BadRequest(format!("无法生成二维码：{e}")))?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(size, size)
        .quiet_zone(true)
        .build();
    Ok(match svg.find("<svg") {
        Some(i) => svg[i..].to_string(),
        None => svg,
    })
}

/// The absolute origin of this server: the `Host` header (behind a proxy, `X-Forwarded-Proto`
/// and `X-Forwarded-Host` win). AppState carries no configured base URL yet.
pub(crate) fn origin(headers: &HeaderMap) -> String {
    let get = |h: &str| {
        headers
            .get(h)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.split(',').next().unwrap_or("").trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let host = get("x-forwarded-host")
        .or_else(|| get(header::HOST.as_str()))
        .unwrap_or_else(|| "127.0.0.1:8080".to_string());
    let proto = get("x-forwarded-proto").unwrap_or_else(|| "http".to_string());
    format!("{proto}://{host}")
}

/// The survey link of a token under `base` ("https://anju.example.cn" → ".../s/<token>").
pub fn survey_link(base: &str, token: &str) -> String {
    format!("{}/s/{token}", base.trim_end_matches('/'))
}

// ---------------------------------------------------------------- survey by link

#[derive(Template)]
#[template(path = "resident_survey.html")]
struct SurveyPage {
    html_lang: &'static str,
    t: SurveyLabels,
    compound: String,
    street: String,
    period: String,
    /// Shown above the form (a refusal, a missing field) or instead of it.
    message: Option<String>,
    /// The message is good news (thanks), not a refusal.
    ok: bool,
    show_form: bool,
    action: String,
    compound_id: i64,
    comment: String,
    score: String,
    score_options: Vec<(&'static str, bool)>,
    satisfied: String,
    qr: String,
    link: String,
    other_lang_link: String,
}

struct SurveyLabels {
    title: &'static str,
    intro: &'static str,
    question: &'static str,
    yes: &'static str,
    no: &'static str,
    score: &'static str,
    score_none: &'static str,
    comment: &'static str,
    submit: &'static str,
    once: &'static str,
    qr_caption: &'static str,
    other_lang: &'static str,
}

impl SurveyLabels {
    fn new(lang: Lang) -> SurveyLabels {
        let p = |zh, en| lang.pick(zh, en);
        SurveyLabels {
            title: p("物业服务满意度调查", "Property service satisfaction survey"),
            intro: p(
                "您好！街道正在了解本小区物业服务情况，请您如实填写。问卷匿名，只用于考核物业企业。",
                "The street office asks how well your compound's property service works. \
                 Your answer is anonymous and used only to assess the company.",
            ),
            question: p(
                "您对本小区的物业服务是否满意？",
                "Are you satisfied with the property service in your compound?",
            ),
            yes: p("满意", "Satisfied"),
            no: p("不满意", "Not satisfied"),
            score: p(
                "打分（可选，1–5 分，5 分最好）",
                "Score (optional, 1–5, 5 is best)",
            ),
            score_none: p("不打分", "No score"),
            comment: p("意见和建议（可选）", "Comments (optional)"),
            submit: p("提交", "Submit"),
            once: p(
                "每户只能提交一次，提交后不能修改。",
                "One answer per household; it cannot be changed afterwards.",
            ),
            qr_caption: p("本问卷的二维码", "This survey's QR code"),
            other_lang: p("English", "中文"),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct AnswerForm {
    pub compound: Option<i64>,
    pub satisfied: Option<String>,
    pub score: Option<String>,
    pub comment: Option<String>,
}

/// The message of a store refusal in the reader's language, and its status.
fn refusal(e: &StoreError, lang: Lang) -> Option<(StatusCode, String)> {
    let status = match e {
        StoreError::Refused { .. } | StoreError::Conflict { .. } => StatusCode::CONFLICT,
        StoreError::Forbidden(_) => StatusCode::FORBIDDEN,
        StoreError::Invalid(_) | StoreError::Duplicate(_) => StatusCode::UNPROCESSABLE_ENTITY,
        StoreError::NotFound { .. } => StatusCode::NOT_FOUND,
        _ => return None,
    };
    let msg = match (e, lang) {
        (StoreError::Forbidden(_), Lang::En) => {
            "Not allowed: this survey link belongs to another compound".to_string()
        }
        _ => e.message(lang),
    };
    Some((status, msg))
}

fn html_page(status: StatusCode, body: String) -> Response {
    (status, Html(body)).into_response()
}

fn score_options(chosen: &str) -> Vec<(&'static str, bool)> {
    ["5", "4", "3", "2", "1"]
        .into_iter()
        .map(|n| (n, n == chosen))
        .collect()
}

async fn survey_view(
    state: &AppState,
    headers: &HeaderMap,
    token: &str,
    lang: Lang,
) -> Result<Result<SurveyPage, Response>, WebError> {
    let Some(ts) = state.app.survey_by_token(token).await? else {
        let msg = lang
            .pick(
                "问卷链接无效，请核对链接或二维码",
                "This survey link is not valid; please check the link or QR code",
            )
            .to_string();
        return Ok(Err(html_page(
            StatusCode::NOT_FOUND,
            NoticePage::new(lang, msg).render()?,
        )));
    };
    let link = survey_link(&origin(headers), token);
    let used_msg = lang.pick(
        "该问卷链接已使用过，每户只能提交一次。感谢您的参与！",
        "This survey link has already been used: one answer per household. Thank you!",
    );
    let closed_msg = lang.pick(
        "调查已结束，不能再提交问卷。",
        "This survey is closed and takes no more answers.",
    );
    let message = if ts.used {
        Some(used_msg.to_string())
    } else if ts.survey.closed {
        Some(closed_msg.to_string())
    } else {
        None
    };
    Ok(Ok(SurveyPage {
        html_lang: if lang == Lang::En { "en" } else { "zh-CN" },
        t: SurveyLabels::new(lang),
        compound: ts.survey.compound.clone(),
        street: ts.street,
        period: ts.survey.period.clone(),
        show_form: message.is_none(),
        message,
        ok: false,
        action: format!("/s/{token}{}", lang_suffix(lang)),
        compound_id: ts.survey.compound_id,
        comment: String::new(),
        score: String::new(),
        score_options: score_options(""),
        satisfied: String::new(),
        qr: qr_svg(&link, 160)?,
        link,
        other_lang_link: format!(
            "/s/{token}{}",
            if lang == Lang::En { "" } else { "?lang=en" }
        ),
    }))
}

async fn survey_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let lang = q.lang();
    Ok(match survey_view(&state, &headers, &token, lang).await? {
        Ok(page) => html_page(StatusCode::OK, page.render()?),
        Err(resp) => resp,
    })
}

async fn survey_answer(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    Form(form): Form<AnswerForm>,
) -> Result<Response, WebError> {
    let lang = q.lang();
    let mut page = match survey_view(&state, &headers, &token, lang).await? {
        Ok(page) => page,
        Err(resp) => return Ok(resp),
    };
    page.comment = form.comment.clone().unwrap_or_default();
    page.score = form.score.clone().unwrap_or_default();
    page.score_options = score_options(page.score.trim());
    page.satisfied = form.satisfied.clone().unwrap_or_default();
    let satisfied = match form.satisfied.as_deref() {
        Some("yes") => Some(true),
        Some("no") => Some(false),
        _ => None,
    };
    let score = match form.score.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        // Its range (1–5) is the application's rule; here only whether it is a number.
        Some(s) => s.parse::<u8>().map(Some).map_err(|_| ()),
    };
    let problem = match (satisfied, &score) {
        (None, _) => Some(lang.pick(
            "请选择“是否满意”（满意 或 不满意）",
            "Please choose “Satisfied” or “Not satisfied”",
        )),
        (_, Err(())) => Some(lang.pick(
            "“打分”应为整数，或不打分",
            "“Score” must be a whole number, or none",
        )),
        _ => None,
    };
    if let Some(p) = problem {
        page.message = Some(p.to_string());
        return Ok(html_page(StatusCode::UNPROCESSABLE_ENTITY, page.render()?));
    }
    let answer = SurveyAnswer {
        satisfied: satisfied.unwrap_or(false),
        score: score.unwrap_or(None),
        comment: form.comment.clone(),
    };
    let compound = form.compound.unwrap_or(page.compound_id);
    match state
        .app
        .answer_survey(&token, CompoundId(compound), answer)
        .await
    {
        Ok(()) => {
            page.show_form = false;
            page.ok = true;
            page.message = Some(
                lang.pick(
                    "提交成功，感谢您的参与！",
                    "Thank you: your answer has been recorded.",
                )
                .to_string(),
            );
            Ok(html_page(StatusCode::OK, page.render()?))
        }
        Err(anju_app::AppError::Store(e)) => match refusal(&e, lang) {
            Some((status, msg)) => {
                page.message = Some(msg);
                page.show_form = status == StatusCode::UNPROCESSABLE_ENTITY;
                Ok(html_page(status, page.render()?))
            }
            None => Err(e.into()),
        },
        // What the resident typed stays in the form with the reason.
        Err(e) => {
            page.message = Some(e.message(lang));
            Ok(html_page(StatusCode::UNPROCESSABLE_ENTITY, page.render()?))
        }
    }
}

async fn survey_qr(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    if state.app.survey_by_token(&token).await?.is_none() {
        return Ok((StatusCode::NOT_FOUND, "问卷链接无效").into_response());
    }
    let svg = qr_svg(&survey_link(&origin(&headers), &token), 240)?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        svg,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "resident_notice.html")]
struct NoticePage {
    html_lang: &'static str,
    title: &'static str,
    message: String,
}

impl NoticePage {
    fn new(lang: Lang, message: String) -> NoticePage {
        NoticePage {
            html_lang: if lang == Lang::En { "en" } else { "zh-CN" },
            title: lang.pick("安居", "Anju"),
            message,
        }
    }
}

// ---------------------------------------------------------------- printable QR sheet

#[derive(Template)]
#[template(path = "resident_qr_sheet.html")]
pub(crate) struct QrSheet {
    pub(crate) html_lang: &'static str,
    pub(crate) title: String,
    pub(crate) subtitle: String,
    pub(crate) cards: Vec<QrCard>,
    pub(crate) footer: String,
}

pub(crate) struct QrCard {
    pub(crate) label: String,
    pub(crate) qr: String,
    pub(crate) link: String,
    pub(crate) used: Option<&'static str>,
}

/// The printable A4 sheet of a survey's QR codes: one card per token with the household label,
/// the QR code (inline SVG) and the link written out, for the street to hand out.
pub fn survey_qr_sheet(
    survey: &Survey,
    tokens: &[IssuedToken],
    base_url: &str,
    lang: Lang,
) -> Result<String, WebError> {
    let base = base_url.trim().trim_end_matches('/');
    if !(base.starts_with("http://") || base.starts_with("https://")) {
        return Err(WebError::BadRequest(format!(
            "{}“{base_url}”",
            lang.pick(
                "网址前缀应以 http:// 或 https:// 开头：",
                "the base URL must start with http:// or https://: "
            )
        )));
    }
    let mut cards = Vec::with_capacity(tokens.len());
    for (i, t) in tokens.iter().enumerate() {
        let link = survey_link(base, &t.token);
        cards.push(QrCard {
            label: match &t.household {
                Some(h) => h.clone(),
                None => match lang {
                    Lang::En => format!("Household no. {}", i + 1),
                    _ => format!("第 {} 户", i + 1),
                },
            },
            qr: qr_svg(&link, 150)?,
            link,
            used: t.used.then(|| lang.pick("已提交", "answered")),
        });
    }
    let sheet = QrSheet {
        html_lang: if lang == Lang::En { "en" } else { "zh-CN" },
        title: match lang {
            Lang::En => format!("{} · satisfaction survey {}", survey.compound, survey.period),
            _ => format!("{} · {} 物业服务满意度调查", survey.compound, survey.period),
        },
        subtitle: match lang {
            Lang::En => format!(
                "Survey no. {}: {} links; at least {} answers needed. Scan with a phone camera or WeChat; each code works once.",
                survey.id,
                tokens.len(),
                survey.required_sample
            ),
            _ => format!(
                "调查编号 {}：共 {} 份，至少需回收 {} 份。请用手机相机或微信扫码填写，每个二维码只能提交一次。",
                survey.id,
                tokens.len(),
                survey.required_sample
            ),
        },
        cards,
        footer: lang
            .pick(
                "请剪下后发给对应住户；二维码即是凭证，请勿复印或转交他人。",
                "Cut out and hand to the household; the code is the credential, do not copy or pass it on.",
            )
            .to_string(),
    };
    Ok(sheet.render()?)
}

// ---------------------------------------------------------------- the compound's public page

#[derive(Template)]
#[template(path = "resident_public.html")]
struct PublicPage {
    html_lang: &'static str,
    t: PublicLabels,
    demo: bool,
    compound: String,
    street: String,
    facts: Vec<(&'static str, String)>,
    contracts: Vec<Vec<(&'static str, String)>>,
    periods: Vec<(String, String, bool)>,
    statement: Option<StatementView>,
    fund: Option<FundView>,
    form: ComplaintFormView,
    other_lang_link: String,
}

/// 维修资金 on the public page: the balance line and the uses paid as (day, what, amount).
struct FundView {
    line: String,
    uses: Vec<(String, String, String)>,
}

struct StatementView {
    period: String,
    income: Vec<(String, String)>,
    income_total: String,
    spending: Vec<(String, String)>,
    spending_total: String,
    balance: String,
    share_line: String,
}

#[derive(Default)]
struct ComplaintFormView {
    action: String,
    categories: Vec<(String, String, bool)>,
    text: String,
    contact: String,
    error: Option<String>,
    done: Option<String>,
}

struct PublicLabels {
    notice: &'static str,
    no_contract: &'static str,
    accounts: &'static str,
    fund: &'static str,
    no_accounts: &'static str,
    income: &'static str,
    spending: &'static str,
    balance: &'static str,
    complaint: &'static str,
    complaint_intro: &'static str,
    category: &'static str,
    text: &'static str,
    contact: &'static str,
    submit: &'static str,
    other_lang: &'static str,
    demo_banner: &'static str,
}

impl PublicLabels {
    fn new(lang: Lang) -> PublicLabels {
        let p = |zh, en| lang.pick(zh, en);
        PublicLabels {
            notice: p("物业服务公示", "Property service notice"),
            no_contract: p(
                "本小区目前没有在履行的物业服务合同。",
                "No property service contract is in force for this compound.",
            ),
            accounts: p("收支公示", "Public accounts"),
            fund: p("专项维修资金", "Maintenance fund"),
            no_accounts: p(
                "本期暂无收支公示。",
                "No accounts published for this period.",
            ),
            income: p("收入", "Income"),
            spending: p("支出", "Spending"),
            balance: p("结余", "Balance"),
            complaint: p("我要投诉", "Make a complaint"),
            complaint_intro: p(
                "投诉将交办给本小区的物业服务企业，并由街道督办。",
                "Your complaint goes to the compound's property company; the street office follows it up.",
            ),
            category: p("投诉类别", "Category"),
            text: p("投诉内容", "Complaint"),
            contact: p("联系方式（可选）", "Contact (optional)"),
            submit: p("提交投诉", "Submit"),
            other_lang: p("English", "中文"),
            demo_banner: p(
                "演示数据：本页数据为演示用，并非真实情况",
                "Demo data: the figures on this page are invented",
            ),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ComplaintForm {
    pub category: Option<String>,
    pub text: Option<String>,
    pub contact: Option<String>,
}

fn yuan_per_m2(f: Option<Fen>, lang: Lang) -> String {
    match f {
        Some(f) => format!("{} {}", f.plain(), lang.pick("元/㎡·月", "yuan/㎡/month")),
        None => "-".into(),
    }
}

fn contract_rows(c: &ContractRecord, lang: Lang) -> Vec<(&'static str, String)> {
    let p = |zh, en| lang.pick(zh, en);
    let mut rows = vec![
        (p("物业服务企业", "Property company"), c.company.clone()),
        (
            p("服务等级", "Service level"),
            match lang {
                Lang::En => c.service_level.en(),
                _ => c.service_level.zh(),
            },
        ),
        (
            p("多层收费标准", "Fee, multi-storey"),
            yuan_per_m2(c.fees.multi, lang),
        ),
        (
            p("高层收费标准", "Fee, high-rise"),
            yuan_per_m2(c.fees.high, lang),
        ),
        (
            p("合同期限", "Term"),
            format!("{} – {}", c.term_start(), c.term_last_day()),
        ),
        (p("签订日期", "Signed on"), c.signed_on.to_string()),
        (
            p("备案日期", "Filed on"),
            c.filed_on
                .map(|d| d.to_string())
                .unwrap_or_else(|| p("未备案", "not filed").into()),
        ),
    ];
    if let Some(d) = c.notice_on {
        rows.push((p("公示日期", "Notice published"), d.to_string()));
    }
    rows
}

fn statement_view(st: &AccountStatement, lang: Lang) -> StatementView {
    let (share_applies, share_agreed) = (st.owners_share_applies, st.owners_share_agreed);
    let t = &st.totals;
    let income = [
        (anju_core::accounts::EntryKind::IncomeFees, t.income_fees),
        (
            anju_core::accounts::EntryKind::IncomePublicRevenue,
            t.income_public_revenue,
        ),
        (
            anju_core::accounts::EntryKind::IncomeSubsidy,
            t.income_subsidy,
        ),
    ]
    .into_iter()
    .map(|(k, f)| (k.name(lang).to_string(), f.display_yuan()))
    .collect();
    StatementView {
        period: st.period.clone(),
        income,
        income_total: t.income.display_yuan(),
        spending: t
            .spending_by_category
            .iter()
            .map(|(c, f)| (c.clone(), f.display_yuan()))
            .collect(),
        spending_total: t.spending.display_yuan(),
        balance: t.balance.display_yuan(),
        share_line: match lang {
            // No owners' body: nobody to receive a share, so none is shown (issue 15 item 8).
            Lang::En if !share_applies => {
                "No owners' body yet: no share of the fee income is set aside for one.".to_string()
            }
            _ if !share_applies => {
                "本小区尚未成立业主委员会或物业管理委员会，物业费收入不提取业主组织分成。"
                    .to_string()
            }
            Lang::En => format!(
                "Owners' body share of fee income ({} %, {}): {}",
                t.owners_share_percent.normalize(),
                if share_agreed {
                    "as agreed for this compound"
                } else {
                    "no agreed share recorded: the default, within the seed's 6–10 %"
                },
                t.owners_share.display_yuan()
            ),
            _ => format!(
                "其中物业费收入的 {}% 归业主委员会（{}）：{}",
                t.owners_share_percent.normalize(),
                if share_agreed {
                    "本小区约定的比例"
                } else {
                    "尚未登记约定比例，按默认比例，在 6–10% 之间"
                },
                t.owners_share.display_yuan()
            ),
        },
    }
}

async fn public_view(
    state: &AppState,
    key: &str,
    q: &LangQuery,
    form: ComplaintFormView,
) -> Result<Result<PublicPage, Response>, WebError> {
    let lang = q.lang();
    let Some(pc) = state.app.public_compound(key, q.period.as_deref()).await? else {
        let msg = lang
            .pick(
                "找不到该小区的公示页，请核对网址",
                "No public page at this address",
            )
            .to_string();
        return Ok(Err(html_page(
            StatusCode::NOT_FOUND,
            NoticePage::new(lang, msg).render()?,
        )));
    };
    let c = &pc.compound.compound;
    let p = |zh, en| lang.pick(zh, en);
    let mut facts = vec![(p("管理方式", "Management"), c.mode.label(lang).to_string())];
    if let Some(h) = c.households {
        facts.push((p("户数", "Households"), h.to_string()));
    }
    if let Some(comm) = &c.community {
        facts.push((p("社区", "Community"), comm.clone()));
    }
    if let Some(co) = &pc.company {
        facts.push((p("物业服务企业", "Property company"), co.name.clone()));
        if let Some(who) = &co.contact_person {
            facts.push((p("联系人", "Contact"), who.clone()));
        }
        if let Some(phone) = &co.phone {
            facts.push((p("联系电话", "Phone"), phone.clone()));
        }
    }
    let contracts = pc
        .contracts
        .iter()
        .map(|k| contract_rows(k, lang))
        .collect();
    let periods_all = pc.periods.clone();
    let chosen = pc.period.clone();
    let statement = pc.statement.as_ref().map(|st| statement_view(st, lang));
    let lang_q = if lang == Lang::En { "&lang=en" } else { "" };
    let periods = periods_all
        .iter()
        .map(|per| {
            (
                per.clone(),
                format!("/p/{key}?period={}{lang_q}", url_encode(per)),
                chosen.as_deref() == Some(per.as_str()),
            )
        })
        .collect();
    let mut form = form;
    form.action = format!("/p/{key}/complaint{}", lang_suffix(lang));
    let picked = form
        .categories
        .iter()
        .find(|(_, _, sel)| *sel)
        .map(|(v, _, _)| v.clone());
    form.categories = CATEGORIES
        .iter()
        .map(|(zh, en)| {
            (
                zh.to_string(),
                lang.pick(zh, en).to_string(),
                picked.as_deref() == Some(*zh),
            )
        })
        .collect();
    let base = format!("/p/{key}");
    let other_lang_link = match (lang, &chosen) {
        (Lang::En, Some(per)) => format!("{base}?period={}", url_encode(per)),
        (Lang::En, None) => base,
        (_, Some(per)) => format!("{base}?period={}&lang=en", url_encode(per)),
        (_, None) => format!("{base}?lang=en"),
    };
    let mut t = PublicLabels::new(lang);
    if pc.company.is_some() {
        // The company serves the compound; its contract is just not on record here yet.
        t.no_contract = p(
            "物业服务合同尚未在系统中登记；如有问题可先联系上方物业服务企业，或在下方提交投诉。",
            "The service contract is not on record here yet; contact the company above, or complain below.",
        );
    }
    Ok(Ok(PublicPage {
        html_lang: if lang == Lang::En { "en" } else { "zh-CN" },
        t,
        demo: state.demo,
        compound: c.name.clone(),
        street: c.street.clone(),
        facts,
        contracts,
        periods,
        statement,
        fund: pc.fund.as_ref().map(|f| FundView {
            line: match lang {
                Lang::Zh => format!(
                    "余额 {}（累计缴存 {}，累计拨付 {}）",
                    f.balance.display_yuan(),
                    f.deposited.display_yuan(),
                    f.paid.display_yuan()
                ),
                Lang::En => format!(
                    "Balance {} (paid in {}, paid out {})",
                    f.balance.display_yuan(),
                    f.deposited.display_yuan(),
                    f.paid.display_yuan()
                ),
            },
            uses: f
                .uses
                .iter()
                .map(|u| {
                    (
                        u.paid_on.map(|d| d.to_string()).unwrap_or_default(),
                        u.title.clone(),
                        u.paid.map(|p| p.display_yuan()).unwrap_or_default(),
                    )
                })
                .collect(),
        }),
        form,
        other_lang_link,
    }))
}

/// Percent-encodes a query value (periods are ASCII or Chinese text).
fn url_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

async fn public_page(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Query(q): Query<LangQuery>,
) -> Result<Response, WebError> {
    Ok(
        match public_view(&state, &key, &q, ComplaintFormView::default()).await? {
            Ok(page) => html_page(StatusCode::OK, page.render()?),
            Err(resp) => resp,
        },
    )
}

async fn public_complaint(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Query(q): Query<LangQuery>,
    Form(f): Form<ComplaintForm>,
) -> Result<Response, WebError> {
    let lang = q.lang();
    let mut form = ComplaintFormView {
        categories: vec![(f.category.clone().unwrap_or_default(), String::new(), true)],
        text: f.text.clone().unwrap_or_default(),
        contact: f.contact.clone().unwrap_or_default(),
        ..ComplaintFormView::default()
    };
    let added = state
        .app
        .public_complaint(
            &key,
            ResidentComplaint {
                category: f.category.unwrap_or_default(),
                text: f.text.unwrap_or_default(),
                contact: f.contact,
            },
        )
        .await;
    match added {
        // No compound has this key: the page says so.
        Ok(None) => Ok(match public_view(&state, &key, &q, form).await? {
            Ok(page) => html_page(StatusCode::NOT_FOUND, page.render()?),
            Err(resp) => resp,
        }),
        Ok(Some(c)) => {
            let done = match lang {
                Lang::En => format!(
                    "Complaint no. {} received. The company must sign for it by {} and answer by {}.",
                    c.id, c.sign_deadline, c.answer_deadline
                ),
                _ => format!(
                    "已收到您的投诉（编号 {}）。物业企业应于 {} 前签收、{} 前答复。",
                    c.id, c.sign_deadline, c.answer_deadline
                ),
            };
            let form = ComplaintFormView {
                done: Some(done),
                ..ComplaintFormView::default()
            };
            Ok(match public_view(&state, &key, &q, form).await? {
                Ok(page) => html_page(StatusCode::CREATED, page.render()?),
                Err(resp) => resp,
            })
        }
        Err(anju_app::AppError::Store(e)) => match refusal(&e, lang) {
            Some((status, msg)) => {
                form.error = Some(msg);
                Ok(match public_view(&state, &key, &q, form).await? {
                    Ok(page) => html_page(status, page.render()?),
                    Err(resp) => resp,
                })
            }
            None => Err(e.into()),
        },
        // The form keeps what was typed, with the reason.
        Err(e) => {
            form.error = Some(e.message(lang));
            Ok(match public_view(&state, &key, &q, form).await? {
                Ok(page) => html_page(StatusCode::UNPROCESSABLE_ENTITY, page.render()?),
                Err(resp) => resp,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_encoding() {
        assert_eq!(
            survey_link("https://anju.example.cn/", "ab12"),
            "https://anju.example.cn/s/ab12"
        );
        assert_eq!(url_encode("2026H1"), "2026H1");
        assert_eq!(url_encode("2026年"), "2026%E5%B9%B4");
    }

    #[test]
    fn qr_is_inline_svg() {
        let svg = qr_svg(
            "http://127.0.0.1:8080/s/0123456789abcdef0123456789abcdef",
            120,
        )
        .expect("qr");
        assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
        assert!(svg.ends_with("</svg>"));
    }

    #[test]
    fn origin_prefers_forwarded_headers() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, "10.0.0.5:8080".parse().expect("hv"));
        assert_eq!(origin(&h), "http://10.0.0.5:8080");
        h.insert("x-forwarded-proto", "https".parse().expect("hv"));
        h.insert("x-forwarded-host", "anju.example.cn".parse().expect("hv"));
        assert_eq!(origin(&h), "https://anju.example.cn");
    }
}

/// 不良行为记录公示: the companies whose bad-conduct records stand, for anyone (residents,
/// owners' committees choosing a company). The rule of the list is the credit scheme's window.
#[derive(Template)]
#[template(path = "bad_conduct_public.html")]
struct BadConductPage {
    l: Lang,
    html_lang: &'static str,
    today: String,
    months: u32,
    /// Whether the scheme bars a listed company from registering.
    bars: bool,
    companies: Vec<anju_app::public::ListedCompany>,
    other_lang: String,
}

async fn bad_conduct_page(
    State(state): State<AppState>,
    Query(q): Query<LangQuery>,
) -> Result<Response, WebError> {
    let l = q.lang();
    let companies = state
        .app
        .public_bad_conduct()
        .await
        .map_err(|e| WebError::app(e, l))?;
    let page = BadConductPage {
        l,
        html_lang: l.pick("zh-CN", "en"),
        today: state.app.today().to_string(),
        months: state.app.config().credit_scheme.window_months,
        bars: state.app.config().credit_scheme.bad_conduct_bars_selection,
        companies,
        other_lang: l
            .pick("/credit/bad-conduct?lang=en", "/credit/bad-conduct")
            .to_string(),
    };
    Ok(html_page(StatusCode::OK, page.render()?))
}
