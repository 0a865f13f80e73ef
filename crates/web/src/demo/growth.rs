//! The demo organisation's growth plans, practice log and check-ins.
//!
//! Maya's plan takes the three focus skills her latest results suggest and
//! has about nine weeks of practice behind it, three check-ins and is shared
//! with Sam, her manager. Priya has a small, private plan of her own choice.
//! All dates are relative to now, so the streak and the calendar are live.

use pmcoach_core::assessment;
use pmcoach_core::framework::Framework;
use pmcoach_core::framework::model::Cadence;
use pmcoach_core::growth::{CheckInFeeling, Date};
use pmcoach_core::ids::SkillId;
use pmcoach_store::growth::{ActivityId, CheckInAnswer, FocusId, NewPractice};
use pmcoach_store::{Millis, Store, UserId, now_millis};

const DAY: Millis = 86_400_000;

/// A focus skill's goal and activities (framework ids, or a custom title
/// with its cadence), written for the demo.
struct Focus {
    goal: &'static str,
    activities: &'static [(&'static str, Option<(&'static str, Cadence)>)],
}

/// What Maya wrote about each of the skills her results may suggest.
fn maya_focus(skill: &str) -> Option<Focus> {
    Some(match skill {
        "stakeholder-alignment" => Focus {
            goal: "Finance and customer success hear about reconciliation changes from me before they reach a release note.",
            activities: &[
                ("pre-wire-decision", None),
                ("ask-why-one-to-one", None),
                ("", Some(("Monthly coffee with Lena (CS lead) on reconciliation escalations", Cadence::Monthly))),
            ],
        },
        "executive-communication" => Focus {
            goal: "My monthly readout to Ada fits on one screen and ends with the one decision I need from her.",
            activities: &[("tldr-rewrite", None), ("rehearse-exec-readout", None)],
        },
        "empathy" => Focus {
            goal: "Engineers tell me the why behind a ticket is clear before sprint planning, not during it.",
            activities: &[("engineer-why-one-on-ones", None), ("listen-to-customer-calls", None)],
        },
        _ => return None,
    })
}

/// (days ago, skill, activity index within the skill, did, happened, learned, next)
type Practice = (i64, &'static str, Option<usize>, &'static str, &'static str, &'static str, &'static str);

const MAYA_PRACTICE: &[Practice] = &[
    (
        61,
        "empathy",
        Some(0),
        "1:1 with Tomasz (backend) about the matching-engine ticket. Asked why he pushed back on the two-day estimate instead of arguing the date.",
        "He explained that ledger rows are locked while a match runs, so the 'small' UI change needs a migration and a maintenance window.",
        "His no was about data safety, not effort. I had framed it as a deadline question, which made him defend the estimate.",
        "Open with the customer problem and ask what could go wrong before asking how long.",
    ),
    (
        58,
        "stakeholder-alignment",
        Some(0),
        "Pre-wired the FX-rounding change with Dana in finance two days before the pricing review.",
        "She raised the audit trail question privately; in the review she backed the change in one sentence.",
        "Finance objects to surprises more than to changes. Ten minutes alone saved half the meeting.",
        "Pre-wire the CSV import decision the same way, with Dana and Ada separately.",
    ),
    (
        56,
        "executive-communication",
        Some(0),
        "Rewrote the weekly reconciliation update as a five-line TL;DR with the ask first.",
        "Ada replied within the hour with a yes on the extra QA week. Last month the same ask sat for four days.",
        "Leading with the ask beats leading with the status. Nobody missed the detailed table.",
        "Keep the table as a link, not in the body.",
    ),
    (
        54,
        "empathy",
        Some(1),
        "Listened to the Harbor Bank support call about duplicate payouts.",
        "Their controller spent twenty minutes on month-end close; the bug itself took two sentences.",
        "The pain is the close deadline, not the duplicate. They need the numbers right by day three of the month.",
        "Ask CS for two more month-end calls and note when in the month each one happens.",
    ),
    (
        50,
        "stakeholder-alignment",
        Some(1),
        "1:1 with Lena to understand the pressure behind her escalations.",
        "She carries a renewal target this quarter and three of her accounts mention reconciliation in every QBR.",
        "Her urgent tickets are renewal risk, not impatience. I had been ranking them by ticket severity.",
        "Add renewal date to the escalation triage sheet.",
    ),
    (
        47,
        "empathy",
        Some(0),
        "Asked Ines (QA) why reconciliation bugs cluster right after releases.",
        "She showed me our test data has no multi-currency accounts at all.",
        "Asking why once more got to a cause nobody had written down.",
        "Bring a multi-currency test account to the next refinement session.",
    ),
    (
        44,
        "executive-communication",
        Some(1),
        "Rehearsed the monthly readout with Sam: five minutes, no slides.",
        "Sam stopped me at minute two: the decision was buried after the metrics.",
        "I explain before I ask. Executives want the decision, then only the context it needs.",
        "Write the decision slide first, then cut everything that does not support it.",
    ),
    (
        36,
        "stakeholder-alignment",
        Some(0),
        "Met the enterprise sales leads one by one before Q1 planning to walk through the reconciliation scope.",
        "Marco asked for the partial refunds item to move up; we agreed on a trade before the meeting, not in it.",
        "Pre-wiring also surfaces asks early enough to trade instead of fight.",
        "Send a one-paragraph summary of what each lead agreed, same day.",
    ),
    (
        33,
        "empathy",
        Some(1),
        "Listened to a churn-risk call with Corvid Freight.",
        "They never mentioned price. They said they could not trust the matched totals and re-check everything by hand.",
        "Trust is the product here. A faster match does not help if they redo it.",
        "Propose a match-confidence indicator in the next discovery session.",
    ),
    (
        30,
        "executive-communication",
        Some(0),
        "Cut the incident summary for the payout delay to one screen.",
        "Leadership forwarded it to two customers as it was.",
        "If it can be forwarded without edits, it is short enough.",
        "Use the same shape for the next incident: impact, cause, fix, what we changed.",
    ),
    (
        26,
        "stakeholder-alignment",
        Some(1),
        "1:1 with Marco on the deals that mention reconciliation.",
        "Four open deals use our matching as a differentiator; two are blocked on SOC 2 questions I can answer.",
        "Sales needs short answers they can paste, not a roadmap.",
        "Write a half-page Q&A on reconciliation controls for the sales team.",
    ),
    (
        23,
        "executive-communication",
        Some(1),
        "Gave the monthly readout to Ada with the decision on the first slide.",
        "We spent the time on the decision. She approved the matching rewrite with one condition.",
        "Rehearsing with Sam first made the opening sentence land.",
        "Ask Ada afterwards what she would have cut.",
    ),
    (
        19,
        "empathy",
        Some(0),
        "1:1 with Tomasz again: asked why the retry queue keeps surprising us.",
        "He drew the flow on a whiteboard; two of the retries were never in any spec.",
        "Drawing together beats reading tickets. He asked to do it again before the next epic.",
        "Book a whiteboard session at the start of every epic.",
    ),
    (
        15,
        "executive-communication",
        Some(0),
        "Rewrote the Q1 roadmap note for the leadership channel as a phone-sized note.",
        "Three leaders reacted within the morning; nobody asked for the long version.",
        "Bullets with numbers travel; paragraphs stay unread.",
        "Try the same for the customer advisory board update.",
    ),
    (
        12,
        "stakeholder-alignment",
        Some(2),
        "Coffee with Lena on this month's escalations.",
        "Two escalations were already solved by the retry fix; she had not heard.",
        "Good news travels slower than bad news. I need to close the loop, not just fix.",
        "Post a short 'fixed this week' note in the CS channel every Friday.",
    ),
    (
        8,
        "empathy",
        Some(1),
        "Second Harbor Bank call, this time with their new AP lead.",
        "She described the same close-deadline pain in different words, and asked for an export we already have.",
        "Half the ask was discoverability. Listening for the job, not the feature, showed it.",
        "Ask the docs team for a month-end guide.",
    ),
    (
        5,
        "stakeholder-alignment",
        Some(0),
        "Pre-wired dropping CSV import v1 with Ada and Dana separately.",
        "Dana agreed once the audit export stays; Ada asked for the customer count affected.",
        "Having the numbers ready in the pre-wire makes the real meeting a formality.",
        "Bring the affected-customer list to the planning review.",
    ),
    (
        3,
        "executive-communication",
        Some(1),
        "Rehearsed the Q1 planning opener with Sam.",
        "Down from six minutes to three; Sam only changed the order of two bullets.",
        "The rehearsal is where the cutting happens.",
        "Time the opener once more the day before.",
    ),
    (
        2,
        "empathy",
        Some(0),
        "Walked the payments squad through the customer story for partial refunds before showing the ticket.",
        "Tomasz proposed a simpler design than mine within ten minutes.",
        "When they hear the why first, engineers improve the solution instead of estimating mine.",
        "Do the same for the match-confidence indicator.",
    ),
];

/// (days ago, [(skill, feeling, confidence, note)])
type Check = (i64, &'static [(&'static str, CheckInFeeling, i64, &'static str)]);

const MAYA_CHECK_INS: &[Check] = &[
    (
        42,
        &[
            (
                "stakeholder-alignment",
                CheckInFeeling::Steady,
                2,
                "Pre-wiring works with finance; I still skip it with sales.",
            ),
            (
                "executive-communication",
                CheckInFeeling::Progress,
                2,
                "Short updates get faster answers. Live readouts are still long.",
            ),
            ("empathy", CheckInFeeling::Progress, 2, "Asking why changed two conversations with engineering."),
        ],
    ),
    (
        28,
        &[
            ("stakeholder-alignment", CheckInFeeling::Progress, 3, "Q1 planning had no surprises for once."),
            (
                "executive-communication",
                CheckInFeeling::Stuck,
                2,
                "I know the shape; under pressure I fall back to explaining first.",
            ),
            ("empathy", CheckInFeeling::Progress, 3, "Customer calls are changing what I put in specs."),
        ],
    ),
    (
        10,
        &[
            (
                "stakeholder-alignment",
                CheckInFeeling::Progress,
                4,
                "Lena now brings me renewal risks before they are escalations.",
            ),
            ("executive-communication", CheckInFeeling::Progress, 3, "Rehearsing with Sam is the habit that sticks."),
            ("empathy", CheckInFeeling::Steady, 3, "Missed customer calls during the release week."),
        ],
    ),
];

/// Seeds growth plans and practice for the demo people (`people` in the
/// order of `super::people()`: Ada, Sam, Maya, Priya, Theo, Jonas).
pub(super) async fn seed(store: &dyn Store, people: &[UserId]) -> anyhow::Result<()> {
    let framework = Framework::embedded().map_err(|problems| anyhow::anyhow!("framework: {problems:?}"))?;
    let now = now_millis();
    maya(store, &framework, people[2], now).await?;
    priya(store, &framework, people[3], now).await?;
    Ok(())
}

/// The skills Maya's latest closed results suggest, in their order.
async fn suggested(store: &dyn Store, user: UserId) -> anyhow::Result<Vec<SkillId>> {
    let Some(latest) = store.cycles(user).await?.into_iter().rev().find(|c| !c.is_open()) else {
        return Ok(Vec::new());
    };
    let answers = store.cycle_answers(latest.id).await?;
    let results = assessment::results(
        &answers.cycle.cycle,
        &answers.self_ratings,
        &answers.responses,
        crate::routes::results::seed(latest.id),
    )?;
    Ok(results.focus.into_iter().map(|f| f.skill).collect())
}

/// Adds a focus skill with its activities, `days_ago`; returns its id and
/// its activities' ids in order.
async fn focus(
    store: &dyn Store,
    framework: &Framework,
    user: UserId,
    skill: &SkillId,
    plan: &Focus,
    at: Millis,
) -> anyhow::Result<(FocusId, Vec<ActivityId>)> {
    let id = store.add_focus_skill(user, skill, plan.goal, at).await?;
    let mut activities = Vec::new();
    for (n, (activity, custom)) in plan.activities.iter().enumerate() {
        let when = at + n as i64 * 60_000;
        let added = match custom {
            Some((title, cadence)) => store.add_activity(user, id, None, title, *cadence, when).await?,
            None => {
                let found = framework
                    .skill(skill.as_str())
                    .and_then(|s| s.activity(activity))
                    .ok_or_else(|| anyhow::anyhow!("no activity {activity} in {skill}"))?;
                store.add_activity(user, id, Some(&found.id), &found.title, found.cadence, when).await?
            }
        };
        activities.push(added);
    }
    Ok((id, activities))
}

async fn maya(store: &dyn Store, framework: &Framework, maya: UserId, now: Millis) -> anyhow::Result<()> {
    let start = now - 63 * DAY;
    let mut chosen: Vec<(SkillId, FocusId, Vec<ActivityId>)> = Vec::new();
    for skill in suggested(store, maya).await?.into_iter().take(3) {
        if let Some(plan) = maya_focus(skill.as_str()) {
            let (id, activities) = focus(store, framework, maya, &skill, &plan, start + chosen.len() as i64).await?;
            chosen.push((skill, id, activities));
        }
    }
    for &(days, skill, activity, did, happened, learned, next_step) in MAYA_PRACTICE {
        let Some((skill_id, _, activities)) = chosen.iter().find(|(s, _, _)| s.as_str() == skill) else { continue };
        let at = now - days * DAY;
        let entry = NewPractice {
            skill: skill_id.clone(),
            activity_id: activity.and_then(|n| activities.get(n).copied()),
            day: Date::from_millis(at),
            did: did.to_owned(),
            happened: happened.to_owned(),
            learned: learned.to_owned(),
            next_step: next_step.to_owned(),
        };
        store.create_practice(maya, &entry, at).await?;
    }
    for &(days, answers) in MAYA_CHECK_INS {
        let answers: Vec<CheckInAnswer> = answers
            .iter()
            .filter_map(|&(skill, feeling, confidence, note)| {
                let (_, id, _) = chosen.iter().find(|(s, _, _)| s.as_str() == skill)?;
                Some(CheckInAnswer { focus_id: *id, feeling, confidence, note: note.to_owned() })
            })
            .collect();
        if !answers.is_empty() {
            store.record_check_in(maya, &answers, now - days * DAY).await?;
        }
    }
    store.set_plan_shared(maya, true, now - 60 * DAY).await?;
    Ok(())
}

/// (days ago, skill, activity, did, learned, next step)
type PriyaEntry<'a> = (i64, &'a SkillId, Option<ActivityId>, &'a str, &'a str, &'a str);

/// Priya chose her focus freely (she has no closed assessment yet): a TPM
/// in an AI start-up, growing her architecture conversations and her
/// storytelling for the launch.
async fn priya(store: &dyn Store, framework: &Framework, priya: UserId, now: Millis) -> anyhow::Result<()> {
    let start = now - 20 * DAY;
    let architecture = SkillId::parse("system-architecture")?;
    let arch_plan = Focus {
        goal: "Hold my own in design reviews of the retrieval service: name the trade-off before the engineers do.",
        activities: &[("", Some(("Read one design doc a week and write down its main trade-off", Cadence::Weekly)))],
    };
    let (_, arch_activities) = focus(store, framework, priya, &architecture, &arch_plan, start).await?;
    let storytelling = SkillId::parse("storytelling")?;
    let story_plan = Focus {
        goal: "Explain the assistant's launch to sales in one customer story, not a feature list.",
        activities: &[],
    };
    focus(store, framework, priya, &storytelling, &story_plan, start + 1).await?;
    let entries: [PriyaEntry<'_>; 4] = [
        (
            18,
            &architecture,
            arch_activities.first().copied(),
            "Read the design doc for the embedding cache.",
            "Cache invalidation on re-index is the trade-off: freshness against GPU cost.",
            "Ask which answers may be a day stale.",
        ),
        (
            11,
            &architecture,
            arch_activities.first().copied(),
            "Read the doc on moving retrieval to its own service.",
            "The split buys independent scaling and costs one more network hop per answer.",
            "Ask for the latency budget before the review.",
        ),
        (
            6,
            &storytelling,
            None,
            "Drafted the launch story around the support team at Corvid that answers tickets twice as fast.",
            "Sales liked the story; they asked for the numbers behind 'twice'.",
            "Get the numbers from the pilot before the enablement session.",
        ),
        (
            2,
            &architecture,
            arch_activities.first().copied(),
            "Asked in the design review what happens when the vector store is down.",
            "Nobody had written it down; we added a fallback to keyword search.",
            "Bring one failure question to every review.",
        ),
    ];
    for (days, skill, activity_id, did, learned, next_step) in entries {
        let at = now - days * DAY;
        let entry = NewPractice {
            skill: skill.clone(),
            activity_id,
            day: Date::from_millis(at),
            did: did.to_owned(),
            happened: String::new(),
            learned: learned.to_owned(),
            next_step: next_step.to_owned(),
        };
        store.create_practice(priya, &entry, at).await?;
    }
    Ok(())
}
