import Foundation
import Testing
import WardenStore
@testable import WardenService

/// Pure parsing behind the credential and identity-provider operations. Vectors were made with Python's
/// `cryptography` package and checked with `ssh-keygen -E md5 -l`.
struct SSHPublicKeyTests {
    static let rsa = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCj5G4rSSBUYVWIJr+QBaWtH8iOg+I+9uv64bPC7goKWZ4B57P0taAhAKTaADCkjY5mlMhjViYdGxG9o5zoGr90jNz2g4HRkzsimNFgluMe0oH68ElQ1RhEUfVpWMAm7nZPtLEhxRTD259uza6EyucL6Vz+q673a7P8Ql4/Issu52GOCJnyEvBGPyQ56I6X+xlRI/eBgm4kD/z+1Ep7Pk/aS0t2VLMzeHHBkjkZT9jO243hn8AJdslSupdX9H7CIZxe4338/O+2DzHBl2oD8VIj9a27+zUtpUkLvXAth0zzKC12buO9YjoG5JSw4xQimCBmH5RK1Z+IY0wV0S9Jghe3"
    static let rsaFingerprint = "c6:1d:24:94:bb:d5:ee:cb:56:b9:77:4c:63:14:41:da"
    static let rsaPKCS1 = """
        -----BEGIN RSA PUBLIC KEY-----
        MIIBCgKCAQEAo+RuK0kgVGFViCa/kAWlrR/IjoPiPvbr+uGzwu4KClmeAeez9LWg
        IQCk2gAwpI2OZpTIY1YmHRsRvaOc6Bq/dIzc9oOB0ZM7IpjRYJbjHtKB+vBJUNUY
        RFH1aVjAJu52T7SxIcUUw9ufbs2uhMrnC+lc/quu92uz/EJePyLLLudhjgiZ8hLw
        Rj8kOeiOl/sZUSP3gYJuJA/8/tRKez5P2ktLdlSzM3hxwZI5GU/YztuN4Z/ACXbJ
        UrqXV/R+wiGcXuN9/Pzvtg8xwZdqA/FSI/Wtu/s1LaVJC71wLYdM8ygtdm7jvWI6
        BuSUsOMUIpggZh+UStWfiGNMFdEvSYIXtwIDAQAB
        -----END RSA PUBLIC KEY-----
        """
    static let ed25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA3o70G2q/p1wr6Cz+xfnaH6fZc4q4iCHXnHvD5frjHJ"
    static let ed25519Fingerprint = "14:48:c6:7b:57:46:3d:36:cc:bf:0e:a8:1d:e4:7e:44"
    static let ed25519PEM = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEADejvQbar+nXCvoLP7F+dofp9lziriIIdece8Pl+uMck=\n-----END PUBLIC KEY-----"
    static let rsa1024 = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDmza7LolwqsfHjHH2ffvB0MNkU0eU8jJprxPscSRXGNbsF9rQ6tGIO3WDMslMlIlOLXYHbXSLdx7mdOYoPu2i6DiC6fAHqYp0SjoApefNgF/wBKoOOWf9ZBVQ6pCq19O98oHKMU0IJoUCBO1NRa2hw6G97upNi/ekMWlw6dH1MOQ=="

    @Test func rsaFingerprintMatchesSSHKeygen() throws {
        let key = try SSHPublicKey(parsing: Self.rsa + " user@host\n")
        #expect(key.type == "ssh-rsa")
        #expect(key.fingerprint == Self.rsaFingerprint)
        #expect(key.sshEncoded == Self.rsa)
    }

    @Test func pkcs1PEMIsTheSameKey() throws {
        let key = try SSHPublicKey(parsing: Self.rsaPKCS1)
        #expect(key.fingerprint == Self.rsaFingerprint)
        #expect(key.sshEncoded == Self.rsa)
        // Round trip through the SubjectPublicKeyInfo form.
        #expect(try SSHPublicKey(parsing: key.pemEncoded).sshEncoded == Self.rsa)
    }

    @Test func ed25519BothWays() throws {
        let ssh = try SSHPublicKey(parsing: Self.ed25519)
        #expect(ssh.fingerprint == Self.ed25519Fingerprint)
        #expect(ssh.pemEncoded == Self.ed25519PEM)
        let pem = try SSHPublicKey(parsing: Self.ed25519PEM)
        #expect(pem.sshEncoded == Self.ed25519)
    }

    @Test func rejections() {
        #expect(throws: SSHPublicKey.ParseError.unrecognizedEncoding) { try SSHPublicKey(parsing: "hello world") }
        #expect(throws: SSHPublicKey.ParseError.unrecognizedEncoding) { try SSHPublicKey(parsing: "ssh-dss AAAA") }
        #expect(throws: SSHPublicKey.ParseError.unrecognizedEncoding) {
            try SSHPublicKey(parsing: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----")
        }
        #expect { try SSHPublicKey(parsing: Self.rsa1024) } throws: { error in
            guard case .invalid(let why) = error as? SSHPublicKey.ParseError else { return false }
            return why.contains("1024 bits")
        }
        let truncated = "ssh-rsa " + Data(Data(base64Encoded: String(Self.rsa.dropFirst(8)))!.dropLast(5)).base64EncodedString()
        #expect(throws: SSHPublicKey.ParseError.self) { try SSHPublicKey(parsing: truncated) }
        #expect(throws: SSHPublicKey.ParseError.self) { try SSHPublicKey(parsing: "ssh-ed25519 " + String(Self.rsa.dropFirst(8))) }
    }
}

