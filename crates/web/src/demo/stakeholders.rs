//! The demo organisation's stakeholder maps and meeting notes. Maya, a
//! senior PM at Northwind Labs (B2B SaaS for logistics teams), has a full
//! map spread over the grid with two 1:1s overdue; Sam, her manager, a few.

use pmcoach_store::stakeholders::{NewMeeting, StakeholderProfile};
use pmcoach_store::{Store, UserId, now_millis};
use time::Duration;

use crate::routes::stakeholders::{date_millis, templates, today};

/// One demo stakeholder: who, where on the grid, and when last met.
struct Demo {
    name: &'static str,
    title: &'static str,
    function: &'static str,
    /// (influence, interest, health)
    scores: (i64, i64, i64),
    cadence_days: Option<i64>,
    /// Days ago; with meetings, the newest meeting's day.
    last_met: Option<i64>,
    /// Lines that replace the template's goals, when this person's differ.
    goals: Option<&'static str>,
    needs: Option<&'static str>,
    /// (days ago, notes, decisions, follow-ups)
    meetings: &'static [(i64, &'static str, &'static str, &'static str)],
}

fn day(days_ago: i64) -> i64 {
    date_millis(today() - Duration::days(days_ago))
}

fn profile(demo: &Demo) -> anyhow::Result<StakeholderProfile> {
    let template =
        templates().get(demo.function).ok_or_else(|| anyhow::anyhow!("no function template {}", demo.function))?;
    let (influence, interest, health) = demo.scores;
    Ok(StakeholderProfile {
        name: demo.name.to_owned(),
        function_id: demo.function.to_owned(),
        title: Some(demo.title.to_owned()),
        goals: demo.goals.map_or_else(|| template.goals.join("\n"), str::to_owned),
        pressures: template.pressures.join("\n"),
        needs: demo.needs.map_or_else(|| template.needs.join("\n"), str::to_owned),
        channel: template.channel.clone(),
        style: template.style.clone(),
        influence,
        interest,
        health,
        cadence_days: demo.cadence_days,
        last_met_at: demo.last_met.map(day),
    })
}

const MAYA: &[Demo] = &[
    Demo {
        name: "Lena Okafor",
        title: "Engineering lead, Route Planning",
        function: "engineering",
        scores: (5, 5, 4),
        cadence_days: Some(14),
        last_met: Some(6),
        goals: Some(
            "Get the route optimiser off the legacy queue before peak season\nKeep Wednesdays free of meetings for \
             the team\nCut the flaky integration tests that block releases",
        ),
        needs: None,
        meetings: &[
            (
                20,
                "Lena thinks the multi-stop feature is two sprints, not one: the carrier API has no batch endpoint, \
                 so every stop is a call.\nShe wants us to stop promising dates in the customer council before the \
                 team has sized the work.",
                "Split multi-stop: single-depot first, multi-depot after peak season.",
                "Share the customer interviews behind multi-stop with the team\nAsk sales to stop quoting Q3 for \
                 multi-depot",
            ),
            (
                6,
                "Queue migration is on track; one engineer is lost to on-call every other week.\nWhy the flaky tests? \
                 They hit the real carrier sandbox, which times out at night.",
                "Reserve 20% of next sprint for the test fixes.\nI write the one-pager on the on-call load for Helen.",
                "Send the on-call one-pager to Lena before Helen sees it\nBook a scope review for multi-depot in two \
                 weeks",
            ),
        ],
    },
    Demo {
        name: "Tomás Herrera",
        title: "Senior product designer",
        function: "design",
        scores: (3, 5, 5),
        cadence_days: Some(14),
        last_met: Some(9),
        goals: None,
        needs: None,
        meetings: &[(
            9,
            "Five dispatcher interviews done. Dispatchers never use the map view during the morning rush: they \
             work from the list and only open the map for exceptions.",
            "Design the exception view first; the map redesign waits.",
            "Add two night-shift dispatchers to the next round of tests",
        )],
    },
    Demo {
        name: "Rachel Kim",
        title: "Sales director, Mid-market",
        function: "sales",
        scores: (4, 4, 2),
        cadence_days: Some(14),
        last_met: Some(23),
        goals: None,
        needs: Some(
            "A one-page answer to \"why not RouteMax\" for late-stage deals\nA PM on the Fjordline renewal call \
             each quarter\nDates she can repeat without having to walk them back",
        ),
        meetings: &[(
            23,
            "Rachel is frustrated: two deals slipped because multi-depot was quoted for Q3 and then moved.\nWhy \
             now? Her team's quota went up 30% and multi-depot is the top objection in the pipeline.",
            "",
            "Send Rachel the revised multi-depot plan with a date range, not a date\nJoin the Kestrel Freight demo \
             call",
        )],
    },
    Demo {
        name: "Daniel Mensah",
        title: "Customer success manager, Enterprise",
        function: "customer-success",
        scores: (2, 5, 3),
        cadence_days: Some(14),
        last_met: Some(10),
        goals: None,
        needs: None,
        meetings: &[(
            10,
            "Three enterprise accounts raised the CSV export limit in one week. Adoption of the new dashboard is \
             low because admins were not told it shipped.",
            "Release notes go to CS two days before each release from now on.",
            "Draft talking points on the dashboard for Daniel's accounts",
        )],
    },
    Demo {
        name: "Helen Zhao",
        title: "VP Product",
        function: "leadership",
        scores: (5, 3, 4),
        cadence_days: Some(30),
        last_met: Some(12),
        goals: None,
        needs: None,
        meetings: &[(
            12,
            "Helen asked for one date for peak-season readiness she can take to the board, and the top risk.",
            "Top risk: on-call load on the Route Planning team. I own the mitigation plan.",
            "Send a one-paragraph readiness update with the date and the risk",
        )],
    },
    Demo {
        name: "Marcus Webb",
        title: "Finance business partner",
        function: "finance",
        scores: (4, 2, 3),
        cadence_days: Some(45),
        last_met: Some(52),
        goals: None,
        needs: None,
        meetings: &[],
    },
    Demo {
        name: "Sofia Lindqvist",
        title: "Head of Operations, Fjordline Logistics",
        function: "customer",
        scores: (3, 4, 4),
        cadence_days: Some(30),
        last_met: Some(20),
        goals: Some(
            "Plan 400 daily deliveries with two fewer dispatchers\nShow her COO the tool paid for itself by the \
             renewal\nStop re-keying orders from the ERP every morning",
        ),
        needs: None,
        meetings: &[(
            20,
            "Sofia's team re-keys orders from their ERP every morning: 40 minutes a day. Why not the import? It \
             rejects files with more than one depot.",
            "",
            "Confirm whether single-depot import covers 80% of her orders\nInvite Sofia to test the exception view",
        )],
    },
    Demo {
        name: "Inês Duarte",
        title: "Senior counsel",
        function: "legal",
        scores: (4, 2, 3),
        cadence_days: Some(60),
        last_met: Some(30),
        goals: None,
        needs: None,
        meetings: &[],
    },
    Demo {
        name: "Ben Carter",
        title: "Support team lead",
        function: "customer-success",
        scores: (2, 2, 4),
        cadence_days: None,
        last_met: None,
        goals: None,
        needs: None,
        meetings: &[],
    },
];

