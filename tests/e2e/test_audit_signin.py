"""Sign-in and workload credential requests in the audit trail (docs/audit.md, "Console sign-in" and "Workload
credentials"): ConsoleLogin, CheckMfa and PasswordUpdated records on signin.amazonaws.com; the AssumeRole that an
instance profile's workload credentials start, invoked by ec2.amazonaws.com; the workload token routes; and no
password, MFA code, secret key, session token or workload token in LookupEvents output or the log files."""

import json
import time

import pyotp
import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from conftest import ACCOUNT_ID, REGION, ROOT_KEY, ROOT_SECRET, allow, module_server, client, make_user, unique
from test_audit import HIDDEN, attr, audit_files, events, records, wait_delivered, wait_for

ROOT_PASSWORD = "Root-Password-For-Audit-1!"
AGENT = "Mozilla/5.0 (X11; Linux x86_64) WardenAuditTest/1.0"
TRUST_EC2 = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


@pytest.fixture(scope="module")
def audited():
    yield from module_server("warden-audit-signin-", {"WARDEN_ROOT_PASSWORD": ROOT_PASSWORD,
                                                      "WARDEN_AUDIT_DELIVERY_SECONDS": "1",
                                                      "WARDEN_AUDIT_DIGEST_SECONDS": "3"})


@pytest.fixture(scope="module")
def iam(audited):
    return client(audited, "iam")


@pytest.fixture(scope="module")
def ct(audited):
    return client(audited, "cloudtrail")


def signin(server, **fields):
    return requests.post(server.endpoint + "/signin", data=fields, headers={"User-Agent": AGENT}, timeout=30)


def change_password(server, token, new):
    return requests.post(server.endpoint + "/signin/change-password", data={"change_token": token, "new_password": new},
                         headers={"User-Agent": AGENT}, timeout=30)


def person(iam, password=None, reset=False):
    name = unique("person")
    password = password or f"Person-Passw0rd!{unique('p')[-8:]}"
    iam.create_user(UserName=name)
    iam.create_login_profile(UserName=name, Password=password, PasswordResetRequired=reset)
    return name, password


def with_mfa(iam, name):
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName=unique("mfa"))["VirtualMFADevice"]
    seed = device["Base32StringSeed"]
    totp = pyotp.TOTP(seed.decode() if isinstance(seed, bytes) else seed)
    now = time.time()
    iam.enable_mfa_device(UserName=name, SerialNumber=device["SerialNumber"], AuthenticationCode1=totp.at(now - 60),
                          AuthenticationCode2=totp.at(now - 30))
    return device["SerialNumber"], totp


def signin_records(ct, name, event="ConsoleLogin", count=1, pred=lambda r: True):
    return wait_for(ct, lambda r: r["userIdentity"].get("userName") == name and pred(r), count=count,
                    LookupAttributes=attr("EventName", event))


def signed(server, method, path, body=None, key=ROOT_KEY, secret=ROOT_SECRET):
    data = json.dumps(body) if body is not None else ""
    req = AWSRequest(method=method, url=server.endpoint + path, data=data, headers={"Content-Type": "application/json"})
    SigV4Auth(Credentials(key, secret), "iam", REGION).add_auth(req)
    return requests.request(method, req.url, data=data, headers=dict(req.headers), timeout=10)


def common_signin_fields(ev, name="ConsoleLogin"):
    assert ev["eventVersion"] == "1.11"
    assert ev["eventSource"] == "signin.amazonaws.com" and ev["eventName"] == name
    assert ev["eventType"] == "AwsConsoleSignIn" and ev["eventCategory"] == "Management"
    assert ev["readOnly"] is False and ev["managementEvent"] is True
    assert ev["awsRegion"] == "us-east-1" and ev["recipientAccountId"] == ACCOUNT_ID
    assert ev["sourceIPAddress"] == "127.0.0.1" and ev["userAgent"] == AGENT
    assert ev["requestParameters"] is None
    assert ev["eventID"] and "requestID" not in ev and "resources" not in ev


# ---------------------------------------------------------------------------------------------------------------
# Console sign-in


