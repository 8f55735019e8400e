import WardenPolicy
import WardenWire

extension EventPattern {
    /// A pattern object as written, before `$or` is multiplied out.
    struct Draft {
        var entries: [Entry]
    }

    /// One member of a pattern object, in document order (order decides which of two writings of a path wins).
    enum Entry {
        /// `"key": [alternatives]`.
        case leaf(String, Leaf)
        /// `"key": {…}`.
        case object(String, Draft)
        /// `"$or": [{…}, {…}, …]`.
        case or([Draft])
    }

    /// Turns pattern JSON into drafts and leaf matchers, checking everything EventBridge checks and Warden's bounds.
    struct Compiler {
        /// Values seen so far, against `maxValues`.
        private var values = 0

        /// Field names that EventBridge reserves inside `$or` branches: the operators, numeric comparisons and
        /// names kept for future operators. Outside `$or` they are ordinary field names.
        static let reservedInOr: Set<String> = [
            "exactly", "equals-ignore-case", "prefix", "suffix", "anything-but", "exists", "wildcard", "numeric",
            "cidr", "=", "<", "<=", ">", ">=", "regex", "not-wildcard", "not-equals-ignore-case", "date-after",
            "date-on-or-after", "date-before", "date-on-or-before", "in-date-range", "ip-address-in-range",
            "ip-address-not-in-range",
        ]

        mutating func pattern(_ json: WireJSON) throws(EventPatternError) -> Draft {
            guard case .object(let members) = json else {
                throw EventPatternError(.invalidStructure, "An event pattern must be a JSON object")
            }
            return try object(members, path: "", depth: 1, insideOr: false)
        }

        private mutating func object(_ members: [WireJSON.Member], path: String, depth: Int,
                                     insideOr: Bool) throws(EventPatternError) -> Draft {
            try checkDepth(depth, path)
            guard !members.isEmpty else {
                throw EventPatternError(.invalidStructure, "Empty objects are not allowed", path: path)
            }
            var entries: [Entry] = []
            entries.reserveCapacity(members.count)
            for member in members {
                let here = Compiler.child(path, member.key)
                if member.key == "$or" {
                    entries.append(.or(try orBranches(member.value, path: here, depth: depth + 1)))
                    continue
                }
                if insideOr, Compiler.reservedInOr.contains(member.key) {
                    throw EventPatternError(.invalidOr,
                        "`\(member.key)` is a reserved name and cannot be used as a field name inside `$or`", path: here)
                }
                switch member.value {
                case .object(let sub):
                    entries.append(.object(member.key, try object(sub, path: here, depth: depth + 1, insideOr: insideOr)))
                case .array(let items):
                    entries.append(.leaf(member.key, try leaf(items, path: here, depth: depth + 1)))
                default:
                    throw EventPatternError(.invalidStructure,
                        "The value of `\(member.key)` must be an object or an array", path: here)
                }
            }
            return Draft(entries: entries)
        }

        private mutating func orBranches(_ json: WireJSON, path: String,
                                         depth: Int) throws(EventPatternError) -> [Draft] {
            guard case .array(let items) = json else {
                throw EventPatternError(.invalidOr, "`$or` must be followed by an array of objects", path: path)
            }
            try checkDepth(depth, path)
            var branches: [Draft] = []
            for (i, item) in items.enumerated() {
                let here = "\(path)[\(i)]"
                guard case .object(let members) = item else {
                    throw EventPatternError(.invalidOr, "Only JSON objects are allowed in a `$or` array", path: here)
                }
                branches.append(try object(members, path: here, depth: depth + 1, insideOr: true))
            }
            guard branches.count >= 2 else {
                throw EventPatternError(.invalidOr, "A `$or` array must hold at least 2 objects", path: path)
            }
            return branches
        }

