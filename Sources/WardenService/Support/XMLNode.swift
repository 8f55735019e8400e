/// A minimal XML DOM for SAML: elements with prefixed names, attributes in document order, namespace
/// declarations, text, and processing instructions. Comments are dropped (canonicalization without comments
/// never shows them). Document type declarations are refused: SAML has no use for them, and they are the door
/// to entity expansion attacks.
final class XElement {
    /// An attribute as written (`prefix:local="value"`), namespace declarations excluded.
    struct Attribute {
        var prefix: String?
        var local: String
        var value: String
        var qualifiedName: String { prefix.map { "\($0):\(local)" } ?? local }
    }
    /// Children in document order.
    enum Child {
        case element(XElement)
        case text(String)
        case instruction(target: String, data: String)
    }

    let prefix: String?
    let local: String
    var attributes: [Attribute] = []
    /// Namespace declarations on this element: prefix ("" for the default namespace) → URI.
    var declarations: [(prefix: String, uri: String)] = []
    var children: [Child] = []
    weak var parent: XElement?

    init(prefix: String?, local: String) { self.prefix = prefix; self.local = local }

    var qualifiedName: String { prefix.map { "\($0):\(local)" } ?? local }

    /// The namespace URI bound to `prefix` ("" for the default namespace) here, or nil if unbound.
    func namespaceURI(forPrefix prefix: String) -> String? {
        if prefix == "xml" { return "http://www.w3.org/XML/1998/namespace" }
        var e: XElement? = self
        while let cur = e {
            if let d = cur.declarations.last(where: { $0.prefix == prefix }) { return d.uri }
            e = cur.parent
        }
        return prefix.isEmpty ? "" : nil
    }

    /// The element's namespace URI.
    var namespaceURI: String { namespaceURI(forPrefix: prefix ?? "") ?? "" }

    /// Every namespace binding in scope here (innermost wins), prefix → URI.
    func inScopeNamespaces() -> [String: String] {
        var chain: [XElement] = []
        var e: XElement? = self
        while let cur = e { chain.append(cur); e = cur.parent }
        var out: [String: String] = [:]
        for el in chain.reversed() { for d in el.declarations { out[d.prefix] = d.uri } }
        return out
    }

    /// An attribute without a namespace prefix.
    func attribute(_ name: String) -> String? { attributes.first { $0.prefix == nil && $0.local == name }?.value }

    /// The child elements.
    var elements: [XElement] { children.compactMap { if case .element(let e) = $0 { e } else { nil } } }

    /// Child elements with a local name and namespace.
    func children(_ local: String, _ ns: String) -> [XElement] { elements.filter { $0.local == local && $0.namespaceURI == ns } }
    /// The first child element with a local name and namespace.
    func child(_ local: String, _ ns: String) -> XElement? { elements.first { $0.local == local && $0.namespaceURI == ns } }

    /// All descendant elements (depth first, document order), this one included.
    func descendants() -> [XElement] {
        var out: [XElement] = [self]
        for e in elements { out += e.descendants() }
        return out
    }

    /// The concatenated text content.
    var text: String {
        children.map {
            switch $0 {
            case .text(let t): t
            case .element(let e): e.text
            case .instruction: ""
            }
        }.joined()
    }
}

/// Parses XML 1.0 documents into `XElement` trees (UTF-8; the subset SAML messages use).
struct XMLDocumentParser {
    /// Why a document was refused.
    struct Failure: Error, Sendable { var reason: String; var offset: Int }

    private let s: [UInt8]
    private var i = 0
    private var depth = 0
    /// Deeper documents are refused: the parser and the canonicalizer recurse per level.
    static let maxDepth = 200

    /// Parses a document and returns its root element.
    static func parse(_ text: String) throws(Failure) -> XElement {
        var p = XMLDocumentParser(s: Array(text.utf8))
        return try p.document()
    }

    private init(s: [UInt8]) { self.s = s }

    private func fail(_ reason: String) -> Failure { Failure(reason: reason, offset: i) }
    private func peek(_ str: String) -> Bool {
        let b = Array(str.utf8)
        return i + b.count <= s.count && Array(s[i..<i + b.count]) == b
    }
    private mutating func skipSpace() { while i < s.count, [0x20, 0x09, 0x0A, 0x0D].contains(s[i]) { i += 1 } }
    private mutating func skip(until end: String) throws(Failure) {
        let b = Array(end.utf8)
        while i + b.count <= s.count {
            if Array(s[i..<i + b.count]) == b { i += b.count; return }
            i += 1
        }
        throw fail("unterminated construct, expected `\(end)`")
    }

    private mutating func document() throws(Failure) -> XElement {
        if s.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        var root: XElement?
        while true {
            skipSpace()
            if i >= s.count { break }
            if peek("<?") { try skip(until: "?>") } else if peek("<!--") { try skip(until: "-->") } else if peek("<!") {
                throw fail("document type declarations are not accepted")
            } else if peek("<") {
                if root != nil { throw fail("more than one root element") }
                root = try element(parent: nil)
            } else {
                throw fail("text outside the root element")
            }
        }
        guard let root else { throw fail("no root element") }
        return root
    }

