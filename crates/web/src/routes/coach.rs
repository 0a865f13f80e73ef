//! The message coach: paste a draft, say who will read it and what kind of
//! message it is, and see the score, the five dimensions and every finding
//! marked in the text.
//!
//! A plain form submit (`POST /coach`) works without JavaScript. With it,
//! `coach.js` posts the draft as JSON to `POST /coach/live` while the person
//! types and swaps in the fragment that comes back; both answers come from
//! the same `coach_result.html` partial, so there is one renderer.

use std::sync::OnceLock;

use askama::Template;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Query};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use crate::routes::forms::Form;
use pmcoach_comms::{Audience, CheckOptions, Checker, DimensionId, Kind, Report, Severity};
use pmcoach_store::User;
use serde::Deserialize;
use tower_sessions::Session;

use super::forms::FieldErrors;
use crate::access::{Access, CurrentUser, Routes};
use crate::error::{ApiError, AppError, AppResult};
use crate::page::{Chrome, Nav, render};

pub fn routes(routes: Routes) -> Routes {
    routes
        .get("/coach", Access::Member, page)
        .post("/coach", Access::Member, submit)
        .post("/coach/live", Access::Member, live)
        .get("/static/coach.js", Access::Anonymous, script)
}

/// The one checker of the whole app, built on first use. Building it
/// compiles the word lists; checking takes `&self` and it is `Send + Sync`.
pub fn checker() -> &'static Checker {
    static CHECKER: OnceLock<Checker> = OnceLock::new();
    CHECKER.get_or_init(Checker::new)
}

/// The longest message the coach checks, in characters.
pub const MAX_CHARS: usize = 100_000;

/// The script that makes the coach live; the page works without it.
const JS: &str = include_str!("../../assets/coach.js");

#[tracing::instrument(skip_all)]
async fn script() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], JS)
}

// ---- audiences, kinds and examples as the page shows them ----

/// An audience in the select, with what its readers need.
pub struct AudienceOption {
    pub value: &'static str,
    pub label: &'static str,
    pub needs: String,
    pub selected: bool,
}

/// The audience's label, how a sentence names its readers, and what they
/// need, in one line.
fn audience_text(audience: Audience) -> (&'static str, &'static str, &'static str) {
    match audience {
        Audience::Exec => (
            "Executives",
            "executives",
            "Decide from the first two lines: lead with the point and the ask, and put a number beside every claim.",
        ),
        Audience::Engineering => (
            "Engineering",
            "engineers",
            "Want the problem, the constraints and the trade-off you propose; precise detail is welcome, hype is not.",
        ),
        Audience::Sales => (
            "Sales",
            "sales reps",
            "Need what changes for their deals and the words to use with a customer, in a few plain lines.",
        ),
        Audience::CustomerSuccess => (
            "Customer success",
            "customer success managers",
            "Need what customers will notice, from when, and what to say when a customer asks.",
        ),
        Audience::Customer => (
            "Customers",
            "customers",
            "Want to feel heard first, then what changes for them, in plain words with no internal names.",
        ),
        Audience::Design => {
            ("Design", "designers", "Want the user problem and the evidence behind it before any solution or deadline.")
        }
        Audience::Peer => (
            "Fellow product people",
            "fellow product people",
            "Share your context and vocabulary, but still need the point first and a clear ask.",
        ),
    }
}

/// How a sentence names an audience's readers ("engineers"), for pages
/// that link to the coach with an audience chosen.
pub fn readers(audience: Audience) -> &'static str {
    audience_text(audience).1
}

fn audience_options(selected: &str) -> Vec<AudienceOption> {
    Audience::ALL
        .iter()
        .map(|&audience| {
            let (label, _, needs) = audience_text(audience);
            let (budget, grade) = checker().targets(audience);
            AudienceOption {
                value: audience.as_str(),
                label,
                needs: format!("{needs} About {budget} words at most, reading grade {} or lower.", grade_text(grade)),
                selected: audience.as_str() == selected,
            }
        })
        .collect()
}

