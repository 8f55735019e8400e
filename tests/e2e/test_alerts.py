"""Alerts: the built-in rules (root activity, console sign-in without MFA, a burst of failed sign-ins, an access key
for root, password policy and administrator policy changes) and custom event-pattern rules, delivered to local
webhooks (one reachable, one that refuses connections), the log and the audit trail; ListAlerts shows what was
delivered where, and an unreachable sink slows no call."""
import http.server
import json
import os
import queue
import subprocess
import threading
import time

import pytest
import requests

from conftest import (ACCOUNT_ID, ROOT_KEY, ROOT_SECRET, Server, allow, client, free_port, make_user, module_server, unique,
                      warden_binary)

ROOT_PASSWORD = "Root-Passw0rd!alerts"


class Hook:
    """A local webhook receiver that keeps every JSON body it gets."""

    def __init__(self):
        self.got = queue.Queue()
        self.all = []
        hook = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                hook.got.put(json.loads(body))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *a):
                pass

        self.port = free_port()
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.port}/hook"

    def wait_for(self, pred, timeout=8.0):
        """The first alert received (now or within `timeout`) that `pred` accepts, else None."""
        for a in self.all:
            if pred(a):
                return a
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                a = self.got.get(timeout=0.2)
            except queue.Empty:
                continue
            self.all.append(a)
            if pred(a):
                return a
        return None

    def drain(self):
        while True:
            try:
                self.all.append(self.got.get_nowait())
            except queue.Empty:
                return self.all


@pytest.fixture(scope="module")
def hook():
    h = Hook()
    yield h
    h.httpd.shutdown()


@pytest.fixture(scope="module")
def closed_port():
    return free_port()   # nothing listens there


@pytest.fixture(scope="module")
def config_file(tmp_path_factory, hook, closed_port):
    path = tmp_path_factory.mktemp("alerts") / "alerts.json"
    path.write_text(json.dumps({
        "sinks": {
            "hook": {"type": "webhook", "url": hook.url, "timeoutSeconds": 2},
            "dead": {"type": "webhook", "url": f"http://127.0.0.1:{closed_port}/nothing", "timeoutSeconds": 1, "maxAttempts": 2},
        },
        "rules": [
            {"name": "root-activity", "sinks": ["hook", "dead"]},
            {"name": "deletes-in-iam", "severity": "LOW", "description": "Something was deleted in IAM",
             "pattern": {"eventSource": ["iam.amazonaws.com"], "eventName": [{"prefix": "Delete"}],
                         "userIdentity": {"type": ["IAMUser"]}}},
        ],
        "signinFailureBurst": {"failures": 4, "windowSeconds": 300},
        "rateLimit": {"burst": 100000, "refillSeconds": 1},
    }))
    return str(path)


@pytest.fixture(scope="module")
def alerting(config_file):
    yield from module_server("warden-alerts-", {"WARDEN_ALERTS_CONFIG": config_file, "WARDEN_ROOT_PASSWORD": ROOT_PASSWORD})


@pytest.fixture(scope="module")
def admin(alerting):
    """An IAM user with every permission, so tests can act without being root."""
    root = client(alerting, "iam")
    name, key, secret = make_user(root, policy=allow("*"))
    return name, key, secret


def as_admin(server, admin, service="iam"):
    return client(server, service, admin[1], admin[2])


def test_root_activity_reaches_the_webhook_within_seconds(alerting, hook):
    marker = unique("probe")
    t0 = time.time()
    client(alerting, "iam").list_users(PathPrefix=f"/{marker}/")
    alert = hook.wait_for(lambda a: a["rule"] == "root-activity" and a["record"]["requestParameters"] == {"pathPrefix": f"/{marker}/"})
    assert alert is not None, "no root-activity alert"
    assert time.time() - t0 < 5
    assert alert["severity"] == "HIGH" and alert["account"] == ACCOUNT_ID
    assert alert["record"]["eventName"] == "ListUsers" and alert["record"]["userIdentity"]["type"] == "Root"
    assert "ListUsers" in alert["text"] and "root-activity" in alert["text"] and alert["eventId"] == alert["record"]["eventID"]


