"""What the server puts into each request's authorization: the order of AccessDenied and NoSuchEntity, resource
tags, iam:PermissionsBoundary on permission changes, and paging of lists kept in insertion order."""

import json

import pytest
from botocore.exceptions import ClientError

from conftest import ACCOUNT_ID, allow, client, code, make_user, unique


def test_access_denied_comes_before_no_such_entity(server, iam):
    # A caller allowed only on its own user must not learn whether other users exist.
    name, key, secret = make_user(iam)
    own = f"arn:aws:iam::{ACCOUNT_ID}:user/{name}"
    iam.put_user_policy(UserName=name, PolicyName="own", PolicyDocument=json.dumps(allow("iam:GetUser", own)))
    c = client(server, "iam", key, secret)
    with pytest.raises(ClientError) as e:
        c.get_user(UserName="no-such-user-" + unique("x"))
    assert code(e) == "AccessDenied"
    assert "iam:GetUser" in str(e.value)
    # With permission on every user, the same question answers NoSuchEntity.
    iam.put_user_policy(UserName=name, PolicyName="all", PolicyDocument=json.dumps(
        allow(["iam:GetUser", "iam:ListUserPolicies"], f"arn:aws:iam::{ACCOUNT_ID}:user/*")))
    with pytest.raises(ClientError) as e:
        c.get_user(UserName="no-such-user-" + unique("x"))
    assert code(e) == "NoSuchEntity"
    with pytest.raises(ClientError) as e:
        c.list_user_policies(UserName="no-such-user-" + unique("x"))
    assert code(e) == "NoSuchEntity"
    # A missing role, with no permission on roles: AccessDenied.
    with pytest.raises(ClientError) as e:
        c.get_role(RoleName="no-such-role")
    assert code(e) == "AccessDenied"


def test_resource_tags_decide_access(server, iam):
    name, key, secret = make_user(iam, policy=allow(
        ["iam:GetRole", "iam:UpdateRoleDescription", "iam:ListRolePolicies", "iam:GetUser"], "*",
        {"StringEquals": {"aws:ResourceTag/team": "blue"}}))
    trust = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT_ID}:root"}, "Action": "sts:AssumeRole"}]})
    blue, red = unique("blue"), unique("red")
    iam.create_role(RoleName=blue, AssumeRolePolicyDocument=trust, Tags=[{"Key": "team", "Value": "blue"}])
    iam.create_role(RoleName=red, AssumeRolePolicyDocument=trust, Tags=[{"Key": "team", "Value": "red"}])
    c = client(server, "iam", key, secret)
    assert c.get_role(RoleName=blue)["Role"]["RoleName"] == blue
    c.update_role_description(RoleName=blue, Description="ok")
    c.list_role_policies(RoleName=blue)
    for call in (lambda: c.get_role(RoleName=red), lambda: c.list_role_policies(RoleName=red),
                 lambda: c.update_role_description(RoleName=red, Description="no")):
        with pytest.raises(ClientError) as e:
            call()
        assert code(e) == "AccessDenied"
    # iam:ResourceTag works the same way, on users too.
    tagged = unique("tagged")
    iam.create_user(UserName=tagged, Tags=[{"Key": "team", "Value": "blue"}])
    assert c.get_user(UserName=tagged)["User"]["UserName"] == tagged
    iam.untag_user(UserName=tagged, TagKeys=["team"])
    with pytest.raises(ClientError) as e:
        c.get_user(UserName=tagged)
    assert code(e) == "AccessDenied"


def test_trust_policy_sees_the_roles_tags(server, iam):
    name, key, secret = make_user(iam, policy=allow("sts:AssumeRole"))
    trust = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT_ID}:user/{name}"}, "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"aws:ResourceTag/assumable": "yes"}}}]}
    role = unique("role")
    arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(trust),
                          Tags=[{"Key": "assumable", "Value": "yes"}])["Role"]["Arn"]
    s = client(server, "sts", key, secret)
    s.assume_role(RoleArn=arn, RoleSessionName="ok")
    iam.tag_role(RoleName=role, Tags=[{"Key": "assumable", "Value": "no"}])
    with pytest.raises(ClientError) as e:
        s.assume_role(RoleArn=arn, RoleSessionName="no")
    assert code(e) == "AccessDenied"


