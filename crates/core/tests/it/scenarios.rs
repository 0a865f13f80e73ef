//! Scenario practice (issue 7): the shipped bank, the loader's problems,
//! scoring and item statistics against hand-worked examples.

use std::collections::BTreeMap;

use pmcoach_core::context::{CareerLevel, Role};
use pmcoach_core::framework::model::Category;
use pmcoach_core::scenarios::stats::{MIN_ANSWERS, pearson};
use pmcoach_core::scenarios::{
    Answer, AnswerError, AnswerFormat, Attempt, CSV_HEADER, Discrimination, Feedback, Flag, Response, ScenarioBank,
    Undefined, Window, best_worst_score, csv_rows, csv_text, item_stats, item_stats_of_blind, rating_score, score,
    skill_scores, skill_series,
};
use pmcoach_core::source::Problem;
use proptest::prelude::*;

use crate::framework;

fn bank() -> &'static ScenarioBank {
    static BANK: std::sync::OnceLock<ScenarioBank> = std::sync::OnceLock::new();
    BANK.get_or_init(|| match ScenarioBank::embedded(framework()) {
        Ok(bank) => bank,
        Err(problems) => panic!(
            "the shipped scenario bank is invalid:\n{}",
            problems.iter().map(|p| format!("  {p}\n")).collect::<String>()
        ),
    })
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

// ------------------------------------------------------------------ the bank

#[test]
fn the_shipped_bank_is_valid_and_has_at_least_forty_scenarios() {
    assert!(bank().len() >= 40, "only {} scenarios", bank().len());
}

/// The situations the issue names are all in the bank.
#[test]
fn the_bank_has_the_situations_the_issue_names() {
    for id in [
        "sales-promised-feature",
        "exec-wants-launch-date",
        "launch-day-escalation",
        "engineer-disagrees-in-review",
        "positioning-disagreement",
        "new-team-distrust",
        "stakeholder-goes-around-you",
        "launch-slips",
    ] {
        assert!(bank().get(id).is_some(), "no scenario {id}");
    }
}

/// Every soft skill of the framework is exercised by at least two
/// scenarios. Run with `--nocapture` to see the count per soft skill.
#[test]
fn every_soft_skill_is_exercised_by_at_least_two_scenarios() {
    let counts = bank().skill_counts();
    let mut table = String::from("scenarios per soft skill:\n");
    let mut short = Vec::new();
    for skill in framework().skills.iter().filter(|s| s.category == Category::Soft) {
        let n = counts.get(&skill.id).copied().unwrap_or(0);
        table.push_str(&format!("  {:<26} {n}\n", skill.id));
        if n < 2 {
            short.push(skill.id.as_str());
        }
    }
    eprintln!("{table}");
    assert!(short.is_empty(), "soft skills with fewer than two scenarios: {short:?}\n{table}");
}

/// Judgement, not cue-spotting: most scenarios have two or more options
/// keyed 3 or above, the best option's position varies, and the best option
/// is rarely the longest one.
#[test]
fn the_options_test_judgement_rather_than_cues() {
    let scenarios = &bank().scenarios;
    let two_good = scenarios.iter().filter(|s| s.options.iter().filter(|o| o.key >= 3).count() >= 2).count();
    assert!(two_good * 10 >= scenarios.len() * 8, "{two_good} of {} have two options keyed ≥ 3", scenarios.len());

    let mut best_at = BTreeMap::new();
    let mut longest_is_best = 0;
    for scenario in scenarios {
        assert!(scenario.options.iter().any(|o| o.key >= 4), "{}: no option keyed 4 or 5", scenario.id);
        let best = scenario.best_options();
        *best_at.entry(best[0] + 1).or_insert(0) += 1;
        let longest = (0..scenario.options.len()).max_by_key(|&i| scenario.options[i].text.len()).unwrap_or(0);
        if best.contains(&longest) {
            longest_is_best += 1;
        }
    }
    for position in 1..=5 {
        let n = best_at.get(&position).copied().unwrap_or(0);
        assert!(n * 10 >= scenarios.len(), "the best option is at position {position} in only {n} scenarios");
    }
    assert!(
        longest_is_best * 3 <= scenarios.len(),
        "the longest option is the best in {longest_is_best} of {} scenarios",
        scenarios.len()
    );
}