def test_successful_sign_in_is_a_console_login(audited, iam, ct):
    name, password = person(iam)
    user_id = iam.get_user(UserName=name)["User"]["UserId"]
    assert signin(audited, account=ACCOUNT_ID, username=name, password=password).status_code == 200
    [ev] = signin_records(ct, name)
    common_signin_fields(ev)
    assert ev["userIdentity"] == {"type": "IAMUser", "principalId": user_id, "arn": f"arn:aws:iam::{ACCOUNT_ID}:user/{name}",
                                  "accountId": ACCOUNT_ID, "userName": name}
    assert ev["responseElements"] == {"ConsoleLogin": "Success"}
    assert "errorMessage" not in ev and "errorCode" not in ev
    assert ev["additionalEventData"] == {"LoginTo": audited.endpoint + "/", "MobileVersion": "No", "MFAUsed": "No"}
    # Every lookup attribute a sign-in has finds it.
    for key, value in [("EventSource", "signin.amazonaws.com"), ("Username", name), ("EventId", ev["eventID"]),
                       ("ReadOnly", "false")]:
        found = [e for e in events(ct, LookupAttributes=attr(key, value)) if e["EventId"] == ev["eventID"]]
        assert len(found) == 1, key
        assert found[0]["EventName"] == "ConsoleLogin" and found[0]["EventSource"] == "signin.amazonaws.com"
        assert found[0]["Username"] == name and "AccessKeyId" not in found[0]
    # The record went in with the PasswordLastUsed write.
    assert "PasswordLastUsed" in iam.get_user(UserName=name)["User"]


def test_failed_sign_ins_are_recorded_without_what_was_typed(audited, iam, ct):
    name, password = person(iam)
    user_id = iam.get_user(UserName=name)["User"]["UserId"]
    wrong = f"Wrong-Passw0rd!{unique('w')[-8:]}"
    assert signin(audited, account=ACCOUNT_ID, username=name, password=wrong).status_code == 401
    [ev] = signin_records(ct, name, pred=lambda r: r["responseElements"]["ConsoleLogin"] == "Failure")
    common_signin_fields(ev)
    assert ev["errorMessage"] == "Failed authentication" and "errorCode" not in ev
    assert ev["responseElements"] == {"ConsoleLogin": "Failure"}
    assert ev["userIdentity"] == {"type": "IAMUser", "principalId": user_id, "accountId": ACCOUNT_ID, "accessKeyId": "",
                                  "userName": name}
    assert ev["additionalEventData"]["MFAUsed"] == "No"
    # A password typed into the user name field: the name is hidden, as CloudTrail hides it.
    typed = f"Typed-Into-Name-{unique('t')[-8:]}"
    assert signin(audited, account=ACCOUNT_ID, username=typed, password=password).status_code == 401
    hidden = wait_for(ct, lambda r: r["userIdentity"].get("userName") == HIDDEN,
                      LookupAttributes=attr("EventName", "ConsoleLogin"))
    assert hidden[0]["userIdentity"] == {"type": "IAMUser", "accountId": ACCOUNT_ID, "accessKeyId": "", "userName": HIDDEN}
    assert hidden[0]["errorMessage"] == "No username found in supplied account"
    # A user without a login profile fails like a wrong password.
    iam.create_user(UserName=(nolp := unique("nolp")))
    assert signin(audited, account=ACCOUNT_ID, username=nolp, password=password).status_code == 401
    assert signin_records(ct, nolp)[0]["errorMessage"] == "Failed authentication"
    # An unknown account has no trail: nothing is recorded in this one.
    assert signin(audited, account="000000000000", username=name, password=password).status_code == 401
    time.sleep(0.5)
    everything = json.dumps(records(ct, LookupAttributes=attr("EventSource", "signin.amazonaws.com")))
    for s in (wrong, typed, password):
        assert s not in everything


def test_root_sign_in(audited, iam, ct):
    assert signin(audited, account=ACCOUNT_ID, password=ROOT_PASSWORD).status_code == 200
    ev = wait_for(ct, lambda r: r["userIdentity"]["type"] == "Root", LookupAttributes=attr("EventName", "ConsoleLogin"))[0]
    common_signin_fields(ev)
    assert ev["userIdentity"] == {"type": "Root", "principalId": ACCOUNT_ID, "arn": f"arn:aws:iam::{ACCOUNT_ID}:root",
                                  "accountId": ACCOUNT_ID, "accessKeyId": ""}
    assert ev["responseElements"] == {"ConsoleLogin": "Success"}
    assert any(e["EventId"] == ev["eventID"] for e in events(ct, LookupAttributes=attr("Username", "root")))