def test_delegated_admin_limited_to_bounded_users(server, iam):
    # AWS's documented pattern: an administrator may change the permissions only of users that carry a given boundary.
    boundary = iam.create_policy(PolicyName=unique("boundary"), PolicyDocument=json.dumps(allow("iam:Get*")))["Policy"]["Arn"]
    admin, key, secret = make_user(iam, policy=allow(
        ["iam:AttachUserPolicy", "iam:DetachUserPolicy", "iam:PutUserPolicy", "iam:DeleteUserPolicy",
         "iam:DeleteUserPermissionsBoundary"], "*",
        {"StringEquals": {"iam:PermissionsBoundary": boundary}}))
    bounded, free = unique("bounded"), unique("free")
    iam.create_user(UserName=bounded, PermissionsBoundary=boundary)
    iam.create_user(UserName=free)
    c = client(server, "iam", key, secret)
    readonly = "arn:aws:iam::aws:policy/IAMReadOnlyAccess"
    c.attach_user_policy(UserName=bounded, PolicyArn=readonly)
    c.detach_user_policy(UserName=bounded, PolicyArn=readonly)
    c.put_user_policy(UserName=bounded, PolicyName="p", PolicyDocument=json.dumps(allow("iam:GetUser")))
    c.delete_user_policy(UserName=bounded, PolicyName="p")
    for call in (lambda: c.attach_user_policy(UserName=free, PolicyArn=readonly),
                 lambda: c.put_user_policy(UserName=free, PolicyName="p", PolicyDocument=json.dumps(allow("iam:GetUser")))):
        with pytest.raises(ClientError) as e:
            call()
        assert code(e) == "AccessDenied"
    # Removing the boundary is allowed once (the user still has it when asked) and then no longer.
    c.delete_user_permissions_boundary(UserName=bounded)
    with pytest.raises(ClientError) as e:
        c.attach_user_policy(UserName=bounded, PolicyArn=readonly)
    assert code(e) == "AccessDenied"


def test_paging_lists_kept_in_insertion_order(server, iam):
    # Groups, attached policies, tags and access keys are stored in the order they were added; paging one item at
    # a time must still return each exactly once.
    user = unique("pager")
    tags = [{"Key": k, "Value": "v"} for k in ("zeta", "alpha", "mid", "Beta")]
    iam.create_user(UserName=user, Tags=tags)
    groups = [unique(p) for p in ("zz", "aa", "mm")]
    for g in groups:
        iam.create_group(GroupName=g)
        iam.add_user_to_group(GroupName=g, UserName=user)
    arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/IAMReadOnlyAccess",
            "arn:aws:iam::aws:policy/AdministratorAccess"]
    for a in arns:
        iam.attach_user_policy(UserName=user, PolicyArn=a)
    keys = {iam.create_access_key(UserName=user)["AccessKey"]["AccessKeyId"] for _ in range(2)}

    def paged(op, field, **kw):
        out = []
        for page in iam.get_paginator(op).paginate(PaginationConfig={"PageSize": 1}, **kw):
            out += page[field]
        return out

    assert sorted(g["GroupName"] for g in paged("list_groups_for_user", "Groups", UserName=user)) == sorted(groups)
    assert sorted(p["PolicyArn"] for p in paged("list_attached_user_policies", "AttachedPolicies", UserName=user)) == sorted(arns)
    assert sorted(t["Key"] for t in paged("list_user_tags", "Tags", UserName=user)) == sorted(t["Key"] for t in tags)
    assert {k["AccessKeyId"] for k in paged("list_access_keys", "AccessKeyMetadata", UserName=user)} == keys


def test_list_policies_markers_stay_valid_for_long_paths(server, iam):
    path = "/" + "p" * 120 + "/"
    for i in range(3):
        iam.create_policy(PolicyName=f"{'n' * 100}{i}", Path=path, PolicyDocument=json.dumps(allow("iam:GetUser")))
    names = []
    for page in iam.get_paginator("list_policies").paginate(Scope="Local", PathPrefix=path, PaginationConfig={"PageSize": 1}):
        names += [p["PolicyName"] for p in page["Policies"]]
    assert names == [f"{'n' * 100}{i}" for i in range(3)]


