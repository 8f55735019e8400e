import Crypto
import Foundation

/// The contents of one CloudTrail digest file, in the fields and order of AWS's "CloudTrail digest file
/// structure". Pure: encoding, decoding and the string to sign.
struct DigestDocument: Equatable, Sendable {
    /// A log file the digest vouches for.
    struct LogFile: Equatable, Sendable {
        var bucket: String
        var key: String
        /// SHA-256 of the log file's uncompressed bytes, lowercase hex.
        var sha256: String
        var newestEventTime: String
        var oldestEventTime: String
    }

    /// The link to the digest before this one in the chain.
    struct Previous: Equatable, Sendable {
        var bucket: String
        var key: String
        /// SHA-256 of the previous digest's uncompressed bytes, lowercase hex.
        var sha256: String
    }

    static let signatureAlgorithm = "SHA256withRSA"
    static let hashAlgorithm = "SHA-256"

    var accountID: String
    var startTime: String
    var endTime: String
    var bucket: String
    var key: String
    var publicKeyFingerprint: String
    var signatureAlgorithm = DigestDocument.signatureAlgorithm
    var newestEventTime: String?
    var oldestEventTime: String?
    /// Nil for the first digest of a chain, whose previous fields are all `null`.
    var previous: Previous?
    /// The previous digest's signature, lowercase hex; nil (JSON `null`) for the first digest. Kept
    /// apart from `previous` because it is signed as written, whatever the other previous fields say.
    var previousSignature: String?
    var logFiles: [LogFile]

    /// The JSON text, compact, fields in AWS's documented order.
    func json() -> Data {
        let logs = logFiles.map { log in
            JSONText.object([
                ("s3Bucket", JSONText.string(log.bucket)),
                ("s3Object", JSONText.string(log.key)),
                ("hashValue", JSONText.string(log.sha256)),
                ("hashAlgorithm", JSONText.string(Self.hashAlgorithm)),
                ("newestEventTime", JSONText.string(log.newestEventTime)),
                ("oldestEventTime", JSONText.string(log.oldestEventTime)),
            ])
        }
        let text = JSONText.object([
            ("awsAccountId", JSONText.string(accountID)),
            ("digestStartTime", JSONText.string(startTime)),
            ("digestEndTime", JSONText.string(endTime)),
            ("digestS3Bucket", JSONText.string(bucket)),
            ("digestS3Object", JSONText.string(key)),
            ("digestPublicKeyFingerprint", JSONText.string(publicKeyFingerprint)),
            ("digestSignatureAlgorithm", JSONText.string(signatureAlgorithm)),
            ("newestEventTime", JSONText.optionalString(newestEventTime)),
            ("oldestEventTime", JSONText.optionalString(oldestEventTime)),
            ("previousDigestS3Bucket", JSONText.optionalString(previous?.bucket)),
            ("previousDigestS3Object", JSONText.optionalString(previous?.key)),
            ("previousDigestHashValue", JSONText.optionalString(previous?.sha256)),
            ("previousDigestHashAlgorithm", JSONText.optionalString(previous == nil ? nil : Self.hashAlgorithm)),
            ("previousDigestSignature", JSONText.optionalString(previousSignature)),
            ("logFiles", "[" + logs.joined(separator: ",") + "]"),
        ])
        return Data(text.utf8)
    }

    /// What the signature covers, exactly as validate-logs rebuilds it:
    /// `digestEndTime \n digestS3Bucket/digestS3Object \n hex(SHA-256(uncompressed digest)) \n previousDigestSignature`,
    /// where a first digest's missing previous signature is the four letters `null` (the Java
    /// implementation's rendering of a null string).
    static func stringToSign(endTime: String, bucket: String, key: String, uncompressedDigest: Data,
                             previousSignature: String?) -> Data {
        let hash = Hex.encode(SHA256.hash(data: uncompressedDigest))
        return Data("\(endTime)\n\(bucket)/\(key)\n\(hash)\n\(previousSignature ?? "null")".utf8)
    }
}

extension DigestDocument {
    /// Why a digest's JSON could not be read; the message names the field.
    struct FormatError: Error, Equatable {
        var message: String
    }

    /// Decodes a digest, requiring the fields validate-logs requires (`digestPublicKeyFingerprint`,
    /// `digestS3Bucket`, `digestS3Object`, `previousDigestSignature` (possibly null), `digestEndTime`,
    /// `digestStartTime`) and a well-formed `logFiles` array.
    init(json data: Data) throws(FormatError) {
        guard let object = try? JSONSerialization.jsonObject(with: data), let root = object as? [String: Any] else {
            throw FormatError(message: "not a JSON object")
        }
        func string(_ name: String, in dict: [String: Any]) throws(FormatError) -> String {
            guard let value = dict[name] as? String else { throw FormatError(message: "`\(name)` is missing or not a string") }
            return value
        }
        func nullable(_ name: String, required: Bool = false) throws(FormatError) -> String? {
            switch root[name] {
            case nil where required: throw FormatError(message: "`\(name)` is missing")
            case nil, is NSNull: return nil
            case let value as String: return value
            default: throw FormatError(message: "`\(name)` is not a string")
            }
        }
        accountID = try nullable("awsAccountId") ?? ""
        startTime = try string("digestStartTime", in: root)
        endTime = try string("digestEndTime", in: root)
        bucket = try string("digestS3Bucket", in: root)
        key = try string("digestS3Object", in: root)
        publicKeyFingerprint = try string("digestPublicKeyFingerprint", in: root)
        signatureAlgorithm = try nullable("digestSignatureAlgorithm") ?? ""
        newestEventTime = try nullable("newestEventTime")
        oldestEventTime = try nullable("oldestEventTime")
        previousSignature = try nullable("previousDigestSignature", required: true)
        if let previousKey = try nullable("previousDigestS3Object"), let previousBucket = try nullable("previousDigestS3Bucket") {
            previous = Previous(bucket: previousBucket, key: previousKey,
                                sha256: try nullable("previousDigestHashValue") ?? "")
        } else {
            previous = nil
        }
        guard let logs = root["logFiles"] as? [Any] else { throw FormatError(message: "`logFiles` is missing or not an array") }
        var logFiles: [LogFile] = []
        for case let entry in logs {
            guard let log = entry as? [String: Any] else { throw FormatError(message: "a `logFiles` entry is not an object") }
            logFiles.append(LogFile(bucket: try string("s3Bucket", in: log), key: try string("s3Object", in: log),
                                    sha256: try string("hashValue", in: log),
                                    newestEventTime: (log["newestEventTime"] as? String) ?? "",
                                    oldestEventTime: (log["oldestEventTime"] as? String) ?? ""))
        }
        self.logFiles = logFiles
    }
}
