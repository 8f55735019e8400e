"""The account password policy with AWS's semantics, through boto3: UpdateAccountPasswordPolicy defaults and limits,
PasswordPolicyViolation on CreateLoginProfile, UpdateLoginProfile and ChangePassword (naming the rule that failed),
PasswordReusePrevention, AllowUsersToChangePassword, and MaxPasswordAge."""

import csv
import io
import json
import time
from datetime import datetime, timedelta

import pytest
from botocore.exceptions import ClientError

from conftest import allow, client, code, make_user, unique

STRONG = "Str0ng-Passw0rd!"


@pytest.fixture(autouse=True)
def no_password_policy(iam):
    """Each test starts and ends without an account password policy."""
    def clear():
        try:
            iam.delete_account_password_policy()
        except ClientError as e:
            assert e.response["Error"]["Code"] == "NoSuchEntity"
    clear()
    yield
    clear()


def error(call, expected, **kw):
    with pytest.raises(ClientError) as e:
        call(**kw)
    assert code(e) == expected, e.value.response["Error"]
    return e.value.response["Error"]["Message"]


def person(iam, password=STRONG, policy=None, reset=False):
    """A user with a console password and an access key; returns (name, key id, secret)."""
    name, key, secret = make_user(iam, policy=policy)
    iam.create_login_profile(UserName=name, Password=password, PasswordResetRequired=reset)
    return name, key, secret


# --- the policy itself --------------------------------------------------------------------------------------------

def test_update_get_and_delete_the_policy(server, iam):
    error(iam.get_account_password_policy, "NoSuchEntity")
    iam.update_account_password_policy(MinimumPasswordLength=14, RequireSymbols=True, RequireNumbers=True,
                                       RequireUppercaseCharacters=True, RequireLowercaseCharacters=True,
                                       AllowUsersToChangePassword=True, MaxPasswordAge=90, PasswordReusePrevention=5,
                                       HardExpiry=True)
    p = iam.get_account_password_policy()["PasswordPolicy"]
    assert p["MinimumPasswordLength"] == 14 and p["MaxPasswordAge"] == 90 and p["PasswordReusePrevention"] == 5
    for k in ("RequireSymbols", "RequireNumbers", "RequireUppercaseCharacters", "RequireLowercaseCharacters",
              "AllowUsersToChangePassword", "ExpirePasswords", "HardExpiry"):
        assert p[k] is True, k
    # Every parameter left out goes back to its default.
    iam.update_account_password_policy(MinimumPasswordLength=10)
    p = iam.get_account_password_policy()["PasswordPolicy"]
    assert p["MinimumPasswordLength"] == 10
    for k in ("RequireSymbols", "RequireNumbers", "RequireUppercaseCharacters", "RequireLowercaseCharacters",
              "AllowUsersToChangePassword", "ExpirePasswords"):
        assert p[k] is False, k
    assert p.get("HardExpiry", False) is False
    assert p.get("MaxPasswordAge", 0) == 0 and p.get("PasswordReusePrevention", 0) == 0
    iam.update_account_password_policy()
    assert iam.get_account_password_policy()["PasswordPolicy"]["MinimumPasswordLength"] == 6
    iam.delete_account_password_policy()
    error(iam.get_account_password_policy, "NoSuchEntity")
    error(iam.delete_account_password_policy, "NoSuchEntity")


@pytest.mark.parametrize("field,value", [("MinimumPasswordLength", 5), ("MinimumPasswordLength", 129),
                                         ("MaxPasswordAge", 0), ("MaxPasswordAge", 1096),
                                         ("PasswordReusePrevention", 0), ("PasswordReusePrevention", 25)])
def test_policy_values_out_of_range(server, field, value):
    raw = client(server, "iam", validate=False)
    error(raw.update_account_password_policy, "ValidationError", **{field: value})


