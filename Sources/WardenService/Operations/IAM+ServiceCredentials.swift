import Foundation
import WardenCore
import WardenStore
import WardenWire

extension WardenService {
    static let serviceCredentialsPerUserPerServiceQuota = 2

    /// The services IAM issues service-specific credentials for: a generated user name and password
    /// (CodeCommit Git, Amazon Keyspaces) or an API key alias and secret (Bedrock, CloudWatch Logs).
    enum CredentialService {
        static let passwordServices: Set<String> = ["codecommit.amazonaws.com", "cassandra.amazonaws.com"]
        static let apiKeyServices: Set<String> = ["bedrock.amazonaws.com", "logs.amazonaws.com"]

        static func check(_ name: String) throws {
            guard passwordServices.contains(name) || apiKeyServices.contains(name) else {
                throw ServiceError(.notSupported, "No such service \(name) is supported for Service-Specific Credentials")
            }
        }
    }

    static func registerServiceCredentials(_ r: inout Registry) {
        r.on(.iam, "CreateServiceSpecificCredential", authorize: .resource { i, call in try call.state().userARN(named: i.userName) }) {
            (i: IAM.CreateServiceSpecificCredentialRequest, call) -> IAM.CreateServiceSpecificCredentialResponse in
            _ = try call.state().user(i.userName)
            try CredentialService.check(i.serviceName)
            let isAPIKey = CredentialService.apiKeyServices.contains(i.serviceName)
            if i.credentialAgeDays != nil && !isAPIKey {
                throw ServiceError.invalidInput("CredentialAgeDays is only valid for Bedrock and CloudWatch Logs API keys.")
            }
            return try call.write { state in
                let user = try state.user(i.userName)
                let mine = state.serviceSpecificCredentials.values.filter {
                    $0.userName.lowercased() == user.name.lowercased() && $0.serviceName == i.serviceName
                }
                if mine.count >= serviceCredentialsPerUserPerServiceQuota {
                    throw ServiceError.limitExceeded("Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: \(serviceCredentialsPerUserPerServiceQuota)")
                }
                // The first credential is `jane-at-123456789012`, a second one for the same service `jane+1-at-…`.
                let taken = Set(mine.map(\.serviceUserName))
                let serviceUserName = (0...).lazy.map { n in "\(user.name)\(n == 0 ? "" : "+\(n)")-at-\(call.account)" }.first { !taken.contains($0) }!
                let id = Identifiers.uniqueID(.serviceSpecificCredential)
                let secret = isAPIKey ? apiKeySecret(alias: serviceUserName) : servicePassword()
                var record = ServiceSpecificCredentialRecord(
                    id: id, userName: user.name, serviceName: i.serviceName, serviceUserName: serviceUserName,
                    encryptedPassword: call.service.secrets.seal(secret, context: "service-cred:\(id)"), status: "Active", createDate: call.now)
                record.isAPIKey = isAPIKey
                record.expirationDate = i.credentialAgeDays.map { call.now.addingTimeInterval(Double($0) * 86_400) }
                state.serviceSpecificCredentials[id] = record
                return IAM.CreateServiceSpecificCredentialResponse(serviceSpecificCredential: wireServiceCredential(record, secret: secret, now: call.now))
            }
        }

        r.on(.iam, "ListServiceSpecificCredentials", authorize: .resource { i, call in
            if let s = i.serviceName { try CredentialService.check(s) }
            if i.allUsers == true {
                if i.userName != nil { throw ServiceError.invalidInput("AllUsers cannot be specified together with UserName.") }
                return "arn:aws:iam::\(call.account):user/*"
            }
            return try keyOwnerARN(i.userName, call)
        }) { (i: IAM.ListServiceSpecificCredentialsRequest, call) -> IAM.ListServiceSpecificCredentialsResponse in
            let state = try call.state()
            let creds: [ServiceSpecificCredentialRecord]
            if i.allUsers == true {
                creds = Array(state.serviceSpecificCredentials.values)
            } else {
                let owner = try keyOwner(i.userName, call, state)
                let lower = owner.userName?.lowercased()
                creds = state.serviceSpecificCredentials.values.filter { $0.userName.lowercased() == lower }
            }
            let sorted = creds.filter { i.serviceName == nil || $0.serviceName == i.serviceName }
                .sorted { chronologicalKey($0.createDate, $0.id) < chronologicalKey($1.createDate, $1.id) }
            let page = try Page(sorted, key: { chronologicalKey($0.createDate, $0.id) }, marker: i.marker, maxItems: i.maxItems)
            return IAM.ListServiceSpecificCredentialsResponse(
                serviceSpecificCredentials: page.items.map { c in
                    IAM.ServiceSpecificCredentialMetadata(
                        userName: c.userName, status: credentialStatus(c, now: call.now),
                        serviceUserName: c.isAPIKey == true ? nil : c.serviceUserName,
                        serviceCredentialAlias: c.isAPIKey == true ? c.serviceUserName : nil,
                        createDate: c.createDate, expirationDate: c.expirationDate, serviceSpecificCredentialId: c.id, serviceName: c.serviceName)
                },
                marker: page.marker, isTruncated: page.isTruncated)
        }

        r.on(.iam, "UpdateServiceSpecificCredential", authorize: .resource { i, call in try keyOwnerARN(i.userName, call) }) {
            (i: IAM.UpdateServiceSpecificCredentialRequest, call) in
            let owner = try keyOwner(i.userName, call, try call.state())
            try call.write { state in
                var c = try state.serviceCredential(i.serviceSpecificCredentialId, owner: owner.userName)
                c.status = i.status.rawValue
                state.serviceSpecificCredentials[c.id] = c
            }
        }

        r.on(.iam, "ResetServiceSpecificCredential", authorize: .resource { i, call in try keyOwnerARN(i.userName, call) }) {
            (i: IAM.ResetServiceSpecificCredentialRequest, call) -> IAM.ResetServiceSpecificCredentialResponse in
            let owner = try keyOwner(i.userName, call, try call.state())
            return try call.write { state in
                var c = try state.serviceCredential(i.serviceSpecificCredentialId, owner: owner.userName)
                let secret = c.isAPIKey == true ? apiKeySecret(alias: c.serviceUserName) : servicePassword()
                c.encryptedPassword = call.service.secrets.seal(secret, context: "service-cred:\(c.id)")
                state.serviceSpecificCredentials[c.id] = c
                return IAM.ResetServiceSpecificCredentialResponse(serviceSpecificCredential: wireServiceCredential(c, secret: secret, now: call.now))
            }
        }

        r.on(.iam, "DeleteServiceSpecificCredential", authorize: .resource { i, call in try keyOwnerARN(i.userName, call) }) {
            (i: IAM.DeleteServiceSpecificCredentialRequest, call) in
            let owner = try keyOwner(i.userName, call, try call.state())
            try call.write { state in
                let c = try state.serviceCredential(i.serviceSpecificCredentialId, owner: owner.userName)
                state.serviceSpecificCredentials[c.id] = nil
            }
        }
    }

