import Foundation

// The checks beyond the dashboard, filled in by their own files (SecurityChecks+Credentials.swift, …).
extension SecurityChecks {
    static let credentials: [SecurityCheck] = []
    static let passwordPolicy: [SecurityCheck] = []
    static let policies: [SecurityCheck] = []
    static let roles: [SecurityCheck] = []
    static let account: [SecurityCheck] = []
}
