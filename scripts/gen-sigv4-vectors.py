#!/usr/bin/env python3
"""Writes SigV4 test vectors produced by botocore's own signer to Tests/WardenSigV4Tests/Vectors/botocore.json.

Each vector: the request as the server receives it (method, raw path, raw query, headers, body) and what
botocore computed (canonical request, string to sign, signature)."""
import datetime
import json
import os
from unittest import mock

import botocore.auth
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

WHEN = datetime.datetime(2026, 11, 23, 12, 0, 0)
CREDS = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
TOKEN_CREDS = Credentials("ASIAEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "IQoJb3JpZ2luX2VjEXAMPLETOKEN+/=")


def vector(name, method, url, body=b"", headers=None, service="iam", region="us-east-1", creds=CREDS, presign=None):
    req = AWSRequest(method=method, url=url, data=body, headers=dict(headers or {}))
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=WHEN):
        if presign:
            auth = SigV4QueryAuth(creds, service, region, expires=presign)
        else:
            auth = SigV4Auth(creds, service, region)
        auth.add_auth(req)
        prepared = req.prepare()
        authorization = req.headers.get("Authorization")
        if authorization:
            del req.headers["Authorization"]
        canonical = auth.canonical_request(req)
        sts = auth.string_to_sign(req, canonical)
        if authorization:
            req.headers["Authorization"] = authorization
        if presign:
            # botocore canonicalizes after adding the signature to the URL; the signature itself is not signed.
            import hashlib, re
            canonical = re.sub(r"&X-Amz-Signature=[0-9a-f]+", "", canonical)
            head, _, _ = sts.rpartition("\n")
            sts = head + "\n" + hashlib.sha256(canonical.encode()).hexdigest()
    from urllib.parse import urlsplit
    parts = urlsplit(prepared.url)
    hdrs = [[k, v if isinstance(v, str) else v.decode()] for k, v in prepared.headers.items()]
    if not any(k.lower() == "host" for k, _ in hdrs):
        hdrs.append(["Host", parts.netloc])
    b = prepared.body or b""
    if isinstance(b, str):
        b = b.encode()
    return {"name": name, "method": method, "path": parts.path or "/", "query": parts.query, "headers": hdrs,
            "body": b.decode("latin-1"), "secret": creds.secret_key, "canonicalRequest": canonical,
            "stringToSign": sts, "signature": (dict(h.split("=", 1) for h in req.headers.get("Authorization", "x=y").split(", ")) .get("Signature")
                                               if not presign else dict(p.split("=", 1) for p in parts.query.split("&"))["X-Amz-Signature"])}


FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
vectors = [
    vector("post form", "POST", "http://127.0.0.1:8080/", b"Action=ListUsers&Version=2010-05-08", FORM),
    vector("post sts", "POST", "http://127.0.0.1:8080/", b"Action=GetCallerIdentity&Version=2011-06-15", FORM, service="sts", region="eu-west-1"),
    vector("get query", "GET", "http://127.0.0.1:8080/?Action=ListUsers&Version=2010-05-08&MaxItems=10"),
    vector("get repeated and empty", "GET", "http://127.0.0.1:8080/?b=2&a=1&a=0&c="),
    vector("get unicode", "GET", "http://127.0.0.1:8080/?UserName=%C3%A9t%C3%A9&Path=%2Fa%2Fb%2F"),
    vector("get spaces", "GET", "http://127.0.0.1:8080/?Description=hello%20world&x=%2B"),
    vector("path segments", "GET", "http://127.0.0.1:8080/a/b%20c/d"),
    vector("header whitespace", "POST", "http://127.0.0.1:8080/", b"Action=ListRoles&Version=2010-05-08",
           dict(FORM, **{"X-Custom": "  a   b  c  "})),
    vector("session token", "POST", "http://127.0.0.1:8080/", b"Action=GetCallerIdentity&Version=2011-06-15", FORM, service="sts", creds=TOKEN_CREDS),
    vector("presigned", "GET", "http://127.0.0.1:8080/?Action=GetCallerIdentity&Version=2011-06-15", service="sts", presign=300),
    vector("presigned token", "GET", "http://127.0.0.1:8080/?Action=GetCallerIdentity&Version=2011-06-15", service="sts", creds=TOKEN_CREDS, presign=3600),
    vector("utf8 body", "POST", "http://127.0.0.1:8080/", "Action=CreateUser&Version=2010-05-08&Tags.member.1.Value=%E2%9C%93".encode(), FORM),
]
out = os.path.join(os.path.dirname(__file__), "..", "Tests", "WardenSigV4Tests", "Vectors", "botocore.json")
with open(out, "w") as f:
    json.dump({"amzDate": "20261123T120000Z", "vectors": vectors}, f, indent=1)
print(f"wrote {len(vectors)} vectors to {out}")
