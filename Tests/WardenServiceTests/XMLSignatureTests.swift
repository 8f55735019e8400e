import Foundation
import Testing
import X509
import _CryptoExtras
@testable import WardenService

/// Enveloped signatures made by signxml (Assertion, exc-c14n, rsa-sha256) and by hand with libxml2's exclusive
/// c14n (Response, rsa-sha1, InclusiveNamespaces PrefixList="xs"); see tests/e2e/test_federation.py.
@Suite struct XMLSignatureTests {
    static let certificate = "MIICwDCCAaigAwIBAgIUDsbCjVY9ImwF7P8ofimH2UidFTMwDQYJKoZIhvcNAQELBQAwGjEYMBYGA1UEAwwPd2FyZGVuLXRlc3QtaWRwMB4XDTI2MTEyMjEyMzgyMVoXDTI3MTEyMzEyMzgyMVowGjEYMBYGA1UEAwwPd2FyZGVuLXRlc3QtaWRwMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA7XED5kwp76o7fQpxgWNoewlo1aefY6meNHXO6bXHFFblhqDhUQGU8wGjxQcp4udC30RV0wcaGcDcNssc0/eyA+EXjdkYmPFI+0c0qjS5odHoXNHvwNwYP39lafgEJ7TIiMOZZ7UPcawSW65YPg4K/5JGBJhTFq8+zeQqqNjM9JSqVlOJbO4O0STEGZjQvoImBXwQA6RoSHM4YvsQ6cd1z31i9GjrpPxV3bzV4YVLYIU0Y8h/0FN3MiBYW8Yq2YfEC6h3lOQguXACsQja4EgezqPcS+4mlwt5oZdrOIOgnIfX8JU7T412ZD7iS6OAYAwiIFCFy9tizSmNny8AQCqBDQIDAQABMA0GCSqGSIb3DQEBCwUAA4IBAQBnzfzjM+Xs41gUUGmGYqE/uTFc3435YZwPautCxv8lE77deesjo3CvEF3WqPnRY59gXwkWnL/GKsGoFsdJ5wLM0sBPK4KHlbBO58uLNZiMkVNDUmP1eftiH2E5fzN/tmzxIraqzPxIyFkfrVoacsH45RSPsSS58Olyog/kr1uhjkAwIfho9ZaqBf5Fq5aebouZAMR2cLY+KOZ/XX19/4UjurnsWDIEFKal+3jSre4G0HPf+R0CEziZ9U5EnkKslIpk5B6etKWTWe4FusUfxx2tFKjCUk2DXCAszkkZr5p3fuELoVw4SUK9Ejy55y/vUQ+jG8dkPHSCWHBvI4EN0RVq"