#[test]
fn every_role_and_level_has_scenarios_and_setups_are_concrete() {
    for role in Role::ALL {
        let n = bank().iter().filter(|s| s.roles.contains(role)).count();
        assert!(n >= 5, "only {n} scenarios for {role}");
    }
    for level in CareerLevel::ALL {
        assert!(bank().iter().any(|s| s.levels.contains(level)), "no scenario for level {level}");
    }
    for scenario in bank().iter() {
        let sentences =
            [". ", ".\" ", "? ", "?\" ", "! "].iter().map(|end| scenario.setup.matches(end).count()).sum::<usize>() + 1;
        assert!((3..=6).contains(&sentences), "{}: setup has about {sentences} sentences", scenario.id);
        let words = ["two ", "three ", "four ", "five ", "six ", "eight ", "ten ", "twelve ", "forty"];
        let has_numbers = scenario.setup.chars().any(|c| c.is_ascii_digit())
            || words.iter().any(|w| scenario.setup.to_lowercase().contains(w));
        assert!(has_numbers, "{}: the setup has no numbers", scenario.id);
    }
}

#[test]
fn lookups_by_id_skill_and_context() {
    let bank = bank();
    let scenario = bank.get("launch-slips").expect("launch-slips");
    assert_eq!(scenario.title, "A launch will slip two weeks before the date");
    assert!(bank.get("no-such-scenario").is_none());
    let coaching: Vec<&str> = bank.for_skill("coaching").map(|s| s.id.as_str()).collect();
    assert!(coaching.contains(&"associate-pm-struggling"), "{coaching:?}");
    assert!(bank.for_skill("coaching").all(|s| s.exercises("coaching")));
    assert!(bank.suited_to(Role::Pmm, CareerLevel::Pm).any(|s| s.id.as_str() == "sales-ignores-your-deck"));
    assert!(bank.suited_to(Role::Pmm, CareerLevel::Pm).all(|s| s.suits(Role::Pmm, CareerLevel::Pm)));
    let ids: Vec<&str> = bank.iter().map(|s| s.id.as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted, "the bank is ordered by id");
}

// ------------------------------------------------------------ the validator

fn line_of(text: &str, needle: &str) -> usize {
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not found"));
    text[..at].matches('\n').count() + 1
}