def test_list_alerts_shows_deliveries_and_the_dead_sink_gives_up(alerting, hook, admin):
    warden = client(alerting, "warden")
    marker = unique("dead")
    client(alerting, "iam").list_users(PathPrefix=f"/{marker}/")
    sent = hook.wait_for(lambda a: a["rule"] == "root-activity" and marker in json.dumps(a["record"]))
    assert sent is not None
    deadline, alert = time.time() + 15, None
    while time.time() < deadline:
        pages = warden.get_paginator("list_alerts").paginate() if warden.can_paginate("list_alerts") else [warden.list_alerts(MaxResults=1000)]
        alerts = [a for p in pages for a in p["Alerts"]]
        alert = next((a for a in alerts if a["AlertId"] == sent["alertId"]), None)
        if alert and {d["Sink"]: d["Status"] for d in alert["Deliveries"]}.get("dead") == "FAILED":
            break
        time.sleep(0.5)
    assert alert is not None, "ListAlerts does not show the alert"
    sinks = {d["Sink"]: d for d in alert["Deliveries"]}
    assert sinks["dead"]["Status"] == "FAILED" and sinks["dead"]["Attempts"] == 2 and "refused" in sinks["dead"]["LastError"]
    assert sinks["hook"]["Status"] == "DELIVERED" and sinks["hook"]["Attempts"] == 1
    assert sinks["log"]["Status"] == "DELIVERED" and sinks["audit-trail"]["Status"] == "DELIVERED"
    assert alert["AccountId"] == ACCOUNT_ID and alert["Severity"] == "HIGH" and alert["EventName"] == "ListUsers"
    # Newest first.
    times = [a["Time"] for a in warden.list_alerts(MaxResults=50)["Alerts"]]
    assert times == sorted(times, reverse=True)
    # A user without warden:ListAlerts is refused.
    _, key, secret = make_user(as_admin(alerting, admin))
    with pytest.raises(Exception) as e:
        client(alerting, "warden", key, secret).list_alerts()
    assert "AccessDenied" in str(e.value)


def test_an_unreachable_sink_slows_no_call(alerting):
    iam = client(alerting, "iam")
    iam.get_user()   # warm
    t0 = time.time()
    for _ in range(20):
        iam.get_account_summary()    # each raises a root-activity alert for the dead sink
    assert time.time() - t0 < 10


def test_alerts_are_in_the_audit_trail(alerting, hook):
    marker = unique("trail")
    client(alerting, "iam").list_users(PathPrefix=f"/{marker}/")
    alert = hook.wait_for(lambda a: marker in json.dumps(a["record"]))
    assert alert is not None
    ct = client(alerting, "cloudtrail")
    deadline = time.time() + 10
    while time.time() < deadline:
        events = ct.lookup_events(LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "AlertRaised"}])["Events"]
        records = [json.loads(e["CloudTrailEvent"]) for e in events]
        mine = [r for r in records if r["responseElements"]["alertId"] == alert["alertId"]]
        if mine:
            r = mine[0]
            assert r["eventSource"] == "warden.amazonaws.com" and r["userIdentity"]["type"] == "AWSService"
            assert r["requestParameters"]["rule"] == "root-activity"
            assert r["requestParameters"]["triggeringEventId"] == alert["eventId"]
            return
        time.sleep(0.5)
    pytest.fail("no AlertRaised record for the alert")


