import Foundation
import Testing
import WardenService
import WardenStore

/// An account state for the security checks, built record by record, with a fixed clock.
struct SecurityFixture {
    static let account = "123456789012"
    /// The fixed `now` every check runs at.
    static let now = Date(timeIntervalSince1970: 1_750_000_000)
    /// The root user's ARN: the resource of account-wide findings.
    static let root = "arn:aws:iam::\(account):root"
    /// AWS managed policies, loaded once.
    private static let loaded = Result { try AWSManagedPolicies.load() }

    /// The account as the checks will read it.
    var state: AccountState
    /// The thresholds, the defaults unless a test changes them.
    var settings = SecuritySettings()

    /// An account created 400 days ago, with nothing in it.
    init() { state = AccountState(account: AccountRecord(id: Self.account, createDate: Self.daysAgo(400))) }

    /// `n` days before `now`.
    static func daysAgo(_ n: Double) -> Date { now.addingTimeInterval(-n * 86_400) }
    /// An IAM ARN in the fixture's account.
    static func arn(_ type: String, _ name: String) -> String { "arn:aws:iam::\(account):\(type)/\(name)" }
    /// A policy document of one `Allow` statement.
    static func allow(_ actions: String, _ resources: String = #""*""#, condition: String? = nil) -> String {
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":\#(actions),"Resource":\#(resources)\#(condition.map { #","Condition":\#($0)"# } ?? "")}]}"#
    }
    /// A trust policy of one `Allow` of `sts:AssumeRole` to `principal`.
    static func trust(_ principal: String, condition: String? = nil) -> String {
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":\#(principal),"Action":"sts:AssumeRole"\#(condition.map { #","Condition":\#($0)"# } ?? "")}]}"#
    }