const SAM: &[Demo] = &[
    Demo {
        name: "Helen Zhao",
        title: "VP Product",
        function: "leadership",
        scores: (5, 4, 4),
        cadence_days: Some(14),
        last_met: Some(5),
        goals: None,
        needs: None,
        meetings: &[(
            5,
            "Headcount for next year is flat. Helen wants the team's plan to show which bets we drop, not only \
             which we add.",
            "Each PM brings one bet to drop to the planning offsite.",
            "Ask Maya and Priya for one bet each to drop",
        )],
    },
    Demo {
        name: "Oliver Grant",
        title: "Director of Engineering",
        function: "engineering",
        scores: (4, 3, 3),
        cadence_days: Some(21),
        last_met: Some(14),
        goals: None,
        needs: None,
        meetings: &[],
    },
    Demo {
        name: "Rachel Kim",
        title: "Sales director, Mid-market",
        function: "sales",
        scores: (3, 3, 3),
        cadence_days: Some(30),
        last_met: Some(18),
        goals: None,
        needs: None,
        meetings: &[],
    },
];

async fn seed_one(store: &dyn Store, owner: UserId, demos: &[Demo]) -> anyhow::Result<()> {
    let now = now_millis();
    for demo in demos {
        let stakeholder = store.create_stakeholder(owner, &profile(demo)?, now).await?;
        for &(days_ago, notes, decisions, follow_ups) in demo.meetings {
            let meeting = NewMeeting {
                met_at: day(days_ago),
                notes: notes.to_owned(),
                decisions: decisions.to_owned(),
                follow_ups: follow_ups.to_owned(),
            };
            store.log_meeting(owner, stakeholder.id, &meeting, now).await?;
        }
    }
    Ok(())
}

/// Seeds stakeholder maps for the demo people (`people` in the order of
/// `super::people()`: Ada, Sam, Maya, Priya, Theo, Jonas).
pub(super) async fn seed(store: &dyn Store, people: &[UserId]) -> anyhow::Result<()> {
    seed_one(store, people[2], MAYA).await?;
    seed_one(store, people[1], SAM).await?;
    Ok(())
}
