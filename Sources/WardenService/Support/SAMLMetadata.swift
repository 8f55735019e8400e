import Foundation
import WardenWire
import X509
#if canImport(FoundationXML)
import FoundationXML
#endif

/// What IAM needs from a SAML 2.0 IdP metadata document: the issuer (`entityID`), the signing certificates
/// of its `IDPSSODescriptor`, and when the metadata stops being valid.
struct SAMLMetadata: Sendable {
    /// Why a document is not usable SAML metadata, in words for the caller.
    struct Invalid: Error, Equatable {
        var reason: String
    }

    static let metadataNS = "urn:oasis:names:tc:SAML:2.0:metadata"
    static let signatureNS = "http://www.w3.org/2000/09/xmldsig#"

    var entityID: String
    var validUntil: Date?
    /// The certificates of key descriptors used for signing (those without `use`, or `use="signing"`).
    var signingCertificates: [Certificate]

    /// Parses and checks a metadata document.
    static func parse(_ xml: String) throws(Invalid) -> SAMLMetadata {
        // Documents with a DTD can expand entities without bound; metadata never needs one.
        if xml.range(of: "<!DOCTYPE", options: .caseInsensitive) != nil {
            throw Invalid(reason: "document type declarations (DTDs) are not allowed")
        }
        let collector = Collector()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = collector
        // Some XMLParser builds report success for a truncated document; a closed root element is the real proof.
        guard parser.parse(), !collector.failed, collector.rootClosed else {
            throw Invalid(reason: "the document is not well-formed XML (line \(parser.lineNumber), column \(parser.columnNumber))")
        }
        guard let root = collector.root, root.ns == metadataNS, root.local == "EntityDescriptor" else {
            let found = collector.root.map { "\($0.local.prefix(64)) in namespace \($0.ns.isEmpty ? "(none)" : $0.ns)" } ?? "nothing"
            throw Invalid(reason: "the root element must be an md:EntityDescriptor (\(metadataNS)), found \(found)")
        }
        guard let entityID = collector.entityID, !entityID.isEmpty else {
            throw Invalid(reason: "the EntityDescriptor has no entityID attribute")
        }
        var validUntil: Date?
        if let v = collector.validUntil {
            guard let d = WireFormat.parseTimestamp(v) else { throw Invalid(reason: "validUntil \"\(v)\" is not an xs:dateTime") }
            validUntil = d
        }
        guard collector.idpDescriptors > 0 else {
            throw Invalid(reason: "the EntityDescriptor has no IDPSSODescriptor; IAM needs identity provider metadata")
        }
        var certificates: [Certificate] = []
        for (n, text) in collector.certificates.enumerated() {
            let b64 = text.filter { !$0.isWhitespace }
            guard let der = Data(base64Encoded: b64), let c = try? Certificate(derEncoded: [UInt8](der)) else {
                throw Invalid(reason: "X509Certificate \(n + 1) of the IDPSSODescriptor is not a base64 DER X.509 certificate")
            }
            certificates.append(c)
        }
        guard !certificates.isEmpty else {
            throw Invalid(reason: "the IDPSSODescriptor has no signing key: add a KeyDescriptor (use=\"signing\") with a ds:X509Certificate")
        }
        return SAMLMetadata(entityID: entityID, validUntil: validUntil, signingCertificates: certificates)
    }
}

/// Walks the document and keeps the parts `SAMLMetadata` checks.
private final class Collector: NSObject, XMLParserDelegate {
    var root: (ns: String, local: String)?
    var entityID: String?
    var validUntil: String?
    var idpDescriptors = 0
    var certificates: [String] = []
    var failed = false
    var rootClosed = false

    private var stack: [(ns: String, local: String, attributes: [String: String])] = []
    private var text: String?

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        let ns = namespaceURI ?? ""
        if stack.isEmpty {
            root = (ns, elementName)
            entityID = attributes["entityID"]
            validUntil = attributes["validUntil"]
        }
        stack.append((ns, elementName, attributes))
        if stack.count == 2, ns == SAMLMetadata.metadataNS, elementName == "IDPSSODescriptor" { idpDescriptors += 1 }
        if ns == SAMLMetadata.signatureNS, elementName == "X509Certificate", isSigningKeyOfIDP() { text = "" }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text?.append(string)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        if let t = text, elementName == "X509Certificate" {
            certificates.append(t)
            text = nil
        }
        stack.removeLast()
        if stack.isEmpty { rootClosed = true }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        failed = true
    }

    /// Whether the current element sits in `EntityDescriptor/IDPSSODescriptor/KeyDescriptor` whose `use`
    /// is absent or `signing`.
    private func isSigningKeyOfIDP() -> Bool {
        guard stack.count >= 3, stack[1].ns == SAMLMetadata.metadataNS, stack[1].local == "IDPSSODescriptor",
              stack[2].ns == SAMLMetadata.metadataNS, stack[2].local == "KeyDescriptor" else { return false }
        let use = stack[2].attributes["use"]
        return use == nil || use == "signing"
    }
}
