import Foundation
import WardenCore
import WardenStore
import WardenWire

extension WardenService {
    static func registerManagedPolicies(_ r: inout Registry) {
        r.on(.iam, "CreatePolicy", authorize: .declared { input, call in
            [Requirement(ARN.iam(call.account, "policy", path: input.path ?? "/", name: input.policyName), tags: try Tagging.validate(input.tags))]
        }) { (input: IAM.CreatePolicyRequest, call) -> IAM.CreatePolicyResponse in
            let path = input.path ?? "/"
            let arn = ARN.iam(call.account, "policy", path: path, name: input.policyName)
            let tags = try Tagging.validate(input.tags)
            try PolicyDocuments.validate(input.policyDocument, kind: .identity, managed: true)
            try checkManagedSize(input.policyDocument)
            return try call.write { state in
                let key = input.policyName.lowercased()
                if state.policies[key] != nil {
                    throw ServiceError.alreadyExists("A policy called \(input.policyName) already exists. Duplicate names are not allowed.")
                }
                if state.policies.count >= 1500 { throw ServiceError.limitExceeded("Cannot exceed quota for PoliciesPerAccount: 1500") }
                var p = ManagedPolicyRecord(id: Identifiers.uniqueID(.policy), name: input.policyName, path: path, arn: arn,
                                            description: input.description, createDate: call.now, document: input.policyDocument)
                p.tags = tags
                state.policies[key] = p
                return IAM.CreatePolicyResponse(policy: state.wirePolicy(p))
            }
        }

        r.on(.iam, "GetPolicy", authorize: .resource { input, _ in input.policyArn }) { (input: IAM.GetPolicyRequest, call) -> IAM.GetPolicyResponse in
            let state = try call.state()
            if let aws = call.service.managedPolicies.policy(input.policyArn) { return IAM.GetPolicyResponse(policy: state.wireAWSPolicy(aws)) }
            return IAM.GetPolicyResponse(policy: state.wirePolicy(try state.customerPolicy(input.policyArn)))
        }

        r.on(.iam, "DeletePolicy", authorize: .resource { input, _ in input.policyArn }) { (input: IAM.DeletePolicyRequest, call) in
            try call.write { state in
                if call.service.managedPolicies.policy(input.policyArn) != nil { throw awsPolicyUnmodifiable(input.policyArn) }
                let p = try state.customerPolicy(input.policyArn)
                let counts = state.attachmentCounts(p.arn)
                if counts.attachments > 0 || counts.boundaries > 0 {
                    throw ServiceError.deleteConflict("Cannot delete a policy attached to entities.")
                }
                if p.versions.count > 1 {
                    throw ServiceError.deleteConflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.")
                }
                state.policies[p.name.lowercased()] = nil
            }
        }

        r.on(.iam, "ListPolicies", authorize: .resource { _, call in "arn:aws:iam::\(call.account):policy/" }) {
            (input: IAM.ListPoliciesRequest, call) -> IAM.ListPoliciesResponse in
            let state = try call.state()
            let prefix = input.pathPrefix ?? "/"
            var all: [IAM.Policy] = []
            let scope = input.scope ?? .all
            if scope != .local {
                all += call.service.managedPolicies.sorted.filter { $0.path.hasPrefix(prefix) }.map { state.wireAWSPolicy($0, listing: true) }
            }
            if scope != .aws {
                all += state.policies.values.filter { $0.path.hasPrefix(prefix) }.map { state.wirePolicy($0, listing: true) }
            }
            if input.onlyAttached == true { all = all.filter { ($0.attachmentCount ?? 0) > 0 } }
            if input.policyUsageFilter == .permissionsBoundary {
                all = all.filter { ($0.permissionsBoundaryUsageCount ?? 0) > 0 }
            } else if input.policyUsageFilter == .permissionsPolicy, input.onlyAttached == true {
                all = all.filter { ($0.attachmentCount ?? 0) > 0 }
            }
            // Name, then the 21-character policy id: unique, and short enough for the model's 320-character marker.
            let page = try Page(all, key: { ($0.policyName ?? "").lowercased() + "\u{0}" + ($0.policyId ?? "") }, marker: input.marker, maxItems: input.maxItems)
            return IAM.ListPoliciesResponse(policies: page.items, isTruncated: page.isTruncated, marker: page.marker)
        }

        r.on(.iam, "CreatePolicyVersion", authorize: .resource { input, _ in input.policyArn }) { (input: IAM.CreatePolicyVersionRequest, call) -> IAM.CreatePolicyVersionResponse in
            try PolicyDocuments.validate(input.policyDocument, kind: .identity, managed: true)
            try checkManagedSize(input.policyDocument)
            return try call.write { state in
                if call.service.managedPolicies.policy(input.policyArn) != nil { throw awsPolicyUnmodifiable(input.policyArn) }
                var p = try state.customerPolicy(input.policyArn)
                if p.versions.count >= 5 {
                    throw ServiceError.limitExceeded("A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.")
                }
                let v = ManagedPolicyRecord.Version(id: "v\(p.nextVersionNumber)", document: input.policyDocument, createDate: call.now)
                p.nextVersionNumber += 1
                p.versions.append(v)
                if input.setAsDefault == true { p.defaultVersionID = v.id }
                p.updateDate = call.now
                state.policies[p.name.lowercased()] = p
                return IAM.CreatePolicyVersionResponse(policyVersion: IAM.PolicyVersion(
                    document: nil, versionId: v.id, isDefaultVersion: p.defaultVersionID == v.id, createDate: v.createDate))
            }
        }

        r.on(.iam, "GetPolicyVersion", authorize: .resource { input, _ in input.policyArn }) { (input: IAM.GetPolicyVersionRequest, call) -> IAM.GetPolicyVersionResponse in
            let state = try call.state()
            if let aws = call.service.managedPolicies.policy(input.policyArn) {
                guard input.versionId == aws.defaultVersionId else { throw noSuchVersion(input.policyArn, input.versionId) }
                return IAM.GetPolicyVersionResponse(policyVersion: IAM.PolicyVersion(
                    document: aws.document, versionId: aws.defaultVersionId, isDefaultVersion: true, createDate: aws.updateDate))
            }
            let p = try state.customerPolicy(input.policyArn)
            guard let v = p.versions.first(where: { $0.id == input.versionId }) else { throw noSuchVersion(input.policyArn, input.versionId) }
            return IAM.GetPolicyVersionResponse(policyVersion: IAM.PolicyVersion(
                document: v.document, versionId: v.id, isDefaultVersion: v.id == p.defaultVersionID, createDate: v.createDate))
        }

        r.on(.iam, "ListPolicyVersions", authorize: .resource { input, _ in input.policyArn }) { (input: IAM.ListPolicyVersionsRequest, call) -> IAM.ListPolicyVersionsResponse in
            let state = try call.state()
            var versions: [IAM.PolicyVersion]
            if let aws = call.service.managedPolicies.policy(input.policyArn) {
                versions = [IAM.PolicyVersion(document: nil, versionId: aws.defaultVersionId, isDefaultVersion: true, createDate: aws.updateDate)]
            } else {
                let p = try state.customerPolicy(input.policyArn)
                versions = p.versions.reversed().map {
                    IAM.PolicyVersion(document: nil, versionId: $0.id, isDefaultVersion: $0.id == p.defaultVersionID, createDate: $0.createDate)
                }
            }
            let page = try Page(versions, key: { String(format: "%010d", 1_000_000 - (Int($0.versionId?.dropFirst() ?? "0") ?? 0)) },
                                marker: input.marker, maxItems: input.maxItems)
            return IAM.ListPolicyVersionsResponse(versions: page.items, isTruncated: page.isTruncated, marker: page.marker)
        }

        r.on(.iam, "DeletePolicyVersion", authorize: .resource { input, _ in input.policyArn }) { (input: IAM.DeletePolicyVersionRequest, call) in
            try call.write { state in
                if call.service.managedPolicies.policy(input.policyArn) != nil { throw awsPolicyUnmodifiable(input.policyArn) }
                var p = try state.customerPolicy(input.policyArn)
                guard p.versions.contains(where: { $0.id == input.versionId }) else { throw noSuchVersion(input.policyArn, input.versionId) }
                if input.versionId == p.defaultVersionID {
                    throw ServiceError.deleteConflict("Cannot delete the default version of a policy.")
                }
                p.versions.removeAll { $0.id == input.versionId }
                state.policies[p.name.lowercased()] = p
            }
        }

        r.on(.iam, "SetDefaultPolicyVersion", authorize: .resource { input, _ in input.policyArn }) { (input: IAM.SetDefaultPolicyVersionRequest, call) in
            try call.write { state in
                if call.service.managedPolicies.policy(input.policyArn) != nil { throw awsPolicyUnmodifiable(input.policyArn) }
                var p = try state.customerPolicy(input.policyArn)
                guard p.versions.contains(where: { $0.id == input.versionId }) else { throw noSuchVersion(input.policyArn, input.versionId) }
                p.defaultVersionID = input.versionId
                p.updateDate = call.now
                state.policies[p.name.lowercased()] = p
            }
        }

        registerAttachments(&r)
    }

    static func checkManagedSize(_ document: String) throws {
        if PolicyDocuments.size(document) > PolicyDocuments.managedPolicyLimit {
            throw ServiceError.limitExceeded("Cannot exceed quota for PolicySize: \(PolicyDocuments.managedPolicyLimit)")
        }
    }

    static func noSuchVersion(_ arn: String, _ version: String) -> ServiceError {
        ServiceError.noSuchEntity("Policy \(arn) version \(version) does not exist or is not attachable.")
    }

    static func awsPolicyUnmodifiable(_ arn: String) -> ServiceError {
        ServiceError.invalidInput("Policy \(arn) is an AWS managed policy and cannot be modified.")
    }
}