def test_get_access_key_info_names_the_account_of_any_key(server, iam):
    name, key, secret = make_user(iam, policy=allow("sts:GetAccessKeyInfo"))
    s = client(server, "sts", key, secret)
    assert s.get_access_key_info(AccessKeyId=key)["Account"] == ACCOUNT_ID
    # A session's key and a deleted key are still attributed to their account, as in AWS.
    session = s.get_session_token(DurationSeconds=900)["Credentials"]
    # GetSessionToken credentials may call only AssumeRole and GetCallerIdentity in STS.
    limited = client(server, "sts", session["AccessKeyId"], session["SecretAccessKey"], session["SessionToken"])
    with pytest.raises(ClientError) as e:
        limited.get_access_key_info(AccessKeyId=key)
    assert code(e) == "AccessDenied"
    assert limited.get_caller_identity()["Arn"].endswith(f":user/{name}")
    assert s.get_access_key_info(AccessKeyId=session["AccessKeyId"])["Account"] == ACCOUNT_ID
    other = iam.create_access_key(UserName=name)["AccessKey"]["AccessKeyId"]
    iam.delete_access_key(UserName=name, AccessKeyId=other)
    assert s.get_access_key_info(AccessKeyId=other)["Account"] == ACCOUNT_ID
    # Real AWS key ids decode to their accounts too.
    assert s.get_access_key_info(AccessKeyId="ASIAY34FZKBOKMUTVV7A")["Account"] == "609629065308"


def test_change_password_is_granted_by_the_account_setting_or_a_policy(server, iam):
    iam.update_account_password_policy(MinimumPasswordLength=8, AllowUsersToChangePassword=False)
    name, key, secret = make_user(iam)
    iam.create_login_profile(UserName=name, Password="Original-pass-1")
    c = client(server, "iam", key, secret)
    with pytest.raises(ClientError) as e:
        c.change_password(OldPassword="Original-pass-1", NewPassword="Second-pass-2")
    assert code(e) == "AccessDenied"
    # A policy alone suffices.
    iam.attach_user_policy(UserName=name, PolicyArn="arn:aws:iam::aws:policy/IAMUserChangePassword")
    c.change_password(OldPassword="Original-pass-1", NewPassword="Second-pass-2")
    iam.detach_user_policy(UserName=name, PolicyArn="arn:aws:iam::aws:policy/IAMUserChangePassword")
    # The account setting alone suffices too.
    iam.update_account_password_policy(MinimumPasswordLength=8, AllowUsersToChangePassword=True)
    c.change_password(OldPassword="Second-pass-2", NewPassword="Third-pass-3")
    # An explicit deny still refuses.
    iam.put_user_policy(UserName=name, PolicyName="deny", PolicyDocument=json.dumps(allow("iam:ChangePassword", effect="Deny")))
    with pytest.raises(ClientError) as e:
        c.change_password(OldPassword="Third-pass-3", NewPassword="Fourth-pass-4")
    assert code(e) == "AccessDenied"
    iam.delete_account_password_policy()


def test_simulator_reports_statement_positions_and_caller_keys(server, iam):
    policy = ('{\n  "Version": "2012-10-17",\n  "Statement": [\n'
              '    {"Effect": "Allow", "Action": "iam:GetUser", "Resource": "arn:aws:iam::*:user/${aws:username}"},\n'
              '    {\n      "Effect": "Deny",\n      "Action": "iam:DeleteUser",\n      "Resource": "*"\n    }\n  ]\n}')
    r = iam.simulate_custom_policy(PolicyInputList=[policy], ActionNames=["iam:GetUser", "iam:DeleteUser"],
                                   ResourceArns=[f"arn:aws:iam::{ACCOUNT_ID}:user/alice"],
                                   CallerArn=f"arn:aws:iam::{ACCOUNT_ID}:user/alice")["EvaluationResults"]
    get, delete = r
    assert get["EvalDecision"] == "allowed"  # aws:username comes from the caller ARN
    assert get["MatchedStatements"][0]["StartPosition"] == {"Line": 4, "Column": 5}
    assert get["MatchedStatements"][0]["EndPosition"]["Line"] == 4
    assert delete["EvalDecision"] == "explicitDeny"
    assert delete["MatchedStatements"][0]["StartPosition"] == {"Line": 5, "Column": 5}
    assert delete["MatchedStatements"][0]["EndPosition"] == {"Line": 9, "Column": 5}
    # A resource policy needs a caller to match its Principal.
    with pytest.raises(ClientError) as e:
        iam.simulate_custom_policy(PolicyInputList=[policy], ActionNames=["iam:GetUser"],
                                   ResourcePolicy=json.dumps({"Version": "2012-10-17", "Statement": [
                                       {"Effect": "Allow", "Principal": "*", "Action": "iam:GetUser", "Resource": "*"}]}))
    assert code(e) == "InvalidInput"
    # Context values must have their declared type.
    with pytest.raises(ClientError) as e:
        iam.simulate_custom_policy(PolicyInputList=[policy], ActionNames=["iam:GetUser"], ContextEntries=[
            {"ContextKeyName": "aws:SourceIp", "ContextKeyValues": ["not-an-ip"], "ContextKeyType": "ip"}])
    assert code(e) == "InvalidInput"