struct SAMLMetadataTests {
    static let certificate = "MIIBIjCByaADAgECAgEHMAoGCCqGSM49BAMCMBsxGTAXBgNVBAMMEGlkcC5leGFtcGxlLnRlc3QwHhcNMjUwMTAxMDAwMDAwWhcNMzQxMjMwMDAwMDAwWjAbMRkwFwYDVQQDDBBpZHAuZXhhbXBsZS50ZXN0MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEeOr7+aEP18oydEVfNosuSLR7LdXyRcnCgaCEwqIwRiL7UENPJLM6obOUNSBhKOTsvgAh3MJ+7AwmGTkL6LaKvjAKBggqhkjOPQQDAgNIADBFAiBBd0Sqwqd1NiX8sufKGVFAmaCJk8w/IT4segPMFjndigIhAPRJfvoDTLlPNmEeyCllrNRaVyQs146sQgmGomtXFgTh"

    static func document(root: String = "EntityDescriptor", attributes: String = #"entityID="https://idp.example.test""#,
                         use: String? = "signing", certificate: String = certificate, idp: Bool = true) -> String {
        let useAttribute = use.map { #" use="\#($0)""# } ?? ""
        let descriptor = idp ? """
            <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
              <md:KeyDescriptor\(useAttribute)><ds:KeyInfo><ds:X509Data><ds:X509Certificate>
                \(certificate)
              </ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
            </md:IDPSSODescriptor>
            """ : ""
        return """
            <?xml version="1.0"?>
            <md:\(root) xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" \(attributes)>
            \(descriptor)
            </md:\(root)>
            """
    }

    @Test func parsesIssuerCertificatesAndValidity() throws {
        let m = try SAMLMetadata.parse(Self.document(attributes: #"entityID="https://idp.example.test" validUntil="2030-05-06T07:08:09.5Z""#))
        #expect(m.entityID == "https://idp.example.test")
        #expect(m.signingCertificates.count == 1)
        #expect(m.validUntil == Date(timeIntervalSince1970: 1_904_281_689.5))
        // A key descriptor without `use` serves for signing too.
        #expect(try SAMLMetadata.parse(Self.document(use: nil)).signingCertificates.count == 1)
    }

    @Test(arguments: [
        (document(root: "EntitiesDescriptor"), "root element"),
        (document(attributes: ""), "entityID"),
        (document(idp: false), "IDPSSODescriptor"),
        (document(use: "encryption"), "no signing key"),
        (document(certificate: "AAAA"), "not a base64 DER"),
        (document(attributes: #"entityID="x" validUntil="tomorrow""#), "xs:dateTime"),
        ("<md:EntityDescriptor", "well-formed"),
        ("<!DOCTYPE a [<!ENTITY b \"c\">]><a/>", "DTD"),
    ])
    func rejections(document: String, reason: String) {
        #expect { try SAMLMetadata.parse(document) } throws: { error in
            (error as? SAMLMetadata.Invalid)?.reason.contains(reason) == true
        }
    }
}

struct CredentialReportTests {
    @Test func rowsAndSentinels() throws {
        let t0 = Date(timeIntervalSince1970: 1_700_000_000)
        var state = AccountState(account: AccountRecord(id: "123456789012", createDate: t0))
        state.account.passwordPolicy = { var p = PasswordPolicy(); p.maxPasswordAge = 30; return p }()
        var alice = UserRecord(id: "AIDAALICE", name: "alice", path: "/", createDate: t0)
        alice.loginProfile = LoginProfileRecord(passwordHash: "h", createDate: t0, passwordResetRequired: false)
        state.users["alice"] = alice
        state.users["Bob".lowercased()] = UserRecord(id: "AIDABOB", name: "Bob", path: "/team/", createDate: t0)
        var key = AccessKeyRecord(id: "AKIABOB", userName: "Bob", encryptedSecret: [], status: "Inactive", createDate: t0)
        key.lastUsedDate = t0.addingTimeInterval(60); key.lastUsedService = "sts"; key.lastUsedRegion = "eu-west-1"
        state.accessKeys[key.id] = key
        state.signingCertificates["C1"] = SigningCertificateRecord(id: "C1", userName: "", body: "", status: "Active", uploadDate: t0, digest: nil)

        let lines = CredentialReport.csv(state).split(separator: "\n").map(String.init)
        #expect(lines[0] == CredentialReport.header.joined(separator: ","))
        #expect(lines[1] == "<root_account>,arn:aws:iam::123456789012:root,2023-11-14T22:13:20+00:00,not_supported,no_information,not_supported,not_supported,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,true,2023-11-14T22:13:20+00:00,false,N/A")
        #expect(lines[2] == "alice,arn:aws:iam::123456789012:user/alice,2023-11-14T22:13:20+00:00,true,no_information,2023-11-14T22:13:20+00:00,2023-12-14T22:13:20+00:00,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A")
        #expect(lines[3] == "Bob,arn:aws:iam::123456789012:user/team/Bob,2023-11-14T22:13:20+00:00,false,N/A,N/A,N/A,false,false,2023-11-14T22:13:20+00:00,2023-11-14T22:14:20+00:00,eu-west-1,sts,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A")
        #expect(lines.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 22 })
    }
}
