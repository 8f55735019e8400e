import Foundation
import Testing
@testable import WardenSigV4

/// One vector written by scripts/gen-sigv4-vectors.py with botocore's own signer.
struct BotocoreVector: Decodable, Sendable, CustomTestStringConvertible {
    var name, method, path, query, bodyHex, bodySHA256: String
    var headers: [[String]]
    var accessKeyID, secret, region, service, amzDate, url: String
    var token: String?
    var presignExpires: Int?
    var headersBeforeSigning: [[String]]
    var canonicalRequest, stringToSign, signature: String

    var testDescription: String { name }

    /// The request as the server receives it.
    var request: SigV4Request {
        SigV4Request(method: method, path: path, query: query, headers: headers.map { ($0[0], $0[1]) },
                     payloadSHA256Hex: SigV4.sha256Hex(body))
    }

    var body: [UInt8] {
        var out = [UInt8]()
        var i = bodyHex.startIndex
        while i < bodyHex.endIndex {
            let j = bodyHex.index(i, offsetBy: 2)
            out.append(UInt8(bodyHex[i..<j], radix: 16)!)
            i = j
        }
        return out
    }

    /// The instant botocore signed at.
    var signedAt: Date { SigV4.parseAmzDate(amzDate)! }

    var key: SigningKey { SigV4.deriveSigningKey(secret: secret, date: String(amzDate.prefix(8)), region: region, service: service) }

    var signer: SigV4Signer { SigV4Signer(accessKeyID: accessKeyID, secret: secret, region: region, service: service, sessionToken: token) }
}

struct VectorFile: Decodable { var botocore: String; var vectors: [BotocoreVector] }

enum Vectors {
    /// All vectors, loaded once from the test bundle.
    static let all: [BotocoreVector] = {
        let url = Bundle.module.url(forResource: "botocore", withExtension: "json", subdirectory: "Vectors")!
        return try! JSONDecoder().decode(VectorFile.self, from: Data(contentsOf: url)).vectors
    }()

    static func named(_ name: String) -> BotocoreVector { all.first { $0.name == name }! }
}

/// A minimal well-formed header-authenticated request for malformation tests.
func request(authorization: String?, date: String? = "20261123T120000Z", query: String = "",
             extra: [(name: String, value: String)] = []) -> SigV4Request {
    var headers: [(name: String, value: String)] = [("Host", "127.0.0.1:8080")]
    if let authorization { headers.append(("Authorization", authorization)) }
    if let date { headers.append(("X-Amz-Date", date)) }
    return SigV4Request(method: "GET", path: "/", query: query, headers: headers + extra, payloadSHA256Hex: SigV4.emptyPayloadSHA256)
}

/// The error `parse` throws, or nil.
func parseError(_ r: SigV4Request) -> SigV4Error? {
    do { _ = try SigV4.parse(r); return nil } catch { return error }
}
