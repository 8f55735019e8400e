"""STS sessions with AWS's semantics, through boto3: ExternalId, MFA, session policies and tags, SourceIdentity,
role chaining, the caller identity of every kind of principal, GetSessionToken, GetFederationToken,
GetAccessKeyInfo, revoking older sessions with aws:TokenIssueTime, and RoleLastUsed."""

import json
import secrets
import time
from datetime import timedelta

import pytest
from botocore.exceptions import ClientError

from conftest import ACCOUNT_ID, ROOT_KEY, allow, client, code, make_user, unique
from sts_helpers import creds_client, enable_device, make_role, now_utc, seconds_left, trust, user_arn, wrong_code

ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"


def denied(call, **kw):
    with pytest.raises(ClientError) as e:
        call(**kw)
    assert code(e) == "AccessDenied", e.value.response["Error"]
    return e.value.response["Error"]["Message"]


def statements(*sts):
    return {"Version": "2012-10-17", "Statement": list(sts)}


def stmt(actions, resources="*", condition=None, effect="Allow"):
    s = {"Effect": effect, "Action": actions, "Resource": resources}
    if condition:
        s["Condition"] = condition
    return s


# --- ExternalId ---------------------------------------------------------------------------------------------------

def test_external_id_right_wrong_and_missing(server, iam):
    user, key, secret = make_user(iam)
    _, arn = make_role(iam, trust(user_arn(user), {"StringEquals": {"sts:ExternalId": "Unicorn-1234"}}))
    sts = client(server, "sts", key, secret)
    denied(sts.assume_role, RoleArn=arn, RoleSessionName="missing")
    denied(sts.assume_role, RoleArn=arn, RoleSessionName="wrong", ExternalId="Unicorn-9999")
    denied(sts.assume_role, RoleArn=arn, RoleSessionName="case", ExternalId="unicorn-1234")  # StringEquals is exact
    r = sts.assume_role(RoleArn=arn, RoleSessionName="right", ExternalId="Unicorn-1234")
    assert r["AssumedRoleUser"]["Arn"].endswith("/right")
    # A role whose trust policy does not look at sts:ExternalId ignores one that is passed.
    _, plain = make_role(iam, trust(user_arn(user)))
    sts.assume_role(RoleArn=plain, RoleSessionName="extra", ExternalId="whatever-123")


# --- MFA ----------------------------------------------------------------------------------------------------------

def test_assume_role_with_mfa_required_by_the_trust_policy(server, iam):
    user, key, secret = make_user(iam)
    device = enable_device(iam, user)
    mfa = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
    _, arn = make_role(iam, trust(user_arn(user), mfa), policy=allow("iam:ListRoles", condition=mfa))
    sts = client(server, "sts", key, secret)
    denied(sts.assume_role, RoleArn=arn, RoleSessionName="nomfa")
    denied(sts.assume_role, RoleArn=arn, RoleSessionName="badcode", SerialNumber=device.serial, TokenCode=wrong_code(device))
    good = device.next_code()
    c = sts.assume_role(RoleArn=arn, RoleSessionName="mfa", SerialNumber=device.serial, TokenCode=good)["Credentials"]
    # The role session carries aws:MultiFactorAuthPresent, so the role's MFA-only permission works.
    creds_client(server, "iam", c).list_roles()
    # The same code is not accepted a second time.
    denied(sts.assume_role, RoleArn=arn, RoleSessionName="again", SerialNumber=device.serial, TokenCode=good)
    # Another user's device does not count for this user.
    other, _, _ = make_user(iam)
    theirs = enable_device(iam, other)
    denied(sts.assume_role, RoleArn=arn, RoleSessionName="foreign", SerialNumber=theirs.serial, TokenCode=theirs.next_code())


def test_identity_policy_requiring_mfa_to_assume_a_role(server, iam):
    mfa = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
    _, arn = make_role(iam, trust(f"arn:aws:iam::{ACCOUNT_ID}:root"), policy=allow("iam:ListRoles"))
    user, key, secret = make_user(iam, policy=allow("sts:AssumeRole", arn, condition=mfa))
    device = enable_device(iam, user)
    sts = client(server, "sts", key, secret)
    denied(sts.assume_role, RoleArn=arn, RoleSessionName="nomfa")
    sts.assume_role(RoleArn=arn, RoleSessionName="mfa", SerialNumber=device.serial, TokenCode=device.next_code())
    # Credentials from GetSessionToken with MFA carry MFA into AssumeRole without a second code.
    st = sts.get_session_token(SerialNumber=device.serial, TokenCode=device.next_code(), DurationSeconds=900)["Credentials"]
    creds_client(server, "sts", st).assume_role(RoleArn=arn, RoleSessionName="via-session")


