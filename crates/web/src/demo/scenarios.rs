//! The demo organisation's scenario answers: enough for the item
//! statistics to mean something and for Maya's progress chart to move.
//!
//! Answers come from a fixed-seed generator, so every demo is the same.
//! Each person has an ability (how often their judgement lands on the key);
//! consistent people score consistently, so most items discriminate
//! positively. Two items are made weak on purpose, so the flags show: on
//! one everybody matches the key (a ceiling), on the other the people who do
//! well elsewhere do worse (negative discrimination). Maya practises over
//! the last eight weeks and gets better, starting with her focus skills.

use pmcoach_core::framework::Framework;
use pmcoach_core::rng::SplitMix64;
use pmcoach_core::scenarios::{Answer, Scenario, ScenarioBank, score};
use pmcoach_store::{AttemptMode, Millis, NewAttempt, Store, UserId, now_millis};

const DAY: Millis = 86_400_000;
const SEED: u64 = 0x5ce7_a210_0007;
/// Everyone matches the key on this one (ceiling).
const TOO_EASY: &str = "launch-slips";
/// Those who do well elsewhere stumble on this one (negative discrimination).
const MISLEADING: &str = "cfo-asks-number-you-lack";

/// The demo's answers come out the same every run.
struct Rng(SplitMix64);

impl Rng {
    fn unit(&mut self) -> f64 {
        self.0.unit()
    }

    fn below(&mut self, n: usize) -> usize {
        (self.0.next_u64() % n as u64) as usize
    }
}

/// An answer by someone whose judgement lands on the key with probability
/// `ability`; otherwise it strays by one or two points.
fn answer(rng: &mut Rng, scenario: &Scenario, ability: f64, best_worst: bool) -> Answer {
    let keys = scenario.keys();
    let n = keys.len();
    if best_worst {
        let max = *keys.iter().max().unwrap_or(&5);
        let min = *keys.iter().min().unwrap_or(&1);
        let tops: Vec<usize> = (0..n).filter(|&i| keys[i] == max).collect();
        let bottoms: Vec<usize> = (0..n).filter(|&i| keys[i] == min).collect();
        let mut best = if rng.unit() < ability { tops[rng.below(tops.len())] } else { rng.below(n) };
        let mut worst = if rng.unit() < ability { bottoms[rng.below(bottoms.len())] } else { rng.below(n) };
        if best == worst {
            worst = (worst + 1 + rng.below(n - 1)) % n;
        }
        if best == worst {
            best = (best + 1) % n;
        }
        Answer::BestWorst { best, worst }
    } else {
        let ratings = keys
            .iter()
            .map(|&key| {
                let roll = rng.unit();
                if roll < ability {
                    key
                } else if roll < (1.0 + ability) / 2.0 {
                    // Close: one point off.
                    if rng.unit() < 0.5 { key.saturating_sub(1).max(1) } else { (key + 1).min(5) }
                } else {
                    // A guess.
                    1 + rng.below(5) as u8
                }
            })
            .collect();
        Answer::Rating { ratings }
    }
}

/// The perfect answer, in the rating format.
fn on_key(scenario: &Scenario) -> Answer {
    Answer::Rating { ratings: scenario.keys() }
}

/// A rating answer that inverts the key: how a confident answerer misreads
/// the misleading item.
fn inverted(scenario: &Scenario) -> Answer {
    Answer::Rating { ratings: scenario.keys().iter().map(|k| 6 - k).collect() }
}

struct Planned {
    at: Millis,
    scenario: String,
    answer: Answer,
}

