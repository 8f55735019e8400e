/// Where the private files of an audit root live: one hidden folder, never visible as S3 keys.
struct AuditRootFiles {
    let root: String

    var internalDirectory: String { root + "/.warden-audit" }
    var privateKey: String { internalDirectory + "/signing-key.pem" }
    var keyRecord: String { internalDirectory + "/signing-key.json" }
    var state: String { internalDirectory + "/state.json" }
    var lock: String { internalDirectory + "/lock" }
}