/// A copy of the shipped bank with one problem of each kind: all are reported
/// at once, each with its file and line, and nothing else.
#[test]
fn a_broken_bank_reports_every_problem_with_file_and_line() {
    let mut files: BTreeMap<String, String> =
        ScenarioBank::embedded_files().into_iter().map(|f| (f.path, f.text)).collect();
    // A duplicate id: a copy of a valid file under another name.
    let copy = files["launch-slips.toml"].clone();
    files.insert("zz-copy.toml".into(), copy);
    let mut edit = |file: &str, from: &str, to: &str| -> usize {
        let text = files.get_mut(file).unwrap_or_else(|| panic!("no {file}"));
        let line = line_of(text, from);
        *text = text.replacen(from, to, 1);
        line
    };
    let skill_line = edit("quiet-engineer.toml", "\"active-listening\"", "\"listening\"");
    let role_line = edit("customer-says-too-slow.toml", "\"tpm\"", "\"engineer\"");
    let level_line = edit("tough-360-feedback.toml", "\"apm\"", "\"intern\"");
    let key_line = edit("launch-slips.toml", "key = 1\n", "key = 7\n");
    let question_line = edit("wrong-numbers-to-leadership.toml", "question = \"What should you do?\"\n", "");
    assert_eq!(question_line, 12);
    let empty_why = {
        let text = &files["ai-assistant-mandate.toml"];
        let from = text.find("why = \"\"\"").expect("a why");
        let to = from + text[from..].find("\"\"\"\n\n").expect("end of why") + 3;
        let line = line_of(text, "why = \"\"\"");
        let edited = format!("{}why = \"\"{}", &text[..from], &text[to..]);
        files.insert("ai-assistant-mandate.toml".into(), edited);
        line
    };
    // All keys the same.
    let same = files["all-hands-launch-story.toml"]
        .lines()
        .map(|l| if l.starts_with("key = ") { "key = 3".to_owned() } else { l.to_owned() })
        .collect::<Vec<_>>()
        .join("\n");
    let same_line = line_of(&same, "[[options]]");
    files.insert("all-hands-launch-story.toml".into(), same);
    // Three options: cut the last two.
    let text = &files["outage-review-blame.toml"];
    let third = text.match_indices("[[options]]").nth(3).expect("a fourth option").0;
    let three_line = line_of(text, "[[options]]");
    files.insert("outage-review-blame.toml".into(), text[..third].to_owned());

    let mut raw: Vec<(String, Vec<u8>)> = files.into_iter().map(|(p, t)| (p, t.into_bytes())).collect();
    raw.push(("not-utf8.toml".into(), b"id = \"x\"\ntitle = \"caf\xe9\"\n".to_vec()));
    raw.push(("syntax.toml".into(), b"id = \"syntax\"\n\ntitle = \"unterminated\n".to_vec()));

    let problems = ScenarioBank::load_bytes(&raw, framework()).expect_err("the bank is broken");
    let at = |file: &str, line: usize, message: &str| Problem { file: file.into(), line, message: message.into() };
    let mut expected = vec![
        at("ai-assistant-mandate.toml", empty_why, "`why` in option 1 is empty"),
        at(
            "all-hands-launch-story.toml",
            same_line,
            "every option is keyed 3: a scenario needs options of different effectiveness to test judgement",
        ),
        at(
            "customer-says-too-slow.toml",
            role_line,
            "unknown role \"engineer\": expected one of pm, pmm, tpm, growth-pm, platform-pm",
        ),
        at(
            "launch-slips.toml",
            key_line,
            "key 7 in option 3 is out of range: keys run from 1 (makes things worse) to 5 (most effective)",
        ),
        at("not-utf8.toml", 2, "the file is not UTF-8 text (invalid byte at offset 21): save it as UTF-8"),
        at("outage-review-blame.toml", three_line, "a scenario needs 4 or 5 options ([[options]]), found 3"),
        at("quiet-engineer.toml", skill_line, "unknown skill \"listening\": it is not a skill of the framework"),
        at("syntax.toml", 3, "not valid here: invalid basic string, expected `\"`"),
        at(
            "tough-360-feedback.toml",
            level_line,
            "unknown level \"intern\": expected one of apm, pm, senior, lead, director, vp",
        ),
        at("wrong-numbers-to-leadership.toml", 1, "missing field `question`"),
        at("zz-copy.toml", 1, "duplicate scenario id \"launch-slips\": already defined in launch-slips.toml line 1"),
    ];
    expected.sort();
    let shown = |list: &[Problem]| list.iter().map(|p| format!("  {p}\n")).collect::<String>();
    assert_eq!(problems, expected, "got:\n{}expected:\n{}", shown(&problems), shown(&expected));
}

#[test]
fn an_empty_bank_and_a_misnamed_file_are_problems() {
    let problems = ScenarioBank::load(&[], framework()).expect_err("empty");
    assert_eq!(problems.len(), 1);
    assert!(problems[0].message.contains("the scenario bank is empty"), "{problems:?}");

    let text = pmcoach_core::embedded::file("scenarios/launch-slips.toml").expect("shipped");
    let files = [pmcoach_core::source::SourceFile::new("slipping.toml", text)];
    let problems = ScenarioBank::load(&files, framework()).expect_err("misnamed");
    assert_eq!(
        problems[0].to_string(),
        "slipping.toml:1: scenario \"launch-slips\" should live in launch-slips.toml, so it can be found by its id"
    );
}

// ------------------------------------------------------------------- scoring

