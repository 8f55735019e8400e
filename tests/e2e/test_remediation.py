"""Remediation: off by default; each remediation in dry-run and real mode, made to happen by moving the server's
clock (WARDEN_TESTING_CLOCK_OFFSET_SECONDS, with clients signing at the same shifted time through freezegun);
every change recorded in the trail as a call by warden.amazonaws.com, and listed by ListRemediations."""
import datetime
import json
import time

import pytest
from freezegun import freeze_time

from conftest import Server, client, unique

SHELL = "arn:aws:iam::aws:policy/AWSCloudShellFullAccess"


def config(tmp_path, remediation):
    path = tmp_path / "alerts.json"
    path.write_text(json.dumps({"remediation": remediation}))
    return str(path)


def at(days):
    return freeze_time(datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=days), tick=True)


def shifted(srv, days):
    """Restarts a server with its clock `days` ahead."""
    srv.stop()
    if days:
        srv.env["WARDEN_TESTING_CLOCK_OFFSET_SECONDS"] = str(days * 86400)
    else:
        srv.env.pop("WARDEN_TESTING_CLOCK_OFFSET_SECONDS", None)
    return srv.start()


def by_action(remediations):
    out = {}
    for r in remediations:
        out.setdefault(r["Action"], []).append(r)
    return out


def test_nothing_happens_unless_enabled(server):
    warden = client(server, "warden")
    assert warden.run_remediations()["Remediations"] == []
    assert warden.run_remediations(DryRun=True)["Remediations"] == []


def test_every_remediation_dry_run_then_real(tmp_path):
    cfg = config(tmp_path, {
        "deactivate-unused-keys": {"enabled": True, "days": 90},
        "delete-unused-login-profiles": {"enabled": True, "days": 90},
        "detach-denied-policies": {"enabled": True, "policies": [SHELL]},
        "require-mfa": {"enabled": True},
    })
    srv = Server(str(tmp_path / "data"), env={"WARDEN_ALERTS_CONFIG": cfg}).start()
    try:
        iam = client(srv, "iam")
        idle = unique("idle")
        iam.create_user(UserName=idle)
        idle_key = iam.create_access_key(UserName=idle)["AccessKey"]["AccessKeyId"]
        iam.create_login_profile(UserName=idle, Password="Idle-Passw0rd!x1")
        shell = unique("shell")
        iam.create_user(UserName=shell)
        iam.attach_user_policy(UserName=shell, PolicyArn=SHELL)

        warden = client(srv, "warden")
        dry = by_action(warden.run_remediations(DryRun=True)["Remediations"])
        assert {r["Status"] for rs in dry.values() for r in rs} == {"WOULD_APPLY"}
        assert [r["Resource"] for r in dry["detach-denied-policies"]] == [f"arn:aws:iam::123456789012:user/{shell}"]
        assert idle in dry["require-mfa"][0]["Resource"] and "deactivate-unused-keys" not in dry
        assert iam.list_attached_user_policies(UserName=shell)["AttachedPolicies"][0]["PolicyArn"] == SHELL

        done = by_action(warden.run_remediations()["Remediations"])
        assert done["detach-denied-policies"][0]["Status"] == "APPLIED" and done["detach-denied-policies"][0]["CheckId"] == "cloudshell-full-access"
        assert iam.list_attached_user_policies(UserName=shell)["AttachedPolicies"] == []
        assert done["require-mfa"][0]["Status"] == "APPLIED"
        attached = [p["PolicyName"] for p in iam.list_attached_user_policies(UserName=idle)["AttachedPolicies"]]
        assert attached == ["WardenRequireMFA"]
        assert warden.run_remediations()["Remediations"] == []   # nothing left to do

        srv = shifted(srv, 100)
        with at(100):
            iam, warden, ct = client(srv, "iam"), client(srv, "warden"), client(srv, "cloudtrail")
            dry = by_action(warden.run_remediations(DryRun=True)["Remediations"])
            assert dry["deactivate-unused-keys"][0]["Status"] == "WOULD_APPLY" and idle_key in dry["deactivate-unused-keys"][0]["Resource"]
            assert dry["delete-unused-login-profiles"][0]["Status"] == "WOULD_APPLY"
            assert iam.list_access_keys(UserName=idle)["AccessKeyMetadata"][0]["Status"] == "Active"
            iam.get_login_profile(UserName=idle)

            done = by_action(warden.run_remediations()["Remediations"])
            assert done["deactivate-unused-keys"][0]["Status"] == "APPLIED"
            assert done["deactivate-unused-keys"][0]["CheckId"] == "access-key-unused"
            assert iam.list_access_keys(UserName=idle)["AccessKeyMetadata"][0]["Status"] == "Inactive"
            with pytest.raises(iam.exceptions.NoSuchEntityException):
                iam.get_login_profile(UserName=idle)

            listed = warden.list_remediations()["Remediations"]
            assert {r["Action"] for r in listed if r["Status"] == "APPLIED"} >= {"deactivate-unused-keys", "delete-unused-login-profiles",
                                                                                "detach-denied-policies", "require-mfa"}
            deadline = time.time() + 10
            while time.time() < deadline:
                events = ct.lookup_events(LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "UpdateAccessKey"}])["Events"]
                records = [json.loads(e["CloudTrailEvent"]) for e in events]
                mine = [r for r in records if r["requestParameters"].get("accessKeyId") == idle_key]
                if mine:
                    break
                time.sleep(0.3)
            [r] = mine
            assert r["userIdentity"] == {"type": "AWSService", "invokedBy": "warden.amazonaws.com"}
            assert r["requestParameters"]["status"] == "Inactive" and r["additionalEventData"]["remediation"] == "deactivate-unused-keys"
    finally:
        srv.stop()


