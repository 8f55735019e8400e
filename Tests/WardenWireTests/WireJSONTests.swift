import Testing
@testable import WardenWire

@Suite("WireJSON parsing and printing")
struct WireJSONTests {
    private func parse(_ text: String, maxDepth: Int = WireJSON.defaultMaxDepth) throws(WireJSON.ParseError) -> WireJSON {
        try WireJSON(parsing: text, maxDepth: maxDepth)
    }

    private func code(_ bytes: [UInt8]) -> WireJSON.ParseError.Code? {
        do {
            _ = try WireJSON(parsing: bytes)
            return nil
        } catch {
            return error.code
        }
    }

    private func code(_ text: String) -> WireJSON.ParseError.Code? { code(Array(text.utf8)) }

    @Test func scalarsAndContainers() throws {
        #expect(try parse(" null ") == .null)
        #expect(try parse("true") == .bool(true))
        #expect(try parse("false") == .bool(false))
        #expect(try parse("0") == .int(0))
        #expect(try parse("-12") == .int(-12))
        #expect(try parse("1.5") == .double(1.5))
        #expect(try parse("1e3") == .double(1000))
        #expect(try parse("-0.25E-2") == .double(-0.0025))
        #expect(try parse("9223372036854775807") == .int(Int.max))
        #expect(try parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(try parse(#""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{08}\u{0C}\n\r\t"))
        #expect(try parse(#""\u00e9\u20AC\ud83d\ude00""#) == .string("é€😀"))
        #expect(try parse("\"é€😀\"") == .string("é€😀"))
        #expect(try parse("[]") == .array([]))
        #expect(try parse("{}") == .object([]))
        #expect(try parse(#"{"b":1,"a":[true,null,{"x":"y"}]}"#) == ["b": 1, "a": [true, .null, ["x": "y"]]])
        // Member order is kept.
        #expect(try parse(#"{"z":1,"a":2}"#).objectValue?.map(\.key) == ["z", "a"])
    }

    @Test func rejectsMalformedInput() {
        #expect(code("") == .unexpectedEnd)
        #expect(code("   ") == .unexpectedEnd)
        #expect(code("[1,]") == .unexpectedCharacter)
        #expect(code(#"{"a":1,}"#) == .unexpectedCharacter)
        #expect(code(#"{'a':1}"#) == .unexpectedCharacter)
        #expect(code(#"{"a" 1}"#) == .unexpectedCharacter)
        #expect(code("[1 2]") == .unexpectedCharacter)
        #expect(code("[1") == .unexpectedEnd)
        #expect(code(#"{"a":1"#) == .unexpectedEnd)
        #expect(code("tru") == .unexpectedEnd)
        #expect(code("nul!") == .unexpectedCharacter)
        #expect(code("NaN") == .unexpectedCharacter)
        #expect(code("01") == .invalidNumber)
        #expect(code("1.") == .unexpectedEnd)
        #expect(code("1.x") == .invalidNumber)
        #expect(code("-") == .unexpectedEnd)
        #expect(code("-a") == .invalidNumber)
        #expect(code("1e+") == .unexpectedEnd)
        #expect(code("+1") == .unexpectedCharacter)
        #expect(code(".5") == .unexpectedCharacter)
        #expect(code("// c\n1") == .unexpectedCharacter)
        #expect(code("\"abc") == .unexpectedEnd)
        #expect(code(#""\x""#) == .invalidEscape)
        #expect(code(#""\u12G4""#) == .invalidEscape)
        #expect(code("\"a\u{01}b\"") == .controlCharacter)
        #expect(code("\"a\nb\"") == .controlCharacter)
    }

    @Test func trailingGarbage() throws {
        #expect(code("{} x") == .trailingData)
        #expect(code("1 2") == .trailingData)
        #expect(code("{}{}") == .trailingData)
        #expect(code(#""a""b""#) == .trailingData)
        do {
            _ = try parse("[1]  ,")
            Issue.record("expected a failure")
        } catch {
            #expect(error == WireJSON.ParseError(.trailingData, at: 5))
            #expect(error.description == "trailingData at byte 5")
        }
        #expect(try parse("[1] \n\t\r ") == [1])
    }

    @Test func surrogates() {
        #expect(code(#""\ud800""#) == .loneSurrogate)
        #expect(code(#""\ud800x""#) == .loneSurrogate)
        #expect(code(#""\ud800\u0041""#) == .loneSurrogate)
        #expect(code(#""\udc00""#) == .loneSurrogate)
        #expect(code(#""\ude00\ud83d""#) == .loneSurrogate)
    }

    @Test func invalidUTF8() {
        let q = UInt8(ascii: "\"")
        #expect(code([q, 0xFF, q]) == .invalidUTF8)
        #expect(code([q, 0xC3, q]) == .invalidUTF8)                  // truncated sequence
        #expect(code([q, 0xC0, 0xAF, q]) == .invalidUTF8)            // overlong '/'
        #expect(code([q, 0xE0, 0x80, 0xAF, q]) == .invalidUTF8)      // overlong
        #expect(code([q, 0xED, 0xA0, 0x80, q]) == .invalidUTF8)      // encoded surrogate U+D800
        #expect(code([q, 0xF4, 0x90, 0x80, 0x80, q]) == .invalidUTF8) // above U+10FFFF
        #expect(code([q, 0x80, q]) == .invalidUTF8)                  // lone continuation byte
        #expect(code([0xEF, 0xBB, 0xBF, UInt8(ascii: "1")]) == .unexpectedCharacter)  // byte order mark
        #expect(code([q, 0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x80, q]) == nil)
    }

