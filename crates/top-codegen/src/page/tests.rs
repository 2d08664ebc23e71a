//! The page reader on the four seed pages (copied into `tests/data/pages/`), against the
//! committed descriptions in `apis/` and the vendor's JSON of two of them; on small synthetic
//! pages of both layouts; and on broken and arbitrary text, which must give an error naming
//! the line, never a panic.

use proptest::prelude::*;
use top_model::{TypeRef, VendorApi, VendorParam};

use super::*;

const PAGE_000: &str = include_str!("../../tests/data/pages/000_18cddc836f4def79.txt");
const PAGE_001: &str = include_str!("../../tests/data/pages/001_ba5bb4e4487c7dba.txt");
const PAGE_002: &str = include_str!("../../tests/data/pages/002_77db765bef53aa54.txt");
const PAGE_003: &str = include_str!("../../tests/data/pages/003_88eb22299c9dfa54.txt");
const JSON_BLACKLIST: &str =
    include_str!("../../tests/data/pages/taobao.logistics.express.user.blacklist.tms.sync.json");
const JSON_CRM_CREATE: &str =
    include_str!("../../tests/data/pages/alibaba.alsc.crm.customer.create.json");

/// Each seed page and the API it documents.
const SEEDS: [(&str, &str); 4] = [
    ("000", "taobao.retail.user.tag.mobile.add"),
    ("001", "taobao.logistics.express.user.blacklist.tms.sync"),
    (
        "002",
        "alibaba.damai.maizuo.openapi.user.register.byauthcode",
    ),
    ("003", "alibaba.alsc.crm.customer.create"),
];

fn seed(number: &str) -> &'static str {
    match number {
        "000" => PAGE_000,
        "001" => PAGE_001,
        "002" => PAGE_002,
        _ => PAGE_003,
    }
}

/// The committed vendor part of `method` (inside the repository).
fn committed(method: &str) -> VendorApi {
    let path = format!(
        "{}/../../apis/{method}/vendor.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    VendorApi::from_json(&text).unwrap()
}

/// Text as a copied page can show it: full-width ASCII forms (`，（）；：`) folded to ASCII,
/// as the copy prints them, and runs of whitespace collapsed, as HTML rendering does.
fn text(s: &str) -> String {
    let folded: String = s
        .chars()
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '\u{3000}' => ' ',
            other => other,
        })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Which facts [`facts`] compares.
#[derive(Clone, Copy)]
struct Compare {
    /// Whether examples are compared (the vendor's JSON has none; pages and the committed
    /// descriptions have them).
    examples: bool,
}

/// Every fact a page can carry, one line each: method, Chinese name, description, and per
/// member path its type (spelled as `TypeRef` prints it, so `Blacklist []` = `Blacklist[]`),
/// requiredness, description, example and limits.
///
/// Not compared, because a page cannot carry them: the vendor's `id` (`apiId`, only in the
/// vendor's JSON and in `apis/` files imported from it), the width of punctuation (the
/// copied page prints `,()；` where the vendor's data has `，（）；`) and runs of whitespace in
/// descriptions (HTML collapses them); see [`text`]. Examples are compared exactly: where the
/// page collapsed spaces in one (`2      表示pos`), the reader takes the exact text from the
/// Java example.
fn facts(api: &VendorApi, compare: Compare) -> Vec<String> {
    let mut out = vec![
        format!("name = {}", api.name),
        format!("apiChineseName = {}", text(&api.api_chinese_name)),
        format!("description = {}", text(&api.description)),
    ];
    members(&api.request_params, "request", compare, &mut out);
    members(&api.response_params, "response", compare, &mut out);
    out
}

