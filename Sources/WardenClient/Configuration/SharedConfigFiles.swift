import Foundation

/// The AWS shared config and credentials files, read as botocore reads them.
///
/// The config file (`AWS_CONFIG_FILE`, default `~/.aws/config`) names profiles `[default]` and
/// `[profile NAME]`, and endpoint groups `[services NAME]`; the credentials file (`AWS_SHARED_CREDENTIALS_FILE`,
/// default `~/.aws/credentials`) names profiles by their bare name. A file that does not exist counts as empty;
/// one that exists but cannot be read or parsed is an error, as in botocore.
public struct SharedConfigFiles: Sendable, Equatable {
    /// The config file's path after `~` expansion.
    public var configPath: String
    /// The credentials file's path after `~` expansion.
    public var credentialsPath: String
    /// Profiles of the config file by name.
    public var configProfiles: [String: [String: INIFile.Value]]
    /// Profiles of the credentials file by name.
    public var credentialsProfiles: [String: [String: INIFile.Value]]
    /// `[services NAME]` sections of the config file by name.
    public var services: [String: [String: INIFile.Value]]

    /// Builds the profile maps from parsed files (nil: the file does not exist).
    public init(config: INIFile?, credentials: INIFile?, configPath: String, credentialsPath: String) {
        self.configPath = configPath
        self.credentialsPath = credentialsPath
        var profiles: [String: [String: INIFile.Value]] = [:]
        var services: [String: [String: INIFile.Value]] = [:]
        for section in config?.sectionOrder ?? [] {
            let values = config?[section] ?? [:]
            if section == "default" {
                profiles["default", default: [:]].merge(values) { _, new in new }
            } else if let name = Self.qualifiedName(section, prefix: "profile") {
                profiles[name, default: [:]].merge(values) { _, new in new }
            } else if let name = Self.qualifiedName(section, prefix: "services") {
                services[name, default: [:]].merge(values) { _, new in new }
            }
        }
        var credentialProfiles: [String: [String: INIFile.Value]] = [:]
        for section in credentials?.sectionOrder ?? [] { credentialProfiles[section] = credentials?[section] ?? [:] }
        self.configProfiles = profiles
        self.credentialsProfiles = credentialProfiles
        self.services = services
    }

    /// Reads both files from the paths the environment names, or the defaults under `homeDirectory`.
    public static func load(environment: [String: String], homeDirectory: String) throws(ClientConfigurationError) -> SharedConfigFiles {
        let configPath = expandTilde(nonEmpty(environment["AWS_CONFIG_FILE"]) ?? "~/.aws/config", home: homeDirectory)
        let credentialsPath = expandTilde(nonEmpty(environment["AWS_SHARED_CREDENTIALS_FILE"]) ?? "~/.aws/credentials", home: homeDirectory)
        return SharedConfigFiles(config: try read(configPath), credentials: try read(credentialsPath),
                                 configPath: configPath, credentialsPath: credentialsPath)
    }

    /// Whether either file defines the profile.
    public func hasProfile(_ name: String) -> Bool {
        configProfiles[name] != nil || credentialsProfiles[name] != nil
    }

    /// A plain setting of a profile; the credentials file wins over the config file, as botocore merges them.
    public func setting(_ key: String, profile: String) -> String? {
        nonEmpty(credentialsProfiles[profile]?[key]?.text) ?? nonEmpty(configProfiles[profile]?[key]?.text)
    }

    /// `profile NAME` → `NAME` (botocore splits with `shlex`, so the name may be quoted); nil for other sections.
    static func qualifiedName(_ section: String, prefix: String) -> String? {
        guard section.hasPrefix(prefix) else { return nil }
        let rest = section.dropFirst(prefix.count)
        guard let first = rest.first, first == " " || first == "\t" else { return nil }
        var name = rest.trimmingASCIISpaces()
        if name.count >= 2, let q = name.first, q == "\"" || q == "'", name.last == q { name = name.dropFirst().dropLast() }
        guard !name.isEmpty, !name.contains(where: { $0 == " " || $0 == "\t" }) else { return nil }
        return String(name)
    }

    /// `~` and `~/…` against the given home directory (Python's `expanduser` for the current user).
    static func expandTilde(_ path: String, home: String) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return (home.hasSuffix("/") ? String(home.dropLast()) : home) + path.dropFirst() }
        return path
    }

    /// The parsed file, nil when there is no regular file at `path`.
    static func read(_ path: String) throws(ClientConfigurationError) -> INIFile? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ClientConfigurationError(.invalidConfigFile, "Cannot read `\(path)`.")
        }
        do {
            return try INIFile(parsing: String(decoding: data, as: UTF8.self))
        } catch {
            throw ClientConfigurationError(.invalidConfigFile, "Unable to parse config file `\(path)`: line \(error.line): \(error.reason).")
        }
    }
}

/// The value unless it is nil or empty: an empty variable or setting counts as not set.
func nonEmpty(_ s: String?) -> String? {
    guard let s, !s.isEmpty else { return nil }
    return s
}