/// Rating format, worked by hand: score = 1 − Σ|rating − key| / (4 · n).
#[test]
fn rating_scores_by_hand() {
    // keys    5 1 2 4 4
    // ratings 4 1 3 4 2
    // |diff|  1 0 1 0 2  → Σ = 4;  1 − 4 / (4 · 5) = 1 − 0.2 = 0.8
    assert!(close(rating_score(&[5, 1, 2, 4, 4], &[4, 1, 3, 4, 2]).expect("valid"), 0.8));
    // keys    3 1 4 2
    // ratings 5 5 1 1
    // |diff|  2 4 3 1  → Σ = 10;  1 − 10 / 16 = 0.375
    assert!(close(rating_score(&[3, 1, 4, 2], &[5, 5, 1, 1]).expect("valid"), 0.375));
    // Every rating 4 away from its key: 1 − 16 / 16 = 0.
    assert!(close(rating_score(&[1, 5, 1, 5], &[5, 1, 5, 1]).expect("valid"), 0.0));
    // Every rating on its key: 1.
    assert!(close(rating_score(&[2, 5, 3, 1], &[2, 5, 3, 1]).expect("valid"), 1.0));

    assert_eq!(rating_score(&[5, 1, 2, 4], &[5, 1, 2]), Err(AnswerError::WrongCount { expected: 4, found: 3 }));
    assert_eq!(rating_score(&[5, 1, 2, 4], &[5, 1, 0, 4]), Err(AnswerError::RatingOutOfRange { option: 3, rating: 0 }));
    assert_eq!(rating_score(&[5, 1, 2, 4], &[5, 6, 2, 4]), Err(AnswerError::RatingOutOfRange { option: 2, rating: 6 }));
}

/// Best/worst format, worked by hand: the mean of
/// 1 − (max − key(best)) / 4 and 1 − (key(worst) − min) / 4.
#[test]
fn best_worst_scores_by_hand() {
    let keys = [5, 1, 2, 4, 4]; // max 5, min 1
    // Perfect: best = option 1 (key 5), worst = option 2 (key 1): (1 + 1) / 2 = 1.
    assert!(close(best_worst_score(&keys, 0, 1).expect("valid"), 1.0));
    // best = option 4 (key 4): 1 − (5 − 4)/4 = 0.75; worst = option 3 (key 2): 1 − (2 − 1)/4 = 0.75 → 0.75.
    assert!(close(best_worst_score(&keys, 3, 2).expect("valid"), 0.75));
    // best = option 3 (key 2): 1 − 3/4 = 0.25; worst = option 2 (key 1): 1 → (0.25 + 1) / 2 = 0.625.
    assert!(close(best_worst_score(&keys, 2, 1).expect("valid"), 0.625));
    // Reversed: best = option 2 (key 1): 1 − 4/4 = 0; worst = option 1 (key 5): 1 − 4/4 = 0 → 0.
    assert!(close(best_worst_score(&keys, 1, 0).expect("valid"), 0.0));
    // Ties at the top earn full credit: option 4 and option 5 are both key 4 in [4, 2, 1, 4].
    assert!(close(best_worst_score(&[4, 2, 1, 4], 3, 2).expect("valid"), 1.0));
    // A narrow key range still costs one point per step: keys [3, 4, 3, 2],
    // best = option 1 (key 3): 1 − 1/4 = 0.75; worst = option 4 (key 2): 1 → 0.875.
    assert!(close(best_worst_score(&[3, 4, 3, 2], 0, 3).expect("valid"), 0.875));

    assert_eq!(best_worst_score(&keys, 2, 2), Err(AnswerError::SameBestAndWorst));
    assert_eq!(best_worst_score(&keys, 5, 1), Err(AnswerError::NoSuchOption { option: 6, count: 5 }));
    assert_eq!(best_worst_score(&[], 0, 1), Err(AnswerError::NoOptions));
}

