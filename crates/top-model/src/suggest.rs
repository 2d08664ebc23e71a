//! Near misses: the described method, or the member, a misspelt name was probably meant to
//! be (`top describe`, `top call`, `top import`, and a bulk file's header).

use crate::catalog::Catalog;

/// Names longer than this are cut before measuring: real names are far shorter, and the
/// distance is quadratic in the length.
const MAX_CHARS: usize = 200;

impl Catalog {
    /// The `n` described methods nearest to `method`: those containing it (or contained in
    /// it) first, then by edit distance (Levenshtein), then by name.
    ///
    /// ```
    /// # let catalog = top_model::Catalog::builtin()?;
    /// let near = catalog.closest("alibaba.alsc.crm.customer.creat", 1);
    /// assert_eq!(near, ["alibaba.alsc.crm.customer.create"]);
    /// # Ok::<(), top_model::ModelError>(())
    /// ```
    pub fn closest(&self, method: &str, n: usize) -> Vec<&str> {
        let query = cut(&method.trim().to_ascii_lowercase());
        let mut ranked: Vec<(bool, usize, &str)> = self
            .iter()
            .map(|d| {
                let name = d.method();
                let related = !query.is_empty() && (name.contains(&query) || query.contains(name));
                (!related, strsim::levenshtein(&query, name), name)
            })
            .collect();
        ranked.sort_unstable();
        ranked
            .into_iter()
            .take(n)
            .map(|(_, _, name)| name)
            .collect()
    }
}

/// The candidate `word` is a near miss of, if any: one that starts with it (`supplier` →
/// `supplier-id`), else the closest by edit distance (Damerau-Levenshtein: a swap of two
/// neighbours is one edit), when fewer edits away than the word has characters and at most
/// 1, 2 or 3 (words up to 3, 6, or more characters: `nmae` → `name`, `reasons` → `reason`;
/// `x` suggests nothing). Case is ignored; ties go to the first candidate.
///
/// ```
/// let columns = ["mobile", "reason"];
/// assert_eq!(top_model::did_you_mean("reasons", columns), Some("reason"));
/// assert_eq!(top_model::did_you_mean("Mobile", columns), Some("mobile"));
/// assert_eq!(top_model::did_you_mean("address", columns), None);
/// ```
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let given = cut(word.trim());
    let word = given.to_lowercase();
    let chars = word.chars().count();
    let limit = match chars {
        0..=3 => 1,
        4..=6 => 2,
        _ => 3,
    };
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let lower = candidate.to_lowercase();
        if candidate == given {
            continue;
        }
        let distance = if chars >= 3 && lower.starts_with(&word) {
            0
        } else {
            strsim::osa_distance(&word, &lower)
        };
        if distance <= limit && distance < chars && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

fn cut(text: &str) -> String {
    text.chars().take(MAX_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses_only() {
        let columns = ["mobile", "reason", "outer_id", "outer_type"];
        assert_eq!(did_you_mean("reasons", columns), Some("reason"));
        assert_eq!(did_you_mean("outer_ids", columns), Some("outer_id"));
        assert_eq!(did_you_mean("mobil", columns), Some("mobile"));
        assert_eq!(did_you_mean("nmae", ["name", "email"]), Some("name"));
        assert_eq!(
            did_you_mean("supplier", ["operate", "supplier-id"]),
            Some("supplier-id")
        );
        assert_eq!(did_you_mean("x", columns), None);
        assert_eq!(did_you_mean("ab", ["a"]), Some("a"));
        assert_eq!(did_you_mean("nothing", columns), None);
        assert_eq!(did_you_mean("reason", columns), None);
        assert_eq!(did_you_mean("", columns), None);
    }

    #[test]
    fn closest_methods() -> Result<(), crate::ModelError> {
        let catalog = Catalog::builtin()?;
        assert_eq!(
            catalog.closest("blacklist", 1),
            ["taobao.logistics.express.user.blacklist.tms.sync"]
        );
        assert_eq!(catalog.closest("", 2).len(), 2.min(catalog.len()));
        assert_eq!(
            catalog.closest("taobao.retail.user.tag.mobile.ad", 1),
            ["taobao.retail.user.tag.mobile.add"]
        );
        Ok(())
    }
}
