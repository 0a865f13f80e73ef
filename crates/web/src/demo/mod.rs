//! `--demo`: a sample organisation to explore, created only in an empty
//! database. Later modules add their sample data here as they land.

use std::collections::BTreeMap;

use pmcoach_core::assessment::{Answer, Comment, Cycle, SelfRating, Threshold};
use pmcoach_core::context::{CareerLevel, CompanyStage, Degree, Role, RoleContext, engine};
use pmcoach_core::framework::Framework;
use pmcoach_core::framework::model::Observer;
use pmcoach_core::ids::{Email, Level, SkillId};
use pmcoach_store::{Millis, NewUser, OrgRole, RaterDraft, Store, UserId};

use crate::auth::password;

mod growth;
mod scenarios;
mod stakeholders;

/// The password of every demo account (printed on start; demo data only).
pub const DEMO_PASSWORD: &str = "pmcoach-demo";

/// One demo account, for the sign-in details printed on start.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub name: &'static str,
    pub email: &'static str,
    pub role: OrgRole,
    pub title: &'static str,
}

struct Person {
    login: DemoLogin,
    reports_to: Option<usize>,
    context: fn() -> RoleContext,
}

fn people() -> Vec<Person> {
    let login = |name, email, role, title| DemoLogin { name, email, role, title };
    vec![
        Person {
            login: login("Ada Okafor", "ada@northwind.example", OrgRole::Admin, "Director of Product"),
            reports_to: None,
            context: || RoleContext {
                stage: CompanyStage::Scaleup,
                ..RoleContext::new(Role::Pm, CareerLevel::Director).with_industry("b2b-saas")
            },
        },
        Person {
            login: login("Sam Rivera", "sam@northwind.example", OrgRole::Manager, "Group PM, payments"),
            reports_to: Some(0),
            context: || RoleContext {
                data_driven: Degree::High,
                ..RoleContext::new(Role::Pm, CareerLevel::Lead).with_industry("fintech")
            },
        },
        Person {
            login: login("Maya Chen", "maya@northwind.example", OrgRole::Member, "Senior PM, reconciliation"),
            reports_to: Some(1),
            context: || RoleContext {
                stage: CompanyStage::Enterprise,
                technicality: Degree::Low,
                ..RoleContext::new(Role::Pm, CareerLevel::Senior).with_industry("financial-services")
            },
        },
        Person {
            login: login("Priya Nair", "priya@northwind.example", OrgRole::Member, "Senior TPM, AI assistant"),
            reports_to: Some(1),
            context: || RoleContext {
                stage: CompanyStage::Early,
                technicality: Degree::High,
                ambiguity: Degree::High,
                ..RoleContext::new(Role::Tpm, CareerLevel::Senior).with_industry("ai")
            },
        },
        Person {
            login: login("Theo Martins", "theo@northwind.example", OrgRole::Member, "Product marketing manager"),
            reports_to: Some(0),
            context: || RoleContext {
                technicality: Degree::Low,
                ..RoleContext::new(Role::Pmm, CareerLevel::Pm).with_industry("b2b-saas")
            },
        },
        Person {
            login: login("Jonas Berg", "jonas@northwind.example", OrgRole::Member, "Associate PM, growth"),
            reports_to: Some(1),
            context: || RoleContext {
                data_driven: Degree::High,
                ..RoleContext::new(Role::GrowthPm, CareerLevel::Apm).with_industry("consumer")
            },
        },
    ]
}

/// Fills an empty store with the demo organisation. Returns the accounts
/// created, or `None` when the store already had users (nothing is touched).
pub async fn seed(store: &dyn Store) -> anyhow::Result<Option<Vec<DemoLogin>>> {
    if store.has_users().await? {
        return Ok(None);
    }
    let password_hash = password::hash(DEMO_PASSWORD.to_owned()).await?;
    let people = people();
    let mut ids: Vec<i64> = Vec::with_capacity(people.len());
    let mut org_id = 0;
    for person in &people {
        let new_user = NewUser {
            email: Email::parse(person.login.email)?,
            name: person.login.name.to_owned(),
            password_hash: password_hash.clone(),
        };
        let user = if ids.is_empty() {
            let (org, admin) = store.create_organisation("Northwind Labs", &new_user).await?;
            org_id = org.id;
            admin
        } else {
            let manager = person.reports_to.map(|index| ids[index]);
            store.create_user(org_id, &new_user, person.login.role, manager).await?
        };
        store.save_role_context(user.id, &(person.context)()).await?;
        ids.push(user.id);
    }
    // Maya (index 2) has two closed assessment cycles to explore.
    assessments(store, ids[2], &(people[2].context)()).await?;
    growth::seed(store, &ids).await?;
    stakeholders::seed(store, &ids).await?;
    scenarios::seed(store, &ids).await?;
    Ok(Some(people.into_iter().map(|person| person.login).collect()))
}

const DAY: Millis = 86_400_000;

/// One demo rater: their group, how they see Maya relative to the base
/// level of each skill, and what they wrote.
struct DemoRater {
    group: Observer,
    offset: i64,
    general: Option<&'static str>,
}

