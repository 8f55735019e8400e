import WardenCore
import WardenStore
import WardenWire

extension WardenService {
    /// The user an access-key operation acts on: the named user, or the caller when no name is given
    /// (root when the caller is root).
    static func keyOwner(_ name: String?, _ call: Call, _ state: AccountState) throws -> (userName: String?, arn: String) {
        if let name {
            let u = try state.user(name)
            return (u.name, state.userARN(u))
        }
        let p = call.caller.principal
        switch p.kind {
        case .root: return (nil, p.arn)
        case .user: return (p.name, p.arn)
        default: throw ServiceError(.validationError, "Must specify userName when calling with non-User credentials")
        }
    }

    /// The ARN an access-key (or other credential) operation is authorized on: the named user's, the ARN it would
    /// have if it does not exist, or the caller's when no name is given.
    static func keyOwnerARN(_ name: String?, _ call: Call) throws -> String {
        if let name { return try call.state().userARN(named: name) }
        return try keyOwner(nil, call, try call.state()).arn
    }

    static func registerAccessKeys(_ r: inout Registry) {
        r.on(.iam, "CreateAccessKey", authorize: .resource { input, call in try keyOwnerARN(input.userName, call) }) {
            (input: IAM.CreateAccessKeyRequest, call) -> IAM.CreateAccessKeyResponse in
            let owner = try keyOwner(input.userName, call, try call.state())
            return try call.write { state in
                let lower = owner.userName?.lowercased()
                let existing = state.accessKeys.values.filter { $0.userName?.lowercased() == lower }
                if existing.count >= 2 { throw ServiceError.limitExceeded("Cannot exceed quota for AccessKeysPerUser: 2") }
                let id = Identifiers.accessKeyID(account: state.account.id)
                let secret = Redacted(Identifiers.secretAccessKey())
                let record = AccessKeyRecord(id: id, userName: owner.userName,
                                             encryptedSecret: call.service.secrets.seal(secret, context: "access-key:\(id)"),
                                             status: "Active", createDate: call.now)
                state.accessKeys[id] = record
                return IAM.CreateAccessKeyResponse(accessKey: IAM.AccessKey(
                    userName: owner.userName ?? "root", accessKeyId: id, status: .active, secretAccessKey: secret.value, createDate: call.now))
            }
        }

        r.on(.iam, "UpdateAccessKey", authorize: .resource { input, call in try keyOwnerARN(input.userName, call) }) {
            (input: IAM.UpdateAccessKeyRequest, call) in
            let owner = try keyOwner(input.userName, call, try call.state())
            try call.write { state in
                guard var key = state.accessKeys[input.accessKeyId], key.userName?.lowercased() == owner.userName?.lowercased() else {
                    throw ServiceError.noSuchEntity("The Access Key with id \(input.accessKeyId) cannot be found.")
                }
                key.status = input.status.rawValue
                state.accessKeys[key.id] = key
            }
        }

        r.on(.iam, "DeleteAccessKey", authorize: .resource { input, call in try keyOwnerARN(input.userName, call) }) {
            (input: IAM.DeleteAccessKeyRequest, call) in
            let owner = try keyOwner(input.userName, call, try call.state())
            try call.write { state in
                guard let key = state.accessKeys[input.accessKeyId], key.userName?.lowercased() == owner.userName?.lowercased() else {
                    throw ServiceError.noSuchEntity("The Access Key with id \(input.accessKeyId) cannot be found.")
                }
                state.accessKeys[key.id] = nil
            }
        }

        r.on(.iam, "ListAccessKeys", authorize: .resource { input, call in try keyOwnerARN(input.userName, call) }) {
            (input: IAM.ListAccessKeysRequest, call) -> IAM.ListAccessKeysResponse in
            let state = try call.state()
            let owner = try keyOwner(input.userName, call, state)
            let keys = state.accessKeys.values.filter { $0.userName?.lowercased() == owner.userName?.lowercased() }
                .sorted { ($0.createDate, $0.id) < ($1.createDate, $1.id) }
            let page = try Page(keys, key: \.id, marker: input.marker, maxItems: input.maxItems)
            return IAM.ListAccessKeysResponse(
                accessKeyMetadata: page.items.map {
                    IAM.AccessKeyMetadata(userName: $0.userName ?? "root", accessKeyId: $0.id, status: IAM.StatusType(rawValue: $0.status), createDate: $0.createDate)
                },
                isTruncated: page.isTruncated, marker: page.marker)
        }

        r.on(.iam, "GetAccessKeyLastUsed", authorize: .resource { input, call in
            // The key's owner; a key that does not exist is refused as AWS refuses it, without telling more.
            let state = try call.state()
            guard let key = state.accessKeys[input.accessKeyId] else {
                throw ServiceError(.accessDenied, "User: \(call.caller.principal.arn) is not authorized to perform: iam:GetAccessKeyLastUsed on resource: access key \(input.accessKeyId)")
            }
            return key.userName.flatMap { state.users[$0.lowercased()] }.map(state.userARN) ?? ARN.root(call.account)
        }) { (input: IAM.GetAccessKeyLastUsedRequest, call) -> IAM.GetAccessKeyLastUsedResponse in
            call.service.usage.flush(to: call.service.store)
            let state = try call.state()
            guard let key = state.accessKeys[input.accessKeyId] else {
                throw ServiceError(.accessDenied, "User: \(call.caller.principal.arn) is not authorized to perform: iam:GetAccessKeyLastUsed on resource: access key \(input.accessKeyId)")
            }
            return IAM.GetAccessKeyLastUsedResponse(
                userName: key.userName ?? "root",
                accessKeyLastUsed: IAM.AccessKeyLastUsed(lastUsedDate: key.lastUsedDate, serviceName: key.lastUsedService ?? "N/A",
                                                         region: key.lastUsedRegion ?? "N/A"))
        }
    }
}
