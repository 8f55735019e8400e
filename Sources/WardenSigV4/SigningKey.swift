import Crypto

/// A derived signing key (`kSigning`), valid for one access key, date, region and service.
///
/// It keeps an HMAC already keyed with it, so verifying with a cached key does not redo the HMAC key setup
/// (two SHA-256 blocks and four allocations) on every request.
public struct SigningKey: Sendable {
    /// The 32 bytes of `kSigning`.
    let bytes: [UInt8]
    let keyed: KeyedHMAC

    /// Wraps 32 key bytes (from `SigV4.deriveSigningKey`, or from a store that keeps derived keys).
    public init(bytes: [UInt8]) {
        self.bytes = bytes
        self.keyed = KeyedHMAC(HMAC<SHA256>(key: SymmetricKey(data: bytes)))
    }

    /// HMAC-SHA256 of `message` under this key.
    @inline(__always)
    func mac(_ message: UnsafeRawBufferPointer) -> HashedAuthenticationCode<SHA256> {
        var h = keyed.hmac  // copy-on-write: the shared prepared state is never mutated
        h.update(data: message)
        return h.finalize()
    }
}

/// An HMAC whose key schedule is done. `HMAC` is a value type whose hash contexts are copy-on-write
/// (BoringSSL contexts behind `isKnownUniquelyReferenced`), and this wrapper is only ever copied, never
/// mutated in place, so sharing it across threads is safe even though swift-crypto does not declare it Sendable.
struct KeyedHMAC: @unchecked Sendable {
    let hmac: HMAC<SHA256>
    init(_ hmac: HMAC<SHA256>) { self.hmac = hmac }
}
