"""Rotating workload credentials (docs/workloads.md): tokens created with SigV4-signed calls, credentials served in
the AWS SDKs' container credentials format, and consumed by boto3's own container provider."""

import json
import time

import boto3
import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from conftest import ACCOUNT_ID, REGION, ROOT_KEY, ROOT_SECRET, client, make_user, unique

TRUST_EC2 = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


def signed(server, method, path, body=None, key=ROOT_KEY, secret=ROOT_SECRET, token=None, service="iam"):
    data = json.dumps(body) if body is not None else ""
    req = AWSRequest(method=method, url=server.endpoint + path, data=data, headers={"Content-Type": "application/json"})
    SigV4Auth(Credentials(key, secret, token), service, REGION).add_auth(req)
    return requests.request(method, req.url, data=data, headers=dict(req.headers), timeout=10)


@pytest.fixture(scope="module")
def profile(iam):
    role = unique("wl-role")
    name = unique("wl-profile")
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(TRUST_EC2))
    iam.create_instance_profile(InstanceProfileName=name)
    iam.add_role_to_instance_profile(InstanceProfileName=name, RoleName=role)
    return name, role


def create_token(server, profile_name, **kw):
    r = signed(server, "POST", "/workload/tokens", {"InstanceProfileName": profile_name, "Description": "test"}, **kw)
    return r


def test_create_list_and_fetch_credentials(server, profile):
    name, role = profile
    r = create_token(server, name)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["TokenId"].startswith("wt-")
    assert body["RoleArn"] == f"arn:aws:iam::{ACCOUNT_ID}:role/{role}"
    assert body["InstanceProfileArn"] == f"arn:aws:iam::{ACCOUNT_ID}:instance-profile/{name}"
    token = body["Token"]

    listed = signed(server, "GET", "/workload/tokens").json()["Tokens"]
    mine = [t for t in listed if t["TokenId"] == body["TokenId"]]
    assert len(mine) == 1 and "Token" not in mine[0]
    assert token not in json.dumps(listed)

    c = requests.get(server.endpoint + "/workload/credentials", headers={"Authorization": token}, timeout=10)
    assert c.status_code == 200, c.text
    creds = c.json()
    assert set(creds) == {"AccessKeyId", "SecretAccessKey", "Token", "Expiration", "RoleArn"}
    assert creds["AccessKeyId"].startswith("ASIA")
    assert creds["RoleArn"] == body["RoleArn"]
    # Fresh for an hour; the same credentials come back until fewer than 15 minutes remain.
    exp = time.mktime(time.strptime(creds["Expiration"], "%Y-%m-%dT%H:%M:%SZ")) - time.timezone
    assert 3000 < exp - time.time() <= 3600 + 5
    again = requests.get(server.endpoint + "/workload/credentials", headers={"Authorization": token}, timeout=10).json()
    assert again["AccessKeyId"] == creds["AccessKeyId"]

    sts = client(server, "sts", key=creds["AccessKeyId"], secret=creds["SecretAccessKey"], token=creds["Token"])
    arn = sts.get_caller_identity()["Arn"]
    assert arn == f"arn:aws:sts::{ACCOUNT_ID}:assumed-role/{role}/{body['TokenId']}"
    assert "LastUsedDate" in [t for t in signed(server, "GET", "/workload/tokens").json()["Tokens"] if t["TokenId"] == body["TokenId"]][0]


def test_boto3_container_provider_end_to_end(server, profile, monkeypatch, tmp_path):
    name, role = profile
    token = create_token(server, name).json()["Token"]
    for var in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN"]:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", f"http://127.0.0.1:{server.port}/workload/credentials")
    monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", token)
    session = boto3.session.Session(region_name=REGION)
    creds = session.get_credentials()
    assert creds.method == "container-role"
    sts = session.client("sts", endpoint_url=server.endpoint)
    arn = sts.get_caller_identity()["Arn"]
    assert arn.startswith(f"arn:aws:sts::{ACCOUNT_ID}:assumed-role/{role}/wt-")