    /// Adds a user created 200 days ago.
    mutating func user(_ name: String, _ edit: (inout UserRecord) -> Void = { _ in }) {
        var u = UserRecord(id: "AIDA\(name.uppercased())", name: name, path: "/", createDate: Self.daysAgo(200))
        edit(&u)
        state.users[name.lowercased()] = u
    }
    /// Gives a user a console password set `days` ago, used `used` days ago (nil: never).
    mutating func login(_ name: String, setDaysAgo days: Double = 200, usedDaysAgo used: Double? = nil) {
        state.users[name.lowercased()]?.loginProfile = LoginProfileRecord(passwordHash: "hash", createDate: Self.daysAgo(days), passwordResetRequired: false)
        state.users[name.lowercased()]?.passwordLastUsed = used.map(Self.daysAgo)
    }
    /// Adds a group created 200 days ago.
    mutating func group(_ name: String, _ edit: (inout GroupRecord) -> Void = { _ in }) {
        var g = GroupRecord(id: "AGPA\(name.uppercased())", name: name, path: "/", createDate: Self.daysAgo(200))
        edit(&g)
        state.groups[name.lowercased()] = g
    }
    /// Adds a role created 200 days ago.
    mutating func role(_ name: String, trust: String = SecurityFixture.trust(#"{"AWS":"arn:aws:iam::123456789012:root"}"#),
                       _ edit: (inout RoleRecord) -> Void = { _ in }) {
        var r = RoleRecord(id: "AROA\(name.uppercased())", name: name, path: "/", createDate: Self.daysAgo(200), assumeRolePolicy: trust)
        edit(&r)
        state.roles[name.lowercased()] = r
    }
    /// Adds an access key of a user (nil: the root user), created and last used the given days ago.
    mutating func key(_ id: String, user: String?, createdDaysAgo created: Double, usedDaysAgo used: Double? = nil, active: Bool = true) {
        var k = AccessKeyRecord(id: id, userName: user, encryptedSecret: [], status: active ? "Active" : "Inactive", createDate: Self.daysAgo(created))
        k.lastUsedDate = used.map(Self.daysAgo)
        state.accessKeys[id] = k
    }
    /// Adds a customer managed policy and returns its ARN.
    @discardableResult
    mutating func policy(_ name: String, _ document: String) -> String {
        let arn = Self.arn("policy", name)
        state.policies[name.lowercased()] = ManagedPolicyRecord(id: "ANPA\(name.uppercased())", name: name, path: "/", arn: arn, description: nil,
                                                               createDate: Self.daysAgo(100), document: document)
        return arn
    }
    /// Records an entity's use of a service `days` ago, as the access advisor would.
    mutating func used(_ entityARN: String, id: String, _ service: String, daysAgo days: Double) {
        let fact = LastAccessRecord(entityARN: entityARN, entityID: id, service: service, action: nil, time: Self.daysAgo(days), region: "us-east-1")
        state.lastAccess[fact.key] = fact
    }

    /// Runs one check.
    func run(_ id: String) throws -> SecurityCheckResult {
        let check = try #require(SecurityChecks.check(id), "no check `\(id)`")
        return check.run(SecurityContext(state: state, now: Self.now, settings: settings, managedPolicies: try Self.loaded.get()))
    }

    /// Expects the check to fail, with a failing finding on `resource`.
    func expectFail(_ id: String, on resource: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try run(id)
        #expect(result.status == .fail, "\(id): \(result.findings)", sourceLocation: sourceLocation)
        #expect(result.findings.contains { $0.status == .fail && $0.resource == resource }, "\(id): \(result.findings)", sourceLocation: sourceLocation)
        // A finding on a resource other than the account names it, in backticks.
        #expect(result.findings.allSatisfy { $0.resource == Self.root || $0.reason.contains("`") }, "\(id): \(result.findings)", sourceLocation: sourceLocation)
    }

    /// Expects the check to pass (no finding fails, and one passes).
    func expectPass(_ id: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try run(id)
        #expect(result.status == .pass, "\(id): \(result.findings)", sourceLocation: sourceLocation)
    }
}

/// The catalogue of checks, and the dashboard's five.
@Suite struct SecurityCheckTests {
    /// Prowler's IAM checks (the directory names of prowler/providers/aws/services/iam). Every one is in some
    /// check's references; none is left out as not applicable (`iam_root_credentials_management_enabled` maps to
    /// an INFO check, since Warden has no Organizations).
    static let prowlerIAMChecks = [
        "iam_administrator_access_with_mfa", "iam_avoid_root_usage", "iam_aws_attached_policy_no_administrative_privileges",
        "iam_check_saml_providers_sts", "iam_customer_attached_policy_no_administrative_privileges",
        "iam_customer_unattached_policy_no_administrative_privileges", "iam_group_administrator_access_policy",
        "iam_inline_policy_allows_privilege_escalation", "iam_inline_policy_no_administrative_privileges",
        "iam_inline_policy_no_full_access_to_cloudtrail", "iam_inline_policy_no_full_access_to_kms",
        "iam_inline_policy_no_wildcard_marketplace_subscribe", "iam_no_custom_policy_permissive_role_assumption",
        "iam_no_expired_server_certificates_stored", "iam_no_root_access_key", "iam_password_policy_expires_passwords_within_90_days_or_less",
        "iam_password_policy_lowercase", "iam_password_policy_minimum_length_14", "iam_password_policy_number", "iam_password_policy_reuse_24",
        "iam_password_policy_symbol", "iam_password_policy_uppercase", "iam_policy_allows_privilege_escalation",
        "iam_policy_attached_only_to_group_or_roles", "iam_policy_cloudshell_admin_not_attached",
        "iam_policy_no_agentcore_workload_access_token_wildcard", "iam_policy_no_full_access_to_cloudtrail", "iam_policy_no_full_access_to_kms",
        "iam_policy_no_wildcard_marketplace_subscribe", "iam_policy_passrole_to_bedrock_agentcore_restricted",
        "iam_role_access_not_stale_to_bedrock", "iam_role_administratoraccess_policy", "iam_role_cross_account_readonlyaccess_policy",
        "iam_role_cross_service_confused_deputy_prevention", "iam_role_service_trust_restricts_source_to_account",
        "iam_root_credentials_management_enabled", "iam_root_hardware_mfa_enabled", "iam_root_mfa_enabled", "iam_rotate_access_key_90_days",
        "iam_securityaudit_role_created", "iam_support_role_created", "iam_user_access_not_stale_to_bedrock",
        "iam_user_access_not_stale_to_sagemaker", "iam_user_accesskey_unused", "iam_user_administrator_access_policy",
        "iam_user_console_access_unused", "iam_user_hardware_mfa_enabled", "iam_user_mfa_enabled_console_access",
        "iam_user_no_setup_initial_access_key", "iam_user_two_active_access_key", "iam_user_with_temporary_credentials",
    ]
    /// The IAM items of the CIS AWS Foundations Benchmark v3.0 that Warden can check (1.1–1.3 are contact details
    /// of the account, 1.18 EC2 instance profiles and 1.20 IAM Access Analyzer, none of them IAM's to hold).
    static let cisItems = ["1.4", "1.5", "1.6", "1.7", "1.8", "1.9", "1.10", "1.11", "1.12", "1.13", "1.14", "1.15", "1.16", "1.17", "1.19", "1.21", "1.22"]