def test_max_password_age_sets_expire_passwords_and_next_rotation(iam):
    iam.update_account_password_policy(MaxPasswordAge=90)
    p = iam.get_account_password_policy()["PasswordPolicy"]
    assert p["MaxPasswordAge"] == 90 and p["ExpirePasswords"] is True
    name, _, _ = person(iam)
    # The credential report derives password_next_rotation from it.
    deadline = time.time() + 30
    while iam.generate_credential_report()["State"] != "COMPLETE" and time.time() < deadline:
        time.sleep(0.5)
    rows = {r["user"]: r for r in csv.DictReader(io.StringIO(iam.get_credential_report()["Content"].decode()))}
    row = rows[name]
    changed = datetime.fromisoformat(row["password_last_changed"].replace("Z", "+00:00"))
    rotation = datetime.fromisoformat(row["password_next_rotation"].replace("Z", "+00:00"))
    assert abs(rotation - (changed + timedelta(days=90))) < timedelta(minutes=1)
    iam.update_account_password_policy(MinimumPasswordLength=8)
    p = iam.get_account_password_policy()["PasswordPolicy"]
    assert p["ExpirePasswords"] is False and p.get("MaxPasswordAge", 0) == 0


# --- violations ---------------------------------------------------------------------------------------------------

RULES = [("Sh0rt-Pw", "length"),             # 8 characters
         ("n0-upper-case-here", "uppercase"),
         ("N0-LOWER-CASE-HERE", "lowercase"),
         ("No-Numbers-Here-At-All", "number"),
         ("N0SymbolsHereAtAll", "symbol")]


def test_login_profile_violations_name_the_rule(iam):
    iam.update_account_password_policy(MinimumPasswordLength=12, RequireSymbols=True, RequireNumbers=True,
                                       RequireUppercaseCharacters=True, RequireLowercaseCharacters=True)
    user = unique("pw")
    iam.create_user(UserName=user)
    for password, rule in RULES:
        message = error(iam.create_login_profile, "PasswordPolicyViolation", UserName=user, Password=password)
        assert rule in message.lower(), (password, message)
        error(iam.get_login_profile, "NoSuchEntity", UserName=user)
    iam.create_login_profile(UserName=user, Password=STRONG)
    for password, rule in RULES:
        message = error(iam.update_login_profile, "PasswordPolicyViolation", UserName=user, Password=password)
        assert rule in message.lower(), (password, message)
    iam.update_login_profile(UserName=user, Password="An0ther-Str0ng-One!")
    # Only what the policy asks for is enforced.
    iam.update_account_password_policy(MinimumPasswordLength=6)
    iam.update_login_profile(UserName=user, Password="simple")


def test_without_a_policy_the_aws_default_applies(iam):
    # AWS's default password policy: at least 8 characters and three of uppercase, lowercase, numbers and symbols.
    user = unique("pw")
    iam.create_user(UserName=user)
    error(iam.create_login_profile, "PasswordPolicyViolation", UserName=user, Password="Ab1!")
    error(iam.create_login_profile, "PasswordPolicyViolation", UserName=user, Password="onlylowercaseletters")
    iam.create_login_profile(UserName=user, Password="Abcdefgh12")


def test_change_password_follows_the_policy(server, iam):
    iam.update_account_password_policy(MinimumPasswordLength=12, RequireNumbers=True, AllowUsersToChangePassword=True)
    name, key, secret = person(iam, password="First-Passw0rd")
    me = client(server, "iam", key, secret)
    message = error(me.change_password, "PasswordPolicyViolation", OldPassword="First-Passw0rd", NewPassword="short1")
    assert "length" in message.lower()
    message = error(me.change_password, "PasswordPolicyViolation", OldPassword="First-Passw0rd", NewPassword="no-numbers-in-it")
    assert "number" in message.lower()
    # A wrong old password changes nothing.
    with pytest.raises(ClientError):
        me.change_password(OldPassword="Not-The-Passw0rd", NewPassword="Second-Passw0rd")
    me.change_password(OldPassword="First-Passw0rd", NewPassword="Second-Passw0rd")
    me.change_password(OldPassword="Second-Passw0rd", NewPassword="Third-Passw0rd")