# --- session policies and PackedPolicySize -------------------------------------------------------------------------

def test_session_policy_arns_and_policy_narrow_the_role(server, iam):
    user, key, secret = make_user(iam)
    _, arn = make_role(iam, trust(user_arn(user)), policy=allow(["iam:ListRoles", "iam:ListUsers", "iam:ListGroups"]))
    roles_only = iam.create_policy(PolicyName=unique("sp"), PolicyDocument=json.dumps(allow("iam:ListRoles")))["Policy"]["Arn"]
    sts = client(server, "sts", key, secret)

    r = sts.assume_role(RoleArn=arn, RoleSessionName="arns", PolicyArns=[{"arn": roles_only}])
    assert 0 < r["PackedPolicySize"] <= 100
    s = creds_client(server, "iam", r["Credentials"])
    s.list_roles()
    denied(s.list_users)

    # Policy and PolicyArns together: the session may do what either allows, within the role's permissions.
    r = sts.assume_role(RoleArn=arn, RoleSessionName="both", PolicyArns=[{"arn": roles_only}],
                        Policy=json.dumps(allow("iam:ListUsers")))
    s = creds_client(server, "iam", r["Credentials"])
    s.list_roles()
    s.list_users()
    denied(s.list_groups)

    # A session policy never grants more than the role has; its explicit deny wins.
    r = sts.assume_role(RoleArn=arn, RoleSessionName="wide", Policy=json.dumps(statements(
        stmt("iam:*"), stmt("iam:ListGroups", effect="Deny"))))
    s = creds_client(server, "iam", r["Credentials"])
    s.list_roles()
    denied(s.list_groups)
    denied(s.list_policies)

    # An AWS managed policy works as a session policy too (IAMReadOnlyAccess allows List*), still within the role.
    r = sts.assume_role(RoleArn=arn, RoleSessionName="managed", PolicyArns=[{"arn": "arn:aws:iam::aws:policy/IAMReadOnlyAccess"}])
    s = creds_client(server, "iam", r["Credentials"])
    s.list_groups()
    denied(s.list_policies)


def test_packed_policy_size_and_its_limits(server, iam):
    user, key, secret = make_user(iam)
    _, arn = make_role(iam, trust(user_arn(user), actions=("sts:AssumeRole", "sts:TagSession")), policy=allow("iam:ListRoles"))
    sts = client(server, "sts", key, secret)
    small = sts.assume_role(RoleArn=arn, RoleSessionName="small", Policy=json.dumps(allow("iam:ListRoles")))["PackedPolicySize"]
    big_doc = allow("iam:ListRoles", [f"arn:aws:iam::{ACCOUNT_ID}:role/{secrets.token_hex(16)}" for _ in range(20)])
    assert len(json.dumps(big_doc)) < 2048
    big = sts.assume_role(RoleArn=arn, RoleSessionName="big", Policy=json.dumps(big_doc))["PackedPolicySize"]
    assert 0 < small < big <= 100
    tagged = sts.assume_role(RoleArn=arn, RoleSessionName="tagged", Tags=[{"Key": "team", "Value": "blue"}])
    assert 0 < tagged["PackedPolicySize"] <= 100
    # AssumeRole's Policy has no length rule in the current model (unrestrictedSessionPolicyDocumentType): a
    # policy too large for the packed session is refused by the packed-size limit.
    huge = allow("iam:ListRoles", [f"arn:aws:iam::{ACCOUNT_ID}:role/{secrets.token_hex(16)}" for _ in range(60)])
    with pytest.raises(ClientError) as e:
        sts.assume_role(RoleArn=arn, RoleSessionName="huge", Policy=json.dumps(huge))
    assert code(e) == "PackedPolicyTooLarge"


