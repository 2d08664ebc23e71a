#!/usr/bin/env python3
"""A TOP call laid out exactly as the official-derived Python SDK (py-taobao-open) does it:
system parameters (epoch-millisecond timestamp, md5 signature) in the query string, business
parameters url-encoded in the body. Standard library only.

usage: python_sdk_layout.py GATEWAY_URL APP_KEY APP_SECRET
Prints the gateway's JSON answer; exits 1 if it is an error_response."""
import hashlib
import json
import sys
import time
import urllib.parse
import urllib.request


def sign(secret, params):
    canonical = "".join(k + str(params[k]) for k in sorted(params))
    return hashlib.md5((secret + canonical + secret).encode("utf-8")).hexdigest().upper()


def main():
    url, app_key, secret = sys.argv[1:4]
    system = {
        "format": "json",
        "app_key": app_key,
        "sign_method": "md5",
        "v": "2.0",
        "timestamp": str(int(time.time() * 1000)),
        "partner_id": "tbk-sdk-python-20220112",
        "method": "alibaba.alsc.crm.customer.create",
    }
    business = {
        "param_customer_create_open_req": json.dumps(
            {"request_id": "py-1", "outer_type": "mobile", "outer_id": "13411111111",
             "channel": "2", "customer_type": 1, "name": "王小二", "remark": "a/b+c"},
            ensure_ascii=False, separators=(",", ":")),
    }
    system["sign"] = sign(secret, {**system, **business})
    request = urllib.request.Request(
        url + "?" + urllib.parse.urlencode(system),
        data=urllib.parse.urlencode(business).encode("utf-8"),
        headers={"Content-Type": "application/x-www-form-urlencoded;charset=UTF-8"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        body = json.loads(answer.read().decode("utf-8"))
    print(json.dumps(body, ensure_ascii=False))
    return 1 if "error_response" in body else 0


if __name__ == "__main__":
    sys.exit(main())
