import Crypto

/// A derived signing key (`kSigning`), valid for one access key, date, region and service.
///
/// It keeps the HMAC inner and outer SHA-256 states already keyed, so verifying with a cached key does not
/// redo the HMAC key schedule (two SHA-256 blocks and several allocations) on every request.
public struct SigningKey: Sendable {
    /// The 32 bytes of `kSigning`.
    let bytes: [UInt8]
    let keyed: KeyedHMAC

    /// Wraps 32 key bytes (from `SigV4.deriveSigningKey`, or from a store that keeps derived keys).
    public init(bytes: [UInt8]) {
        self.bytes = bytes
        self.keyed = KeyedHMAC(key: bytes)
    }

    /// HMAC-SHA256 of `message` under this key (RFC 2104 over the prepared states).
    @inline(__always)
    func mac(_ message: UnsafeRawBufferPointer) -> SHA256.Digest {
        var inner = keyed.inner  // copy-on-write: the shared prepared states are never mutated
        inner.update(bufferPointer: message)
        let innerHash = inner.finalize()
        var outer = keyed.outer
        innerHash.withUnsafeBytes { outer.update(bufferPointer: $0) }
        return outer.finalize()
    }
}

/// SHA-256 states after absorbing `key XOR ipad` and `key XOR opad`. `SHA256` is a value type whose
/// BoringSSL context is copy-on-write (`isKnownUniquelyReferenced`), and these states are only ever copied,
/// never mutated in place, so sharing them across threads is safe although swift-crypto does not declare
/// them Sendable.
struct KeyedHMAC: @unchecked Sendable {
    let inner: SHA256
    let outer: SHA256

    init(key: [UInt8]) {
        // Keys longer than the 64-byte block are hashed first (never the case for 32-byte kSigning).
        var block = key.count > 64 ? Array(SHA256.hash(data: key)) : key
        block += [UInt8](repeating: 0, count: 64 - block.count)
        var inner = SHA256(), outer = SHA256()
        block.map { $0 ^ 0x36 }.withUnsafeBytes { inner.update(bufferPointer: $0) }
        block.map { $0 ^ 0x5c }.withUnsafeBytes { outer.update(bufferPointer: $0) }
        self.inner = inner
        self.outer = outer
    }
}
