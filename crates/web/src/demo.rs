//! `--demo`: a sample organisation to explore, created only in an empty
//! database. Later modules add their sample data here as they land.

use pmcoach_core::context::{CareerLevel, CompanyStage, Degree, Role, RoleContext};
use pmcoach_core::ids::Email;
use pmcoach_store::{NewUser, OrgRole, Store};

use crate::auth::password;

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
    Ok(Some(people.into_iter().map(|person| person.login).collect()))
}
