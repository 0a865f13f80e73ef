//! Assessments: self ratings, 360 feedback by function, and results that
//! never reveal who said what.
//!
//! A [`Cycle`] freezes the skills of a person's profile when it opens (name,
//! category, observer groups, target and weight) together with the
//! organisation's anonymity [`Threshold`], so later edits to the framework,
//! the role context or the setting never rewrite past results. Raters of a
//! group are asked about [`Cycle::questions`] — the skills whose observers
//! include the group — and answer each with a [`Level`] or
//! [`Answer::NotObserved`], with optional [`Comment`]s. Once the cycle is
//! closed, [`results`] is the one function that decides what may be shown;
//! pages, the API and the CSV export ([`csv_rows`]) are all built from its
//! [`Results`], and history ([`history`]) from several of them.
//!
//! ```
//! use std::collections::BTreeMap;
//! use pmcoach_core::assessment::{self, Answer, Cycle, CycleSkill, CycleState, Pool};
//! use pmcoach_core::assessment::{RaterKey, RaterResponse, ShuffleSeed, Threshold};
//! use pmcoach_core::framework::model::{Category, Observer};
//! use pmcoach_core::ids::{Level, SkillId};
//!
//! let apis = SkillId::parse("apis").unwrap();
//! let skill = CycleSkill {
//!     id: apis.clone(),
//!     name: "API fluency".into(),
//!     category: Category::Technical,
//!     observers: vec![Observer::Engineering, Observer::Sales],
//!     target: Level::new(4).unwrap(),
//!     weight: 1.0,
//! };
//! let cycle = Cycle::new(vec![skill], Threshold::default(), CycleState::Closed).unwrap();
//! let rater = |key: &str, group, level| RaterResponse {
//!     rater: RaterKey::parse(key).unwrap(),
//!     group,
//!     answers: BTreeMap::from([(apis.clone(), Answer::Rated(Level::new(level).unwrap()))]),
//!     comments: vec![],
//! };
//! let responses = [
//!     rater("a", Observer::Engineering, 2),
//!     rater("b", Observer::Engineering, 3),
//!     rater("c", Observer::Engineering, 2),
//!     rater("d", Observer::Sales, 5), // one sales rater: withheld at a threshold of 3
//! ];
//! let results = assessment::results(&cycle, &BTreeMap::new(), &responses, ShuffleSeed::new(1)).unwrap();
//! let api = results.skill("apis").unwrap();
//! assert_eq!(api.pools.len(), 1); // only engineering is shown …
//! assert_eq!(api.pools[0].pool, Pool::Group(Observer::Engineering));
//! assert_eq!(api.observed.as_ref().map(|s| (s.raters, s.mean)), Some((3, 7.0 / 3.0))); // … and "all raters" is theirs alone
//! assert_eq!(results.withheld_raters(), 1);
//! ```
//!
//! # What is shown, what is withheld, and why no one can subtract
//!
//! With threshold *k* (≥ 2, default 3):
//!
//! 1. **Pools.** Every rater belongs to exactly one pool, decided by the
//!    number of raters of each group who answered — never by what they
//!    answered. The manager group needs 1 answer and is labelled as not
//!    anonymous. Any other group with ≥ *k* answers is its own pool. All
//!    smaller groups together form "others", shown only if it holds ≥ *k*
//!    raters; otherwise its raters are **withheld**, and their answers and
//!    comments are dropped before anything is counted.
//! 2. **Cells.** A shown pool's view of one skill (mean, spread, number of
//!    raters, number of "not observed", the comments about that skill) is
//!    shown only when ≥ the pool's threshold of its raters gave a level.
//!    Otherwise the cell says "withheld" and nothing else: not how many
//!    rated, not whether none did.
//! 3. **Totals.** "All raters" per skill is the union of that skill's shown
//!    cells, so it is a function of them: all − visible groups = 0. Counts of
//!    raters and of "not observed" follow the same rule. Only the number of
//!    raters who answered per group is shown regardless, and it is the input
//!    to rule 1, not a result of anyone's ratings.
//! 4. **Comments** come only from shown pools (and shown cells, for comments
//!    about a skill), trimmed, without dates or rater keys, sorted and then
//!    shuffled with a caller-given seed, so their order depends on the texts
//!    and the seed alone, never on who submitted first.
//! 5. **One release.** [`results`] refuses an open cycle: results exist once,
//!    from the final set of answers, with the threshold frozen at opening.
//!    Live results would let a viewer difference two versions (the fourth
//!    engineer's answer is 4·mean₄ − 3·mean₃), and a threshold lowered after
//!    the fact would split "others" so that old others − new group reveals
//!    the rest. While open, [`progress`] shows counts only.
//!
//! **Why this is safe.** For a skill *s*, everything served about *s* is a
//! symmetric function of the answers in its shown cells; pools are disjoint,
//! so those cells are disjoint sets of ≥ *k* answers each (or the manager's,
//! who is named). Any combination of served numbers — sums, differences,
//! counts, orders — is therefore a function of those multisets alone, and a
//! withheld answer (of a withheld pool, or in a withheld cell) appears in
//! none of them: changing it changes no served byte. The property tests in
//! `tests/it/anonymity.rs` check exactly that over random cycles. Limits no
//! threshold can lift: *k* − 1 raters of a pool who pool their own answers
//! learn the last one's, a unanimous cell shows that everyone gave the same
//! level, and a comment's wording may betray its author.

mod anonymity;
mod model;
mod report;
mod results;
mod shuffle;

pub use anonymity::{Placement, Pool};
pub use model::{
    Answer, AssessmentError, Comment, Cycle, CycleSkill, CycleState, RaterKey, RaterKeyError, RaterResponse,
    SelfRating, Threshold, ThresholdError, is_named,
};
pub use report::{
    CSV_HEADER, Completion, CompletionRow, GroupProgress, History, HistoryPoint, Invitation, Progress, SkillHistory,
    completion, csv_rows, history, progress,
};
pub use results::{
    Basis, Cell, CommentGroup, FOCUS_SKILLS, Focus, Perception, PoolSummary, Results, Signal, SkillResult, Stats,
    results,
};
pub use shuffle::ShuffleSeed;
pub(crate) use shuffle::shuffle;

#[cfg(doc)]
use crate::ids::Level;
