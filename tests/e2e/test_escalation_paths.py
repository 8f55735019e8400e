"""Privilege-escalation paths served by Warden's own API (`warden:ListEscalationPaths`) and found offline by
`warden analyze escalation` on a GetAccountAuthorizationDetails document: the same analysis, decided by the
policy engine."""
import json
import subprocess

import pytest
from botocore.exceptions import ClientError

from conftest import ACCOUNT_ID, aws_cli, allow, client, code, make_user, unique, warden_binary


def test_a_user_who_can_rewrite_its_own_policy_escalates(server, iam):
    policy = allow(["iam:CreatePolicyVersion"], f"arn:aws:iam::{ACCOUNT_ID}:policy/self-*")
    name = unique("self-editor")
    arn = iam.create_policy(PolicyName=f"self-{name}", PolicyDocument=json.dumps(policy))["Policy"]["Arn"]
    iam.create_user(UserName=name)
    iam.attach_user_policy(UserName=name, PolicyArn=arn)
    harmless = unique("reader")
    iam.create_user(UserName=harmless)
    iam.put_user_policy(UserName=harmless, PolicyName="read", PolicyDocument=json.dumps(allow(["iam:Get*", "iam:List*"])))
    w = client(server, "warden")
    user_arn = iam.get_user(UserName=name)["User"]["Arn"]
    paths = w.list_escalation_paths(PrincipalArn=user_arn)["Paths"]
    assert len(paths) == 1
    step = paths[0]["Steps"][0]
    assert paths[0]["Target"] == "administrator" and step["Method"] == "create-policy-version"
    assert step["Grants"][0]["Policy"] == arn and step["Grants"][0]["StatementIndex"] == 0 and step["Fix"]
    reader_arn = iam.get_user(UserName=harmless)["User"]["Arn"]
    assert w.list_escalation_paths(PrincipalArn=reader_arn)["Paths"] == []
    # The offline command finds the same path in the account's authorization details.
    out = aws_cli(server, "iam", "get-account-authorization-details")
    assert out.returncode == 0, out.stderr
    r = subprocess.run([warden_binary(), "analyze", "escalation", "--json", "-"], input=out.stdout, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 1, r.stderr
    offline = json.loads(r.stdout)
    found = offline["paths"] if isinstance(offline, dict) else offline
    assert any(p["principal"] == user_arn and p["steps"][0]["method"] == "create-policy-version" for p in found)


def test_listing_escalation_paths_is_authorized(server, iam):
    _, key, secret = make_user(iam)
    with pytest.raises(ClientError) as e:
        client(server, "warden", key=key, secret=secret).list_escalation_paths()
    assert code(e) == "AccessDeniedException"
