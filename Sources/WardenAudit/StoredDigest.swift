import Crypto
import Foundation

/// A digest file as found on disk: its decoded contents, its uncompressed bytes and its signature
/// sidecar. Shared by the writer's recovery, retention and the verifier.
struct StoredDigest {
    /// Why a digest could not be read.
    enum Failure: Error, Equatable {
        case missing
        case invalidFormat(String)
    }

    var key: String
    var uncompressed: Data
    var document: DigestDocument
    /// `x-amz-meta-signature`; nil when the sidecar is missing or has none.
    var signature: String?
    /// `x-amz-meta-signature-algorithm`.
    var signatureAlgorithm: String?

    var sha256: String { Hex.encode(SHA256.hash(data: uncompressed)) }

    static func read(root: String, key: String) -> Result<StoredDigest, Failure> {
        let path = root + "/" + key
        let data: Data?
        do { data = try FileIO.contents(path) } catch { return .failure(.invalidFormat("unreadable: \(error)")) }
        guard let data else { return .failure(.missing) }
        guard let uncompressed = try? Gzip.decompress(data, limit: 256 << 20) else {
            return .failure(.invalidFormat("not a gzip file"))
        }
        let document: DigestDocument
        do { document = try DigestDocument(json: uncompressed) } catch {
            return .failure(.invalidFormat(error.message))
        }
        let sidecar = (try? FileIO.contents(ObjectTree.sidecarPath(ofObjectAt: path))).flatMap { $0 }.flatMap(ObjectSidecar.decode)
        return .success(StoredDigest(key: key, uncompressed: uncompressed, document: document,
                                     signature: sidecar?.metadata["signature"],
                                     signatureAlgorithm: sidecar?.metadata["signature-algorithm"]))
    }

    /// True when the signature is present, hex, and verifies under `publicKey` over the string
    /// validate-logs signs.
    func hasValidSignature(_ publicKey: AuditPublicKey) -> Bool {
        guard let signature, let bytes = Hex.decode(signature) else { return false }
        let toSign = DigestDocument.stringToSign(endTime: document.endTime, bucket: document.bucket,
                                                 key: document.key, uncompressedDigest: uncompressed,
                                                 previousSignature: document.previousSignature)
        return publicKey.isValidSignature(bytes, for: toSign)
    }
}