fn members(params: &[VendorParam], path: &str, compare: Compare, out: &mut Vec<String>) {
    for p in params {
        let here = format!("{path}.{}", p.name);
        let type_ref = TypeRef::parse(&p.type_name).unwrap();
        let example = if compare.examples {
            format!(" example={:?}", p.example)
        } else {
            String::new()
        };
        out.push(format!(
            "{here}: type={type_ref} required={} description={:?}{example} limits={:?}",
            p.required,
            text(&p.description),
            (p.max_length, p.max_list_size, p.max_value, p.min_value),
        ));
        assert!(
            p.extra.is_empty(),
            "{here}: unexpected members {:?}",
            p.extra
        );
        let inner = if type_ref.is_list() {
            format!("{here}[]")
        } else {
            here
        };
        members(&p.sub_params, &inner, compare, out);
    }
}

fn read_ok(page: &str) -> Page {
    match read(page) {
        Ok(page) => page,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn seed_pages_give_the_committed_vendor_parts() {
    let all = Compare { examples: true };
    for (number, method) in SEEDS {
        let page = read_ok(seed(number));
        let committed = committed(method);
        assert_eq!(page.vendor.name, method, "seed {number}");
        assert_eq!(
            facts(&page.vendor, all).join("\n"),
            facts(&committed, all).join("\n"),
            "seed {number} against apis/{method}/vendor.json"
        );
        // The one fact excluded: pages do not show the vendor's API id.
        assert_eq!(page.vendor.id, None, "seed {number}");
    }
    assert_eq!(
        committed("taobao.logistics.express.user.blacklist.tms.sync").id,
        Some(67452)
    );
}

#[test]
fn pages_and_the_vendors_json_agree() {
    // The vendor's JSON has no examples: compared without them.
    let compare = Compare { examples: false };
    for (number, json) in [("001", JSON_BLACKLIST), ("003", JSON_CRM_CREATE)] {
        let page = read_ok(seed(number));
        let vendor = VendorApi::from_json(json).unwrap();
        assert_eq!(
            facts(&page.vendor, compare).join("\n"),
            facts(&vendor, compare).join("\n"),
            "seed {number} against the vendor's JSON of {}",
            vendor.name
        );
    }
}

#[test]
fn operate_type_is_placed_in_user_blacklist_request_and_reported() {
    let page = read_ok(PAGE_001);
    let request = &page.vendor.request_params[0];
    assert_eq!(request.name, "user_blacklist_request");
    let names: Vec<&str> = request.sub_params.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "request_id",
            "request_time",
            "supplier_id",
            "service_type",
            "ability_type",
            "blacklist",
            "operate_type"
        ]
    );
    let blacklist = &request.sub_params[5];
    let inner: Vec<&str> = blacklist
        .sub_params
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(inner, ["mobile", "reason"]);
    assert_eq!(page.guesses.len(), 1, "{:#?}", page.guesses);
    let guess = &page.guesses[0];
    assert!(
        guess.starts_with(
            "request.user_blacklist_request.operate_type: placed in UserBlacklistRequest"
        ),
        "{guess}"
    );
    assert!(guess.contains("not in Blacklist[]"), "{guess}");
    assert!(
        guess.contains("the Java request example sets it on UserBlacklistRequest"),
        "{guess}"
    );
}

#[test]
fn each_seed_reports_exactly_its_guesses() {
    let guesses = |n| read_ok(seed(n)).guesses;
    // 000: no method line, and members only the XML sample shows.
    let g = guesses("000");
    assert_eq!(g.len(), 9, "{g:#?}");
    assert!(g[0].starts_with("name: the page has no method line; read `taobao.retail.user.tag.mobile.add` from the response sample's root <retail_user_tag_mobile_add_response>"), "{}", g[0]);
    assert!(
        g[1].starts_with(
            "api_chinese_name, description: the page has no method line; split its title"
        ),
        "{}",
        g[1]
    );
    let inferred: Vec<&str> = g[2..]
        .iter()
        .map(|l| l.split(':').next().unwrap())
        .collect();
    assert_eq!(
        inferred,
        [
            "response.error_infos[].outer_error_code",
            "response.error_infos[].error_message",
            "response.error_infos[].error_code",
            "response.error_infos[].sub_error_code",
            "response.module.tag_success",
            "response.module.social_nick",
            "response.module.use_type",
        ]
    );
    assert!(
        g[2..]
            .iter()
            .all(|l| l.contains("not listed on the page; read from the XML response sample"))
    );
    // 001: operate_type (see its own test).
    assert_eq!(guesses("001").len(), 1);
    // 002: result_code follows data's members in the copy but is result's.
    let g = guesses("002");
    assert_eq!(g.len(), 1, "{g:#?}");
    assert!(g[0].starts_with("response.result.result_code: placed in ResultData (response.result), not in UserRegisterVo (response.result.data)"), "{}", g[0]);
    assert!(
        g[0].contains("the XML response sample nests it in <result>"),
        "{}",
        g[0]
    );
    // 003: one object per side, nothing to decide.
    assert_eq!(guesses("003"), Vec::<String>::new());
}