/// A kind in the select ("" is "not sure").
pub struct KindOption {
    pub value: &'static str,
    pub label: &'static str,
    pub expects: &'static str,
    pub selected: bool,
}

fn kind_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Update => "Status update",
        Kind::Request => "Request",
        Kind::Announcement => "Announcement",
        Kind::Reply => "Reply",
        Kind::Collateral => "Collateral",
    }
}

/// What readers expect from each kind of message, in one line.
fn kind_expects(kind: Kind) -> &'static str {
    match kind {
        Kind::Update => "Where things stand and what changed; no ask is expected, so none is missed.",
        Kind::Request => "One ask that says what you need, from whom, and by when.",
        Kind::Announcement => "Read by many at once, so it may run a little longer; the point still comes first.",
        Kind::Reply => "Shows the reader they were heard before it explains or asks anything.",
        Kind::Collateral => "About the reader's problem and gain, with proof instead of superlatives.",
    }
}

/// How the result names the kind it checked for.
fn kind_noun(kind: Kind) -> &'static str {
    match kind {
        Kind::Update => "a status update",
        Kind::Request => "a request",
        Kind::Announcement => "an announcement",
        Kind::Reply => "a reply",
        Kind::Collateral => "collateral",
    }
}

fn kind_options(selected: &str) -> Vec<KindOption> {
    let not_sure = KindOption {
        value: "",
        label: "Not sure",
        expects: "The coach assumes nothing, except that a message to customers is a reply.",
        selected: selected.is_empty(),
    };
    std::iter::once(not_sure)
        .chain(Kind::ALL.iter().map(|&kind| KindOption {
            value: kind.as_str(),
            label: kind_label(kind),
            expects: kind_expects(kind),
            selected: kind.as_str() == selected,
        }))
        .collect()
}

/// A sample draft that shows what the coach finds.
pub struct Example {
    pub slug: &'static str,
    pub title: &'static str,
    pub audience: Audience,
    pub kind: Kind,
    pub text: &'static str,
}

impl Example {
    pub fn audience_label(&self) -> &'static str {
        audience_text(self.audience).0
    }

    pub fn kind_label(&self) -> &'static str {
        kind_noun(self.kind)
    }
}

pub const EXAMPLES: &[Example] = &[
    Example {
        slug: "exec-update",
        title: "A launch update to your VP",
        audience: Audience::Exec,
        kind: Kind::Update,
        text: "Hi Dana,\n\n\
Just wanted to give you a quick update on where things are with the Workspaces launch. As you know, the team has \
been working really hard over the last few sprints and we have made a lot of progress on the core flows, although \
there were some issues with the SSO integration that were caused by the platform team changing the auth service \
without telling us, which obviously slowed things down quite a bit.\n\n\
We basically think we might be able to ship the beta soon, probably, assuming QA signs off and the migration scripts \
behave. The new onboarding is a game-changing, best-in-class experience and early feedback has been significantly \
better than the old one.\n\n\
There are also a few open questions around pricing and whether the enterprise tier should include audit logs, which \
sales keeps asking about, and I think it would be good to get alignment on that at some point.\n\n\
Let me know your thoughts.\n\n\
Thanks,\nPriya\n",
    },
    Example {
        slug: "customer-reply",
        title: "A reply to a customer whose export failed",
        audience: Audience::Customer,
        kind: Kind::Reply,
        text: "Hi Marco,\n\n\
Per our documentation, CSV exports over 50k rows are processed asynchronously by the ETL pipeline, so the timeout \
you hit is expected behaviour and not a bug. You should have used the scheduled export instead.\n\n\
Our engineering team is leveraging a best-in-class queueing framework to address this, and a fix will be deployed \
soon.\n\n\
Regards,\nThe Support Team\n",
    },
    Example {
        slug: "engineering-request",
        title: "A request to engineering for a deal",
        audience: Audience::Engineering,
        kind: Kind::Request,
        text: "Hey team,\n\n\
Sales is super excited about the Acme deal and we really need the new approval workflow ASAP. It's a massive \
opportunity and honestly it should be a pretty simple change, just a couple of extra states on the order object.\n\n\
Can someone take a look and let me know if it's doable?\n\n\
Thanks!\n",
    },
];