def test_mfa_sign_in_records_the_check_and_one_login_per_attempt(audited, iam, ct):
    name, password = person(iam)
    serial, totp = with_mfa(iam, name)
    step = signin(audited, account=ACCOUNT_ID, username=name, password=password)
    assert step.status_code == 401 and step.json()["status"] == "mfa_required"
    [check] = signin_records(ct, name, event="CheckMfa")
    common_signin_fields(check, "CheckMfa")
    assert check["responseElements"] == {"CheckMfa": "Success"}
    assert check["additionalEventData"] == {"MfaType": "Virtual MFA"}
    assert "arn" not in check["userIdentity"]
    # The password step alone is not a ConsoleLogin: the attempt has not ended.
    time.sleep(0.5)
    assert not [r for r in records(ct, LookupAttributes=attr("EventName", "ConsoleLogin"))
                if r["userIdentity"].get("userName") == name]
    token = step.json()["signin_token"]
    bad_code = "000000" if totp.now() != "000000" else "111111"
    assert signin(audited, account=ACCOUNT_ID, username=name, signin_token=token, mfa_code=bad_code).status_code == 401
    good_code = totp.now()
    ok = signin(audited, account=ACCOUNT_ID, username=name, signin_token=token, mfa_code=good_code)
    assert ok.status_code == 200, ok.text
    logins = signin_records(ct, name, count=2)
    failure = [r for r in logins if r["responseElements"]["ConsoleLogin"] == "Failure"]
    success = [r for r in logins if r["responseElements"]["ConsoleLogin"] == "Success"]
    assert len(failure) == 1 and len(success) == 1
    assert failure[0]["additionalEventData"]["MFAUsed"] == "Yes"
    assert failure[0]["errorMessage"] == "Failed authentication"
    assert success[0]["additionalEventData"] == {"LoginTo": audited.endpoint + "/", "MobileVersion": "No",
                                                 "MFAIdentifier": serial, "MFAUsed": "Yes"}
    for r in logins + [check]:
        text = json.dumps(r)
        assert f'"{bad_code}"' not in text and f'"{good_code}"' not in text and token not in text


def test_password_change_at_sign_in_is_password_updated_then_console_login(audited, iam, ct):
    iam.update_account_password_policy(MinimumPasswordLength=12, RequireNumbers=True)
    try:
        name, password = person(iam, reset=True)
        r = signin(audited, account=ACCOUNT_ID, username=name, password=password)
        assert r.status_code == 403
        token = r.json()["change_token"]
        weak = "short1"
        assert change_password(audited, token, weak).status_code == 400
        new = f"New-Passw0rd-{unique('n')[-8:]}"
        done = change_password(audited, token, new)
        assert done.status_code == 200, done.text
        updated = signin_records(ct, name, event="PasswordUpdated", count=2)
        failed = [u for u in updated if u["responseElements"]["PasswordUpdated"] == "Failure"]
        changed = [u for u in updated if u["responseElements"]["PasswordUpdated"] == "Success"]
        assert len(failed) == 1 and len(changed) == 1
        common_signin_fields(changed[0], "PasswordUpdated")
        assert changed[0]["userIdentity"]["arn"] == f"arn:aws:iam::{ACCOUNT_ID}:user/{name}"
        assert failed[0]["errorMessage"].startswith("Password should have")
        [login] = signin_records(ct, name)
        assert login["responseElements"] == {"ConsoleLogin": "Success"}
        text = json.dumps(updated + [login])
        for s in (password, weak, new, token):
            assert s not in text
    finally:
        iam.delete_account_password_policy()


# ---------------------------------------------------------------------------------------------------------------
# Workload credentials and tokens


@pytest.fixture(scope="module")
def profile(iam):
    role, name = unique("wl-role"), unique("wl-profile")
    arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(TRUST_EC2))["Role"]["Arn"]
    iam.create_instance_profile(InstanceProfileName=name)
    iam.add_role_to_instance_profile(InstanceProfileName=name, RoleName=role)
    return name, role, arn


def fetch(server, token):
    return requests.get(server.endpoint + "/workload/credentials", headers={"Authorization": token}, timeout=10)


