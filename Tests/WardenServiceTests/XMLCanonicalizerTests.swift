import Foundation
import Testing
@testable import WardenService

/// Canonical forms checked against libxml2's (lxml `method="c14n"`, comments removed).
@Suite struct XMLCanonicalizerTests {
    static let doc = """
        <?xml version="1.0"?>
        <!-- a comment -->
        <root xmlns="urn:d" xmlns:a="urn:a" xmlns:b="urn:b" xmlns:unused="urn:u"><a:child b:attr="1 &amp; &lt;2&gt;" z="q&#10;r" id="x"><b:inner xml:lang="en">t&gt;&#13;ext<!-- c --><x/></b:inner><plain xmlns="">p</plain><?pi data?></a:child></root>
        """

    /// The root is kept alive with the child: elements hold their parents weakly.
    let root: XElement

    init() throws { root = try XMLDocumentParser.parse(Self.doc) }

    func child() throws -> XElement { try #require(root.elements.first) }

    @Test func exclusiveRendersOnlyVisiblyUsedNamespaces() throws {
        let out = String(decoding: XMLCanonicalizer(mode: .exclusive(inclusivePrefixes: [])).canonicalize(try child()), as: UTF8.self)
        #expect(out == #"<a:child xmlns:a="urn:a" xmlns:b="urn:b" id="x" z="q&#xA;r" b:attr="1 &amp; &lt;2>"><b:inner xml:lang="en">t&gt;&#xD;ext<x xmlns="urn:d"></x></b:inner><plain>p</plain><?pi data?></a:child>"#)
    }

    @Test func exclusiveHonoursInclusivePrefixList() throws {
        let out = String(decoding: XMLCanonicalizer(mode: .exclusive(inclusivePrefixes: ["unused"])).canonicalize(try child()), as: UTF8.self)
        #expect(out == #"<a:child xmlns:a="urn:a" xmlns:b="urn:b" xmlns:unused="urn:u" id="x" z="q&#xA;r" b:attr="1 &amp; &lt;2>"><b:inner xml:lang="en">t&gt;&#xD;ext<x xmlns="urn:d"></x></b:inner><plain>p</plain><?pi data?></a:child>"#)
    }

    @Test func inclusiveRendersAllInScopeNamespaces() throws {
        let out = String(decoding: XMLCanonicalizer(mode: .inclusive).canonicalize(try child()), as: UTF8.self)
        #expect(out == #"<a:child xmlns="urn:d" xmlns:a="urn:a" xmlns:b="urn:b" xmlns:unused="urn:u" id="x" z="q&#xA;r" b:attr="1 &amp; &lt;2>"><b:inner xml:lang="en">t&gt;&#xD;ext<x></x></b:inner><plain xmlns="">p</plain><?pi data?></a:child>"#)
    }

    @Test func excludedElementIsLeftOut() throws {
        let c = try child()
        let inner = try #require(c.elements.first)
        let out = String(decoding: XMLCanonicalizer(mode: .exclusive(inclusivePrefixes: []), excluding: inner).canonicalize(c), as: UTF8.self)
        #expect(out == #"<a:child xmlns:a="urn:a" xmlns:b="urn:b" id="x" z="q&#xA;r" b:attr="1 &amp; &lt;2>"><plain>p</plain><?pi data?></a:child>"#)
    }

    @Test func cdataAndLineEndsAreNormalized() throws {
        let root = try XMLDocumentParser.parse("<r a=\"x\ty\">one\r\ntwo<![CDATA[<&>]]></r>")
        let out = String(decoding: XMLCanonicalizer(mode: .inclusive).canonicalize(root), as: UTF8.self)
        #expect(out == "<r a=\"x y\">one\ntwo&lt;&amp;&gt;</r>")
    }

    @Test func documentTypeDeclarationsAreRefused() {
        #expect(throws: XMLDocumentParser.Failure.self) {
            try XMLDocumentParser.parse("<!DOCTYPE r [<!ENTITY x \"y\">]><r>&x;</r>")
        }
        #expect(throws: XMLDocumentParser.Failure.self) { try XMLDocumentParser.parse("<r><a></b></r>") }
        #expect(throws: XMLDocumentParser.Failure.self) { try XMLDocumentParser.parse("<r>&unknown;</r>") }
        let deep = String(repeating: "<a>", count: 10_000) + String(repeating: "</a>", count: 10_000)
        #expect(throws: XMLDocumentParser.Failure.self) { try XMLDocumentParser.parse(deep) }
    }
}
