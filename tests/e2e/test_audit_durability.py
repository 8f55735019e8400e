"""The audit trail's durability and a few protocol edges, against real servers.

A call that changed state has its record written in the same transaction as the change, so a SIGKILL right
after the acknowledgement loses neither. Read-only calls are batched (every 100 ms), so a graceful stop keeps
them all.
"""
import json
import signal
import subprocess

import pytest
import requests
from botocore.exceptions import ClientError

from conftest import ACCOUNT_ID, Server, client, make_user, unique, warden_binary


def lookup(ct, **kw):
    out, token = [], None
    while True:
        r = ct.lookup_events(**dict(kw, **({"NextToken": token} if token else {})))
        out += [json.loads(e["CloudTrailEvent"]) for e in r["Events"]]
        token = r.get("NextToken")
        if not token:
            return out


def test_records_of_acknowledged_changes_survive_sigkill(fresh_dir):
    srv = Server(fresh_dir).start()
    try:
        iam = client(srv, "iam")
        names = [unique("durable") for _ in range(20)]
        for n in names:
            iam.create_user(UserName=n)
        srv.proc.send_signal(signal.SIGKILL)  # no drain, no flush: only what the transactions stored
        srv.proc.wait()
        srv.start()
        ct = client(srv, "cloudtrail")
        recorded = {r["requestParameters"]["userName"] for r in
                    lookup(ct, LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "CreateUser"}])}
        assert set(names) <= recorded
        assert {u["UserName"] for u in iam.list_users()["Users"]} >= set(names)
    finally:
        srv.stop()


def test_a_graceful_stop_keeps_every_read(fresh_dir):
    srv = Server(fresh_dir).start()
    try:
        iam = client(srv, "iam")
        for _ in range(15):
            iam.get_account_summary()
        srv.stop()
        srv.start()
        ct = client(srv, "cloudtrail")
        found = lookup(ct, LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "GetAccountSummary"}])
        assert len(found) == 15
        assert all(r["readOnly"] is True and r["responseElements"] is None for r in found)
    finally:
        srv.stop()


def test_lookup_attributes_and_errors(server, iam):
    ct = client(server, "cloudtrail")
    user, key, secret = make_user(iam)
    client(server, "sts", key, secret).get_caller_identity()
    import time
    deadline = time.time() + 10
    while time.time() < deadline and not lookup(ct, LookupAttributes=[{"AttributeKey": "AccessKeyId", "AttributeValue": key}]):
        time.sleep(0.2)
    by_key = lookup(ct, LookupAttributes=[{"AttributeKey": "AccessKeyId", "AttributeValue": key}])
    assert [r["eventName"] for r in by_key] == ["GetCallerIdentity"]
    event_id = by_key[0]["eventID"]
    assert [r["eventID"] for r in lookup(ct, LookupAttributes=[{"AttributeKey": "EventId", "AttributeValue": event_id}])] == [event_id]
    assert all(r["eventSource"] == "sts.amazonaws.com" for r in
               lookup(ct, LookupAttributes=[{"AttributeKey": "EventSource", "AttributeValue": "sts.amazonaws.com"}]))
    created = lookup(ct, LookupAttributes=[{"AttributeKey": "ResourceName", "AttributeValue": f"arn:aws:iam::{ACCOUNT_ID}:user/{user}"}])
    assert "CreateUser" in {r["eventName"] for r in created}
    assert all(r["readOnly"] is False for r in lookup(ct, LookupAttributes=[{"AttributeKey": "ReadOnly", "AttributeValue": "false"}]))
    with pytest.raises(ClientError) as e:
        ct.lookup_events(NextToken="not-a-token")
    assert e.value.response["Error"]["Code"] == "InvalidNextTokenException"
    with pytest.raises(ClientError) as e:
        ct.lookup_events(MaxResults=51)
    assert e.value.response["Error"]["Code"] in ("InvalidMaxResultsException", "ValidationException")  # the model bounds it
    # Without cloudtrail permissions: refused in JSON's words, and unknown trails are not revealed.
    other = client(server, "cloudtrail", key, secret)
    for call in (lambda: other.lookup_events(), lambda: other.get_trail_status(Name="no-such-trail")):
        with pytest.raises(ClientError) as e:
            call()
        assert e.value.response["Error"]["Code"] == "AccessDeniedException"
    with pytest.raises(ClientError) as e:
        ct.get_trail(Name="no-such-trail")
    assert e.value.response["Error"]["Code"] == "TrailNotFoundException"


def test_services_not_served_answer_in_their_protocol(server):
    for service, call in [("organizations", lambda c: c.list_accounts()), ("ec2", lambda c: c.describe_regions())]:
        with pytest.raises(ClientError) as e:
            call(client(server, service))
        assert e.value.response["Error"]["Code"] in ("UnknownOperationException", "InvalidAction")


def test_iam_refuses_other_regions_and_wrong_versions(server):
    with pytest.raises(ClientError) as e:
        client(server, "iam", region="eu-west-1").list_users()
    assert e.value.response["Error"]["Code"] == "SignatureDoesNotMatch"
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    from conftest import ROOT_KEY, ROOT_SECRET
    req = AWSRequest(method="POST", url=server.endpoint + "/", data="Action=ListUsers&Version=2099-01-01",
                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    SigV4Auth(Credentials(ROOT_KEY, ROOT_SECRET), "iam", "us-east-1").add_auth(req)
    r = requests.post(server.endpoint + "/", data=req.body, headers=dict(req.headers), timeout=10)
    assert r.status_code == 400 and "<Code>InvalidAction</Code>" in r.text


def test_audit_verify_reports_a_tampered_tree(fresh_dir):
    srv = Server(fresh_dir, env={"WARDEN_AUDIT_DELIVERY_SECONDS": "1", "WARDEN_AUDIT_DIGEST_SECONDS": "2"}).start()
    try:
        iam = client(srv, "iam")
        for _ in range(3):
            iam.create_user(UserName=unique("v"))
        import time, glob, os
        time.sleep(5)
    finally:
        srv.stop()
    ok = subprocess.run([warden_binary(), "audit", "verify", "--data-dir", fresh_dir], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    logs = sorted(glob.glob(os.path.join(fresh_dir, "audit", "AWSLogs", "*", "CloudTrail", "**", "*.json.gz"), recursive=True))
    os.remove(logs[0])
    bad = subprocess.run([warden_binary(), "audit", "verify", "--data-dir", fresh_dir], capture_output=True, text=True)
    assert bad.returncode != 0 and "INVALID" in bad.stdout