#[test]
fn feedback_shows_the_key_beside_the_answer() {
    let scenario = bank().get("launch-slips").expect("launch-slips");
    let keys = scenario.keys();
    assert_eq!(keys, vec![2, 2, 1, 5, 4]);
    // Ratings 3 2 1 4 4 → |diff| 1 0 0 1 0 → 1 − 2/20 = 0.9.
    let answer = Answer::Rating { ratings: vec![3, 2, 1, 4, 4] };
    let feedback = Feedback::new(scenario, &answer).expect("valid");
    assert!(close(feedback.score, 0.9));
    assert_eq!(feedback.percent, 90);
    assert_eq!(feedback.options[0].distance, Some(1));
    assert!(feedback.options[3].is_best && feedback.options[2].is_worst);
    assert_eq!(feedback.options[4].why, scenario.options[4].why);

    let answer = Answer::BestWorst { best: 4, worst: 2 };
    assert_eq!(answer.format(), AnswerFormat::BestWorst);
    // best key 4: 0.75; worst key 1 = min: 1 → 0.875.
    assert!(close(score(scenario, &answer).expect("valid"), 0.875));
    let feedback = Feedback::new(scenario, &answer).expect("valid");
    assert!(feedback.options[4].picked_best && feedback.options[2].picked_worst);
    assert_eq!(feedback.options[4].rating, None);
    assert_eq!(Feedback::new(scenario, &Answer::BestWorst { best: 1, worst: 1 }), Err(AnswerError::SameBestAndWorst));
}

/// Per skill: only blind (first) attempts count, within the window; the
/// series shows repeats but keeps them out of the running mean.
#[test]
fn skill_scores_use_blind_attempts_within_the_window() {
    let bank = bank();
    // Both exercise transparency; only launch-slips exercises adaptability.
    let attempt = |scenario: &str, at: i64, score: f64| Attempt { scenario: scenario.into(), at, score };
    let attempts = vec![
        attempt("launch-slips", 300, 1.0), // a repeat after seeing the key: ignored for the signal
        attempt("launch-slips", 100, 0.5),
        attempt("wrong-numbers-to-leadership", 200, 0.75),
        attempt("retired-scenario", 150, 0.0), // not in the bank: ignored
    ];
    let scores = skill_scores(bank, &attempts, Window::ALL);
    let of = |id: &str| scores.iter().find(|s| s.skill.as_str() == id).expect(id).clone();
    // transparency: blind scores 0.5 and 0.75 → 0.625 → 63 %.
    assert_eq!(of("transparency").scenarios, 2);
    assert!(close(of("transparency").mean, 0.625));
    assert_eq!(of("transparency").percent, 63);
    assert!(close(of("adaptability").mean, 0.5));

    // A window from 150 keeps only the blind attempt at 200 (the repeat at 300 never counts).
    let later = skill_scores(bank, &attempts, Window { from: Some(150), until: None });
    assert!(later.iter().all(|s| s.skill.as_str() != "adaptability"), "{later:?}");
    assert!(close(later.iter().find(|s| s.skill.as_str() == "transparency").expect("t").mean, 0.75));

    let series = skill_series(bank, &attempts, "transparency");
    let points: Vec<(i64, bool, f64)> = series.iter().map(|p| (p.at, p.repeat, p.mean)).collect();
    // 100: 0.5 → mean 0.5; 200: 0.75 → mean (0.5 + 0.75)/2 = 0.625; 300: repeat, mean stays 0.625.
    assert_eq!(points, vec![(100, false, 0.5), (200, false, 0.625), (300, true, 0.625)]);
    assert!(close(series[2].score, 1.0));
    assert!(skill_series(bank, &attempts, "sql").is_empty());
}

// --------------------------------------------------------- item statistics

fn response(respondent: &str, scenario: &str, at: i64, score: f64) -> Response {
    Response {
        respondent: respondent.into(),
        scenario: scenario.into(),
        at,
        answer: Answer::BestWorst { best: 0, worst: 1 },
        score,
    }
}