fn grade_text(grade: f64) -> String {
    let text = format!("{grade:.1}");
    text.strip_suffix(".0").map(str::to_owned).unwrap_or(text)
}

// ---- the result as the partial shows it ----

/// One dimension's row.
pub struct DimensionView {
    pub label: &'static str,
    pub score: u8,
    pub band: &'static str,
    pub explanation: String,
}

/// One finding in the list, numbered from 1 in text order.
pub struct FindingView {
    pub number: usize,
    pub rule: &'static str,
    pub rule_summary: &'static str,
    pub severity: &'static str,
    pub message: String,
    pub suggestion: Option<String>,
    /// The offending text, shortened when long.
    pub excerpt: String,
    pub line: usize,
}

/// A stretch of the message with the same findings over all of it.
#[derive(Debug, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    /// Findings whose span starts here (the target of their "show in text" link).
    pub anchors: Vec<usize>,
    pub mark: Option<SegmentMark>,
}

/// How a marked stretch looks and where it links.
#[derive(Debug, PartialEq, Eq)]
pub struct SegmentMark {
    /// The severity of the finding it links to.
    pub severity: &'static str,
    /// The finding the mark links to: the narrowest over the stretch (the
    /// most specific), then the most serious.
    pub target: usize,
    /// Every finding over the stretch, for screen readers ("2" or "2, 3").
    pub findings: String,
    pub overlap: bool,
    /// The most serious severity of the other findings over the stretch,
    /// shown as the underline, so a word inside a marked sentence shows both.
    pub outer: Option<&'static str>,
}

/// Everything the result partial shows.
pub struct ResultView {
    pub score: u8,
    pub band: &'static str,
    pub verdict: &'static str,
    /// `stroke-dasharray` of the score ring.
    pub ring: String,
    pub audience: &'static str,
    pub kind: Option<&'static str>,
    pub dimensions: Vec<DimensionView>,
    pub words: usize,
    pub word_budget: u32,
    pub over_budget: bool,
    pub grade: String,
    pub grade_target: String,
    pub over_grade: bool,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub segments: Vec<Segment>,
    pub findings: Vec<FindingView>,
    /// One sentence for the live region.
    pub summary: String,
}

/// The circumference of the score ring (radius 52).
const RING: f64 = 326.73;

fn band(score: u8) -> &'static str {
    match score {
        80.. => "good",
        60..80 => "fair",
        _ => "poor",
    }
}

fn severity_name(severity: Severity) -> &'static str {
    severity.as_str()
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl ResultView {
    pub fn new(text: &str, report: &Report) -> ResultView {
        let (budget, grade_target) = checker().targets(report.audience);
        let count = |severity: Severity| report.findings.iter().filter(|f| f.severity == severity).count();
        let (errors, warnings, infos) = (count(Severity::Error), count(Severity::Warning), count(Severity::Info));
        let findings: Vec<FindingView> = report
            .findings
            .iter()
            .enumerate()
            .map(|(i, finding)| {
                let (start, end) = clamp_span(text, finding.span.start, finding.span.end);
                FindingView {
                    number: i + 1,
                    rule: finding.rule.as_str(),
                    rule_summary: finding.rule.summary(),
                    severity: severity_name(finding.severity),
                    message: sentence(&finding.message),
                    suggestion: finding.suggestion.as_deref().map(sentence),
                    excerpt: excerpt(&text[start..end]),
                    line: finding.span.line,
                }
            })
            .collect();
        let spans: Vec<(usize, usize, Severity)> =
            report.findings.iter().map(|f| (f.span.start, f.span.end, f.severity)).collect();
        let dimensions = DimensionId::ALL
            .iter()
            .filter_map(|id| report.dimensions.iter().find(|d| d.id == *id))
            .map(|d| DimensionView {
                label: capitalised(d.id.label()),
                score: d.score,
                band: band(d.score),
                explanation: sentence(&d.explanation),
            })
            .collect();
        let verdict = match band(report.score) {
            "good" if errors == 0 && warnings <= 1 => "Ready to send",
            "good" => "Nearly there",
            "fair" => "Worth another pass",
            _ => "Needs work before it goes out",
        };
        let summary = format!(
            "Score {} out of 100 for {}: {}, {}, {}.",
            report.score,
            audience_text(report.audience).1,
            plural(errors, "error", "errors"),
            plural(warnings, "warning", "warnings"),
            plural(infos, "note", "notes"),
        );
        ResultView {
            score: report.score,
            band: band(report.score),
            verdict,
            ring: format!("{:.2} {RING}", RING * f64::from(report.score) / 100.0),
            audience: audience_text(report.audience).1,
            kind: report.kind.map(kind_noun),
            dimensions,
            words: report.words,
            word_budget: budget,
            over_budget: report.words > budget as usize,
            grade: grade_text(report.reading_grade),
            grade_target: grade_text(grade_target),
            over_grade: report.reading_grade > grade_target,
            errors,
            warnings,
            infos,
            segments: segments(text, &spans),
            findings,
            summary,
        }
    }
}

