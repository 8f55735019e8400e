"""IAM Access Analyzer's API on Warden's endpoint (REST-JSON, service `access-analyzer`): analyzers and their quota,
archive rules, tags, findings with filters, sorting and pagination, archiving, statistics, analysed resources,
authorization of every call, and the AWS CLI."""
import json
import time

import pytest
from botocore.exceptions import ClientError

from conftest import ACCOUNT_ID, REGION, allow, aws_cli, client, code, make_user, unique


@pytest.fixture(scope="module")
def aa(server):
    return client(server, "accessanalyzer")


def trust(principal, condition=None):
    st = {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": principal}
    if condition:
        st["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [st]})


def wait_for(predicate, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    return predicate()


@pytest.fixture(scope="module")
def analyzer(aa):
    name = unique("account")
    arn = aa.create_analyzer(analyzerName=name, type="ACCOUNT", tags={"team": "security"},
                             archiveRules=[{"ruleName": "trusted-partner",
                                            "filter": {"principal.AWS": {"eq": ["arn:aws:iam::777788889999:root"]}}}])["arn"]
    return name, arn


def role_findings(aa, arn, role, status=None):
    f = {"resource": {"contains": [f"role/{role}"]}}
    if status:
        f["status"] = {"eq": [status]}
    return aa.list_findings(analyzerArn=arn, filter=f)["findings"]


def test_analyzer_lifecycle_quota_and_tags(aa, analyzer):
    name, arn = analyzer
    assert arn == f"arn:aws:access-analyzer:{REGION}:{ACCOUNT_ID}:analyzer/{name}"
    got = aa.get_analyzer(analyzerName=name)["analyzer"]
    assert got["type"] == "ACCOUNT" and got["status"] == "ACTIVE" and got["tags"] == {"team": "security"}
    assert [a["name"] for a in aa.list_analyzers()["analyzers"]] == [name]
    assert aa.list_analyzers(type="ACCOUNT_UNUSED_ACCESS")["analyzers"] == []
    # One account analyzer per type and Region, as AWS's fixed quota; the same name is a conflict.
    with pytest.raises(ClientError) as e:
        aa.create_analyzer(analyzerName=unique("second"), type="ACCOUNT")
    assert code(e) == "ServiceQuotaExceededException"
    with pytest.raises(ClientError) as e:
        aa.create_analyzer(analyzerName=name, type="ACCOUNT")
    assert code(e) == "ConflictException"
    with pytest.raises(ClientError) as e:
        aa.get_analyzer(analyzerName="missing")
    assert code(e) == "ResourceNotFoundException"
    aa.tag_resource(resourceArn=arn, tags={"env": "test"})
    assert aa.list_tags_for_resource(resourceArn=arn)["tags"] == {"team": "security", "env": "test"}
    aa.untag_resource(resourceArn=arn, tagKeys=["team"])
    assert aa.list_tags_for_resource(resourceArn=arn)["tags"] == {"env": "test"}


def test_other_region_and_unsupported_types(server):
    west = client(server, "accessanalyzer", region="us-west-2")
    name = unique("west")
    west.create_analyzer(analyzerName=name, type="ACCOUNT")
    assert [a["name"] for a in west.list_analyzers()["analyzers"]] == [name]
    west.delete_analyzer(analyzerName=name)
    assert west.list_analyzers()["analyzers"] == []
    for t in ("ORGANIZATION", "ACCOUNT_INTERNAL_ACCESS"):
        with pytest.raises(ClientError) as e:
            west.create_analyzer(analyzerName=unique("x"), type=t)
        assert code(e) == "ValidationException"


def test_archive_rules(aa, analyzer):
    name, arn = analyzer
    rules = aa.list_archive_rules(analyzerName=name)["archiveRules"]
    assert [r["ruleName"] for r in rules] == ["trusted-partner"]
    aa.create_archive_rule(analyzerName=name, ruleName="public", filter={"isPublic": {"eq": ["true"]}})
    with pytest.raises(ClientError) as e:
        aa.create_archive_rule(analyzerName=name, ruleName="public", filter={"isPublic": {"eq": ["true"]}})
    assert code(e) == "ConflictException"
    with pytest.raises(ClientError) as e:
        aa.create_archive_rule(analyzerName=name, ruleName="bad", filter={"nonsense": {"eq": ["x"]}})
    assert code(e) == "ValidationException"
    aa.update_archive_rule(analyzerName=name, ruleName="public", filter={"isPublic": {"eq": ["false"]}})
    assert aa.get_archive_rule(analyzerName=name, ruleName="public")["archiveRule"]["filter"] == {"isPublic": {"eq": ["false"]}}
    aa.delete_archive_rule(analyzerName=name, ruleName="public")
    with pytest.raises(ClientError) as e:
        aa.get_archive_rule(analyzerName=name, ruleName="public")
    assert code(e) == "ResourceNotFoundException"


def test_external_access_findings_follow_the_trust_policy(iam, aa, analyzer):
    name, arn = analyzer
    role = unique("partner")
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=trust({"AWS": "arn:aws:iam::444455556666:root"}))
    found = wait_for(lambda: role_findings(aa, arn, role, "ACTIVE"))
    assert len(found) == 1
    f = found[0]
    assert f["principal"] == {"AWS": "arn:aws:iam::444455556666:root"} or f["principal"] == {"AWS": "444455556666"}
    assert "sts:AssumeRole" in f["action"] and f["isPublic"] is False and f["resourceType"] == "AWS::IAM::Role"
    assert f["resourceOwnerAccount"] == ACCOUNT_ID
    full = aa.get_finding(analyzerArn=arn, id=f["id"])["finding"]
    assert full["id"] == f["id"] and full["status"] == "ACTIVE"
    v2 = aa.get_finding_v2(analyzerArn=arn, id=f["id"])
    assert v2["findingType"] == "ExternalAccess"
    assert v2["findingDetails"][0]["externalAccessDetails"]["principal"] == f["principal"]
    # The analysed resource.
    role_arn = iam.get_role(RoleName=role)["Role"]["Arn"]
    resource = aa.get_analyzed_resource(analyzerArn=arn, resourceArn=role_arn)["resource"]
    assert resource["resourceType"] == "AWS::IAM::Role" and "sts:AssumeRole" in resource["actions"]
    listed = aa.list_analyzed_resources(analyzerArn=arn, resourceType="AWS::IAM::Role")["analyzedResources"]
    assert role_arn in [r["resourceArn"] for r in listed]
    # Archive and unarchive.
    aa.update_findings(analyzerArn=arn, ids=[f["id"]], status="ARCHIVED")
    assert role_findings(aa, arn, role)[0]["status"] == "ARCHIVED"
    aa.update_findings(analyzerArn=arn, resourceArn=role_arn, status="ACTIVE")
    assert role_findings(aa, arn, role)[0]["status"] == "ACTIVE"
    # Fixing the policy resolves the finding; a new way in opens a new one.
    iam.update_assume_role_policy(RoleName=role, PolicyDocument=trust({"AWS": f"arn:aws:iam::{ACCOUNT_ID}:root"}))
    assert wait_for(lambda: not role_findings(aa, arn, role, "ACTIVE"))
    assert [x["status"] for x in role_findings(aa, arn, role)] == ["RESOLVED"]
    iam.update_assume_role_policy(RoleName=role, PolicyDocument=trust({"AWS": "*"}))
    public = wait_for(lambda: role_findings(aa, arn, role, "ACTIVE"))
    assert public and public[0]["isPublic"] is True and public[0]["id"] != f["id"]
    # Deleting the role resolves its findings.
    iam.delete_role(RoleName=role)
    assert wait_for(lambda: not role_findings(aa, arn, role, "ACTIVE"))


def test_archive_rule_applies_to_new_and_existing_findings(iam, aa, analyzer):
    name, arn = analyzer
    partner = unique("trusted")
    iam.create_role(RoleName=partner, AssumeRolePolicyDocument=trust({"AWS": "arn:aws:iam::777788889999:root"}))
    archived = wait_for(lambda: role_findings(aa, arn, partner))
    assert [x["status"] for x in archived] == ["ARCHIVED"]
    other = unique("other")
    iam.create_role(RoleName=other, AssumeRolePolicyDocument=trust({"AWS": "arn:aws:iam::222233334444:root"}))
    assert wait_for(lambda: role_findings(aa, arn, other, "ACTIVE"))
    aa.create_archive_rule(analyzerName=name, ruleName="partner-2",
                           filter={"principal.AWS": {"contains": ["222233334444"]}})
    assert role_findings(aa, arn, other, "ACTIVE")  # a new rule archives new findings only…
    aa.apply_archive_rule(analyzerArn=arn, ruleName="partner-2")  # …until it is applied
    assert [x["status"] for x in role_findings(aa, arn, other)] == ["ARCHIVED"]
    stats = aa.get_findings_statistics(analyzerArn=arn)["findingsStatistics"][0]["externalAccessFindingsStatistics"]
    assert stats["totalArchivedFindings"] >= 2


def test_listing_filters_sorting_and_pagination(iam, aa, analyzer):
    name, arn = analyzer
    roles = [unique("page") for _ in range(3)]
    for r in roles:
        iam.create_role(RoleName=r, AssumeRolePolicyDocument=trust({"AWS": "arn:aws:iam::555566667777:root"}))
    flt = {"principal.AWS": {"contains": ["555566667777"]}, "status": {"eq": ["ACTIVE"]}}
    assert wait_for(lambda: len(aa.list_findings(analyzerArn=arn, filter=flt)["findings"]) == 3)
    seen, token = [], None
    while True:
        kw = {"nextToken": token} if token else {}
        page = aa.list_findings_v2(analyzerArn=arn, filter=flt, maxResults=2, sort={"attributeName": "resource", "orderBy": "ASC"}, **kw)
        seen += [f["resource"] for f in page["findings"]]
        token = page.get("nextToken")
        if not token:
            break
    assert seen == sorted(seen) and len(seen) == 3
    desc = aa.list_findings(analyzerArn=arn, filter=flt, sort={"attributeName": "resource", "orderBy": "DESC"})["findings"]
    assert [f["resource"] for f in desc] == sorted(seen, reverse=True)
    assert aa.list_findings(analyzerArn=arn, filter={"resource": {"exists": False}})["findings"] == []


def test_every_call_is_authorized(server, iam, analyzer):
    name, arn = analyzer
    _, key, secret = make_user(iam)
    denied = client(server, "accessanalyzer", key=key, secret=secret)
    for call in (lambda: denied.list_analyzers(), lambda: denied.get_analyzer(analyzerName=name),
                 lambda: denied.get_analyzer(analyzerName="does-not-exist"),
                 lambda: denied.list_findings(analyzerArn=arn),
                 lambda: denied.create_analyzer(analyzerName=unique("x"), type="ACCOUNT_UNUSED_ACCESS")):
        with pytest.raises(ClientError) as e:
            call()
        assert code(e) == "AccessDeniedException"
    _, key, secret = make_user(iam, policy=allow(["access-analyzer:GetAnalyzer", "access-analyzer:ListFindings"],
                                                 f"arn:aws:access-analyzer:{REGION}:{ACCOUNT_ID}:analyzer/{name}"))
    reader = client(server, "accessanalyzer", key=key, secret=secret)
    assert reader.get_analyzer(analyzerName=name)["analyzer"]["name"] == name
    reader.list_findings(analyzerArn=arn)
    with pytest.raises(ClientError) as e:
        reader.list_analyzers()
    assert code(e) == "AccessDeniedException"


def test_aws_cli(server, analyzer):
    name, arn = analyzer
    out = aws_cli(server, "accessanalyzer", "get-analyzer", "--analyzer-name", name)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["analyzer"]["arn"] == arn
    out = aws_cli(server, "accessanalyzer", "list-findings", "--analyzer-arn", arn)
    assert out.returncode == 0, out.stderr
    doc = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]})
    out = aws_cli(server, "accessanalyzer", "validate-policy", "--policy-type", "IDENTITY_POLICY", "--policy-document", doc)
    assert out.returncode == 0, out.stderr
    assert "PASS_ROLE_WITH_STAR_IN_RESOURCE" in [f["issueCode"] for f in json.loads(out.stdout)["findings"]]
    old = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]})
    new = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})
    out = aws_cli(server, "accessanalyzer", "check-no-new-access", "--policy-type", "IDENTITY_POLICY",
                  "--existing-policy-document", old, "--new-policy-document", new)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["result"] == "FAIL"