def test_custom_pattern_rule(alerting, hook, admin):
    iam = as_admin(alerting, admin)
    name = unique("doomed")
    iam.create_user(UserName=name)
    iam.delete_user(UserName=name)
    alert = hook.wait_for(lambda a: a["rule"] == "deletes-in-iam" and a["record"]["requestParameters"].get("userName") == name)
    assert alert is not None and alert["severity"] == "LOW" and alert["description"] == "Something was deleted in IAM"
    # Root's deletes do not match (the pattern asks for an IAM user); creates never do.
    other = unique("kept")
    client(alerting, "iam").create_user(UserName=other)
    client(alerting, "iam").delete_user(UserName=other)
    assert hook.wait_for(lambda a: a["rule"] == "deletes-in-iam" and other in json.dumps(a["record"]), timeout=2) is None


def signin(server, **fields):
    return requests.post(server.endpoint + "/signin", data=fields, timeout=30)


def test_console_sign_in_without_mfa(alerting, hook, admin):
    iam = as_admin(alerting, admin)
    name, password = unique("console"), "Console-Passw0rd!" + unique("x")[-6:]
    iam.create_user(UserName=name)
    iam.create_login_profile(UserName=name, Password=password)
    assert signin(alerting, account=ACCOUNT_ID, username=name, password=password).status_code == 200
    alert = hook.wait_for(lambda a: a["rule"] == "console-signin-without-mfa" and a["record"]["userIdentity"].get("userName") == name)
    assert alert is not None and alert["record"]["eventName"] == "ConsoleLogin"
    assert alert["record"]["additionalEventData"]["MFAUsed"] == "No"


def test_burst_of_failed_sign_ins(alerting, hook, admin):
    iam = as_admin(alerting, admin)
    name = unique("target")
    iam.create_user(UserName=name)
    iam.create_login_profile(UserName=name, Password="Target-Passw0rd!" + unique("x")[-6:])
    for _ in range(3):
        signin(alerting, account=ACCOUNT_ID, username=name, password="wrong-Passw0rd!")
    assert hook.wait_for(lambda a: a["rule"] == "signin-failure-burst" and name in a["text"] + json.dumps(a["record"]), timeout=2) is None
    signin(alerting, account=ACCOUNT_ID, username=name, password="wrong-Passw0rd!")
    alert = hook.wait_for(lambda a: a["rule"] == "signin-failure-burst" and a["record"]["userIdentity"].get("userName") == name)
    assert alert is not None and alert["severity"] == "HIGH"
    # What was typed is never in an alert.
    assert "wrong-Passw0rd!" not in json.dumps(hook.drain())


