//! Syllable counting for English words, for the Flesch–Kincaid grade.
//!
//! A rule-based method: count vowel groups, then correct for the spelling
//! patterns English uses most (a silent final `e`, `-ed` and `-es` endings,
//! vowel pairs that are said as two syllables, `-le` after a consonant). It
//! agrees with dictionary pronunciations for the large majority of words and
//! never allocates.

/// Syllables in an ASCII word (letters, digits, apostrophes, hyphens).
/// Digits-only words count as one syllable; hyphenated words are counted per part.
pub fn count_ascii(word: &[u8]) -> u32 {
    if word.len() <= 3 {
        return 1;
    }
    if word.contains(&b'-') {
        return word.split(|&b| b == b'-').filter(|p| !p.is_empty()).map(count_part).sum::<u32>().max(1);
    }
    count_part(word)
}

static VOWEL: [bool; 256] = {
    let mut t = [false; 256];
    t[b'a' as usize] = true;
    t[b'e' as usize] = true;
    t[b'i' as usize] = true;
    t[b'o' as usize] = true;
    t[b'u' as usize] = true;
    t[b'y' as usize] = true;
    let mut c = b'a';
    while c <= b'z' {
        t[(c - 32) as usize] = t[c as usize];
        c += 1;
    }
    t
};

/// Whether a byte is a vowel letter (a e i o u y, either case).
#[inline]
pub(crate) fn is_vowel(b: u8) -> bool {
    VOWEL[b as usize]
}

fn count_part(word: &[u8]) -> u32 {
    // Up to an apostrophe ("don't", "we're"); case-insensitive throughout.
    let mut n = 0;
    let mut count: i32 = 0;
    let mut prev_vowel = false;
    let mut pairs = false;
    for (i, &b) in word.iter().enumerate() {
        if b == b'\'' {
            break;
        }
        let v = is_vowel(b) && !(i == 0 && b | 0x20 == b'y');
        if v {
            if prev_vowel {
                pairs = true;
            } else {
                count += 1;
            }
        }
        prev_vowel = v;
        n = i + 1;
    }
    finish(&word[..n], count as u32, pairs)
}

/// For an 8-bit vowel mask: how many runs of set bits it has (vowel groups),
/// a table because the baseline x86-64 target has no `popcnt`.
static GROUP_STARTS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut m = 0;
    while m < 256 {
        let v = m as u8;
        t[m] = (v & !(v << 1)).count_ones() as u8;
        m += 1;
    }
    t
};

/// Vowel-group bookkeeping a caller can do while it scans a word (letters
/// and digits only): call [`step`] per byte, then [`finish`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Groups {
    pub groups: u32,
    pub pairs: bool,
    prev_vowel: bool,
}

impl Groups {
    /// The state after stepping through `n` (1 to 8) bytes whose vowels are
    /// the set bits of `vowels` (bit `j` for byte `j`): the same as `n` calls
    /// of [`step`](Groups::step), without a branch per byte.
    #[inline(always)]
    pub(crate) fn from_vowel_mask(vowels: u8, n: u32) -> Groups {
        let v = vowels & ((1u16 << n.min(8)) - 1) as u8;
        Groups {
            groups: u32::from(GROUP_STARTS[v as usize]),
            pairs: v & (v << 1) != 0,
            prev_vowel: n > 0 && n <= 8 && v & (1 << (n - 1)) != 0,
        }
    }

    #[inline(always)]
    pub(crate) fn step(&mut self, b: u8) {
        let v = is_vowel(b);
        self.groups += u32::from(v && !self.prev_vowel);
        self.pairs |= v && self.prev_vowel;
        self.prev_vowel = v;
    }

    /// Syllables of `word`, which the caller stepped through byte by byte.
    #[inline(always)]
    pub(crate) fn syllables(self, word: &[u8]) -> u32 {
        if word.len() <= 3 {
            return 1;
        }
        let mut groups = self.groups;
        // A leading "y" before a consonant is a consonant: "yes" is one group, not two.
        if word.len() > 1 && word[0] | 0x20 == b'y' && !is_vowel(word[1]) {
            groups = groups.saturating_sub(1);
        }
        finish(word, groups, self.pairs)
    }
}

