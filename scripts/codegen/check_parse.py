#!/usr/bin/env python3
"""Cross-checks WardenWire against botocore, the client most AWS tools are built on.

1. Responses: parses the XML that the Swift tests dump (see GeneratedEncodingTests.dumpForBotocore) with
   botocore's own QueryParser and the model's output shape, applies botocore's IAM policy-document handler,
   and asserts the parsed dicts.

       WARDEN_WIRE_DUMP=/tmp/wire swift test --filter dumpForBotocore   # in a package with WardenWireTests
       python3 scripts/codegen/check_parse.py /tmp/wire

   The same run dumps JSON 1.1 responses (CloudTrailWireTests.dumpJSONForBotocore) and an error in each protocol
   (`Error-<protocol>.http`); they are parsed with botocore's JSONParser, RestJSONParser, RestXMLParser and
   QueryParser.

2. Requests: `check_parse.py --serialize` prints the form bodies botocore's QuerySerializer produces for a
   few requests, and the JSON bodies its JSONSerializer produces for CloudTrail; WireFixtureTests and
   CloudTrailWireTests decode exactly these bodies.

Standard library plus the installed botocore only.
"""
import datetime
import json
import os
import sys
import urllib.parse

import botocore.awsrequest
import botocore.handlers
import botocore.parsers
import botocore.serialize
import botocore.session

UTC = datetime.timezone.utc
CREATED = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
REQUEST_ID = "7a62c49f-347e-4fc4-9331-6e8eEXAMPLE"
TRUST = {"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole",
    "Condition": {"StringLike": {"aws:PrincipalTag/team": "a&b <c> 100% +x"}}}]}


def user(i):
    return {"Path": "/", "UserName": f"user{i}", "UserId": "AIDA" + "X" * 13 + str(1000 + i),
            "Arn": f"arn:aws:iam::123456789012:user/user{i}", "CreateDate": CREATED}


EXPECTED = {
    "CreateUser": ("iam", {"User": {
        "Path": "/dev/", "UserName": "alice", "UserId": "AIDAJQABLZS4A3QDU576Q",
        "Arn": "arn:aws:iam::123456789012:user/dev/alice", "CreateDate": CREATED,
        "Tags": [{"Key": "team", "Value": "a&b"}, {"Key": "empty", "Value": ""}]}}),
    "ListUsers": ("iam", {"Users": [user(1), user(2), user(3)], "IsTruncated": True, "Marker": "user3"}),
    "GetRole": ("iam", {"Role": {
        "Path": "/service/", "RoleName": "app", "RoleId": "AROADBQP57FF2AEXAMPLE",
        "Arn": "arn:aws:iam::123456789012:role/service/app", "CreateDate": CREATED,
        "AssumeRolePolicyDocument": TRUST, "Description": 'Role <for> "app" & co', "MaxSessionDuration": 3600,
        "PermissionsBoundary": {"PermissionsBoundaryType": "PermissionsBoundaryPolicy",
                                "PermissionsBoundaryArn": "arn:aws:iam::aws:policy/PowerUserAccess"},
        "RoleLastUsed": {"LastUsedDate": CREATED, "Region": "us-east-1"}}}),
    "GetAccountSummary": ("iam", {"SummaryMap": {"Users": 3, "UsersQuota": 5000, "AccountMFAEnabled": 0}}),
    "CreateAccessKey": ("iam", {"AccessKey": {
        "UserName": "alice", "AccessKeyId": "AKIAIOSFODNN7EXAMPLE", "Status": "Active",
        "SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY", "CreateDate": CREATED}}),
    "CreateVirtualMFADevice": ("iam", {"VirtualMFADevice": {
        "SerialNumber": "arn:aws:iam::123456789012:mfa/alice", "Base32StringSeed": b"JBSWY3DPEHPK3PXP",
        "QRCodePNG": bytes([0x89, 0x50, 0x4E, 0x47])}}),
    "ListPolicyVersions": ("iam", {"Versions": [
        {"Document": TRUST, "VersionId": "v2", "IsDefaultVersion": True, "CreateDate": CREATED},
        {"VersionId": "v1", "IsDefaultVersion": False, "CreateDate": CREATED}], "IsTruncated": False}),
    "ListAccountAliases": ("iam", {"AccountAliases": ["my-alias"], "IsTruncated": False}),
    "DeleteUser": ("iam", {}),
    "AssumeRole": ("sts", {
        "Credentials": {"AccessKeyId": "ASIAIOSFODNN7EXAMPLE", "SecretAccessKey": "secret",
                        "SessionToken": "token==", "Expiration": CREATED},
        "AssumedRoleUser": {"AssumedRoleId": "AROADBQP57FF2AEXAMPLE:s1",
                            "Arn": "arn:aws:sts::123456789012:assumed-role/app/s1"},
        "PackedPolicySize": 6, "SourceIdentity": "alice"}),
}

