/// A growable byte buffer for building canonical requests. `[UInt8].append` checks uniqueness and capacity
/// on every byte, which dominated verification; this writes through a raw pointer into one allocation.
struct ByteWriter: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        self.base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Ensures room for `n` more bytes.
    @inline(__always)
    mutating func reserve(_ n: Int) {
        if count + n > capacity { grow(count + n) }
    }

    @inline(never)
    private mutating func grow(_ needed: Int) {
        let newCapacity = max(needed, capacity * 2)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always)
    mutating func append(_ c: UInt8) {
        if count == capacity { grow(count + 1) }
        base[count] = c
        count += 1
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let src = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        (base + count).update(from: src, count: bytes.count)
        count += bytes.count
    }

    @inline(__always)
    mutating func append(_ s: String) {
        SigV4.withBytes(s) { append($0) }
    }

    /// Two uppercase hex digits after `%`.
    @inline(__always)
    mutating func appendPercentEncoded(_ c: UInt8) {
        reserve(3)
        base[count] = 37
        base[count + 1] = ASCII.upperHex(c >> 4)
        base[count + 2] = ASCII.upperHex(c & 15)
        count += 3
    }

    /// Lowercase hex of bytes.
    @inline(__always)
    mutating func appendHex(_ bytes: UnsafeRawBufferPointer) {
        reserve(bytes.count * 2)
        for b in bytes {
            base[count] = ASCII.lowerHex(b >> 4)
            base[count + 1] = ASCII.lowerHex(b & 15)
            count += 2
        }
    }

    /// Drops everything from `position` on.
    mutating func truncate(to position: Int) { count = min(count, position) }

    /// The bytes written so far (valid until the next mutation).
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// The bytes written so far as text.
    var string: String { String(decoding: bytes, as: UTF8.self) }
}
