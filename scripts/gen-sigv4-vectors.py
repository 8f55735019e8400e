#!/usr/bin/env python3
"""Writes SigV4 test vectors produced by botocore's own signer to Tests/WardenSigV4Tests/Vectors/botocore.json.

Run: python3 scripts/gen-sigv4-vectors.py   (needs botocore; output is deterministic and committed)

Each vector holds
  - the request as the server receives it: method, raw path, raw query, headers (repeated names kept), body;
  - what botocore computed while signing it: canonical request, string to sign, signature;
  - the signer's inputs (headers before signing, secret, token, region, service, time) so the Swift client
    signer can be checked against botocore too.

botocore is the reference: SigV4Auth (Authorization header) and SigV4QueryAuth (presigned URL) are used as
the SDK uses them, with botocore.auth.get_current_datetime mocked. The canonical request and string to sign
are captured from inside add_auth, so they are exactly what botocore hashed (a presigned canonical request
never contains X-Amz-Signature: botocore appends it after signing).
"""
import datetime
import hashlib
import json
import os
from unittest import mock
from urllib.parse import urlsplit

import botocore
import botocore.auth
from botocore.auth import SigV4Auth, SigV4QueryAuth, _host_from_url
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
CREDS = Credentials("AKIDEXAMPLE", SECRET)
USER = Credentials("AKIAIOSFODNN7EXAMPLE", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY")
TOKEN = Credentials("ASIAQWERTYUIOPASDFGH", "Ym9ndXNzZWNyZXQrLz09c2Vzc2lvbmtleTEyMzQ1",
                    "IQoJb3JpZ2luX2VjEXAMPLETOKEN+/=Zm9vYmFyLWxvbmctc2Vzc2lvbi10b2tlbi1kYXRh")
WHEN = datetime.datetime(2026, 11, 23, 12, 0, 0)
FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
BASE = "http://127.0.0.1:8080"


def capturing(cls):
    """A botocore signer class that remembers what it hashed and signed."""

    class Capturing(cls):
        def canonical_request(self, request):
            self.captured_canonical = super().canonical_request(request)
            return self.captured_canonical

        def string_to_sign(self, request, canonical_request):
            self.captured_sts = super().string_to_sign(request, canonical_request)
            return self.captured_sts

        def signature(self, string_to_sign, request):
            self.captured_signature = super().signature(string_to_sign, request)
            return self.captured_signature

    return Capturing


def vector(name, method, url, body=b"", headers=(), service="iam", region="us-east-1", creds=CREDS,
           presign=None, when=WHEN):
    before = [[k, v] for k, v in headers]
    req = AWSRequest(method=method, url=url, data=body)
    for k, v in headers:  # HTTPHeaders appends: repeated names stay repeated
        req.headers[k] = v
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=when):
        if presign is not None:
            auth = capturing(SigV4QueryAuth)(creds, service, region, expires=presign)
        else:
            auth = capturing(SigV4Auth)(creds, service, region)
        auth.add_auth(req)
    prepared = req.prepare()
    parts = urlsplit(prepared.url)
    received = [[k, v] for k, v in req.headers.items()]
    if not any(k.lower() == "host" for k, _ in received):
        received.append(["Host", _host_from_url(prepared.url)])
    if "Content-Length" in prepared.headers and not any(k.lower() == "content-length" for k, _ in received):
        received.append(["Content-Length", prepared.headers["Content-Length"]])
    data = prepared.body or b""
    if isinstance(data, str):
        data = data.encode()
    return {
        "name": name, "method": method, "path": parts.path, "query": parts.query, "headers": received,
        "bodyHex": data.hex(), "bodySHA256": hashlib.sha256(data).hexdigest(),
        "accessKeyID": creds.access_key, "secret": creds.secret_key, "token": creds.token,
        "region": region, "service": service, "amzDate": when.strftime("%Y%m%dT%H%M%SZ"),
        "presignExpires": presign, "headersBeforeSigning": before, "url": url,
        "canonicalRequest": auth.captured_canonical, "stringToSign": auth.captured_sts,
        "signature": auth.captured_signature,
    }


