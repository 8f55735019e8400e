import Foundation
import WardenCore
import WardenStore
import WardenWire

extension WardenService {
    static func mfaARN(_ account: String, path: String, name: String) -> String { ARN.iam(account, "mfa", path: path, name: name) }

    /// The user an MFA call acts on ("root" for the root user's own device).
    static func mfaOwner(_ name: String?, _ call: Call, _ state: AccountState) throws -> (name: String, arn: String) {
        if let name {
            let u = try state.user(name); return (u.name, state.userARN(u))
        }
        switch call.caller.principal.kind {
        case .root: return ("root", call.caller.principal.arn)
        case .user: return (call.caller.principal.name, call.caller.principal.arn)
        default: throw ServiceError(.validationError, "Must specify userName when calling with non-User credentials")
        }
    }

    /// The ARN an MFA call is authorized on: the named user's (or the ARN it would have), or the caller's.
    static func mfaOwnerARN(_ name: String?, _ call: Call) throws -> String {
        if let name { return try call.state().userARN(named: name) }
        return try mfaOwner(nil, call, try call.state()).arn
    }

    /// Whether EnableMFADevice enables the root user's own device: the root user names itself `root` (there being
    /// no IAM user of that name).
    static func enablesRootDevice(_ i: IAM.EnableMFADeviceRequest, _ call: Call, _ state: AccountState) -> Bool {
        call.caller.principal.kind == .root && i.userName.lowercased() == "root" && state.users["root"] == nil
    }

