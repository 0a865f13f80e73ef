//! A deterministic shuffle for comments, keyed by a seed the caller derives
//! from something the viewer cannot see (say, a digest of the cycle id and a
//! server secret).

use crate::rng::SplitMix64;

/// The key of the comment shuffle. The same seed and the same comments give
/// the same order, whatever order the comments were submitted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ShuffleSeed(u64);

impl ShuffleSeed {
    pub fn new(seed: u64) -> Self {
        ShuffleSeed(seed)
    }

    /// Folds any number of bytes (a digest, say) into a seed.
    pub fn from_bytes(bytes: &[u8]) -> Self {
        let mut state = 0x243f_6a88_85a3_08d3_u64;
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            state = SplitMix64::new(state ^ u64::from_le_bytes(word)).next_u64();
        }
        ShuffleSeed(state)
    }
}

/// Sorts `items` into a canonical order first, so the result depends only on
/// the multiset of items, the seed and the stream (one per list shuffled),
/// then applies a Fisher–Yates shuffle.
pub(crate) fn shuffle<T: Ord>(items: &mut [T], seed: ShuffleSeed, stream: u64) {
    items.sort_unstable();
    let mut rng = SplitMix64::stream(seed.0, stream);
    for i in (1..items.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        items.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_order_depends_on_the_seed_not_on_the_input_order() {
        let mut forward: Vec<u32> = (0..20).collect();
        let mut backward: Vec<u32> = (0..20).rev().collect();
        shuffle(&mut forward, ShuffleSeed::new(7), 0);
        shuffle(&mut backward, ShuffleSeed::new(7), 0);
        assert_eq!(forward, backward);
        assert_ne!(forward, (0..20).collect::<Vec<_>>(), "twenty items stay sorted with odds 1 in 20!");
        let mut other = forward.clone();
        shuffle(&mut other, ShuffleSeed::new(8), 0);
        assert_ne!(forward, other);
    }

    #[test]
    fn seeds_from_bytes_depend_on_every_byte() {
        assert_ne!(ShuffleSeed::from_bytes(b"cycle-1"), ShuffleSeed::from_bytes(b"cycle-2"));
        assert_eq!(ShuffleSeed::from_bytes(b"cycle-1"), ShuffleSeed::from_bytes(b"cycle-1"));
    }
}
