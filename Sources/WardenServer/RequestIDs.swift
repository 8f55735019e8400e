import Synchronization

/// Request ids in AWS's UUID layout (`x-amzn-RequestId`, `<RequestId>`), made from a random per-process prefix and
/// a counter: unique, cheap (no system random call per request, unlike `UUID()`), and not meant to be secret.
enum RequestIDs {
    private static let prefix: (UInt64, UInt64) = {
        var rng = SystemRandomNumberGenerator()
        return (rng.next(), rng.next())
    }()
    private static let counter = Atomic<UInt64>(0)

    static func next() -> String {
        let n = counter.add(1, ordering: .relaxed).newValue
        let high = prefix.0, low = prefix.1 ^ n
        var out = [UInt8]()
        out.reserveCapacity(36)
        func hex(_ value: UInt64, _ nibbles: Int) {
            for i in stride(from: nibbles - 1, through: 0, by: -1) {
                let d = UInt8((value >> (UInt64(i) * 4)) & 0xF)
                out.append(d < 10 ? 48 + d : 87 + d)
            }
        }
        hex(high >> 32, 8); out.append(45)
        hex(high >> 16, 4); out.append(45)
        hex(0x4000 | (high & 0x0FFF), 4); out.append(45)      // version 4 layout
        hex(0x8000 | ((low >> 48) & 0x3FFF), 4); out.append(45)  // RFC 4122 variant
        hex(low, 12)
        return String(decoding: out, as: UTF8.self)
    }
}
