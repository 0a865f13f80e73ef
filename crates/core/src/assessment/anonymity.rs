//! The one decision about which answers may be shown: which pool each group's
//! raters fall into, and whether that pool and each of its cells is shown.
//! The rules and why they are safe are in the [module docs](super).

use std::collections::BTreeMap;

use serde::Serialize;

use super::model::{Threshold, is_named};
use crate::framework::model::Observer;
use crate::vocab::vocabulary;

/// Where raters' answers are shown: with their own group, or merged into
/// "others" (every group too small to show on its own).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Pool {
    Group(Observer),
    Others,
}

impl Pool {
    pub fn as_str(self) -> &'static str {
        match self {
            Pool::Group(group) => group.as_str(),
            Pool::Others => "others",
        }
    }

    /// Whether the pool's answers are shown by name (the manager) rather
    /// than anonymously.
    pub fn is_named(self) -> bool {
        matches!(self, Pool::Group(group) if is_named(group))
    }
}

impl Serialize for Pool {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

vocabulary!(
    /// What happens to a group's answers, decided by how many of its raters
    /// answered: shown as the group, merged into "others", or withheld.
    Placement, "placement" {
        Own => "own",
        Others => "others",
        Withheld => "withheld",
    }
);

/// Which pool every group that answered falls into, from the number of
/// raters of each group who answered and nothing else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Plan {
    threshold: Threshold,
    answered: BTreeMap<Observer, usize>,
    others_shown: bool,
}

impl Plan {
    /// Groups with no answers may appear with a count of 0; they are ignored.
    pub(crate) fn new(threshold: Threshold, answered: BTreeMap<Observer, usize>) -> Self {
        let answered: BTreeMap<Observer, usize> = answered.into_iter().filter(|&(_, n)| n > 0).collect();
        let small: usize = answered.iter().filter(|&(&g, &n)| !meets(n, threshold.for_group(g))).map(|(_, &n)| n).sum();
        let others_shown = meets(small, threshold.get());
        Plan { threshold, answered, others_shown }
    }

    pub(crate) fn placement(&self, group: Observer) -> Placement {
        let answered = self.answered.get(&group).copied().unwrap_or(0);
        if meets(answered, self.threshold.for_group(group)) {
            Placement::Own
        } else if self.others_shown {
            Placement::Others
        } else {
            Placement::Withheld
        }
    }

    /// The pool a group's answers go to, or `None` when they are withheld.
    pub(crate) fn pool_of(&self, group: Observer) -> Option<Pool> {
        match self.placement(group) {
            Placement::Own => Some(Pool::Group(group)),
            Placement::Others => Some(Pool::Others),
            Placement::Withheld => None,
        }
    }

    /// How many answers a pool, and each cell of it, needs to be shown.
    pub(crate) fn pool_threshold(&self, pool: Pool) -> u32 {
        match pool {
            Pool::Group(group) => self.threshold.for_group(group),
            Pool::Others => self.threshold.get(),
        }
    }

    /// Every group that answered with its count, in vocabulary order.
    pub(crate) fn answered(&self) -> impl Iterator<Item = (Observer, usize)> {
        self.answered.iter().map(|(&g, &n)| (g, n))
    }

    /// Every pool that holds answers, shown or withheld, with its groups and
    /// raters: the groups on their own first (vocabulary order), then the
    /// small groups together. The small groups form one withheld entry when
    /// "others" is under the threshold.
    pub(crate) fn pools(&self) -> Vec<(Pool, Vec<Observer>, usize, bool)> {
        let mut pools = Vec::new();
        let (mut small, mut small_raters) = (Vec::new(), 0);
        for (group, n) in self.answered() {
            match self.placement(group) {
                Placement::Own => pools.push((Pool::Group(group), vec![group], n, true)),
                Placement::Others | Placement::Withheld => {
                    small.push(group);
                    small_raters += n;
                }
            }
        }
        if !small.is_empty() {
            pools.push((Pool::Others, small, small_raters, self.others_shown));
        }
        pools
    }
}

fn meets(count: usize, threshold: u32) -> bool {
    u32::try_from(count).map_or(true, |count| count >= threshold)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(threshold: i64, counts: &[(Observer, usize)]) -> Plan {
        Plan::new(Threshold::new(threshold).unwrap(), counts.iter().copied().collect())
    }

    #[test]
    fn groups_at_the_threshold_stand_alone_and_the_rest_merge_or_are_withheld() {
        use Observer::*;
        // k = 3: engineering 3 stands alone; design 2 + sales 1 = 3 form "others".
        let p = plan(3, &[(Engineering, 3), (Design, 2), (Sales, 1)]);
        assert_eq!(p.placement(Engineering), Placement::Own);
        assert_eq!(p.placement(Design), Placement::Others);
        assert_eq!(p.placement(Sales), Placement::Others);
        // k = 3: design 1 + sales 1 = 2 < 3, so both are withheld.
        let p = plan(3, &[(Engineering, 3), (Design, 1), (Sales, 1)]);
        assert_eq!(p.pool_of(Design), None);
        assert_eq!(p.pools().last(), Some(&(Pool::Others, vec![Design, Sales], 2, false)));
        // The manager stands alone with one answer, at any threshold.
        let p = plan(5, &[(Manager, 1), (Peer, 4)]);
        assert_eq!(p.pool_of(Manager), Some(Pool::Group(Manager)));
        assert_eq!(p.pool_of(Peer), None);
        assert!(Pool::Group(Manager).is_named());
        assert!(!Pool::Others.is_named());
    }
}
