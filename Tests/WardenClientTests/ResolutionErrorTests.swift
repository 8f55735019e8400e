import Foundation
import Testing
@testable import WardenClient

/// What goes wrong, with messages that say what to do and never show a secret.
@Suite struct ResolutionErrorTests {
    @Test func noCredentials() {
        let error = TestHome().failure(ClientOptions(endpointURL: "http://h:1"))
        #expect(error?.code == .noCredentials)
        #expect(error?.message.contains("AWS_ACCESS_KEY_ID") == true)
        #expect(error?.message.contains("`default`") == true)
    }

    @Test func noCredentialsNamesUnsupportedProviders() {
        let home = TestHome().config("[profile role]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = default\n")
        let error = home.failure(ClientOptions(profile: "role", endpointURL: "http://h:1"))
        #expect(error?.code == .noCredentials)
        #expect(error?.message.contains("`role_arn`") == true)
    }

    @Test func unknownProfile() {
        let home = TestHome().config("[profile other]\nregion = us-east-1\n")
        for (options, env) in [(ClientOptions(profile: "nope"), envKeys), (ClientOptions(), envKeys.merging(["AWS_PROFILE": "nope"]) { $1 })] {
            let error = home.failure(options, env)
            #expect(error?.code == .profileNotFound)
            #expect(error?.message.contains("`nope`") == true)
            #expect(error?.message.contains(home.path + "/.aws/config") == true)
        }
        // A missing `default` profile is not an error (botocore returns an empty profile).
        #expect(home.failure(ClientOptions(), envKeys.merging(["AWS_PROFILE": "default"]) { $1 }) == nil)
    }

    @Test func noEndpoint() {
        let error = TestHome().failure(ClientOptions(), envKeys.filter { $0.key != "AWS_ENDPOINT_URL" })
        #expect(error?.code == .noEndpoint)
        #expect(error?.message.contains("--endpoint-url") == true)
        #expect(error?.message.contains("AWS_ENDPOINT_URL") == true)
    }

    @Test func partialCredentials() {
        let env = ["AWS_ACCESS_KEY_ID": "AKIAONLYKEY000000001", "AWS_ENDPOINT_URL": "http://h:1"]
        #expect(TestHome().failure(ClientOptions(), env)?.code == .partialCredentials)
        let home = TestHome().credentials("[default]\naws_access_key_id = AKIAONLYKEY000000001\n")
        let error = home.failure(ClientOptions(endpointURL: "http://h:1"))
        #expect(error?.code == .partialCredentials)
        #expect(error?.message.contains("aws_secret_access_key") == true)
    }

    @Test func invalidEndpointsAndRegions() {
        for url in ["localhost:8080", "ftp://h", "http://", "http://user:pw@h", "http://h:0", "http://h:99999", "http://h/?q", "http://[::1"] {
            let error = TestHome().failure(ClientOptions(endpointURL: url), envKeys)
            #expect(error?.code == .invalidEndpoint, "\(url)")
            #expect(error?.message.contains("`\(url)`") == true)
        }
        #expect(TestHome().failure(ClientOptions(region: "us east 1"), envKeys)?.code == .invalidRegion)
        #expect(TestHome().failure(ClientOptions(region: "-x"), envKeys)?.code == .invalidRegion)
    }

    @Test func malformedConfigFileNamesFileAndLine() {
        let home = TestHome().config("[default]\nregion = us-east-1\nthis line has no equals sign\n")
        let error = home.failure(ClientOptions(), envKeys)
        #expect(error?.code == .invalidConfigFile)
        #expect(error?.message.contains("line 3") == true)
        #expect(TestHome().config("region = x\n").failure(ClientOptions(), envKeys)?.code == .invalidConfigFile)
    }

    @Test func missingServicesSection() {
        let home = TestHome().config("[default]\nservices = gone\n")
        #expect(home.failure(ClientOptions(), envKeys.filter { $0.key != "AWS_ENDPOINT_URL" })?.code == .invalidServicesSection)
    }

    @Test func secretsNeverPrinted() throws {
        let home = TestHome()
        let c = try home.resolve(ClientOptions(), envKeys.merging(["AWS_SESSION_TOKEN": "env-token-do-not-print"]) { $1 })
        for text in [c.description, "\(c)", String(reflecting: c.credentials), "\(c.credentials.secretAccessKey)"] {
            #expect(!text.contains("do-not-print"), "\(text)")
        }
        #expect(c.description.contains("AKIAENVIRONMENT00001"))
        // A partial-credential or parse error quotes no value from the file.
        let partial = TestHome().credentials("[default]\naws_secret_access_key = file-secret-do-not-print\naws_access_key_id = AKIA1\n[x\n")
        let error = partial.failure(ClientOptions(), ["AWS_ENDPOINT_URL": "http://h:1"])
        #expect(error != nil)
        #expect(error?.message.contains("do-not-print") == false)
    }
}