def test_session_tags_count_towards_the_packed_policy_size(server, iam):
    user, key, secret = make_user(iam)
    _, arn = make_role(iam, trust(user_arn(user), actions=("sts:AssumeRole", "sts:TagSession")))
    sts = client(server, "sts", key, secret)
    few = sts.assume_role(RoleArn=arn, RoleSessionName="few", Tags=[{"Key": "k", "Value": secrets.token_hex(8)}])["PackedPolicySize"]
    more = sts.assume_role(RoleArn=arn, RoleSessionName="more", Tags=[
        {"Key": f"k{i}", "Value": secrets.token_hex(32)} for i in range(10)])["PackedPolicySize"]
    assert 0 < few < more <= 100
    # 50 tags of the longest keys and values (about 19 KB of random text) cannot fit.
    tags = [{"Key": f"k{i:02d}" + secrets.token_hex(62), "Value": secrets.token_hex(128)} for i in range(50)]
    with pytest.raises(ClientError) as e:
        sts.assume_role(RoleArn=arn, RoleSessionName="toobig", Tags=tags)
    assert code(e) == "PackedPolicyTooLarge"


# --- session tags, TransitiveTagKeys, SourceIdentity ---------------------------------------------------------------

def test_session_tags_need_tag_session_and_become_principal_tags(server, iam):
    user, key, secret = make_user(iam)
    sts = client(server, "sts", key, secret)
    _, no_tagging = make_role(iam, trust(user_arn(user)))
    denied(sts.assume_role, RoleArn=no_tagging, RoleSessionName="tags", Tags=[{"Key": "team", "Value": "blue"}])

    trust_doc = statements(
        {"Effect": "Allow", "Principal": {"AWS": user_arn(user)}, "Action": "sts:AssumeRole"},
        {"Effect": "Allow", "Principal": {"AWS": user_arn(user)}, "Action": "sts:TagSession",
         "Condition": {"StringEquals": {"aws:RequestTag/team": ["blue", "red"]}}})
    perms = statements(stmt("iam:ListRoles", condition={"StringEquals": {"aws:PrincipalTag/team": "blue"}}),
                       stmt("iam:ListUsers", condition={"StringEquals": {"aws:PrincipalTag/team": "red"}}))
    _, arn = make_role(iam, trust_doc, policy=perms, Tags=[{"Key": "team", "Value": "red"}])
    # The trust policy sees the requested tags as aws:RequestTag.
    denied(sts.assume_role, RoleArn=arn, RoleSessionName="green", Tags=[{"Key": "team", "Value": "green"}])
    r = sts.assume_role(RoleArn=arn, RoleSessionName="blue", Tags=[{"Key": "team", "Value": "blue"}])
    assert r["PackedPolicySize"] > 0
    # A session tag overrides the role's tag of the same key as aws:PrincipalTag.
    s = creds_client(server, "iam", r["Credentials"])
    s.list_roles()
    denied(s.list_users)
    # Without session tags, the role's own tags are the principal tags.
    s = creds_client(server, "iam", sts.assume_role(RoleArn=arn, RoleSessionName="untagged")["Credentials"])
    s.list_users()
    denied(s.list_roles)


def test_transitive_tags_are_carried_through_role_chaining(server, iam):
    user, key, secret = make_user(iam)
    first, a = make_role(iam, trust(user_arn(user), actions=("sts:AssumeRole", "sts:TagSession")))
    perms_b = statements(stmt("iam:ListRoles", condition={"StringEquals": {"aws:PrincipalTag/project": "apollo"}}),
                         stmt("iam:ListUsers", condition={"StringEquals": {"aws:PrincipalTag/cost": "42"}}))
    _, b = make_role(iam, trust(a, actions=("sts:AssumeRole", "sts:TagSession")), policy=perms_b)
    iam.put_role_policy(RoleName=first, PolicyName="chain", PolicyDocument=json.dumps(allow(["sts:AssumeRole", "sts:TagSession"], b)))
    sts = client(server, "sts", key, secret)
    first = sts.assume_role(RoleArn=a, RoleSessionName="first", TransitiveTagKeys=["project"],
                            Tags=[{"Key": "project", "Value": "apollo"}, {"Key": "cost", "Value": "42"}])["Credentials"]
    chained_sts = creds_client(server, "sts", first)
    second = chained_sts.assume_role(RoleArn=b, RoleSessionName="second")["Credentials"]
    s = creds_client(server, "iam", second)
    s.list_roles()       # project is transitive: still a principal tag after chaining
    denied(s.list_users)  # cost is not
    # A transitive tag cannot be overridden further down the chain.
    with pytest.raises(ClientError):
        chained_sts.assume_role(RoleArn=b, RoleSessionName="override", Tags=[{"Key": "project", "Value": "gemini"}])