/// Capitalises a label such as "audience fit".
fn capitalised(label: &'static str) -> &'static str {
    match label {
        "clarity" => "Clarity",
        "brevity" => "Brevity",
        "actionability" => "Actionability",
        "audience fit" => "Audience fit",
        "empathy" => "Empathy",
        other => other,
    }
}

/// A checker message as a sentence: capital first letter, full stop.
fn sentence(text: &str) -> String {
    let text = text.trim();
    let mut chars = text.chars();
    let Some(first) = chars.next() else { return String::new() };
    let mut out: String = first.to_uppercase().chain(chars).collect();
    if !out.ends_with(['.', '?', '!', '"', '”']) {
        out.push('.');
    }
    out
}

/// The offending text on one line, at most 160 characters.
fn excerpt(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= 160 {
        flat
    } else {
        let cut: String = flat.chars().take(150).collect();
        format!("{}…", cut.trim_end())
    }
}

/// A byte span made safe to slice `text` with: inside it, on character
/// boundaries, never reversed.
fn clamp_span(text: &str, start: usize, end: usize) -> (usize, usize) {
    let mut start = start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    (start, end)
}

/// Cuts the message into stretches at every span boundary, so overlapping
/// findings need no overlapping elements: each stretch knows every finding
/// over it and links to the most specific one (a word inside a marked
/// sentence links to the word's finding). Findings are numbered from 1 in
/// the order given.
pub fn segments(text: &str, spans: &[(usize, usize, Severity)]) -> Vec<Segment> {
    let spans: Vec<(usize, usize, Severity)> = spans
        .iter()
        .map(|&(start, end, severity)| {
            let (start, end) = clamp_span(text, start, end);
            (start, end, severity)
        })
        .collect();
    let mut cuts: Vec<usize> = vec![0, text.len()];
    cuts.extend(spans.iter().flat_map(|&(start, end, _)| [start, end]));
    cuts.sort_unstable();
    cuts.dedup();

    let anchors_at = |at: usize| -> Vec<usize> {
        spans.iter().enumerate().filter(|(_, span)| span.0 == at).map(|(i, _)| i + 1).collect()
    };
    let mut out = Vec::new();
    for pair in cuts.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        let over: Vec<usize> =
            spans.iter().enumerate().filter(|(_, span)| span.0 <= from && span.1 >= to).map(|(i, _)| i).collect();
        let primary = over.iter().copied().min_by(|&a, &b| {
            let (sa, sb) = (&spans[a], &spans[b]);
            (sa.1 - sa.0).cmp(&(sb.1 - sb.0)).then(sb.2.cmp(&sa.2)).then(a.cmp(&b))
        });
        let mark = primary.map(|primary| SegmentMark {
            severity: severity_name(spans[primary].2),
            target: primary + 1,
            findings: over.iter().map(|i| (i + 1).to_string()).collect::<Vec<_>>().join(", "),
            overlap: over.len() > 1,
            outer: over.iter().filter(|&&i| i != primary).map(|&i| spans[i].2).max().map(severity_name),
        });
        out.push(Segment { text: text[from..to].to_owned(), anchors: anchors_at(from), mark });
    }
    // Empty spans at the very end still need their anchor.
    let tail = anchors_at(text.len());
    if !tail.is_empty() {
        out.push(Segment { text: String::new(), anchors: tail, mark: None });
    }
    out
}