def test_revoked_token_stops_at_once(server, profile):
    name, _ = profile
    body = create_token(server, name).json()
    token = body["Token"]
    assert requests.get(server.endpoint + "/workload/credentials", headers={"Authorization": token}, timeout=10).status_code == 200
    d = signed(server, "DELETE", f"/workload/tokens/{body['TokenId']}")
    assert d.status_code == 200, d.text
    r = requests.get(server.endpoint + "/workload/credentials", headers={"Authorization": token}, timeout=10)
    assert r.status_code == 401
    assert signed(server, "DELETE", f"/workload/tokens/{body['TokenId']}").status_code == 404
    assert body["TokenId"] not in json.dumps(signed(server, "GET", "/workload/tokens").json())


def test_bad_tokens_and_unsigned_management_are_refused(server, profile):
    for headers in [{}, {"Authorization": "nonsense"}, {"Authorization": f"wdnwt.{ACCOUNT_ID}.AAAA"}]:
        assert requests.get(server.endpoint + "/workload/credentials", headers=headers, timeout=10).status_code == 401
    r = requests.post(server.endpoint + "/workload/tokens", json={"InstanceProfileName": profile[0]}, timeout=10)
    assert r.status_code in (400, 403)
    assert "Error" in r.json()
    # Signed for another service than iam.
    assert signed(server, "POST", "/workload/tokens", {"InstanceProfileName": profile[0]}, service="sts").status_code == 403
    # A wrong secret.
    assert signed(server, "POST", "/workload/tokens", {"InstanceProfileName": profile[0]}, secret="x" * 40).status_code == 403


def test_creation_needs_passrole_and_a_profile_with_a_role(server, iam, profile):
    _, key, secret = make_user(iam)
    r = create_token(server, profile[0], key=key, secret=secret)
    assert r.status_code == 403 and r.json()["Error"]["Code"] == "AccessDenied"
    assert "iam:PassRole" in r.json()["Error"]["Message"]
    assert create_token(server, unique("missing")).status_code == 404
    empty = unique("wl-empty")
    iam.create_instance_profile(InstanceProfileName=empty)
    r = create_token(server, empty)
    assert r.status_code == 400 and r.json()["Error"]["Code"] == "InvalidInput"


def test_token_survives_restart_and_is_not_logged(server, profile):
    token = create_token(server, profile[0]).json()["Token"]
    server.restart()
    r = requests.get(server.endpoint + "/workload/credentials", headers={"Authorization": token}, timeout=10)
    assert r.status_code == 200
    secret = r.json()["SecretAccessKey"]
    log = server.log()
    assert token not in log and token.split(".")[-1] not in log and secret not in log


def test_the_role_must_trust_ec2_as_an_instance_profile_role_must(server, iam):
    role, name = unique("wl-untrusting"), unique("wl-untrusting")
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(TRUST_EC2))
    iam.create_instance_profile(InstanceProfileName=name)
    iam.add_role_to_instance_profile(InstanceProfileName=name, RoleName=role)
    token = create_token(server, name).json()["Token"]
    fetch = lambda: requests.get(server.endpoint + "/workload/credentials", headers={"Authorization": token}, timeout=10)
    assert fetch().status_code == 200
    # A trust policy that names another service: EC2 could not assume the role, and neither can the workload.
    iam.update_assume_role_policy(RoleName=role, PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
    r = fetch()
    assert r.status_code == 403, r.text
    assert "does not trust ec2.amazonaws.com" in r.text


def test_a_caller_without_permission_learns_nothing_about_missing_profiles_or_tokens(server, iam):
    _, key, secret = make_user(iam)
    r = create_token(server, unique("missing"), key=key, secret=secret)
    assert r.status_code == 403 and r.json()["Error"]["Code"] == "AccessDenied"
    r = signed(server, "DELETE", "/workload/tokens/wt-doesnotexist0000000", key=key, secret=secret)
    assert r.status_code == 403 and r.json()["Error"]["Code"] == "AccessDenied"
    # The account's administrator still learns that they do not exist.
    assert signed(server, "DELETE", "/workload/tokens/wt-doesnotexist0000000").status_code == 404
