"""Run prowler's IAM service against a real `warden serve` and check the findings that rest on last-used data.

    python tests/prowler/prowler_check.py [--keep DIR] [--prowler PATH]

Needs boto3 and requests, and `prowler` (PATH, or --prowler). WARDEN_BIN names the server binary (default
.build/debug/warden). scripts/prowler-check sets up a venv with both and runs this.

Aged data: the account is seeded in two phases. The first runs the server, and the client that seeds it,
under libfaketime shifted OLD_DAYS into the past (FAKETIME_LIB names libfaketime.so.1; the `libfaketime`
PyPI package ships one), so that those keys, sign-ins and role uses are OLD_DAYS old when the server is
restarted at the real time for the second phase and for prowler. Without libfaketime the old phase runs at
the real time and the checks whose answer depends on age are left out (said so in the summary).

Then every FAIL finding of every prowler IAM check must also FAIL in Warden's own checks (GetSecurityChecks), through
the mapping of prowler checks to Warden checks (each Warden check's references): Warden's checks miss nothing that
prowler finds.

Exit status: 0 when every checked finding is what the seeded state calls for, none of the checked checks errored,
and Warden's checks miss none of prowler's failures; 1 otherwise; 2 when prowler could not run.
"""

import argparse
import fnmatch
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

import boto3
import requests
from botocore.config import Config

ACCOUNT_ID = "123456789012"
ROOT_KEY = "AKIAWARDENPROWLER001"
ROOT_SECRET = "wardenProwlerRootSecretKey00000000000000"
REGION = "us-east-1"
OLD_DAYS = 200
PASSWORD = "Pr0wler-Check-Passw0rd!"
ROOT_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Warden's own API model (models/warden), for GetSecurityChecks; botocore reads AWS_DATA_PATH when a session starts.
os.environ["AWS_DATA_PATH"] = os.pathsep.join(p for p in [os.path.join(ROOT_DIR, "models"), os.environ.get("AWS_DATA_PATH")] if p)

# prowler's checks that read the access advisor (GenerateServiceLastAccessedDetails / GetServiceLastAccessedDetails)
ADVISOR_CHECKS = [
    "iam_user_with_temporary_credentials",
    "iam_user_access_not_stale_to_bedrock",
    "iam_user_access_not_stale_to_sagemaker",
    "iam_role_access_not_stale_to_bedrock",
]
# prowler's checks that read other last-used data (credential report, PasswordLastUsed)
LAST_USED_CHECKS = [
    "iam_user_accesskey_unused",
    "iam_user_console_access_unused",
    "iam_avoid_root_usage",
    "iam_rotate_access_key_90_days",
    "iam_user_no_setup_initial_access_key",
]
CHECKS = ADVISOR_CHECKS + LAST_USED_CHECKS


def warden_binary():
    return os.environ.get("WARDEN_BIN") or os.path.join(ROOT_DIR, ".build", "debug", "warden")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def faketime_lib():
    """libfaketime.so.1: FAKETIME_LIB, else the one the `libfaketime` package ships, else the system's."""
    cands = [os.environ.get("FAKETIME_LIB", "")]
    try:
        import libfaketime  # noqa: F401  (python-libfaketime ships the shared library)
        cands += glob.glob(os.path.join(os.path.dirname(libfaketime.__file__), "vendor", "libfaketime", "src",
                                        "libfaketime.so.1"))
    except ImportError:
        pass
    cands += ["/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1", "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1"]
    for c in cands:
        if c and os.path.exists(c):
            return c
    return None


def faketime_env(days):
    lib = faketime_lib()
    if not lib:
        return None
    return {"LD_PRELOAD": lib, "FAKETIME": f"-{days}d", "FAKETIME_DONT_FAKE_MONOTONIC": "1"}


