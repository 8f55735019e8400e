import CZ3

extension Counterexample {
    /// Reads the symbolic request out of a model.
    init(model m: Z3Model, encoder e: PolicyEncoder) {
        let z = e.z
        action = m.string(e.action.term)
        resource = m.string(e.resource.term)
        if e.principalUsed {
            principalARN = m.string(e.principal.arn)
            let kind = SymbolicPrincipal.Kind(rawValue: m.int(e.principal.kind)) ?? .user
            principalType = kind.typeKey
        } else {
            principalARN = nil
            principalType = nil
        }
        var context: [String: [String]] = [:]
        for (name, k) in e.keys {
            let n = m.int(k.count)
            guard n > 0 else { continue }
            var values: [String] = []
            for i in 0..<min(n, k.elements.count) { values.append(Counterexample.render(m, e, k, i)) }
            if n > 1 && k.elements.count == 1 {
                // "Several values" of a key no set operator reads: any second value will do.
                values.append(values[0] + "-2")
            }
            context[name] = values
        }
        _ = z
        self.context = context
        // A resource with capitals in its first five segments is outside the exactly-encoded quotient (see
        // `PolicyEncoder.arnMatches`).
        let prefix = resource.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        let capitalInPrefix = prefix.count == 6 && prefix.prefix(5).contains { $0.contains { $0.isASCII && $0.isUppercase } }
        exact = e.exact && !capitalInPrefix
    }

    /// One value in the view the policies read (string, IP, number or date).
    static func render(_ m: Z3Model, _ e: PolicyEncoder, _ k: KeyVars, _ i: Int) -> String {
        let z = e.z
        if k.views.contains("string") || k.views.isEmpty { return m.string(k.elements[i]) }
        if k.views.contains("ip") {
            guard m.bool(z.boolVar("ipok:\(k.key)#\(i)")) else { return "not-an-address" }
            let bits = z.bvVar("ip:\(k.key)#\(i)")
            let high = m.uint64(z.extract(127, 64, bits))
            let low = m.uint64(z.extract(63, 0, bits))
            if m.bool(z.boolVar("ipv6:\(k.key)#\(i)")) {
                let groups = (0..<4).map { String((high >> (48 - 16 * UInt64($0))) & 0xFFFF, radix: 16) }
                    + (0..<4).map { String((low >> (48 - 16 * UInt64($0))) & 0xFFFF, radix: 16) }
                return groups.joined(separator: ":")
            }
            return (0..<4).map { String((low >> (24 - 8 * UInt64($0))) & 0xFF) }.joined(separator: ".")
        }
        let name = k.views.contains("date") ? "date" : "num"
        guard m.bool(z.boolVar("\(name)ok:\(k.key)#\(i)")) else { return "not-a-number" }
        return m.decimal(z.realVar("\(name):\(k.key)#\(i)"))
    }
}

extension Z3Model {
    /// A bit-vector of at most 64 bits as an unsigned integer.
    func uint64(_ t: Term) -> UInt64 {
        guard let v = evaluate(t) else { return 0 }
        var out: UInt64 = 0
        return Z3_get_numeral_uint64(session.context, v, &out) ? out : 0
    }
}
