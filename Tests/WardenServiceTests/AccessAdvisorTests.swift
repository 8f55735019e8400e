import Foundation
import Logging
import Testing
import WardenCore
import WardenStore
import WardenStoreSQLite
import WardenWire
@testable import WardenService

/// The access advisor driven through the service: synthetic call events go to `observe` (as the dispatcher's
/// event pump does), reports come back through GenerateServiceLastAccessedDetails and its Get operations.
@Suite struct AccessAdvisorTests {
    let h: ServiceHarness
    var service: WardenService { h.service }
    static let account = ServiceHarness.account

    init() throws { h = try ServiceHarness() }

    // MARK: helpers

    func policy(_ actions: [String], effect: String = "Allow", notAction: Bool = false) -> String {
        let list = actions.map { "\"\($0)\"" }.joined(separator: ",")
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"\(effect)\",\"\(notAction ? "NotAction" : "Action")\":[\(list)],\"Resource\":\"*\"}]}"
    }

    @discardableResult
    func ok(_ action: String, _ params: [String: String] = [:], as caller: Caller? = nil) async throws -> XElement {
        let r = await h.call(action, params, as: caller)
        #expect(r.status == 200, "\(action): \(r.body)")
        return try XMLDocumentParser.parse(r.body)
    }

    func errorCode(_ action: String, _ params: [String: String], as caller: Caller? = nil) async -> String? {
        let r = await h.call(action, params, as: caller)
        return r.status == 200 ? nil : xmlValue(r.body, "Code")
    }

    func makeUser(_ name: String, path: String = "/", actions: [String]? = nil) async throws -> UserRecord {
        try await ok("CreateUser", ["UserName": name, "Path": path])
        if let actions { try await ok("PutUserPolicy", ["UserName": name, "PolicyName": "p", "PolicyDocument": policy(actions)]) }
        return try #require(service.store.account(Self.account)?.users[name.lowercased()])
    }

    func makeRole(_ name: String, path: String = "/") async throws -> RoleRecord {
        let trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::\(Self.account):root\"},\"Action\":\"sts:AssumeRole\"}]}"
        try await ok("CreateRole", ["RoleName": name, "Path": path, "AssumeRolePolicyDocument": trust])
        return try #require(service.store.account(Self.account)?.roles[name.lowercased()])
    }

    func userCaller(_ u: UserRecord) -> Caller {
        Caller(principal: Principal(kind: .user, account: Self.account, arn: ARN.iam(Self.account, "user", path: u.path, name: u.name),
                                    userID: u.id, name: u.name), accessKeyID: "AKIAADVISORTEST00001")
    }

    func sessionCaller(_ r: RoleRecord, session: String = "s1") -> Caller {
        Caller(principal: Principal(kind: .assumedRole, account: Self.account, arn: ARN.assumedRole(Self.account, role: r.name, session: session),
                                    userID: "\(r.id):\(session)", name: r.name, sessionName: session), accessKeyID: "ASIAADVISORTEST00001")
    }

    func event(_ caller: Caller, _ service: APIService, _ operation: String, at time: Date, region: String = "us-east-1",
               error: String? = nil) -> CallEvent {
        CallEvent(eventID: UUID().uuidString, service: service, operation: operation, account: caller.principal.account, caller: caller,
                  meta: RequestMeta(requestID: UUID().uuidString, sourceIP: "10.0.0.1", userAgent: "test", secureTransport: true,
                                    region: region, time: time),
                  errorCode: error, errorMessage: nil, resources: [], readOnly: true)
    }

    func generate(_ arn: String, actionLevel: Bool = false, as caller: Caller? = nil) async throws -> String {
        var params = ["Arn": arn]
        if actionLevel { params["Granularity"] = "ACTION_LEVEL" }
        let root = try await ok("GenerateServiceLastAccessedDetails", params, as: caller)
        let id = try #require(root.find("JobId")?.text)
        #expect(id.count == 36)
        return id
    }