# Requests serialized by botocore for WireFixtureTests (operation, service, params).
REQUESTS = [
    ("CreateUser", "iam", {"UserName": "alice", "Path": "/dev/",
                           "Tags": [{"Key": "team", "Value": "blue green"}, {"Key": "cost:center", "Value": "4+2=6 é"}]}),
    ("UntagUser", "iam", {"UserName": "alice", "TagKeys": []}),
    ("CreateRole", "iam", {"RoleName": "app", "AssumeRolePolicyDocument": json.dumps(TRUST), "MaxSessionDuration": 7200,
                           "Tags": [{"Key": "k", "Value": "v"}]}),
    ("UpdateAccountPasswordPolicy", "iam", {"MinimumPasswordLength": 14, "RequireSymbols": True, "HardExpiry": False}),
    ("SimulateCustomPolicy", "iam", {"PolicyInputList": [json.dumps(TRUST)], "ActionNames": ["sts:AssumeRole", "iam:GetUser"],
                                     "ContextEntries": [{"ContextKeyName": "aws:username", "ContextKeyType": "stringList",
                                                         "ContextKeyValues": ["a", "b"]}]}),
    ("AssumeRole", "sts", {"RoleArn": "arn:aws:iam::123456789012:role/app", "RoleSessionName": "s1", "DurationSeconds": 900,
                           "PolicyArns": [{"arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}],
                           "Tags": [{"Key": "k", "Value": "v"}], "TransitiveTagKeys": ["k"]}),
]


# CloudTrail requests serialized by botocore's JSONSerializer for CloudTrailWireTests.
JSON_REQUESTS = [
    ("LookupEvents", "cloudtrail", {"LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": "CreateUser"}],
                                    "StartTime": CREATED, "EndTime": datetime.datetime(2024, 1, 3, tzinfo=UTC),
                                    "EventCategory": "insight", "MaxResults": 50, "NextToken": "tok"}),
    ("CreateTrail", "cloudtrail", {"Name": "audit", "S3BucketName": "warden-audit", "IsMultiRegionTrail": True,
                                   "TagsList": [{"Key": "team", "Value": "sec"}]}),
]

EXPECTED_LOOKUP_EVENTS = {
    "Events": [
        {"EventId": "0a1b2c3d-1111-2222-3333-444455556666", "EventName": "CreateUser", "ReadOnly": "false",
         "AccessKeyId": "AKIAIOSFODNN7EXAMPLE", "EventTime": CREATED, "EventSource": "iam.amazonaws.com",
         "Username": "alice", "Resources": [{"ResourceType": "AWS::IAM::User", "ResourceName": "bob"}],
         "CloudTrailEvent": '{"eventVersion":"1.09","userAgent":"aws-cli/2 \\"quoted\\""}'},
        {"EventId": "e2", "EventName": "GetUser", "EventTime": CREATED + datetime.timedelta(milliseconds=250)},
    ],
    "NextToken": "page-2",
}


def models():
    session = botocore.session.get_session()
    return {"iam": session.get_service_model("iam"), "sts": session.get_service_model("sts"),
            "cloudtrail": session.get_service_model("cloudtrail")}


def read_http(path):
    """A dumped response: status line, `Name: value` headers, a blank line, the body."""
    with open(path, "rb") as f:
        head, _, body = f.read().partition(b"\n\n")
    lines = head.decode().split("\n")
    headers = botocore.awsrequest.HeadersDict(line.split(": ", 1) for line in lines[1:] if line)
    return {"status_code": int(lines[0]), "headers": headers, "body": body}


