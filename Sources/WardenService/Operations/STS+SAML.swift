import Crypto
import Foundation
import WardenCore
import WardenStore
import WardenWire
import X509
import _CryptoExtras

extension WardenService {
    static let samlProtocolNS = "urn:oasis:names:tc:SAML:2.0:protocol"
    static let samlAssertionNS = "urn:oasis:names:tc:SAML:2.0:assertion"
    static let samlMetadataNS = "urn:oasis:names:tc:SAML:2.0:metadata"
    static let samlAttributePrefix = "https://aws.amazon.com/SAML/Attributes/"
    /// The audiences and recipients AWS accepts for its sign-in endpoint (global and regional forms).
    static func isAWSSAMLEndpoint(_ s: String) -> Bool {
        if s == "urn:amazon:webservices" || s == "https://signin.aws.amazon.com/saml" { return true }
        guard s.hasPrefix("https://"), s.hasSuffix(".signin.aws.amazon.com/saml") else { return false }
        return !s.dropFirst(8).dropLast(27).contains("/")
    }
    /// Clock skew tolerated on SAML time conditions.
    static let samlSkew: TimeInterval = 300
    /// Common attribute OIDs and the `saml:` condition keys AWS derives from them.
    static let samlAttributeKeys: [String: String] = [
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.1": "saml:edupersonaffiliation", "urn:oid:1.3.6.1.4.1.5923.1.1.1.6": "saml:edupersonprincipalname",
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.7": "saml:edupersonentitlement", "urn:oid:1.3.6.1.4.1.5923.1.1.1.9": "saml:edupersonscopedaffiliation",
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.10": "saml:edupersontargetedid", "urn:oid:2.5.4.3": "saml:cn", "urn:oid:2.5.4.10": "saml:o",
        "urn:oid:2.5.4.11": "saml:ou", "urn:oid:0.9.2342.19200300.100.1.1": "saml:uid", "urn:oid:0.9.2342.19200300.100.1.3": "saml:mail",
        "urn:oid:2.5.4.42": "saml:givenName", "urn:oid:2.5.4.4": "saml:surname", "urn:oid:2.16.840.1.113730.3.1.241": "saml:displayName",
    ]

    static func registerSTSSAML(_ r: inout Registry) {
        r.on(.sts, "AssumeRoleWithSAML", authorize: .inBody(because: trustPolicyCheck)) {
            (i: STS.AssumeRoleWithSAMLRequest, call) -> STS.AssumeRoleWithSAMLResponse in
            try assumeRoleWithSAML(i, call)
        }
    }

    /// The signing keys of a SAML provider's metadata: the X509Certificate of each KeyDescriptor that is not
    /// for encryption only, under IDPSSODescriptor; and the metadata's entityID.
    static func samlProviderKeys(_ metadata: String) throws -> (entityID: String?, keys: [_RSA.Signing.PublicKey]) {
        let root: XElement
        do { root = try XMLDocumentParser.parse(metadata) } catch {
            throw invalidToken("The SAML provider's metadata document cannot be parsed: \(error.reason).")
        }
        let descriptors = root.descendants().filter { $0.local == "IDPSSODescriptor" && $0.namespaceURI == samlMetadataNS }
        var keys: [_RSA.Signing.PublicKey] = []
        for d in descriptors {
            for kd in d.children("KeyDescriptor", samlMetadataNS) where kd.attribute("use") != "encryption" {
                for certElement in kd.descendants() where certElement.local == "X509Certificate" && certElement.namespaceURI == XMLSignature.ds {
                    guard let der = XMLSignature.base64(certElement.text), let cert = try? Certificate(derEncoded: der),
                          let key = _RSA.Signing.PublicKey(cert.publicKey) else { continue }
                    keys.append(key)
                }
            }
        }
        let entity = root.local == "EntityDescriptor" ? root : root.descendants().first { $0.local == "EntityDescriptor" }
        return (entity?.attribute("entityID"), keys)
    }