async fn record(store: &dyn Store, bank: &ScenarioBank, user: UserId, mut plan: Vec<Planned>) -> anyhow::Result<()> {
    // The store marks the first attempt blind, so attempts go in time order.
    plan.sort_by_key(|p| p.at);
    for p in plan {
        let Some(scenario) = bank.get(&p.scenario) else { continue };
        let value = score(scenario, &p.answer).map_err(|e| anyhow::anyhow!("demo answer to {}: {e}", p.scenario))?;
        let attempt = NewAttempt {
            scenario: p.scenario,
            answer: p.answer,
            score: value,
            mode: AttemptMode::Practice,
            cycle_id: None,
        };
        store.record_attempt(user, &attempt, p.at).await?;
    }
    Ok(())
}

pub(super) async fn seed(store: &dyn Store, people: &[UserId]) -> anyhow::Result<()> {
    let framework = Framework::embedded().map_err(|problems| anyhow::anyhow!("framework: {problems:?}"))?;
    let bank = ScenarioBank::embedded(&framework).map_err(|problems| anyhow::anyhow!("scenarios: {problems:?}"))?;
    let now = now_millis();
    let mut rng = Rng(SplitMix64::new(SEED));
    // Ada, Sam, (Maya apart), Priya, Theo, Jonas.
    let abilities = [(0, 0.9), (1, 0.72), (3, 0.55), (4, 0.3), (5, 0.12)];
    for (index, ability) in abilities {
        let Some(&user) = people.get(index) else { continue };
        let mut plan = Vec::new();
        for scenario in bank.iter() {
            // Most people answer most scenarios; the two weak items everyone.
            let special = scenario.id.as_str() == TOO_EASY || scenario.id.as_str() == MISLEADING;
            if !special && rng.unit() < 0.04 {
                continue;
            }
            let at = now - (3 + rng.below(55) as i64) * DAY - rng.below(8 * 3600) as i64 * 1000;
            let answer = match scenario.id.as_str() {
                TOO_EASY => on_key(scenario),
                // The stronger the person, the more they overthink this one.
                MISLEADING if ability > 0.5 => inverted(scenario),
                MISLEADING => on_key(scenario),
                _ => {
                    let best_worst = rng.unit() < 0.25;
                    answer(&mut rng, scenario, ability, best_worst)
                }
            };
            plan.push(Planned { at, scenario: scenario.id.to_string(), answer });
        }
        record(store, &bank, user, plan).await?;
    }
    if let Some(&maya) = people.get(2) {
        maya_practice(store, &bank, maya, now, &mut rng).await?;
    }
    Ok(())
}

/// Maya: 26 scenarios over eight weeks, her focus skills first, getting
/// better as she goes, with a few repeats after reading the feedback.
async fn maya_practice(
    store: &dyn Store,
    bank: &ScenarioBank,
    maya: UserId,
    now: Millis,
    rng: &mut Rng,
) -> anyhow::Result<()> {
    let focus: Vec<String> =
        store.plan(maya).await?.iter().flat_map(|p| p.active()).map(|f| f.skill.to_string()).collect();
    let mut order: Vec<&Scenario> = bank.iter().filter(|s| focus.iter().any(|f| s.exercises(f))).collect();
    order.extend(bank.iter().filter(|s| !focus.iter().any(|f| s.exercises(f))));
    order.truncate(26);
    let count = order.len().max(1);
    let mut plan = Vec::new();
    for (i, scenario) in order.iter().enumerate() {
        let progress = i as f64 / count as f64;
        let at = now - ((56.0 * (1.0 - progress)) as i64 + 1) * DAY + 19 * 3600 * 1000;
        let answer = match scenario.id.as_str() {
            TOO_EASY => on_key(scenario),
            MISLEADING => inverted(scenario),
            _ => answer(rng, scenario, 0.1 + 0.8 * progress, i % 4 == 3),
        };
        plan.push(Planned { at, scenario: scenario.id.to_string(), answer });
        // Every fifth scenario she answers again two days later, with the key in mind.
        if i % 5 == 1 {
            plan.push(Planned { at: at + 2 * DAY, scenario: scenario.id.to_string(), answer: on_key(scenario) });
        }
    }
    plan.retain(|p| p.at < now);
    record(store, bank, maya, plan).await
}
