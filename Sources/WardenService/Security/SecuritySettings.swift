import Foundation

/// The thresholds of the checks. Defaults follow the IAM notes this project started from (90 days; passwords of
/// 8 or more characters with upper- and lowercase letters, digits and symbols, expiring within 90 days) and, for
/// the checks that cite it, the CIS AWS Foundations Benchmark (14 characters, 24 remembered passwords).
public struct SecuritySettings: Sendable, Equatable {
    /// Days after which an active access key should have been rotated (`WARDEN_SECURITY_KEY_MAX_AGE_DAYS`).
    public var keyMaxAgeDays = 90
    /// Days without use after which a password or access key counts as unused (`WARDEN_SECURITY_UNUSED_DAYS`).
    public var unusedDays = 90
    /// Days within which a use of the root user counts as recent (`WARDEN_SECURITY_ROOT_RECENT_DAYS`).
    public var rootRecentDays = 1
    /// The shortest acceptable minimum password length of the dashboard's item (`WARDEN_SECURITY_PASSWORD_MIN_LENGTH`).
    public var passwordMinLength = 8
    /// The longest acceptable maximum password age, in days (`WARDEN_SECURITY_PASSWORD_MAX_AGE_DAYS`).
    public var passwordMaxAgeDays = 90
    /// CIS's minimum password length (`WARDEN_SECURITY_CIS_PASSWORD_MIN_LENGTH`).
    public var cisPasswordMinLength = 14
    /// CIS's number of remembered passwords (`WARDEN_SECURITY_CIS_PASSWORD_REUSE`).
    public var cisPasswordReuse = 24
    /// Days without a use of Bedrock after which a permission to it counts as stale
    /// (`WARDEN_SECURITY_BEDROCK_STALE_DAYS`); prowler's default (`max_unused_bedrock_access_days`).
    public var bedrockStaleDays = 60
    /// Days without a use of SageMaker after which a permission to it counts as stale
    /// (`WARDEN_SECURITY_SAGEMAKER_STALE_DAYS`); prowler's default (`max_unused_sagemaker_access_days`).
    public var sagemakerStaleDays = 90

    /// The defaults.
    public init() {}

    /// The settings an environment gives, the defaults elsewhere. A value that is not a positive integer is an error.
    public init(environment: [String: String]) throws {
        self.init()
        func read(_ name: String, _ value: inout Int) throws {
            guard let text = environment[name] else { return }
            guard let n = Int(text), n > 0, n <= 36_500 else {
                throw SecuritySettingsError(message: "\(name) must be a whole number of 1 to 36500, not `\(text)`")
            }
            value = n
        }
        try read("WARDEN_SECURITY_KEY_MAX_AGE_DAYS", &keyMaxAgeDays)
        try read("WARDEN_SECURITY_UNUSED_DAYS", &unusedDays)
        try read("WARDEN_SECURITY_ROOT_RECENT_DAYS", &rootRecentDays)
        try read("WARDEN_SECURITY_PASSWORD_MIN_LENGTH", &passwordMinLength)
        try read("WARDEN_SECURITY_PASSWORD_MAX_AGE_DAYS", &passwordMaxAgeDays)
        try read("WARDEN_SECURITY_CIS_PASSWORD_MIN_LENGTH", &cisPasswordMinLength)
        try read("WARDEN_SECURITY_CIS_PASSWORD_REUSE", &cisPasswordReuse)
        try read("WARDEN_SECURITY_BEDROCK_STALE_DAYS", &bedrockStaleDays)
        try read("WARDEN_SECURITY_SAGEMAKER_STALE_DAYS", &sagemakerStaleDays)
    }
}

/// A setting that cannot be used.
public struct SecuritySettingsError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}
