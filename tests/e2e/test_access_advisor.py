"""The IAM access advisor against a real server: boto3 calls are recorded off the request path and the service
last accessed reports (GenerateServiceLastAccessedDetails, GetServiceLastAccessedDetails[WithEntities]) show
them per user, role, group and managed policy."""

import json
import time
import uuid

import pytest
from botocore.exceptions import ClientError

from conftest import ACCOUNT_ID, allow, client, code, make_user, unique
from sts_helpers import make_role, trust, user_arn

# Uses reach the advisor through the call-event stream, which is drained in the background.
WAIT = 15


def generate(iam, arn, level="SERVICE_LEVEL"):
    job = iam.generate_service_last_accessed_details(Arn=arn, Granularity=level)["JobId"]
    assert len(job) == 36
    return job


def report(iam, job, page_size=None):
    """Every service of a report, through all pages."""
    services, marker = [], None
    while True:
        kw = {"JobId": job}
        if page_size:
            kw["MaxItems"] = page_size
        if marker:
            kw["Marker"] = marker
        r = iam.get_service_last_accessed_details(**kw)
        assert r["JobStatus"] == "COMPLETED"
        assert "JobCreationDate" in r and "JobCompletionDate" in r
        services += r["ServicesLastAccessed"]
        if not r.get("IsTruncated"):
            return r, services
        marker = r["Marker"]


def by_namespace(services):
    return {s["ServiceNamespace"]: s for s in services}


def wait_for(iam, arn, namespace, level="SERVICE_LEVEL", check=None):
    """Generates reports until `namespace` shows a use (and `check` holds), as a client polls AWS's advisor."""
    deadline = time.time() + WAIT
    while True:
        _, services = report(iam, generate(iam, arn, level))
        entry = by_namespace(services).get(namespace)
        if entry and "LastAuthenticated" in entry and (check is None or check(entry)):
            return services
        if time.time() > deadline:
            raise AssertionError(f"no use of {namespace} reported for {arn}: {services}")
        time.sleep(0.2)


@pytest.fixture(scope="module")
def alice(server, iam):
    policy = allow(["iam:ListUsers", "iam:GetUser", "s3:GetObject", "sts:GetCallerIdentity"])
    name, key, secret = make_user(iam, policy=policy)
    client(server, "iam", key, secret).list_users()
    return name, key, secret


def test_user_report_lists_allowed_services_and_the_ones_used(server, iam, alice):
    name, _, _ = alice
    arn = user_arn(name)
    services = wait_for(iam, arn, "iam")
    found = by_namespace(services)
    assert sorted(found) == ["iam", "s3", "sts"]
    assert [s["ServiceNamespace"] for s in services] == ["iam", "s3", "sts"]  # sorted by namespace
    assert found["iam"]["ServiceName"] == "AWS Identity and Access Management"
    assert found["iam"]["LastAuthenticatedEntity"] == arn
    assert found["iam"]["LastAuthenticatedRegion"] == "us-east-1"
    assert found["iam"]["TotalAuthenticatedEntities"] == 1
    assert "LastAuthenticated" not in found["s3"] and "LastAuthenticatedEntity" not in found["s3"]
    assert found["s3"]["TotalAuthenticatedEntities"] == 0
    assert "TrackedActionsLastAccessed" not in found["iam"]


def test_action_level_report_tracks_iam_actions(server, iam, alice):
    name, _, _ = alice
    arn = user_arn(name)
    job = generate(iam, arn, "ACTION_LEVEL")
    r, services = report(iam, job)
    assert r["JobType"] == "ACTION_LEVEL"
    actions = {a["ActionName"]: a for a in by_namespace(services)["iam"]["TrackedActionsLastAccessed"]}
    assert sorted(actions) == ["GetUser", "ListUsers"]
    assert actions["ListUsers"]["LastAccessedEntity"] == arn
    assert "LastAccessedTime" in actions["ListUsers"]
    assert "LastAccessedTime" not in actions["GetUser"]
    # S3 object actions are data events, which AWS does not track per action.
    assert not by_namespace(services)["s3"].get("TrackedActionsLastAccessed")


