import Foundation
import Testing
import WardenEscalation

/// A generated account of realistic shape, to check the analysis at the size of a large account.
enum GeneratedAccount {
    /// A deterministic account of `principals` principals (60 % users, 40 % roles).
    static func make(principals: Int, seed: UInt64 = 42) -> AccountAuthorizationDetails {
        typealias F = Fixture
        var state = seed
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        let users = principals * 6 / 10
        let roles = principals - users
        var policies: [AccountAuthorizationDetails.ManagedPolicy] = []
        for i in 0..<60 {
            let doc = i % 12 == 0
                ? F.policy(F.allow(["s3:Get*"]), F.allow(["iam:CreatePolicyVersion"], [F.policyARN("team-\(i)")]))
                : F.policy(F.allow(["s3:GetObject", "s3:ListBucket"], ["arn:aws:s3:::bucket-\(i)", "arn:aws:s3:::bucket-\(i)/*"]),
                           F.allow(["ec2:Describe*", "logs:*"]))
            policies.append(F.managed("team-\(i)", (doc, true)))
        }
        var groups = [F.group("admins", attached: ["arn:aws:iam::aws:policy/AdministratorAccess"])]
        for g in 1..<30 { groups.append(F.group("team-\(g)", attached: [F.policyARN("team-\(next(60))")])) }
        var userList: [AccountAuthorizationDetails.User] = []
        for u in 0..<users {
            let name = u < 3 ? "admin-\(u)" : (u % 10 == 0 ? "svc-\(u)" : "user-\(u)")
            let groupNames = u < 3 ? ["admins"] : ["team-\(1 + next(29))"]
            let policy: String
            switch next(100) {
            case 0..<70: policy = F.policy(F.allow(["dynamodb:Query", "dynamodb:GetItem"], ["arn:aws:dynamodb:*:\(F.account):table/t\(next(50))"]))
            case 70..<80: policy = F.policy(F.allow(["sts:AssumeRole"], [F.roleARN("app-*")]))
            case 80..<85: policy = F.policy(F.allow(["iam:CreateAccessKey"], [F.userARN("svc-*")]))
            case 85..<90: policy = F.policy(F.allow(["iam:PassRole"], [F.roleARN("lambda-*")]),
                                            F.allow(["lambda:CreateFunction", "lambda:InvokeFunction"]))
            case 90..<95: policy = F.policy(F.allow(["iam:PutUserPolicy"], ["arn:aws:iam::\(F.account):user/${aws:username}"],
                                                    condition: #"{"Bool":{"aws:MultiFactorAuthPresent":"true"}}"#))
            default: policy = F.policy(F.allow(["iam:Get*", "iam:List*"]))
            }
            userList.append(F.user(name, policy, groups: groupNames))
        }
        var roleList: [AccountAuthorizationDetails.Role] = []
        for r in 0..<roles {
            let kind = r % 4
            let name = ["app", "lambda", "ec2", "ci"][kind] + "-\(r)"
            let trust = kind == 0 ? F.trust(aws: [F.account]) : kind == 1 ? F.trust(service: ["lambda.amazonaws.com"])
                : kind == 2 ? F.trust(service: ["ec2.amazonaws.com"]) : F.trust(aws: [F.roleARN("app-\(r - 3)")])
            let policy: String
            switch next(100) {
            case 0..<4: policy = F.admin
            case 4..<10: policy = F.policy(F.allow(["sts:AssumeRole"], [F.roleARN("ci-*")]))
            case 10..<14: policy = F.policy(F.allow(["iam:PassRole", "ec2:RunInstances"]))
            default: policy = F.policy(F.allow(["s3:GetObject"], ["arn:aws:s3:::bucket-\(next(60))/*"]), F.allow(["sqs:SendMessage"]))
            }
            roleList.append(F.role(name, trust: trust, policy, attached: [F.policyARN("team-\(next(60))")], instanceProfile: kind == 2))
        }
        return AccountAuthorizationDetails(users: userList, groups: groups, roles: roleList, policies: policies)
    }
}

@Suite struct GeneratedAccountTests {
    @Test func thousandPrincipals() {
        let details = GeneratedAccount.make(principals: 1000)
        let clock = ContinuousClock()
        var report = EscalationReport(paths: [], warnings: [])
        let elapsed = clock.measure { report = EscalationAnalysis.report(details, account: Fixture.account) }
        print("escalation analysis of 1,000 principals: \(elapsed), \(report.paths.count) paths, \(Set(report.paths.map(\.principal)).count) principals")
        #expect(report.warnings.isEmpty)
        #expect(!report.paths.isEmpty)
        let arns = Set(details.users.map(\.arn) + details.roles.map(\.arn))
        for path in report.paths {
            #expect(arns.contains(path.principal))
            #expect(path.steps.first?.from == path.principal)
            if path.target != EscalationPath.administrator { #expect(path.steps.last?.to == path.target) }
            // The built-in administrators never appear as escalating principals.
            #expect(!path.principal.hasSuffix("user/admin-0"))
        }
    }
}
