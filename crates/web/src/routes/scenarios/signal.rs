//! The scenario signal on the results page: per skill of the cycle, the
//! mean of the person's blind scenario scores, in percent. It stands beside
//! the self rating and the raters' mean as its own column; nothing here is
//! added to, averaged with or rescaled into those 1–5 numbers.

use pmcoach_core::scenarios::{Window, skill_scores};
use pmcoach_store::{Millis, UserId};

use super::{bank, core_attempts};
use crate::error::AppResult;
use crate::routes::results::Row;
use crate::state::AppState;

pub struct SignalRow {
    pub id: String,
    pub name: String,
    pub own: String,
    pub raters: String,
    pub percent: u8,
    pub scenarios: usize,
}

pub struct ScenarioSignal {
    pub rows: Vec<SignalRow>,
    /// "up to today" or "up to 3 March 2026" (when the shown cycle closed).
    pub until: String,
}

/// The signal for the skills of `rows` from blind attempts before `until`
/// (`None`: up to now); `None` when no skill of the cycle has one.
pub async fn for_results(
    state: &AppState,
    user: UserId,
    until: Option<Millis>,
    rows: &[Row],
) -> AppResult<Option<ScenarioSignal>> {
    let attempts = state.store.blind_attempts(user).await?;
    if attempts.is_empty() {
        return Ok(None);
    }
    let bank = bank(state)?;
    let scores = skill_scores(&bank, &core_attempts(&attempts), Window { from: None, until });
    let rows: Vec<SignalRow> = rows
        .iter()
        .filter_map(|row| {
            let score = scores.iter().find(|s| s.skill.as_str() == row.id)?;
            Some(SignalRow {
                id: row.id.clone(),
                name: row.name.clone(),
                own: row.own.clone(),
                raters: row.all.clone(),
                percent: score.percent,
                scenarios: score.scenarios,
            })
        })
        .collect();
    let until = until.map_or_else(|| "up to today".to_owned(), |at| format!("up to {}", super::practice::day(at)));
    Ok((!rows.is_empty()).then_some(ScenarioSignal { rows, until }))
}