def test_sessions_of_a_deleted_user_die_with_it(server, iam):
    # A user deleted and created again under the same name is a new user: the old user's sessions must not work.
    name, key, secret = make_user(iam, policy=allow("sts:GetFederationToken"))
    sts = client(server, "sts", key, secret)
    session = sts.get_session_token(DurationSeconds=900)["Credentials"]
    fed = sts.get_federation_token(Name="fed", Policy=json.dumps(allow("*")))["Credentials"]
    def caller(c):
        return client(server, "sts", c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"]).get_caller_identity()
    assert caller(session)["Arn"].endswith(f":user/{name}")
    caller(fed)
    iam.delete_user_policy(UserName=name, PolicyName="inline")
    iam.delete_access_key(UserName=name, AccessKeyId=key)
    iam.delete_user(UserName=name)
    iam.create_user(UserName=name)
    for c in (session, fed):
        with pytest.raises(ClientError) as e:
            caller(c)
        assert code(e) == "InvalidClientTokenId"


def test_simulated_boundaries_are_named_apart_from_identity_policies(server, iam):
    r = iam.simulate_custom_policy(
        PolicyInputList=[json.dumps(allow("iam:GetUser"))],
        PermissionsBoundaryPolicyInputList=[json.dumps(allow("iam:*"))],
        ActionNames=["iam:GetUser"])["EvaluationResults"][0]
    assert r["EvalDecision"] == "allowed"
    sources = sorted(s["SourcePolicyId"] for s in r["MatchedStatements"])
    assert sources == ["PermissionsBoundaryPolicyInputList.1", "PolicyInputList.1"]


def test_renaming_a_group_needs_permission_on_the_new_name(server, iam):
    old, new = unique("grp"), unique("grp")
    iam.create_group(GroupName=old)
    name, key, secret = make_user(iam, policy=allow("iam:UpdateGroup", f"arn:aws:iam::{ACCOUNT_ID}:group/{old}"))
    c = client(server, "iam", key, secret)
    with pytest.raises(ClientError) as e:
        c.update_group(GroupName=old, NewGroupName=new)
    assert code(e) == "AccessDenied"
    assert f"group/{new}" in str(e.value)
    iam.put_user_policy(UserName=name, PolicyName="both", PolicyDocument=json.dumps(
        allow("iam:UpdateGroup", [f"arn:aws:iam::{ACCOUNT_ID}:group/{old}", f"arn:aws:iam::{ACCOUNT_ID}:group/{new}"])))
    c.update_group(GroupName=old, NewGroupName=new)
    assert iam.get_group(GroupName=new)["Group"]["GroupName"] == new


def test_trust_policies_forget_deleted_principals(server, iam):
    trust = lambda arn: json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": arn}, "Action": "sts:AssumeRole"}]})
    # A deleted user is replaced by its unique id: a new user of the same name is not trusted.
    name, key, secret = make_user(iam, policy=allow("sts:AssumeRole"))
    user_id = iam.get_user(UserName=name)["User"]["UserId"]
    role = unique("trusting")
    arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=trust(f"arn:aws:iam::{ACCOUNT_ID}:user/{name}"))["Role"]["Arn"]
    client(server, "sts", key, secret).assume_role(RoleArn=arn, RoleSessionName="first")
    iam.delete_user_policy(UserName=name, PolicyName="inline")
    iam.delete_access_key(UserName=name, AccessKeyId=key)
    iam.delete_user(UserName=name)
    assert iam.get_role(RoleName=role)["Role"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["AWS"] == user_id
    _, key2, secret2 = make_user(iam, name=name, policy=allow("sts:AssumeRole"))
    with pytest.raises(ClientError) as e:
        client(server, "sts", key2, secret2).assume_role(RoleArn=arn, RoleSessionName="second")
    assert code(e) == "AccessDenied"


def test_simulator_reports_missing_context_keys_without_a_caller(server, iam):
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                                                                 "Condition": {"StringEquals": {"aws:username": "bob"}}}]})
    r = iam.simulate_custom_policy(PolicyInputList=[policy], ActionNames=["s3:GetObject"])["EvaluationResults"][0]
    assert r["EvalDecision"] == "implicitDeny"
    assert r["MissingContextValues"] == ["aws:username"]
    r = iam.simulate_custom_policy(PolicyInputList=[policy], ActionNames=["s3:GetObject"],
                                   CallerArn=f"arn:aws:iam::{ACCOUNT_ID}:user/bob")["EvaluationResults"][0]
    assert r["EvalDecision"] == "allowed" and not r.get("MissingContextValues")