    /// Ids are unique and lowercase-hyphen; every check has a title, practice, fix and references.
    @Test func everyCheckIsDescribed() {
        let ids = SecurityChecks.all.map(\.id)
        #expect(Set(ids).count == ids.count, "ids are unique")
        for check in SecurityChecks.all {
            #expect(check.id.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" } && !check.id.hasPrefix("-") && !check.id.hasSuffix("-"), "\(check.id)")
            #expect(!check.title.isEmpty && !check.practice.isEmpty && !check.fix.isEmpty, "\(check.id)")
            #expect(!check.references.isEmpty, "\(check.id)")
        }
    }

    /// Every prowler IAM check and every applicable CIS item is in some check's references.
    @Test func everyProwlerIAMCheckAndCISItemIsCovered() {
        let references = Set(SecurityChecks.all.flatMap(\.references))
        for name in Self.prowlerIAMChecks { #expect(references.contains("prowler \(name)"), "\(name)") }
        for item in Self.cisItems { #expect(references.contains("CIS \(item)"), "CIS \(item)") }
    }

    /// Running a check twice on the same context gives the same findings.
    @Test func checksArePureFunctionsOfTheContext() throws {
        var f = SecurityFixture()
        f.user("alice") { $0.attachedPolicies = ["arn:aws:iam::aws:policy/AdministratorAccess"] }
        f.key("AKIAALICE", user: "alice", createdDaysAgo: 120, usedDaysAgo: 100)
        for check in SecurityChecks.all {
            #expect(try f.run(check.id).findings == f.run(check.id).findings, "\(check.id)")
        }
    }

    /// `root-access-keys`: a root key fails.
    @Test func rootAccessKeys() throws {
        var f = SecurityFixture()
        try f.expectPass("root-access-keys")
        f.key("AKIAROOT", user: nil, createdDaysAgo: 10)
        try f.expectFail("root-access-keys", on: SecurityFixture.root)
    }

    /// `root-mfa`: a root user without MFA fails.
    @Test func rootMFA() throws {
        var f = SecurityFixture()
        try f.expectFail("root-mfa", on: SecurityFixture.root)
        f.state.account.rootMFASerial = "arn:aws:iam::123456789012:mfa/root"
        try f.expectPass("root-mfa")
    }

    /// `individual-users`: an account without users fails.
    @Test func individualUsers() throws {
        var f = SecurityFixture()
        try f.expectFail("individual-users", on: SecurityFixture.root)
        f.user("alice")
        try f.expectPass("individual-users")
    }

    /// `groups-for-permissions`: a group with policies but no members fails.
    @Test func groupsForPermissions() throws {
        var f = SecurityFixture()
        f.group("admins") { $0.attachedPolicies = ["arn:aws:iam::aws:policy/ReadOnlyAccess"] }
        try f.expectFail("groups-for-permissions", on: SecurityFixture.root)
        f.user("alice") { $0.groups = ["admins"] }
        try f.expectPass("groups-for-permissions")
    }

    /// `password-policy`: no policy fails, a strong one passes.
    @Test func dashboardPasswordPolicy() throws {
        var f = SecurityFixture()
        try f.expectFail("password-policy", on: SecurityFixture.root)
        f.state.account.passwordPolicy = PasswordPolicy.strong
        try f.expectPass("password-policy")
    }
}

extension PasswordPolicy {
    /// A policy that meets every rule.
    static var strong: PasswordPolicy {
        var p = PasswordPolicy()
        p.minimumPasswordLength = 14
        p.requireSymbols = true; p.requireNumbers = true; p.requireUppercaseCharacters = true; p.requireLowercaseCharacters = true
        p.maxPasswordAge = 90; p.passwordReusePrevention = 24
        return p
    }
}
