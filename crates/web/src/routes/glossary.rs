//! The skill glossary (PRODUCT.md M1): the index by category with a
//! server-side search, and one page per skill.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use pmcoach_core::context::engine;
use pmcoach_core::framework::Framework;
use pmcoach_core::framework::model::{Cadence, Category, Skill, Stage};
use serde::Deserialize;
use tower_sessions::Session;

use crate::access::{Access, CurrentUser, Routes};
use crate::error::{AppError, AppResult};
use crate::page::{Chrome, Nav, render};
use crate::state::AppState;

pub fn routes(routes: Routes) -> Routes {
    routes.get("/glossary", Access::Member, index).get("/glossary/{skill}", Access::Member, skill_page)
}

/// The longest query the search looks at; the rest is ignored.
const QUERY_MAX: usize = 100;

const CATEGORIES: [Category; 3] = [Category::Soft, Category::Craft, Category::Technical];

fn category_blurb(category: Category) -> &'static str {
    match category {
        Category::Soft => "How you work with people: listening, aligning, deciding, and leading without authority.",
        Category::Craft => {
            "The product and product-marketing trade: product sense, positioning, launches and enablement."
        }
        Category::Technical => {
            "Tools, not entry tickets: enough to pull your own numbers, read an API and follow an architecture debate."
        }
    }
}

fn cadence_label(cadence: Cadence) -> &'static str {
    match cadence {
        Cadence::Once => "Once",
        Cadence::Daily => "Daily",
        Cadence::Weekly => "Weekly",
        Cadence::Fortnightly => "Every two weeks",
        Cadence::Monthly => "Monthly",
        Cadence::Quarterly => "Quarterly",
    }
}

fn stage_label(stage: Stage) -> &'static str {
    match stage {
        Stage::Discovery => "Discovery",
        Stage::Strategy => "Strategy",
        Stage::Delivery => "Delivery",
        Stage::Launch => "Launch",
        Stage::Growth => "Growth",
    }
}

// ---- search ----------------------------------------------------------------

/// Where a search term was found, with the text around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    /// "a level 3 behaviour", "an activity", …
    pub place: String,
    pub before: String,
    pub hit: String,
    pub after: String,
}

/// The texts of a skill the search looks through, each with where it is.
fn searchable(skill: &Skill) -> Vec<(String, &str)> {
    let mut texts =
        vec![("the name".to_owned(), skill.name.as_str()), ("the definition".to_owned(), skill.definition.as_str())];
    for level in &skill.levels {
        for behaviour in &level.behaviours {
            texts.push((format!("a level {} behaviour", level.level), behaviour.as_str()));
        }
    }
    for activity in &skill.activities {
        texts.push(("a practice activity".to_owned(), activity.title.as_str()));
    }
    texts
}

/// The search terms of a query: lowercase words, the query cut to a sane length.
fn terms(query: &str) -> Vec<String> {
    let query: String = query.chars().take(QUERY_MAX).collect();
    query.split_whitespace().map(str::to_lowercase).collect()
}

/// Whether every term occurs somewhere in the skill (case-insensitive);
/// when it does, an excerpt of where the first term occurs.
pub fn matches(skill: &Skill, terms: &[String]) -> Option<Option<Excerpt>> {
    // No terms: everything matches, with nothing to excerpt (and no need to
    // lowercase every text of every skill on each visit to the index).
    if terms.is_empty() {
        return Some(None);
    }
    let texts = searchable(skill);
    let lowered: Vec<String> = texts.iter().map(|(_, text)| text.to_lowercase()).collect();
    if !terms.iter().all(|term| lowered.iter().any(|text| text.contains(term.as_str()))) {
        return None;
    }
    let Some(first) = terms.first() else { return Some(None) };
    // A hit in the name or definition is already on the card; show where else it is only when needed.
    if lowered[..2].iter().any(|text| text.contains(first.as_str())) {
        return Some(None);
    }
    let (index, at) = lowered.iter().enumerate().find_map(|(i, text)| text.find(first.as_str()).map(|at| (i, at)))?;
    let (place, text) = &texts[index];
    Some(excerpt(place, text, &lowered[index], at, first.len()))
}