    /// Every service of a report, reading all pages.
    func services(_ jobID: String, pageSize: Int? = nil, as caller: Caller? = nil) async throws -> [XElement] {
        var all: [XElement] = [], marker: String?
        repeat {
            var params = ["JobId": jobID]
            if let pageSize { params["MaxItems"] = "\(pageSize)" }
            if let marker { params["Marker"] = marker }
            let root = try await ok("GetServiceLastAccessedDetails", params, as: caller)
            #expect(root.find("JobStatus")?.text == "COMPLETED")
            all += root.find("ServicesLastAccessed")?.elements ?? []
            marker = root.find("IsTruncated")?.text == "true" ? root.find("Marker")?.text : nil
        } while marker != nil
        return all
    }

    func service(_ list: [XElement], _ namespace: String) -> XElement? { list.first { $0.find("ServiceNamespace")?.text == namespace } }

    func date(_ e: XElement?, _ name: String) -> Date? {
        guard let text = e?.find(name)?.text else { return nil }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }

    // MARK: tests

    @Test func userReportListsEveryAllowedServiceAndOnlyUsedOnesHaveDetails() async throws {
        let user = try await makeUser("alice", actions: ["iam:ListUsers", "iam:GetUser", "s3:GetObject", "sts:GetCallerIdentity"])
        let used = Date(timeIntervalSince1970: 1_750_000_000)
        service.accessAdvisor.observe([
            event(userCaller(user), .iam, "ListUsers", at: used, region: "eu-west-1"),
            // Refused attempts count, as AWS counts every authenticated attempt (here, an earlier one).
            event(userCaller(user), .iam, "GetUser", at: used.addingTimeInterval(-60), error: "AccessDenied"),
            // Neither do calls the policies no longer allow.
            event(userCaller(user), .cloudtrail, "LookupEvents", at: used),
        ])
        let arn = "arn:aws:iam::\(Self.account):user/alice"
        let list = try await services(try await generate(arn))
        #expect(list.compactMap { $0.find("ServiceNamespace")?.text } == ["iam", "s3", "sts"])
        let iam = try #require(service(list, "iam"))
        #expect(iam.find("ServiceName")?.text == "AWS Identity and Access Management")
        #expect(date(iam, "LastAuthenticated") == used)
        #expect(iam.find("LastAuthenticatedEntity")?.text == arn)
        #expect(iam.find("LastAuthenticatedRegion")?.text == "eu-west-1")
        #expect(iam.find("TotalAuthenticatedEntities")?.text == "1")
        #expect(iam.find("TrackedActionsLastAccessed") == nil)
        let s3 = try #require(service(list, "s3"))
        #expect(s3.find("LastAuthenticated") == nil && s3.find("LastAuthenticatedEntity") == nil)
        #expect(s3.find("TotalAuthenticatedEntities")?.text == "0")

        // Action level: the tracked actions the policies allow; S3's object actions are not tracked.
        let actions = try await services(try await generate(arn, actionLevel: true))
        let tracked = try #require(service(actions, "iam")?.find("TrackedActionsLastAccessed")).elements
        #expect(tracked.compactMap { $0.find("ActionName")?.text } == ["GetUser", "ListUsers"])
        let listUsers = try #require(tracked.first { $0.find("ActionName")?.text == "ListUsers" })
        #expect(date(listUsers, "LastAccessedTime") == used)
        #expect(listUsers.find("LastAccessedEntity")?.text == arn)
        #expect(listUsers.find("LastAccessedRegion")?.text == "eu-west-1")
        #expect(date(tracked.first { $0.find("ActionName")?.text == "GetUser" }, "LastAccessedTime") == used.addingTimeInterval(-60))
        #expect(service(actions, "s3")?.find("TrackedActionsLastAccessed") == nil)
        #expect(service(actions, "sts")?.find("TrackedActionsLastAccessed") == nil)
    }

