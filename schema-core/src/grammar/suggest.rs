//! "did you mean" hints for misspelled keys.

/// The closest of `candidates` to `word`, when it is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, c)| {
            *d <= c.len().max(word.len()).div_ceil(3) || (word.len() >= 3 && c.starts_with(word))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance over chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut row = Vec::with_capacity(b.len() + 1);
        row.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitute = prev[j] + usize::from(ca != *cb);
            row.push(substitute.min(prev[j + 1] + 1).min(row[j] + 1));
        }
        prev = row;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_keys_only() {
        let keys = ["primary_key", "unique", "index", "references"];
        assert_eq!(closest("primary_ky", &keys), Some("primary_key"));
        assert_eq!(closest("uniq", &keys), Some("unique"));
        assert_eq!(closest("refrences", &keys), Some("references"));
        assert_eq!(closest("colour", &keys), None);
        assert_eq!(closest("emial", &["org_id", "email"]), Some("email"));
        assert_eq!(closest("org", &["org_id", "email"]), Some("org_id"));
        assert_eq!(closest("id", &["identifier"]), None);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