/// The corrections on top of the vowel-group count.
#[inline(never)]
fn finish(w: &[u8], groups: u32, pairs: bool) -> u32 {
    let n = w.len();
    if n <= 3 {
        return 1;
    }
    let mut count = groups as i32;

    let lc = |i: usize| w[i] | 0x20;
    if pairs {
        for i in 1..n {
            if is_vowel(w[i]) && is_vowel(w[i - 1]) && two_syllable_pair(w, i) {
                count += 1;
            }
        }
    }
    let last = lc(n - 1);
    let before = |k: usize| if n > k { lc(n - 1 - k) } else { 0 };

    // Silent final e: "make", "release" (but not "-le" after a consonant: "table").
    if last == b'e' && !is_vowel(before(1)) {
        let consonant_le = before(1) == b'l' && !is_vowel(before(2));
        if !consonant_le {
            count -= 1;
        }
    }
    // "-es" and "-ed" are usually not syllables: "makes", "shipped"; they are
    // after s/x/z/ch/sh/c/g (-es) and t/d (-ed): "boxes", "wanted".
    if before(1) == b'e' && !is_vowel(before(2)) {
        if last == b'd' {
            // "wanted", "needed"; "enabled", "handled" keep their -led.
            let consonant_led = before(2) == b'l' && !is_vowel(before(3));
            if !matches!(before(2), b't' | b'd') && !consonant_led {
                count -= 1;
            }
        } else if last == b's' {
            let p = before(2);
            let sibilant =
                matches!(p, b's' | b'x' | b'z' | b'c' | b'g') || (p == b'h' && matches!(before(3), b'c' | b's'));
            if !sibilant && (p != b'l' || is_vowel(before(3))) {
                count -= 1;
            }
        }
    }
    // "-ism": "criticism"; "-ire" is said as two: "fire", "required".
    if last == b'm' && before(1) == b's' && before(2) == b'i' {
        count += 1;
    }
    let ends = |suffix: &[u8]| n > suffix.len() && w[n - suffix.len()..].eq_ignore_ascii_case(suffix);
    match last {
        // "-ire" is said as two: "fire", "required".
        b'e' | b'd' | b's' if ends(b"ire") || ends(b"ired") || ends(b"ires") => count += 1,
        // "-ically" is one syllable less than it is spelt: "automatically".
        b'y' if ends(b"ically") => count -= 1,
        _ => {}
    }
    // A silent e inside a compound: "useful", "carefully".
    if matches!(last, b'l' | b'y' | b's') && (ends(b"eful") || ends(b"efully") || ends(b"efulness")) {
        count -= 1;
    }
    count.max(1) as u32
}

/// Whether the vowels at `i - 1` and `i` are said as two syllables.
fn two_syllable_pair(w: &[u8], i: usize) -> bool {
    let n = w.len();
    let lc = |k: usize| w[k] | 0x20;
    let (a, b) = (lc(i - 1), lc(i));
    let p = if i >= 2 { lc(i - 2) } else { 0 };
    let next = if i + 1 < n { lc(i + 1) } else { 0 };
    match (a, b) {
        (b'i', b'a') => !matches!(p, b'c' | b't' | b'g') || i + 1 == n,
        (b'i', b'o') => !(matches!(p, b't' | b's' | b'c' | b'x' | b'g') && matches!(next, b'n' | b'u')),
        (b'e', b'o') => p != b'p' && next != b'u',
        (b'u', b'a') => !matches!(p, b'q' | b'g'),
        (b'u', b'i') => matches!(p, b'r' | b'n') && next == b't',
        (b'i', b'e') => {
            matches!(next, b't' | b'n') && !matches!(p, b't' | b'c') && !(n > 3 && lc(0) == b'f' && lc(1) == b'r')
        }
        (b'e', b'a') => next == b't' && i + 2 < n && lc(i + 2) == b'e',
        (b'e', b'i') => next == b'n' && i + 2 < n && lc(i + 2) == b'g',
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::count_ascii as s;

    #[test]
    fn common_words() {
        for (word, n) in [
            ("the", 1),
            ("make", 1),
            ("makes", 1),
            ("table", 2),
            ("shipped", 1),
            ("wanted", 2),
            ("boxes", 2),
            ("release", 2),
            ("customer", 3),
            ("engineering", 4),
            ("communication", 5),
            ("readability", 5),
            ("video", 3),
            ("ratio", 3),
            ("actual", 3),
            ("quality", 3),
            ("nation", 2),
            ("special", 2),
            ("various", 3),
            ("people", 2),
            ("criticism", 4),
            ("quiet", 2),
            ("don't", 1),
            ("follow-up", 3),
            ("yes", 1),
            ("every", 3),
        ] {
            assert_eq!(s(word.as_bytes()), n, "{word}");
        }
    }
}