        private mutating func leaf(_ items: [WireJSON], path: String, depth: Int) throws(EventPatternError) -> Leaf {
            try checkDepth(depth, path)
            guard !items.isEmpty else {
                throw EventPatternError(.invalidStructure, "Empty arrays are not allowed", path: path)
            }
            var tests: [Test] = []
            var matchesAbsence = false
            for (i, item) in items.enumerated() {
                let here = "\(path)[\(i)]"
                switch item {
                case .object(let members):
                    try count(1, here)
                    if let test = try operatorTest(members, path: here, depth: depth + 1) {
                        tests.append(test)
                    } else {
                        matchesAbsence = true
                    }
                case .array:
                    throw EventPatternError(.invalidStructure,
                        "A match value must be a string, number, true, false, null or an operator object", path: here)
                case .string(let s):
                    try count(1, here)
                    tests.append(Compiler.exactString(s))
                case .int, .double:
                    try count(1, here)
                    tests.append(.number(item))
                case .bool(let b):
                    try count(1, here)
                    tests.append(.bool(b))
                case .null:
                    try count(1, here)
                    tests.append(.null)
                }
            }
            return Leaf(tests: tests, matchesAbsence: matchesAbsence)
        }

        /// A string alternative. EventBridge compares one that is an IP address as an address, so that
        /// `"2001:db8::1"` also matches `"2001:0db8:0:0:0:0:0:1"`.
        static func exactString(_ s: String) -> Test {
            if IPText.looksLikeAddress(s), let network = IPNetworkSet([s]) { return .address(s, network) }
            return .string(s)
        }

        /// Checks one operator object; nil stands for `{"exists": false}`, which is not a test of a value.
        private mutating func operatorTest(_ members: [WireJSON.Member], path: String,
                                           depth: Int) throws(EventPatternError) -> Test? {
            try checkDepth(depth, path)
            guard let member = members.first else {
                throw EventPatternError(.unknownOperator, "An operator object must name one operator", path: path)
            }
            guard members.count == 1 else {
                throw EventPatternError(.unknownOperator,
                    "Only one operator is allowed in a match expression, found `\(members[1].key)` after `\(member.key)`",
                    path: path)
            }
            let here = Compiler.child(path, member.key)
            let operand = member.value
            switch member.key {
            case "prefix", "suffix":
                let isPrefix = member.key == "prefix"
                if case .object(let inner) = operand {
                    let folded = try ignoringCase(inner, member.key, path: here, depth: depth + 1)
                    return isPrefix ? .prefixIgnoringCase(folded) : .suffixIgnoringCase(folded)
                }
                let s = try string(operand, member.key, here)
                return isPrefix ? .prefix(Array(s.utf8)) : .suffix(Array(s.utf8))
            case "equals-ignore-case":
                return .equalsIgnoringCase(FoldedText(try string(operand, member.key, here)))
            case "wildcard":
                return .wildcard(try Glob.compile(try string(operand, member.key, here), path: here))
            case "anything-but":
                return .anythingBut(try anythingBut(operand, path: here, depth: depth + 1))
            case "numeric":
                return .numeric(try NumericRange.compile(operand, path: here, depth: depth + 1))
            case "exists":
                guard case .bool(let exists) = operand else {
                    throw EventPatternError(.invalidOperand, "`exists` must be true or false", path: here)
                }
                return exists ? .exists : nil
            case "cidr":
                return .cidr(try IPText.cidr(try string(operand, member.key, here), path: here))
            default:
                throw EventPatternError(.unknownOperator, "Unrecognized match type `\(member.key)`", path: path)
            }
        }

        /// The `{"equals-ignore-case": "…"}` object that `prefix` and `suffix` accept.
        private func ignoringCase(_ members: [WireJSON.Member], _ op: String, path: String,
                                  depth: Int) throws(EventPatternError) -> FoldedText {
            try checkDepth(depth, path)
            guard members.count == 1, let member = members.first, member.key == "equals-ignore-case" else {
                let found = members.map { "`\($0.key)`" }.joined(separator: ", ")
                throw EventPatternError(.unknownOperator,
                    "`\(op)` takes a string or `{\"equals-ignore-case\": string}`, found {\(found)}", path: path)
            }
            return FoldedText(try string(member.value, member.key, Compiler.child(path, member.key)))
        }