    static let signedAssertion = """
<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_rf03f3efead904b4289151cf0fa673930" Version="2.0" IssueInstant="2026-11-23T12:38:21Z" Destination="https://signin.aws.amazon.com/saml">
  <saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">https://idp.example.org/saml</saml:Issuer>
  <samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
  <saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="_aff1be914b08a47eb960f3e449b421ff6" IssueInstant="2026-11-23T12:38:21Z" Version="2.0">
  <saml:Issuer>https://idp.example.org/saml</saml:Issuer>
  <saml:Subject>
    <saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">alice-id-42</saml:NameID>
    <saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
      <saml:SubjectConfirmationData NotOnOrAfter="2026-11-23T12:48:21Z" Recipient="https://signin.aws.amazon.com/saml"/>
    </saml:SubjectConfirmation>
  </saml:Subject>
  <saml:Conditions NotBefore="2026-11-23T12:37:21Z" NotOnOrAfter="2026-11-23T12:48:21Z">
    <saml:AudienceRestriction><saml:Audience>https://signin.aws.amazon.com/saml</saml:Audience></saml:AudienceRestriction>
  </saml:Conditions>
  <saml:AuthnStatement AuthnInstant="2026-11-23T12:38:21Z"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:Password</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>
  <saml:AttributeStatement>
    <saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/Role"><saml:AttributeValue xsi:type="xs:string">arn:aws:iam::123456789012:role/r,arn:aws:iam::123456789012:saml-provider/p</saml:AttributeValue></saml:Attribute>
    <saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/RoleSessionName"><saml:AttributeValue xsi:type="xs:string">alice@example.org</saml:AttributeValue></saml:Attribute>
    <saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/SessionDuration"><saml:AttributeValue>1800</saml:AttributeValue></saml:Attribute>
  </saml:AttributeStatement>
<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="#_aff1be914b08a47eb960f3e449b421ff6"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>cGqKrsuEpRY0BuGZFgvr+0norkBT9Mqb+bO3mnwAUiQ=</ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue>xa0kerd21yaUTTdQnIuKpIKhbDjOv/DoVVbkOM5UUmwS97AB95nYBRF42crWYXK0RvELT9ij7H8GWUjzJ4Lc1v4gk1QkqFdWxi6gOJqzqgTRnsAIu6/4OeQOjlecn7OLFb2vIqhLh2DzaOoIsYx0nBUms8JWKdlzGJpCwOKNV5xPwfj2Vl6RtelFQhr+21FSA7Q+fZtCYzkRqz3rSof4cXYQ1v/qWSSDdjdSfcoAd/l5xd5F1X6iWtDN59iZTCqYQd1ElVXaFHeJo4mX+1/8xbMYzvcyOM7itf/a02kJh+bGWii9MYn1Kax3GCijgmHS8lDvIGIIIUrCSBi/lJ2//w==</ds:SignatureValue><ds:KeyInfo><ds:X509Data><ds:X509Certificate>MIICwDCCAaigAwIBAgIUDsbCjVY9ImwF7P8ofimH2UidFTMwDQYJKoZIhvcNAQEL
BQAwGjEYMBYGA1UEAwwPd2FyZGVuLXRlc3QtaWRwMB4XDTI2MTEyMjEyMzgyMVoX
DTI3MTEyMzEyMzgyMVowGjEYMBYGA1UEAwwPd2FyZGVuLXRlc3QtaWRwMIIBIjAN
BgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA7XED5kwp76o7fQpxgWNoewlo1aef
Y6meNHXO6bXHFFblhqDhUQGU8wGjxQcp4udC30RV0wcaGcDcNssc0/eyA+EXjdkY
mPFI+0c0qjS5odHoXNHvwNwYP39lafgEJ7TIiMOZZ7UPcawSW65YPg4K/5JGBJhT
Fq8+zeQqqNjM9JSqVlOJbO4O0STEGZjQvoImBXwQA6RoSHM4YvsQ6cd1z31i9Gjr
pPxV3bzV4YVLYIU0Y8h/0FN3MiBYW8Yq2YfEC6h3lOQguXACsQja4EgezqPcS+4m
lwt5oZdrOIOgnIfX8JU7T412ZD7iS6OAYAwiIFCFy9tizSmNny8AQCqBDQIDAQAB
MA0GCSqGSIb3DQEBCwUAA4IBAQBnzfzjM+Xs41gUUGmGYqE/uTFc3435YZwPautC
xv8lE77deesjo3CvEF3WqPnRY59gXwkWnL/GKsGoFsdJ5wLM0sBPK4KHlbBO58uL
NZiMkVNDUmP1eftiH2E5fzN/tmzxIraqzPxIyFkfrVoacsH45RSPsSS58Olyog/k
r1uhjkAwIfho9ZaqBf5Fq5aebouZAMR2cLY+KOZ/XX19/4UjurnsWDIEFKal+3jS
re4G0HPf+R0CEziZ9U5EnkKslIpk5B6etKWTWe4FusUfxx2tFKjCUk2DXCAszkkZ
r5p3fuELoVw4SUK9Ejy55y/vUQ+jG8dkPHSCWHBvI4EN0RVq
</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature></saml:Assertion></samlp:Response>
"""

