/// XML canonicalization of an element subtree, as XML Signature needs it:
/// Exclusive XML Canonicalization 1.0 (`http://www.w3.org/2001/10/xml-exc-c14n#`, with an optional
/// InclusiveNamespaces PrefixList) and Canonical XML 1.0 (`http://www.w3.org/TR/2001/REC-xml-c14n-20010315`),
/// both without comments.
///
/// Supported: element subtrees (document subsets of the kind `URI="#id"` references select), the
/// enveloped-signature transform (one element left out), namespace rendering per each algorithm, attribute
/// ordering, text and attribute escaping. Not supported: the `#WithComments` variants, arbitrary XPath node-sets,
/// and, for inclusive c14n, the inheritance of `xml:*` attributes into the apex (SAML never relies on them).
struct XMLCanonicalizer {
    enum Mode: Equatable {
        case exclusive(inclusivePrefixes: Set<String>)
        case inclusive
    }

    static let exclusiveURI = "http://www.w3.org/2001/10/xml-exc-c14n#"
    static let inclusiveURI = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"

    let mode: Mode
    /// An element left out with its subtree (the enveloped signature).
    let excluding: XElement?

    init(mode: Mode, excluding: XElement? = nil) { self.mode = mode; self.excluding = excluding }

    /// The canonical form of `apex` and its subtree, as UTF-8.
    func canonicalize(_ apex: XElement) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        render(apex, rendered: [:], into: &out)
        return out
    }

    /// Renders one element; `rendered` holds the namespace bindings output by its output ancestors.
    private func render(_ e: XElement, rendered: [String: String], into out: inout [UInt8]) {
        var candidates: [String: String] = [:]
        switch mode {
        case .inclusive:
            candidates = e.inScopeNamespaces()
        case .exclusive(let list):
            var used: Set<String> = [e.prefix ?? ""]
            for a in e.attributes { if let p = a.prefix, p != "xml" { used.insert(p) } }
            let scope = e.inScopeNamespaces()
            for p in list { let key = p == "#default" ? "" : p; if scope[key] != nil { used.insert(key) } }
            for p in used { candidates[p] = e.namespaceURI(forPrefix: p) }
        }
        var decls: [(String, String)] = []
        var next = rendered
        for (p, uri) in candidates where p != "xml" {
            if p.isEmpty {
                // The default namespace: declared when it differs from what an output ancestor declared;
                // `xmlns=""` only to undo a non-empty default rendered above.
                let above = rendered[""] ?? ""
                if uri != above { decls.append(("", uri)); next[""] = uri }
            } else if rendered[p] != uri {
                decls.append((p, uri)); next[p] = uri
            }
        }
        decls.sort { $0.0 < $1.0 }
        out += Array("<\(e.qualifiedName)".utf8)
        for (p, uri) in decls {
            out += Array((p.isEmpty ? " xmlns=\"" : " xmlns:\(p)=\"").utf8)
            Self.escapeAttribute(uri, into: &out)
            out.append(UInt8(ascii: "\""))
        }
        let attrs = e.attributes.map { a in (ns: a.prefix.flatMap { e.namespaceURI(forPrefix: $0) } ?? "", a: a) }
            .sorted { ($0.ns, $0.a.local) < ($1.ns, $1.a.local) }
        for (_, a) in attrs {
            out += Array(" \(a.qualifiedName)=\"".utf8)
            Self.escapeAttribute(a.value, into: &out)
            out.append(UInt8(ascii: "\""))
        }
        out.append(UInt8(ascii: ">"))
        for child in e.children {
            switch child {
            case .element(let c):
                if let excluding, c === excluding { continue }
                render(c, rendered: next, into: &out)
            case .text(let t):
                Self.escapeText(t, into: &out)
            case .instruction(let target, let data):
                out += Array((data.isEmpty ? "<?\(target)?>" : "<?\(target) \(data)?>").utf8)
            }
        }
        out += Array("</\(e.qualifiedName)>".utf8)
    }

    static func escapeText(_ s: String, into out: inout [UInt8]) {
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "&"): out += Array("&amp;".utf8)
            case UInt8(ascii: "<"): out += Array("&lt;".utf8)
            case UInt8(ascii: ">"): out += Array("&gt;".utf8)
            case 0x0D: out += Array("&#xD;".utf8)
            default: out.append(b)
            }
        }
    }

    static func escapeAttribute(_ s: String, into out: inout [UInt8]) {
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "&"): out += Array("&amp;".utf8)
            case UInt8(ascii: "<"): out += Array("&lt;".utf8)
            case UInt8(ascii: "\""): out += Array("&quot;".utf8)
            case 0x09: out += Array("&#x9;".utf8)
            case 0x0A: out += Array("&#xA;".utf8)
            case 0x0D: out += Array("&#xD;".utf8)
            default: out.append(b)
            }
        }
    }
}