// ---- templates ----

#[derive(Template)]
#[template(path = "coach_result.html")]
struct ResultPartial<'a> {
    result: Option<&'a ResultView>,
    examples: &'static [Example],
}

fn render_result(result: Option<&ResultView>) -> AppResult<String> {
    Ok(ResultPartial { result, examples: EXAMPLES }.render()?)
}

#[derive(Template)]
#[template(path = "coach.html")]
struct CoachPage {
    chrome: Chrome,
    text: String,
    audiences: Vec<AudienceOption>,
    kinds: Vec<KindOption>,
    /// What the selected audience needs (under the select).
    needs: String,
    errors: FieldErrors,
    /// The example the text came from, if any.
    example: Option<&'static str>,
    /// The rendered `coach_result.html`.
    result_html: String,
    max_chars: String,
}

/// What the form holds, valid or not.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Draft {
    text: String,
    audience: String,
    kind: String,
}

/// A draft that passed validation.
struct Valid {
    audience: Audience,
    kind: Option<Kind>,
}

fn validate(draft: &Draft) -> Result<Valid, FieldErrors> {
    let mut errors = FieldErrors::default();
    let chars = draft.text.chars().count();
    if draft.text.trim().is_empty() {
        errors.add("text", "Paste or type the message you want to check.");
    } else if chars > MAX_CHARS {
        errors.add(
            "text",
            format!(
                "This message is {} characters; the coach checks up to {}. Check it in parts.",
                thousands(chars),
                thousands(MAX_CHARS)
            ),
        );
    }
    let audience = match Audience::parse(&draft.audience) {
        Ok(audience) => Some(audience),
        Err(_) if draft.audience.trim().is_empty() => {
            errors.add("audience", "Choose who will read this message.");
            None
        }
        Err(_) => {
            errors.add("audience", "Choose one of the audiences in the list.");
            None
        }
    };
    let kind = match draft.kind.trim() {
        "" => Ok(None),
        value => Kind::parse(value).map(Some),
    };
    let kind = kind.unwrap_or_else(|_| {
        errors.add("kind", "Choose one of the kinds in the list, or “Not sure”.");
        None
    });
    match (audience, errors.is_empty()) {
        (Some(audience), true) => Ok(Valid { audience, kind }),
        _ => Err(errors),
    }
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Checks off the async threads: a long message takes a few milliseconds.
async fn check(text: String, valid: Valid) -> AppResult<(String, ResultView)> {
    tokio::task::spawn_blocking(move || {
        let mut options = CheckOptions::for_audience(valid.audience);
        options.kind = valid.kind;
        let report = checker().check(&text, &options);
        let view = ResultView::new(&text, &report);
        (text, view)
    })
    .await
    .map_err(|error| AppError::Internal(error.into()))
}

async fn show(
    session: &Session,
    user: &User,
    draft: Draft,
    errors: FieldErrors,
    result: Option<&ResultView>,
    example: Option<&'static str>,
) -> AppResult<Response> {
    let chrome = Chrome::new(session, Some(user), Nav::Coach).await?;
    let audiences = audience_options(&draft.audience);
    let needs = audiences.iter().find(|a| a.selected).map(|a| a.needs.clone()).unwrap_or_default();
    let failed = !errors.is_empty();
    let page = CoachPage {
        chrome,
        text: draft.text,
        audiences,
        kinds: kind_options(draft.kind.trim()),
        needs,
        errors,
        example,
        result_html: render_result(result)?,
        max_chars: thousands(MAX_CHARS),
    };
    let mut response = render(&page)?;
    if failed {
        *response.status_mut() = StatusCode::BAD_REQUEST;
    }
    Ok(response)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Preset {
    audience: Option<String>,
    kind: Option<String>,
    example: Option<String>,
    /// A draft to start from, such as a meeting's follow-ups from a
    /// stakeholder's page; cut to what the coach checks.
    text: Option<String>,
}

/// The empty coach, or one filled from an example, with the audience and
/// kind a link asked for (`?audience=sales&kind=request`), and the draft
/// text it carries (`&text=…`).
#[tracing::instrument(skip_all)]
async fn page(session: Session, CurrentUser(user): CurrentUser, Query(preset): Query<Preset>) -> AppResult<Response> {
    if let Some(slug) = preset.example.as_deref() {
        let example = EXAMPLES.iter().find(|e| e.slug == slug).ok_or(AppError::NotFound)?;
        let draft = Draft {
            text: example.text.to_owned(),
            audience: example.audience.as_str().to_owned(),
            kind: example.kind.as_str().to_owned(),
        };
        return show(&session, &user, draft, FieldErrors::default(), None, Some(example.title)).await;
    }
    // A link that names an unknown audience or kind still opens the coach.
    let audience = preset.audience.as_deref().and_then(|a| Audience::parse(a).ok()).unwrap_or(Audience::Exec);
    let kind = preset.kind.as_deref().and_then(|k| Kind::parse(k).ok());
    let text = preset.text.unwrap_or_default().chars().take(MAX_CHARS).collect();
    let draft = Draft {
        text,
        audience: audience.as_str().to_owned(),
        kind: kind.map(Kind::as_str).unwrap_or_default().to_owned(),
    };
    show(&session, &user, draft, FieldErrors::default(), None, None).await
}

/// The form submitted without JavaScript: the same page with the result.
#[tracing::instrument(skip_all)]
async fn submit(session: Session, CurrentUser(user): CurrentUser, Form(draft): Form<Draft>) -> AppResult<Response> {
    let valid = match validate(&draft) {
        Ok(valid) => valid,
        Err(errors) => return show(&session, &user, draft, errors, None, None).await,
    };
    let (text, view) = check(draft.text, valid).await?;
    let draft = Draft { text, ..draft };
    show(&session, &user, draft, FieldErrors::default(), Some(&view), None).await
}

/// A JSON body that may not be one: its problems become an API error.
struct LiveDraft(Draft);

impl<S: Send + Sync> FromRequest<S> for LiveDraft {
    type Rejection = ApiError;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        let json: Result<Json<Draft>, JsonRejection> = Json::from_request(request, state).await;
        match json {
            Ok(Json(draft)) => Ok(LiveDraft(draft)),
            Err(rejection) => Err(ApiError(AppError::Invalid(format!(
                "Send the draft as JSON: {{\"text\", \"audience\", \"kind\"}} ({}).",
                rejection.body_text()
            )))),
        }
    }
}

/// The result fragment for the draft being typed (used by coach.js). An
/// empty draft gets the teaching empty state back; invalid input gets a
/// JSON error whose message the script shows.
#[tracing::instrument(skip_all)]
async fn live(LiveDraft(draft): LiveDraft) -> Result<Response, ApiError> {
    if draft.text.trim().is_empty() && Audience::parse(&draft.audience).is_ok() {
        return Ok(fragment(render_result(None)?));
    }
    let valid = match validate(&draft) {
        Ok(valid) => valid,
        Err(errors) => {
            let message = ["text", "audience", "kind"].iter().find_map(|field| errors.get(field)).unwrap_or_default();
            return Err(ApiError(AppError::Invalid(message.to_owned())));
        }
    };
    let (_, view) = check(draft.text, valid).await?;
    Ok(fragment(render_result(Some(&view))?))
}

fn fragment(html: String) -> Response {
    ([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    type Mark<'a> = Option<(&'a str, usize, &'a str, Option<&'a str>)>;

    fn marked(segments: &[Segment]) -> Vec<(&str, Mark<'_>)> {
        segments
            .iter()
            .map(|s| (s.text.as_str(), s.mark.as_ref().map(|m| (m.severity, m.target, m.findings.as_str(), m.outer))))
            .collect()
    }

    #[test]
    fn plain_text_is_one_unmarked_segment() {
        let segments = segments("Ship it on Friday.", &[]);
        assert_eq!(marked(&segments), vec![("Ship it on Friday.", None)]);
    }

    #[test]
    fn overlapping_spans_are_cut_and_link_to_the_narrowest_then_most_serious() {
        //          0123456789012345678901
        let text = "We might ship it soon.";
        let spans = [(0, 16, Severity::Warning), (3, 8, Severity::Info), (6, 21, Severity::Error)];
        let segments = segments(text, &spans);
        assert_eq!(
            marked(&segments),
            vec![
                ("We ", Some(("warning", 1, "1", None))),
                ("mig", Some(("info", 2, "1, 2", Some("warning")))),
                ("ht", Some(("info", 2, "1, 2, 3", Some("error")))),
                (" ship it", Some(("error", 3, "1, 3", Some("warning")))),
                (" soon", Some(("error", 3, "3", None))),
                (".", None),
            ]
        );
        assert!(segments[2].mark.as_ref().is_some_and(|m| m.overlap));
        assert_eq!(segments[0].anchors, vec![1]);
        assert_eq!(segments[1].anchors, vec![2]);
        assert_eq!(segments[2].anchors, vec![3]);
        let joined: String = segments.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined, text);
    }

    #[test]
    fn equal_spans_prefer_the_more_serious_then_the_first() {
        let segments =
            segments("Just wanted", &[(0, 4, Severity::Info), (0, 4, Severity::Error), (0, 4, Severity::Error)]);
        assert_eq!(marked(&segments), vec![("Just", Some(("error", 2, "1, 2, 3", Some("error")))), (" wanted", None)]);
        assert_eq!(segments[0].anchors, vec![1, 2, 3]);
    }

    #[test]
    fn spans_off_character_boundaries_or_the_end_are_made_safe() {
        // "é" is bytes 3..5; a span from inside it or past the end must not panic.
        let text = "Café soon";
        let segments = segments(text, &[(4, 99, Severity::Info), (10, 10, Severity::Warning)]);
        let joined: String = segments.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined, text);
        assert_eq!(marked(&segments), vec![("Caf", None), ("é soon", Some(("info", 1, "1", None))), ("", None)]);
        // The empty span at the end keeps its anchor.
        assert_eq!(segments.last().map(|s| s.anchors.clone()), Some(vec![2]));
    }

    #[test]
    fn messages_read_as_sentences_and_long_excerpts_are_cut() {
        assert_eq!(sentence("\"soon\" is not a time: plan around dates"), "\"soon\" is not a time: plan around dates.");
        assert_eq!(sentence("give a date"), "Give a date.");
        assert_eq!(excerpt("one\n  two"), "one two");
        let long = "word ".repeat(60);
        assert!(excerpt(&long).ends_with('…') && excerpt(&long).chars().count() <= 151);
        assert_eq!(thousands(100_000), "100,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(grade_text(10.0), "10");
        assert_eq!(grade_text(11.44), "11.4");
    }

    #[test]
    fn validation_names_each_field() {
        let draft = Draft { text: " ".into(), audience: "board".into(), kind: "memo".into() };
        let errors = validate(&draft).err().expect("invalid");
        assert!(errors.get("text").is_some() && errors.get("audience").is_some() && errors.get("kind").is_some());
        let long = Draft { text: "a".repeat(MAX_CHARS + 1), audience: "exec".into(), kind: String::new() };
        assert!(validate(&long).err().and_then(|e| e.get("text").map(|m| m.contains("100,000"))).unwrap_or(false));
        let ok = Draft { text: "Hello".into(), audience: "sales".into(), kind: "".into() };
        assert!(matches!(validate(&ok), Ok(Valid { audience: Audience::Sales, kind: None })));
    }
}
