"""Sign-in for people (docs/signin.md): passwords, the two-step MFA flow, password changes, the console cookie,
throttling of failures, and PasswordLastUsed."""

import os
import shutil
import tempfile
import time

import json

import pyotp
import pytest
import requests
from botocore.exceptions import ClientError

from conftest import ACCOUNT_ID, Server, client, unique

ROOT_PASSWORD = "Root-Password-For-Tests-1!"


@pytest.fixture(scope="module")
def server():
    base = tempfile.mkdtemp(prefix="warden-e2e-")
    srv = Server(os.path.join(base, "data"), env={"WARDEN_ROOT_PASSWORD": ROOT_PASSWORD}).start()
    yield srv
    srv.stop()
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def iam(server):
    return client(server, "iam")


def signin(server, **fields):
    return requests.post(server.endpoint + "/signin", data=fields, timeout=30)


def user_with_password(iam, password="User-Password-123!", reset=False):
    name = unique("person")
    iam.create_user(UserName=name)
    iam.create_login_profile(UserName=name, Password=password, PasswordResetRequired=reset)
    return name, password


def enable_mfa(iam, user_name=None):
    name = unique("mfa")
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName=name)["VirtualMFADevice"]
    totp = pyotp.TOTP(device["Base32StringSeed"].decode() if isinstance(device["Base32StringSeed"], bytes) else device["Base32StringSeed"])
    now = time.time()
    kw = {"UserName": user_name} if user_name else {}
    if user_name:
        iam.enable_mfa_device(SerialNumber=device["SerialNumber"], AuthenticationCode1=totp.at(now - 60),
                              AuthenticationCode2=totp.at(now - 30), **kw)
    return device["SerialNumber"], totp


def test_user_signs_in_and_gets_a_console_session(server, iam):
    name, password = user_with_password(iam)
    r = signin(server, account=ACCOUNT_ID, username=name, password=password)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "signed_in"
    assert body["principal"] == f"arn:aws:iam::{ACCOUNT_ID}:user/{name}"
    cookie = r.headers["Set-Cookie"]
    assert cookie.startswith("warden-console=")
    for flag in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/", "Max-Age="]:
        assert flag in cookie
    creds = body["credentials"]
    sts = client(server, "sts", key=creds["AccessKeyId"], secret=creds["SecretAccessKey"], token=creds["SessionToken"])
    assert sts.get_caller_identity()["Arn"] == body["principal"]
    # The cookie names the session.
    value = cookie.split(";")[0].split("=", 1)[1]
    s = requests.get(server.endpoint + "/signin/session", cookies={"warden-console": value}, timeout=10)
    assert s.status_code == 200 and s.json()["principal"] == body["principal"]
    assert requests.get(server.endpoint + "/signin/session", cookies={"warden-console": value[:-4] + "AAAA"}, timeout=10).status_code == 401
    # PasswordLastUsed is recorded.
    assert "PasswordLastUsed" in iam.get_user(UserName=name)["User"]
    # JSON bodies work too.
    j = requests.post(server.endpoint + "/signin", json={"account": ACCOUNT_ID, "username": name, "password": password}, timeout=30)
    assert j.status_code == 200


def test_console_session_calls_iam_with_the_users_permissions(server, iam):
    name, password = user_with_password(iam)
    iam.put_user_policy(UserName=name, PolicyName="read-self", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "iam:GetUser", "Resource": f"arn:aws:iam::{ACCOUNT_ID}:user/{name}"}]}))
    creds = signin(server, account=ACCOUNT_ID, username=name, password=password).json()["credentials"]
    console = client(server, "iam", key=creds["AccessKeyId"], secret=creds["SecretAccessKey"], token=creds["SessionToken"])
    # Unlike GetSessionToken credentials without MFA, a console session may call IAM, within the user's policies.
    assert console.get_user()["User"]["UserName"] == name
    with pytest.raises(ClientError) as e:
        console.list_users()
    assert e.value.response["Error"]["Code"] == "AccessDenied"


def test_wrong_password_unknown_user_and_no_login_profile_look_the_same(server, iam):
    name, password = user_with_password(iam)
    iam.create_user(UserName=(nolp := unique("nolp")))
    answers = [signin(server, account=ACCOUNT_ID, username=name, password="wrong-password-1A!"),
               signin(server, account=ACCOUNT_ID, username=unique("ghost"), password=password),
               signin(server, account=ACCOUNT_ID, username=nolp, password=password),
               signin(server, account="000000000000", username=name, password=password)]
    for a in answers:
        assert a.status_code == 401
        assert a.json() == {"status": "failed", "message": "Your authentication information is incorrect. Please try again."}
        assert "Set-Cookie" not in a.headers