def test_unused_access_with_the_testing_clock(tmp_path):
    """Entities made and used today; the server restarted 100 days later (the testing clock offset) finds the
    role, key and password unused, and for a user that is still used, the services it never used."""
    import datetime
    from freezegun import freeze_time
    from conftest import Server

    data = str(tmp_path / "data")
    srv = Server(data).start()
    try:
        iam = client(srv, "iam")
        idle_role = unique("idle")
        iam.create_role(RoleName=idle_role, AssumeRolePolicyDocument=trust({"AWS": f"arn:aws:iam::{ACCOUNT_ID}:root"}))
        idle_user = unique("idle-user")
        iam.create_user(UserName=idle_user)
        idle_key = iam.create_access_key(UserName=idle_user)["AccessKey"]["AccessKeyId"]
        iam.create_login_profile(UserName=idle_user, Password="Idle-Passw0rd!x")
        busy, busy_key, busy_secret = make_user(iam, policy=allow(["iam:ListUsers", "s3:GetObject", "sts:GetCallerIdentity"]))
    finally:
        srv.stop()
    days = 100
    srv = Server(data, env={"WARDEN_TESTING_CLOCK_OFFSET_SECONDS": str(days * 86400)}).start()
    try:
        with freeze_time(datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=days), tick=True):
            client(srv, "iam", key=busy_key, secret=busy_secret).list_users()  # the busy user uses IAM today
            time.sleep(1)  # the access advisor learns of calls from the event stream, within a fraction of a second
            aa = client(srv, "accessanalyzer")
            arn = aa.create_analyzer(analyzerName="unused", type="ACCOUNT_UNUSED_ACCESS",
                                     configuration={"unusedAccess": {"unusedAccessAge": 90}})["arn"]
            got = aa.get_analyzer(analyzerName="unused")["analyzer"]
            assert got["configuration"]["unusedAccess"]["unusedAccessAge"] == 90

            def by_type():
                out = {}
                for f in aa.list_findings_v2(analyzerArn=arn, filter={"status": {"eq": ["ACTIVE"]}})["findings"]:
                    out.setdefault(f["findingType"], []).append(f)
                return out

            found = wait_for(lambda: (lambda t: t if "UnusedPermission" in t else None)(by_type()))
            assert any(f["resource"].endswith(f"role/{idle_role}") for f in found["UnusedIAMRole"])
            key_findings = [f for f in found["UnusedIAMUserAccessKey"] if f["resource"].endswith(f"user/{idle_user}")]
            assert len(key_findings) == 1
            details = aa.get_finding_v2(analyzerArn=arn, id=key_findings[0]["id"])["findingDetails"][0]
            assert details["unusedIamUserAccessKeyDetails"]["accessKeyId"] == idle_key
            assert any(f["resource"].endswith(f"user/{idle_user}") for f in found["UnusedIAMUserPassword"])
            # The busy user: used today, so no unused key; but S3 was never used, and of IAM only ListUsers was.
            assert not any(f["resource"].endswith(f"user/{busy}") for f in found.get("UnusedIAMUserAccessKey", []))
            perm = [f for f in found["UnusedPermission"] if f["resource"].endswith(f"user/{busy}")]
            assert len(perm) == 1
            details = aa.get_finding_v2(analyzerArn=arn, id=perm[0]["id"])["findingDetails"]
            services = {d["unusedPermissionDetails"]["serviceNamespace"]: d["unusedPermissionDetails"] for d in details}
            assert "s3" in services and "lastAccessed" not in services["s3"]
            assert "iam" not in services or all(a["action"] != "ListUsers" for a in services["iam"].get("actions", []))
            # The recommendation narrows the user's inline policy to what it used.
            with pytest.raises(ClientError) as e:
                aa.get_finding_recommendation(analyzerArn=arn, id=perm[0]["id"])
            assert code(e) == "ResourceNotFoundException"
            aa.generate_finding_recommendation(analyzerArn=arn, id=perm[0]["id"])
            rec = aa.get_finding_recommendation(analyzerArn=arn, id=perm[0]["id"])
            assert rec["status"] == "SUCCEEDED" and rec["recommendationType"] == "UnusedPermissionRecommendation"
            step = rec["recommendedSteps"][0]["unusedPermissionsRecommendedStep"]
            assert step["recommendedAction"] == "CREATE_POLICY" and step["existingPolicyId"] == "inline"
            assert json.loads(step["recommendedPolicy"])["Statement"][0]["Action"] == "iam:ListUsers"
            with pytest.raises(ClientError) as e:
                aa.generate_finding_recommendation(analyzerArn=arn, id=key_findings[0]["id"])
            assert code(e) == "ValidationException"
            stats = aa.get_findings_statistics(analyzerArn=arn)["findingsStatistics"][0]["unusedAccessFindingsStatistics"]
            assert stats["totalActiveFindings"] >= 4
            # Archiving by resource.
            aa.update_findings(analyzerArn=arn, resourceArn=perm[0]["resource"], status="ARCHIVED")
            assert aa.get_finding_v2(analyzerArn=arn, id=perm[0]["id"])["status"] == "ARCHIVED"
    finally:
        srv.stop()