    @Test func roleSessionsCountTowardTheirRoleAndARecreatedRoleStartsAfresh() async throws {
        let role = try await makeRole("deployer", path: "/app/")
        try await ok("PutRolePolicy", ["RoleName": "deployer", "PolicyName": "p", "PolicyDocument": policy(["ec2:Describe*", "lambda:*"])])
        let t = Date(timeIntervalSince1970: 1_760_000_000)
        service.accessAdvisor.observe([
            event(sessionCaller(role, session: "a"), .iam, "ListRoles", at: t),  // iam is not allowed: not listed
            event(sessionCaller(role, session: "b"), .s3, "ListBuckets", at: t),
        ])
        // Calls of services Warden does not serve reach the advisor the same way (the event's service names them).
        let arn = "arn:aws:iam::\(Self.account):role/app/deployer"
        var list = try await services(try await generate(arn))
        #expect(list.compactMap { $0.find("ServiceNamespace")?.text } == ["ec2", "lambda"])
        #expect(list.allSatisfy { $0.find("LastAuthenticated") == nil })

        // A role session's use is reported on the role (its ARN with the path).
        try await ok("PutRolePolicy", ["RoleName": "deployer", "PolicyName": "p2", "PolicyDocument": policy(["iam:List*"])])
        list = try await services(try await generate(arn, actionLevel: true))
        let iam = try #require(service(list, "iam"))
        #expect(iam.find("LastAuthenticatedEntity")?.text == arn)
        #expect(date(iam, "LastAuthenticated") == t)
        let listRoles = iam.find("TrackedActionsLastAccessed")?.elements.first { $0.find("ActionName")?.text == "ListRoles" }
        #expect(date(listRoles, "LastAccessedTime") == t)
        #expect(iam.find("TrackedActionsLastAccessed")?.elements.count == 
                service.accessAdvisor.catalog.trackedActions["iam"]?.filter { $0.hasPrefix("List") }.count)

