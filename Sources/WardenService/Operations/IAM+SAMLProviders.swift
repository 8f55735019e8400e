import Foundation
import WardenCore
import WardenStore
import WardenWire

extension WardenService {
    static let samlProvidersQuota = 100
    static let samlPrivateKeysMax = 2
    /// How long IAM treats metadata without `validUntil` as valid.
    static let samlDefaultValidity: TimeInterval = 100 * 365.25 * 86_400

    /// Parses metadata for Create/Update, answering `InvalidInput` with the reason.
    static func samlMetadata(_ xml: String, now: Date) throws -> SAMLMetadata {
        let m: SAMLMetadata
        do { m = try SAMLMetadata.parse(xml) } catch {
            throw ServiceError.invalidInput("Could not parse metadata: \(error.reason).")
        }
        if let v = m.validUntil, v <= now {
            throw ServiceError.invalidInput("Could not parse metadata: the metadata expired at \(WireFormat.timestamp(v)) (validUntil).")
        }
        return m
    }

    static func registerSAMLProviders(_ r: inout Registry) {
        r.on(.iam, "CreateSAMLProvider", authorize: .declared { i, call in
            [Requirement("arn:aws:iam::\(call.account):saml-provider/\(i.name)", tags: try Tagging.validate(i.tags))]
        }) { (i: IAM.CreateSAMLProviderRequest, call) -> IAM.CreateSAMLProviderResponse in
            let arn = "arn:aws:iam::\(call.account):saml-provider/\(i.name)"
            let tags = try Tagging.validate(i.tags)
            let metadata = try samlMetadata(i.samlMetadataDocument, now: call.now)
            let key = try i.addPrivateKey.map { try samlPrivateKey($0, call) }
            if i.assertionEncryptionMode == .required && key == nil {
                throw ServiceError.invalidInput("AssertionEncryptionMode Required needs a private key (AddPrivateKey).")
            }
            return try call.write { state in
                if state.samlProviders[arn] != nil || state.samlProviders.values.contains(where: { $0.name.lowercased() == i.name.lowercased() }) {
                    throw ServiceError.alreadyExists("SAMLProvider named \(i.name) already exists.")
                }
                if state.samlProviders.count >= samlProvidersQuota {
                    throw ServiceError.limitExceeded("Cannot exceed quota for SAMLProvidersPerAccount: \(samlProvidersQuota)")
                }
                var p = SAMLProviderRecord(arn: arn, name: i.name, metadataDocument: i.samlMetadataDocument, createDate: call.now,
                                           validUntil: metadata.validUntil ?? call.now.addingTimeInterval(samlDefaultValidity))
                p.entityID = metadata.entityID
                p.uuid = UUID().uuidString.lowercased()
                p.tags = tags
                p.assertionEncryptionMode = i.assertionEncryptionMode?.rawValue
                p.privateKeys = key.map { [$0] }
                state.samlProviders[arn] = p
                return IAM.CreateSAMLProviderResponse(samlProviderArn: arn, tags: tags.isEmpty ? nil : tags.map(\.wire))
            }
        }

        r.on(.iam, "GetSAMLProvider", authorize: .resource { i, call in
            try call.state().resolve({ try $0.samlProvider(i.samlProviderArn).arn }, missing: { $0 })
        }) { (i: IAM.GetSAMLProviderRequest, call) -> IAM.GetSAMLProviderResponse in
            let p = try call.state().samlProvider(i.samlProviderArn)
            let keys = p.privateKeys ?? []
            return IAM.GetSAMLProviderResponse(
                samlProviderUUID: p.uuid, samlMetadataDocument: p.metadataDocument, createDate: p.createDate, validUntil: p.validUntil,
                tags: p.tags.isEmpty ? nil : p.tags.map(\.wire),
                assertionEncryptionMode: p.assertionEncryptionMode.flatMap(IAM.AssertionEncryptionModeType.init(rawValue:)),
                privateKeyList: keys.isEmpty ? nil : keys.map { IAM.SAMLPrivateKey(keyId: $0.id, timestamp: $0.timestamp) })
        }

        r.on(.iam, "UpdateSAMLProvider", authorize: .resource { i, call in
            try call.state().resolve({ try $0.samlProvider(i.samlProviderArn).arn }, missing: { $0 })
        }) { (i: IAM.UpdateSAMLProviderRequest, call) -> IAM.UpdateSAMLProviderResponse in
            _ = try call.state().samlProvider(i.samlProviderArn)
            if i.samlMetadataDocument == nil && i.assertionEncryptionMode == nil && i.addPrivateKey == nil && i.removePrivateKey == nil {
                throw ServiceError.invalidInput("Specify SAMLMetadataDocument, AssertionEncryptionMode, AddPrivateKey or RemovePrivateKey.")
            }
            let metadata = try i.samlMetadataDocument.map { try samlMetadata($0, now: call.now) }
            let added = try i.addPrivateKey.map { try samlPrivateKey($0, call) }
            return try call.write { state in
                var p = try state.samlProvider(i.samlProviderArn)
                if let doc = i.samlMetadataDocument, let m = metadata {
                    p.metadataDocument = doc
                    p.entityID = m.entityID
                    p.validUntil = m.validUntil ?? call.now.addingTimeInterval(samlDefaultValidity)
                }
                var keys = p.privateKeys ?? []
                if let id = i.removePrivateKey {
                    guard keys.contains(where: { $0.id == id }) else {
                        throw ServiceError.invalidInput("The private key \(id) does not belong to this SAML provider.")
                    }
                    keys.removeAll { $0.id == id }
                }
                if let k = added {
                    if keys.count >= samlPrivateKeysMax {
                        throw ServiceError.limitExceeded("Cannot exceed quota for PrivateKeysPerSAMLProvider: \(samlPrivateKeysMax)")
                    }
                    keys.append(k)
                }
                if let mode = i.assertionEncryptionMode { p.assertionEncryptionMode = mode.rawValue }
                if p.assertionEncryptionMode == IAM.AssertionEncryptionModeType.required.rawValue && keys.isEmpty {
                    throw ServiceError.invalidInput("AssertionEncryptionMode Required needs at least one private key.")
                }
                p.privateKeys = keys
                state.samlProviders[p.arn] = p
                return IAM.UpdateSAMLProviderResponse(samlProviderArn: p.arn)
            }
        }

        r.on(.iam, "DeleteSAMLProvider", authorize: .resource { i, call in
            try call.state().resolve({ try $0.samlProvider(i.samlProviderArn).arn }, missing: { $0 })
        }) { (i: IAM.DeleteSAMLProviderRequest, call) in
            _ = try call.state().samlProvider(i.samlProviderArn)
            try call.write { state in
                let p = try state.samlProvider(i.samlProviderArn)
                state.samlProviders[p.arn] = nil
            }
        }

        r.on(.iam, "ListSAMLProviders", authorize: .anyResource) { (_: IAM.ListSAMLProvidersRequest, call) -> IAM.ListSAMLProvidersResponse in
            let state = try call.state()
            return IAM.ListSAMLProvidersResponse(samlProviderList: state.samlProviders.values.sorted { $0.arn < $1.arn }.map {
                IAM.SAMLProviderListEntry(arn: $0.arn, validUntil: $0.validUntil, createDate: $0.createDate)
            })
        }

        r.on(.iam, "TagSAMLProvider", authorize: .declared { i, call in try tagging(.samlProvider(i.samlProviderArn), i.tags, call) }) {
            (i: IAM.TagSAMLProviderRequest, call) in try tag(.samlProvider(i.samlProviderArn), i.tags, call)
        }
        r.on(.iam, "UntagSAMLProvider", authorize: .declared { i, call in try untagging(.samlProvider(i.samlProviderArn), i.tagKeys, call) }) {
            (i: IAM.UntagSAMLProviderRequest, call) in try untag(.samlProvider(i.samlProviderArn), i.tagKeys, call)
        }
        r.on(.iam, "ListSAMLProviderTags", authorize: .resource { i, call in try TagTarget.samlProvider(i.samlProviderArn).resolve(try call.state()).arn }) {
            (i: IAM.ListSAMLProviderTagsRequest, call) -> IAM.ListSAMLProviderTagsResponse in
            let p = try listTags(.samlProvider(i.samlProviderArn), i.marker, i.maxItems, call)
            return IAM.ListSAMLProviderTagsResponse(tags: p.items, isTruncated: p.isTruncated, marker: p.marker)
        }
    }

