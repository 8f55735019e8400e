#!/usr/bin/env python3
"""Rebuild Sources/WardenService/Resources/service-catalog.json: the AWS service namespaces the access advisor
knows, with their full names, and the action names it tracks for the services where AWS tracks actions.

Source: the installed botocore package (the same one the wire generator reads). For every model
botocore/data/<service>/<version>/service-2.json(.gz):

  namespace = metadata.signingName, else metadata.endpointPrefix   (the IAM service prefix, with the few
              overrides below where the two differ)
  name      = metadata.serviceFullName                              (of the model whose directory or endpoint
              prefix is the namespace, when several models share it)

Tracked actions (AWS reports action last accessed information for management actions of IAM, EC2, Lambda and
S3): the operation names of the iam, ec2, lambda and s3 models, mapped to IAM action names where the two
differ, without the data-plane actions AWS does not track (S3 object-level actions, Lambda invocations).
`actionForOperation` keeps those mappings so that calls can be attributed to the action that authorized them.

Standard library only. Usage: python3 scripts/gen-service-catalog.py [--out PATH]
"""

import argparse
import gzip
import json
import os
import pathlib
import sys

REPO = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "Sources" / "WardenService" / "Resources" / "service-catalog.json"

# Signing names that are not the service's IAM prefix.
NAMESPACE_OVERRIDES = {
    "monitoring": "cloudwatch",
    "IoTSecuredTunneling": "iot",
    "iotdata": "iot",
    "ioteventsdata": "iotevents",
    "tagging": "tag",
    "cloudcontrolapi": "cloudformation",
    "mturk-requester": "mechanicalturk",
    "awsssoportal": None,  # the portal's calls are not authorized by IAM policies
}

# IAM service prefixes that have no botocore model (console-only or agent services).
EXTRA_SERVICES = {
    "aws-portal": "AWS Billing",
    "billing": "AWS Billing",
    "cloudshell": "AWS CloudShell",
    "consolidatedbilling": "AWS Consolidated Billing",
    "ec2messages": "Amazon Message Delivery Service",
    "identity-sync": "AWS Identity Synchronization Service",
    "iq": "AWS IQ",
    "payments": "AWS Payments",
    "purchase-orders": "AWS Purchase Orders Console",
    "s3-object-lambda": "Amazon S3 Object Lambda",
    "s3express": "Amazon S3 Express",
    "signin": "AWS Sign-In",
    "sqlworkbench": "AWS SQL Workbench",
    "ssmmessages": "Amazon Session Manager Message Gateway Service",
    "sso-directory": "AWS IAM Identity Center directory",
}

TRACKED = ["iam", "ec2", "lambda", "s3"]

# botocore operation → IAM action, where they differ.
ACTION_FOR_OPERATION = {
    "lambda": {
        "GetLayerVersionByArn": "GetLayerVersion",
        "Invoke": "InvokeFunction",
        "InvokeWithResponseStream": "InvokeFunction",
    },
    "s3": {
        "CompleteMultipartUpload": "PutObject", "CopyObject": "PutObject", "CreateMultipartUpload": "PutObject",
        "UploadPart": "PutObject", "UploadPartCopy": "PutObject", "HeadObject": "GetObject",
        "SelectObjectContent": "GetObject", "DeleteObjects": "DeleteObject",
        "HeadBucket": "ListBucket", "ListObjects": "ListBucket", "ListObjectsV2": "ListBucket",
        "ListObjectVersions": "ListBucketVersions", "ListMultipartUploads": "ListBucketMultipartUploads",
        "ListParts": "ListMultipartUploadParts", "ListBuckets": "ListAllMyBuckets",
        "GetBucketCors": "GetBucketCORS", "PutBucketCors": "PutBucketCORS", "DeleteBucketCors": "PutBucketCORS",
        "GetBucketLifecycle": "GetLifecycleConfiguration", "GetBucketLifecycleConfiguration": "GetLifecycleConfiguration",
        "PutBucketLifecycle": "PutLifecycleConfiguration", "PutBucketLifecycleConfiguration": "PutLifecycleConfiguration",
        "DeleteBucketLifecycle": "PutLifecycleConfiguration",
        "GetBucketNotificationConfiguration": "GetBucketNotification",
        "PutBucketNotificationConfiguration": "PutBucketNotification",
        "GetBucketReplication": "GetReplicationConfiguration", "PutBucketReplication": "PutReplicationConfiguration",
        "DeleteBucketReplication": "PutReplicationConfiguration",
        "GetBucketEncryption": "GetEncryptionConfiguration", "PutBucketEncryption": "PutEncryptionConfiguration",
        "DeleteBucketEncryption": "PutEncryptionConfiguration",
        "GetBucketAccelerateConfiguration": "GetAccelerateConfiguration",
        "PutBucketAccelerateConfiguration": "PutAccelerateConfiguration",
        "GetBucketAnalyticsConfiguration": "GetAnalyticsConfiguration",
        "ListBucketAnalyticsConfigurations": "GetAnalyticsConfiguration",
        "PutBucketAnalyticsConfiguration": "PutAnalyticsConfiguration",
        "DeleteBucketAnalyticsConfiguration": "PutAnalyticsConfiguration",
        "GetBucketInventoryConfiguration": "GetInventoryConfiguration",
        "ListBucketInventoryConfigurations": "GetInventoryConfiguration",
        "PutBucketInventoryConfiguration": "PutInventoryConfiguration",
        "DeleteBucketInventoryConfiguration": "PutInventoryConfiguration",
        "GetBucketMetricsConfiguration": "GetMetricsConfiguration",
        "ListBucketMetricsConfigurations": "GetMetricsConfiguration",
        "PutBucketMetricsConfiguration": "PutMetricsConfiguration",
        "DeleteBucketMetricsConfiguration": "PutMetricsConfiguration",
        "GetBucketIntelligentTieringConfiguration": "GetIntelligentTieringConfiguration",
        "ListBucketIntelligentTieringConfigurations": "GetIntelligentTieringConfiguration",
        "PutBucketIntelligentTieringConfiguration": "PutIntelligentTieringConfiguration",
        "DeleteBucketIntelligentTieringConfiguration": "PutIntelligentTieringConfiguration",
        "DeleteBucketOwnershipControls": "PutBucketOwnershipControls",
        "DeleteBucketTagging": "PutBucketTagging",
        "GetPublicAccessBlock": "GetBucketPublicAccessBlock", "PutPublicAccessBlock": "PutBucketPublicAccessBlock",
        "DeletePublicAccessBlock": "PutBucketPublicAccessBlock",
        "GetObjectLockConfiguration": "GetBucketObjectLockConfiguration",
        "PutObjectLockConfiguration": "PutBucketObjectLockConfiguration",
        "CreateSession": None, "ListDirectoryBuckets": None, "WriteGetObjectResponse": None,  # s3express, s3-object-lambda
    },
}


