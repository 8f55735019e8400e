import WardenCore
import WardenStore
import WardenWire

extension WardenService {
    static let serverCertificatesQuota = 20

    static func serverCertificateARN(_ account: String, path: String, name: String) -> String {
        ARN.iam(account, "server-certificate", path: path, name: name)
    }

    static func registerServerCertificates(_ r: inout Registry) {
        r.on(.iam, "UploadServerCertificate", authorize: .declared { i, call in
            [Requirement(serverCertificateARN(call.account, path: i.path ?? "/", name: i.serverCertificateName), tags: try Tagging.validate(i.tags))]
        }) { (i: IAM.UploadServerCertificateRequest, call) -> IAM.UploadServerCertificateResponse in
            let path = i.path ?? "/"
            let tags = try Tagging.validate(i.tags)
            let certificate = try X509Bodies.certificate(i.certificateBody)
            if certificate.notValidAfter < call.now {
                throw ServiceError(.malformedCertificate, "The certificate expired at \(WireFormat.timestamp(certificate.notValidAfter)).")
            }
            if let chain = i.certificateChain { _ = try X509Bodies.chain(chain) }
            let privateKey = try X509Bodies.privateKey(i.privateKey)
            guard privateKey.publicKey == certificate.publicKey else {
                throw ServiceError(.keyPairMismatch, "The private key did not match the public key provided.")
            }
            return try call.write { state in
                let key = i.serverCertificateName.lowercased()
                if state.serverCertificates[key] != nil {
                    throw ServiceError.alreadyExists("The Server Certificate with name \(i.serverCertificateName) already exists.")
                }
                if state.serverCertificates.count >= serverCertificatesQuota {
                    throw ServiceError.limitExceeded("Cannot exceed quota for ServerCertificatesPerAccount: \(serverCertificatesQuota)")
                }
                let id = Identifiers.uniqueID(.serverCertificate)
                var record = ServerCertificateRecord(
                    id: id, name: i.serverCertificateName, path: path,
                    arn: serverCertificateARN(call.account, path: path, name: i.serverCertificateName),
                    body: i.certificateBody, chain: i.certificateChain,
                    encryptedPrivateKey: call.service.secrets.seal(Array(i.privateKey.utf8), context: "server-cert:\(id)"),
                    uploadDate: call.now, expiration: certificate.notValidAfter)
                record.tags = tags
                state.serverCertificates[key] = record
                return IAM.UploadServerCertificateResponse(serverCertificateMetadata: wireServerCertificateMetadata(record),
                                                           tags: tags.isEmpty ? nil : tags.map(\.wire))
            }
        }

        r.on(.iam, "GetServerCertificate", authorize: .resource { i, call in
            try call.state().resolve({ try $0.serverCertificate(i.serverCertificateName).arn }, missing: { $0 })
        }) { (i: IAM.GetServerCertificateRequest, call) -> IAM.GetServerCertificateResponse in
            let state = try call.state()
            let c = try state.serverCertificate(i.serverCertificateName)
            return IAM.GetServerCertificateResponse(serverCertificate: IAM.ServerCertificate(
                serverCertificateMetadata: wireServerCertificateMetadata(c), certificateBody: c.body, certificateChain: c.chain,
                tags: c.tags.isEmpty ? nil : c.tags.map(\.wire)))
        }

        r.on(.iam, "UpdateServerCertificate", authorize: .resource { i, call in
            try call.state().resolve({ try $0.serverCertificate(i.serverCertificateName).arn }, missing: { $0 })
        }) { (i: IAM.UpdateServerCertificateRequest, call) in
            let state = try call.state()
            let c = try state.serverCertificate(i.serverCertificateName)
            let newName = i.newServerCertificateName ?? c.name
            let newPath = i.newPath ?? c.path
            let newARN = serverCertificateARN(call.account, path: newPath, name: newName)
            // IAM requires permission on both the old and the new certificate names.
            if newARN != c.arn { try call.authorize(newARN, context: call.resourceTagContext(c.tags)) }
            try call.write { state in
                var c = try state.serverCertificate(i.serverCertificateName)
                let oldKey = c.name.lowercased()
                if newName.lowercased() != oldKey, state.serverCertificates[newName.lowercased()] != nil {
                    throw ServiceError.alreadyExists("The Server Certificate with name \(newName) already exists.")
                }
                state.serverCertificates[oldKey] = nil
                c.name = newName
                c.path = newPath
                c.arn = newARN
                state.serverCertificates[newName.lowercased()] = c
            }
        }

        r.on(.iam, "DeleteServerCertificate", authorize: .resource { i, call in
            try call.state().resolve({ try $0.serverCertificate(i.serverCertificateName).arn }, missing: { $0 })
        }) { (i: IAM.DeleteServerCertificateRequest, call) in
            let state = try call.state()
            let c = try state.serverCertificate(i.serverCertificateName)
            try call.write { state in
                let c = try state.serverCertificate(i.serverCertificateName)
                state.serverCertificates[c.name.lowercased()] = nil
            }
        }

        r.on(.iam, "ListServerCertificates", authorize: .anyResource) { (i: IAM.ListServerCertificatesRequest, call) -> IAM.ListServerCertificatesResponse in
            let state = try call.state()
            let prefix = i.pathPrefix ?? "/"
            let all = state.serverCertificates.values.filter { $0.path.hasPrefix(prefix) }.sorted { $0.name.lowercased() < $1.name.lowercased() }
            let page = try Page(all, key: { $0.name.lowercased() }, marker: i.marker, maxItems: i.maxItems)
            return IAM.ListServerCertificatesResponse(serverCertificateMetadataList: page.items.map(wireServerCertificateMetadata),
                                                      isTruncated: page.isTruncated, marker: page.marker)
        }

        r.on(.iam, "TagServerCertificate", authorize: .declared { i, call in try tagging(.serverCertificate(i.serverCertificateName), i.tags, call) }) {
            (i: IAM.TagServerCertificateRequest, call) in try tag(.serverCertificate(i.serverCertificateName), i.tags, call)
        }
        r.on(.iam, "UntagServerCertificate", authorize: .declared { i, call in try untagging(.serverCertificate(i.serverCertificateName), i.tagKeys, call) }) {
            (i: IAM.UntagServerCertificateRequest, call) in try untag(.serverCertificate(i.serverCertificateName), i.tagKeys, call)
        }
        r.on(.iam, "ListServerCertificateTags", authorize: .resource { i, call in try TagTarget.serverCertificate(i.serverCertificateName).resolve(try call.state()).arn }) {
            (i: IAM.ListServerCertificateTagsRequest, call) -> IAM.ListServerCertificateTagsResponse in
            let p = try listTags(.serverCertificate(i.serverCertificateName), i.marker, i.maxItems, call)
            return IAM.ListServerCertificateTagsResponse(tags: p.items, isTruncated: p.isTruncated, marker: p.marker)
        }
    }

    static func wireServerCertificateMetadata(_ c: ServerCertificateRecord) -> IAM.ServerCertificateMetadata {
        IAM.ServerCertificateMetadata(path: c.path, serverCertificateName: c.name, serverCertificateId: c.id, arn: c.arn,
                                      uploadDate: c.uploadDate, expiration: c.expiration)
    }
}

extension AccountState {
    func serverCertificate(_ name: String) throws -> ServerCertificateRecord {
        guard let c = serverCertificates[name.lowercased()] else {
            throw ServiceError.noSuchEntity("The Server Certificate with name \(name) cannot be found.",
                                            resource: missingARN("server-certificate", name))
        }
        return c
    }
}

extension TagTarget {
    static func serverCertificate(_ name: String) -> TagTarget {
        TagTarget(arn: { try $0.serverCertificate(name).arn }, tags: { try $0.serverCertificate(name).tags },
                  update: { s, f in var c = try s.serverCertificate(name); try f(&c.tags); s.serverCertificates[c.name.lowercased()] = c })
    }
}