/// Five people, three items, computed by hand.
///
/// ```text
///        A     B     C
/// P1   1.00  1.00  0.50
/// P2   0.75  0.50  0.75
/// P3   0.50  0.75  0.75
/// P4   0.25  0.25  1.00
/// P5   0.75   –     –      (answered A only: counted in n and the mean, not in r)
/// ```
#[test]
fn item_rest_correlation_by_hand() {
    let mut responses = Vec::new();
    let table = [
        ("P1", [Some(1.0), Some(1.0), Some(0.5)]),
        ("P2", [Some(0.75), Some(0.5), Some(0.75)]),
        ("P3", [Some(0.5), Some(0.75), Some(0.75)]),
        ("P4", [Some(0.25), Some(0.25), Some(1.0)]),
        ("P5", [Some(0.75), None, None]),
    ];
    for (person, scores) in table {
        for (item, score) in ["A", "B", "C"].iter().zip(scores) {
            if let Some(score) = score {
                responses.push(response(person, item, 10, score));
            }
        }
    }
    // A repeat after the blind attempt is ignored everywhere.
    responses.push(response("P1", "A", 99, 0.0));

    let stats = item_stats(&["A", "B", "C"], &responses);
    let [a, b, c] = [&stats[0], &stats[1], &stats[2]];

    // Item A: n = 5; mean = (1 + 0.75 + 0.5 + 0.25 + 0.75) / 5 = 3.25 / 5 = 0.65.
    // Pairs (x = A, y = mean of B and C): P1 (1, 0.75), P2 (0.75, 0.625),
    // P3 (0.5, 0.75), P4 (0.25, 0.625). x̄ = 0.625, ȳ = 0.6875.
    // dx = .375 .125 −.125 −.375; dy = .0625 −.0625 .0625 −.0625
    // Σdxdy = .0234375 − .0078125 − .0078125 + .0234375 = 0.03125 = 1/32
    // Σdx² = 0.3125 = 5/16; Σdy² = 0.015625 = 1/64
    // r = (1/32) / √(5/16 · 1/64) = (1/32) / (√5 / 32) = 1/√5 ≈ 0.4472
    assert_eq!(a.answered, 5);
    assert!(close(a.mean.expect("mean"), 0.65));
    assert!(close(a.discrimination.value().expect("r"), 1.0 / 5f64.sqrt()));
    assert!(a.flags.is_empty(), "{:?}", a.flags);

    // Item B mirrors A (its pairs are A's with P2 and P3 swapped): r = 1/√5; n = 4 < 5.
    assert_eq!(b.answered, 4);
    assert!(close(b.mean.expect("mean"), 0.625));
    assert!(close(b.discrimination.value().expect("r"), 1.0 / 5f64.sqrt()));
    assert_eq!(b.flags, vec![Flag::TooFewAnswers]);

    // Item C: pairs (x = C, y = mean of A and B): P1 (0.5, 1), P2 (0.75, 0.625),
    // P3 (0.75, 0.625), P4 (1, 0.25). x̄ = 0.75, ȳ = 0.625.
    // dx = −.25 0 0 .25; dy = .375 0 0 −.375
    // Σdxdy = −.09375 − .09375 = −0.1875; Σdx² = 0.125; Σdy² = 0.28125
    // r = −0.1875 / √(0.125 · 0.28125) = −0.1875 / 0.1875 = −1
    assert!(close(c.discrimination.value().expect("r"), -1.0));
    assert_eq!(c.flags, vec![Flag::NegativeDiscrimination, Flag::TooFewAnswers]);
}

/// Issue 8: the admin page at 100,000 people reads only blind scores, keyed
/// by user id; the statistics are those of the full responses.
#[test]
fn statistics_from_blind_scores_match_those_from_every_response() {
    let mut responses = Vec::new();
    let mut blind = Vec::new();
    for person in 0..40_i64 {
        for (n, item) in ["A", "B", "C", "D", "skipped"].iter().enumerate() {
            if (person + n as i64) % 4 == 0 {
                continue;
            }
            let score = ((person * 7 + n as i64 * 3) % 11) as f64 / 10.0;
            responses.push(response(&format!("P{person}"), item, 100 - person, score));
            // A later attempt, after seeing the key: not a blind score.
            responses.push(response(&format!("P{person}"), item, 200, 1.0 - score / 2.0));
            blind.push((person, *item, score));
        }
    }
    let items = ["A", "B", "C", "D", "E"];
    let full = item_stats(&items, &responses);
    let lean = item_stats_of_blind(&items, blind.iter().rev().copied());
    assert_eq!(full.len(), lean.len());
    for (f, l) in full.iter().zip(&lean) {
        assert_eq!((&f.scenario, f.answered, &f.flags), (&l.scenario, l.answered, &l.flags));
        assert_eq!(f.mean.is_some(), l.mean.is_some());
        assert!(f.mean.zip(l.mean).is_none_or(|(a, b)| close(a, b)), "{f:?} {l:?}");
        match (f.discrimination.value(), l.discrimination.value()) {
            (Some(a), Some(b)) => assert!(close(a, b), "{f:?} {l:?}"),
            _ => assert_eq!(f.discrimination, l.discrimination),
        }
    }
    assert!(full[0].discrimination.value().is_some() && lean[4].answered == 0);
}