def test_old_keys_are_deactivated_after_notice(tmp_path):
    cfg = config(tmp_path, {"deactivate-old-keys": {"enabled": True, "days": 90, "noticeDays": 7}})
    srv = Server(str(tmp_path / "data"), env={"WARDEN_ALERTS_CONFIG": cfg}).start()
    try:
        iam = client(srv, "iam")
        name = unique("old")
        iam.create_user(UserName=name)
        key = iam.create_access_key(UserName=name)["AccessKey"]["AccessKeyId"]
        assert client(srv, "warden").run_remediations()["Remediations"] == []

        srv = shifted(srv, 95)
        with at(95):
            warden = client(srv, "warden")
            [notice] = warden.run_remediations()["Remediations"]
            assert notice["Status"] == "NOTIFIED" and "rotate it within 7 days" in notice["Reason"]
            assert warden.run_remediations()["Remediations"] == []    # one notice only
            assert client(srv, "iam").list_access_keys(UserName=name)["AccessKeyMetadata"][0]["Status"] == "Active"

        srv = shifted(srv, 103)
        with at(103):
            warden = client(srv, "warden")
            [dry] = warden.run_remediations(DryRun=True)["Remediations"]
            assert dry["Status"] == "WOULD_APPLY"
            [done] = warden.run_remediations()["Remediations"]
            assert done["Status"] == "APPLIED" and done["CheckId"] == "access-key-rotation" and key in done["Resource"]
            assert client(srv, "iam").list_access_keys(UserName=name)["AccessKeyMetadata"][0]["Status"] == "Inactive"
    finally:
        srv.stop()


def test_the_schedule_applies_without_being_asked(tmp_path):
    cfg = config(tmp_path, {"intervalSeconds": 1, "detach-denied-policies": {"enabled": True, "policies": [SHELL]}})
    srv = Server(str(tmp_path / "data"), env={"WARDEN_ALERTS_CONFIG": cfg}).start()
    try:
        iam = client(srv, "iam")
        name = unique("sched")
        iam.create_user(UserName=name)
        iam.attach_user_policy(UserName=name, PolicyArn=SHELL)
        deadline = time.time() + 10
        while time.time() < deadline and iam.list_attached_user_policies(UserName=name)["AttachedPolicies"]:
            time.sleep(0.3)
        assert iam.list_attached_user_policies(UserName=name)["AttachedPolicies"] == []
        assert "remediation enabled: detach-denied-policies" in srv.log()
    finally:
        srv.stop()


@pytest.mark.parametrize("remediation,message", [
    ({"erase-everything": {"enabled": True}}, "unknown remediation"),
    ({"detach-denied-policies": {"enabled": True}}, "needs the policies"),
    ({"deactivate-unused-keys": {"enabled": True, "days": 0}}, "days must be"),
])
def test_bad_remediation_settings_stop_the_start(tmp_path, remediation, message):
    import os
    import subprocess
    from conftest import warden_binary
    p = subprocess.run([warden_binary(), "serve", "--port", "0", "--data-dir", str(tmp_path / "data"), "--alerts-config", config(tmp_path, remediation)],
                       env={k: v for k, v in os.environ.items() if not k.startswith("WARDEN_")}, capture_output=True, text=True, timeout=30)
    assert p.returncode != 0 and message in p.stdout + p.stderr
