import WardenWire

extension EventPattern {
    /// How a pattern object, or one field of it, matched a value.
    enum Outcome: Equatable {
        case noMatch
        /// Matched with no value at all: every condition that held was `{"exists": false}` on a missing field.
        case absent
        /// Matched a value that is there. Inside an array this ties the match to one element.
        case pinned
    }

    /// One conjunction: every field must match. Built once per `$or` combination; shared by reference.
    final class Node: Sendable {
        /// A field name with what its value must satisfy: a leaf array, a nested object, or (when a `$or` branch
        /// named the same path both ways) both.
        struct Field: Sendable {
            let key: String
            let leaf: Leaf?
            let object: Node?
        }

        let fields: [Field]

        init(_ merged: [Merged]) {
            fields = merged.map { Field(key: $0.key, leaf: $0.leaf, object: $0.object.map(Node.init)) }
        }

        /// Matches this conjunction against the value found at its path (nil when the event has nothing there).
        ///
        /// An array is matched element by element, so that all the fields meet in one element (EventBridge's
        /// array-consistent matching). When the conjunction can hold only through missing fields, it holds for the
        /// array only if it holds for every element: `{"exists": false}` means "no element has this field".
        func evaluate(_ value: WireJSON?) -> Outcome {
            switch value {
            case .object(let members)?:
                return evaluate(members: members)
            case .array(let items)?:
                var absentEverywhere = true
                for item in items {
                    switch evaluate(item) {
                    case .pinned: return .pinned
                    case .noMatch: absentEverywhere = false
                    case .absent: break
                    }
                }
                return absentEverywhere ? .absent : .noMatch
            default:
                // A scalar or nothing: no field of this object exists here.
                return evaluate(members: [])
            }
        }

        private func evaluate(members: [WireJSON.Member]) -> Outcome {
            var pinned = false
            for field in fields {
                let value = Node.lookup(field.key, in: members)
                if let leaf = field.leaf {
                    switch leaf.evaluate(value) {
                    case .noMatch: return .noMatch
                    case .pinned: pinned = true
                    case .absent: break
                    }
                }
                if let object = field.object {
                    switch object.evaluate(value) {
                    case .noMatch: return .noMatch
                    case .pinned: pinned = true
                    case .absent: break
                    }
                }
            }
            return pinned ? .pinned : .absent
        }

        private static func lookup(_ key: String, in members: [WireJSON.Member]) -> WireJSON? {
            for member in members where Bytes.equal(member.key, key) { return member.value }
            return nil
        }
    }

    /// A conjunction under construction while `$or` is multiplied out: one entry per field name.
    struct Merged {
        var key: String
        var leaf: Leaf?
        var object: [Merged]?
    }

    /// Multiplies `$or` out into conjunctions, the way EventBridge does: each branch is merged into a copy of what
    /// came before it, and fields after the `$or` into every copy. A path written twice keeps the later leaf
    /// (EventBridge: "the last reference will be the one used"); nested objects under one name merge.
    static func expand(_ draft: Draft) -> [[Merged]] {
        var out: [[Merged]] = [[]]
        for entry in draft.entries {
            switch entry {
            case .leaf(let key, let leaf):
                for i in out.indices { out[i] = merge(out[i], [Merged(key: key, leaf: leaf, object: nil)]) }
            case .object(let key, let sub):
                let subs = expand(sub)
                out = out.flatMap { conjunction in
                    subs.map { merge(conjunction, [Merged(key: key, leaf: nil, object: $0)]) }
                }
            case .or(let branches):
                let subs = branches.flatMap { expand($0) }
                out = subs.flatMap { branch in out.map { merge($0, branch) } }
            }
        }
        return out
    }

    private static func merge(_ base: [Merged], _ later: [Merged]) -> [Merged] {
        var result = base
        for field in later {
            guard let i = result.firstIndex(where: { Bytes.equal($0.key, field.key) }) else {
                result.append(field)
                continue
            }
            if let leaf = field.leaf { result[i].leaf = leaf }
            if let object = field.object {
                result[i].object = result[i].object.map { merge($0, object) } ?? object
            }
        }
        return result
    }

    /// How many conjunctions `expand` will produce, and how many leaf conditions they hold in all (an upper bound:
    /// paths written twice are counted twice), both capped just above the limits so that nothing overflows.
    static func expansionSize(_ draft: Draft) -> (combinations: Int, conditions: Int) {
        let cap = max(maxCombinations, maxConditions) + 1
        func add(_ a: Int, _ b: Int) -> Int { min(cap, a + b) }
        func multiply(_ a: Int, _ b: Int) -> Int { a == 0 || b == 0 ? 0 : (a > cap / b ? cap : min(cap, a * b)) }
        var combinations = 1, conditions = 0
        for entry in draft.entries {
            let (c, l): (Int, Int)
            switch entry {
            case .leaf:
                conditions = add(conditions, combinations)
                continue
            case .object(_, let sub):
                (c, l) = expansionSize(sub)
            case .or(let branches):
                (c, l) = branches.reduce((0, 0)) { total, branch in
                    let size = expansionSize(branch)
                    return (add(total.0, size.combinations), add(total.1, size.conditions))
                }
            }
            // Each existing conjunction meets each of the new ones.
            conditions = add(multiply(conditions, c), multiply(l, combinations))
            combinations = multiply(combinations, c)
        }
        return (combinations, conditions)
    }
}