/// The root element of an XML text, read by a real XML parser; panics on malformed XML.
fn xml_root(xml: &str) -> String {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut root = None;
    let mut depth = 0usize;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                if root.is_none() {
                    root = Some(String::from_utf8(e.name().as_ref().to_vec()).unwrap());
                }
                depth += 1;
            }
            Ok(Event::End(_)) => depth -= 1,
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not XML ({e}):\n{xml}"),
        }
    }
    assert_eq!(depth, 0, "unbalanced:\n{xml}");
    root.unwrap()
}

#[test]
fn samples_are_real_xml_and_readable_code() {
    let keys = [
        "retail_user_tag_mobile_add_response",
        "logistics_express_user_blacklist_tms_sync_response",
        "alibaba_damai_maizuo_openapi_user_register_byauthcode_response",
        "alibaba_alsc_crm_customer_create_response",
    ];
    for ((number, _), key) in SEEDS.into_iter().zip(keys) {
        let samples = read_ok(seed(number)).samples;
        let response = samples.response.unwrap();
        assert_eq!(xml_root(&response), key, "seed {number}");
        assert!(!response.contains("< "), "seed {number}: {response}");
        let error = samples.error.unwrap();
        assert_eq!(xml_root(&error), "error_response", "seed {number}");
        let request = samples.request.unwrap();
        assert!(
            request.starts_with("TaobaoClient client"),
            "seed {number}: {request}"
        );
        assert!(request.contains("client.execute(req);"), "seed {number}");
        assert!(
            request.lines().all(|l| l.trim_end().ends_with(';')),
            "seed {number}: {request}"
        );
    }
    let table = read_ok(PAGE_000).samples;
    let request = table.request.unwrap();
    assert_eq!(
        request.lines().count(),
        9,
        "one statement per numbered line"
    );
    assert!(
        request.lines().any(|l| l == "req.setBizCode( \"**\" );"),
        "{request}"
    );
    assert_eq!(
        table.error.unwrap(),
        "<error_response>\n    <code>50</code>\n    <msg>Remote service error</msg>\n    <sub_code>isv.invalid-parameter</sub_code>\n    <sub_msg>非法参数</sub_msg>\n</error_response>"
    );
    let response = table.response.unwrap();
    assert_eq!(
        response.lines().count(),
        16,
        "as many lines as the copy numbered"
    );
    assert!(
        response.contains("\n        <error_info>\n            <outer_error_code>SERVICE_ERROR:")
    );
    let list = read_ok(PAGE_001).samples;
    let request = list.request.unwrap();
    assert!(
        request.contains("\nobj1.setOperateType(1L);\n"),
        "{request}"
    );
    assert!(!request.contains("JAVA"), "the language tabs are not code");
    // The list layout's XML is already indented as the reader writes it.
    assert!(PAGE_001.contains(&list.response.unwrap()));
}

#[test]
fn looks_like_page_tells_pages_from_other_text() {
    for (number, _) in SEEDS {
        assert!(looks_like_page(seed(number)), "seed {number}");
    }
    assert!(!looks_like_page(JSON_BLACKLIST));
    assert!(!looks_like_page("hello\nworld"));
    assert!(!looks_like_page(""));
}

// ---- synthetic pages ----

