import WardenPolicy

/// Why a check could not be answered. A check never answers PASS when it could not decide.
public struct ReasoningError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable codes; the server maps them to Access Analyzer's errors in one place.
    public enum Code: String, Sendable, Equatable {
        /// A policy document is not valid JSON or breaks the grammar (`policyError` has IAM's message).
        case invalidPolicy
        /// A policy is larger than the checks accept (`ReasoningLimits`).
        case policyTooLarge
        /// An argument is not acceptable (an unknown resource type, an empty access entry …).
        case invalidArgument
        /// The solver did not finish within the time or resource limit.
        case timeout
        /// The solver failed (an internal error); never a PASS.
        case solverFailure
    }

    /// What went wrong.
    public var code: Code
    /// A message for the caller, with user input in backticks.
    public var message: String
    /// The parser's error when `code` is `.invalidPolicy`.
    public var policyError: PolicyError?

    /// Creates an error.
    public init(_ code: Code, _ message: String, policyError: PolicyError? = nil) {
        self.code = code
        self.message = message
        self.policyError = policyError
    }

    /// `message`.
    public var description: String { message }
}

/// The cost bounds of one check. Each solver query gets `timeoutMilliseconds`; a policy beyond the size limits is
/// refused before any solving.
public struct ReasoningLimits: Sendable, Equatable {
    /// Wall-clock limit per solver query. A query that hits it makes the check fail with `.timeout`.
    public var timeoutMilliseconds: Int
    /// Z3's deterministic resource limit (`rlimit`) per query, if any; reproducible where a timeout is not.
    public var resourceLimit: UInt32?
    /// The most characters (whitespace not counted, as IAM counts) a policy may have.
    public var maxPolicyCharacters: Int
    /// The most statements a policy may have.
    public var maxStatements: Int
    /// The most condition entries (operator, key) a policy may have.
    public var maxConditionEntries: Int
    /// The most values a multi-valued key is modelled with (see the docs: exactness needs 1 + the number of set
    /// operators on the key, at least 2).
    public var maxSetSize: Int

    /// Creates limits.
    public init(timeoutMilliseconds: Int = 10_000, resourceLimit: UInt32? = nil, maxPolicyCharacters: Int = 20_480,
                maxStatements: Int = 200, maxConditionEntries: Int = 400, maxSetSize: Int = 12) {
        self.timeoutMilliseconds = timeoutMilliseconds
        self.resourceLimit = resourceLimit
        self.maxPolicyCharacters = maxPolicyCharacters
        self.maxStatements = maxStatements
        self.maxConditionEntries = maxConditionEntries
        self.maxSetSize = maxSetSize
    }

    /// 10 s per query; policies up to 20 KiB, 200 statements, 400 condition entries.
    public static let `default` = ReasoningLimits()
}
