import Foundation
import Testing
@testable import WardenClient

/// Where credentials, region and endpoint come from, and in which order, as the AWS CLI reads them.
@Suite struct ResolutionTests {
    @Test func environmentCredentialsWithDefaults() throws {
        let home = TestHome()
        let c = try home.resolve(ClientOptions(), envKeys.merging(["AWS_SESSION_TOKEN": "env-token"]) { $1 })
        #expect(c.profile == "default")
        #expect(c.credentials.accessKeyID == "AKIAENVIRONMENT00001")
        #expect(c.credentials.secretAccessKey.value == "env-secret-do-not-print")
        #expect(c.credentials.sessionToken?.value == "env-token")
        #expect(c.credentials.source == .environment)
        #expect(c.region == "us-east-1")
        #expect(c.endpoint.description == "http://127.0.0.1:9000")
    }

    @Test func defaultProfileFromBothFiles() throws {
        let home = TestHome()
            .config("[default]\nregion = eu-west-1\nendpoint_url = http://localhost:8080\n")
            .credentials("[default]\naws_access_key_id = AKIADEFAULT000000001\naws_secret_access_key = s3cr3t\naws_session_token = tok\n")
        let c = try home.resolve()
        #expect(c.credentials.accessKeyID == "AKIADEFAULT000000001")
        #expect(c.credentials.sessionToken?.value == "tok")
        #expect(c.credentials.source == .credentialsFile(profile: "default"))
        #expect(c.region == "eu-west-1")
        #expect(c.endpoint.hostHeader == "localhost:8080")
    }

    @Test func credentialsFileWinsOverConfigFileForTheSameProfile() throws {
        let home = TestHome()
            .config("""
                [profile dev]
                aws_access_key_id = AKIACONFIG0000000001
                aws_secret_access_key = config-secret
                region = us-west-2
                endpoint_url = http://config.example:1
                """)
            .credentials("[dev]\naws_access_key_id = AKIACREDS00000000001\naws_secret_access_key = creds-secret\nregion = ap-south-1\n")
        let c = try home.resolve(ClientOptions(profile: "dev"))
        #expect(c.profile == "dev")
        #expect(c.credentials.accessKeyID == "AKIACREDS00000000001")
        #expect(c.credentials.source == .credentialsFile(profile: "dev"))
        #expect(c.region == "ap-south-1")
        #expect(c.endpoint.host == "config.example")  // only the config file has it
    }

    @Test func configFileCredentialsWhenTheCredentialsFileHasNone() throws {
        let home = TestHome()
            .config("[profile ops]\naws_access_key_id = AKIACONFIG0000000001\naws_secret_access_key = config-secret\nendpoint_url = http://h:1\n")
            .credentials("[ops]\nregion = sa-east-1\n")
        let c = try home.resolve(ClientOptions(profile: "ops"))
        #expect(c.credentials.source == .configFile(profile: "ops"))
        #expect(c.region == "sa-east-1")
    }

    @Test func environmentCredentialsWinOverAProfileFromTheEnvironment() throws {
        let home = TestHome().credentials("[dev]\naws_access_key_id = AKIAPROFILE000000001\naws_secret_access_key = p\n")
        let c = try home.resolve(ClientOptions(), envKeys.merging(["AWS_PROFILE": "dev"]) { $1 })
        #expect(c.profile == "dev")
        #expect(c.credentials.source == .environment)
    }

    @Test func explicitProfileWinsOverEnvironmentCredentials() throws {
        let home = TestHome().credentials("[dev]\naws_access_key_id = AKIAPROFILE000000001\naws_secret_access_key = p\n")
        let c = try home.resolve(ClientOptions(profile: "dev"), envKeys)
        #expect(c.credentials.accessKeyID == "AKIAPROFILE000000001")
        #expect(c.credentials.source == .credentialsFile(profile: "dev"))
    }

    @Test func explicitProfileWithoutKeysDoesNotFallBackToTheEnvironment() {
        let home = TestHome().config("[profile empty]\nregion = us-east-2\n")
        #expect(home.failure(ClientOptions(profile: "empty"), envKeys)?.code == .noCredentials)
    }