/// Cuts `text` around the match at byte `at` (found in its lowercase form
/// `lowered`), at most ~60 characters either side, at word boundaries.
fn excerpt(place: &str, text: &str, lowered: &str, at: usize, len: usize) -> Option<Excerpt> {
    // Lowercasing can change byte lengths (rarely); then fall back to no excerpt.
    if lowered.len() != text.len() || !text.is_char_boundary(at) || !text.is_char_boundary(at + len) {
        return None;
    }
    const SPAN: usize = 60;
    let mut start = at.saturating_sub(SPAN);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    if start > 0 {
        start = text[start..at].find(' ').map_or(at, |space| start + space + 1);
    }
    let mut end = (at + len + SPAN).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    if end < text.len() {
        end = text[at + len..end].rfind(' ').map_or(end, |space| at + len + space);
    }
    let before = format!("{}{}", if start > 0 { "…" } else { "" }, &text[start..at]);
    let after = format!("{}{}", &text[at + len..end], if end < text.len() { "…" } else { "" });
    Some(Excerpt { place: place.to_owned(), before, hit: text[at..at + len].to_owned(), after })
}

// ---- the index ---------------------------------------------------------------

pub struct SkillCard {
    pub id: String,
    pub name: String,
    pub definition: String,
    pub excerpt: Option<Excerpt>,
}

pub struct CategoryGroup {
    pub key: &'static str,
    pub label: &'static str,
    pub blurb: &'static str,
    pub skills: Vec<SkillCard>,
}