#[test]
fn discrimination_is_undefined_with_a_reason() {
    // Two people answered A and another item: too few.
    let few = [
        response("P1", "A", 1, 1.0),
        response("P1", "B", 1, 0.5),
        response("P2", "A", 1, 0.5),
        response("P2", "B", 1, 1.0),
        response("P3", "A", 1, 0.5),
    ];
    let stats = item_stats(&["A", "B"], &few);
    assert_eq!(stats[0].discrimination, Discrimination::Undefined(Undefined::TooFewPeople { found: 2 }));
    assert_eq!(stats[0].answered, 3);

    assert_eq!(pearson(&[(1.0, 0.2), (1.0, 0.5), (1.0, 0.9)]), Discrimination::Undefined(Undefined::NoVarianceInItem));
    assert_eq!(pearson(&[(0.1, 0.5), (0.6, 0.5), (0.9, 0.5)]), Discrimination::Undefined(Undefined::NoVarianceInRest));
    assert_eq!(
        Undefined::TooFewPeople { found: 2 }.to_string(),
        "needs at least 3 people who answered this and another scenario, found 2"
    );

    // Nobody answered: no mean, too few answers.
    let stats = item_stats(&["Z"], &few);
    assert_eq!(stats[0].answered, 0);
    assert_eq!(stats[0].mean, None);
    assert_eq!(stats[0].flags, vec![Flag::TooFewAnswers]);
}

#[test]
fn ceiling_and_floor_need_enough_answers() {
    let people = ["P1", "P2", "P3", "P4", "P5"];
    let mut responses = Vec::new();
    for (i, person) in people.iter().enumerate() {
        // E: everyone near the top, mean (1 + 1 + 1 + 0.9 + 0.9)/5 = 0.96 ≥ 0.95.
        responses.push(response(person, "E", 1, if i < 3 { 1.0 } else { 0.9 }));
        // H: mean (0.5 + 0.4 + 0.5 + 0.6 + 0.5)/5 = 0.5 ≤ 0.5.
        responses.push(response(person, "H", 1, [0.5, 0.4, 0.5, 0.6, 0.5][i]));
    }
    let stats = item_stats(&["E", "H"], &responses);
    assert_eq!(stats[0].answered, MIN_ANSWERS);
    assert!(stats[0].flags.contains(&Flag::Ceiling), "{:?}", stats[0]);
    assert!(stats[1].flags.contains(&Flag::Floor), "{:?}", stats[1]);

    // With four answers the same means raise only "too few answers".
    let four: Vec<Response> = responses.into_iter().filter(|r| r.respondent != "P5").collect();
    let stats = item_stats(&["E", "H"], &four);
    assert!(stats.iter().all(|s| !s.flags.contains(&Flag::Ceiling) && !s.flags.contains(&Flag::Floor)));
    assert!(stats.iter().all(|s| s.flags.contains(&Flag::TooFewAnswers)));
    assert!(Flag::Ceiling.explanation().contains("obvious"));
}