        // Deleted and created again under the same name: a new role, with no history.
        try await ok("DeleteRolePolicy", ["RoleName": "deployer", "PolicyName": "p"])
        try await ok("DeleteRolePolicy", ["RoleName": "deployer", "PolicyName": "p2"])
        try await ok("DeleteRole", ["RoleName": "deployer"])
        _ = try await makeRole("deployer", path: "/app/")
        try await ok("PutRolePolicy", ["RoleName": "deployer", "PolicyName": "p", "PolicyDocument": policy(["iam:List*"])])
        list = try await services(try await generate(arn))
        #expect(service(list, "iam")?.find("LastAuthenticated") == nil)
    }

    @Test func groupAndPolicyReportsCountTheirMembersAndAttachedEntities() async throws {
        let u1 = try await makeUser("g-one"), u2 = try await makeUser("g-two", path: "/team/"), u3 = try await makeUser("g-three")
        try await ok("CreateGroup", ["GroupName": "readers"])
        try await ok("PutGroupPolicy", ["GroupName": "readers", "PolicyName": "p", "PolicyDocument": policy(["s3:*", "iam:Get*"])])
        for u in [u1, u2, u3] { try await ok("AddUserToGroup", ["GroupName": "readers", "UserName": u.name]) }
        let t1 = Date(timeIntervalSince1970: 1_760_000_000), t2 = t1.addingTimeInterval(3600)
        service.accessAdvisor.observe([
            event(userCaller(u1), .s3, "GetBucketLocation", at: t1),
            event(userCaller(u2), .s3, "GetObject", at: t2, region: "us-west-2"),
        ])
        let group = "arn:aws:iam::\(Self.account):group/readers"
        let job = try await generate(group)
        let list = try await services(job)
        #expect(list.compactMap { $0.find("ServiceNamespace")?.text } == ["iam", "s3"])
        let s3 = try #require(service(list, "s3"))
        #expect(s3.find("LastAuthenticatedEntity")?.text == "arn:aws:iam::\(Self.account):user/team/g-two")
        #expect(s3.find("LastAuthenticatedRegion")?.text == "us-west-2")
        #expect(s3.find("TotalAuthenticatedEntities")?.text == "2")

        // With entities: every member, most recent use first, then those who never used the service.
        let root = try await ok("GetServiceLastAccessedDetailsWithEntities", ["JobId": job, "ServiceNamespace": "s3"])
        let entities = try #require(root.find("EntityDetailsList")).elements
        #expect(entities.compactMap { $0.find("Name")?.text } == ["g-two", "g-one", "g-three"])
        #expect(entities[0].find("Type")?.text == "USER" && entities[0].find("Path")?.text == "/team/")
        #expect(entities[0].find("Id")?.text == u2.id)
        #expect(date(entities[0], "LastAuthenticated") == t2 && date(entities[1], "LastAuthenticated") == t1)
        #expect(entities[2].find("LastAuthenticated") == nil)
        // Paging through the entities.
        let first = try await ok("GetServiceLastAccessedDetailsWithEntities", ["JobId": job, "ServiceNamespace": "s3", "MaxItems": "2"])
        #expect(first.find("IsTruncated")?.text == "true")
        let marker = try #require(first.find("Marker")?.text)
        let second = try await ok("GetServiceLastAccessedDetailsWithEntities", ["JobId": job, "ServiceNamespace": "s3", "Marker": marker])
        #expect(second.find("EntityDetailsList")?.elements.compactMap { $0.find("Name")?.text } == ["g-three"])
        // A service the group's policies do not allow: nobody could have used it through them.
        let ec2 = try await ok("GetServiceLastAccessedDetailsWithEntities", ["JobId": job, "ServiceNamespace": "ec2"])
        #expect(ec2.find("EntityDetailsList")?.elements.isEmpty == true)

        // A customer managed policy: the users and roles it is attached to, directly or through a group.
        try await ok("CreatePolicy", ["PolicyName": "s3-read", "PolicyDocument": policy(["s3:Get*"])])
        let policyARN = "arn:aws:iam::\(Self.account):policy/s3-read"
        let role = try await makeRole("reader-role")
        try await ok("AttachRolePolicy", ["RoleName": "reader-role", "PolicyArn": policyARN])
        try await ok("AttachUserPolicy", ["UserName": "g-one", "PolicyArn": policyARN])
        let t3 = t2.addingTimeInterval(60)
        service.accessAdvisor.observe([event(sessionCaller(role), .s3, "GetBucketLocation", at: t3)])
        let pjob = try await generate(policyARN, actionLevel: true)
        let plist = try await services(pjob)
        let ps3 = try #require(service(plist, "s3"))
        #expect(ps3.find("LastAuthenticatedEntity")?.text == "arn:aws:iam::\(Self.account):role/reader-role")
        #expect(ps3.find("TotalAuthenticatedEntities")?.text == "2")
        let location = ps3.find("TrackedActionsLastAccessed")?.elements.first { $0.find("ActionName")?.text == "GetBucketLocation" }
        #expect(date(location, "LastAccessedTime") == t3)
        let pentities = try await ok("GetServiceLastAccessedDetailsWithEntities", ["JobId": pjob, "ServiceNamespace": "S3"])
        let rows = try #require(pentities.find("EntityDetailsList")).elements
        #expect(rows.compactMap { $0.find("Name")?.text } == ["reader-role", "g-one"])
        #expect(rows.first?.find("Type")?.text == "ROLE")
    }

    @Test func actionWildcardsGrantEveryCatalogueServiceAndPagesAreSortedByNamespace() async throws {
        _ = try await makeUser("admin")
        try await ok("AttachUserPolicy", ["UserName": "admin", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"])
        let job = try await generate("arn:aws:iam::\(Self.account):user/admin")
        let first = try await ok("GetServiceLastAccessedDetails", ["JobId": job, "MaxItems": "50"])
        #expect(first.find("IsTruncated")?.text == "true")
        #expect(first.find("JobType")?.text == "SERVICE_LEVEL")
        #expect(first.find("ServicesLastAccessed")?.elements.count == 50)
        let all = try await services(job, pageSize: 50)
        let namespaces = all.compactMap { $0.find("ServiceNamespace")?.text }
        #expect(namespaces == service.accessAdvisor.catalog.namespaces)
        #expect(namespaces.count > 300)
        #expect(namespaces.contains("dynamodb") && namespaces.contains("kms"))

        // The AWS managed policy's own report lists the same services.
        let pjob = try await generate("arn:aws:iam::aws:policy/AdministratorAccess")
        #expect(try await services(pjob).count == namespaces.count)
        #expect(await errorCode("GetServiceLastAccessedDetails", ["JobId": job, "Marker": "not-a-marker"]) == "InvalidInput")
    }

    @Test func notActionGrantsTheRestAndDenyStatementsDoNotRemoveServices() async throws {
        _ = try await makeUser("nota")
        try await ok("PutUserPolicy", ["UserName": "nota", "PolicyName": "not", "PolicyDocument": policy(["iam:*", "s3:*"], notAction: true)])
        try await ok("PutUserPolicy", ["UserName": "nota", "PolicyName": "deny", "PolicyDocument": policy(["ec2:*"], effect: "Deny")])
        let list = try await services(try await generate("arn:aws:iam::\(Self.account):user/nota", actionLevel: true))
        let namespaces = Set(list.compactMap { $0.find("ServiceNamespace")?.text })
        #expect(!namespaces.contains("iam") && !namespaces.contains("s3"))
        #expect(namespaces.contains("ec2") && namespaces.contains("sts"))
        #expect(namespaces.count == service.accessAdvisor.catalog.namespaces.count - 2)

        _ = try await makeUser("notlambda")
        try await ok("PutUserPolicy", ["UserName": "notlambda", "PolicyName": "p",
                                       "PolicyDocument": policy(["lambda:Get*", "lambda:List*", "iam:*", "ec2:*", "s3:*"], notAction: true)])
        let lambda = try await services(try await generate("arn:aws:iam::\(Self.account):user/notlambda", actionLevel: true))
        let names = service(lambda, "lambda")?.find("TrackedActionsLastAccessed")?.elements.compactMap { $0.find("ActionName")?.text } ?? []
        #expect(names.contains("CreateFunction") && !names.contains("GetFunction") && !names.contains("ListFunctions"))
    }

    @Test func errorsComeAfterAuthorization() async throws {
        // The root user may generate any report: unknown entities are NoSuchEntity.
        #expect(await errorCode("GenerateServiceLastAccessedDetails", ["Arn": "arn:aws:iam::\(Self.account):user/nobody"]) == "NoSuchEntity")
        #expect(await errorCode("GenerateServiceLastAccessedDetails", ["Arn": "arn:aws:iam::\(Self.account):policy/none"]) == "NoSuchEntity")
        #expect(await errorCode("GenerateServiceLastAccessedDetails", ["Arn": "arn:aws:iam::aws:policy/NotAnAWSPolicy"]) == "NoSuchEntity")
        // The path is part of the ARN.
        _ = try await makeUser("pathed", path: "/p/")
        #expect(await errorCode("GenerateServiceLastAccessedDetails", ["Arn": "arn:aws:iam::\(Self.account):user/pathed"]) == "NoSuchEntity")
        #expect(await errorCode("GenerateServiceLastAccessedDetails", ["Arn": "arn:aws:iam::\(Self.account):mfa/device"]) == "InvalidInput")

        // A user without permission is denied before learning whether the entity exists.
        let mallory = try await makeUser("mallory", actions: ["iam:GetServiceLastAccessedDetails"])
        let caller = userCaller(mallory)
        #expect(await errorCode("GenerateServiceLastAccessedDetails", ["Arn": "arn:aws:iam::\(Self.account):user/nobody"], as: caller) == "AccessDenied")
        #expect(await errorCode("GenerateServiceLastAccessedDetails", ["Arn": "arn:aws:iam::\(Self.account):user/mallory"], as: caller) == "AccessDenied")

        // Job ids: unknown, and another principal's job, are InvalidInput; malformed ones fail validation.
        #expect(await errorCode("GetServiceLastAccessedDetails", ["JobId": UUID().uuidString.lowercased()]) == "InvalidInput")
        #expect(await errorCode("GetServiceLastAccessedDetailsWithEntities", ["JobId": UUID().uuidString.lowercased(), "ServiceNamespace": "iam"]) == "InvalidInput")
        #expect(await errorCode("GetServiceLastAccessedDetails", ["JobId": "short"]) == "ValidationError")
        let job = try await generate("arn:aws:iam::\(Self.account):user/mallory")
        #expect(await errorCode("GetServiceLastAccessedDetails", ["JobId": job], as: caller) == "InvalidInput")
        // Reading needs the permission too (on "*").
        let eve = try await makeUser("eve", actions: ["iam:GenerateServiceLastAccessedDetails"])
        let eveJob = try await generate("arn:aws:iam::\(Self.account):user/eve", as: userCaller(eve))
        #expect(await errorCode("GetServiceLastAccessedDetails", ["JobId": eveJob], as: userCaller(eve)) == "AccessDenied")
    }

    @Test func organizationsReportsAnswerAsAnAccountWithoutAnOrganization() async throws {
        #expect(await errorCode("GenerateOrganizationsAccessReport", ["EntityPath": "o-abcdefghij/r-abcd"]) == "OrganizationNotFoundException")
        #expect(await errorCode("GetOrganizationsAccessReport", ["JobId": UUID().uuidString.lowercased()]) == "OrganizationNotFoundException")
        let nobody = try await makeUser("org-nobody")
        #expect(await errorCode("GenerateOrganizationsAccessReport", ["EntityPath": "o-abcdefghij/r-abcd"], as: userCaller(nobody)) == "AccessDenied")
    }

    @Test func factsPersistAcrossRestartsAndReportsSeeUnflushedOnes() async throws {
        let dir = NSTemporaryDirectory() + "advisor-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/warden.db"
        let env = ["WARDEN_ACCOUNT_ID": Self.account, "WARDEN_ROOT_ACCESS_KEY_ID": "AKIAHARNESSROOT00001",
                   "WARDEN_ROOT_SECRET_ACCESS_KEY": "harnessRootSecret00000000000000000000000"]
        func open() throws -> WardenService {
            let s = try WardenService(store: StateStore(backend: try SQLiteBackend(path: path)),
                                      secrets: SecretBox(masterKey: Redacted(Array(repeating: 7, count: 32))), logger: Logger(label: "test"))
            _ = try Bootstrap(dataDir: dir, environment: env).run(s)
            return s
        }
        let root = Caller(principal: .root(Self.account), accessKeyID: "AKIAHARNESSROOT00001")
        func call(_ s: WardenService, _ action: String, _ params: [String: String]) async -> WardenService.Response {
            var p = params
            p["Action"] = action
            p["Version"] = IAM.version
            return await s.handle(.iam, params: QueryParameters(p), caller: root,
                                  meta: RequestMeta(requestID: "t", sourceIP: "127.0.0.1", userAgent: "t", secureTransport: true, region: "us-east-1", time: Date()))
        }
        let first = try open()
        #expect(await call(first, "CreateUser", ["UserName": "kept"]).status == 200)
        #expect(await call(first, "PutUserPolicy", ["UserName": "kept", "PolicyName": "p", "PolicyDocument": policy(["iam:*", "sts:*"])]).status == 200)
        let user = try #require(first.store.account(Self.account)?.users["kept"])
        let t1 = Date(timeIntervalSince1970: 1_770_000_000), t2 = t1.addingTimeInterval(10)
        first.accessAdvisor.observe([event(userCaller(user), .iam, "ListUsers", at: t1)])
        first.accessAdvisor.flush(to: first.store)
        #expect(first.accessAdvisor.pendingCount == 0)
        #expect(first.store.account(Self.account)?.lastAccess.count == 2)  // the service and the tracked action
        // Not flushed yet: the report combines it with the stored facts.
        first.accessAdvisor.observe([event(userCaller(user), .sts, "GetCallerIdentity", at: t2)])
        let arn = "arn:aws:iam::\(Self.account):user/kept"
        let generated = await call(first, "GenerateServiceLastAccessedDetails", ["Arn": arn])
        let job = try #require(xmlValue(generated.body, "JobId"))
        let report = await call(first, "GetServiceLastAccessedDetails", ["JobId": job])
        let list = try #require(try XMLDocumentParser.parse(report.body).find("ServicesLastAccessed")).elements
        #expect(date(service(list, "iam"), "LastAuthenticated") == t1)
        #expect(date(service(list, "sts"), "LastAuthenticated") == t2)
        first.accessAdvisor.flush(to: first.store)

        // A new process over the same database.
        let second = try open()
        let facts = try #require(second.store.account(Self.account)?.lastAccess)
        #expect(facts.rows.keys.filter { $0.hasPrefix(arn + " ") }.count == 3)  // the root's own calls are facts too
        #expect(facts[LastAccessRecord.key(entityARN: arn, service: "sts", action: nil)]?.time == t2)
        #expect(facts[LastAccessRecord.key(entityARN: arn, service: "iam", action: "ListUsers")]?.entityID == user.id)
        // An older fact never replaces a newer one.
        second.accessAdvisor.observe([event(userCaller(user), .sts, "GetCallerIdentity", at: t1)])
        second.accessAdvisor.flush(to: second.store)
        #expect(second.store.account(Self.account)?.lastAccess[LastAccessRecord.key(entityARN: arn, service: "sts", action: nil)]?.time == t2)
    }

    @Test func jobsAreBoundedPerAccount() {
        let jobs = AccessAdvisorJobs()
        let start = Date()
        for n in 0..<(AccessAdvisorJobs.maxPerAccount + 25) {
            jobs.add(.init(id: "job-\(n)", account: "111111111111", owner: "o", arn: "a", actionLevel: false,
                           created: start.addingTimeInterval(Double(n)), completed: nil, status: .completed, report: nil))
        }
        #expect(jobs.count == AccessAdvisorJobs.maxPerAccount)
        #expect(jobs.job("job-0", account: "111111111111", owner: "o", now: start) == nil)
        let last = "job-\(AccessAdvisorJobs.maxPerAccount + 24)"
        #expect(jobs.job(last, account: "111111111111", owner: "o", now: start)?.id == last)
        #expect(jobs.job(last, account: "111111111111", owner: "other", now: start) == nil)
        // Expired jobs are gone.
        #expect(jobs.job(last, account: "111111111111", owner: "o", now: start.addingTimeInterval(AccessAdvisorJobs.lifetime + 1_000)) == nil)
    }

    @Test func catalogueMapsOperationsToTrackedActions() throws {
        let catalog = service.accessAdvisor.catalog
        #expect(catalog.names["iam"] == "AWS Identity and Access Management")
        #expect(catalog.names["sts"] != nil && catalog.names["cloudwatch"] != nil && catalog.names["monitoring"] == nil)
        #expect(catalog.trackedAction(namespace: "iam", operation: "ListUsers") == "ListUsers")
        #expect(catalog.trackedAction(namespace: "s3", operation: "ListBuckets") == "ListAllMyBuckets")
        #expect(catalog.trackedAction(namespace: "s3", operation: "GetObject") == nil)
        #expect(catalog.trackedAction(namespace: "lambda", operation: "Invoke") == nil)
        #expect(catalog.trackedAction(namespace: "sts", operation: "GetCallerIdentity") == nil)
        #expect(catalog.tracksActions("ec2") && !catalog.tracksActions("sts"))
    }
}

extension XElement {
    /// The first descendant element with a local name (namespaces ignored).
    func find(_ name: String) -> XElement? {
        for child in elements {
            if child.local == name { return child }
            if let found = child.find(name) { return found }
        }
        return nil
    }
}