    static func registerMFA(_ r: inout Registry) {
        r.on(.iam, "CreateVirtualMFADevice", authorize: .declared { i, call in
            [Requirement(mfaARN(call.account, path: i.path ?? "/", name: i.virtualMFADeviceName), tags: try Tagging.validate(i.tags))]
        }) { (i: IAM.CreateVirtualMFADeviceRequest, call) -> IAM.CreateVirtualMFADeviceResponse in
            let path = i.path ?? "/"
            let serial = mfaARN(call.account, path: path, name: i.virtualMFADeviceName)
            let tags = try Tagging.validate(i.tags)
            var seed = [UInt8](repeating: 0, count: 20)
            var rng = SystemRandomNumberGenerator()
            for k in seed.indices { seed[k] = UInt8.random(in: 0...255, using: &rng) }
            let base32 = TOTP.base32(seed)
            let label = "Warden:\(i.virtualMFADeviceName)@\(call.account)".addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: ":@.-_"))) ?? i.virtualMFADeviceName
            let uri = "otpauth://totp/\(label)?secret=\(base32)&issuer=Warden"
            let png = try QRCode.png(for: uri)
            return try call.write { state in
                if state.mfaDevices[serial] != nil || state.mfaDevices.values.contains(where: { $0.name.lowercased() == i.virtualMFADeviceName.lowercased() }) {
                    throw ServiceError.alreadyExists("MFADevice entity at the same path and name already exists.")
                }
                var d = MFADeviceRecord(serial: serial, name: i.virtualMFADeviceName, path: path,
                                        encryptedSeed: call.service.secrets.seal(seed, context: "mfa:\(serial)"), createDate: call.now)
                d.tags = tags
                state.mfaDevices[serial] = d
                return IAM.CreateVirtualMFADeviceResponse(virtualMFADevice: IAM.VirtualMFADevice(
                    serialNumber: serial, base32StringSeed: Array(base32.utf8), qrCodePNG: png, tags: tags.isEmpty ? nil : tags.map(\.wire)))
            }
        }

        r.on(.iam, "EnableMFADevice", authorize: .resource { i, call in
            let state = try call.state()
            return enablesRootDevice(i, call, state) ? call.caller.principal.arn : state.userARN(named: i.userName)
        }) { (i: IAM.EnableMFADeviceRequest, call) in
            let state = try call.state()
            let forRoot = enablesRootDevice(i, call, state)
            if !forRoot { _ = try state.user(i.userName) }
            try call.write { state in
                guard var d = state.mfaDevices[i.serialNumber] else {
                    throw ServiceError.noSuchEntity("VirtualMFADevice with serial number \(i.serialNumber) doesn't exist.", resource: i.serialNumber)
                }
                if d.userName != nil { throw ServiceError.alreadyExists("MFA Device is already in use.") }
                var user = forRoot ? nil : try state.user(i.userName)
                if let user, user.mfaSerials.count >= 8 { throw ServiceError.limitExceeded("Cannot exceed quota for MFADevicesPerUser: 8") }
                if forRoot, state.account.rootMFASerial != nil {
                    throw ServiceError.limitExceeded("The root user already has an MFA device; deactivate it first.")
                }
                let seed = try call.service.secrets.open(d.encryptedSeed, context: "mfa:\(d.serial)")
                guard let s = TOTP.consecutiveSteps(seed: seed, code1: i.authenticationCode1, code2: i.authenticationCode2, at: call.now) else {
                    throw ServiceError(.invalidAuthenticationCode, "Authentication code for device is not valid.")
                }
                d.userName = user?.name ?? "root"
                d.enableDate = call.now
                d.lastUsedStep = s + 1
                state.mfaDevices[d.serial] = d
                if var u = user {
                    u.mfaSerials.append(d.serial)
                    state.users[u.name.lowercased()] = u
                    user = u
                } else {
                    state.updateAccount { $0.rootMFASerial = d.serial }
                }
            }
        }

        r.on(.iam, "ResyncMFADevice", authorize: .resource { i, call in try call.state().userARN(named: i.userName) }) {
            (i: IAM.ResyncMFADeviceRequest, call) in
            _ = try call.state().user(i.userName)
            try call.write { state in
                guard var d = state.mfaDevices[i.serialNumber], d.userName?.lowercased() == i.userName.lowercased() else {
                    throw ServiceError.noSuchEntity("MFA Device with serial number \(i.serialNumber) does not exist.", resource: i.serialNumber)
                }
                let seed = try call.service.secrets.open(d.encryptedSeed, context: "mfa:\(d.serial)")
                guard let s = TOTP.consecutiveSteps(seed: seed, code1: i.authenticationCode1, code2: i.authenticationCode2, at: call.now, window: 40) else {
                    throw ServiceError(.invalidAuthenticationCode, "Authentication code for device is not valid.")
                }
                d.lastUsedStep = s + 1
                d.driftSteps = s + 1 - TOTP.step(at: call.now)
                state.mfaDevices[d.serial] = d
            }
        }

        r.on(.iam, "DeactivateMFADevice", authorize: .resource { i, call in try mfaOwnerARN(i.userName, call) }) {
            (i: IAM.DeactivateMFADeviceRequest, call) in
            let owner = try mfaOwner(i.userName, call, try call.state())
            try call.write { state in
                guard var d = state.mfaDevices[i.serialNumber], d.userName?.lowercased() == owner.name.lowercased() else {
                    throw ServiceError.noSuchEntity("MFA Device with serial number \(i.serialNumber) does not exist.", resource: i.serialNumber)
                }
                d.userName = nil
                d.enableDate = nil
                state.mfaDevices[d.serial] = d
                if owner.name == "root" {
                    state.updateAccount { $0.rootMFASerial = nil }
                } else if var user = state.users[owner.name.lowercased()] {
                    user.mfaSerials.removeAll { $0 == d.serial }
                    state.users[user.name.lowercased()] = user
                }
            }
        }

        r.on(.iam, "DeleteVirtualMFADevice", authorize: .resource { i, _ in i.serialNumber }) { (i: IAM.DeleteVirtualMFADeviceRequest, call) in
            try call.write { state in
                guard let d = state.mfaDevices[i.serialNumber] else {
                    throw ServiceError.noSuchEntity("VirtualMFADevice with serial number \(i.serialNumber) doesn't exist.", resource: i.serialNumber)
                }
                if d.userName != nil { throw ServiceError.deleteConflict("MFA VirtualDevice in use. Must deactivate first.") }
                state.mfaDevices[d.serial] = nil
            }
        }

        r.on(.iam, "ListMFADevices", authorize: .resource { i, call in try mfaOwnerARN(i.userName, call) }) {
            (i: IAM.ListMFADevicesRequest, call) -> IAM.ListMFADevicesResponse in
            let state = try call.state()
            let owner = try mfaOwner(i.userName, call, state)
            let devices = state.mfaDevices.values.filter { $0.userName?.lowercased() == owner.name.lowercased() }.sorted { $0.serial < $1.serial }
            let page = try Page(devices, key: \.serial, marker: i.marker, maxItems: i.maxItems)
            return IAM.ListMFADevicesResponse(
                mfaDevices: page.items.map { IAM.MFADevice(userName: owner.name, serialNumber: $0.serial, enableDate: $0.enableDate ?? $0.createDate) },
                isTruncated: page.isTruncated, marker: page.marker)
        }

        r.on(.iam, "ListVirtualMFADevices", authorize: .resource { _, call in "arn:aws:iam::\(call.account):mfa/" }) {
            (i: IAM.ListVirtualMFADevicesRequest, call) -> IAM.ListVirtualMFADevicesResponse in
            let state = try call.state()
            let devices = state.mfaDevices.values.filter { d in
                switch i.assignmentStatus ?? .any { case .assigned: d.userName != nil; case .unassigned: d.userName == nil; default: true }
            }.sorted { $0.serial < $1.serial }
            let page = try Page(devices, key: \.serial, marker: i.marker, maxItems: i.maxItems)
            return IAM.ListVirtualMFADevicesResponse(virtualMFADevices: page.items.map { d in
                let user: IAM.User? = d.userName.flatMap { n in
                    n == "root" ? IAM.User(path: "/", userName: "root", userId: call.account, arn: ARN.root(call.account), createDate: state.account.createDate)
                        : state.users[n.lowercased()].map { state.wireUser($0, tags: false) }
                }
                return IAM.VirtualMFADevice(serialNumber: d.serial, user: user, enableDate: d.enableDate)  // listed without tags, as in AWS
            }, isTruncated: page.isTruncated, marker: page.marker)
        }

        r.on(.iam, "GetMFADevice", authorize: .resource { i, call in
            // The device's user, or the device itself when it is unassigned, or missing (then the body says so).
            let state = try call.state()
            guard let d = state.mfaDevices[i.serialNumber], i.userName == nil || d.userName?.lowercased() == i.userName?.lowercased() else {
                return i.serialNumber
            }
            return d.userName.flatMap { state.users[$0.lowercased()] }.map(state.userARN) ?? d.serial
        }) { (i: IAM.GetMFADeviceRequest, call) -> IAM.GetMFADeviceResponse in
            let state = try call.state()
            guard let d = state.mfaDevices[i.serialNumber], i.userName == nil || d.userName?.lowercased() == i.userName?.lowercased() else {
                throw ServiceError.noSuchEntity("MFA Device with serial number \(i.serialNumber) does not exist.", resource: i.serialNumber)
            }
            return IAM.GetMFADeviceResponse(userName: d.userName, serialNumber: d.serial, enableDate: d.enableDate)
        }

        r.on(.iam, "TagMFADevice", authorize: .declared { i, call in try tagging(.mfa(i.serialNumber), i.tags, call) }) {
            (i: IAM.TagMFADeviceRequest, call) in try tag(.mfa(i.serialNumber), i.tags, call)
        }
        r.on(.iam, "UntagMFADevice", authorize: .declared { i, call in try untagging(.mfa(i.serialNumber), i.tagKeys, call) }) {
            (i: IAM.UntagMFADeviceRequest, call) in try untag(.mfa(i.serialNumber), i.tagKeys, call)
        }
        r.on(.iam, "ListMFADeviceTags", authorize: .resource { i, call in try TagTarget.mfa(i.serialNumber).resolve(try call.state()).arn }) {
            (i: IAM.ListMFADeviceTagsRequest, call) -> IAM.ListMFADeviceTagsResponse in
            let p = try listTags(.mfa(i.serialNumber), i.marker, i.maxItems, call)
            return IAM.ListMFADeviceTagsResponse(tags: p.items, isTruncated: p.isTruncated, marker: p.marker)
        }
    }

    /// Checks an MFA code for a principal's device and burns its time step so the code is never accepted twice.
    /// Returns false for a wrong, reused or foreign code.
    static func verifyMFA(_ call: Call, serial: String, code: String, owner: String) throws -> Bool {
        try call.write { state in
            guard var d = state.mfaDevices[serial], d.userName?.lowercased() == owner.lowercased(),
                  let seed = try? call.service.secrets.open(d.encryptedSeed, context: "mfa:\(serial)"),
                  let s = TOTP.matchingStep(seed: seed, code: code, at: call.now)
                      ?? d.driftSteps.flatMap({ TOTP.matchingStep(seed: seed, code: code, at: call.now.addingTimeInterval(TimeInterval($0 * 30))) }),
                  s > d.lastUsedStep else { return false }
            d.lastUsedStep = s
            state.mfaDevices[serial] = d
            return true
        }
    }
}

extension TagTarget {
    static func mfa(_ serial: String) -> TagTarget {
        func device(_ s: AccountState) throws -> MFADeviceRecord {
            guard let d = s.mfaDevices[serial] else { throw ServiceError.noSuchEntity("VirtualMFADevice with serial number \(serial) doesn't exist.", resource: serial) }
            return d
        }
        return TagTarget(arn: { _ in serial }, tags: { try device($0).tags },
                         update: { s, f in var d = try device(s); try f(&d.tags); s.mfaDevices[serial] = d })
    }
}