    @Test func profileVariablesInBotocoreOrder() throws {
        let home = TestHome().credentials("""
            [a]
            aws_access_key_id = AKIAAAAAAAAAAAAAAAAA
            aws_secret_access_key = a
            [b]
            aws_access_key_id = AKIABBBBBBBBBBBBBBBB
            aws_secret_access_key = b
            """)
        let env = ["AWS_ENDPOINT_URL": "http://h:1"]
        #expect(try home.resolve(ClientOptions(), env.merging(["AWS_PROFILE": "b"]) { $1 }).profile == "b")
        #expect(try home.resolve(ClientOptions(), env.merging(["AWS_DEFAULT_PROFILE": "a"]) { $1 }).profile == "a")
        #expect(try home.resolve(ClientOptions(), env.merging(["AWS_DEFAULT_PROFILE": "a", "AWS_PROFILE": "b"]) { $1 }).profile == "a")
        #expect(try home.resolve(ClientOptions(profile: "b"), env.merging(["AWS_DEFAULT_PROFILE": "a"]) { $1 }).credentials.accessKeyID
            == "AKIABBBBBBBBBBBBBBBB")
    }

    @Test func regionPrecedence() throws {
        let home = TestHome().config("[default]\nregion = from-profile-1\n")
        var env = envKeys
        #expect(try home.resolve(ClientOptions(), env).region == "from-profile-1")
        env["AWS_DEFAULT_REGION"] = "default-region-1"
        #expect(try home.resolve(ClientOptions(), env).region == "default-region-1")
        env["AWS_REGION"] = "aws-region-1"
        #expect(try home.resolve(ClientOptions(), env).region == "aws-region-1")
        #expect(try home.resolve(ClientOptions(region: "option-1"), env).region == "option-1")
        #expect(try TestHome().resolve(ClientOptions(), envKeys).region == "us-east-1")
    }

    @Test func endpointPrecedence() throws {
        let home = TestHome().config("""
            [default]
            endpoint_url = http://profile:1
            services = local
            [services local]
            warden =
              endpoint_url = http://services:2
            iam =
              endpoint_url = http://not-ours:3
            """)
        var env = envKeys
        env["AWS_ENDPOINT_URL"] = nil
        #expect(try home.resolve(ClientOptions(), env).endpoint.host == "services")
        env["AWS_ENDPOINT_URL"] = "http://global:4"
        #expect(try home.resolve(ClientOptions(), env).endpoint.host == "global")
        env["AWS_ENDPOINT_URL_WARDEN"] = "http://service-env:5"
        #expect(try home.resolve(ClientOptions(), env).endpoint.host == "service-env")
        #expect(try home.resolve(ClientOptions(endpointURL: "https://option:6"), env).endpoint.host == "option")
        env["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true"
        #expect(try home.resolve(ClientOptions(endpointURL: "https://option:6"), env).endpoint.host == "option")
        #expect(home.failure(ClientOptions(), env)?.code == .noEndpoint)

        let plain = TestHome().config("[default]\nendpoint_url = http://profile:1\n")
        #expect(try plain.resolve(ClientOptions(), envKeys.filter { $0.key != "AWS_ENDPOINT_URL" }).endpoint.host == "profile")
    }

    @Test func filesNamedByTheEnvironmentWithTilde() throws {
        let home = TestHome()
            .write("elsewhere/cfg", "[profile x]\nendpoint_url = http://x:1\n")
            .write("elsewhere/creds", "[x]\naws_access_key_id = AKIAXXXXXXXXXXXXXXXX\naws_secret_access_key = x\n")
            .credentials("[x]\naws_access_key_id = AKIAWRONGWRONGWRONG1\naws_secret_access_key = w\n")
        let env = ["AWS_CONFIG_FILE": "~/elsewhere/cfg", "AWS_SHARED_CREDENTIALS_FILE": home.path + "/elsewhere/creds", "AWS_PROFILE": "x"]
        let c = try home.resolve(ClientOptions(), env)
        #expect(c.credentials.accessKeyID == "AKIAXXXXXXXXXXXXXXXX")
        #expect(c.endpoint.host == "x")
    }

    @Test func quotedProfileSectionsAndLaterDuplicates() throws {
        let home = TestHome().config("""
            [profile "quoted"]
            aws_access_key_id = AKIAQUOTED0000000001
            aws_secret_access_key = q
            endpoint_url = http://q:1
            [default]
            region = first-1
            [profile default]
            region = second-1
            """)
        #expect(try home.resolve(ClientOptions(profile: "quoted")).credentials.accessKeyID == "AKIAQUOTED0000000001")
        #expect(try home.resolve(ClientOptions(), envKeys).region == "second-1")
    }

    @Test func emptyVariablesCountAsUnset() throws {
        let home = TestHome().credentials("[default]\naws_access_key_id = AKIAFILE000000000001\naws_secret_access_key = f\n")
        let c = try home.resolve(ClientOptions(), ["AWS_ACCESS_KEY_ID": "", "AWS_PROFILE": "", "AWS_REGION": "", "AWS_ENDPOINT_URL": "http://h:1"])
        #expect(c.credentials.accessKeyID == "AKIAFILE000000000001")
        #expect(c.profile == "default")
        #expect(c.region == "us-east-1")
    }
}