    @Test func duplicateKeys() {
        #expect(code(#"{"a":1,"a":2}"#) == .duplicateKey)
        // Objects past the small-object scan switch to a set; duplicates are still caught.
        let many = (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        #expect(code("{\(many)}") == nil)
        #expect(code("{\(many),\"k3\":0}") == .duplicateKey)
        #expect(code("{\(many),\"k39\":0}") == .duplicateKey)
        // The same key in different objects is fine.
        #expect(code(#"[{"a":1},{"a":2}]"#) == nil)
    }

    @Test func depthLimit() throws {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(try parse(ok).arrayValue != nil)
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(code(deep) == .tooDeep)
        let objects = String(repeating: #"{"a":"#, count: 65) + "1" + String(repeating: "}", count: 65)
        #expect(code(objects) == .tooDeep)
        #expect(code(String(repeating: "[", count: 100_000)) == .tooDeep)
        #expect(throws: WireJSON.ParseError.self) { try parse("[[1]]", maxDepth: 1) }
        #expect(try parse("[[1]]", maxDepth: 2) == [[1]])
    }

    @Test func largeInputIsLinear() throws {
        // A 1 MiB array of small objects and a long string parse in one pass.
        let item = #"{"AttributeKey":"EventName","AttributeValue":"CreateUser"}"#
        let big = "[" + Array(repeating: item, count: 18_000).joined(separator: ",") + "]"
        #expect(try parse(big).arrayValue?.count == 18_000)
        let long = String(repeating: "é", count: 500_000)
        #expect(try parse("\"\(long)\"") == .string(long))
    }

    @Test func printing() {
        #expect(WireJSON.null.jsonString == "null")
        #expect(WireJSON.double(1.5).jsonString == "1.5")
        #expect(WireJSON.double(1e-5).jsonString == "1e-05")
        #expect(WireJSON.double(.infinity).jsonString == "null")
        #expect(WireJSON.double(.nan).jsonString == "null")
        #expect(WireJSON.int(-7).jsonString == "-7")
        let v: WireJSON = ["__type": "X", "list": [1, 2.5, true, .null], "obj": [:]]
        #expect(v.jsonString == #"{"__type":"X","list":[1,2.5,true,null],"obj":{}}"#)
        #expect(v.description == v.jsonString)
    }

    @Test func stringEscaping() {
        let s = "q\"b\\s/ \u{08}\u{0C}\n\r\t\u{00}\u{01}\u{1F}\u{7F} é \u{2028}\u{2029} 😀 </script>"
        let printed = WireJSON.string(s).jsonString
        #expect(printed == #""q\"b\\s/ \b\f\n\r\t\u0000\u0001\u001f"# + "\u{7F}" + #" é \u2028\u2029 😀 </script>""#)
    }

    @Test func roundTrip() throws {
        let samples: [WireJSON] = [
            .null, true, 0, -1, .int(Int.min), .int(Int.max), 0.1, -2.5e-300, 1e300, "", "plain", "\u{0}\u{1F}\"\\\u{2028}é😀",
            [], [:], [[[["deep"]]]],
            ["LookupAttributes": [["AttributeKey": "EventName", "AttributeValue": "CreateUser"]], "StartTime": 1_704_164_645,
             "EndTime": 1_704_240_000.5, "MaxResults": 50, "NextToken": .null],
        ]
        for v in samples {
            #expect(try WireJSON(parsing: v.jsonBytes) == v)
        }
        // parse ∘ print is the identity on compact text.
        let text = #"{"b":[1,-2.5,"x\n",{"c":null}],"a":false}"#
        #expect(try parse(text).jsonString == text)
    }

    /// Mutated bodies either fail with a parse error or parse to a value that prints and parses back to itself.
    @Test func mutationsNeverCrash() throws {
        let seed = Array(#"{"LookupAttributes":[{"AttributeKey":"EventName","AttributeValue":"Cr\u00e9ateé😀"}],"StartTime":1704164645.5,"MaxResults":-50e1,"x":[true,false,null,{}]}"#.utf8)
        let alphabet = Array(#"{}[]":,\-+.eE0123456789tfnul "#.utf8) + [0x00, 0x0A, 0x80, 0xC3, 0xED, 0xF4, 0xFF]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        var parsed = 0
        for _ in 0..<3000 {
            var bytes = seed
            for _ in 0..<(1 + next(3)) {
                switch next(3) {
                case 0: bytes[next(bytes.count)] = alphabet[next(alphabet.count)]
                case 1: bytes.insert(alphabet[next(alphabet.count)], at: next(bytes.count + 1))
                default: if bytes.count > 1 { bytes.remove(at: next(bytes.count)) }
                }
            }
            guard let value = try? WireJSON(parsing: bytes) else { continue }
            parsed += 1
            #expect(try WireJSON(parsing: value.jsonBytes) == value)
        }
        #expect(parsed > 0)
    }

    @Test func accessors() throws {
        let v = try parse(#"{"s":"x","i":3,"d":3.0,"f":3.5,"b":true,"a":[1],"o":{"k":"v"}}"#)
        #expect(v["s"]?.stringValue == "x")
        #expect(v["i"]?.intValue == 3)
        #expect(v["d"]?.intValue == 3)
        #expect(v["f"]?.intValue == nil)
        #expect(v["f"]?.doubleValue == 3.5)
        #expect(v["b"]?.boolValue == true)
        #expect(v["a"]?[0] == 1)
        #expect(v["a"]?[1] == nil)
        #expect(v["o"]?["k"] == "v")
        #expect(v["missing"] == nil)
        #expect(WireJSON.object(["x": 1, "y": "z"]) == ["x": 1, "y": "z"])
    }
}
