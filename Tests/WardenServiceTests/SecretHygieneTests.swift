import Foundation
import Testing
import WardenCore
@testable import WardenService

@Suite struct SecretHygieneTests {
    @Test func noSecretAppearsInTheLogsOfAFullFlow() async throws {
        let h = try ServiceHarness()
        #expect(await h.call("CreateUser", ["UserName": "alice"]).status == 200)
        let created = await h.call("CreateAccessKey", ["UserName": "alice"])
        let secret = try #require(xmlValue(created.body, "SecretAccessKey"))
        let keyID = try #require(xmlValue(created.body, "AccessKeyId"))
        #expect(secret.count == 40)
        let password = "Alice-Password-9876!"
        #expect(await h.call("CreateLoginProfile", ["UserName": "alice", "Password": password]).status == 200)
        // Failures are logged: make some, with and without the secret anywhere near them.
        #expect(await h.call("CreateLoginProfile", ["UserName": "alice", "Password": password]).status == 409)
        let alice = try h.caller(accessKeyID: keyID)
        #expect(await h.call("ListUsers", as: alice).status == 403)
        #expect(await h.call("CreateAccessKey", ["UserName": "nobody"]).status == 404)
        let mfa = await h.call("CreateVirtualMFADevice", ["VirtualMFADeviceName": "alice-phone"])
        #expect(mfa.status == 200)
        let logs = h.logs.text
        #expect(!logs.isEmpty)
        for s in [secret, password, "harnessRootSecret00000000000000000000000"] { #expect(!logs.contains(s)) }
        // The secret is in no later response either.
        let listed = await h.call("ListAccessKeys", ["UserName": "alice"])
        #expect(listed.body.contains(keyID) && !listed.body.contains(secret))
    }

    @Test func redactedValuesDoNotPrint() {
        let r = Redacted("hunter2")
        #expect("\(r)" == "<redacted>")
        #expect(String(describing: r) == "<redacted>")
        #expect(String(reflecting: r) == "<redacted>")
    }

    @Test func secretBoxBindsCiphertextToItsContext() throws {
        let box = SecretBox(masterKey: SecretBox.generateMasterKey())
        let sealed = box.seal(Redacted("s3cret"), context: "access-key:AKIA1")
        #expect(try box.openString(sealed, context: "access-key:AKIA1").value == "s3cret")
        #expect(throws: (any Error).self) { try box.openString(sealed, context: "access-key:AKIA2") }
        var tampered = sealed
        tampered[tampered.count / 2] ^= 1
        #expect(throws: (any Error).self) { try box.openString(tampered, context: "access-key:AKIA1") }
        let other = SecretBox(masterKey: SecretBox.generateMasterKey())
        #expect(throws: (any Error).self) { try other.openString(sealed, context: "access-key:AKIA1") }
    }

    @Test func passwordsAreSlowSaltedHashes() {
        let a = PasswordHasher.hash(Redacted("Correct-Horse-1"))
        let b = PasswordHasher.hash(Redacted("Correct-Horse-1"))
        #expect(a != b)  // salted
        #expect(a.hasPrefix("scrypt$32768$8$1$"))
        #expect(PasswordHasher.verify(Redacted("Correct-Horse-1"), against: a))
        #expect(!PasswordHasher.verify(Redacted("Correct-Horse-2"), against: a))
    }

    @Test func totpMatchesRFC6238() {
        // RFC 6238 appendix B, SHA-1 seed "12345678901234567890", 8-digit codes truncated to our 6 digits.
        let seed = Array("12345678901234567890".utf8)
        #expect(TOTP.code(seed: seed, step: 59 / 30) == "287082")
        #expect(TOTP.code(seed: seed, step: 1_111_111_109 / 30) == "081804")
        #expect(TOTP.code(seed: seed, step: 2_000_000_000 / 30) == "279037")
        #expect(TOTP.base32(Array("foobar".utf8)) == "MZXW6YTBOI")
    }
}
