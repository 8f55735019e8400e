"""`warden policy simulate` and `warden policy validate`: the offline policy engine, driven as a user would, with
each accepted input shape (one object, an array, JSON Lines) and the exit statuses."""

import json
import subprocess

from conftest import warden_binary

ALICE = "arn:aws:iam::123456789012:user/alice"


def case(action, identity, resource="arn:aws:s3:::bucket/key", context=None, **extra):
    c = {"request": {"action": action, "resource": {"resource": resource, "accountId": "123456789012"},
                     "principal": ALICE, "context": context or {}},
         "identityPolicies": identity}
    c.update(extra)
    return c


def policy(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


ALLOW_S3_FROM_10 = policy({"Effect": "Allow", "Action": "s3:*", "Resource": "*",
                           "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}})


def simulate(text):
    r = subprocess.run([warden_binary(), "policy", "simulate"], input=text, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return [json.loads(line) for line in r.stdout.splitlines() if line.strip()]


def test_one_object_an_array_and_json_lines_give_the_same_answers():
    allowed = case("s3:GetObject", [ALLOW_S3_FROM_10], context={"aws:SourceIp": "10.1.2.3"})
    denied = case("s3:GetObject", [ALLOW_S3_FROM_10], context={"aws:SourceIp": "192.0.2.1"})
    one = simulate(json.dumps(allowed))
    assert [r["decision"] for r in one] == ["Allowed"]
    assert one[0]["matchedStatements"][0]["effect"] == "Allow"
    array = simulate(json.dumps([allowed, denied]))
    lines = simulate(json.dumps(allowed) + "\n" + json.dumps(denied) + "\n")
    assert [r["decision"] for r in array] == [r["decision"] for r in lines] == ["Allowed", "ImplicitlyDenied"]
    assert "no identity-based policy allows" in array[1]["explanation"]


def test_explicit_deny_boundary_session_and_control_policies():
    admin = policy({"Effect": "Allow", "Action": "*", "Resource": "*"})
    deny_delete = policy({"Effect": "Deny", "Action": "s3:Delete*", "Resource": "*"})
    only_get = policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})
    # Resource control policies name their principals.
    rcp_all = policy({"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"})
    rcp_deny_delete = policy({"Effect": "Deny", "Principal": "*", "Action": "s3:Delete*", "Resource": "*"})
    results = simulate("\n".join(json.dumps(c) for c in [
        case("s3:DeleteObject", [admin, deny_delete]),
        case("s3:PutObject", [admin], permissionBoundaries=[only_get]),
        case("s3:PutObject", [admin], sessionPolicy=only_get),
        case("s3:PutObject", [admin], serviceControlPolicies=[
            {"orgIdentifier": "r-root", "policies": [admin]}, {"orgIdentifier": "ou-1", "policies": [only_get]}]),
        case("s3:GetObject", [admin], serviceControlPolicies=[
            {"orgIdentifier": "r-root", "policies": [admin]}, {"orgIdentifier": "ou-1", "policies": [only_get]}]),
        case("s3:GetObject", [admin], resourceControlPolicies=[{"orgIdentifier": "r-root", "policies": [rcp_deny_delete, rcp_all]}]),
        case("s3:DeleteObject", [admin], resourceControlPolicies=[{"orgIdentifier": "r-root", "policies": [rcp_deny_delete, rcp_all]}]),
    ]))
    assert [r["decision"] for r in results] == [
        "ExplicitlyDenied", "ImplicitlyDenied", "ImplicitlyDenied", "ImplicitlyDenied", "Allowed", "Allowed", "ExplicitlyDenied"]
    assert "explicit deny" in results[0]["explanation"]
    # A document that is not valid for its kind is reported, not guessed at.
    wrong = simulate(json.dumps(case("s3:GetObject", [admin], resourceControlPolicies=[{"orgIdentifier": "r-root", "policies": [admin]}])))
    assert wrong[0]["decision"] == "Error"


def test_cross_account_resource_policy_needs_both_sides():
    bucket_policy = policy({"Effect": "Allow", "Principal": {"AWS": ALICE}, "Action": "s3:GetObject", "Resource": "*"})
    other = {"request": {"action": "s3:GetObject", "resource": {"resource": "arn:aws:s3:::theirs/key", "accountId": "210987654321"},
                         "principal": ALICE, "context": {}},
             "identityPolicies": [], "resourcePolicy": bucket_policy}
    both = dict(other, identityPolicies=[policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})])
    assert [r["decision"] for r in simulate(json.dumps([other, both]))] == ["ImplicitlyDenied", "Allowed"]


def test_validate_reports_grammar_errors_with_their_location(tmp_path):
    good = tmp_path / "good.json"
    # A public range: Access Analyzer's checks report a private one (10.0.0.0/8) as PRIVATE_IP_ADDRESS, an ERROR.
    good.write_text(json.dumps(ALLOW_S3_FROM_10).replace("10.0.0.0/8", "203.0.113.0/24"))
    r = subprocess.run([warden_binary(), "policy", "validate", str(good)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "valid" in r.stdout, r.stdout
    bad = tmp_path / "bad.json"
    bad.write_text('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*"}]}')
    r = subprocess.run([warden_binary(), "policy", "validate", str(bad)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1
    assert "Policy statement must contain resources." in r.stdout + r.stderr
    assert f"{bad}:1:" in r.stdout + r.stderr
    # A trust policy must name a principal.
    r = subprocess.run([warden_binary(), "policy", "validate", "--kind", "trust", str(good)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1