#[derive(Template)]
#[template(path = "glossary.html")]
struct GlossaryPage {
    chrome: Chrome,
    query: String,
    searching: bool,
    count: usize,
    total: usize,
    groups: Vec<CategoryGroup>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Search {
    q: String,
}

/// The skills grouped by category, filtered by `query` when it has terms.
pub fn index_groups(framework: &Framework, query: &str) -> Vec<CategoryGroup> {
    let terms = terms(query);
    CATEGORIES
        .iter()
        .map(|&category| CategoryGroup {
            key: category.as_str(),
            label: category.label(),
            blurb: category_blurb(category),
            skills: framework
                .skills
                .iter()
                .filter(|skill| skill.category == category)
                .filter_map(|skill| {
                    matches(skill, &terms).map(|excerpt| SkillCard {
                        id: skill.id.to_string(),
                        name: skill.name.clone(),
                        definition: skill.definition.clone(),
                        excerpt,
                    })
                })
                .collect(),
        })
        .filter(|group| !group.skills.is_empty())
        .collect()
}

#[tracing::instrument(skip_all)]
async fn index(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
    Query(search): Query<Search>,
) -> AppResult<Response> {
    let query = search.q.trim().chars().take(QUERY_MAX).collect::<String>();
    let groups = index_groups(&state.framework, &query);
    let count = groups.iter().map(|group| group.skills.len()).sum();
    let chrome = Chrome::new(&session, Some(&user), Nav::Glossary).await?;
    render(&GlossaryPage {
        chrome,
        searching: !query.is_empty(),
        query,
        count,
        total: state.framework.skills.len(),
        groups,
    })
}

// ---- one skill -------------------------------------------------------------

pub struct StageRow {
    pub name: &'static str,
    pub text: String,
}

pub struct LevelRow {
    pub level: u8,
    pub name: String,
    pub behaviours: Vec<String>,
    pub is_target: bool,
}

pub struct ActivityRow {
    pub title: String,
    pub cadence: &'static str,
    pub effort: String,
    pub description: String,
}

pub struct RelatedSkill {
    pub id: String,
    pub name: String,
    pub category: &'static str,
}

/// The viewer's own target for this skill, when their context is set.
pub struct YourTarget {
    pub level: u8,
    pub level_name: &'static str,
    pub percent: String,
    pub rank: usize,
    pub total: usize,
}

#[derive(Template)]
#[template(path = "skill.html")]
struct SkillPage {
    chrome: Chrome,
    name: String,
    category: &'static str,
    category_label: &'static str,
    definition: String,
    why: String,
    stages: Vec<StageRow>,
    levels: Vec<LevelRow>,
    activities: Vec<ActivityRow>,
    questions: Vec<String>,
    observers: Vec<&'static str>,
    related: Vec<RelatedSkill>,
    target: Option<YourTarget>,
}

#[tracing::instrument(skip_all, fields(skill = %skill))]
async fn skill_page(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
    Path(skill): Path<String>,
) -> AppResult<Response> {
    let framework = &state.framework;
    let skill = framework.skill(&skill).ok_or(AppError::NotFound)?;
    let target = state.store.role_context(user.id).await?.and_then(|context| {
        let profile = engine::profile(framework, &context);
        let rank = profile.skills.iter().position(|s| s.id == skill.id)?;
        let target = &profile.skills[rank];
        Some(YourTarget {
            level: target.target.get(),
            level_name: target.target.name(),
            percent: crate::charts::percent(target.weight),
            rank: rank + 1,
            total: profile.skills.len(),
        })
    });
    let chrome = Chrome::new(&session, Some(&user), Nav::Glossary).await?;
    render(&SkillPage {
        chrome,
        name: skill.name.clone(),
        category: skill.category.as_str(),
        category_label: skill.category.label(),
        definition: skill.definition.clone(),
        why: skill.why.clone(),
        stages: Stage::ALL
            .iter()
            .map(|&stage| StageRow { name: stage_label(stage), text: skill.stages.get(stage).to_owned() })
            .collect(),
        levels: skill
            .levels
            .iter()
            .map(|level| LevelRow {
                level: level.level.get(),
                name: level.name.clone(),
                behaviours: level.behaviours.clone(),
                is_target: target.as_ref().is_some_and(|t| t.level == level.level.get()),
            })
            .collect(),
        activities: skill
            .activities
            .iter()
            .map(|activity| ActivityRow {
                title: activity.title.clone(),
                cadence: cadence_label(activity.cadence),
                effort: activity.effort.to_string(),
                description: activity.description.clone(),
            })
            .collect(),
        questions: skill.questions.clone(),
        observers: skill.observers.iter().map(|&o| o.label()).collect(),
        related: skill
            .related
            .iter()
            .filter_map(|id| framework.skill(id.as_str()))
            .map(|related| RelatedSkill {
                id: related.id.to_string(),
                name: related.name.clone(),
                category: related.category.as_str(),
            })
            .collect(),
        target,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn framework() -> Framework {
        Framework::embedded().expect("framework")
    }

    fn ids(groups: &[CategoryGroup]) -> Vec<String> {
        groups.iter().flat_map(|g| g.skills.iter().map(|s| s.id.clone())).collect()
    }

    #[test]
    fn no_query_lists_every_skill_by_category() {
        let framework = framework();
        let groups = index_groups(&framework, "   ");
        assert_eq!(groups.iter().map(|g| g.key).collect::<Vec<_>>(), ["soft", "craft", "technical"]);
        assert_eq!(ids(&groups).len(), framework.skills.len());
        assert!(groups.iter().flat_map(|g| &g.skills).all(|s| s.excerpt.is_none()));
    }

    #[test]
    fn search_is_case_insensitive_over_names_definitions_behaviours_and_activities() {
        let framework = framework();
        // In the name.
        assert!(ids(&index_groups(&framework, "SQL")).contains(&"sql".to_owned()));
        // Only in behaviours and activity titles: an excerpt says where.
        let groups = index_groups(&framework, "PANDAS");
        let data = groups.iter().flat_map(|g| &g.skills).find(|s| s.id == "data-analysis").expect("data analysis");
        assert!(data.definition.contains("pandas"), "pandas is in the definition, so no excerpt is needed");
        // Every term must match somewhere.
        assert!(index_groups(&framework, "pandas zzzz").is_empty());
        assert!(index_groups(&framework, "qwxyzzy").is_empty());
    }

    #[test]
    fn a_hit_outside_name_and_definition_comes_with_an_excerpt() {
        let framework = framework();
        let skill = framework.skill("stakeholder-alignment").expect("skill");
        let found = matches(skill, &["pre-wires".to_owned()]).expect("matches").expect("excerpt");
        assert_eq!(found.place, "a level 3 behaviour");
        assert_eq!(found.hit.to_lowercase(), "pre-wires");
        assert!(found.after.starts_with(" big decisions"), "{found:?}");
        let title = matches(skill, &terms("  REFRESH ")).expect("matches").expect("excerpt");
        assert_eq!(title.place, "a practice activity");
        assert_eq!(title.hit, "Refresh");
    }

    #[test]
    fn excerpts_cut_at_word_boundaries() {
        let text = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen \
                    seventeen eighteen nineteen twenty";
        let at = text.find("ten").expect("ten");
        let cut = excerpt("x", text, &text.to_lowercase(), at, 3).expect("excerpt");
        assert_eq!(cut.hit, "ten");
        assert!(cut.before.starts_with("one ") && cut.before.ends_with("nine "), "{cut:?}");
        assert!(cut.after.ends_with('…') && !cut.after.ends_with(" …"), "{cut:?}");
        let at = text.find("twenty").expect("twenty");
        let cut = excerpt("x", text, &text.to_lowercase(), at, 6).expect("excerpt");
        assert!(cut.before.starts_with('…') && !cut.before.starts_with("… "), "{cut:?}");
        assert_eq!(cut.after, "");
    }
}