def form(action, version="2010-05-08", **params):
    from botocore.utils import percent_encode_sequence
    return percent_encode_sequence([("Action", action), ("Version", version)] + list(params.items())).encode()


V = []
# --- POST form bodies (what the CLI and SDKs send to IAM and STS)
V.append(vector("post ListUsers", "POST", BASE + "/", form("ListUsers"), FORM.items()))
V.append(vector("post GetCallerIdentity sts eu-west-1", "POST", BASE + "/", form("GetCallerIdentity", "2011-06-15"),
                FORM.items(), service="sts", region="eu-west-1"))
V.append(vector("post CreateUser unicode tag", "POST", BASE + "/",
                form("CreateUser", UserName="al.ice+1@corp", **{"Tags.member.1.Key": "ünïcødé", "Tags.member.1.Value": "✓ ok"}),
                FORM.items()))
V.append(vector("post PutUserPolicy json document", "POST", BASE + "/",
                form("PutUserPolicy", UserName="bob", PolicyName="p", PolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'),
                FORM.items()))
V.append(vector("post AssumeRole sts", "POST", BASE + "/",
                form("AssumeRole", "2011-06-15", RoleArn="arn:aws:iam::123456789012:role/demo", RoleSessionName="s-1", DurationSeconds="900"),
                FORM.items(), service="sts", creds=USER))
V.append(vector("post empty body", "POST", BASE + "/", b"", FORM.items()))
V.append(vector("post no content-type", "POST", BASE + "/", form("ListRoles")))
V.append(vector("post with user-agent (unsigned)", "POST", BASE + "/", form("ListGroups"),
                list(FORM.items()) + [("User-Agent", "aws-cli/2.15.0 Python/3.11.6 botocore/2.4.5")]))
V.append(vector("post cn-north-1", "POST", "http://iam.cn-north-1.amazonaws.com.cn/", form("ListUsers"), FORM.items(), region="cn-north-1"))
V.append(vector("post us-gov-west-1 sts", "POST", "https://sts.us-gov-west-1.amazonaws.com/", form("GetSessionToken", "2011-06-15"),
                FORM.items(), service="sts", region="us-gov-west-1"))
V.append(vector("post default https port", "POST", "https://iam.amazonaws.com:443/", form("ListUsers"), FORM.items()))
V.append(vector("post x-amz-content-sha256", "POST", BASE + "/", form("ListUsers"),
                list(FORM.items()) + [("X-Amz-Content-SHA256", hashlib.sha256(form("ListUsers")).hexdigest())]))
V.append(vector("post binary-ish body", "POST", BASE + "/", bytes(range(256)), [("Content-Type", "application/octet-stream")]))
# --- security tokens
V.append(vector("session token header", "POST", BASE + "/", form("GetCallerIdentity", "2011-06-15"), FORM.items(),
                service="sts", creds=TOKEN))
V.append(vector("session token iam", "POST", BASE + "/", form("ListAccessKeys"), FORM.items(), creds=TOKEN))
# --- methods
for m in ["GET", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS"]:
    V.append(vector(f"method {m}", m, BASE + "/?Action=ListUsers&Version=2010-05-08"))
V.append(vector("method lowercase get", "get", BASE + "/"))
# --- paths (non-S3: dot segments and repeated slashes removed, then encoded again)
for label, path in [("root", "/"), ("empty", ""), ("segments", "/a/b/c"), ("encoded space", "/a/b%20c/d"),
                    ("double slash", "/a//b///c"), ("dot segments", "/a/./b/../c"), ("dotdot above root", "/../a"),
                    ("trailing slash", "/a/b/"), ("unicode encoded", "/%E2%9C%93/%C3%A9t%C3%A9"),
                    ("tilde", "/~user/x~y"), ("plus", "/a+b"), ("encoded slash", "/a%2Fb"),
                    ("reserved", "/a:b@c!$&'()*,;="), ("lowercase hex", "/a%2fb%c3%a9"), ("only dots", "/./.")]:
    V.append(vector(f"path {label}", "GET", BASE + path))
# --- query strings
for label, q in [("repeated keys", "a=2&a=1&a=10&b=0"), ("sort by key then value", "b=1&a=z&a=a&aa=c&A=3"),
                 ("unicode", "UserName=%C3%A9t%C3%A9&Tag=%E2%9C%93"), ("empty values", "c=&d=&a=1"),
                 ("key without value", "flag&other=1"), ("encoded space and plus", "Description=hello%20world&x=%2B&y=%2F"),
                 ("equals in value", "k=a%3Db%3Dc"), ("tilde and reserved", "t=~a-b_c.d&r=%21%2A%27%28%29"),
                 ("typical query api", "Action=ListUsers&Version=2010-05-08&MaxItems=10&Marker=abc%2Fdef"),
                 ("path prefix value", "PathPrefix=%2Fdivision_abc%2Fsubdivision_xyz%2F")]:
    V.append(vector(f"query {label}", "GET", BASE + "/?" + q))
# --- headers
V.append(vector("header whitespace collapsed", "POST", BASE + "/", form("ListRoles"),
                list(FORM.items()) + [("X-Custom", "  a   b  c  "), ("X-Tabs", "a\t\tb \t c")]))
V.append(vector("header folded", "POST", BASE + "/", form("ListRoles"),
                list(FORM.items()) + [("X-Folded", "first\r\n   second\r\n\tthird")]))
V.append(vector("header repeated name", "POST", BASE + "/", form("ListRoles"),
                list(FORM.items()) + [("X-Multi", "one"), ("X-Multi", "  two  "), ("x-multi", "three")]))
V.append(vector("header mixed case names", "POST", BASE + "/", form("ListRoles"),
                list(FORM.items()) + [("X-AMZ-Meta-Thing", "Value"), ("aCCept", "*/*")]))
V.append(vector("header empty value", "POST", BASE + "/", form("ListRoles"), list(FORM.items()) + [("X-Empty", "")]))
V.append(vector("date header instead of x-amz-date", "POST", BASE + "/", form("ListUsers"),
                list(FORM.items()) + [("Date", "whatever")]))
# --- other instants (day boundaries, leap day)
V.append(vector("leap day end", "POST", BASE + "/", form("ListUsers"), FORM.items(),
                when=datetime.datetime(2028, 2, 29, 23, 59, 59)))
V.append(vector("new year midnight", "POST", BASE + "/", form("ListUsers"), FORM.items(),
                when=datetime.datetime(2027, 1, 1, 0, 0, 0)))
# --- presigned URLs
V.append(vector("presigned GetCallerIdentity", "GET", BASE + "/?Action=GetCallerIdentity&Version=2011-06-15",
                service="sts", presign=900))
V.append(vector("presigned short expiry", "GET", BASE + "/?Action=GetCallerIdentity&Version=2011-06-15",
                service="sts", presign=60))
V.append(vector("presigned default expiry", "GET", BASE + "/?Action=ListUsers&Version=2010-05-08", presign=3600))
V.append(vector("presigned token", "GET", BASE + "/?Action=GetCallerIdentity&Version=2011-06-15",
                service="sts", creds=TOKEN, presign=900))
V.append(vector("presigned extra signed header (eks style)", "GET",
                "https://sts.us-west-2.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15",
                headers=[("x-k8s-aws-id", "my-cluster")], service="sts", region="us-west-2", presign=60))
V.append(vector("presigned post form moved to query", "POST", BASE + "/",
                {"Action": "GetUser", "Version": "2010-05-08", "UserName": "é b"}, FORM.items(), presign=300))
V.append(vector("presigned unicode params", "GET", BASE + "/?Action=GetUser&Version=2010-05-08&UserName=%C3%A9t%C3%A9",
                presign=900))

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "WardenSigV4Tests", "Vectors", "botocore.json")
with open(out, "w") as f:
    json.dump({"generator": "scripts/gen-sigv4-vectors.py", "botocore": botocore.__version__, "vectors": V}, f,
              indent=1, ensure_ascii=False)
    f.write("\n")
print(f"wrote {len(V)} vectors to {os.path.normpath(out)}")
