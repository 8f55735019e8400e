#!/usr/bin/env python3
"""Rebuild Sources/WardenService/Resources/aws-managed-policies.json.

Documents, paths, default version ids and dates come from the AWS managed policy
snapshot shipped in the `moto` package (moto/iam/aws_managed_policies.py, a dump of
`iam get-policy` + `get-policy-version` for every AWS managed policy). Nothing in a
document is edited: only the key order of the top level and of each statement is
normalised (Version first, then Statement; Sid, Effect, Action, Resource, Condition)
so GetPolicyVersion output reads like AWS's.

Which policies are included, and their descriptions, come from
extra/descriptions.json (moto has no descriptions). Each entry names its source:
AWS's own text transcribed from a public mirror or the AWS Managed Policy Reference,
or a short summary written from the document when no AWS text was found.

extra/documents/<Name>.json may hold a policy moto lacks, as
{"path", "defaultVersionId", "createDate", "updateDate", "document"}; it wins over moto.

Usage: python3 scripts/managed-policies/build.py [--moto-file PATH] [--out PATH]
Needs `pip install moto` (tested with moto 5.2.1) unless --moto-file is given.
"""

import argparse
import ast
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent
DEFAULT_OUT = REPO / "Sources" / "WardenService" / "Resources" / "aws-managed-policies.json"

# The policies the service must ship; the build fails if any is missing.
REQUIRED = [
    "AdministratorAccess", "PowerUserAccess", "ReadOnlyAccess", "IAMFullAccess",
    "IAMReadOnlyAccess", "IAMUserChangePassword", "IAMSelfManageServiceSpecificCredentials",
    "IAMUserSSHKeys", "SecurityAudit", "Billing", "DatabaseAdministrator", "DataScientist",
    "NetworkAdministrator", "SupportUser", "SystemAdministrator", "ViewOnlyAccess",
    "AmazonS3FullAccess", "AmazonS3ReadOnlyAccess", "AmazonEC2FullAccess",
    "AmazonEC2ReadOnlyAccess", "AmazonDynamoDBFullAccess", "AmazonDynamoDBReadOnlyAccess",
    "AWSLambda_FullAccess", "AWSLambda_ReadOnlyAccess", "AWSLambdaBasicExecutionRole",
    "AmazonSSMManagedInstanceCore", "CloudWatchReadOnlyAccess", "CloudWatchLogsFullAccess",
    "AWSCloudTrail_ReadOnlyAccess", "AmazonSQSFullAccess", "AmazonSNSFullAccess",
    "AmazonVPCFullAccess", "AmazonRDSFullAccess", "AWSKeyManagementServicePowerUser",
    "AWSSupportAccess", "AWSBillingReadOnlyAccess", "IAMAccessAnalyzerReadOnlyAccess",
    "IAMAccessAnalyzerFullAccess", "AWSOrganizationsReadOnlyAccess",
]

# Paths under which customers can attach AWS managed policies themselves.
ATTACHABLE_PATHS = {"/", "/job-function/", "/service-role/"}

TOP_ORDER = ["Version", "Id", "Statement"]
STATEMENT_ORDER = ["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
                   "Resource", "NotResource", "Condition"]


def load_moto(moto_file):
    """Return {name: entry} from moto's snapshot, without importing moto itself."""
    if moto_file is None:
        import importlib.util
        spec = importlib.util.find_spec("moto")
        if spec is None or not spec.submodule_search_locations:
            sys.exit("moto is not installed; pip install moto, or pass --moto-file")
        moto_file = pathlib.Path(list(spec.submodule_search_locations)[0]) / "iam" / "aws_managed_policies.py"
    source = pathlib.Path(moto_file).read_text()
    # The module is a single assignment of a JSON string; read it without executing it.
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "aws_managed_policies_data" for t in node.targets):
            return json.loads(ast.literal_eval(node.value)), moto_file
    sys.exit(f"{moto_file}: no aws_managed_policies_data assignment")


