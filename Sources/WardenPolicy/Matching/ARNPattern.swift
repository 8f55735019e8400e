/// A `Resource`/`NotResource` entry or an `Arn…` condition value, matched segment by segment:
/// `arn:partition:service:region:account:resource`. Wildcards work inside a segment; in the resource part
/// (everything after the fifth colon) `*` also spans `/` and `:`.
struct ARNPattern: Sendable {
    enum Kind: Sendable {
        /// `"*"`: every resource.
        case anything
        /// Six segments; `segments[5]` is the resource part.
        case arn([Template])
        /// Not a six-segment ARN: matched as a whole (case-sensitive) against resources that are not ARNs either.
        case whole(Template)
    }

    let kind: Kind

    /// - Parameter foldPrefix: match partition, service, region and account case-insensitively (Resource
    ///   elements); `Arn…` condition operators are case-sensitive throughout.
    init(_ text: String, variables: Bool, foldPrefix: Bool, allowAnything: Bool = true) {
        if allowAnything && text == "*" {
            kind = .anything
            return
        }
        let segments = ARNPattern.split(text, honorVariables: variables)
        guard segments.count == 6 else {
            kind = .whole(Template(text, variables: variables, wildcards: true, foldCase: false))
            return
        }
        var templates: [Template] = []
        for (i, s) in segments.enumerated() {
            templates.append(Template(String(s), variables: variables, wildcards: true, foldCase: foldPrefix && i < 5))
        }
        kind = .arn(templates)
    }

    /// Splits at the first five colons, ignoring colons inside `${…}` when variables are honored.
    static func split(_ text: String, honorVariables: Bool) -> [Substring] {
        var result: [Substring] = []
        var start = text.startIndex
        var i = text.startIndex
        var inVariable = false
        var previous: Character = " "
        while i < text.endIndex, result.count < 5 {
            let c = text[i]
            if honorVariables {
                if c == "{" && previous == "$" { inVariable = true }
                if c == "}" { inVariable = false }
            }
            if c == ":" && !inVariable {
                result.append(text[start..<i])
                start = text.index(after: i)
            }
            previous = c
            i = text.index(after: i)
        }
        result.append(text[start...])
        return result
    }

    /// Variables without a default that `context` lacks.
    func missingVariables(_ context: RequestContext, into out: inout [String]) {
        switch kind {
        case .anything: break
        case .whole(let t): t.missingVariables(context, into: &out)
        case .arn(let ts): for t in ts { t.missingVariables(context, into: &out) }
        }
    }

    /// Whether the ARN `text` (already split into segments by `RequestARN`) matches.
    @inline(__always)
    func matches(_ arn: RequestARN, _ context: RequestContext) -> Bool {
        switch kind {
        case .anything:
            return true
        case .whole(let t):
            // A pattern with fewer than six segments cannot match a full ARN: its wildcards may not cross
            // the colons between segments. It can still match a resource string that is not an ARN.
            if arn.isARN { return false }
            return withUTF8(arn.text) { t.matches($0, context) }
        case .arn(let templates):
            guard arn.isARN else { return false }
            return withUTF8(arn.text) { bytes in
                for i in 0..<6 {
                    let r = arn.segment(i)
                    if !templates[i].matches(UnsafeBufferPointer(rebasing: bytes[r]), context) { return false }
                }
                return true
            }
        }
    }
}

/// An ARN from a request, split once into its six segments so that matching does not re-scan it.
public struct RequestARN: Sendable, Equatable {
    /// The ARN (or `*`, or any other resource string).
    public let text: String
    /// Byte offsets of the five separating colons; empty when `text` is not a six-segment ARN.
    private let colons: (Int32, Int32, Int32, Int32, Int32)
    /// Whether `text` has at least six colon-separated segments.
    public let isARN: Bool

    /// Splits `text`.
    public init(_ text: String) {
        self.text = text
        (colons, isARN) = withUTF8(text) { b -> ((Int32, Int32, Int32, Int32, Int32), Bool) in
            var found: (Int32, Int32, Int32, Int32, Int32) = (0, 0, 0, 0, 0)
            var n = 0
            for i in 0..<b.count where b[i] == UInt8(ascii: ":") {
                switch n {
                case 0: found.0 = Int32(i)
                case 1: found.1 = Int32(i)
                case 2: found.2 = Int32(i)
                case 3: found.3 = Int32(i)
                default: found.4 = Int32(i)
                }
                n += 1
                if n == 5 { break }
            }
            return (found, n == 5)
        }
    }
    /// Byte range of segment `i` (0 = `arn`, 5 = resource part).
    @inline(__always)
    func segment(_ i: Int) -> Range<Int> {
        let end = text.utf8.count
        switch i {
        case 0: return 0..<Int(colons.0)
        case 1: return Int(colons.0) + 1..<Int(colons.1)
        case 2: return Int(colons.1) + 1..<Int(colons.2)
        case 3: return Int(colons.2) + 1..<Int(colons.3)
        case 4: return Int(colons.3) + 1..<Int(colons.4)
        default: return Int(colons.4) + 1..<end
        }
    }

    /// The account segment, if this is an ARN.
    public var account: Substring? {
        guard isARN else { return nil }
        let r = segment(4)
        let u = text.utf8
        return Substring(u[u.index(u.startIndex, offsetBy: r.lowerBound)..<u.index(u.startIndex, offsetBy: r.upperBound)])
    }

    /// ARNs are equal when their text is.
    public static func == (a: RequestARN, b: RequestARN) -> Bool { a.text == b.text }
}