        private mutating func anythingBut(_ operand: WireJSON, path: String,
                                          depth: Int) throws(EventPatternError) -> Exclusion {
            switch operand {
            case .string(let s):
                return .strings([s])
            case .int, .double:
                return .numbers([try NumericRange.comparable(operand, path: path)])
            case .array(let items):
                try checkDepth(depth, path)
                guard !items.isEmpty else {
                    throw EventPatternError(.invalidStructure, "Empty arrays are not allowed", path: path)
                }
                try count(items.count - 1, path)
                if items.allSatisfy({ $0.stringValue != nil }) {
                    return .strings(items.compactMap(\.stringValue))
                }
                guard items.allSatisfy({ $0.doubleValue != nil }) else {
                    throw EventPatternError(.invalidOperand,
                        "Inside an `anything-but` list, all values must be strings or all must be numbers", path: path)
                }
                var numbers: [Double] = []
                for (i, item) in items.enumerated() {
                    numbers.append(try NumericRange.comparable(item, path: "\(path)[\(i)]"))
                }
                return .numbers(numbers)
            case .object(let members):
                try checkDepth(depth, path)
                guard members.count == 1, let member = members.first else {
                    throw EventPatternError(.unknownOperator,
                        "`anything-but` takes one of `prefix`, `suffix`, `equals-ignore-case` or `wildcard`", path: path)
                }
                let here = Compiler.child(path, member.key)
                guard ["prefix", "suffix", "equals-ignore-case", "wildcard"].contains(member.key) else {
                    throw EventPatternError(.unknownOperator, "Unsupported anything-but pattern `\(member.key)`",
                                            path: path)
                }
                let texts = try stringOrStrings(member.value, member.key, path: here, depth: depth + 1)
                switch member.key {
                case "prefix", "suffix":
                    for t in texts where t.text.isEmpty {
                        throw EventPatternError(.invalidOperand,
                            "An empty `\(member.key)` is not allowed in `anything-but`", path: t.path)
                    }
                    let bytes = texts.map { Array($0.text.utf8) }
                    return member.key == "prefix" ? .prefixes(bytes) : .suffixes(bytes)
                case "equals-ignore-case":
                    return .ignoringCase(texts.map { FoldedText($0.text) })
                default:
                    var globs: [Glob] = []
                    for t in texts { globs.append(try Glob.compile(t.text, path: t.path)) }
                    return .wildcards(globs)
                }
            default:
                throw EventPatternError(.invalidOperand,
                    "`anything-but` must be a string, a number, a list of them, or an object", path: path)
            }
        }

        /// A string, or a non-empty list of strings, each with its path for error messages.
        private mutating func stringOrStrings(_ operand: WireJSON, _ op: String, path: String,
                                              depth: Int) throws(EventPatternError) -> [(text: String, path: String)] {
            if case .string(let s) = operand { return [(s, path)] }
            guard case .array(let items) = operand else {
                throw EventPatternError(.invalidOperand, "`\(op)` must be a string or a list of strings", path: path)
            }
            try checkDepth(depth, path)
            guard !items.isEmpty else {
                throw EventPatternError(.invalidStructure, "Empty arrays are not allowed", path: path)
            }
            try count(items.count - 1, path)
            var out: [(text: String, path: String)] = []
            for (i, item) in items.enumerated() {
                let here = "\(path)[\(i)]"
                out.append((try string(item, op, here), here))
            }
            return out
        }

        private func string(_ operand: WireJSON, _ op: String, _ path: String) throws(EventPatternError) -> String {
            guard case .string(let s) = operand else {
                throw EventPatternError(.invalidOperand, "`\(op)` match pattern must be a string", path: path)
            }
            return s
        }

        private mutating func count(_ n: Int, _ path: String) throws(EventPatternError) {
            values += n
            guard values <= EventPattern.maxValues else {
                throw EventPatternError(.limitExceeded,
                    "The pattern lists more than \(EventPattern.maxValues) values", path: path)
            }
        }

        private func checkDepth(_ depth: Int, _ path: String) throws(EventPatternError) {
            guard depth <= EventPattern.maxDepth else {
                throw EventPatternError(.limitExceeded,
                    "The pattern is nested more than \(EventPattern.maxDepth) levels deep", path: path)
            }
        }

        /// `detail.eventName`: the path of a member.
        static func child(_ path: String, _ key: String) -> String {
            path.isEmpty ? key : "\(path).\(key)"
        }
    }
}