def check_json(directory):
    svc = models()
    failures = 0
    op_model = svc["cloudtrail"].operation_model("LookupEvents")
    response = read_http(os.path.join(directory, "CloudTrail-LookupEvents.http"))
    parsed = botocore.parsers.JSONParser().parse(response, op_model.output_shape)
    metadata = parsed.pop("ResponseMetadata", {})
    ok = parsed == EXPECTED_LOOKUP_EVENTS and metadata.get("RequestId") == REQUEST_ID
    print(("ok  " if ok else "FAIL") + " CloudTrail LookupEvents")
    if not ok:
        failures += 1
        print("  parsed:  ", parsed, metadata)
        print("  expected:", EXPECTED_LOOKUP_EVENTS)
    parsers = {"json": botocore.parsers.JSONParser(), "rest-json": botocore.parsers.RestJSONParser(),
               "rest-xml": botocore.parsers.RestXMLParser(), "query": botocore.parsers.QueryParser()}
    for protocol, parser in parsers.items():
        response = read_http(os.path.join(directory, f"Error-{protocol}.http"))
        err = parser.parse(response, None)
        got = err.get("Error", {})
        rid = err.get("ResponseMetadata", {}).get("RequestId")
        ok = (got.get("Code") == "InvalidLookupAttributesException"
              and got.get("Message") == "Attribute key `Nope` is not valid." and rid == REQUEST_ID
              and response["status_code"] == 400)
        print(("ok  " if ok else "FAIL") + f" Error ({protocol})")
        if not ok:
            failures += 1
            print("  parsed:", err)
    return failures


def check_responses(directory):
    svc = models()
    parser = botocore.parsers.QueryParser()
    failures = 0
    for op, (service, expected) in EXPECTED.items():
        path = os.path.join(directory, op + ".xml")
        with open(path, "rb") as f:
            body = f.read()
        op_model = svc[service].operation_model(op)
        parsed = parser.parse({"body": body, "headers": {}, "status_code": 200}, op_model.output_shape)
        if service == "iam":
            botocore.handlers.json_decode_policies(parsed, op_model)
        metadata = parsed.pop("ResponseMetadata", {})
        ok = parsed == expected and metadata.get("RequestId") == REQUEST_ID
        print(("ok  " if ok else "FAIL") + f" {op}")
        if not ok:
            failures += 1
            print("  parsed:  ", parsed, metadata)
            print("  expected:", expected)
    # The error envelope, as botocore reports a ClientError.
    with open(os.path.join(directory, "Error.xml"), "rb") as f:
        body = f.read()
    err = parser.parse({"body": body, "headers": {}, "status_code": 404}, None)
    expected_error = {"Code": "NoSuchEntity", "Message": "The user with name <bob> cannot be found.", "Type": "Sender"}
    ok = err.get("Error") == expected_error and err.get("ResponseMetadata", {}).get("RequestId") == REQUEST_ID
    print(("ok  " if ok else "FAIL") + " Error")
    if not ok:
        failures += 1
        print("  parsed:", err)
    return failures


def serialize():
    svc = models()
    serializer = botocore.serialize.QuerySerializer()
    for op, service, params in REQUESTS:
        request = serializer.serialize_to_request(params, svc[service].operation_model(op))
        body = request["body"]
        if isinstance(body, dict):
            body = urllib.parse.urlencode(body)
        print(f"{op}\t{body}")
    serializer = botocore.serialize.JSONSerializer()
    for op, service, params in JSON_REQUESTS:
        request = serializer.serialize_to_request(params, svc[service].operation_model(op))
        print(f"{op}\t{request['headers']['X-Amz-Target']}\t{request['body'].decode()}")


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--serialize":
        serialize()
        return
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    failures = check_responses(sys.argv[1]) + check_json(sys.argv[1])
    if failures:
        sys.exit(f"{failures} response(s) differ")
    print("all responses parse as expected")


if __name__ == "__main__":
    main()