def test_workload_credentials_are_an_assume_role_by_ec2(audited, iam, ct, profile):
    name, role, role_arn = profile
    created = signed(audited, "POST", "/workload/tokens", {"InstanceProfileName": name, "Description": "audit"}).json()
    token, token_id = created["Token"], created["TokenId"]
    first = fetch(audited, token).json()
    again = fetch(audited, token).json()
    assert again["AccessKeyId"] == first["AccessKeyId"]
    [ev] = wait_for(ct, lambda r: (r["requestParameters"] or {}).get("roleSessionName") == token_id,
                    LookupAttributes=attr("EventName", "AssumeRole"))
    assert ev["eventSource"] == "sts.amazonaws.com" and ev["eventType"] == "AwsApiCall"
    assert ev["userIdentity"] == {"type": "AWSService", "invokedBy": "ec2.amazonaws.com"}
    assert ev["sourceIPAddress"] == "ec2.amazonaws.com" and ev["userAgent"] == "ec2.amazonaws.com"
    assert ev["readOnly"] is True and ev["managementEvent"] is True and ev["recipientAccountId"] == ACCOUNT_ID
    assert ev["requestParameters"] == {"roleArn": role_arn, "roleSessionName": token_id, "durationSeconds": 3600}
    creds = ev["responseElements"]["credentials"]
    assert creds["accessKeyId"] == first["AccessKeyId"] and creds["sessionToken"] == HIDDEN
    assert creds["expiration"] == first["Expiration"]
    assert ev["responseElements"]["assumedRoleUser"]["arn"] == f"arn:aws:sts::{ACCOUNT_ID}:assumed-role/{role}/{token_id}"
    assert ev["resources"] == [{"accountId": ACCOUNT_ID, "type": "AWS::IAM::Role", "ARN": role_arn}]
    assert "errorCode" not in ev and ev["requestID"]
    # The answer from the cache started no session: one record for the two fetches.
    time.sleep(0.5)
    assert len([r for r in records(ct, LookupAttributes=attr("EventName", "AssumeRole"))
                if (r["requestParameters"] or {}).get("roleSessionName") == token_id]) == 1
    # The session's calls are the role's, as for any role session.
    sts = client(audited, "sts", key=first["AccessKeyId"], secret=first["SecretAccessKey"], token=first["Token"])
    rid = sts.get_caller_identity()["ResponseMetadata"]["RequestId"]
    caller = wait_for(ct, lambda r: r["requestID"] == rid, LookupAttributes=attr("AccessKeyId", first["AccessKeyId"]))[0]
    assert caller["userIdentity"]["type"] == "AssumedRole"
    assert caller["userIdentity"]["sessionContext"]["sessionIssuer"]["arn"] == role_arn


def test_a_role_that_does_not_trust_ec2_is_a_denied_assume_role(audited, iam, ct):
    role, name = unique("wl-untrusted"), unique("wl-profile")
    untrusted = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT_ID}:root"}, "Action": "sts:AssumeRole"}]}
    arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(untrusted))["Role"]["Arn"]
    iam.create_instance_profile(InstanceProfileName=name)
    iam.add_role_to_instance_profile(InstanceProfileName=name, RoleName=role)
    created = signed(audited, "POST", "/workload/tokens", {"InstanceProfileName": name}).json()
    assert fetch(audited, created["Token"]).status_code == 403
    [ev] = wait_for(ct, lambda r: (r["requestParameters"] or {}).get("roleArn") == arn,
                    LookupAttributes=attr("EventName", "AssumeRole"))
    assert ev["errorCode"] == "AccessDenied" and "ec2.amazonaws.com" in ev["errorMessage"]
    assert ev["responseElements"] is None and ev["userIdentity"]["invokedBy"] == "ec2.amazonaws.com"