def iso_z(stamp):
    """'2015-02-06T18:39:46+00:00' -> '2015-02-06T18:39:46Z' (IAM's wire form)."""
    if stamp.endswith("+00:00"):
        return stamp[:-6] + "Z"
    if stamp.endswith("Z"):
        return stamp
    sys.exit(f"unexpected timestamp {stamp!r}")


def ordered(obj, order):
    """Same mapping with keys in `order` first, the rest in their original order."""
    keys = [k for k in order if k in obj] + [k for k in obj if k not in order]
    return {k: obj[k] for k in keys}


def normalise(document):
    doc = ordered(document, TOP_ORDER)
    stmts = doc["Statement"]
    if isinstance(stmts, list):
        doc["Statement"] = [ordered(s, STATEMENT_ORDER) for s in stmts]
    else:
        doc["Statement"] = ordered(stmts, STATEMENT_ORDER)
    return doc


def validate(name, document):
    problems = []
    if not isinstance(document, dict):
        return [f"{name}: document is not an object"]
    if document.get("Version") not in ("2012-10-17", "2008-10-17"):
        problems.append(f"{name}: Version is {document.get('Version')!r}")
    stmts = document.get("Statement")
    if stmts is None:
        problems.append(f"{name}: no Statement")
        return problems
    for i, s in enumerate(stmts if isinstance(stmts, list) else [stmts]):
        if s.get("Effect") not in ("Allow", "Deny"):
            problems.append(f"{name}: statement {i} has Effect {s.get('Effect')!r}")
        if "Action" not in s and "NotAction" not in s:
            problems.append(f"{name}: statement {i} has no Action/NotAction")
        if "Resource" not in s and "NotResource" not in s:
            problems.append(f"{name}: statement {i} has no Resource/NotResource")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--moto-file", help="path to moto/iam/aws_managed_policies.py")
    ap.add_argument("--out", default=str(DEFAULT_OUT))
    args = ap.parse_args()

    moto, moto_path = load_moto(args.moto_file)
    descriptions = json.loads((HERE / "extra" / "descriptions.json").read_text())["policies"]
    overrides = {p.stem: json.loads(p.read_text())
                 for p in sorted((HERE / "extra" / "documents").glob("*.json"))}

    policies, problems = [], []
    for name in sorted(descriptions):
        entry = overrides.get(name)
        if entry is None:
            raw = moto.get(name)
            if raw is None:
                problems.append(f"{name}: not in moto's snapshot nor extra/documents")
                continue
            entry = {"path": raw["Path"], "defaultVersionId": raw["DefaultVersionId"],
                     "createDate": raw["CreateDate"], "updateDate": raw["UpdateDate"],
                     "document": raw["Document"]}
        document = entry["document"]
        if isinstance(document, str):
            document = json.loads(document)
        problems += validate(name, document)
        path = entry["path"]
        if path not in ATTACHABLE_PATHS:
            problems.append(f"{name}: path {path} is not customer-attachable")
        policies.append({
            "name": name,
            "path": path,
            "arn": f"arn:aws:iam::aws:policy{path}{name}",
            "description": descriptions[name]["description"],
            "defaultVersionId": entry["defaultVersionId"],
            "createDate": iso_z(entry["createDate"]),
            "updateDate": iso_z(entry["updateDate"]),
            "document": normalise(document),
        })

    names = {p["name"] for p in policies}
    problems += [f"{n}: required but missing" for n in REQUIRED if n not in names]
    if problems:
        sys.exit("\n".join(problems))

    text = "[\n" + ",\n".join(
        json.dumps(p, separators=(",", ":"), ensure_ascii=False) for p in policies) + "\n]\n"
    # Round-trip check: the file parses and every document survived unchanged.
    for p, back in zip(policies, json.loads(text)):
        assert p == back, p["name"]
    out = pathlib.Path(args.out)
    out.write_text(text)
    sources = {}
    for n in names:
        s = descriptions[n]["source"]
        sources[s] = sources.get(s, 0) + 1
    print(f"{out}: {len(policies)} policies, {out.stat().st_size} bytes "
          f"(documents from {moto_path}; descriptions by source {sources})")


if __name__ == "__main__":
    main()