    static let signedResponse = """
<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_rf03f3efead904b4289151cf0fa673930" Version="2.0" IssueInstant="2026-11-23T12:38:21Z" Destination="https://signin.aws.amazon.com/saml">
  <saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">https://idp.example.org/saml</saml:Issuer>
  <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha1"/><ds:Reference URI="#_rf03f3efead904b4289151cf0fa673930"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"><ec:InclusiveNamespaces xmlns:ec="http://www.w3.org/2001/10/xml-exc-c14n#" PrefixList="xs"/></ds:Transform></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2000/09/xmldsig#sha1"/><ds:DigestValue>P/AYWvLDtWaOTCr9dFQfTNW3fOI=</ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue>LqQtpZ6p3DZM5Qoq5nYD+EbiUyzm35Wm2vCl/cYOjpfeelN3tKA0L1TE0Fj3DAfS+I5O2vsIUqtmtbSufTS8c883AqwSpDSlxQ3lLqVI1e7p8SsObLwt7VN0WcbYfSSePOaLtHsJSK/zXDKY8/AB7V/sGvzFSu7q+BnMFt4LCA5jb+xYs3emyEwP1dMEPCkWGz1Tn4SzCqTD20LaxXklPeVt8cEwWeJjaINYGBtiVxL51iV/x9MuCv/hCRlgbX2rdA6L00FsD50MHDh9rt+ZJSy62x3GrGBKacbRq/K3vxmbVeOePEk+neB8HRlSufmznapVIlHHTRh8d4ZJdk/hhQ==</ds:SignatureValue></ds:Signature><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
  <saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="_aff1be914b08a47eb960f3e449b421ff6" IssueInstant="2026-11-23T12:38:21Z" Version="2.0">
  <saml:Issuer>https://idp.example.org/saml</saml:Issuer>
  <saml:Subject>
    <saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">alice-id-42</saml:NameID>
    <saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
      <saml:SubjectConfirmationData NotOnOrAfter="2026-11-23T12:48:21Z" Recipient="https://signin.aws.amazon.com/saml"/>
    </saml:SubjectConfirmation>
  </saml:Subject>
  <saml:Conditions NotBefore="2026-11-23T12:37:21Z" NotOnOrAfter="2026-11-23T12:48:21Z">
    <saml:AudienceRestriction><saml:Audience>https://signin.aws.amazon.com/saml</saml:Audience></saml:AudienceRestriction>
  </saml:Conditions>
  <saml:AuthnStatement AuthnInstant="2026-11-23T12:38:21Z"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:Password</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>
  <saml:AttributeStatement>
    <saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/Role"><saml:AttributeValue xsi:type="xs:string">arn:aws:iam::123456789012:role/r,arn:aws:iam::123456789012:saml-provider/p</saml:AttributeValue></saml:Attribute>
    <saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/RoleSessionName"><saml:AttributeValue xsi:type="xs:string">alice@example.org</saml:AttributeValue></saml:Attribute>
    <saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/SessionDuration"><saml:AttributeValue>1800</saml:AttributeValue></saml:Attribute>
  </saml:AttributeStatement>
</saml:Assertion>
</samlp:Response>
"""

    func key() throws -> _RSA.Signing.PublicKey {
        let der = try #require(XMLSignature.base64(Self.certificate))
        return try #require(_RSA.Signing.PublicKey(try Certificate(derEncoded: der).publicKey))
    }

    func signature(in root: XElement) throws -> XElement {
        try #require(root.descendants().first { $0.local == "Signature" && $0.namespaceURI == XMLSignature.ds })
    }

    @Test(arguments: [signedAssertion, signedResponse])
    func verifies(_ document: String) throws {
        let root = try XMLDocumentParser.parse(document)
        let sig = try signature(in: root)
        let signed = try XMLSignature.verify(sig, root: root, keys: [try key()])
        #expect(signed === sig.parent)
    }

    @Test(arguments: [signedAssertion, signedResponse])
    func tamperingBreaksIt(_ document: String) throws {
        for change in [("alice@example.org", "mallory@example.org"), ("alice-id-42", "alice-id-43"), ("Version=\"2.0\"", "Version=\"2.1\"")] {
            let root = try XMLDocumentParser.parse(document.replacingOccurrences(of: change.0, with: change.1))
            #expect(throws: XMLSignature.Failure.self) { try XMLSignature.verify(try signature(in: root), root: root, keys: [try key()]) }
        }
    }

    @Test func anotherKeyDoesNotVerify() throws {
        let other = try _RSA.Signing.PrivateKey(keySize: .bits2048).publicKey
        let root = try XMLDocumentParser.parse(Self.signedAssertion)
        #expect(throws: XMLSignature.Failure.self) { try XMLSignature.verify(try signature(in: root), root: root, keys: [other]) }
    }

    @Test func aSignatureMovedToAnotherElementDoesNotCount() throws {
        // Wrap: put the signed assertion's ID on the Response and the signature under it (the reference then
        // points at an element that is not the signature's parent, or the IDs clash).
        let root = try XMLDocumentParser.parse(Self.signedAssertion)
        let sig = try signature(in: root)
        let assertion = try #require(sig.parent)
        assertion.children.removeAll { if case .element(let e) = $0 { e === sig } else { false } }
        root.children.append(.element(sig))
        sig.parent = root
        #expect(throws: XMLSignature.Failure.self) { try XMLSignature.verify(sig, root: root, keys: [try key()]) }
    }
}