    /// A 44-character password: base64 of 32 random bytes, as IAM generates for CodeCommit and Keyspaces.
    static func servicePassword() -> Redacted<String> {
        var rng = SystemRandomNumberGenerator()
        return Redacted(Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }).base64EncodedString())
    }

    /// An API key in Bedrock's long-term form: `ABSK` and the base64 of `alias:secret`.
    static func apiKeySecret(alias: String) -> Redacted<String> {
        Redacted("ABSK" + Data("\(alias):\(servicePassword().value)".utf8).base64EncodedString())
    }

    /// `Expired` once an API key's age has run out, otherwise the stored status.
    static func credentialStatus(_ c: ServiceSpecificCredentialRecord, now: Date) -> IAM.StatusType {
        if let e = c.expirationDate, e <= now { return .expired }
        return IAM.StatusType(rawValue: c.status) ?? .active
    }

    /// The credential with its secret, as Create and Reset return it (the only times the secret is shown).
    static func wireServiceCredential(_ c: ServiceSpecificCredentialRecord, secret: Redacted<String>, now: Date) -> IAM.ServiceSpecificCredential {
        let apiKey = c.isAPIKey == true
        return IAM.ServiceSpecificCredential(
            createDate: c.createDate, expirationDate: c.expirationDate, serviceName: c.serviceName,
            serviceUserName: apiKey ? nil : c.serviceUserName, servicePassword: apiKey ? nil : secret.value,
            serviceCredentialAlias: apiKey ? c.serviceUserName : nil, serviceCredentialSecret: apiKey ? secret.value : nil,
            serviceSpecificCredentialId: c.id, userName: c.userName, status: credentialStatus(c, now: now))
    }
}

extension AccountState {
    /// A user's service-specific credential by id (nil owner: the root user, who has none).
    func serviceCredential(_ id: String, owner: String?) throws -> ServiceSpecificCredentialRecord {
        guard let c = serviceSpecificCredentials[id], c.userName.lowercased() == (owner ?? "").lowercased() else {
            throw ServiceError.noSuchEntity("No such credential \(id) exists")
        }
        return c
    }
}
