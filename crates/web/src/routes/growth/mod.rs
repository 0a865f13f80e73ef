//! Growth plan, check-ins, practice log and the manager's 1:1 agenda (issue 6, M4).
//!
//! Everything here belongs to the signed-in person: handlers load by
//! (owner, id), so another member's focus skill, activity or entry answers
//! 404 and changes nothing. The rules (three focus skills, cadences, streaks,
//! due dates) live in `pmcoach_core::growth`; these modules only validate
//! forms and format.

pub mod chart;
pub mod one_on_one;
pub mod plan;
pub mod practice;
pub mod summary;

use pmcoach_core::framework::Framework;
use pmcoach_core::framework::model::{Category, Skill};
use pmcoach_core::growth::Date;
use pmcoach_store::now_millis;

use crate::access::{Access, Routes};
use crate::routes::forms::FieldErrors;

pub fn routes(routes: Routes) -> Routes {
    routes
        .get("/plan", Access::Member, plan::page)
        .post("/plan/focus", Access::Member, plan::add_focus)
        .post("/plan/focus/{focus}/goal", Access::Member, plan::set_goal)
        .post("/plan/focus/{focus}/end", Access::Member, plan::end_focus)
        .post("/plan/focus/{focus}/activities", Access::Member, plan::add_activity)
        .post("/plan/activities/{activity}/remove", Access::Member, plan::remove_activity)
        .post("/plan/settings", Access::Member, plan::settings)
        .get("/plan/check-in", Access::Member, plan::check_in_page)
        .post("/plan/check-in", Access::Member, plan::check_in)
        // `/practice?edit=ID` opens one's own entry for editing.
        .get("/practice", Access::Member, practice::page)
        .post("/practice", Access::Member, practice::create)
        .get("/practice.csv", Access::Member, practice::csv)
        .post("/practice/{entry}", Access::Member, practice::update)
        .post("/practice/{entry}/delete", Access::Member, practice::delete)
        .get("/people/{id}/one-on-one", Access::ManagerOfSubject, one_on_one::page)
}

/// The longest goal or activity title, in characters.
pub const SHORT_TEXT: usize = 200;
/// The longest reflection or note, in characters.
pub const LONG_TEXT: usize = 4000;

/// Today in UTC, the day practice is logged against.
pub fn today() -> Date {
    Date::from_millis(now_millis())
}

/// A required text of at most `max` characters, trimmed.
pub fn required(errors: &mut FieldErrors, field: &'static str, value: &str, max: usize, empty: &str) -> String {
    let value = value.trim();
    if value.is_empty() {
        errors.add(field, empty);
    }
    limited(errors, field, value, max)
}

/// An optional text of at most `max` characters, trimmed.
pub fn limited(errors: &mut FieldErrors, field: &'static str, value: &str, max: usize) -> String {
    let value = value.trim();
    let count = value.chars().count();
    if count > max {
        errors.add(field, format!("Keep this under {max} characters; it has {count}."));
    } else if value.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        errors.add(field, "Remove the control characters from this text.");
    }
    value.to_owned()
}

/// One option of a skill select.
pub struct SkillOption {
    pub id: String,
    pub name: String,
    pub selected: bool,
}

/// Skills grouped by category for a `<select>` with `<optgroup>`s.
pub struct SkillGroup {
    pub label: &'static str,
    pub skills: Vec<SkillOption>,
}

pub fn skill_groups(framework: &Framework, selected: &str, skip: &[&str]) -> Vec<SkillGroup> {
    [Category::Soft, Category::Craft, Category::Technical]
        .into_iter()
        .map(|category| {
            let mut skills: Vec<SkillOption> = framework
                .skills
                .iter()
                .filter(|s| s.category == category && !skip.contains(&s.id.as_str()))
                .map(|s| SkillOption {
                    id: s.id.to_string(),
                    name: s.name.clone(),
                    selected: s.id.as_str() == selected,
                })
                .collect();
            skills.sort_by(|a, b| a.name.cmp(&b.name));
            SkillGroup { label: category.label(), skills }
        })
        .filter(|group| !group.skills.is_empty())
        .collect()
}

/// The skill's name, or its id when the framework no longer has it.
pub fn skill_name(framework: &Framework, id: &str) -> String {
    framework.skill(id).map_or_else(|| id.to_owned(), |s: &Skill| s.name.clone())
}

/// "in 3 days", "today", "2 days ago".
pub fn relative_days(day: Date, today: Date) -> String {
    match day.days_since(today) {
        0 => "today".to_owned(),
        1 => "tomorrow".to_owned(),
        -1 => "yesterday".to_owned(),
        n if n > 0 => format!("in {n} days"),
        n => format!("{} days ago", -n),
    }
}

pub fn first_name(name: &str) -> String {
    name.split_whitespace().next().unwrap_or(name).to_owned()
}