    /// A private key for decrypting assertions: checked to be an unencrypted PEM key, then sealed.
    static func samlPrivateKey(_ pem: String, _ call: Call) throws -> SAMLProviderRecord.PrivateKey {
        do { _ = try X509Bodies.privateKey(pem) } catch let e as ServiceError {
            throw ServiceError.invalidInput(e.message)
        }
        let id = Identifiers.random(count: 26, from: Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"))
        return SAMLProviderRecord.PrivateKey(id: id, encryptedKey: call.service.secrets.seal(Array(pem.utf8), context: "saml-key:\(id)"),
                                             timestamp: call.now)
    }
}

extension AccountState {
    func samlProvider(_ arn: String) throws -> SAMLProviderRecord {
        try WardenService.checkProviderARN(arn, type: "saml-provider")
        guard let p = samlProviders[arn] else { throw ServiceError.noSuchEntity("Manifest not found for arn \(arn)", resource: arn) }
        return p
    }
}

extension TagTarget {
    static func samlProvider(_ arn: String) -> TagTarget {
        TagTarget(arn: { try $0.samlProvider(arn).arn }, tags: { try $0.samlProvider(arn).tags },
                  update: { s, f in var p = try s.samlProvider(arn); try f(&p.tags); s.samlProviders[p.arn] = p })
    }
}
