//! The descriptions bulk jobs are planned from: top-model's built-in catalogue, read once,
//! and the plan of every described API with bulk settings.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use top_model::Catalog;

use crate::api::kind::JobKind;
use crate::api::plan::BulkPlan;
use crate::error::SyncError;

/// The built-in catalogue.
fn catalog() -> Result<&'static Catalog, SyncError> {
    static CATALOG: OnceLock<Result<Catalog, String>> = OnceLock::new();
    CATALOG
        .get_or_init(|| Catalog::builtin().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|reason| SyncError::Description {
            method: "(built-in descriptions)".into(),
            reason: reason.clone(),
        })
}

/// Every plan by method (or why the method's bulk settings cannot be planned).
type Plans = BTreeMap<String, Result<BulkPlan, String>>;

/// Every plan, by method: one per described API with bulk settings (or why it has none).
fn plans() -> Result<&'static Plans, SyncError> {
    static PLANS: OnceLock<Result<Plans, SyncError>> = OnceLock::new();
    PLANS
        .get_or_init(|| {
            let catalog = catalog()?;
            Ok(catalog
                .iter()
                .filter(|d| d.overlay.bulk.is_some())
                .map(|d| (d.method().to_owned(), BulkPlan::new(d)))
                .collect())
        })
        .as_ref()
        .map_err(|e| SyncError::Description {
            method: "(built-in descriptions)".into(),
            reason: e.to_string(),
        })
}

/// The plan of `method`.
///
/// # Errors
/// [`SyncError::Description`] naming the method: not described (with the nearest described
/// methods), without bulk settings, or with bulk settings that cannot be planned.
pub(crate) fn plan(method: &str) -> Result<&'static BulkPlan, SyncError> {
    let error = |reason: String| SyncError::Description {
        method: method.to_owned(),
        reason,
    };
    match plans()?.get(method) {
        Some(Ok(plan)) => Ok(plan),
        Some(Err(reason)) => Err(error(reason.clone())),
        None => {
            let catalog = catalog()?;
            if catalog.get(method).is_some() {
                return Err(error(
                    "the description has no bulk settings (`[bulk]` in its overlay)".into(),
                ));
            }
            let near = catalog.closest(method, 1);
            Err(error(match near.first() {
                Some(near) => format!("no API of that name is described; did you mean `{near}`?"),
                None => "no API of that name is described".into(),
            }))
        }
    }
}

/// The methods `top import` can send: every described API with bulk settings.
pub fn importable() -> Vec<&'static str> {
    plans()
        .map(|plans| {
            plans
                .iter()
                .filter(|(_, p)| p.is_ok())
                .map(|(m, _)| m.as_str())
                .collect()
        })
        .unwrap_or_default()
}

/// A named kind's plan, with its columns as `&'static str` (the kind's API keeps them).
#[derive(Debug)]
pub(crate) struct Named {
    /// The plan.
    pub plan: &'static BulkPlan,
    /// Its columns.
    pub columns: Vec<&'static str>,
    /// Its required columns.
    pub required: Vec<&'static str>,
    /// The failures file's identifying column.
    pub label: &'static str,
}

/// The named kind's plan, if its description can be read.
pub(crate) fn named(kind: JobKind) -> Option<&'static Named> {
    static NAMED: OnceLock<Vec<(JobKind, Named)>> = OnceLock::new();
    NAMED
        .get_or_init(|| {
            [JobKind::Blacklist, JobKind::Tag, JobKind::Crm]
                .into_iter()
                .filter_map(|kind| {
                    let plan = plan(kind.method()).ok()?;
                    let label = match kind {
                        // The first tag jobs named their user id column so.
                        JobKind::Tag => "user_id",
                        _ => plan.label_column(),
                    };
                    Some((
                        kind,
                        Named {
                            plan,
                            columns: plan.columns().iter().map(String::as_str).collect(),
                            required: plan.required().iter().map(String::as_str).collect(),
                            label,
                        },
                    ))
                })
                .collect()
        })
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, n)| n)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// What bulk sync relies on in the blacklist's description: the defaults it fills and
    /// the member whose duplicates it merges.
    #[test]
    fn the_blacklist_declares_its_defaults_and_its_unique_mobile() {
        let catalog = catalog().unwrap();
        let members = &catalog
            .get("taobao.logistics.express.user.blacklist.tms.sync")
            .unwrap()
            .overlay
            .members;
        for path in [
            "user_blacklist_request.service_type",
            "user_blacklist_request.ability_type",
        ] {
            assert_eq!(members[path].default.as_deref(), Some("1"), "{path}");
        }
        assert!(members["user_blacklist_request.blacklist[].mobile"].unique);
    }

    #[test]
    fn every_importable_api_is_planned() {
        let methods = importable();
        for method in [
            "alibaba.alsc.crm.customer.create",
            "alibaba.alsc.crm.customer.update",
            "taobao.logistics.express.user.blacklist.tms.sync",
            "taobao.retail.user.tag.mobile.add",
        ] {
            assert!(methods.contains(&method), "{method}: {methods:?}");
        }
        let err = plan("alibaba.alsc.crm.customer.updat").unwrap_err();
        assert!(
            err.to_string()
                .contains("did you mean `alibaba.alsc.crm.customer.update`")
        );
        let update = plan("alibaba.alsc.crm.customer.update").unwrap();
        assert_eq!(update.required(), ["customer_id"]);
        assert_eq!(update.label_column(), "customer_id");
        assert!(update.idempotent() && !update.batched());
        let blacklist = plan("taobao.logistics.express.user.blacklist.tms.sync").unwrap();
        assert_eq!(blacklist.columns(), ["mobile", "reason"]);
        assert_eq!(
            (blacklist.max_batch(), blacklist.max_items()),
            (100, Some(1000))
        );
    }
}