    private mutating func name() throws(Failure) -> (String?, String) {
        let start = i
        while i < s.count, !([0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "="), UInt8(ascii: ">"), UInt8(ascii: "/")].contains(s[i])) { i += 1 }
        guard i > start else { throw fail("a name was expected") }
        let n = String(decoding: s[start..<i], as: UTF8.self)
        if let colon = n.firstIndex(of: ":") {
            return (String(n[..<colon]), String(n[n.index(after: colon)...]))
        }
        return (nil, n)
    }

    private mutating func element(parent: XElement?) throws(Failure) -> XElement {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw fail("elements are nested more than \(Self.maxDepth) deep") }
        i += 1 // <
        let (prefix, local) = try name()
        let e = XElement(prefix: prefix, local: local)
        e.parent = parent
        while true {
            skipSpace()
            guard i < s.count else { throw fail("unterminated start tag") }
            if s[i] == UInt8(ascii: "/") {
                guard peek("/>") else { throw fail("`/>` expected") }
                i += 2
                return e
            }
            if s[i] == UInt8(ascii: ">") { i += 1; break }
            let (ap, al) = try name()
            skipSpace()
            guard i < s.count, s[i] == UInt8(ascii: "=") else { throw fail("`=` expected") }
            i += 1
            skipSpace()
            guard i < s.count, s[i] == UInt8(ascii: "\"") || s[i] == UInt8(ascii: "'") else { throw fail("quoted value expected") }
            let quote = s[i]
            i += 1
            let start = i
            while i < s.count, s[i] != quote { if s[i] == UInt8(ascii: "<") { throw fail("`<` in attribute value") }; i += 1 }
            guard i < s.count else { throw fail("unterminated attribute value") }
            let raw = Array(s[start..<i])
            i += 1
            let value = try unescape(raw, attribute: true)
            if ap == nil && al == "xmlns" {
                e.declarations.append(("", value))
            } else if ap == "xmlns" {
                e.declarations.append((al, value))
            } else {
                if e.attributes.contains(where: { $0.prefix == ap && $0.local == al }) { throw fail("duplicate attribute `\(al)`") }
                e.attributes.append(.init(prefix: ap, local: al, value: value))
            }
        }
        // Content.
        var text: [UInt8] = []
        func flush() throws(Failure) {
            if !text.isEmpty { e.children.append(.text(try unescape(text, attribute: false))); text = [] }
        }
        while true {
            guard i < s.count else { throw fail("unterminated element `\(e.qualifiedName)`") }
            if s[i] != UInt8(ascii: "<") { text.append(s[i]); i += 1; continue }
            if peek("</") {
                try flush()
                i += 2
                let (cp, cl) = try name()
                guard cp == prefix, cl == local else { throw fail("mismatched end tag `\(cl)`") }
                skipSpace()
                guard i < s.count, s[i] == UInt8(ascii: ">") else { throw fail("`>` expected") }
                i += 1
                return e
            } else if peek("<!--") {
                try flush()
                try skip(until: "-->")
            } else if peek("<![CDATA[") {
                // CDATA content is text; it must not be unescaped.
                try flush()
                i += 9
                let start = i
                try skip(until: "]]>")
                let raw = String(decoding: s[start..<(i - 3)], as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
                if case .text(let prev)? = e.children.last { e.children[e.children.count - 1] = .text(prev + raw) } else { e.children.append(.text(raw)) }
            } else if peek("<?") {
                try flush()
                i += 2
                let start = i
                try skip(until: "?>")
                let body = String(decoding: s[start..<(i - 2)], as: UTF8.self)
                let target = String(body.prefix { !$0.isWhitespace })
                let data = String(body.dropFirst(target.count).drop { $0.isWhitespace })
                e.children.append(.instruction(target: target, data: data))
            } else if peek("<!") {
                throw fail("declarations are not accepted inside elements")
            } else {
                try flush()
                e.children.append(.element(try element(parent: e)))
            }
        }
    }

    /// Resolves references and normalizes line ends; in attribute values, literal whitespace becomes spaces
    /// (XML 1.0 §3.3.3) while character references keep their character.
    private func unescape(_ raw: [UInt8], attribute: Bool) throws(Failure) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var j = 0
        while j < raw.count {
            let c = raw[j]
            if c == UInt8(ascii: "&") {
                guard let semi = raw[j...].firstIndex(of: UInt8(ascii: ";")) else { throw fail("unterminated reference") }
                let ref = String(decoding: raw[(j + 1)..<semi], as: UTF8.self)
                switch ref {
                case "lt": out.append(UInt8(ascii: "<"))
                case "gt": out.append(UInt8(ascii: ">"))
                case "amp": out.append(UInt8(ascii: "&"))
                case "quot": out.append(UInt8(ascii: "\""))
                case "apos": out.append(UInt8(ascii: "'"))
                default:
                    var code: UInt32?
                    if ref.hasPrefix("#x") { code = UInt32(ref.dropFirst(2), radix: 16) } else if ref.hasPrefix("#") { code = UInt32(ref.dropFirst(), radix: 10) }
                    guard let code, let scalar = Unicode.Scalar(code) else { throw fail("unknown entity `\(ref)`") }
                    out += Array(String(Character(scalar)).utf8)
                }
                j = semi + 1
            } else if c == 0x0D {
                // CR LF and lone CR become LF.
                out.append(attribute ? 0x20 : 0x0A)
                j += (j + 1 < raw.count && raw[j + 1] == 0x0A) ? 2 : 1
            } else if attribute && (c == 0x0A || c == 0x09) {
                out.append(0x20); j += 1
            } else {
                out.append(c); j += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
