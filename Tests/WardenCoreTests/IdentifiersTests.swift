import Testing
@testable import WardenCore

@Suite struct IdentifiersTests {
    @Test func accessKeyIDsEncodeTheirAccountAsAWSKeysDo() {
        // Published examples of real AWS key ids and the accounts they decode to.
        #expect(Identifiers.account(ofAccessKeyID: "ASIAY34FZKBOKMUTVV7A") == "609629065308")
        #expect(Identifiers.account(ofAccessKeyID: "AKIASP2TPHJSQH3FJRUX") == "171436882533")
    }

    @Test func generatedKeyIDsRoundTrip() {
        for account in ["123456789012", "999999999999", "100000000000", "210987654321"] {
            for temporary in [false, true] {
                let id = Identifiers.accessKeyID(temporary: temporary, account: account)
                #expect(id.count == 20)
                #expect(id.hasPrefix(temporary ? "ASIA" : "AKIA"))
                #expect(id.dropFirst(4).allSatisfy { Identifiers.upperAlphanumeric.contains($0) })
                #expect(Identifiers.account(ofAccessKeyID: id) == account)
            }
        }
    }

    @Test func keyIDsThatNameNoAccountAreRejected() {
        #expect(Identifiers.account(ofAccessKeyID: "short") == nil)
        #expect(Identifiers.account(ofAccessKeyID: "AKIA0000000000000000") == nil)  // 0 and 1 are not base32
    }
}