def test_workload_token_routes_are_recorded_as_iam_calls(audited, iam, ct, profile):
    name, role, role_arn = profile
    created = signed(audited, "POST", "/workload/tokens", {"InstanceProfileName": name, "Description": "routes"})
    assert created.status_code == 200
    body = created.json()
    [create] = wait_for(ct, lambda r: (r["responseElements"] or {}).get("tokenId") == body["TokenId"],
                        LookupAttributes=attr("EventName", "CreateWorkloadToken"))
    assert create["eventSource"] == "iam.amazonaws.com" and create["eventType"] == "AwsApiCall"
    assert create["userIdentity"]["type"] == "Root" and create["userIdentity"]["accessKeyId"] == ROOT_KEY
    assert create["requestParameters"] == {"instanceProfileName": name, "description": "routes"}
    assert create["responseElements"]["roleArn"] == role_arn and create["readOnly"] is False
    assert {"accountId": ACCOUNT_ID, "type": "AWS::IAM::Role", "ARN": role_arn} in create["resources"]
    assert body["Token"] not in json.dumps(create)
    assert signed(audited, "GET", "/workload/tokens").status_code == 200
    listed = wait_for(ct, LookupAttributes=attr("EventName", "ListWorkloadTokens"))
    assert listed[0]["readOnly"] is True and listed[0]["responseElements"] is None
    assert signed(audited, "DELETE", f"/workload/tokens/{body['TokenId']}").status_code == 200
    [deleted] = wait_for(ct, lambda r: r["requestParameters"] == {"tokenId": body["TokenId"]},
                         LookupAttributes=attr("EventName", "DeleteWorkloadToken"))
    assert deleted["resources"][0]["type"] == "AWS::IAM::InstanceProfile" and "errorCode" not in deleted
    # A revoked token answers 401 and starts nothing: no AssumeRole for it.
    assert fetch(audited, body["Token"]).status_code == 401
    # Refusals are recorded under the caller, like any denied call; so are validation errors.
    user, key, secret = make_user(iam, policy=allow("iam:GetUser"))
    denied = signed(audited, "POST", "/workload/tokens", {"InstanceProfileName": name}, key=key, secret=secret)
    assert denied.status_code == 403
    [refused] = wait_for(ct, lambda r: r["userIdentity"].get("userName") == user,
                         LookupAttributes=attr("EventName", "CreateWorkloadToken"))
    assert refused["errorCode"] == "AccessDenied"
    assert signed(audited, "POST", "/workload/tokens", {}).status_code == 400
    invalid = wait_for(ct, lambda r: r.get("errorCode") == "ValidationError",
                       LookupAttributes=attr("EventName", "CreateWorkloadToken"))
    assert invalid[0]["requestParameters"] == {"instanceProfileName": ""}


# ---------------------------------------------------------------------------------------------------------------
# No secret in lookups or files


def test_no_sign_in_or_workload_secret_enters_lookups_or_files(audited, iam, ct, profile):
    secrets, quoted, ids = [], [], []
    name, password = person(iam)
    serial, totp = with_mfa(iam, name)
    wrong = f"Wrong-Secret-Passw0rd!{unique('w')[-8:]}"
    signin(audited, account=ACCOUNT_ID, username=name, password=wrong)
    step = signin(audited, account=ACCOUNT_ID, username=name, password=password).json()
    code = totp.now()
    ok = signin(audited, account=ACCOUNT_ID, username=name, signin_token=step["signin_token"], mfa_code=code)
    assert ok.status_code == 200, ok.text
    console = ok.json()["credentials"]
    secrets += [password, wrong, step["signin_token"], console["SecretAccessKey"], console["SessionToken"],
                ok.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]]
    quoted.append(code)
    created = signed(audited, "POST", "/workload/tokens", {"InstanceProfileName": profile[0]}).json()
    creds = fetch(audited, created["Token"]).json()
    secrets += [created["Token"], created["Token"].split(".")[-1], creds["SecretAccessKey"], creds["Token"]]
    ids += [r["eventID"] for r in signin_records(ct, name, count=2)]
    ids += [r["eventID"] for r in wait_for(ct, lambda r: (r["requestParameters"] or {}).get("roleSessionName")
                                           == created["TokenId"], LookupAttributes=attr("EventName", "AssumeRole"))]
    everything = json.dumps([e for e in events(ct)], default=str)
    for s in secrets:
        assert s not in everything, "a secret appears in LookupEvents output"
    for c in quoted:
        assert f'\\"{c}\\"' not in everything, "an MFA code appears in LookupEvents output"
    wait_delivered(audited, ids)
    for path, data in audit_files(audited):
        for s in secrets:
            assert s.encode() not in data, f"a secret appears in {path}"
        for c in quoted:
            assert f'"{c}"'.encode() not in data, f"an MFA code appears in {path}"
    log = audited.log()
    for s in secrets:
        assert s not in log
