import Crypto
import Synchronization

/// Derived signing keys, cached per (access key, date, region, service) and tied to a fingerprint of the secret,
/// so a rotated or changed secret never reuses a stale key. Thread-safe.
///
/// Bounded and LRU-ish with two generations: lookups hit the young generation, or the old one (and are promoted);
/// when the young generation holds `capacity / 2` entries it becomes the old one and the previous old one is
/// dropped. Keys unused for a whole generation fall out; at most `capacity` entries are held.
public final class SigningKeyCache: Sendable {
    struct Scope: Hashable, Sendable {
        var accessKeyID: String
        var date: String
        var region: String
        var service: String
    }

    struct Entry: Sendable {
        /// First 16 bytes of SHA-256(secret): identifies the secret without keeping it.
        var fingerprint: (UInt64, UInt64)
        var key: SigningKey
    }

    struct Generations: Sendable {
        var young: [Scope: Entry] = [:]
        var old: [Scope: Entry] = [:]
    }

    private let state = Mutex(Generations())
    private let generationSize: Int

    /// Creates a cache holding at most `capacity` keys (one per access key and day, region and service in use).
    public init(capacity: Int = 10_000) {
        self.generationSize = max(1, capacity / 2)
    }

    /// The signing key for a scope, derived on first use and whenever the secret differs from the cached one.
    public func key(accessKeyID: String, secret: String, date: String, region: String, service: String) -> SigningKey {
        let scope = Scope(accessKeyID: accessKeyID, date: date, region: region, service: service)
        let fingerprint = Self.fingerprint(secret)
        let cached: SigningKey? = state.withLock { g in
            if let e = g.young[scope] { return e.fingerprint == fingerprint ? e.key : nil }
            if let e = g.old.removeValue(forKey: scope), e.fingerprint == fingerprint {
                insert(scope, e, into: &g)
                return e.key
            }
            return nil
        }
        if let cached { return cached }
        let key = SigV4.deriveSigningKey(secret: secret, date: date, region: region, service: service)
        state.withLock { g in
            g.old[scope] = nil
            insert(scope, Entry(fingerprint: fingerprint, key: key), into: &g)
        }
        return key
    }

    /// Forgets every key of an access key (deleted, deactivated or rotated).
    public func remove(accessKeyID: String) {
        state.withLock { g in
            g.young = g.young.filter { $0.key.accessKeyID != accessKeyID }
            g.old = g.old.filter { $0.key.accessKeyID != accessKeyID }
        }
    }

    /// Forgets every key.
    public func removeAll() {
        state.withLock { $0 = Generations() }
    }

    /// Number of keys held.
    public var count: Int { state.withLock { $0.young.count + $0.old.count } }

    private func insert(_ scope: Scope, _ entry: Entry, into g: inout Generations) {
        if g.young[scope] == nil && g.young.count >= generationSize {
            g.old = g.young
            g.young = [:]
            g.young.reserveCapacity(generationSize)
        }
        g.young[scope] = entry
    }

    static func fingerprint(_ secret: String) -> (UInt64, UInt64) {
        let digest = SigV4.withBytes(secret) { SHA256.hash(data: UnsafeRawBufferPointer($0)) }
        return digest.withUnsafeBytes { ($0.loadUnaligned(fromByteOffset: 0, as: UInt64.self), $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) }
    }
}
