"""The server as an operator sees it: bootstrap, health, errors, durability, secrets at rest."""

import base64
import configparser
import json
import re
import os
import signal
import sqlite3
import stat
import subprocess

import boto3
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import ACCOUNT_ID, ROOT_KEY, ROOT_SECRET, Server, aws_cli, client, code, unique, warden_binary


def test_version_and_help():
    out = subprocess.run([warden_binary(), "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip()
    out = subprocess.run([warden_binary(), "serve", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "--data-dir" in out.stdout


def test_first_start_writes_admin_credentials(fresh_dir):
    srv = Server(fresh_dir, root_key=False).start()
    try:
        path = os.path.join(fresh_dir, "admin-credentials")
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        cfg = configparser.ConfigParser()
        cfg.read(path)
        key, secret = cfg["warden"]["aws_access_key_id"], cfg["warden"]["aws_secret_access_key"]
        iam = client(srv, "iam", key, secret)
        me = iam.get_user()["User"]
        assert me["UserName"] == "admin"
        attached = iam.list_attached_user_policies(UserName="admin")["AttachedPolicies"]
        assert [p["PolicyArn"] for p in attached] == ["arn:aws:iam::aws:policy/AdministratorAccess"]
        iam.create_user(UserName="alice")
        # The AWS CLI with the credentials file as written.
        out = subprocess.run(["aws", "--endpoint-url", srv.endpoint, "--profile", "warden", "iam", "get-user", "--user-name", "alice"],
                             env=dict(os.environ, AWS_SHARED_CREDENTIALS_FILE=path, AWS_DEFAULT_REGION="us-east-1"),
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        # The root user has no access key in this mode.
        assert iam.get_account_summary()["SummaryMap"]["AccountAccessKeysPresent"] == 0
        account = boto3.client("sts", endpoint_url=srv.endpoint, region_name="us-east-1", aws_access_key_id=key,
                               aws_secret_access_key=secret).get_caller_identity()["Account"]
        assert len(account) == 12 and account.isdigit()
        # A restart keeps the same account and does not write new credentials.
        before = open(path).read()
        srv.restart()
        assert open(path).read() == before
        assert client(srv, "sts", key, secret).get_caller_identity()["Account"] == account
    finally:
        srv.stop()


def test_health_and_unknown_action(server):
    assert requests.get(server.endpoint + "/healthz", timeout=5).status_code == 200
    iam = client(server, "iam")
    r = iam._endpoint.http_session  # noqa: just to keep botocore imported in the same way
    resp = requests.post(server.endpoint + "/", data="Action=NoSuchThing&Version=2010-05-08", timeout=5)
    assert resp.status_code in (400, 403) and "<ErrorResponse" in resp.text


def test_invalid_action_when_signed(server):
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    from conftest import ROOT_KEY
    req = AWSRequest(method="POST", url=server.endpoint + "/", data="Action=FlyToTheMoon&Version=2010-05-08",
                     headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    SigV4Auth(Credentials(ROOT_KEY, ROOT_SECRET), "iam", "us-east-1").add_auth(req)
    r = requests.post(req.url, data=req.body, headers=dict(req.headers), timeout=10)
    assert r.status_code == 400 and "<Code>InvalidAction</Code>" in r.text
    request_id = r.headers.get("x-amzn-RequestId")
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", request_id)
    assert f"<RequestId>{request_id}</RequestId>" in r.text
    again = requests.post(req.url, data=req.body, headers=dict(req.headers), timeout=10)
    assert again.headers["x-amzn-RequestId"] != request_id


def test_validation_error_wording(server):
    iam = client(server, "iam", validate=False)
    with pytest.raises(ClientError) as e:
        iam.create_user(UserName="bad name")
    assert code(e) == "ValidationError"
    msg = e.value.response["Error"]["Message"]
    assert msg.startswith("1 validation error detected: Value 'bad name' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern")
    with pytest.raises(ClientError) as e:
        iam.create_role(RoleName=unique("r"), AssumeRolePolicyDocument="{}", MaxSessionDuration=60)
    assert code(e) == "ValidationError"
    assert "Member must have value greater than or equal to 3600" in e.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as e:
        iam.create_user(UserName="x" * 65, Path="no-slashes")
    msg = e.value.response["Error"]["Message"]
    assert msg.startswith("2 validation errors detected: ") and "'userName'" in msg and "'path'" in msg
    with pytest.raises(ClientError) as e:
        iam.update_access_key(AccessKeyId="AKIAEXAMPLEEXAMPLE00", Status="Sometimes")
    assert "Member must satisfy enum value set: [Active, Inactive, Expired]" in e.value.response["Error"]["Message"]


def test_secrets_are_encrypted_at_rest(fresh_dir):
    srv = Server(fresh_dir, env={"WARDEN_ROOT_PASSWORD": "Root-Password-123!"}).start()
    try:
        iam = client(srv, "iam")
        iam.create_user(UserName="carol")
        key = iam.create_access_key(UserName="carol")["AccessKey"]
        iam.create_login_profile(UserName="carol", Password="Carol-Password-456!")
    finally:
        srv.stop()
    blobs = b""
    for name in os.listdir(fresh_dir):
        if name.startswith("warden.db"):
            blobs += open(os.path.join(fresh_dir, name), "rb").read()
    assert len(blobs) > 0
    for secret in (key["SecretAccessKey"], ROOT_SECRET, "Carol-Password-456!", "Root-Password-123!"):
        assert secret.encode() not in blobs
    assert key["AccessKeyId"].encode() in blobs  # the id is not secret; the row is really there
    assert stat.S_IMODE(os.stat(os.path.join(fresh_dir, "master.key")).st_mode) == 0o600
    # No secret in the server's log either.
    log = open(srv.log_path, errors="replace").read()
    for secret in (key["SecretAccessKey"], ROOT_SECRET, "Carol-Password-456!"):
        assert secret not in log


def test_sigterm_is_graceful_and_sigkill_loses_nothing(fresh_dir):
    srv = Server(fresh_dir).start()
    try:
        iam = client(srv, "iam")
        names = [unique("k") for _ in range(10)]
        for n in names:
            iam.create_user(UserName=n)
        srv.restart(signal.SIGKILL)
        have = {u["UserName"] for p in iam.get_paginator("list_users").paginate() for u in p["Users"]}
        assert set(names) <= have
        assert srv.stop(signal.SIGTERM) == 0
    finally:
        srv.stop()


def test_env_vars_configure_the_server(fresh_dir):
    port_srv = Server(fresh_dir)
    env = dict(os.environ, WARDEN_HOST="127.0.0.1", WARDEN_PORT=str(port_srv.port), WARDEN_DATA_DIR=fresh_dir,
               WARDEN_ACCOUNT_ID="210987654321", WARDEN_ROOT_ACCESS_KEY_ID="AKIAENVROOT000000001",
               WARDEN_ROOT_SECRET_ACCESS_KEY="envRootSecret0000000000000000000000000000")
    proc = subprocess.Popen([warden_binary(), "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import time
        for _ in range(200):
            try:
                if requests.get(port_srv.endpoint + "/healthz", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.05)
        sts = client(port_srv, "sts", "AKIAENVROOT000000001", "envRootSecret0000000000000000000000000000")
        assert sts.get_caller_identity()["Account"] == "210987654321"
        assert os.path.exists(os.path.join(fresh_dir, "warden.db"))
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_compatibility_matrix_lists_every_operation():
    out = subprocess.run([warden_binary(), "operations"], capture_output=True, text=True)
    assert out.returncode == 0
    assert "| CreateUser | implemented |" in out.stdout
    assert "| AssumeRole | implemented |" in out.stdout
    assert out.stdout.count("\n| ") > 180


def test_committed_compatibility_matrix_is_current():
    out = subprocess.run([warden_binary(), "operations"], capture_output=True, text=True)
    path = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "compatibility.md")
    assert open(path).read() == out.stdout, "regenerate with: .build/debug/warden operations > docs/compatibility.md"


def test_a_lost_or_wrong_master_key_refuses_to_start_and_loses_nothing(fresh_dir):
    srv = Server(fresh_dir).start()
    iam_client = client(srv, "iam")
    iam_client.create_user(UserName="kept")
    srv.stop()
    key_path = os.path.join(fresh_dir, "master.key")
    with open(key_path) as f:
        original = f.read()
    # Missing key file with data present: refuse, and do not write a new key that could never open the secrets.
    os.remove(key_path)
    with pytest.raises(RuntimeError) as e:
        Server(fresh_dir).start()
    assert "master.key is missing" in str(e.value)
    assert not os.path.exists(key_path)
    # A different key: refuse too.
    with pytest.raises(RuntimeError) as e:
        Server(fresh_dir, env={"WARDEN_MASTER_KEY": base64.b64encode(b"k" * 32).decode()}).start()
    assert "not the one the data" in str(e.value)
    # The right key again: everything is there.
    with open(key_path, "w") as f:
        f.write(original)
    os.chmod(key_path, 0o600)
    srv = Server(fresh_dir).start()
    try:
        assert client(srv, "iam").get_user(UserName="kept")["User"]["UserName"] == "kept"
    finally:
        srv.stop()


def test_trusted_proxy_headers_give_source_ip_and_secure_transport(fresh_dir):
    srv = Server(fresh_dir, env={"WARDEN_TRUSTED_PROXIES": "127.0.0.1/32, ::1"}).start()
    untrusted = Server(fresh_dir + "-2").start()  # no trusted proxies: the same headers are ignored
    try:
        for s in (srv, untrusted):
            root = client(s, "iam")
            name = unique("proxied")
            root.create_user(UserName=name)
            root.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "iam:GetUser", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}},
                {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}))
            k = root.create_access_key(UserName=name)["AccessKey"]
            c = client(s, "iam", k["AccessKeyId"], k["SecretAccessKey"])

            def forwarded(request, **_):
                request.headers["X-Forwarded-For"] = "203.0.113.7, 127.0.0.1"
                request.headers["X-Forwarded-Proto"] = "https"
            c.meta.events.register("before-send.iam.*", forwarded)
            if s is srv:
                assert c.get_user(UserName=name)["User"]["UserName"] == name
            else:
                with pytest.raises(ClientError) as e:
                    c.get_user(UserName=name)
                assert code(e) == "AccessDenied"
                assert "explicit deny" in str(e.value)
    finally:
        srv.stop()
        untrusted.stop()


def test_any_path_serves_the_api_and_named_routes_still_win(server):
    # A proxy that forwards a path prefix: botocore signs the path, Warden verifies it and answers.
    prefixed = boto3.client("sts", endpoint_url=server.endpoint + "/warden/", region_name="us-east-1",
                            aws_access_key_id=ROOT_KEY, aws_secret_access_key=ROOT_SECRET)
    assert prefixed.get_caller_identity()["Account"] == ACCOUNT_ID
    r = requests.post(server.endpoint + "/no/such/place", data="Action=GetCallerIdentity&Version=2011-06-15", timeout=10)
    assert r.status_code == 403 and "<ErrorResponse" in r.text and "MissingAuthenticationToken" in r.text
    assert requests.get(server.endpoint + "/healthz", timeout=10).status_code == 200
