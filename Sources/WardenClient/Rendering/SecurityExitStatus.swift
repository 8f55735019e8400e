/// The exit statuses of `warden security`, for scripts and CI: 0 nothing fails, 1 a check fails, 2 an error.
public enum SecurityExitStatus {
    /// Every check passes or is informational; or alerts and remediations succeeded.
    public static let success: Int32 = 0
    /// At least one check has status `FAIL`.
    public static let checksFail: Int32 = 1
    /// The command could not do its work: configuration, connection, or an error from the server.
    public static let error: Int32 = 2

    /// 1 when any check fails, else 0.
    public static func forChecks(_ checks: [SecurityCheck]) -> Int32 {
        checks.contains(where: \.isFailing) ? checksFail : success
    }
}
