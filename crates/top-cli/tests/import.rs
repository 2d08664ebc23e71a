//! `top import METHOD FILE`: the real `top` binary against the sandbox over HTTP, for APIs
//! driven by their descriptions alone (alibaba.alsc.crm.customer.update, whose rows fill its
//! object parameter, and taobao.retail.user.tag.mobile.add, whose rows are its top-level
//! parameters). Files, journals and the failures file live in a temporary directory.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;

const UPDATE: &str = "alibaba.alsc.crm.customer.update";
const TAG: &str = "taobao.retail.user.tag.mobile.add";

/// Creates `n` customers (outer ids `C-0`, `C-1`...) with `top crm import`; returns their
/// ids in that order.
fn create_customers(sandbox: &TestSandbox, home: &std::path::Path, n: usize) -> Vec<String> {
    let mut csv = String::from("outer_type,outer_id,channel,customer_type,name\n");
    for i in 0..n {
        csv.push_str(&format!("card,C-{i},2,0,Old {i}\n"));
    }
    std::fs::write(home.join("customers.csv"), csv).unwrap();
    let (code, out, err) =
        run(top(home, &sandbox.url).args(["crm", "import", "customers.csv", "--qps", "1000"]));
    assert_eq!(code, 0, "{out}{err}");
    let state = sandbox.state();
    (0..n)
        .map(|i| {
            let outer = format!("C-{i}");
            state
                .crm_customers
                .iter()
                .find(|c| c.outer_id == outer)
                .unwrap()
                .customer_id
                .clone()
        })
        .collect()
}

#[test]
fn customer_updates_are_imported_by_the_description_alone() {
    let sandbox = TestSandbox::start(|b| b);
    let home = tempfile::tempdir().unwrap();
    let ids = create_customers(&sandbox, home.path(), 3);
    assert_eq!(ids.len(), 3);

    // Two good rows, one that breaks a rule (line 4), one the sandbox does not know (line 5).
    let updates = format!(
        "customer_id,name,gender,customer_type,tag_ids,email\n\
         {},New One,1,1,\"t1,t2\",one@example.com\n\
         {},New Two,0,0,,\n\
         {},Bad Mail,1,1,,not-an-address\n\
         20190000000000000099,Nobody,1,1,,\n",
        ids[0], ids[1], ids[2]
    );
    std::fs::write(home.path().join("updates.csv"), updates).unwrap();
    let (code, out, err) = run(top(home.path(), &sandbox.url).args([
        "import",
        UPDATE,
        "updates.csv",
        "--qps",
        "1000",
        "--failures",
        "failures.csv",
        "--output",
        "json",
    ]));
    assert_eq!(code, 1, "some rows did not apply: {out}{err}");
    let summary = json(&out);
    assert_eq!(summary["kind"], UPDATE);
    assert_eq!(
        (
            summary["total"].as_u64(),
            summary["done"].as_u64(),
            summary["invalid"].as_u64(),
            summary["failed"].as_u64(),
            summary["unknown"].as_u64(),
        ),
        (Some(4), Some(2), Some(1), Some(1), Some(0)),
        "{out}"
    );

    // The sandbox holds the changes of the good rows only.
    let state = sandbox.state();
    let customer = |id: &str| {
        state
            .crm_customers
            .iter()
            .find(|c| c.customer_id == id)
            .unwrap()
            .clone()
    };
    let one = customer(&ids[0]);
    assert_eq!(one.name.as_deref(), Some("New One"));
    assert_eq!(one.gender.as_deref(), Some("1"));
    assert_eq!(one.customer_type, 1);
    assert_eq!(one.email.as_deref(), Some("one@example.com"));
    let two = customer(&ids[1]);
    assert_eq!(two.name.as_deref(), Some("New Two"));
    assert_eq!(two.customer_type, 0);
    assert_eq!(customer(&ids[2]).name.as_deref(), Some("Old 2"));
    assert_eq!(state.applied_to(UPDATE), 2);

    // The failures file names each bad row by its line, column and rule.
    let failures = std::fs::read_to_string(home.path().join("failures.csv")).unwrap();
    let lines: Vec<&str> = failures.lines().collect();
    assert_eq!(
        lines[0], "line,state,code,sub_code,message,customer_id",
        "{failures}"
    );
    assert!(
        lines[1].starts_with("4,invalid,invalid,email,\"must be an e-mail address"),
        "{failures}"
    );
    assert!(
        lines[2].starts_with("5,failed,CUSTOMER_NOT_FOUND,"),
        "{failures}"
    );
    assert_eq!(lines.len(), 3, "{failures}");

    // The journal is the method's: status names it; a second run sends nothing again.
    let journal = home.path().join("updates.csv.journal");
    let status = sync_status(home.path(), &sandbox.url, &journal);
    assert_eq!(status["kind"], UPDATE);
    assert_eq!(status["method"], UPDATE);
    let calls = sandbox.state().calls_to(UPDATE);
    let (code, out, err) = run(top(home.path(), &sandbox.url).args([
        "import",
        UPDATE,
        "updates.csv",
        "--qps",
        "1000",
    ]));
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(sandbox.state().calls_to(UPDATE), calls, "nothing resent");
}