    static func parseSAMLTime(_ s: String?) -> Date? {
        guard let s else { return nil }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: s) { return d }
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: s)
    }

    static func assumeRoleWithSAML(_ i: STS.AssumeRoleWithSAMLRequest, _ call: Call) throws -> STS.AssumeRoleWithSAMLResponse {
        let action = "sts:AssumeRoleWithSAML"
        let (account, _) = try federationRole(i.roleArn, action: action)
        guard let pParts = ARN.parse(i.principalArn), pParts.service == "iam", pParts.resource.hasPrefix("saml-provider/") else {
            throw ServiceError(.validationError, "\(i.principalArn) is invalid")
        }
        guard let state = call.service.store.account(account), pParts.account == account, let provider = state.samlProviders[i.principalArn] else {
            throw invalidToken("SAML provider \(i.principalArn) does not exist in the role's account.")
        }
        guard let xmlBytes = XMLSignature.base64(i.samlAssertion) else { throw invalidToken("The SAML response is not base64.") }
        let root: XElement
        do { root = try XMLDocumentParser.parse(String(decoding: xmlBytes, as: UTF8.self)) } catch {
            throw invalidToken("The SAML response is not well-formed XML: \(error.reason).")
        }
        guard root.local == "Response", root.namespaceURI == samlProtocolNS else { throw invalidToken("The SAML document is not a samlp:Response.") }
        let status = root.child("Status", samlProtocolNS)?.child("StatusCode", samlProtocolNS)?.attribute("Value")
        guard status == "urn:oasis:names:tc:SAML:2.0:status:Success" else {
            throw ServiceError(.idpRejectedClaim, "The identity provider reported that authentication failed (\(status ?? "no status")).")
        }
        if !root.children("EncryptedAssertion", samlAssertionNS).isEmpty {
            throw invalidToken("Encrypted SAML assertions are not supported by Warden; configure the IdP to sign without encrypting.")
        }
        let assertions = root.children("Assertion", samlAssertionNS)
        guard assertions.count == 1, let assertion = assertions.first else { throw invalidToken("The SAML response must contain exactly one Assertion.") }
        // IDs must be unique, or a wrapped copy could shadow the signed element.
        var ids = Set<String>()
        for e in root.descendants() { if let id = e.attribute("ID"), !ids.insert(id).inserted { throw invalidToken("Duplicate ID `\(id)` in the SAML response.") } }

        // Signatures: on the Response, on the Assertion, or both; every one present must verify.
        let (entityID, keys) = try samlProviderKeys(provider.metadataDocument)
        guard !keys.isEmpty else { throw invalidToken("The SAML provider's metadata has no RSA signing certificate.") }
        let signatures = [root.child("Signature", XMLSignature.ds), assertion.child("Signature", XMLSignature.ds)].compactMap { $0 }
        guard !signatures.isEmpty else { throw invalidToken("The SAML response is not signed.") }
        for sig in signatures {
            do { _ = try XMLSignature.verify(sig, root: root, keys: keys) } catch {
                throw invalidToken("Invalid SAML signature: \(error.reason).")
            }
        }

        let now = call.now
        guard let issuer = assertion.child("Issuer", samlAssertionNS)?.text.trimmingCharacters(in: .whitespacesAndNewlines), !issuer.isEmpty else {
            throw invalidToken("The SAML assertion has no Issuer.")
        }
        if let entityID, entityID != issuer {
            throw invalidToken("The Issuer `\(issuer)` of the assertion is not the entity `\(entityID)` of the provider's metadata.")
        }
        // Conditions: validity window and audience.
        if let conditions = assertion.child("Conditions", samlAssertionNS) {
            if let nb = parseSAMLTime(conditions.attribute("NotBefore")), nb.timeIntervalSince(now) > samlSkew {
                throw invalidToken("The SAML assertion is not yet valid (NotBefore \(conditions.attribute("NotBefore") ?? "")).")
            }
            if let na = parseSAMLTime(conditions.attribute("NotOnOrAfter")), now.timeIntervalSince(na) >= 0 {
                throw ServiceError(.expiredTokenException, "The SAML assertion has expired (NotOnOrAfter \(conditions.attribute("NotOnOrAfter") ?? "")).")
            }
            for restriction in conditions.children("AudienceRestriction", samlAssertionNS) {
                let audiences = restriction.children("Audience", samlAssertionNS).map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) }
                guard audiences.contains(where: isAWSSAMLEndpoint) else {
                    throw ServiceError(.idpRejectedClaim, "The SAML assertion's audience must be https://signin.aws.amazon.com/saml or urn:amazon:webservices.")
                }
            }
        }
        // Subject: NameID and a bearer confirmation for AWS's endpoint.
        guard let subjectElement = assertion.child("Subject", samlAssertionNS), let nameID = subjectElement.child("NameID", samlAssertionNS) else {
            throw invalidToken("The SAML assertion has no Subject NameID.")
        }
        let subject = nameID.text.trimmingCharacters(in: .whitespacesAndNewlines)
        let format = nameID.attribute("Format") ?? "urn:oasis:names:tc:SAML:2.0:nameid-format:unspecified"
        var recipient = "https://signin.aws.amazon.com/saml"
        let bearers = subjectElement.children("SubjectConfirmation", samlAssertionNS).filter { $0.attribute("Method") == "urn:oasis:names:tc:SAML:2.0:cm:bearer" }
        guard !bearers.isEmpty else { throw invalidToken("The SAML assertion has no bearer SubjectConfirmation.") }
        for b in bearers {
            guard let data = b.child("SubjectConfirmationData", samlAssertionNS) else { continue }
            if let r = data.attribute("Recipient") {
                guard isAWSSAMLEndpoint(r) else { throw ServiceError(.idpRejectedClaim, "The SAML Recipient `\(r)` is not https://signin.aws.amazon.com/saml.") }
                recipient = r
            }
            if let na = parseSAMLTime(data.attribute("NotOnOrAfter")), now.timeIntervalSince(na) >= 0 {
                throw ServiceError(.expiredTokenException, "The SAML subject confirmation has expired.")
            }
        }

        // Attributes.
        var attributes: [String: [String]] = [:]
        for statement in assertion.children("AttributeStatement", samlAssertionNS) {
            for a in statement.children("Attribute", samlAssertionNS) {
                guard let name = a.attribute("Name") else { continue }
                attributes[name, default: []] += a.children("AttributeValue", samlAssertionNS).map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) }
            }
        }
        let pairs = (attributes[samlAttributePrefix + "Role"] ?? []).map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        guard pairs.contains(where: { Set($0) == Set([i.roleArn, i.principalArn]) }) else {
            throw ServiceError(.accessDenied, "Not authorized to perform sts:AssumeRoleWithSAML")
        }
        guard let sessionName = attributes[samlAttributePrefix + "RoleSessionName"]?.first else {
            throw invalidToken("The SAML assertion has no RoleSessionName attribute.")
        }
        guard (2...64).contains(sessionName.count), sessionName.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_+=,.@-".contains($0)) }) else {
            throw invalidToken("The RoleSessionName attribute `\(sessionName)` must be 2 to 64 characters of [\\w+=,.@-].")
        }
        var duration = i.durationSeconds
        if duration == nil, let s = attributes[samlAttributePrefix + "SessionDuration"]?.first {
            guard let d = Int(s), (900...43_200).contains(d) else { throw invalidToken("The SessionDuration attribute must be 900 to 43200 seconds.") }
            duration = min(d, state.roles[(ARN.pathAndName(ofResource: ARN.parse(i.roleArn)?.resource ?? "")?.name ?? "").lowercased()]?.maxSessionDuration ?? 3600)
        }
        // AuthnStatement SessionNotOnOrAfter caps the session.
        if let sna = assertion.children("AuthnStatement", samlAssertionNS).compactMap({ parseSAMLTime($0.attribute("SessionNotOnOrAfter")) }).min() {
            let left = Int(sna.timeIntervalSince(now))
            guard left > 0 else { throw ServiceError(.expiredTokenException, "The SAML session (SessionNotOnOrAfter) has ended.") }
            duration = min(duration ?? 3600, max(900, left))
        }

        let providerName = String(pParts.resource.dropFirst("saml-provider/".count))
        let qualifier = Data(Insecure.SHA1.hash(data: Array("\(issuer)\(account)/\(providerName)".utf8))).base64EncodedString()
        let subType: String
        switch format {
        case "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent": subType = "persistent"
        case "urn:oasis:names:tc:SAML:2.0:nameid-format:transient": subType = "transient"
        default: subType = format
        }
        var context: [String: [String]] = [
            "saml:aud": [recipient], "saml:iss": [issuer], "saml:sub": [subject], "saml:sub_type": [subType],
            "saml:namequalifier": [qualifier], "saml:doc": ["\(account)/\(providerName)"],
        ]
        for (oid, key) in samlAttributeKeys { if let v = attributes[oid], !v.isEmpty { context[key] = v } }
        var tagPairs: [(String, String)] = []
        for (name, values) in attributes.sorted(by: { $0.key < $1.key }) where name.hasPrefix(samlAttributePrefix + "PrincipalTag:") {
            if let v = values.first { tagPairs.append((String(name.dropFirst((samlAttributePrefix + "PrincipalTag:").count)), v)) }
        }
        let (tags, transitive) = try providerTags(tagPairs, transitive: attributes[samlAttributePrefix + "TransitiveTagKeys"] ?? [])
        let sourceIdentity = attributes[samlAttributePrefix + "SourceIdentity"]?.first

        let issued = try issueFederatedSession(call, roleArn: i.roleArn, action: action, provider: provider.arn, subject: subject,
                                               sessionName: sessionName, durationSeconds: duration, context: context, tags: tags,
                                               transitive: transitive, sourceIdentity: sourceIdentity, policy: i.policy, policyArns: i.policyArns)
        return STS.AssumeRoleWithSAMLResponse(
            credentials: issued.credentials, assumedRoleUser: issued.user, packedPolicySize: issued.packed, subject: subject,
            subjectType: subType, issuer: issuer, audience: recipient, nameQualifier: qualifier, sourceIdentity: sourceIdentity)
    }
}
