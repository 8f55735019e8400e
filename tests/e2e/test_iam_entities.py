"""IAM entities with AWS's semantics, quotas and errors, through boto3."""

import json

import pytest
from botocore.exceptions import ClientError

from conftest import ACCOUNT_ID, allow, client, code, unique

DOC = allow("s3:GetObject", "arn:aws:s3:::b/*")


def test_get_user_without_name_is_the_caller(server, iam):
    me = iam.get_user()["User"]
    assert me["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:root"
    name = unique("self")
    iam.create_user(UserName=name)
    k = iam.create_access_key(UserName=name)["AccessKey"]
    iam.attach_user_policy(UserName=name, PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    other = client(server, "iam", k["AccessKeyId"], k["SecretAccessKey"])
    assert other.get_user()["User"]["UserName"] == name


def test_groups_per_user_quota(iam):
    u = unique("many")
    iam.create_user(UserName=u)
    groups = [unique("g") for _ in range(11)]
    for g in groups:
        iam.create_group(GroupName=g)
    for g in groups[:10]:
        iam.add_user_to_group(GroupName=g, UserName=u)
    with pytest.raises(ClientError) as e:
        iam.add_user_to_group(GroupName=groups[10], UserName=u)
    assert code(e) == "LimitExceeded"
    assert len(iam.list_groups_for_user(UserName=u)["Groups"]) == 10


def test_attached_policy_quota_and_detach_errors(iam):
    r = unique("r")
    iam.create_role(RoleName=r, AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
    arns = [iam.create_policy(PolicyName=unique("p"), PolicyDocument=json.dumps(DOC))["Policy"]["Arn"] for _ in range(11)]
    for a in arns[:10]:
        iam.attach_role_policy(RoleName=r, PolicyArn=a)
    with pytest.raises(ClientError) as e:
        iam.attach_role_policy(RoleName=r, PolicyArn=arns[10])
    assert code(e) == "LimitExceeded"
    with pytest.raises(ClientError) as e:
        iam.detach_role_policy(RoleName=r, PolicyArn=arns[10])
    assert code(e) == "NoSuchEntity"
    with pytest.raises(ClientError) as e:
        iam.attach_role_policy(RoleName=r, PolicyArn=f"arn:aws:iam::{ACCOUNT_ID}:policy/does-not-exist")
    assert code(e) == "NoSuchEntity"


def test_update_group_rename_keeps_members(iam):
    g, u = unique("grp"), unique("mem")
    iam.create_group(GroupName=g)
    iam.create_user(UserName=u)
    iam.add_user_to_group(GroupName=g, UserName=u)
    iam.update_group(GroupName=g, NewGroupName=g + "-new", NewPath="/x/")
    got = iam.get_group(GroupName=g + "-new")
    assert got["Group"]["Path"] == "/x/" and [x["UserName"] for x in got["Users"]] == [u]
    assert [x["GroupName"] for x in iam.list_groups_for_user(UserName=u)["Groups"]] == [g + "-new"]


def test_policy_versions_and_aws_policies(iam):
    arn = iam.create_policy(PolicyName=unique("v"), PolicyDocument=json.dumps(DOC))["Policy"]["Arn"]
    v2 = iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(allow("s3:*")), SetAsDefault=True)["PolicyVersion"]
    assert v2["VersionId"] == "v2" and v2["IsDefaultVersion"] is True
    iam.set_default_policy_version(PolicyArn=arn, VersionId="v1")
    assert iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"] == "v1"
    with pytest.raises(ClientError) as e:
        iam.delete_policy(PolicyArn=arn)
    assert code(e) == "DeleteConflict"
    iam.delete_policy_version(PolicyArn=arn, VersionId="v2")
    v3 = iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(DOC))["PolicyVersion"]
    assert v3["VersionId"] == "v3"  # ids are never reused
    aws = iam.get_policy_version(PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess", VersionId=
                                 iam.get_policy(PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess")["Policy"]["DefaultVersionId"])
    assert aws["PolicyVersion"]["Document"]["Statement"]
    with pytest.raises(ClientError) as e:
        iam.create_policy_version(PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess", PolicyDocument=json.dumps(DOC))
    assert code(e) in ("InvalidInput", "AccessDenied")


def test_list_policies_filters(iam):
    name = unique("scoped")
    arn = iam.create_policy(PolicyName=name, Path="/scoped/", PolicyDocument=json.dumps(DOC))["Policy"]["Arn"]
    local = [p["PolicyName"] for p in iam.list_policies(Scope="Local", PathPrefix="/scoped/")["Policies"]]
    assert local == [name]
    assert iam.list_policies(Scope="Local", PathPrefix="/scoped/", OnlyAttached=True)["Policies"] == []
    u = unique("u")
    iam.create_user(UserName=u)
    iam.attach_user_policy(UserName=u, PolicyArn=arn)
    assert [p["Arn"] for p in iam.list_policies(Scope="Local", PathPrefix="/scoped/", OnlyAttached=True)["Policies"]] == [arn]
    iam.put_user_permissions_boundary(UserName=u, PermissionsBoundary=arn)
    assert iam.get_user(UserName=u)["User"]["PermissionsBoundary"]["PermissionsBoundaryArn"] == arn
    ents = iam.list_entities_for_policy(PolicyArn=arn, PolicyUsageFilter="PermissionsBoundary")
    assert [x["UserName"] for x in ents["PolicyUsers"]] == [u]
    assert iam.get_policy(PolicyArn=arn)["Policy"]["PermissionsBoundaryUsageCount"] == 1
    iam.get_waiter("policy_exists").wait(PolicyArn=arn)


def test_inline_policy_size_limits(iam):
    u = unique("big")
    iam.create_user(UserName=u)
    big = allow([f"s3:GetObject{i:04d}" for i in range(120)])
    with pytest.raises(ClientError) as e:
        iam.put_user_policy(UserName=u, PolicyName="big", PolicyDocument=json.dumps(big))
    assert code(e) == "LimitExceeded"
    with pytest.raises(ClientError) as e:
        iam.get_user_policy(UserName=u, PolicyName="missing")
    assert code(e) == "NoSuchEntity"


def test_tags_on_roles_policies_and_profiles(iam):
    r = unique("tr")
    iam.create_role(RoleName=r, AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
    iam.tag_role(RoleName=r, Tags=[{"Key": "Env", "Value": "prod"}, {"Key": "team", "Value": "a"}])
    iam.tag_role(RoleName=r, Tags=[{"Key": "env", "Value": "dev"}])  # keys are case-insensitive
    tags = iam.list_role_tags(RoleName=r)["Tags"]
    assert {"Key": "env", "Value": "dev"} in tags and len(tags) == 2
    iam.untag_role(RoleName=r, TagKeys=["TEAM"])
    assert iam.list_role_tags(RoleName=r)["Tags"] == [{"Key": "env", "Value": "dev"}]
    with pytest.raises(ClientError) as e:
        iam.tag_role(RoleName=r, Tags=[{"Key": "a", "Value": "1"}, {"Key": "A", "Value": "2"}])
    assert code(e) == "InvalidInput"
    with pytest.raises(ClientError) as e:
        iam.tag_role(RoleName=r, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(50)])
    assert code(e) == "LimitExceeded"


def test_role_updates_and_service_linked_roles(server, iam):
    iam_server = server
    r = unique("upd")
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    iam.create_role(RoleName=r, AssumeRolePolicyDocument=json.dumps(trust))
    iam.update_role(RoleName=r, Description="hello", MaxSessionDuration=43200)
    role = iam.get_role(RoleName=r)["Role"]
    assert role["Description"] == "hello" and role["MaxSessionDuration"] == 43200
    with pytest.raises(ClientError) as e:
        client(iam_server, "iam", validate=False).update_role(RoleName=r, MaxSessionDuration=43201)
    assert code(e) == "ValidationError"
    with pytest.raises(ClientError) as e:
        iam.update_assume_role_policy(RoleName=r, PolicyDocument=json.dumps(allow("s3:*")))
    assert code(e) == "MalformedPolicyDocument"
    slr = iam.create_service_linked_role(AWSServiceName="elasticbeanstalk.amazonaws.com")["Role"]
    assert slr["Path"] == "/aws-service-role/elasticbeanstalk.amazonaws.com/"
    with pytest.raises(ClientError) as e:
        iam.delete_role(RoleName=slr["RoleName"])
    assert code(e) == "UnmodifiableEntity"
    task = iam.delete_service_linked_role(RoleName=slr["RoleName"])["DeletionTaskId"]
    assert iam.get_service_linked_role_deletion_status(DeletionTaskId=task)["Status"] == "SUCCEEDED"


def test_account_summary_counts_are_true(iam):
    before = iam.get_account_summary()["SummaryMap"]
    iam.create_user(UserName=unique("cnt"))
    iam.create_group(GroupName=unique("cnt"))
    after = iam.get_account_summary()["SummaryMap"]
    assert after["Users"] == before["Users"] + 1 and after["Groups"] == before["Groups"] + 1


def test_authorization_details_paginate(iam):
    pages = list(iam.get_paginator("get_account_authorization_details").paginate(PaginationConfig={"PageSize": 3}))
    users = [u["UserName"] for p in pages for u in p.get("UserDetailList", [])]
    assert len(pages) > 1 and len(users) == len(set(users))
    assert len(users) == len({u["UserName"] for p in iam.get_paginator("list_users").paginate() for u in p["Users"]})


def test_access_key_rotation(server, iam):
    u = unique("rot")
    iam.create_user(UserName=u)
    iam.attach_user_policy(UserName=u, PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    k1 = iam.create_access_key(UserName=u)["AccessKey"]
    c1 = client(server, "iam", k1["AccessKeyId"], k1["SecretAccessKey"])
    k2 = c1.create_access_key()["AccessKey"]  # a user rotates its own key
    c2 = client(server, "iam", k2["AccessKeyId"], k2["SecretAccessKey"])
    c2.update_access_key(AccessKeyId=k1["AccessKeyId"], Status="Inactive")
    c2.delete_access_key(AccessKeyId=k1["AccessKeyId"])
    keys = iam.list_access_keys(UserName=u)["AccessKeyMetadata"]
    assert [k["AccessKeyId"] for k in keys] == [k2["AccessKeyId"]]
    last = iam.get_access_key_last_used(AccessKeyId=k2["AccessKeyId"])["AccessKeyLastUsed"]
    assert last["ServiceName"] == "iam" and last["Region"] == "us-east-1" and "LastUsedDate" in last


def test_assume_role_duration_is_validated_by_the_server(server, iam):
    from conftest import make_user
    user, key, secret = make_user(iam)
    r = unique("dur")
    iam.create_role(RoleName=r, AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT_ID}:user/{user}"}, "Action": "sts:AssumeRole"}]}))
    sts = client(server, "sts", key, secret, validate=False)
    for seconds in (60, 7200):
        with pytest.raises(ClientError) as e:
            sts.assume_role(RoleArn=f"arn:aws:iam::{ACCOUNT_ID}:role/{r}", RoleSessionName="s", DurationSeconds=seconds)
        assert code(e) == "ValidationError"


def test_service_linked_roles_have_aws_names_and_are_protected(server, iam):
    ecs = iam.create_service_linked_role(AWSServiceName="ecs.amazonaws.com", Description="for ECS")["Role"]
    assert ecs["RoleName"] == "AWSServiceRoleForECS"
    assert ecs["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS"
    trust = ecs["AssumeRolePolicyDocument"]  # botocore decodes policy documents
    assert trust["Statement"][0]["Principal"] == {"Service": "ecs.amazonaws.com"}
    asg = iam.create_service_linked_role(AWSServiceName="autoscaling.amazonaws.com", CustomSuffix="fleet")["Role"]
    assert asg["RoleName"] == "AWSServiceRoleForAutoScaling_fleet"
    with pytest.raises(ClientError) as e:
        iam.create_service_linked_role(AWSServiceName="ecs.amazonaws.com", CustomSuffix="x")
    assert code(e) == "InvalidInput"
    name = ecs["RoleName"]
    # Only AWS may change a service-linked role's trust, permissions or duration; its description may change.
    for change in (
        lambda: iam.update_assume_role_policy(RoleName=name, PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT_ID}:root"}, "Action": "sts:AssumeRole"}]})),
        lambda: iam.attach_role_policy(RoleName=name, PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess"),
        lambda: iam.put_role_policy(RoleName=name, PolicyName="p", PolicyDocument=json.dumps(allow("iam:*"))),
        lambda: iam.put_role_permissions_boundary(RoleName=name, PermissionsBoundary="arn:aws:iam::aws:policy/ReadOnlyAccess"),
        lambda: iam.update_role(RoleName=name, MaxSessionDuration=7200),
    ):
        with pytest.raises(ClientError) as e:
            change()
        assert code(e) == "UnmodifiableEntity"
    iam.update_role_description(RoleName=name, Description="still ECS")
    assert iam.get_role(RoleName=name)["Role"]["Description"] == "still ECS"
    task = iam.delete_service_linked_role(RoleName=name)["DeletionTaskId"]
    # A role created again under the same name does not turn the finished deletion into a failure.
    iam.create_service_linked_role(AWSServiceName="ecs.amazonaws.com")
    assert iam.get_service_linked_role_deletion_status(DeletionTaskId=task)["Status"] == "SUCCEEDED"


def test_list_shapes_leave_out_what_aws_leaves_out(server, iam):
    boundary = "arn:aws:iam::aws:policy/ReadOnlyAccess"
    u, r = unique("shape"), unique("shape")
    iam.create_user(UserName=u, PermissionsBoundary=boundary, Tags=[{"Key": "k", "Value": "v"}])
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    iam.create_role(RoleName=r, AssumeRolePolicyDocument=json.dumps(trust), PermissionsBoundary=boundary, Tags=[{"Key": "k", "Value": "v"}])
    listed_user = next(x for x in iam.list_users()["Users"] if x["UserName"] == u)
    assert "PermissionsBoundary" not in listed_user and "Tags" not in listed_user
    listed_role = next(x for x in iam.list_roles()["Roles"] if x["RoleName"] == r)
    assert "PermissionsBoundary" not in listed_role and "Tags" not in listed_role
    full = iam.get_role(RoleName=r)["Role"]
    assert full["PermissionsBoundary"]["PermissionsBoundaryArn"] == boundary and full["Tags"] == [{"Key": "k", "Value": "v"}]


def test_every_iam_waiter(server, iam):
    u, r, ip = unique("wait"), unique("wait"), unique("wait")
    iam.create_user(UserName=u)
    iam.get_waiter("user_exists").wait(UserName=u)
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    iam.create_role(RoleName=r, AssumeRolePolicyDocument=json.dumps(trust))
    iam.get_waiter("role_exists").wait(RoleName=r)
    iam.create_instance_profile(InstanceProfileName=ip)
    iam.get_waiter("instance_profile_exists").wait(InstanceProfileName=ip)
    arn = iam.create_policy(PolicyName=unique("wait"), PolicyDocument=json.dumps(allow("iam:GetUser")))["Policy"]["Arn"]
    iam.get_waiter("policy_exists").wait(PolicyArn=arn)
    # A waiter on a missing entity gives up (NoSuchEntity is its retry condition, not an error).
    from botocore.exceptions import WaiterError
    with pytest.raises(WaiterError):
        iam.get_waiter("user_exists").wait(UserName=unique("never"), WaiterConfig={"Delay": 1, "MaxAttempts": 2})


def test_listed_policies_and_profiles_leave_out_descriptions_and_tags(server, iam):
    name = unique("described")
    iam.create_policy(PolicyName=name, Description="a description", PolicyDocument=json.dumps(allow("iam:GetUser")),
                      Tags=[{"Key": "k", "Value": "v"}])
    listed = next(p for p in iam.list_policies(Scope="Local")["Policies"] if p["PolicyName"] == name)
    assert "Description" not in listed and "Tags" not in listed
    assert all("Description" not in p for p in iam.list_policies(Scope="AWS", MaxItems=5)["Policies"])
    profile = unique("profile")
    iam.create_instance_profile(InstanceProfileName=profile, Tags=[{"Key": "k", "Value": "v"}])
    assert iam.get_instance_profile(InstanceProfileName=profile)["InstanceProfile"]["Tags"] == [{"Key": "k", "Value": "v"}]
    listed = next(p for p in iam.list_instance_profiles()["InstanceProfiles"] if p["InstanceProfileName"] == profile)
    assert "Tags" not in listed
