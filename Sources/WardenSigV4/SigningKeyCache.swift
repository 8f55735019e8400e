import Crypto
import Synchronization

/// Derived signing keys, cached per access key, date, region and service, and tied to a fingerprint of the
/// secret so a changed secret never reuses a stale key. Bounded: when full, it starts over (keys are cheap
/// to derive, and a day's working set is small).
public final class SigningKeyCache: Sendable {
    struct Entry: Sendable { var fingerprint: [UInt8]; var key: SigningKey }
    private let entries = Mutex<[String: Entry]>([:])
    private let capacity: Int

    public init(capacity: Int = 10_000) { self.capacity = capacity }

    /// The signing key for a scope, derived once.
    public func key(accessKeyID: String, secret: String, date: String, region: String, service: String) -> SigningKey {
        let id = "\(accessKeyID)/\(date)/\(region)/\(service)"
        let fingerprint = Array(SHA256.hash(data: Array(secret.utf8)).prefix(16))
        if let e = entries.withLock({ $0[id] }), SigV4.constantTimeEqual(e.fingerprint, fingerprint) { return e.key }
        let key = SigV4.deriveSigningKey(secret: secret, date: date, region: region, service: service)
        entries.withLock { cache in
            if cache.count >= capacity { cache.removeAll(keepingCapacity: true) }
            cache[id] = Entry(fingerprint: fingerprint, key: key)
        }
        return key
    }

    /// Forgets the keys of an access key (e.g. when it is deleted).
    public func remove(accessKeyID: String) {
        entries.withLock { cache in cache = cache.filter { !$0.key.hasPrefix(accessKeyID + "/") } }
    }
}