class Server:
    def __init__(self, data_dir, port):
        self.data_dir, self.port = data_dir, port
        self.endpoint = f"http://127.0.0.1:{port}"
        self.log_path = data_dir.rstrip("/") + ".log"
        self.proc = None

    def start(self, extra_env=None):
        env = {k: v for k, v in os.environ.items() if not k.startswith("WARDEN_") and k not in ("LD_PRELOAD", "FAKETIME")}
        env.update(WARDEN_ACCOUNT_ID=ACCOUNT_ID, WARDEN_ROOT_ACCESS_KEY_ID=ROOT_KEY,
                   WARDEN_ROOT_SECRET_ACCESS_KEY=ROOT_SECRET)
        env.update(extra_env or {})
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([warden_binary(), "serve", "--host", "127.0.0.1", "--port", str(self.port),
                                      "--data-dir", self.data_dir], env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"warden exited with {self.proc.returncode}; log: {self.log_path}")
            try:
                if requests.get(self.endpoint + "/healthz", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise RuntimeError("warden did not become healthy")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


def client(endpoint, service, key, secret, token=None):
    return boto3.client(service, endpoint_url=endpoint, region_name=REGION, aws_access_key_id=key,
                        aws_secret_access_key=secret, aws_session_token=token,
                        config=Config(retries={"max_attempts": 2}))


def doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(actions, resource="*"):
    return {"Effect": "Allow", "Action": actions, "Resource": resource}


def trust_account():
    return doc({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT_ID}:root"}, "Action": "sts:AssumeRole"})


def creds_file(state_dir):
    return os.path.join(state_dir, "keys.json")


def load_keys(state_dir):
    try:
        with open(creds_file(state_dir)) as f:
            return json.load(f)
    except FileNotFoundError:
        return {}


def save_keys(state_dir, keys):
    with open(creds_file(state_dir), "w") as f:
        json.dump(keys, f)


def new_key(iam, keys, user):
    k = iam.create_access_key(UserName=user)["AccessKey"]
    keys[user] = [k["AccessKeyId"], k["SecretAccessKey"]]
    return keys[user]


def sign_in(endpoint, user):
    r = requests.post(endpoint + "/signin", data={"account": ACCOUNT_ID, "username": user, "password": PASSWORD},
                      timeout=30)
    if r.status_code != 200 or r.json().get("status") != "signed_in":
        raise RuntimeError(f"sign-in of {user} failed: {r.status_code} {r.text[:300]}")


def seed_old(endpoint, state_dir):
    """Phase one, run OLD_DAYS in the past: the root key makes `admin`; stale keys, a stale sign-in, an old role use."""
    keys = {}
    root_iam = client(endpoint, "iam", ROOT_KEY, ROOT_SECRET)
    root_iam.create_user(UserName="admin")
    root_iam.attach_user_policy(UserName="admin", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    new_key(root_iam, keys, "admin")
    time.sleep(11)  # IAM keys are eventually consistent in AWS; Warden's are not, but keep the habit cheap
    iam = client(endpoint, "iam", *keys["admin"])

    # a key used once, long ago, with more than IAM/STS allowed
    iam.create_user(UserName="stale-key-user")
    iam.put_user_policy(UserName="stale-key-user", PolicyName="read",
                        PolicyDocument=doc(allow(["s3:GetObject", "iam:GetUser"])))
    client(endpoint, "iam", *new_key(iam, keys, "stale-key-user")).get_user()

    # a console password used once, long ago
    iam.create_user(UserName="stale-console-user")
    iam.put_user_policy(UserName="stale-console-user", PolicyName="self",
                        PolicyDocument=doc(allow(["iam:ChangePassword", "iam:GetAccountPasswordPolicy"])))
    iam.create_login_profile(UserName="stale-console-user", Password=PASSWORD, PasswordResetRequired=False)
    sign_in(endpoint, "stale-console-user")

    # Bedrock allowed, the key used long ago (for STS only)
    iam.create_user(UserName="stale-bedrock-user")
    iam.put_user_policy(UserName="stale-bedrock-user", PolicyName="bedrock",
                        PolicyDocument=doc(allow(["bedrock:InvokeModel", "bedrock:ListFoundationModels"])))
    client(endpoint, "sts", *new_key(iam, keys, "stale-bedrock-user")).get_caller_identity()

    # a role with Bedrock, assumed long ago
    iam.create_role(RoleName="old-bedrock-role", AssumeRolePolicyDocument=trust_account())
    iam.put_role_policy(RoleName="old-bedrock-role", PolicyName="bedrock", PolicyDocument=doc(allow("bedrock:*")))
    time.sleep(1)
    c = client(endpoint, "sts", *keys["admin"]).assume_role(
        RoleArn=f"arn:aws:iam::{ACCOUNT_ID}:role/old-bedrock-role", RoleSessionName="old")["Credentials"]
    client(endpoint, "sts", c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"]).get_caller_identity()

    # a customer managed policy nobody uses
    iam.create_policy(PolicyName="unused-policy", PolicyDocument=doc(allow("dynamodb:*")))
    save_keys(state_dir, keys)


def seed_now(endpoint, state_dir):
    keys = load_keys(state_dir)
    iam = client(endpoint, "iam", *keys["admin"])
    iam.get_user()

    # a key used now, with only IAM and STS allowed
    iam.create_user(UserName="active-user")
    iam.put_user_policy(UserName="active-user", PolicyName="iam-read",
                        PolicyDocument=doc(allow(["iam:List*", "sts:GetCallerIdentity"])))
    k = new_key(iam, keys, "active-user")
    client(endpoint, "iam", *k).list_users(MaxItems=1)
    client(endpoint, "sts", *k).get_caller_identity()

    # a key used now, with S3 allowed through a customer managed policy
    arn = iam.create_policy(PolicyName="s3-read", PolicyDocument=doc(allow(["s3:Get*", "s3:List*"])))["Policy"]["Arn"]
    iam.create_user(UserName="broad-user")
    iam.attach_user_policy(UserName="broad-user", PolicyArn=arn)
    client(endpoint, "sts", *new_key(iam, keys, "broad-user")).get_caller_identity()

    # no key, EC2 through a group with an AWS managed policy
    iam.create_group(GroupName="developers")
    iam.attach_group_policy(GroupName="developers", PolicyArn="arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess")
    iam.create_user(UserName="no-key-user")
    iam.add_user_to_group(GroupName="developers", UserName="no-key-user")

    # SageMaker through a group's inline policy, a key never used
    iam.create_group(GroupName="ml-team")
    iam.put_group_policy(GroupName="ml-team", PolicyName="sagemaker", PolicyDocument=doc(allow("sagemaker:*")))
    iam.create_user(UserName="sagemaker-user")
    iam.add_user_to_group(GroupName="ml-team", UserName="sagemaker-user")
    new_key(iam, keys, "sagemaker-user")

    # Bedrock through a customer managed policy; signs in now; a key never used
    arn = iam.create_policy(PolicyName="bedrock-invoke",
                            PolicyDocument=doc(allow(["bedrock:InvokeModel*", "bedrock:Get*"])))["Policy"]["Arn"]
    iam.create_user(UserName="bedrock-console-user")
    iam.attach_user_policy(UserName="bedrock-console-user", PolicyArn=arn)
    iam.create_login_profile(UserName="bedrock-console-user", Password=PASSWORD, PasswordResetRequired=False)
    sign_in(endpoint, "bedrock-console-user")
    new_key(iam, keys, "bedrock-console-user")

    # a user with nothing: no policy, no key, no password
    iam.create_user(UserName="empty-user")

    # roles: Bedrock and used now (but never for Bedrock), without Bedrock, and a service role with Bedrock
    sts = client(endpoint, "sts", *keys["admin"])
    iam.create_role(RoleName="bedrock-role", AssumeRolePolicyDocument=trust_account())
    iam.put_role_policy(RoleName="bedrock-role", PolicyName="p",
                        PolicyDocument=doc(allow(["bedrock:InvokeModel", "s3:GetObject", "iam:GetRole"])))
    iam.create_role(RoleName="plain-role", AssumeRolePolicyDocument=trust_account())
    iam.put_role_policy(RoleName="plain-role", PolicyName="p",
                        PolicyDocument=doc(allow(["iam:GetRole", "sts:GetCallerIdentity"])))
    iam.create_role(RoleName="lambda-bedrock", AssumeRolePolicyDocument=doc(
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}))
    iam.attach_role_policy(RoleName="lambda-bedrock", PolicyArn=arn)
    time.sleep(1)
    for role in ("bedrock-role", "plain-role"):
        c = sts.assume_role(RoleArn=f"arn:aws:iam::{ACCOUNT_ID}:role/{role}", RoleSessionName="now")["Credentials"]
        client(endpoint, "iam", c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"]).get_role(RoleName=role)
    save_keys(state_dir, keys)


# ---------------------------------------------------------------- expectations, from the policies themselves

def _action_covers(pattern, namespace):
    svc = pattern.split(":", 1)[0] if ":" in pattern else pattern
    return fnmatch.fnmatchcase(namespace.lower(), svc.lower())


def _doc_allows(document, namespace):
    if isinstance(document, str):
        document = json.loads(document)
    stmts = document.get("Statement", [])
    if isinstance(stmts, dict):
        stmts = [stmts]
    for st in stmts:
        if st.get("Effect") != "Allow":
            continue
        if "Action" in st:
            acts = st["Action"] if isinstance(st["Action"], list) else [st["Action"]]
            if any(_action_covers(a, namespace) for a in acts):
                return True
        elif "NotAction" in st:
            acts = st["NotAction"] if isinstance(st["NotAction"], list) else [st["NotAction"]]
            if not any(a == "*" or a.lower() == f"{namespace}:*" for a in acts):
                return True
    return False


def _managed_doc(iam, arn):
    p = iam.get_policy(PolicyArn=arn)["Policy"]
    return iam.get_policy_version(PolicyArn=arn, VersionId=p["DefaultVersionId"])["PolicyVersion"]["Document"]


def entity_documents(iam, kind, name):
    docs = []
    if kind == "user":
        for pn in iam.list_user_policies(UserName=name)["PolicyNames"]:
            docs.append(iam.get_user_policy(UserName=name, PolicyName=pn)["PolicyDocument"])
        for ap in iam.list_attached_user_policies(UserName=name)["AttachedPolicies"]:
            docs.append(_managed_doc(iam, ap["PolicyArn"]))
        for g in iam.list_groups_for_user(UserName=name)["Groups"]:
            for pn in iam.list_group_policies(GroupName=g["GroupName"])["PolicyNames"]:
                docs.append(iam.get_group_policy(GroupName=g["GroupName"], PolicyName=pn)["PolicyDocument"])
            for ap in iam.list_attached_group_policies(GroupName=g["GroupName"])["AttachedPolicies"]:
                docs.append(_managed_doc(iam, ap["PolicyArn"]))
    else:
        for pn in iam.list_role_policies(RoleName=name)["PolicyNames"]:
            docs.append(iam.get_role_policy(RoleName=name, PolicyName=pn)["PolicyDocument"])
        for ap in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]:
            docs.append(_managed_doc(iam, ap["PolicyArn"]))
    return docs


def catalog_namespaces():
    """Every namespace Warden's catalogue lists (what `"Action": "*"` allows), or None without the catalogue."""
    path = os.path.join(ROOT_DIR, "Sources", "WardenService", "Resources", "service-catalog.json")
    try:
        with open(path) as f:
            return sorted(json.load(f)["services"])
    except (OSError, KeyError, ValueError):
        return None


# prowler reads one page of GetServiceLastAccessedDetails (no MaxItems, no Marker). Warden's default page is 100
# items, as AWS documents; AWS has been seen to answer 200. A namespace past the first page is not seen by prowler.
WARDEN_PAGE, AWS_PAGE = 100, 200


def first_page_status(docs, namespace, catalog):
    """"seen" when the namespace is allowed and on prowler's page both on Warden and on AWS, "absent" when not
    allowed or past both pages, None when it depends on the page size (or there is no catalogue to tell)."""
    if not any(_doc_allows(d, namespace) for d in docs):
        return "absent"
    if catalog is None:
        return "seen" if not any(_allows_everything(d) for d in docs) else None
    allowed = [ns for ns in catalog if any(_doc_allows(d, ns) for d in docs)]
    rank = allowed.index(namespace) if namespace in allowed else 0
    if rank < WARDEN_PAGE:
        return "seen"
    return None if rank < AWS_PAGE else "absent"


def _allows_everything(document):
    return _doc_allows(document, "zzz-no-such-service")


def expected_findings(endpoint, state_dir, aged):
    """{check: {resource_id: "PASS"|"FAIL"|None}} for the seeded state, worked out from the policies, keys and
    history that the seed created (not from the access advisor). None: not judged (said why in the summary)."""
    keys = load_keys(state_dir)
    iam = client(endpoint, "iam", *keys["admin"])
    users = [u["UserName"] for u in iam.list_users()["Users"]]
    roles = [r["RoleName"] for r in iam.list_roles()["Roles"]]
    catalog = catalog_namespaces()
    old = "FAIL" if aged else None  # what an OLD_DAYS-old use or key gives, when the data is really old
    exp = {c: {} for c in CHECKS}
    notes = []
    for u in users:
        docs = entity_documents(iam, "user", u)
        has_key = bool(iam.list_access_keys(UserName=u)["AccessKeyMetadata"])
        # AWS lists every service the policies allow; prowler FAILs a key holder with any beyond IAM/STS
        other = any(_allows_anything_but_iam_sts(d) for d in docs)
        exp["iam_user_with_temporary_credentials"][u] = "FAIL" if (has_key and other) else "PASS"
        # nothing can use Bedrock or SageMaker on Warden: every user or role allowed them has never used them
        for check, ns in (("iam_user_access_not_stale_to_bedrock", "bedrock"),
                          ("iam_user_access_not_stale_to_sagemaker", "sagemaker")):
            st = first_page_status(docs, ns, catalog)
            if st == "seen":
                exp[check][u] = "FAIL"
            elif st is None:
                exp[check][u] = None
            elif any(_doc_allows(d, ns) for d in docs):
                notes.append(f"{check} {u}: no finding expected although {ns} is allowed: it is past the first "
                             f"page of GetServiceLastAccessedDetails, which is all prowler reads (on AWS too)")
    for r in roles:
        st = first_page_status(entity_documents(iam, "role", r), "bedrock", catalog)
        if st == "seen":
            exp["iam_role_access_not_stale_to_bedrock"][r] = "FAIL"
        elif st is None:
            exp["iam_role_access_not_stale_to_bedrock"][r] = None

    # last-used data, from what the seed did
    key_used_old = {"stale-key-user", "stale-bedrock-user"}
    key_created_old = {"admin", "stale-key-user", "stale-bedrock-user"}
    for u in users + ["<root_account>"]:
        has_key = u in keys or u == "<root_account>"
        if not has_key:
            exp["iam_user_accesskey_unused"][u] = "PASS"
            exp["iam_rotate_access_key_90_days"][u] = "PASS"
        else:
            if (u in key_used_old or u == "<root_account>") and aged:
                exp["iam_user_accesskey_unused"][f"{u}/AccessKey1"] = "FAIL"
            else:
                exp["iam_user_accesskey_unused"][u] = "PASS"
            if (u in key_created_old or u == "<root_account>") and aged:
                exp["iam_rotate_access_key_90_days"][f"{u}-access-key-1"] = "FAIL"
            else:
                exp["iam_rotate_access_key_90_days"][u] = "PASS"
        # a key never used by a user who has a password
        exp["iam_user_no_setup_initial_access_key"][u] = "FAIL" if u == "bedrock-console-user" else "PASS"
    for u in users:
        exp["iam_user_console_access_unused"][u] = old if u == "stale-console-user" else "PASS"
    # the root key was used only in the old phase
    exp["iam_avoid_root_usage"]["<root_account>"] = "PASS" if aged else "FAIL"
    return exp, notes


# services prowler's check looks past
_IAM_STS = ("iam", "sts")


def _allows_anything_but_iam_sts(document):
    if isinstance(document, str):
        document = json.loads(document)
    stmts = document.get("Statement", [])
    if isinstance(stmts, dict):
        stmts = [stmts]
    for st in stmts:
        if st.get("Effect") != "Allow":
            continue
        if "NotAction" in st:
            return True
        acts = st.get("Action", [])
        for a in (acts if isinstance(acts, list) else [acts]):
            svc = a.split(":", 1)[0].lower()
            if svc not in _IAM_STS:  # a wildcard such as "*" or "s*" reaches other services too
                return True
    return False


# ---------------------------------------------------------------- prowler

def run_prowler(prowler, endpoint, key, secret, out_dir):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k not in ("LD_PRELOAD", "FAKETIME")}
    env.update(AWS_ENDPOINT_URL=endpoint, AWS_ACCESS_KEY_ID=key, AWS_SECRET_ACCESS_KEY=secret,
               AWS_DEFAULT_REGION=REGION, AWS_EC2_METADATA_DISABLED="true")
    log_file = os.path.join(out_dir, "prowler.log")
    cmd = [prowler, "aws", "--service", "iam", "-f", REGION, "--no-banner", "-M", "csv", "json-ocsf",
           "-o", out_dir, "-F", "warden", "--log-level", "DEBUG", "--log-file", log_file, "-z"]
    t0 = time.time()
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1800)
    with open(os.path.join(out_dir, "prowler.stdout"), "w") as f:
        f.write(p.stdout + "\n--- stderr ---\n" + p.stderr)
    return p.returncode, time.time() - t0, log_file


def read_findings(out_dir):
    path = os.path.join(out_dir, "warden.ocsf.json")
    with open(path) as f:
        data = json.load(f)
    found = {}
    for fd in data:
        check = fd["metadata"]["event_code"]
        res = fd["resources"][0]
        rid = res.get("name") or res.get("uid")
        found.setdefault(check, {})[rid] = (fd["status_code"], fd.get("status_detail", ""))
    return found


def read_errors(log_file):
    """prowler's ERROR/CRITICAL log records, as (module, message)."""
    out = []
    if not os.path.exists(log_file):
        return out
    with open(log_file, errors="replace") as f:
        for line in f:
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if isinstance(rec, dict) and rec.get("level") in ("ERROR", "CRITICAL"):
                out.append((rec.get("module", "?"), rec.get("message", "")))
    return out


def check_errors(errors):
    """The errors that touch the checked checks: their own, and the IAM service's (which feeds them)."""
    return [(m, e) for m, e in errors if m == "iam_service" or any(c in e or c == m for c in CHECKS)]


def compare(expected, found, errors):
    problems = []
    lines = []
    for check in CHECKS:
        lines.append(f"{check}:")
        got = found.get(check, {})
        exp = expected.get(check, {})
        for rid in sorted(set(got) | set(exp)):
            g = got.get(rid, (None, ""))[0]
            e = exp.get(rid, "absent")
            if rid not in exp:
                verdict = "UNEXPECTED"
                problems.append(f"{check} {rid}: prowler reported {g}, the seeded state calls for no finding")
            elif e is None:
                verdict = "not judged"
            elif g is None:
                verdict = "MISSING"
                problems.append(f"{check} {rid}: no finding, the seeded state calls for {e}")
            elif g != e:
                verdict = f"WRONG (expected {e})"
                problems.append(f"{check} {rid}: prowler reported {g}, the seeded state calls for {e}: "
                                f"{got[rid][1]}")
            else:
                verdict = "ok"
            detail = got.get(rid, (None, ""))[1]
            lines.append(f"  {str(g):5} {rid:40} {verdict:24} {detail}")
    for mod, msg in check_errors(errors):
        problems.append(f"prowler error in {mod}: {msg}")
    return lines, problems


# ---------------------------------------------------------------- Warden's own checks against prowler's

def warden_checks(endpoint, key, secret):
    """Warden's checks on the account (GetSecurityChecks), as {check id: [(resource, status, reason)]}, and the
    mapping from each prowler check to the Warden checks that name it in their references."""
    checks = client(endpoint, "warden", key, secret).get_security_checks()["Checks"]
    results, mapping = {}, {}
    for c in checks:
        results[c["Id"]] = [(f["Resource"], f["Status"], f["Reason"]) for f in c["Findings"]]
        for ref in c.get("References", []):
            if ref.startswith("prowler "):
                for name in ref[len("prowler "):].split(","):
                    mapping.setdefault(name.strip(), []).append(c["Id"])
    return results, mapping


def mapped(mapping, prowler_check):
    ids = list(mapping.get(prowler_check, []))
    for pattern, more in mapping.items():
        if "*" in pattern and fnmatch.fnmatch(prowler_check, pattern):
            ids += more
    return ids


def covers(resource, rid):
    """Whether a Warden finding's resource (an ARN, or an ARN and a key id) is the resource prowler names."""
    if rid in ("<root_account>", ACCOUNT_ID, "root"):
        return resource.endswith(":root")
    return resource == rid or resource.endswith("/" + rid) or (" " + rid) in resource or rid in resource.split(" ")[-1:]


def misses(found, results, mapping):
    """prowler's FAIL findings that no Warden check reports as FAIL: the issue asks for none."""
    out = []
    for check, by_resource in sorted(found.items()):
        for rid, (status, detail) in sorted(by_resource.items()):
            if status != "FAIL":
                continue
            ids = mapped(mapping, check)
            if not ids:
                out.append(f"{check} {rid}: no Warden check maps to this prowler check")
                continue
            failing = [(i, r) for i in ids for (r, st, _) in results.get(i, []) if st == "FAIL"]
            account_level = not any(covers(r, rid) for i in ids for (r, _, _) in results.get(i, []))
            if any(covers(r, rid) for _, r in failing) or (account_level and failing):
                continue
            out.append(f"{check} {rid}: prowler FAIL ({detail[:120]}), Warden's {', '.join(ids)} do not fail it")
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--keep", help="keep the data dir, logs and prowler output in this directory")
    ap.add_argument("--prowler", default=shutil.which("prowler") or "prowler")
    ap.add_argument("--phase", choices=["seed-old"], help=argparse.SUPPRESS)
    ap.add_argument("--endpoint", help=argparse.SUPPRESS)
    ap.add_argument("--state", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.phase == "seed-old":  # the child that runs under libfaketime
        seed_old(args.endpoint, args.state)
        return 0

    work = args.keep or tempfile.mkdtemp(prefix="warden-prowler-")
    os.makedirs(work, exist_ok=True)
    data_dir = os.path.join(work, "data")
    out_dir = os.path.join(work, "prowler-out")
    os.makedirs(out_dir, exist_ok=True)
    server = Server(data_dir, free_port())
    fenv = faketime_env(OLD_DAYS)
    aged = fenv is not None
    try:
        # phase one, OLD_DAYS ago
        server.start(fenv)
        child_env = dict(os.environ, **(fenv or {}))
        subprocess.run([sys.executable, os.path.abspath(__file__), "--phase", "seed-old", "--endpoint",
                        server.endpoint, "--state", work], env=child_env, check=True)
        server.stop()
        # phase two, now
        server.start()
        seed_now(server.endpoint, work)
        expected, notes = expected_findings(server.endpoint, work, aged)
        admin = load_keys(work)["admin"]
        rc, secs, log_file = run_prowler(args.prowler, server.endpoint, admin[0], admin[1], out_dir)
        if rc not in (0, 3) or not os.path.exists(os.path.join(out_dir, "warden.ocsf.json")):
            print(f"prowler exited {rc}; see {out_dir}/prowler.stdout and {log_file}")
            return 2
        found = read_findings(out_dir)
        errors = read_errors(log_file)
        lines, problems = compare(expected, found, errors)
        results, mapping = warden_checks(server.endpoint, admin[0], admin[1])
        missed = misses(found, results, mapping)
        fails = sum(1 for by in found.values() for st, _ in by.values() if st == "FAIL")
        lines.append(f"\nWarden's checks against prowler's: {fails} FAIL findings of prowler's IAM checks, "
                     f"{fails - len(missed)} also FAIL in Warden's checks")
        lines += ["  missed: " + m for m in missed]
        problems += ["Warden misses " + m for m in missed]
        try:
            from importlib.metadata import version
            pv = version("prowler")
        except Exception:  # prowler installed elsewhere than this interpreter
            pv = "?"
        print(f"prowler {pv} ran the IAM service in {secs:.0f}s against {server.endpoint}"
              f" ({'aged data: old phase ' + str(OLD_DAYS) + ' days ago' if aged else 'NO libfaketime: no aged data'})")
        print("\n".join(lines))
        for n in notes:
            print("note: " + n)
        if errors:
            counted = {}
            for m, e in errors:
                counted[(m, e)] = counted.get((m, e), 0) + 1
            print(f"\nprowler logged {len(errors)} errors in the whole IAM run (those outside the checked checks "
                  f"and the IAM service do not fail this script):")
            for (m, e), n in counted.items():
                print(f"  {n}x {m}: {e[:400]}")
        if problems:
            print(f"\n{len(problems)} problems:")
            for p in problems:
                print("  " + p)
        print(f"\noutput kept in {work}" if args.keep else "")
        return 1 if problems else 0
    finally:
        server.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
