import WardenCore
import WardenStore
import WardenWire

extension WardenService {
    static let oidcProvidersQuota = 100
    static let oidcClientIDsQuota = 100
    static let oidcThumbprintsMax = 5

    /// The provider's URL without its scheme (`server.example.com/path`), which IAM puts in the ARN and reports
    /// as `Url`. IAM accepts only https URLs without query or fragment.
    static func oidcIssuer(_ url: String) throws -> String {
        guard url.lowercased().hasPrefix("https://") else {
            throw ServiceError(.validationError, "Invalid Open ID Connect Provider URL: the URL must begin with https://")
        }
        var rest = String(url.dropFirst("https://".count))
        while rest.hasSuffix("/") { rest.removeLast() }
        let host = rest.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
        guard !host.isEmpty, !rest.contains("?"), !rest.contains("#"), !rest.contains(" "), !host.contains("@") else {
            throw ServiceError(.validationError, "Invalid Open ID Connect Provider URL: it must name a host and have no query or fragment")
        }
        return rest
    }

    /// Thumbprints are SHA-1 digests of the IdP's CA certificate: 40 hex digits each, at most five.
    static func checkThumbprints(_ list: [String]) throws -> [String] {
        if list.count > oidcThumbprintsMax {
            throw ServiceError.invalidInput("Thumbprint list must contain fewer than \(oidcThumbprintsMax + 1) entries.")
        }
        for t in list where t.utf8.count != 40 || !t.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 | 0x20 >= 97 && $0 | 0x20 <= 102) }) {
            throw ServiceError.invalidInput("Thumbprint \(t) is not a 40-character hexadecimal SHA-1 digest.")
        }
        var seen = Set<String>()
        return list.filter { seen.insert($0.lowercased()).inserted }
    }

    static func registerOIDCProviders(_ r: inout Registry) {
        r.on(.iam, "CreateOpenIDConnectProvider", authorize: .declared { i, call in
            [Requirement("arn:aws:iam::\(call.account):oidc-provider/\(try oidcIssuer(i.url))", tags: try Tagging.validate(i.tags))]
        }) { (i: IAM.CreateOpenIDConnectProviderRequest, call) -> IAM.CreateOpenIDConnectProviderResponse in
            let issuer = try oidcIssuer(i.url)
            let arn = "arn:aws:iam::\(call.account):oidc-provider/\(issuer)"
            let tags = try Tagging.validate(i.tags)
            let thumbprints = try checkThumbprints(i.thumbprintList ?? [])
            var clientIDs: [String] = []
            for c in i.clientIDList ?? [] where !clientIDs.contains(c) { clientIDs.append(c) }
            if clientIDs.count > oidcClientIDsQuota {
                throw ServiceError.limitExceeded("Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: \(oidcClientIDsQuota)")
            }
            return try call.write { state in
                if state.oidcProviders[arn] != nil { throw ServiceError.alreadyExists("Provider with url \(i.url) already exists.") }
                if state.oidcProviders.count >= oidcProvidersQuota {
                    throw ServiceError.limitExceeded("Cannot exceed quota for OpenIdConnectProvidersPerAccount: \(oidcProvidersQuota)")
                }
                var p = OIDCProviderRecord(arn: arn, url: issuer, clientIDs: clientIDs, thumbprints: thumbprints, createDate: call.now)
                p.tags = tags
                state.oidcProviders[arn] = p
                return IAM.CreateOpenIDConnectProviderResponse(openIDConnectProviderArn: arn, tags: tags.isEmpty ? nil : tags.map(\.wire))
            }
        }

        r.on(.iam, "GetOpenIDConnectProvider", authorize: .resource { i, call in try oidcProviderARN(i.openIDConnectProviderArn, call) }) {
            (i: IAM.GetOpenIDConnectProviderRequest, call) -> IAM.GetOpenIDConnectProviderResponse in
            let p = try call.state().oidcProvider(i.openIDConnectProviderArn)
            return IAM.GetOpenIDConnectProviderResponse(url: p.url, clientIDList: p.clientIDs, thumbprintList: p.thumbprints,
                                                        createDate: p.createDate, tags: p.tags.isEmpty ? nil : p.tags.map(\.wire))
        }

        r.on(.iam, "DeleteOpenIDConnectProvider", authorize: .resource { i, _ in
            try checkProviderARN(i.openIDConnectProviderArn, type: "oidc-provider")
            return i.openIDConnectProviderArn
        }) { (i: IAM.DeleteOpenIDConnectProviderRequest, call) in
            let arn = i.openIDConnectProviderArn
            // IAM documents this call as idempotent: deleting a provider that does not exist succeeds.
            try call.write { state in state.oidcProviders[arn] = nil }
        }

        r.on(.iam, "ListOpenIDConnectProviders", authorize: .anyResource) { (_: IAM.ListOpenIDConnectProvidersRequest, call) -> IAM.ListOpenIDConnectProvidersResponse in
            let state = try call.state()
            return IAM.ListOpenIDConnectProvidersResponse(
                openIDConnectProviderList: state.oidcProviders.values.map(\.arn).sorted().map { IAM.OpenIDConnectProviderListEntry(arn: $0) })
        }

        r.on(.iam, "AddClientIDToOpenIDConnectProvider", authorize: .resource { i, call in try oidcProviderARN(i.openIDConnectProviderArn, call) }) {
            (i: IAM.AddClientIDToOpenIDConnectProviderRequest, call) in
            try updateOIDC(i.openIDConnectProviderArn, call) { p in
                guard !p.clientIDs.contains(i.clientID) else { return }
                if p.clientIDs.count >= oidcClientIDsQuota {
                    throw ServiceError.limitExceeded("Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: \(oidcClientIDsQuota)")
                }
                p.clientIDs.append(i.clientID)
            }
        }

        r.on(.iam, "RemoveClientIDFromOpenIDConnectProvider", authorize: .resource { i, call in try oidcProviderARN(i.openIDConnectProviderArn, call) }) {
            (i: IAM.RemoveClientIDFromOpenIDConnectProviderRequest, call) in
            try updateOIDC(i.openIDConnectProviderArn, call) { p in p.clientIDs.removeAll { $0 == i.clientID } }
        }

        r.on(.iam, "UpdateOpenIDConnectProviderThumbprint", authorize: .resource { i, call in
            _ = try checkThumbprints(i.thumbprintList)  // checked before authorization
            return try oidcProviderARN(i.openIDConnectProviderArn, call)
        }) {
            (i: IAM.UpdateOpenIDConnectProviderThumbprintRequest, call) in
            let thumbprints = try checkThumbprints(i.thumbprintList)
            try updateOIDC(i.openIDConnectProviderArn, call) { p in p.thumbprints = thumbprints }
        }

        r.on(.iam, "TagOpenIDConnectProvider", authorize: .declared { i, call in try tagging(.oidcProvider(i.openIDConnectProviderArn), i.tags, call) }) {
            (i: IAM.TagOpenIDConnectProviderRequest, call) in try tag(.oidcProvider(i.openIDConnectProviderArn), i.tags, call)
        }
        r.on(.iam, "UntagOpenIDConnectProvider", authorize: .declared { i, call in try untagging(.oidcProvider(i.openIDConnectProviderArn), i.tagKeys, call) }) {
            (i: IAM.UntagOpenIDConnectProviderRequest, call) in try untag(.oidcProvider(i.openIDConnectProviderArn), i.tagKeys, call)
        }
        r.on(.iam, "ListOpenIDConnectProviderTags", authorize: .resource { i, call in try TagTarget.oidcProvider(i.openIDConnectProviderArn).resolve(try call.state()).arn }) {
            (i: IAM.ListOpenIDConnectProviderTagsRequest, call) -> IAM.ListOpenIDConnectProviderTagsResponse in
            let p = try listTags(.oidcProvider(i.openIDConnectProviderArn), i.marker, i.maxItems, call)
            return IAM.ListOpenIDConnectProviderTagsResponse(tags: p.items, isTruncated: p.isTruncated, marker: p.marker)
        }
    }

    /// The ARN a provider operation is authorized on: the provider's (an ARN that is not a provider's is invalid input).
    static func oidcProviderARN(_ arn: String, _ call: Call) throws -> String {
        try call.state().resolve({ try $0.oidcProvider(arn).arn }, missing: { $0 })
    }

    /// Changes a provider in one transaction (the operation declares its authorization on the provider).
    static func updateOIDC(_ arn: String, _ call: Call, _ change: (inout OIDCProviderRecord) throws -> Void) throws {
        _ = try call.state().oidcProvider(arn)
        try call.write { state in
            var p = try state.oidcProvider(arn)
            try change(&p)
            state.oidcProviders[p.arn] = p
        }
    }

    /// `InvalidInput` for a string that is not an IAM ARN of the given resource type.
    static func checkProviderARN(_ arn: String, type: String) throws {
        guard let parts = ARN.parse(arn), parts.service == "iam", parts.resource.hasPrefix(type + "/"),
              parts.resource.count > type.count + 1 else {
            throw ServiceError.invalidInput("ARN \(arn) is not valid.")
        }
    }
}

extension AccountState {
    func oidcProvider(_ arn: String) throws -> OIDCProviderRecord {
        try WardenService.checkProviderARN(arn, type: "oidc-provider")
        guard let p = oidcProviders[arn] else { throw ServiceError.noSuchEntity("OpenIDConnect Provider not found for arn \(arn)", resource: arn) }
        return p
    }
}

extension TagTarget {
    static func oidcProvider(_ arn: String) -> TagTarget {
        TagTarget(arn: { try $0.oidcProvider(arn).arn }, tags: { try $0.oidcProvider(arn).tags },
                  update: { s, f in var p = try s.oidcProvider(arn); try f(&p.tags); s.oidcProviders[p.arn] = p })
    }
}