#[test]
fn the_export_is_anonymous_and_safe_in_a_spreadsheet() {
    let responses = vec![
        Response {
            respondent: "maya@example.com".into(),
            scenario: "launch-slips".into(),
            at: 5,
            answer: Answer::Rating { ratings: vec![3, 2, 1, 4, 4] },
            score: 0.9,
        },
        Response {
            respondent: "maya@example.com".into(),
            scenario: "launch-slips".into(),
            at: 9,
            answer: Answer::BestWorst { best: 3, worst: 2 },
            score: 1.0,
        },
        Response {
            respondent: "=HYPERLINK(\"http://x\")".into(),
            scenario: "-launch".into(),
            at: 1,
            answer: Answer::BestWorst { best: 0, worst: 4 },
            score: 0.25,
        },
    ];
    let rows = csv_rows(&responses, 42);
    assert_eq!(rows.len(), 3);
    let text = csv_text(&rows);
    assert!(!text.contains("maya") && !text.contains("HYPERLINK"), "{text}");
    assert!(text.starts_with(&format!("{}\r\n", CSV_HEADER.join(","))), "{text}");
    for row in &rows {
        assert!(row[0].starts_with('R') && row[0].len() == 5, "{row:?}");
        for cell in row {
            assert!(!cell.starts_with(['=', '+', '-', '@']), "{cell:?}");
        }
    }
    let maya: Vec<&[String; 12]> = rows.iter().filter(|r| r[1] == "launch-slips").collect();
    assert_eq!(maya[0][0], maya[1][0], "one person keeps one key");
    assert_eq!(maya[0][2..], ["1", "rating", "0.9000", "3", "2", "1", "4", "4", "", ""].map(String::from));
    assert_eq!(maya[1][2..], ["2", "best-worst", "1.0000", "", "", "", "", "", "4", "3"].map(String::from));
    let other = rows.iter().find(|r| r[1] == "'-launch").expect("the formula-like id is neutralised");
    assert_ne!(other[0], maya[0][0]);

    // Keys depend on the seed, not on who sorts first.
    let keys = |seed| csv_rows(&responses, seed).into_iter().map(|r| (r[1].clone(), r[0].clone())).collect::<Vec<_>>();
    assert!((0..16).map(keys).collect::<std::collections::BTreeSet<_>>().len() > 1);
}

// ---------------------------------------------------------------- properties

proptest! {
    #[test]
    fn rating_scores_lie_in_zero_to_one_and_the_key_scores_one(
        pairs in proptest::collection::vec((1u8..=5, 1u8..=5), 4..=5)
    ) {
        let keys: Vec<u8> = pairs.iter().map(|p| p.0).collect();
        let ratings: Vec<u8> = pairs.iter().map(|p| p.1).collect();
        let s = rating_score(&keys, &ratings).expect("valid");
        prop_assert!((0.0..=1.0).contains(&s));
        prop_assert!(close(rating_score(&keys, &keys).expect("valid"), 1.0));
    }

    #[test]
    fn best_worst_scores_lie_in_zero_to_one_and_a_perfect_pick_scores_one(
        keys in proptest::collection::vec(1u8..=5, 4..=5),
        best in 0usize..5,
        worst in 0usize..5,
    ) {
        prop_assume!(keys.iter().min() != keys.iter().max());
        match best_worst_score(&keys, best, worst) {
            Ok(s) => prop_assert!((0.0..=1.0).contains(&s)),
            Err(error) => prop_assert!(best == worst || best >= keys.len() || worst >= keys.len(), "{error}"),
        }
        let top = (0..keys.len()).max_by_key(|&i| keys[i]).expect("options");
        let bottom = (0..keys.len()).min_by_key(|&i| keys[i]).expect("options");
        prop_assert!(close(best_worst_score(&keys, top, bottom).expect("valid"), 1.0));
    }

    #[test]
    fn every_shipped_scenario_scores_a_perfect_answer_as_one(index in 0usize..1000) {
        let scenario = &bank().scenarios[index % bank().len()];
        let keys = scenario.keys();
        let rated = score(scenario, &Answer::Rating { ratings: keys.clone() }).expect("valid");
        prop_assert!(close(rated, 1.0));
        let best = scenario.best_options()[0];
        let worst = (0..keys.len()).min_by_key(|&i| keys[i]).expect("options");
        let picked = score(scenario, &Answer::BestWorst { best, worst }).expect("valid");
        prop_assert!(close(picked, 1.0));
    }
}
