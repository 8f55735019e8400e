import WardenCore
import WardenStore
import WardenWire

extension WardenService {
    static let signingCertificatesPerUserQuota = 2

    static func registerSigningCertificates(_ r: inout Registry) {
        r.on(.iam, "UploadSigningCertificate", authorize: .resource { i, call in try keyOwnerARN(i.userName, call) }) {
            (i: IAM.UploadSigningCertificateRequest, call) -> IAM.UploadSigningCertificateResponse in
            let owner = try keyOwner(i.userName, call, try call.state())
            let certificate = try X509Bodies.certificate(i.certificateBody)
            if certificate.notValidAfter < call.now {
                throw ServiceError(.malformedCertificate, "The request was rejected because the certificate expired at \(WireFormat.timestamp(certificate.notValidAfter)).")
            }
            if certificate.notValidBefore > call.now {
                throw ServiceError(.invalidCertificate, "The request was rejected because the certificate is invalid: it is not valid before \(WireFormat.timestamp(certificate.notValidBefore)).")
            }
            let digest = X509Bodies.digest(certificate)
            return try call.write { state in
                let stored = owner.userName ?? ""
                if let name = owner.userName { _ = try state.user(name) }
                if state.signingCertificates.values.contains(where: { $0.digest == digest }) {
                    throw ServiceError(.duplicateCertificate, "The request was rejected because the same certificate is associated with an IAM user in the account.")
                }
                let mine = state.signingCertificates.values.filter { $0.userName.lowercased() == stored.lowercased() }
                if mine.count >= signingCertificatesPerUserQuota {
                    throw ServiceError.limitExceeded("Cannot exceed quota for CertificatesPerUser: \(signingCertificatesPerUserQuota)")
                }
                let id = Identifiers.random(count: 32, from: Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"))
                let record = SigningCertificateRecord(id: id, userName: stored, body: i.certificateBody, status: "Active",
                                                      uploadDate: call.now, digest: digest)
                state.signingCertificates[id] = record
                return IAM.UploadSigningCertificateResponse(certificate: wireSigningCertificate(record))
            }
        }

        r.on(.iam, "UpdateSigningCertificate", authorize: .resource { i, call in try keyOwnerARN(i.userName, call) }) {
            (i: IAM.UpdateSigningCertificateRequest, call) in
            let owner = try keyOwner(i.userName, call, try call.state())
            try call.write { state in
                var record = try state.signingCertificate(i.certificateId, owner: owner.userName)
                record.status = i.status.rawValue
                state.signingCertificates[record.id] = record
            }
        }

        r.on(.iam, "DeleteSigningCertificate", authorize: .resource { i, call in try keyOwnerARN(i.userName, call) }) {
            (i: IAM.DeleteSigningCertificateRequest, call) in
            let owner = try keyOwner(i.userName, call, try call.state())
            try call.write { state in
                let record = try state.signingCertificate(i.certificateId, owner: owner.userName)
                state.signingCertificates[record.id] = nil
            }
        }

        r.on(.iam, "ListSigningCertificates", authorize: .resource { i, call in try keyOwnerARN(i.userName, call) }) {
            (i: IAM.ListSigningCertificatesRequest, call) -> IAM.ListSigningCertificatesResponse in
            let state = try call.state()
            let owner = try keyOwner(i.userName, call, state)
            let stored = (owner.userName ?? "").lowercased()
            let certs = state.signingCertificates.values.filter { $0.userName.lowercased() == stored }
                .sorted { chronologicalKey($0.uploadDate, $0.id) < chronologicalKey($1.uploadDate, $1.id) }
            let page = try Page(certs, key: { chronologicalKey($0.uploadDate, $0.id) }, marker: i.marker, maxItems: i.maxItems)
            return IAM.ListSigningCertificatesResponse(certificates: page.items.map(wireSigningCertificate),
                                                       isTruncated: page.isTruncated, marker: page.marker)
        }
    }

    static func wireSigningCertificate(_ r: SigningCertificateRecord) -> IAM.SigningCertificate {
        IAM.SigningCertificate(userName: r.userName.isEmpty ? "root" : r.userName, certificateId: r.id, certificateBody: r.body,
                               status: IAM.StatusType(rawValue: r.status) ?? .active, uploadDate: r.uploadDate)
    }
}

extension AccountState {
    /// A signing certificate of a user (nil: the root user) by id.
    func signingCertificate(_ id: String, owner: String?) throws -> SigningCertificateRecord {
        guard let c = signingCertificates[id], c.userName.lowercased() == (owner ?? "").lowercased() else {
            throw ServiceError.noSuchEntity("The Certificate with id \(id) cannot be found.")
        }
        return c
    }
}
