import Foundation
import WardenCore
import WardenStore
import WardenWire

extension WardenService {
    static let sshKeysPerUserQuota = 5

    static func registerSSHKeys(_ r: inout Registry) {
        r.on(.iam, "UploadSSHPublicKey", authorize: .resource { i, call in try call.state().userARN(named: i.userName) }) {
            (i: IAM.UploadSSHPublicKeyRequest, call) -> IAM.UploadSSHPublicKeyResponse in
            let state = try call.state()
            let user = try state.user(i.userName)
            let key = try parseSSHKey(i.sshPublicKeyBody)
            return try call.write { state in
                let user = try state.user(i.userName)
                let mine = state.sshPublicKeys.values.filter { $0.userName.lowercased() == user.name.lowercased() }
                if mine.contains(where: { $0.fingerprint == key.fingerprint }) {
                    throw ServiceError(.duplicateSSHPublicKey, "The request was rejected because the SSH public key is already associated with the specified IAM user.")
                }
                if mine.count >= sshKeysPerUserQuota {
                    throw ServiceError.limitExceeded("Cannot exceed quota for PublicKeysPerUser: \(sshKeysPerUserQuota)")
                }
                let id = "APKA" + Identifiers.random(count: 16, from: Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"))
                let record = SSHPublicKeyRecord(id: id, userName: user.name, body: i.sshPublicKeyBody, fingerprint: key.fingerprint,
                                                status: "Active", uploadDate: call.now)
                state.sshPublicKeys[id] = record
                return IAM.UploadSSHPublicKeyResponse(sshPublicKey: wireSSHKey(record, body: i.sshPublicKeyBody))
            }
        }

        r.on(.iam, "GetSSHPublicKey", authorize: .resource { i, call in try call.state().userARN(named: i.userName) }) {
            (i: IAM.GetSSHPublicKeyRequest, call) -> IAM.GetSSHPublicKeyResponse in
            let state = try call.state()
            let user = try state.user(i.userName)
            let record = try state.sshKey(i.sshPublicKeyId, user: user.name)
            let key = try parseSSHKey(record.body)
            let body: String
            switch i.encoding {
            case .ssh: body = record.body.hasPrefix("-----") ? key.sshEncoded : record.body.trimmingCharacters(in: .whitespacesAndNewlines)
            case .pem: body = key.pemEncoded + "\n"
            }
            return IAM.GetSSHPublicKeyResponse(sshPublicKey: wireSSHKey(record, body: body))
        }

        r.on(.iam, "UpdateSSHPublicKey", authorize: .resource { i, call in try call.state().userARN(named: i.userName) }) {
            (i: IAM.UpdateSSHPublicKeyRequest, call) in
            let state = try call.state()
            let user = try state.user(i.userName)
            try call.write { state in
                var record = try state.sshKey(i.sshPublicKeyId, user: i.userName)
                record.status = i.status.rawValue
                state.sshPublicKeys[record.id] = record
            }
        }

        r.on(.iam, "DeleteSSHPublicKey", authorize: .resource { i, call in try call.state().userARN(named: i.userName) }) {
            (i: IAM.DeleteSSHPublicKeyRequest, call) in
            let state = try call.state()
            let user = try state.user(i.userName)
            try call.write { state in
                let record = try state.sshKey(i.sshPublicKeyId, user: i.userName)
                state.sshPublicKeys[record.id] = nil
            }
        }

        r.on(.iam, "ListSSHPublicKeys", authorize: .resource { i, call in try keyOwnerARN(i.userName, call) }) {
            (i: IAM.ListSSHPublicKeysRequest, call) -> IAM.ListSSHPublicKeysResponse in
            let state = try call.state()
            let owner = try keyOwner(i.userName, call, state)
            // The root user has no SSH keys: IAM keeps them for CodeCommit users only.
            let lower = owner.userName?.lowercased()
            let keys = state.sshPublicKeys.values.filter { $0.userName.lowercased() == lower }
                .sorted { chronologicalKey($0.uploadDate, $0.id) < chronologicalKey($1.uploadDate, $1.id) }
            let page = try Page(keys, key: { chronologicalKey($0.uploadDate, $0.id) }, marker: i.marker, maxItems: i.maxItems)
            return IAM.ListSSHPublicKeysResponse(
                sshPublicKeys: page.items.map {
                    IAM.SSHPublicKeyMetadata(userName: $0.userName, sshPublicKeyId: $0.id, status: IAM.StatusType(rawValue: $0.status) ?? .active, uploadDate: $0.uploadDate)
                },
                isTruncated: page.isTruncated, marker: page.marker)
        }
    }

    /// A pagination key that sorts credentials oldest first (milliseconds, zero-padded, then the id), so that a
    /// `Marker` names a position in the same order the list is returned in.
    static func chronologicalKey(_ date: Date, _ id: String) -> String {
        let ms = String(Int64((date.timeIntervalSince1970 * 1000).rounded(.down)))
        return String(repeating: "0", count: max(0, 15 - ms.count)) + ms + ":" + id
    }

    /// Parses a key body, answering IAM's errors.
    static func parseSSHKey(_ body: String) throws -> SSHPublicKey {
        do {
            return try SSHPublicKey(parsing: body)
        } catch .unrecognizedEncoding {
            throw ServiceError(.unrecognizedPublicKeyEncoding,
                               "The request was rejected because the public key encoding format is unsupported or unrecognized. Upload an ssh-rsa, ecdsa-sha2-nistp*, ssh-ed25519 or PEM public key.")
        } catch .invalid(let why) {
            throw ServiceError(.invalidPublicKey, "The request was rejected because the public key is malformed or otherwise invalid: \(why)")
        }
    }

    static func wireSSHKey(_ r: SSHPublicKeyRecord, body: String) -> IAM.SSHPublicKey {
        IAM.SSHPublicKey(userName: r.userName, sshPublicKeyId: r.id, fingerprint: r.fingerprint, sshPublicKeyBody: body,
                         status: IAM.StatusType(rawValue: r.status) ?? .active, uploadDate: r.uploadDate)
    }
}

extension AccountState {
    /// A user's SSH key by id.
    func sshKey(_ id: String, user: String) throws -> SSHPublicKeyRecord {
        guard let k = sshPublicKeys[id], k.userName.lowercased() == user.lowercased() else {
            throw ServiceError.noSuchEntity("The Public Key with id \(id) cannot be found.")
        }
        return k
    }
}
