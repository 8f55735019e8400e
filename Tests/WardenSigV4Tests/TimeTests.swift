import Foundation
import Testing
@testable import WardenSigV4

/// Clock skew (±15 minutes, AWS's messages), presigned expiry, and the timestamp codec.
@Suite struct TimeTests {
    static let header = Vectors.named("post ListUsers")
    static let presigned60 = Vectors.named("presigned short expiry")
    static let presigned3600 = Vectors.named("presigned default expiry")

    func verify(_ v: BotocoreVector, at offset: TimeInterval) -> SigV4Error? {
        do {
            let auth = try SigV4.parse(v.request)
            try SigV4.verify(v.request, auth, signingKey: v.key, now: v.signedAt.addingTimeInterval(offset))
            return nil
        } catch { return error }
    }

    @Test func headerSkewWindowIsFifteenMinutesEachWay() {
        #expect(verify(Self.header, at: 900) == nil)
        #expect(verify(Self.header, at: -900) == nil)
        let late = verify(Self.header, at: 901)
        #expect(late == SigV4Error(.signatureDoesNotMatch, "Signature expired: 20261123T120000Z is now earlier than 20261123T120001Z (20261123T121501Z - 15 min.)"))
        #expect(late?.httpStatus == 403)
        let early = verify(Self.header, at: -901)
        #expect(early == SigV4Error(.signatureDoesNotMatch, "Signature not yet current: 20261123T120000Z is still later than 20261123T115959Z (20261123T114459Z + 15 min.)"))
    }

    @Test func presignedExpiresAfterXAmzExpires() {
        #expect(verify(Self.presigned60, at: 60) == nil)
        #expect(verify(Self.presigned60, at: 61) == .requestHasExpired)
        #expect(SigV4Error.requestHasExpired.code == .accessDenied && SigV4Error.requestHasExpired.message == "Request has expired")
    }

    @Test func presignedIsCappedAtFifteenMinutesLikeSTS() {
        #expect(verify(Self.presigned3600, at: 900) == nil)
        #expect(verify(Self.presigned3600, at: 901)?.message.hasPrefix("Signature expired: 20261123T120000Z is now earlier than") == true)
        #expect(verify(Self.presigned3600, at: -901)?.message.hasPrefix("Signature not yet current") == true)
    }

    @Test func amzDateRoundTripsAgainstFoundation() throws {
        var formatter = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!)
        formatter = formatter.year().month().day().dateSeparator(.omitted).time(includingFractionalSeconds: false).timeSeparator(.omitted)
        for seconds in [0, 951_782_400, 1_709_251_199, 1_795_000_000, 4_102_444_800 - 1, 253_402_300_799] as [Int64] {
            let date = Date(timeIntervalSince1970: TimeInterval(seconds))
            let text = AmzTime.format(seconds)
            #expect(text == date.formatted(formatter) + "Z", "\(seconds)")
            #expect(AmzTime.parse(text) == seconds)
        }
        #expect(AmzTime.parse("20280229T235959Z") != nil)
        #expect(AmzTime.parse("20270229T000000Z") == nil)
        #expect(AmzTime.parse("20261123T12000OZ") == nil)
        #expect(AmzTime.parseHTTPDate("Mon, 23 Nov 2026 12:00:00 -0000") == AmzTime.parse("20261123T120000Z"))
        #expect(AmzTime.parseHTTPDate("23 Nov 2026 12:00:00 GMT") == AmzTime.parse("20261123T120000Z"))
        #expect(AmzTime.parseHTTPDate("Mon, 23 Foo 2026 12:00:00 GMT") == nil)
        #expect(SigV4.amzDate(Date(timeIntervalSince1970: 1_795_000_000.9)) == "20261118T110640Z")
    }
}