def test_refused_attempts_count(server, iam):
    """AWS: "Last accessed information includes all attempts to access an AWS API, not just the successful ones."
    """
    name = unique("bob")
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "iam:GetUser", "Resource": user_arn(name)},
        {"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*"}]}
    _, key, secret = make_user(iam, name=name, policy=policy)
    bob = client(server, "iam", key, secret)
    with pytest.raises(ClientError) as e:
        bob.get_user(UserName="someone-else")
    assert code(e) == "AccessDenied"
    bob.list_users()

    def list_users_seen(entry):
        return any(a["ActionName"] == "ListUsers" and "LastAccessedTime" in a for a in entry.get("TrackedActionsLastAccessed", []))

    # The refused call came first: once the later ListUsers shows, the refusal has been seen, and counted.
    services = wait_for(iam, user_arn(name), "iam", level="ACTION_LEVEL", check=list_users_seen)
    actions = {a["ActionName"]: a for a in by_namespace(services)["iam"]["TrackedActionsLastAccessed"]}
    assert "LastAccessedTime" in actions["GetUser"]
    assert actions["GetUser"]["LastAccessedTime"] <= actions["ListUsers"]["LastAccessedTime"]


def test_role_sessions_are_reported_on_the_role(server, iam):
    role, role_arn = make_role(iam, trust(f"arn:aws:iam::{ACCOUNT_ID}:root"), allow(["iam:ListRoles", "ec2:DescribeInstances"]),
                               Path="/advisor/")
    role_arn = f"arn:aws:iam::{ACCOUNT_ID}:role/advisor/{role}"
    _, key, secret = make_user(iam, policy=allow("sts:AssumeRole", role_arn))
    creds = client(server, "sts", key, secret).assume_role(RoleArn=role_arn, RoleSessionName="advisor-session")["Credentials"]
    client(server, "iam", creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"]).list_roles()
    services = wait_for(iam, role_arn, "iam")
    found = by_namespace(services)
    assert sorted(found) == ["ec2", "iam"]
    assert found["iam"]["LastAuthenticatedEntity"] == role_arn
    assert "LastAuthenticated" not in found["ec2"]
    # The role's own entity details.
    job = generate(iam, role_arn)
    entities = iam.get_service_last_accessed_details_with_entities(JobId=job, ServiceNamespace="iam")["EntityDetailsList"]
    assert [e["EntityInfo"]["Arn"] for e in entities] == [role_arn]
    assert entities[0]["EntityInfo"]["Type"] == "ROLE" and entities[0]["EntityInfo"]["Path"] == "/advisor/"
    assert "LastAuthenticated" in entities[0]


def test_group_and_policy_reports_with_entities(server, iam):
    group = unique("readers")
    iam.create_group(GroupName=group)
    iam.put_group_policy(GroupName=group, PolicyName="p", PolicyDocument=json.dumps(allow(["iam:Get*", "iam:List*"])))
    users = []
    for _ in range(3):
        name, key, secret = make_user(iam)
        iam.add_user_to_group(GroupName=group, UserName=name)
        users.append((name, key, secret))
    # Two members use IAM, the second last.
    client(server, "iam", users[0][1], users[0][2]).list_users()
    time.sleep(1.1)
    client(server, "iam", users[1][1], users[1][2]).get_user()
    group_arn = f"arn:aws:iam::{ACCOUNT_ID}:group/{group}"
    services = wait_for(iam, group_arn, "iam", check=lambda s: s["TotalAuthenticatedEntities"] == 2)
    iam_entry = by_namespace(services)["iam"]
    assert iam_entry["LastAuthenticatedEntity"] == user_arn(users[1][0])

    job = generate(iam, group_arn)
    r = iam.get_service_last_accessed_details_with_entities(JobId=job, ServiceNamespace="iam")
    assert r["JobStatus"] == "COMPLETED"
    names = [e["EntityInfo"]["Name"] for e in r["EntityDetailsList"]]
    assert names == [users[1][0], users[0][0], users[2][0]]  # most recent use first, the unused member last
    assert all(e["EntityInfo"]["Type"] == "USER" for e in r["EntityDetailsList"])
    assert "LastAuthenticated" not in r["EntityDetailsList"][2]
    # Paging.
    first = iam.get_service_last_accessed_details_with_entities(JobId=job, ServiceNamespace="iam", MaxItems=1)
    assert first["IsTruncated"] and len(first["EntityDetailsList"]) == 1
    rest = iam.get_service_last_accessed_details_with_entities(JobId=job, ServiceNamespace="iam", Marker=first["Marker"])
    assert [e["EntityInfo"]["Name"] for e in rest["EntityDetailsList"]] == names[1:]

    # A managed policy: the entities it is attached to.
    policy_arn = iam.create_policy(PolicyName=unique("advisor"), PolicyDocument=json.dumps(allow(["iam:List*", "s3:*"])))["Policy"]["Arn"]
    iam.attach_user_policy(UserName=users[0][0], PolicyArn=policy_arn)
    role, role_arn = make_role(iam, trust(f"arn:aws:iam::{ACCOUNT_ID}:root"))
    iam.attach_role_policy(RoleName=role, PolicyArn=policy_arn)
    services = wait_for(iam, policy_arn, "iam")
    found = by_namespace(services)
    assert sorted(found) == ["iam", "s3"]
    assert found["iam"]["LastAuthenticatedEntity"] == user_arn(users[0][0])
    job = generate(iam, policy_arn)
    entities = iam.get_service_last_accessed_details_with_entities(JobId=job, ServiceNamespace="iam")["EntityDetailsList"]
    assert {e["EntityInfo"]["Arn"] for e in entities} == {user_arn(users[0][0]), role_arn}
    assert entities[0]["EntityInfo"]["Arn"] == user_arn(users[0][0])


def test_paging_an_administrator_report(server, iam):
    name, _, _ = make_user(iam)
    iam.attach_user_policy(UserName=name, PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    job = generate(iam, user_arn(name))
    first = iam.get_service_last_accessed_details(JobId=job, MaxItems=25)
    assert first["IsTruncated"] and len(first["ServicesLastAccessed"]) == 25
    _, services = report(iam, job, page_size=100)
    namespaces = [s["ServiceNamespace"] for s in services]
    assert namespaces == sorted(namespaces) and len(set(namespaces)) == len(namespaces)
    assert {"iam", "sts", "s3", "ec2", "dynamodb", "lambda"} <= set(namespaces)
    # Any page size reads the same list.
    _, again = report(iam, job, page_size=7)
    assert [s["ServiceNamespace"] for s in again] == namespaces


def test_errors(server, iam):
    missing = f"arn:aws:iam::{ACCOUNT_ID}:user/{unique('nobody')}"
    with pytest.raises(ClientError) as e:
        iam.generate_service_last_accessed_details(Arn=missing)
    assert code(e) == "NoSuchEntity"
    # A caller without permission is denied before learning whether the entity exists.
    _, key, secret = make_user(iam, policy=allow(["iam:GetServiceLastAccessedDetails"]))
    limited = client(server, "iam", key, secret)
    with pytest.raises(ClientError) as e:
        limited.generate_service_last_accessed_details(Arn=missing)
    assert code(e) == "AccessDenied"
    # Unknown jobs, and jobs another principal generated.
    with pytest.raises(ClientError) as e:
        iam.get_service_last_accessed_details(JobId=str(uuid.uuid4()))
    assert code(e) == "InvalidInput"
    job = generate(iam, "arn:aws:iam::aws:policy/AdministratorAccess")
    with pytest.raises(ClientError) as e:
        limited.get_service_last_accessed_details(JobId=job)
    assert code(e) == "InvalidInput"
    with pytest.raises(ClientError) as e:
        iam.get_service_last_accessed_details_with_entities(JobId=str(uuid.uuid4()), ServiceNamespace="iam")
    assert code(e) == "InvalidInput"


def test_organizations_reports_need_an_organization(server, iam):
    with pytest.raises(ClientError) as e:
        iam.generate_organizations_access_report(EntityPath="o-a1b2c3d4e5/r-f6g7")
    assert code(e) == "OrganizationNotFoundException"
    with pytest.raises(ClientError) as e:
        iam.get_organizations_access_report(JobId=str(uuid.uuid4()))
    assert code(e) == "OrganizationNotFoundException"


def test_uses_survive_a_restart(server, iam, alice):
    name, _, _ = alice
    wait_for(iam, user_arn(name), "iam")
    server.restart()
    _, services = report(iam, generate(iam, user_arn(name)))
    assert "LastAuthenticated" in by_namespace(services)["iam"]