#[test]
fn a_header_with_a_near_miss_or_without_a_required_column_is_refused_before_sending() {
    let sandbox = TestSandbox::start(|b| b);
    let home = tempfile::tempdir().unwrap();
    let ids = create_customers(&sandbox, home.path(), 1);
    let calls = sandbox.state().calls_to(UPDATE);

    std::fs::write(
        home.path().join("typo.csv"),
        format!("customer_id,nmae\n{},New\n", ids[0]),
    )
    .unwrap();
    let (code, out, err) = run(top(home.path(), &sandbox.url).args(["import", UPDATE, "typo.csv"]));
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("unknown column `nmae`"), "{err}");
    assert!(err.contains("did you mean `name`?"), "{err}");
    assert!(!home.path().join("typo.csv.journal").exists());

    std::fs::write(
        home.path().join("noid.csv"),
        "name,email\nA,a@example.com\n",
    )
    .unwrap();
    let (code, _, err) = run(top(home.path(), &sandbox.url).args(["import", UPDATE, "noid.csv"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no `customer_id` column"), "{err}");

    // A misspelt method names the described one.
    let (code, _, err) = run(top(home.path(), &sandbox.url).args([
        "import",
        "alibaba.alsc.crm.customer.updat",
        "noid.csv",
    ]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(UPDATE), "{err}");
    // A described method without bulk settings is refused, naming why.
    let (code, _, err) = run(top(home.path(), &sandbox.url).args([
        "import",
        "alibaba.damai.maizuo.openapi.user.register.byauthcode",
        "noid.csv",
    ]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no bulk settings"), "{err}");

    assert_eq!(sandbox.state().calls_to(UPDATE), calls, "nothing was sent");
}

#[test]
fn tags_are_imported_through_the_generic_command() {
    let sandbox = TestSandbox::start(|b| b);
    let home = tempfile::tempdir().unwrap();
    let mut csv = String::from("biz_code,alipay_user_id,open_id\n");
    for i in 0..5 {
        csv.push_str(&format!("B,2088{i:012},\n"));
    }
    csv.push_str("B,,\n");
    std::fs::write(home.path().join("tags.csv"), csv).unwrap();
    let (code, out, err) = run(top(home.path(), &sandbox.url).args([
        "import",
        TAG,
        "tags.csv",
        "--qps",
        "1000",
        "--failures",
        "failures.csv",
        "--output",
        "json",
    ]));
    assert_eq!(code, 1, "{out}{err}");
    let summary = json(&out);
    assert_eq!(
        (summary["done"].as_u64(), summary["invalid"].as_u64()),
        (Some(5), Some(1)),
        "{out}"
    );
    assert_eq!(sandbox.state().tags.len(), 5);
    let failures = std::fs::read_to_string(home.path().join("failures.csv")).unwrap();
    assert!(
        failures.contains("7,invalid,invalid,isv_user_id|open_id|alipay_user_id,\"at least one of"),
        "{failures}"
    );
}

#[test]
fn flags_of_a_batched_api_are_set_once_per_job() {
    let sandbox = TestSandbox::start(|b| b);
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("list.csv"),
        "mobile,reason\n13100000001,\"1,2\"\n13100000002,3\n",
    )
    .unwrap();
    // A flag the API does not have is refused with the nearest one.
    let (code, _, err) = run(top(home.path(), &sandbox.url).args([
        "import",
        BLACKLIST,
        "list.csv",
        "--set",
        "supplier=S1",
        "--set",
        "operate=1",
    ]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("did you mean `supplier-id`?"), "{err}");
    // A required flag missing is refused.
    let (code, _, err) = run(top(home.path(), &sandbox.url).args([
        "import",
        BLACKLIST,
        "list.csv",
        "--set",
        "operate=1",
    ]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("supplier-id"), "{err}");

    let (code, out, err) = run(top(home.path(), &sandbox.url).args([
        "import",
        BLACKLIST,
        "list.csv",
        "--set",
        "supplier-id=S-IMPORT",
        "--set",
        "operate=AddOrUpdate",
        "--qps",
        "1000",
    ]));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        blacklist_of(&sandbox.state(), "S-IMPORT"),
        vec![
            ("13100000001".to_owned(), vec![1, 2]),
            ("13100000002".to_owned(), vec![3]),
        ]
    );
    let status = sync_status(
        home.path(),
        &sandbox.url,
        &home.path().join("list.csv.journal"),
    );
    assert_eq!(status["flags"]["supplier-id"], "S-IMPORT");
    assert_eq!(status["flags"]["operate"], "1");
    assert_eq!(status["batches"]["done"], 1);
}