def is_data_plane(namespace, action):
    """Actions AWS does not report action last accessed information for."""
    if namespace == "lambda":
        return action.startswith("Invoke")
    if namespace == "s3":
        bucket_config = action.startswith("GetBucket") or action.startswith("PutBucket")
        return ("Object" in action and not bucket_config) or action in {
            "AbortMultipartUpload", "ListMultipartUploadParts", "ListBucket", "ListBucketVersions",
            "ListBucketMultipartUploads"}
    return False


def load_models():
    import botocore  # the installed botocore is the specification
    base = pathlib.Path(botocore.__file__).parent / "data"
    for service in sorted(os.listdir(base)):
        directory = base / service
        if not directory.is_dir():
            continue
        versions = sorted(v for v in os.listdir(directory) if (directory / v).is_dir())
        for version in reversed(versions):
            path = directory / version / "service-2.json"
            if (gz := path.with_suffix(".json.gz")).exists():
                yield service, json.loads(gzip.decompress(gz.read_bytes()))
                break
            if path.exists():
                yield service, json.loads(path.read_text())
                break


def build():
    candidates = {}  # namespace -> [(rank, name)]
    operations = {}
    for service, model in load_models():
        meta = model.get("metadata", {})
        signing = meta.get("signingName") or meta.get("endpointPrefix")
        namespace = NAMESPACE_OVERRIDES.get(signing, signing)
        if not namespace or not meta.get("serviceFullName"):
            continue
        rank = 0 if service == namespace else 1 if meta.get("endpointPrefix") == namespace else 2
        candidates.setdefault(namespace, []).append((rank, service, meta["serviceFullName"]))
        if service in TRACKED:
            operations[service] = sorted(model["operations"])
    services = {ns: sorted(c)[0][2] for ns, c in candidates.items()}
    for ns, name in EXTRA_SERVICES.items():
        services.setdefault(ns, name)
    tracked, mapped = {}, {}
    for ns in TRACKED:
        if ns not in operations:
            sys.exit(f"botocore has no {ns} model")
        names = set()
        for op in operations[ns]:
            overrides = ACTION_FOR_OPERATION.get(ns, {})
            action = overrides.get(op, op)
            if action is None:
                continue
            if action != op:
                mapped.setdefault(ns, {})[op] = action
            if not is_data_plane(ns, action):
                names.add(action)
        tracked[ns] = sorted(names)
    return {"services": dict(sorted(services.items())), "trackedActions": tracked, "actionForOperation": mapped}


def write(catalog, out):
    # One service or list per line: small diffs when botocore moves.
    lines = ["{", '"services": {']
    items = list(catalog["services"].items())
    for i, (ns, name) in enumerate(items):
        lines.append(f"{json.dumps(ns)}: {json.dumps(name)}" + ("," if i < len(items) - 1 else ""))
    lines.append("},")
    lines.append('"trackedActions": {')
    tracked = list(catalog["trackedActions"].items())
    for i, (ns, names) in enumerate(tracked):
        lines.append(f"{json.dumps(ns)}: {json.dumps(names, separators=(',', ':'))}" + ("," if i < len(tracked) - 1 else ""))
    lines.append("},")
    lines.append(f'"actionForOperation": {json.dumps(catalog["actionForOperation"], sort_keys=True, separators=(",", ":"))}')
    lines.append("}")
    out.write_text("\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    catalog = build()
    write(catalog, args.out)
    json.loads(args.out.read_text())  # the file must parse
    counts = ", ".join(f"{ns} {len(v)}" for ns, v in catalog["trackedActions"].items())
    print(f"wrote {args.out}: {len(catalog['services'])} services; tracked actions: {counts}")


if __name__ == "__main__":
    main()