def test_access_preview_of_a_trust_policy(iam, aa, analyzer):
    name, arn = analyzer
    role = unique("preview")
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=trust({"AWS": "arn:aws:iam::333344445555:root"}))
    current = wait_for(lambda: role_findings(aa, arn, role, "ACTIVE"))
    role_arn = iam.get_role(RoleName=role)["Role"]["Arn"]
    proposed = trust({"AWS": "*"})
    pid = aa.create_access_preview(analyzerArn=arn, configurations={role_arn: {"iamRole": {"trustPolicy": proposed}}})["id"]
    preview = aa.get_access_preview(analyzerArn=arn, accessPreviewId=pid)["accessPreview"]
    assert preview["status"] == "COMPLETED" and preview["configurations"][role_arn]["iamRole"]["trustPolicy"] == proposed
    assert pid in [p["id"] for p in aa.list_access_previews(analyzerArn=arn)["accessPreviews"]]
    found = aa.list_access_preview_findings(analyzerArn=arn, accessPreviewId=pid)["findings"]
    by_change = {f["changeType"]: f for f in found}
    assert by_change["NEW"]["isPublic"] is True and by_change["NEW"]["status"] == "ACTIVE"
    assert by_change["CHANGED"]["existingFindingId"] == current[0]["id"] and by_change["CHANGED"]["status"] == "RESOLVED"
    # Nothing was applied: the role's finding is still the same one.
    assert [f["id"] for f in role_findings(aa, arn, role, "ACTIVE")] == [current[0]["id"]]
    # Keeping the trust policy previews as UNCHANGED; a policy that lets nobody outside in resolves everything.
    same = aa.create_access_preview(analyzerArn=arn, configurations={role_arn: {"iamRole": {}}})["id"]
    assert [f["changeType"] for f in aa.list_access_preview_findings(analyzerArn=arn, accessPreviewId=same)["findings"]] == ["UNCHANGED"]
    inside = aa.create_access_preview(analyzerArn=arn, configurations={role_arn: {"iamRole": {
        "trustPolicy": trust({"AWS": f"arn:aws:iam::{ACCOUNT_ID}:root"})}}})["id"]
    assert [f["changeType"] for f in aa.list_access_preview_findings(analyzerArn=arn, accessPreviewId=inside)["findings"]] == ["CHANGED"]
    with pytest.raises(ClientError) as e:
        aa.create_access_preview(analyzerArn=arn, configurations={"arn:aws:s3:::bucket": {"s3Bucket": {}}})
    assert code(e) == "ValidationException"


