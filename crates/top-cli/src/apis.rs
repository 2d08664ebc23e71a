//! The API descriptions built into `top` (top-model's catalogue of the repository's `apis/`):
//! they drive `top describe` and the checks `top call` makes before sending.

use top_model::Catalog;

use crate::error::CliError;

/// How many near names an unknown method's message offers.
const SUGGESTIONS: usize = 3;

/// The built-in descriptions.
pub(crate) fn catalog() -> Result<Catalog, CliError> {
    Catalog::builtin().map_err(CliError::Model)
}

/// A usage error for a method without a description, naming the described methods closest
/// to it, so a typo is one look away from the right name.
pub(crate) fn unknown_method(catalog: &Catalog, method: &str) -> CliError {
    let near = closest(catalog, method, SUGGESTIONS);
    let mut message = format!("no description of `{method}`");
    if near.is_empty() {
        message.push_str(" (no API is described in this build)");
    } else {
        message.push_str(&format!(
            "; the closest described methods: {} (`top describe` lists all {})",
            near.join(", "),
            catalog.len()
        ));
    }
    CliError::Usage(message)
}

/// The `n` described methods nearest to `method`: those containing it (or contained in it)
/// first, then by edit distance.
pub(crate) fn closest<'a>(catalog: &'a Catalog, method: &str, n: usize) -> Vec<&'a str> {
    // Bounds the quadratic distance on absurd input; method names are far shorter.
    let query: String = method
        .trim()
        .to_ascii_lowercase()
        .chars()
        .take(200)
        .collect();
    let mut ranked: Vec<(bool, usize, &str)> = catalog
        .iter()
        .map(|d| {
            let name = d.method();
            let related = !query.is_empty() && (name.contains(&query) || query.contains(name));
            (!related, levenshtein(&query, name), name)
        })
        .collect();
    ranked.sort_unstable();
    ranked
        .into_iter()
        .take(n)
        .map(|(_, _, name)| name)
        .collect()
}

/// The number of single-character insertions, deletions and substitutions from `a` to `b`.
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance() {
        assert_eq!(levenshtein("", ""), 0);
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("abc", ""), 3);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("注册", "注册a"), 1);
    }

    #[test]
    fn suggestions_rank_contained_names_first() -> Result<(), CliError> {
        let catalog = catalog()?;
        if catalog.is_empty() {
            return Ok(());
        }
        let near = closest(&catalog, "alibaba.alsc.crm.customer.creat", 3);
        assert_eq!(near.first(), Some(&"alibaba.alsc.crm.customer.create"));
        let near = closest(&catalog, "blacklist", 1);
        assert_eq!(
            near,
            vec!["taobao.logistics.express.user.blacklist.tms.sync"]
        );
        assert_eq!(closest(&catalog, "", 2).len(), 2.min(catalog.len()));
        Ok(())
    }
}