def test_source_identity_is_set_once_and_persists(server, iam):
    user, key, secret = make_user(iam)
    sts = client(server, "sts", key, secret)
    _, no_set = make_role(iam, trust(user_arn(user)))
    denied(sts.assume_role, RoleArn=no_set, RoleSessionName="srcid", SourceIdentity="alice")

    who = {"StringEquals": {"aws:SourceIdentity": "alice"}}
    first, a = make_role(iam, trust(user_arn(user), {"StringLike": {"sts:SourceIdentity": "a*"}},
                                    actions=("sts:AssumeRole", "sts:SetSourceIdentity")))
    _, b = make_role(iam, trust(a, actions=("sts:AssumeRole", "sts:SetSourceIdentity")), policy=allow("iam:ListUsers", condition=who))
    iam.put_role_policy(RoleName=first, PolicyName="perms", PolicyDocument=json.dumps(statements(
        stmt("iam:ListRoles", condition=who), stmt(["sts:AssumeRole", "sts:SetSourceIdentity"], b))))
    denied(sts.assume_role, RoleArn=a, RoleSessionName="bob", SourceIdentity="bob")  # sts:SourceIdentity in the trust policy
    r = sts.assume_role(RoleArn=a, RoleSessionName="alice-session", SourceIdentity="alice")
    assert r["SourceIdentity"] == "alice"
    creds_client(server, "iam", r["Credentials"]).list_roles()
    chained_sts = creds_client(server, "sts", r["Credentials"])
    second = chained_sts.assume_role(RoleArn=b, RoleSessionName="second")["Credentials"]
    creds_client(server, "iam", second).list_users()  # aws:SourceIdentity persists through role chaining
    with pytest.raises(ClientError):
        chained_sts.assume_role(RoleArn=b, RoleSessionName="change", SourceIdentity="mallory")


# --- role chaining ------------------------------------------------------------------------------------------------

def test_role_chaining_is_capped_at_one_hour(server, iam):
    user, key, secret = make_user(iam)
    first, a = make_role(iam, trust(user_arn(user)))
    _, b = make_role(iam, trust([a, user_arn(user)]), MaxSessionDuration=7200)
    iam.put_role_policy(RoleName=first, PolicyName="chain", PolicyDocument=json.dumps(allow("sts:AssumeRole", b)))
    sts = client(server, "sts", key, secret)
    direct = sts.assume_role(RoleArn=b, RoleSessionName="direct", DurationSeconds=7200)["Credentials"]
    assert 7200 - 120 < seconds_left(direct) <= 7200 + 5
    with pytest.raises(ClientError) as e:
        sts.assume_role(RoleArn=b, RoleSessionName="direct", DurationSeconds=7201)
    assert code(e) == "ValidationError"
    chained_sts = creds_client(server, "sts", sts.assume_role(RoleArn=a, RoleSessionName="first")["Credentials"])
    with pytest.raises(ClientError) as e:
        chained_sts.assume_role(RoleArn=b, RoleSessionName="chained", DurationSeconds=3601)
    assert code(e) == "ValidationError"
    assert "1 hour" in e.value.response["Error"]["Message"]
    c = chained_sts.assume_role(RoleArn=b, RoleSessionName="chained", DurationSeconds=3600)["Credentials"]
    assert seconds_left(c) <= 3600 + 5
    ident = creds_client(server, "sts", c).get_caller_identity()
    assert ident["Arn"] == f"arn:aws:sts::{ACCOUNT_ID}:assumed-role/{b.split('/')[-1]}/chained"


# --- GetCallerIdentity --------------------------------------------------------------------------------------------

def user_arn_with_path(name, path):
    return f"arn:aws:iam::{ACCOUNT_ID}:user{path}{name}"