def test_policy_generation_from_the_trail(server, iam, aa):
    name, key, secret = make_user(iam, policy=allow(["iam:*", "sts:GetCallerIdentity"]))
    me = client(server, "iam", key=key, secret=secret)
    me.list_users()
    me.get_user(UserName=name)
    client(server, "sts", key=key, secret=secret).get_caller_identity()
    with pytest.raises(ClientError):
        client(server, "s3", key=key, secret=secret).list_objects_v2(Bucket=f"warden-audit-{ACCOUNT_ID}")  # refused: not used
    time.sleep(1)  # reads reach the trail within a fraction of a second
    access_role = unique("aa-access")
    iam.create_role(RoleName=access_role, AssumeRolePolicyDocument=trust({"Service": "access-analyzer.amazonaws.com"}))
    user_arn = iam.get_user(UserName=name)["User"]["Arn"]
    start = time.time() - 3600
    job = aa.start_policy_generation(policyGenerationDetails={"principalArn": user_arn}, cloudTrailDetails={
        "trails": [{"cloudTrailArn": f"arn:aws:cloudtrail:us-east-1:{ACCOUNT_ID}:trail/warden-audit", "allRegions": True}],
        "accessRole": iam.get_role(RoleName=access_role)["Role"]["Arn"], "startTime": start})["jobId"]
    result = wait_for(lambda: (lambda r: r if r["jobDetails"]["status"] != "IN_PROGRESS" else None)(
        aa.get_generated_policy(jobId=job)))
    assert result["jobDetails"]["status"] == "SUCCEEDED", result
    assert result["generatedPolicyResult"]["properties"]["isComplete"] is True
    policy = json.loads(result["generatedPolicyResult"]["generatedPolicies"][0]["policy"])
    actions = set(policy["Statement"][0]["Action"])
    assert {"iam:ListUsers", "iam:GetUser", "sts:GetCallerIdentity"} <= actions
    assert not any(a.startswith("s3:") for a in actions) and "iam:CreateUser" not in actions
    placed = json.loads(aa.get_generated_policy(jobId=job, includeResourcePlaceholders=True)
                        ["generatedPolicyResult"]["generatedPolicies"][0]["policy"])
    get_user = [s for s in placed["Statement"] if "iam:GetUser" in (s["Action"] if isinstance(s["Action"], list) else [s["Action"]])]
    resources = get_user[0]["Resource"] if isinstance(get_user[0]["Resource"], list) else [get_user[0]["Resource"]]
    assert any(r.startswith(f"arn:aws:iam::{ACCOUNT_ID}:user/") for r in resources)
    assert job in [g["jobId"] for g in aa.list_policy_generations(principalArn=user_arn)["policyGenerations"]]
    # An access role that Access Analyzer may not assume fails the job, as AWS's does.
    job = aa.start_policy_generation(policyGenerationDetails={"principalArn": user_arn}, cloudTrailDetails={
        "trails": [{"cloudTrailArn": f"arn:aws:cloudtrail:us-east-1:{ACCOUNT_ID}:trail/warden-audit"}],
        "accessRole": f"arn:aws:iam::{ACCOUNT_ID}:role/nobody", "startTime": start})["jobId"]
    failed = aa.get_generated_policy(jobId=job)["jobDetails"]
    assert failed["status"] == "FAILED" and failed["jobError"]["code"] == "AUTHORIZATION_ERROR"