fn rater(group: Observer, offset: i64, general: Option<&'static str>) -> DemoRater {
    DemoRater { group, offset, general }
}

/// Maya's assessments: a closed cycle from about seven months ago (three
/// engineers and her manager) and a recent closed one with three engineers,
/// three sales colleagues, her manager and two designers — too few to be
/// shown, so their answers are merged into "others" and withheld.
async fn assessments(store: &dyn Store, maya: UserId, context: &RoleContext) -> anyhow::Result<()> {
    let framework = Framework::embedded().map_err(|problems| anyhow::anyhow!("framework: {problems:?}"))?;
    let profile = engine::profile(&framework, context);
    let now = pmcoach_store::now_millis();

    let earlier = vec![
        rater(Observer::Engineering, -1, Some("Specs are thorough, but edge cases arrive late in the sprint.")),
        rater(Observer::Engineering, -1, None),
        rater(Observer::Engineering, 0, Some("Good at saying no to scope creep from sales.")),
        rater(Observer::Manager, -1, Some("Strong on the problem; next step is bringing finance along earlier.")),
    ];
    cycle(store, &framework, &profile, context, maya, now - 215 * DAY, -1, &earlier).await?;

    let latest = vec![
        rater(
            Observer::Engineering,
            0,
            Some("The reconciliation specs are the clearest we get; the API details less so."),
        ),
        rater(Observer::Engineering, -1, Some("Asks engineering early, which saves us weeks.")),
        rater(Observer::Engineering, 1, None),
        rater(Observer::Sales, 1, Some("Maya turns a messy customer escalation into a plan the customer trusts.")),
        rater(Observer::Sales, 0, Some("I would like earlier notice of what ships each quarter.")),
        rater(Observer::Sales, 1, None),
        rater(Observer::Manager, 0, Some("Ready for a larger area; the gap is influence with finance leadership.")),
        rater(Observer::Design, -2, Some("Design hears about decisions after they are made.")),
        rater(Observer::Design, -2, Some("Research findings rarely change the roadmap.")),
    ];
    cycle(store, &framework, &profile, context, maya, now - 12 * DAY, 0, &latest).await?;
    Ok(())
}

/// Opens, fills and closes one cycle for `user`, `opened` ms since the epoch.
#[allow(clippy::too_many_arguments)]
async fn cycle(
    store: &dyn Store,
    framework: &Framework,
    profile: &engine::Profile,
    context: &RoleContext,
    user: UserId,
    opened: Millis,
    progress: i64,
    raters: &[DemoRater],
) -> anyhow::Result<()> {
    let frozen = Cycle::freeze(framework, profile, Threshold::default())?;
    let id = store.open_cycle(user, &frozen, context, opened).await?;
    let level = |n: i64| Level::new(n.clamp(1, 5)).map_err(|e| anyhow::anyhow!("{e}"));
    // Per skill, by its place in the profile: where raters see Maya against
    // the target, and how she rates herself against that.
    const BASE: [i64; 6] = [-1, 0, -1, -2, 0, -1];
    const SELF: [i64; 6] = [1, 0, 0, 1, -1, 0];
    let base: BTreeMap<SkillId, i64> = frozen
        .skills()
        .iter()
        .enumerate()
        .map(|(i, skill)| (skill.id.clone(), i64::from(skill.target.get()) + BASE[i % 6] + progress))
        .collect();
    let mut ratings = BTreeMap::new();
    for (i, skill) in frozen.skills().iter().enumerate() {
        let own = base[&skill.id] - progress + SELF[i % 6];
        let evidence = (i == 0).then(|| "Led the ledger-matching rewrite end to end.".to_owned());
        ratings.insert(skill.id.clone(), SelfRating { level: level(own)?, evidence });
    }
    store.save_self_ratings(id, &ratings, opened + DAY).await?;

    for (n, rater) in raters.iter().enumerate() {
        let token = crate::auth::secret::digest(&format!("demo-rater-{id}-{n}"));
        let invite = store.create_rater_invite(id, rater.group, None, &token, opened + 30 * DAY, opened + DAY).await?;
        let mut answers = BTreeMap::new();
        for (i, skill) in frozen.questions(rater.group).enumerate() {
            // One engineer has not seen the third skill they are asked about.
            let answer = if rater.group == Observer::Engineering && n == 2 && i == 2 {
                Answer::NotObserved
            } else {
                // Engineering sees technical depth a level lower than the rest.
                let lens = i64::from(rater.group == Observer::Engineering && i % 4 == 0);
                Answer::Rated(level(base[&skill.id] + rater.offset - lens)?)
            };
            answers.insert(skill.id.clone(), answer);
        }
        let comments = rater.general.map(|text| Comment { skill: None, text: text.to_owned() }).into_iter().collect();
        store.submit_rater_draft(invite.id, &RaterDraft { answers, comments }, opened + 2 * DAY + n as i64).await?;
    }
    store.close_cycle(id, opened + 10 * DAY).await?;
    Ok(())
}