def test_get_caller_identity_of_root_user_and_role_session(server, iam, sts):
    root = sts.get_caller_identity()
    assert (root["Account"], root["Arn"], root["UserId"]) == (ACCOUNT_ID, f"arn:aws:iam::{ACCOUNT_ID}:root", ACCOUNT_ID)

    # No permission is needed, and an explicit deny does not stop it.
    _, dkey, dsecret = make_user(iam, policy=allow("*", effect="Deny"))
    assert client(server, "sts", dkey, dsecret).get_caller_identity()["Arn"].startswith(f"arn:aws:iam::{ACCOUNT_ID}:user/")

    user, key, secret = make_user(iam, path="/dev/")
    me = client(server, "sts", key, secret).get_caller_identity()
    got = iam.get_user(UserName=user)["User"]
    assert me["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:user/dev/{user}" == got["Arn"]
    assert me["UserId"] == got["UserId"] and me["UserId"].startswith("AIDA")
    assert me["Account"] == ACCOUNT_ID

    role, _ = make_role(iam, trust(user_arn_with_path(user, "/dev/")), Path="/svc/")
    role_id = iam.get_role(RoleName=role)["Role"]["RoleId"]
    assert role_id.startswith("AROA")
    r = client(server, "sts", key, secret).assume_role(RoleArn=f"arn:aws:iam::{ACCOUNT_ID}:role/svc/{role}", RoleSessionName="who-am-i")
    c = r["Credentials"]
    assert c["AccessKeyId"].startswith("ASIA") and len(c["SecretAccessKey"]) == 40
    assert 3600 - 120 < seconds_left(c) <= 3600 + 5  # the default duration is one hour
    # The assumed-role ARN has no role path.
    expected = f"arn:aws:sts::{ACCOUNT_ID}:assumed-role/{role}/who-am-i"
    assert r["AssumedRoleUser"] == {"AssumedRoleId": f"{role_id}:who-am-i", "Arn": expected}
    ident = creds_client(server, "sts", c).get_caller_identity()
    assert (ident["Account"], ident["Arn"], ident["UserId"]) == (ACCOUNT_ID, expected, f"{role_id}:who-am-i")



# --- GetSessionToken ----------------------------------------------------------------------------------------------

def test_get_session_token_without_mfa(server, iam):
    user, key, secret = make_user(iam)
    iam.attach_user_policy(UserName=user, PolicyArn=ADMIN)
    sts = client(server, "sts", key, secret)
    c = sts.get_session_token()["Credentials"]
    assert c["AccessKeyId"].startswith("ASIA") and len(c["SecretAccessKey"]) == 40 and c["SessionToken"]
    assert 43200 - 120 < seconds_left(c) <= 43200 + 5  # 12 hours by default
    session_sts = creds_client(server, "sts", c)
    assert session_sts.get_caller_identity()["Arn"] == user_arn(user)
    # Without MFA, such credentials cannot call the IAM API, whatever the user's policies say ...
    denied(creds_client(server, "iam", c).list_users)
    # ... nor get another session token, but they can assume a role.
    denied(session_sts.get_session_token)
    _, arn = make_role(iam, trust(user_arn(user)))
    session_sts.assume_role(RoleArn=arn, RoleSessionName="from-session-token")
    # Durations from 15 minutes to 36 hours.
    assert 900 - 120 < seconds_left(sts.get_session_token(DurationSeconds=900)["Credentials"]) <= 905
    assert 129600 - 120 < seconds_left(sts.get_session_token(DurationSeconds=129600)["Credentials"]) <= 129605
    raw = client(server, "sts", key, secret, validate=False)
    for seconds in (899, 129601):
        with pytest.raises(ClientError) as e:
            raw.get_session_token(DurationSeconds=seconds)
        assert code(e) == "ValidationError"


def test_get_session_token_with_mfa(server, iam):
    mfa = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
    policy = statements(
        stmt(["iam:ListUsers", "iam:ListRoles"]),
        # AWS's "force MFA" pattern: deny everything but these when no MFA was used.
        stmt("iam:ListRoles", condition={"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}, effect="Deny"),
        stmt("iam:ListGroups", condition={"Bool": {"aws:MultiFactorAuthPresent": "true"},
                                          "NumericLessThan": {"aws:MultiFactorAuthAge": "300"}}))
    user, key, secret = make_user(iam, policy=policy)
    device = enable_device(iam, user)
    sts = client(server, "sts", key, secret)
    long_term = client(server, "iam", key, secret)
    long_term.list_users()
    denied(long_term.list_roles)
    denied(long_term.list_groups)
    denied(sts.get_session_token, SerialNumber=device.serial, TokenCode=wrong_code(device))
    c = sts.get_session_token(SerialNumber=device.serial, TokenCode=device.next_code(), DurationSeconds=3600)["Credentials"]
    s = creds_client(server, "iam", c)
    s.list_users()
    s.list_roles()
    s.list_groups()
    assert creds_client(server, "sts", c).get_caller_identity()["Arn"] == user_arn(user)
    # Another user's device is refused.
    other, _, _ = make_user(iam)
    theirs = enable_device(iam, other)
    denied(sts.get_session_token, SerialNumber=theirs.serial, TokenCode=theirs.next_code())


def test_root_session_tokens_last_at_most_one_hour(server, iam, sts):
    # AWS: "Sessions for AWS account owners are restricted to a maximum of 3,600 seconds (one hour). If the duration
    # is longer than one hour, the session for AWS account owners defaults to one hour."
    c = sts.get_session_token(DurationSeconds=7200)["Credentials"]
    assert 3600 - 120 < seconds_left(c) <= 3600 + 5
    c = sts.get_session_token()["Credentials"]
    assert 3600 - 120 < seconds_left(c) <= 3600 + 5
    assert creds_client(server, "sts", c).get_caller_identity()["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:root"
    _, key, secret = make_user(iam)
    user = client(server, "sts", key, secret).get_session_token(DurationSeconds=7200)["Credentials"]
    assert 7200 - 120 < seconds_left(user) <= 7200 + 5


# --- GetFederationToken -------------------------------------------------------------------------------------------

def test_get_federation_token_identity(server, iam):
    _, key, secret = make_user(iam, policy=allow("iam:ListUsers"))
    denied(client(server, "sts", key, secret).get_federation_token, Name="nobody")  # needs sts:GetFederationToken
    _, key, secret = make_user(iam, policy=allow(["sts:GetFederationToken", "iam:ListUsers"]))
    sts = client(server, "sts", key, secret)
    r = sts.get_federation_token(Name="bob", Policy=json.dumps(allow("iam:ListUsers")))
    arn = f"arn:aws:sts::{ACCOUNT_ID}:federated-user/bob"
    assert r["FederatedUser"] == {"FederatedUserId": f"{ACCOUNT_ID}:bob", "Arn": arn}
    assert 0 < r["PackedPolicySize"] <= 100
    c = r["Credentials"]
    assert c["AccessKeyId"].startswith("ASIA") and len(c["SecretAccessKey"]) == 40
    assert 43200 - 120 < seconds_left(c) <= 43200 + 5  # 12 hours by default
    ident = creds_client(server, "sts", c).get_caller_identity()
    assert (ident["Account"], ident["Arn"], ident["UserId"]) == (ACCOUNT_ID, arn, f"{ACCOUNT_ID}:bob")
    # A session cannot get a federation token.
    st = sts.get_session_token()["Credentials"]
    denied(creds_client(server, "sts", st).get_federation_token, Name="again")


def test_federated_user_cannot_call_iam_or_other_sts_operations(server, iam):
    # AWS: with GetFederationToken credentials "you cannot call any IAM operations using the AWS CLI or the AWS API"
    # and "you cannot call any STS operations except GetCallerIdentity" -- even when both the user's policy and the
    # session policy allow them.
    everything = allow(["iam:*", "sts:*"])
    user, key, secret = make_user(iam, policy=everything)
    _, arn = make_role(iam, trust(f"arn:aws:iam::{ACCOUNT_ID}:root"))
    c = client(server, "sts", key, secret).get_federation_token(Name="fed-" + user[-8:], Policy=json.dumps(everything))["Credentials"]
    denied(creds_client(server, "iam", c).list_users)
    fed_sts = creds_client(server, "sts", c)
    denied(fed_sts.get_session_token)
    denied(fed_sts.assume_role, RoleArn=arn, RoleSessionName="fed")
    assert fed_sts.get_caller_identity()["Arn"].endswith(":federated-user/fed-" + user[-8:])


def test_root_federation_token_lasts_at_most_one_hour(server, sts):
    # AWS: "Sessions obtained using root user credentials are restricted to a maximum of 3,600 seconds (one hour).
    # If the specified duration is longer than one hour, the session obtained by using root user credentials
    # defaults to one hour."
    c = sts.get_federation_token(Name="rootfed", DurationSeconds=7200)["Credentials"]
    assert 3600 - 120 < seconds_left(c) <= 3600 + 5


# --- GetAccessKeyInfo ---------------------------------------------------------------------------------------------

def test_get_access_key_info(server, iam, sts):
    user, key, secret = make_user(iam)
    assert sts.get_access_key_info(AccessKeyId=key)["Account"] == ACCOUNT_ID
    assert sts.get_access_key_info(AccessKeyId=ROOT_KEY)["Account"] == ACCOUNT_ID
    session = client(server, "sts", key, secret).get_session_token()["Credentials"]
    assert sts.get_access_key_info(AccessKeyId=session["AccessKeyId"])["Account"] == ACCOUNT_ID
    # The action is authorized like any other.
    denied(client(server, "sts", key, secret).get_access_key_info, AccessKeyId=key)
    iam.put_user_policy(UserName=user, PolicyName="akinfo", PolicyDocument=json.dumps(allow("sts:GetAccessKeyInfo")))
    assert client(server, "sts", key, secret).get_access_key_info(AccessKeyId=ROOT_KEY)["Account"] == ACCOUNT_ID


# --- revoking sessions, RoleLastUsed ------------------------------------------------------------------------------

def test_deny_on_token_issue_time_revokes_older_sessions(server, iam):
    user, key, secret = make_user(iam)
    role, arn = make_role(iam, trust(user_arn(user)), policy=allow("iam:ListRoles"))
    sts = client(server, "sts", key, secret)
    old = creds_client(server, "iam", sts.assume_role(RoleArn=arn, RoleSessionName="old")["Credentials"])
    old.list_roles()
    time.sleep(1.5)
    cutoff = now_utc().replace(microsecond=0)
    time.sleep(1.5)
    new = creds_client(server, "iam", sts.assume_role(RoleArn=arn, RoleSessionName="new")["Credentials"])
    # What the console's "Revoke active sessions" puts on the role.
    iam.put_role_policy(RoleName=role, PolicyName="AWSRevokeOlderSessions", PolicyDocument=json.dumps(statements(
        stmt("*", condition={"DateLessThan": {"aws:TokenIssueTime": cutoff.strftime("%Y-%m-%dT%H:%M:%SZ")}}, effect="Deny"))))
    denied(old.list_roles)
    new.list_roles()
    fresh = creds_client(server, "iam", sts.assume_role(RoleArn=arn, RoleSessionName="fresh")["Credentials"])
    fresh.list_roles()


def test_role_last_used_appears_after_a_session_makes_a_call(server, iam):
    user, key, secret = make_user(iam)
    role, arn = make_role(iam, trust(user_arn(user)), policy=allow("iam:ListRoles"))
    assert "LastUsedDate" not in iam.get_role(RoleName=role)["Role"].get("RoleLastUsed", {})
    before = now_utc() - timedelta(seconds=5)
    c = client(server, "sts", key, secret).assume_role(RoleArn=arn, RoleSessionName="use")["Credentials"]
    creds_client(server, "iam", c).list_roles()
    last = iam.get_role(RoleName=role)["Role"]["RoleLastUsed"]
    assert before <= last["LastUsedDate"] <= now_utc() + timedelta(seconds=5)
    assert last["Region"] == "us-east-1"


def test_a_long_term_key_with_a_session_token_is_refused(server):
    """AWS refuses a request signed with a long-term (AKIA) key that carries X-Amz-Security-Token."""
    from botocore.exceptions import ClientError as _ClientError
    from conftest import ROOT_KEY, ROOT_SECRET, client as _client
    sts = _client(server, "sts", ROOT_KEY, ROOT_SECRET, token="not-a-session-token")
    try:
        sts.get_caller_identity()
    except _ClientError as e:
        assert e.response["Error"]["Code"] == "InvalidClientTokenId"
        assert e.response["Error"]["Message"] == "The security token included in the request is invalid."
    else:
        raise AssertionError("a long-term key with a session token was accepted")
    iam = _client(server, "iam", ROOT_KEY, ROOT_SECRET, token="not-a-session-token")
    try:
        iam.list_users()
    except _ClientError as e:
        assert e.response["Error"]["Code"] == "InvalidClientTokenId"
    else:
        raise AssertionError("a long-term key with a session token was accepted by IAM")
