import Foundation
import WardenPolicy
import WardenStore

extension SecurityChecks {
    /// Prowler's two Bedrock AgentCore checks of attached customer managed policies (AgentCoreFacts has the rules).
    /// An `Allow` with `NotAction` is reported as `INFO`, prowler's `MANUAL`: neither rule can say what it grants.
    static let agentCore: [SecurityCheck] = [
        SecurityCheck(
            id: "agentcore-workload-token-wildcard", title: "Scope AgentCore workload access tokens to workload identities", severity: .high,
            practice: "Grant least privilege: an attached customer managed policy allows `bedrock-agentcore:GetWorkloadAccessToken` (and its `ForJWT` and `ForUserId` forms) only on workload identity ARNs, not on resources that also reach other AgentCore types; a token identifies an agent, so a wildcard lets its holder act as any agent. `Action: \"*\"` is left to the administrator checks; an unconditional `Deny` on `Resource: \"*\"` clears a finding; conditions are not read.",
            references: ["prowler iam_policy_no_agentcore_workload_access_token_wildcard"],
            fix: "Name the workload identity directory and identities: `aws iam create-policy-version --policy-arn … --policy-document '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"bedrock-agentcore:GetWorkloadAccessToken\"],\"Resource\":[\"arn:aws:bedrock-agentcore:REGION:ACCOUNT:workload-identity-directory/default/workload-identity/NAME\"]}]}' --set-as-default`."
        ) { c in
            agentCoreFindings(c, ok: "does not allow AgentCore workload access tokens outside workload identity ARNs") { doc in
                let denied = AgentCoreFacts.deniedTokenOperations(doc)
                var open = Set<String>()
                for s in doc.statements where s.effect == .allow && !AgentCoreFacts.isWorkloadIdentityScoped(s) {
                    open.formUnion(AgentCoreFacts.tokenOperations(allowedBy: s).subtracting(denied))
                }
                if open.isEmpty { return nil }
                return "allows " + ticks(open.sorted().map { "bedrock-agentcore:\($0)" }) + " on resources beyond workload identity ARNs"
            }
        },
        SecurityCheck(
            id: "agentcore-passrole-unrestricted", title: "Restrict iam:PassRole to Bedrock AgentCore", severity: .high,
            practice: "Grant least privilege: an attached customer managed policy does not allow `iam:PassRole` on every role where the role can go to Bedrock AgentCore (`iam:PassedToService` names AgentCore, or pins nothing and the policy grants AgentCore actions), since whoever holds it can hand an administrator's role to an agent runtime and act with it. `Action: \"*\"` is left to the administrator checks; an unconditional `Deny` of `iam:PassRole` on `Resource: \"*\"` clears a finding.",
            references: ["prowler iam_policy_passrole_to_bedrock_agentcore_restricted"],
            fix: "Name the execution roles: `aws iam create-policy-version --policy-arn … --policy-document '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"iam:PassRole\"],\"Resource\":\"arn:aws:iam::ACCOUNT:role/AgentCoreExecution*\",\"Condition\":{\"StringEquals\":{\"iam:PassedToService\":\"bedrock-agentcore.amazonaws.com\"}}}]}' --set-as-default`."
        ) { c in
            agentCoreFindings(c, ok: "does not allow passing every role to Bedrock AgentCore") { doc in
                AgentCoreFacts.passesAnyRoleToAgentCore(doc) ? "allows `iam:PassRole` on every role to Bedrock AgentCore" : nil
            }
        },
    ]

    /// One finding per attached customer managed policy, `INFO` where an `Allow` uses `NotAction`.
    static func agentCoreFindings(_ c: SecurityContext, ok: String, problem: (PolicyDocument) -> String?) -> [SecurityFinding] {
        let places = c.attachedCustomerPolicies
        guard !places.isEmpty else { return [.pass(c.accountResource, PolicyPopulation.managed.none)] }
        return places.map { p in
            let label = "Customer managed policy `\(p.name)`"
            guard let doc = p.parsed else { return .info(p.resource, "\(label) does not parse as a policy document.") }
            if AgentCoreFacts.hasAllowNotAction(doc) {
                return .info(p.resource, "\(label) has an `Allow` with `NotAction`, which this check does not evaluate; review it by hand.")
            }
            if let found = problem(doc) { return .fail(p.resource, "\(label) \(found).") }
            return .pass(p.resource, "\(label) \(ok).")
        }
    }
}