def test_password_reuse_prevention(server, iam):
    iam.update_account_password_policy(MinimumPasswordLength=8, PasswordReusePrevention=2, AllowUsersToChangePassword=True)
    name, key, secret = person(iam, password="Passw0rd-1")
    me = client(server, "iam", key, secret)
    me.change_password(OldPassword="Passw0rd-1", NewPassword="Passw0rd-2")
    message = error(me.change_password, "PasswordPolicyViolation", OldPassword="Passw0rd-2", NewPassword="Passw0rd-1")
    assert "previous" in message.lower() or "reuse" in message.lower(), message
    for old, new in [("Passw0rd-2", "Passw0rd-3"), ("Passw0rd-3", "Passw0rd-4"), ("Passw0rd-4", "Passw0rd-5")]:
        me.change_password(OldPassword=old, NewPassword=new)
    error(me.change_password, "PasswordPolicyViolation", OldPassword="Passw0rd-5", NewPassword="Passw0rd-4")
    # Only the last two are remembered.
    me.change_password(OldPassword="Passw0rd-5", NewPassword="Passw0rd-1")
    # Without reuse prevention any earlier password may come back.
    iam.update_account_password_policy(MinimumPasswordLength=8, AllowUsersToChangePassword=True)
    me.change_password(OldPassword="Passw0rd-1", NewPassword="Passw0rd-5")


# --- AllowUsersToChangePassword -----------------------------------------------------------------------------------

def test_allow_users_to_change_password_grants_it_without_a_policy(server, iam):
    iam.update_account_password_policy(MinimumPasswordLength=8, AllowUsersToChangePassword=True)
    name, key, secret = person(iam)
    me = client(server, "iam", key, secret)
    me.change_password(OldPassword=STRONG, NewPassword="Changed-Passw0rd!")
    # It grants nothing else about login profiles ...
    error(me.update_login_profile, "AccessDenied", UserName=name, Password="Other-Passw0rd!")
    error(me.get_login_profile, "AccessDenied", UserName=name)
    # ... and an explicit deny still wins.
    iam.put_user_policy(UserName=name, PolicyName="no-change", PolicyDocument=json.dumps(allow("iam:ChangePassword", effect="Deny")))
    error(me.change_password, "AccessDenied", OldPassword="Changed-Passw0rd!", NewPassword="Again-Passw0rd!")
    # AWS: the setting "gives IAM users permissions to iam:ChangePassword for only their user and to the
    # iam:GetAccountPasswordPolicy action".
    assert me.get_account_password_policy()["PasswordPolicy"]["AllowUsersToChangePassword"] is True


def test_without_the_setting_users_need_a_policy_to_change_their_password(server, iam):
    iam.update_account_password_policy(MinimumPasswordLength=8, AllowUsersToChangePassword=False)
    name, key, secret = person(iam)
    me = client(server, "iam", key, secret)
    error(me.change_password, "AccessDenied", OldPassword=STRONG, NewPassword="Changed-Passw0rd!")
    error(me.get_account_password_policy, "AccessDenied")
    # The AWS managed policy for it.
    iam.attach_user_policy(UserName=name, PolicyArn="arn:aws:iam::aws:policy/IAMUserChangePassword")
    me.change_password(OldPassword=STRONG, NewPassword="Changed-Passw0rd!")
    me.get_account_password_policy()


def test_change_password_clears_password_reset_required(server, iam):
    name, key, secret = person(iam, reset=True, policy=allow("iam:ChangePassword"))
    assert iam.get_login_profile(UserName=name)["LoginProfile"]["PasswordResetRequired"] is True
    client(server, "iam", key, secret).change_password(OldPassword=STRONG, NewPassword="Changed-Passw0rd!")
    assert iam.get_login_profile(UserName=name)["LoginProfile"]["PasswordResetRequired"] is False


def test_only_awss_symbols_count_as_symbols(server, iam):
    # AWS's RequireSymbols accepts only ! @ # $ % ^ & * ( ) _ + - = [ ] { } | ' as symbols.
    iam.update_account_password_policy(MinimumPasswordLength=8, RequireSymbols=True)
    name = unique("sym")
    iam.create_user(UserName=name)
    for weak in ("Password 1", "Password.1", "Password~1", "Passwördé1"):
        message = error(iam.create_login_profile, "PasswordPolicyViolation", UserName=name, Password=weak)
        assert "symbol" in message
    iam.create_login_profile(UserName=name, Password="Password'1")
