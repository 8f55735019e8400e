"""A principal with no permissions is refused by every operation of every service Warden serves.

IAM is covered operation by operation in the shared acceptance suite (test_deny_all.py); this file covers the
other services: every STS, CloudTrail, Access Analyzer and Warden (models/warden) operation of their models, and the S3 view. Each call must
be refused with AccessDenied(Exception) or an input error; a success, or an answer that tells whether a
trail, key or object exists, is a hole. AWS documents two exceptions: GetCallerIdentity and GetSessionToken.
"""
import datetime

import botocore.session
import pytest
from botocore import xform_name
from botocore.exceptions import ClientError, ParamValidationError

from conftest import ACCOUNT_ID, client, make_user

REFUSED = {"AccessDenied", "AccessDeniedException", "ValidationError", "ValidationException", "InvalidInput",
           "MissingParameter", "InvalidParameterValue", "UnknownOperationException", "InvalidAction",
           "MalformedPolicyDocument", "InvalidIdentityToken", "ExpiredTokenException", "InvalidAuthorizationMessageException",
           "RegionDisabledException", "PackedPolicyTooLarge", "IDPRejectedClaim", "InvalidClientTokenId",
           "ExpiredTradeInTokenException", "OutboundWebIdentityFederationDisabledException"}
FREE = {"GetCallerIdentity", "GetSessionToken"}


def value(name, shape):
    t = shape.type_name
    if t == "structure":
        return {m: value(m, s) for m, s in shape.members.items() if m in shape.required_members}
    if t == "list":
        return [value(name, shape.member)]
    if t == "map":
        return {"k": value(name, shape.value)}
    if t in ("integer", "long"):
        return max(1, shape.metadata.get("min", 1))
    if t == "boolean":
        return False
    if t == "timestamp":
        return datetime.datetime.now(datetime.timezone.utc)
    if t == "blob":
        return b"x" * 16
    if shape.enum:
        return shape.enum[0]
    n = name.lower()
    if "arn" in n:
        return f"arn:aws:iam::{ACCOUNT_ID}:role/probe"
    if "trail" in n or n == "name":
        return "warden-audit"
    return "probe" + "x" * max(0, shape.metadata.get("min", 0) - 5)


@pytest.mark.parametrize("service", ["sts", "cloudtrail", "warden", "accessanalyzer"])
def test_every_operation_refuses_a_principal_without_permissions(server, iam, service):
    _, key, secret = make_user(iam)
    c = client(server, service, key, secret, validate=False)
    model = botocore.session.get_session().get_service_model(service)
    problems, refused = [], 0
    for name in model.operation_names:
        if name in FREE:
            continue
        op = model.operation_model(name)
        params = value(name, op.input_shape) if op.input_shape else {}
        try:
            getattr(c, xform_name(name))(**params)
            problems.append(f"{name}: succeeded")
        except ParamValidationError:
            refused += 1
        except ClientError as e:
            if e.response["Error"]["Code"] in REFUSED:
                refused += 1
            else:
                problems.append(f"{name}: {e.response['Error']['Code']}")
    assert not problems, "\n".join(problems)
    assert refused >= len(model.operation_names) - len(FREE)


def test_the_s3_view_refuses_a_principal_without_permissions(server, iam):
    _, key, secret = make_user(iam)
    s3 = client(server, "s3", key, secret)
    bucket = f"warden-audit-{ACCOUNT_ID}"
    calls = [lambda: s3.list_objects(Bucket=bucket), lambda: s3.list_objects_v2(Bucket=bucket),
             lambda: s3.get_object(Bucket=bucket, Key="AWSLogs/x"), lambda: s3.get_bucket_location(Bucket=bucket),
             lambda: s3.list_objects(Bucket="no-such-bucket-anywhere"), lambda: s3.list_buckets()]
    for call in calls:
        with pytest.raises(ClientError) as e:
            call()
        assert e.value.response["Error"]["Code"] == "AccessDenied"
    # HEAD has no body: only the status tells.
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=bucket, Key="AWSLogs/x")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_free_operations_need_no_permission(server, iam):
    _, key, secret = make_user(iam)
    sts = client(server, "sts", key, secret)
    assert sts.get_caller_identity()["Account"] == ACCOUNT_ID
    assert sts.get_session_token()["Credentials"]["AccessKeyId"].startswith("ASIA")
