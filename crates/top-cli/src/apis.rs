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
    let near = catalog.closest(method, SUGGESTIONS);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_methods_name_the_closest() -> Result<(), CliError> {
        let catalog = catalog()?;
        let message = unknown_method(&catalog, "alibaba.alsc.crm.customer.creat").to_string();
        assert!(
            message.contains("closest described methods: alibaba.alsc.crm.customer.create"),
            "{message}"
        );
        Ok(())
    }
}