def test_root_signs_in_with_alias_and_records_password_last_used(server, iam):
    alias = unique("acct")
    iam.create_account_alias(AccountAlias=alias)
    r = signin(server, account=alias, password=ROOT_PASSWORD)
    assert r.status_code == 200, r.text
    assert r.json()["principal"] == f"arn:aws:iam::{ACCOUNT_ID}:root"
    assert "PasswordLastUsed" in iam.get_user()["User"]
    assert signin(server, account=ACCOUNT_ID, password="not-the-root-password").status_code == 401


def test_mfa_two_step_flow(server, iam):
    name, password = user_with_password(iam)
    serial, totp = enable_mfa(iam, name)
    r = signin(server, account=ACCOUNT_ID, username=name, password=password)
    assert r.status_code == 401
    body = r.json()
    assert body["status"] == "mfa_required" and body["signin_token"]
    assert "Set-Cookie" not in r.headers
    bad = signin(server, account=ACCOUNT_ID, username=name, signin_token=body["signin_token"], mfa_code="000000")
    assert bad.status_code == 401 and bad.json()["status"] == "failed"
    ok = signin(server, account=ACCOUNT_ID, username=name, signin_token=body["signin_token"], mfa_code=totp.now())
    assert ok.status_code == 200, ok.text
    assert ok.json()["mfa_authenticated"] is True
    # The same code is not accepted twice; a forged step token is refused.
    again = signin(server, account=ACCOUNT_ID, username=name, signin_token=body["signin_token"], mfa_code=totp.now())
    assert again.status_code == 401
    assert signin(server, account=ACCOUNT_ID, username=name, signin_token="forged", mfa_code=totp.at(time.time() + 30)).status_code == 401
    # Password and code in one request.
    one = signin(server, account=ACCOUNT_ID, username=name, password=password, mfa_code=totp.at(time.time() + 30))
    assert one.status_code == 200, one.text


def test_reset_password_must_be_changed_first(server, iam):
    iam.update_account_password_policy(MinimumPasswordLength=10, RequireNumbers=True)
    try:
        name, password = user_with_password(iam, reset=True)
        r = signin(server, account=ACCOUNT_ID, username=name, password=password)
        assert r.status_code == 403
        body = r.json()
        assert body["status"] == "password_change_required"
        url = server.endpoint + "/signin/change-password"
        weak = requests.post(url, data={"change_token": body["change_token"], "new_password": "short"}, timeout=30)
        assert weak.status_code == 400 and weak.json()["code"] == "PasswordPolicyViolation"
        same = requests.post(url, data={"change_token": body["change_token"], "new_password": password}, timeout=30)
        assert same.status_code == 400
        assert requests.post(url, data={"change_token": "forged", "new_password": "New-Password-456!"}, timeout=30).status_code == 403
        changed = requests.post(url, data={"change_token": body["change_token"], "new_password": "New-Password-456!"}, timeout=30)
        assert changed.status_code == 200, changed.text
        assert changed.json()["status"] == "signed_in" and "warden-console=" in changed.headers["Set-Cookie"]
        assert iam.get_login_profile(UserName=name)["LoginProfile"]["PasswordResetRequired"] is False
        assert signin(server, account=ACCOUNT_ID, username=name, password="New-Password-456!").status_code == 200
        assert signin(server, account=ACCOUNT_ID, username=name, password=password).status_code == 401
    finally:
        iam.delete_account_password_policy()


def test_secrets_never_logged(server, iam):
    name, password = user_with_password(iam, password="Very-Distinct-Secret-987!")
    r = signin(server, account=ACCOUNT_ID, username=name, password=password)
    signin(server, account=ACCOUNT_ID, username=name, password="Other-Distinct-Wrong-654!")
    log = server.log()
    for s in [password, "Other-Distinct-Wrong-654!", ROOT_PASSWORD, r.json()["credentials"]["SecretAccessKey"],
              r.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]]:
        assert s not in log


def test_failures_are_throttled_per_user(fresh_dir):
    srv = Server(fresh_dir, env={"WARDEN_ROOT_PASSWORD": ROOT_PASSWORD}).start()
    try:
        iam = client(srv, "iam")
        name, password = user_with_password(iam)
        for _ in range(5):
            assert signin(srv, account=ACCOUNT_ID, username=name, password="wrong-Password-1").status_code == 401
        r = signin(srv, account=ACCOUNT_ID, username=name, password=password)
        assert r.status_code == 429
        assert 0 < int(r.headers["Retry-After"]) <= 900
        # Another person from the same address is not locked out by five failures.
        other, pw = user_with_password(iam)
        assert signin(srv, account=ACCOUNT_ID, username=other, password=pw).status_code == 200
        # Twenty failures from one address block it for everyone.
        for _ in range(15):
            assert signin(srv, account=ACCOUNT_ID, username=unique("ghost"), password="x").status_code == 401
        blocked = signin(srv, account=ACCOUNT_ID, username=other, password=pw)
        assert blocked.status_code == 429 and "Retry-After" in blocked.headers
    finally:
        srv.stop()