def test_root_access_key_password_policy_and_admin_policy(alerting, hook, admin):
    root = client(alerting, "iam")
    key = root.create_access_key()["AccessKey"]
    alert = hook.wait_for(lambda a: a["rule"] == "root-access-key-created")
    assert alert is not None and alert["severity"] == "CRITICAL"
    assert key["SecretAccessKey"] not in json.dumps(alert)
    root.delete_access_key(AccessKeyId=key["AccessKeyId"])

    iam = as_admin(alerting, admin)
    iam.update_account_password_policy(MinimumPasswordLength=12)
    assert hook.wait_for(lambda a: a["rule"] == "password-policy-changed" and a["record"]["userIdentity"]["type"] == "IAMUser") is not None

    name = unique("power")
    iam.create_user(UserName=name)
    iam.attach_user_policy(UserName=name, PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    assert hook.wait_for(lambda a: a["rule"] == "admin-policy-changed" and name in json.dumps(a["record"]), timeout=2) is None
    iam.attach_user_policy(UserName=name, PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    assert hook.wait_for(lambda a: a["rule"] == "admin-policy-changed" and name in json.dumps(a["record"])) is not None
    doc = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
    arn = iam.create_policy(PolicyName=unique("everything"), PolicyDocument=doc)["Policy"]["Arn"]
    other = unique("power2")
    iam.create_user(UserName=other)
    iam.attach_user_policy(UserName=other, PolicyArn=arn)
    assert hook.wait_for(lambda a: a["rule"] == "admin-policy-changed" and other in json.dumps(a["record"])) is not None


def test_a_root_flood_is_held_back_and_the_webhook_url_alone_is_enough(tmp_path):
    hook = Hook()
    srv = Server(str(tmp_path / "data"), env={"WARDEN_ALERT_WEBHOOK_URL": hook.url}).start()
    try:
        iam = client(srv, "iam")
        for _ in range(40):
            iam.list_users()
        time.sleep(3)
        flood = [a for a in hook.drain() if a["rule"] == "root-activity"]
        assert 0 < len(flood) <= 21, len(flood)
        time.sleep(3.5)   # the bucket earns a token back
        iam.get_user()
        later = hook.wait_for(lambda a: a["record"]["eventName"] == "GetUser")
        assert later is not None and "held back" in later["text"]
    finally:
        srv.stop()
        hook.httpd.shutdown()


def start(env, tmp_path):
    srv = Server(str(tmp_path / "data"), env=env)
    return subprocess.run([warden_binary(), "serve", "--port", str(srv.port), "--data-dir", srv.data_dir],
                          env={**{k: v for k, v in os.environ.items() if not k.startswith("WARDEN_")}, **srv.env},
                          capture_output=True, text=True, timeout=30)


@pytest.mark.parametrize("config,message", [
    ("{", "is not JSON"),
    ('{"sinks": {"x": {"type": "email"}}}', "type"),
    ('{"rules": [{"name": "mine"}]}', "has no pattern"),
    ('{"rules": [{"name": "mine", "pattern": {"eventName": "CreateUser"}}]}', "mine"),
    ('{"rules": [{"name": "root-activity", "sinks": ["nowhere"]}]}', "nowhere"),
    ('{"colour": "red"}', "colour"),
])
def test_a_bad_configuration_stops_the_start(tmp_path, config, message):
    path = tmp_path / "alerts.json"
    path.write_text(config)
    p = start({"WARDEN_ALERTS_CONFIG": str(path)}, tmp_path)
    assert p.returncode != 0 and message in p.stdout + p.stderr


def test_a_bad_webhook_url_stops_the_start(tmp_path):
    p = start({"WARDEN_ALERT_WEBHOOK_URL": "ftp://example.com/x"}, tmp_path)
    assert p.returncode != 0 and "WARDEN_ALERT_WEBHOOK_URL" in p.stdout + p.stderr


def test_a_trust_policy_that_lets_outsiders_in(alerting, hook, admin):
    iam = as_admin(alerting, admin)

    def trust(principal):
        return json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}]})

    inside = unique("inside")
    iam.create_role(RoleName=inside, AssumeRolePolicyDocument=trust({"AWS": f"arn:aws:iam::{ACCOUNT_ID}:root"}))
    service = unique("service")
    iam.create_role(RoleName=service, AssumeRolePolicyDocument=trust({"Service": "lambda.amazonaws.com"}))
    assert hook.wait_for(lambda a: a["rule"] == "external-access" and (inside in json.dumps(a["record"]) or service in json.dumps(a["record"])),
                         timeout=2) is None
    # Another account, on creation and on a later change of the trust policy.
    outsider = unique("outsider")
    iam.create_role(RoleName=outsider, AssumeRolePolicyDocument=trust({"AWS": "999999999999"}))
    alert = hook.wait_for(lambda a: a["rule"] == "external-access" and a["record"]["requestParameters"].get("roleName") == outsider)
    assert alert is not None and alert["severity"] == "HIGH" and alert["record"]["eventName"] == "CreateRole"
    iam.update_assume_role_policy(RoleName=inside, PolicyDocument=trust({"AWS": "*"}))
    alert = hook.wait_for(lambda a: a["rule"] == "external-access" and a["record"]["eventName"] == "UpdateAssumeRolePolicy"
                          and a["record"]["requestParameters"].get("roleName") == inside)
    assert alert is not None
