// A TOP call laid out as the official Node client (node-taobao-topclient) does it: everything,
// system and business parameters and the md5 signature, in the POST body; GMT+8 timestamp.
// usage: node node_client.mjs GATEWAY_URL APP_KEY APP_SECRET
import { createHash } from "node:crypto";

const [url, appKey, secret] = process.argv.slice(2);
const gmt8 = new Date(Date.now() + 8 * 3600 * 1000).toISOString().replace("T", " ").slice(0, 19);
const params = {
  method: "taobao.logistics.express.user.blacklist.tms.sync",
  app_key: appKey,
  sign_method: "md5",
  timestamp: gmt8,
  format: "json",
  v: "2.0",
  user_blacklist_request: JSON.stringify({
    request_id: "node-1", request_time: Date.now(), supplier_id: "10000000001", service_type: "1",
    ability_type: "1", blacklist: [{ mobile: "13111111111", reason: "1,2" }], operate_type: 1,
  }),
};
const canonical = Object.keys(params).sort().map((k) => k + params[k]).join("");
params.sign = createHash("md5").update(secret + canonical + secret, "utf8").digest("hex").toUpperCase();
const answer = await fetch(url, {
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded;charset=utf-8" },
  body: new URLSearchParams(params).toString(),
});
const body = await answer.json();
console.log(JSON.stringify(body));
process.exit("error_response" in body ? 1 : 0);