/// A table page nesting two levels (`order` → `items[]` → `item_id`), a list of strings, and
/// limits; `remark` follows `items`' members in the copy but belongs to `order`.
const TABLE_NESTED: &str = "\
taobao.demo.order.sync (订单同步)
同步订单到平台
名称 | 类型 | 是否必须 | 示例值 | 更多限制 | 描述 |
---|---|---|---|---|---|
order | OrderDto | 必须 | | | 订单 |
└ order_id | String | 必须 | o-1 | 最大长度：64 | 订单号 |
└ items | ItemDto [] | 必须 | | 最大列表长度：20 | 商品 |
└ item_id | Number | 必须 | 7 | 最小值：1 最大值：100 | 商品ID |
└ tags | String [] | 可选 | 红色 | 最大列表长度：5 | 标签 |
└ remark | String | 可选 | 尽快 送达 | | 备注 |
名称 | 类型 | 示例值 | 描述 | ||||
---|---|---|---|---|---|---|---|
accepted | Boolean | true | 是否受理 true|false | ||||
|
1 2 3 4 5 6 7 8 9 10 11 12 13 | TaobaoClient client = new DefaultTaobaoClient(url, appkey, secret); DemoOrderSyncRequest req = new DemoOrderSyncRequest(); DemoOrderSyncRequest.OrderDto obj1 = new DemoOrderSyncRequest.OrderDto(); obj1.setOrderId(\"o-1\"); List<DemoOrderSyncRequest.ItemDto> list2 = new ArrayList<DemoOrderSyncRequest.ItemDto>(); DemoOrderSyncRequest.ItemDto obj3 = new DemoOrderSyncRequest.ItemDto(); list2.add(obj3); obj3.setItemId(7L); obj3.setTags(\"红色\"); obj1.setItems(list2); obj1.setRemark(\"尽快  送达\"); req.setOrder(obj1); DemoOrderSyncResponse rsp = client.execute(req); |
1 2 3 | < demo_order_sync_response > < accepted >true</ accepted > </ demo_order_sync_response > |
";

/// The expected vendor part of [`TABLE_NESTED`].
fn table_nested_expected(remark_in_order: bool) -> VendorApi {
    let remark = serde_json::json!({"name": "remark", "type": "String", "description": "备注", "example": if remark_in_order { "尽快  送达" } else { "尽快 送达" }});
    let mut items = vec![
        serde_json::json!({"name": "item_id", "type": "Number", "required": true, "description": "商品ID", "example": "7", "minValue": 1, "maxValue": 100}),
        serde_json::json!({"name": "tags", "type": "String[]", "description": "标签", "example": "红色", "maxListSize": 5}),
    ];
    let mut order = vec![
        serde_json::json!({"name": "order_id", "type": "String", "required": true, "description": "订单号", "example": "o-1", "maxLength": 64}),
    ];
    let items_member = |items: Vec<serde_json::Value>| serde_json::json!({"name": "items", "type": "ItemDto[]", "required": true, "description": "商品", "maxListSize": 20, "subParams": items});
    if remark_in_order {
        order.push(items_member(items));
        order.push(remark);
    } else {
        items.push(remark);
        order.push(items_member(items));
    }
    let value = serde_json::json!({
        "name": "taobao.demo.order.sync",
        "apiChineseName": "订单同步",
        "description": "同步订单到平台",
        "requestParams": [{"name": "order", "type": "OrderDto", "required": true, "description": "订单", "subParams": order}],
        "responseParams": [{"name": "accepted", "type": "Boolean", "description": "是否受理 true|false", "example": "true"}],
    });
    VendorApi::from_json(&value.to_string()).unwrap()
}

#[test]
fn table_layout_nests_two_levels_with_lists_of_strings() {
    let page = read_ok(TABLE_NESTED);
    assert_eq!(page.vendor, table_nested_expected(true));
    assert_eq!(page.guesses.len(), 1, "{:#?}", page.guesses);
    assert!(
        page.guesses[0].starts_with("request.order.remark: placed in OrderDto (request.order), not in ItemDto[] (request.order.items)"),
        "{}",
        page.guesses[0]
    );
    assert_eq!(
        xml_root(&page.samples.response.unwrap()),
        "demo_order_sync_response"
    );
}

#[test]
fn without_samples_a_member_stays_where_the_copy_lists_it_and_it_is_reported() {
    let page_text: String = TABLE_NESTED
        .lines()
        .filter(|l| !l.starts_with("1 2 3"))
        .map(|l| format!("{l}\n"))
        .collect();
    let page = read_ok(&page_text);
    assert_eq!(page.vendor, table_nested_expected(false));
    assert_eq!(page.samples, Samples::default());
    // Both members after `items`' first one may be `order`'s: both are reported.
    assert_eq!(page.guesses.len(), 2, "{:#?}", page.guesses);
    for (guess, name) in page.guesses.iter().zip(["tags", "remark"]) {
        assert!(
            guess.starts_with(&format!("request.order.items[].{name}: placed in ItemDto[] (request.order.items) as the copied page lists it, though it may belong to OrderDto (request.order): no sample shows it")),
            "{guess}"
        );
    }
}

#[test]
fn unmarked_table_rows_are_placed_by_the_java_example() {
    let page_text = TABLE_NESTED.replace("└ ", "");
    let page = read_ok(&page_text);
    assert_eq!(page.vendor, table_nested_expected(true));
    // Every sub-member was placed by the sample, not by the copy (which showed no depth).
    let placed: Vec<&str> = page
        .guesses
        .iter()
        .map(|g| g.split(':').next().unwrap())
        .collect();
    assert_eq!(
        placed,
        [
            "request.order.order_id",
            "request.order.items",
            "request.order.items[].item_id",
            "request.order.items[].tags",
            "request.order.remark"
        ]
    );
}

/// A list page with `Field List`, `Price` and `Date` members, limits on top-level lines, and
/// a list of objects in the answer followed by a member of the enclosing object.
const LIST_TYPES: &str = "\
文档中心 > API类目 > 商品API

taobao.demo.item.get (商品查询)

查询一个商品

公共参数

请求参数

名称 类型 是否必须 示例值 更多限制 描述
fields Field List 必须 num_iid,title,price 最大列表长度：20 需返回的字段列表
num_iid Number 必须 123 最小值：1 商品数字ID
since Date 可选 2020-01-01 00:00:00 只返回此时间后修改的商品
budget Price 可选 12.50 预算

响应参数

名称 类型 示例值 描述
item Item 商品
  • └ title
  • String
  • 连衣裙
  • 标题
  • └ price
  • Price
  • 12.50
  • 价格
  • skus
  • Sku []
  • 规格
  • └ sku_id
  • Number
  • 5
  • └ list_time
  • Date
  • 2020-01-01 00:00:00
  • 上架时间

请求示例

  • JAVA
  • PHP
TaobaoClient client = new DefaultTaobaoClient(url, appkey, secret);
DemoItemGetRequest req = new DemoItemGetRequest();
req.setFields(\"num_iid,title,price\");
req.setNumIid(123L);
req.setSince(StringUtils.parseDateTime(\"2020-01-01 00:00:00\"));
req.setBudget(\"12.50\");
DemoItemGetResponse rsp = client.execute(req);

响应示例

  • XML示例
  • JSON示例
<demo_item_get_response>
    <item>
        <title>连衣裙</title>
        <price>12.50</price>
        <skus><sku><sku_id>5</sku_id></sku></skus>
        <list_time>2020-01-01 00:00:00</list_time>
    </item>
</demo_item_get_response>

异常示例

<error_response><code>50</code></error_response>

错误码解释

错误码 错误描述 解决方案

API工具
FAQ
";

#[test]
fn list_layout_reads_field_list_price_and_date() {
    let page = read_ok(LIST_TYPES);
    let expected = serde_json::json!({
        "name": "taobao.demo.item.get",
        "apiChineseName": "商品查询",
        "description": "查询一个商品",
        "requestParams": [
            {"name": "fields", "type": "Field List", "required": true, "description": "需返回的字段列表", "example": "num_iid,title,price", "maxListSize": 20},
            {"name": "num_iid", "type": "Number", "required": true, "description": "商品数字ID", "example": "123", "minValue": 1},
            {"name": "since", "type": "Date", "description": "只返回此时间后修改的商品", "example": "2020-01-01 00:00:00"},
            {"name": "budget", "type": "Price", "description": "预算", "example": "12.50"},
        ],
        "responseParams": [{"name": "item", "type": "Item", "description": "商品", "subParams": [
            {"name": "title", "type": "String", "description": "标题", "example": "连衣裙"},
            {"name": "price", "type": "Price", "description": "价格", "example": "12.50"},
            {"name": "skus", "type": "Sku[]", "description": "规格", "subParams": [
                {"name": "sku_id", "type": "Number", "example": "5"},
            ]},
            {"name": "list_time", "type": "Date", "description": "上架时间", "example": "2020-01-01 00:00:00"},
        ]}],
    });
    assert_eq!(
        page.vendor,
        VendorApi::from_json(&expected.to_string()).unwrap()
    );
    let types: Vec<TypeRef> = page
        .vendor
        .request_params
        .iter()
        .map(|p| p.type_ref().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            TypeRef::FieldList,
            TypeRef::Number,
            TypeRef::Date,
            TypeRef::Price
        ]
    );
    assert_eq!(page.guesses.len(), 1, "{:#?}", page.guesses);
    assert!(
        page.guesses[0].starts_with("response.item.list_time: placed in Item (response.item), not in Sku[] (response.item.skus)"),
        "{}",
        page.guesses[0]
    );
    assert_eq!(xml_root(&page.samples.error.unwrap()), "error_response");
}

#[test]
fn without_a_sample_a_joined_line_is_split_at_its_first_space_and_reported() {
    let page_text = LIST_TYPES.replace(
        "req.setSince(StringUtils.parseDateTime(\"2020-01-01 00:00:00\"));\n",
        "",
    );
    let page = read_ok(&page_text);
    let since = &page.vendor.request_params[2];
    assert_eq!(since.example.as_deref(), Some("2020-01-01"));
    assert_eq!(since.description, "00:00:00 只返回此时间后修改的商品");
    assert!(
        page.guesses.iter().any(|g| g.starts_with("request.since: the line joins example and description; took `2020-01-01` as the example")),
        "{:#?}",
        page.guesses
    );
}

// ---- bad input ----

fn error(page: &str) -> PageError {
    match read(page) {
        Ok(page) => panic!("read: {:#?}", page.vendor),
        Err(e) => e,
    }
}

/// The 1-based line of the first line of `page` that is `line`.
fn line_of(page: &str, line: &str) -> usize {
    page.lines().position(|l| l == line).unwrap() + 1
}

#[test]
fn text_that_is_no_page_is_refused() {
    for text in ["", "hello\nworld", JSON_BLACKLIST, "名称"] {
        let e = error(text);
        assert!(matches!(e, PageError::NotAPage { line: 1, .. }), "{e}");
    }
}

#[test]
fn a_member_without_a_type_names_its_line() {
    let table = PAGE_000.replace("biz_code | String | 可选", "biz_code | 可选");
    let e = error(&table);
    assert!(
        matches!(&e, PageError::NoType { line: 4, member } if member == "biz_code"),
        "{e}"
    );
    assert_eq!(e.to_string(), "line 4: member `biz_code` has no type");

    let list = PAGE_001.replacen(
        "  • └ request_time\n  • Number\n",
        "  • └ request_time\n",
        1,
    );
    let e = error(&list);
    let at = line_of(&list, "  • └ request_time");
    assert!(
        matches!(&e, PageError::NoType { line, member } if *line == at && member == "request_time"),
        "{e}"
    );

    let top = PAGE_001.replace(
        "user_blacklist_request UserBlacklistRequest 必须",
        "user_blacklist_request 必须",
    );
    let e = error(&top);
    let at = line_of(&top, "user_blacklist_request 必须 上门取退用户黑名单");
    assert!(
        matches!(&e, PageError::NoType { line, .. } if *line == at),
        "{e}"
    );
}

#[test]
fn a_garbled_type_names_its_line() {
    let table = PAGE_000.replace("open_id | String", "open_id | 名称");
    let e = error(&table);
    assert!(
        matches!(&e, PageError::BadType { line: 6, member, text, .. } if member == "open_id" && text == "名称"),
        "{e}"
    );

    let list = PAGE_001.replacen(
        "  • └ request_time\n  • Number\n",
        "  • └ request_time\n  • 名称\n",
        1,
    );
    let e = error(&list);
    let at = line_of(&list, "  • 名称");
    assert!(
        matches!(&e, PageError::BadType { line, text, .. } if *line == at && text == "名称"),
        "{e}"
    );
    assert!(
        e.to_string().starts_with(&format!(
            "line {at}: member `request_time`: `名称` is not a TOP type"
        )),
        "{e}"
    );

    let lower = PAGE_000.replace("open_id | String", "open_id | string");
    assert!(matches!(error(&lower), PageError::BadType { line: 6, .. }));
}

#[test]
fn a_page_without_the_method_line_names_where_the_parameters_start() {
    let list = PAGE_001.replace(
        "taobao.logistics.express.user.blacklist.tms.sync (上门取退用户黑名单同步)\n",
        "",
    );
    let e = error(&list);
    let at = line_of(&list, "请求参数");
    assert!(
        matches!(e, PageError::NoMethod { line } if line == at),
        "{e}"
    );

    // A table page has no method line; without samples nothing names the method.
    let table: String = PAGE_000
        .lines()
        .filter(|l| !l.starts_with("1 2 3"))
        .map(|l| format!("{l}\n"))
        .collect();
    let e = error(&table);
    assert!(matches!(e, PageError::NoMethod { line: 2 }), "{e}");
}

#[test]
fn missing_sections_and_broken_groups_are_named() {
    let no_response = PAGE_001.replace("\n响应参数\n", "\n\n");
    let e = error(&no_response);
    assert!(
        matches!(
            e,
            PageError::MissingSection {
                section: "响应参数",
                ..
            }
        ),
        "{e}"
    );
    assert_eq!(e.line(), line_of(&no_response, "请求示例"));

    let no_request_table =
        PAGE_000.replace("名称 | 类型 | 是否必须 | 示例值 | 更多限制 | 描述 |", "");
    assert!(matches!(
        error(&no_request_table),
        PageError::MissingSection { .. }
    ));

    let orphan = PAGE_002.replace(
        "param0 UserRegisterByAuthCodeParam 必须 会员注册by验证码参数对象\n",
        "",
    );
    let e = error(&orphan);
    assert!(
        matches!(&e, PageError::Malformed { reason, .. } if reason.contains("no object member comes before it")),
        "{e}"
    );
    assert_eq!(e.line(), line_of(&orphan, "  • └ auth_code"));

    let twice = PAGE_003.replace("  • └ phone\n", "  • └ remark\n");
    let e = error(&twice);
    assert!(
        matches!(&e, PageError::Malformed { reason, .. } if reason.contains("param_customer_create_open_req.remark appears twice")),
        "{e}"
    );

    let no_requiredness = PAGE_000.replace("ext_param | String | 可选", "ext_param | String");
    assert!(matches!(
        error(&no_requiredness),
        PageError::Malformed { line: 8, .. }
    ));
}

#[test]
fn a_broken_sample_is_a_guess_not_an_error() {
    let page_text = PAGE_001.replace("    </user_blacklist_response>\n", "");
    let page = read_ok(&page_text);
    assert!(
        page.guesses
            .iter()
            .any(|g| g.starts_with("samples.response: it is not well-formed XML")),
        "{:#?}",
        page.guesses
    );
}

// ---- small parts ----

#[test]
fn spaced_tags_become_real_xml() {
    let tree = xml::parse("< a > < b >x &amp; y</ b > < c /> </ a >").unwrap();
    assert_eq!(
        xml::render(&tree),
        "<a>\n    <b>x &amp; y</b>\n    <c></c>\n</a>\n"
    );
    assert_eq!(tree.children[0].text, "x & y");
    for bad in [
        "< a >",
        "<a></b>",
        "<a></a><b></b>",
        "text <a></a>",
        "<a>< 1 ></a>",
    ] {
        assert!(xml::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn limits_read_from_their_cell() {
    let limits = fields::Limits::read_cell("最小值：1 最大值：100").unwrap();
    assert_eq!((limits.min_value, limits.max_value), (Some(1), Some(100)));
    let limits = fields::Limits::read_cell("最大长度:64").unwrap();
    assert_eq!(limits.max_length, Some(64));
    assert_eq!(fields::Limits::read_cell("最大长度"), None);
    assert_eq!(fields::Limits::read_cell("业务来源方"), None);
}

#[test]
fn line_numbers_are_stripped_only_when_they_count_from_one() {
    assert_eq!(
        samples::strip_line_numbers("1 2 3 | a; b; |"),
        Some("a; b;")
    );
    assert_eq!(samples::strip_line_numbers("1 3 | a |"), None);
    assert_eq!(samples::strip_line_numbers("biz_code | String |"), None);
}

// ---- never a panic ----

/// Fragments of both layouts, to build texts that get far into the readers.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("名称 | 类型 | 是否必须 | 示例值 | 更多限制 | 描述 |".to_owned()),
        Just("名称 | 类型 | 示例值 | 描述 | ||||".to_owned()),
        Just("名称 类型 是否必须 示例值 更多限制 描述".to_owned()),
        Just("请求参数".to_owned()),
        Just("响应参数".to_owned()),
        Just("请求示例".to_owned()),
        Just("响应示例".to_owned()),
        Just("taobao.a.b.c (中文)".to_owned()),
        Just("a A 必须 x 最大长度：6 y".to_owned()),
        Just("a A[] 必须".to_owned()),
        Just("  • └ a".to_owned()),
        Just("  • b".to_owned()),
        Just("  • B []".to_owned()),
        Just("  • String".to_owned()),
        Just("  • 必须".to_owned()),
        Just("  • 最大列表长度：-".to_owned()),
        Just("└ a | A | 必须 | x | |".to_owned()),
        Just("a | Field List | 可选 | x|y | |".to_owned()),
        Just("1 2 | < a_response > < a >1</ a > </ a_response > |".to_owned()),
        Just("1 | X req = new XRequest(); A a = new A(); a.setA(\"x\"); req.setB(a); client.execute(req); |".to_owned()),
        Just("<a_response><a><b>1</b></a></a_response>".to_owned()),
        Just("{\"a_response\": {\"a\": [{\"b\": 1}]}}".to_owned()),
        "[a-zA-Z_ |•└<>/\\[\\]{}\"：0-9必须可选名称]{0,30}",
    ]
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        let _ = looks_like_page(&text);
        let _ = read(&text);
    }

    #[test]
    fn page_like_text_never_panics(lines in prop::collection::vec(fragment(), 0..60)) {
        let text = lines.join("\n");
        if let Ok(page) = read(&text) {
            prop_assert!(page.vendor.check().is_ok());
        }
    }

    #[test]
    fn damaged_seeds_never_panic(
        number in prop::sample::select(vec!["000", "001", "002", "003"]),
        cut in any::<prop::sample::Index>(),
        insert in any::<prop::sample::Index>(),
        extra in fragment(),
    ) {
        let mut lines: Vec<String> = seed(number).lines().map(str::to_owned).collect();
        let at = cut.index(lines.len());
        lines.remove(at);
        let at = insert.index(lines.len() + 1);
        lines.insert(at, extra);
        if let Ok(page) = read(&lines.join("\n")) {
            prop_assert!(page.vendor.check().is_ok());
        } else if let Err(e) = read(&lines.join("\n")) {
            prop_assert!(e.line() >= 1 && e.line() <= lines.len().max(1) + 1, "{}", e);
        }
    }
}
