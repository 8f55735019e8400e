import Testing
@testable import WardenClient

/// The INI dialect of the AWS files and the endpoint URL forms.
@Suite struct ParsingTests {
    @Test func iniDialect() throws {
        let ini = try INIFile(parsing: "# comment\r\n; also\r\n[default]\r\nRegion: eu-north-1\r\n  continued\r\naws_access_key_id=AKIA1 # not a comment\r\n\r\n[profile a]\r\ns3 =\r\n  max_concurrent_requests = 10\r\n  Signature_Version=s3v4\r\n")
        #expect(ini["default"]?["region"]?.text == "eu-north-1\ncontinued")
        #expect(ini["default"]?["aws_access_key_id"]?.text == "AKIA1 # not a comment")
        #expect(ini["profile a"]?["s3"] == .nested(["max_concurrent_requests": "10", "signature_version": "s3v4"]))
        #expect(ini.sectionOrder == ["default", "profile a"])
        #expect(throws: INIFile.ParseError.self) { try INIFile(parsing: "key = value\n") }
    }

    @Test func endpointForms() throws {
        let plain = try ServiceEndpoint(parsing: "http://127.0.0.1:8080")
        #expect(plain.hostHeader == "127.0.0.1:8080")
        #expect(plain.requestURL == "http://127.0.0.1:8080/")
        #expect(try ServiceEndpoint(parsing: "http://h:80").hostHeader == "h")
        #expect(try ServiceEndpoint(parsing: "https://h:443/").hostHeader == "h")
        #expect(try ServiceEndpoint(parsing: "HTTPS://h:8443").description == "https://h:8443")
        let v6 = try ServiceEndpoint(parsing: "http://[::1]:9000/warden/")
        #expect(v6.hostHeader == "[::1]:9000")
        #expect(v6.requestPath == "/warden/")
        #expect(v6.requestURL == "http://[::1]:9000/warden/")
    }
}
