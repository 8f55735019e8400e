/// The escalation methods the analysis knows (Rhino Security Labs' IAM privilege-escalation methods and their
/// successors, as principalmapper models them). Each has a stable id used in `EscalationStep.method`.
public struct EscalationMethod: Sendable, Equatable {
    /// Stable kebab-case id.
    public var id: String
    /// The actions it needs (alternatives separated by `|`).
    public var actions: String
    /// What a principal gains with it.
    public var yields: String

    /// Every method, in the order the analysis prefers them when several lead to the same principal.
    public static let all: [EscalationMethod] = [
        .init(id: "assume-role", actions: "sts:AssumeRole (and the role's trust policy)", yields: "the role"),
        .init(id: "update-assume-role-policy", actions: "iam:UpdateAssumeRolePolicy, then sts:AssumeRole",
              yields: "the role (its trust policy rewritten to admit the caller)"),
        .init(id: "create-access-key", actions: "iam:CreateAccessKey on another user", yields: "that user"),
        .init(id: "create-login-profile", actions: "iam:CreateLoginProfile on another user", yields: "that user (console)"),
        .init(id: "update-login-profile", actions: "iam:UpdateLoginProfile on another user", yields: "that user (console)"),
    ] + ServiceRunner.all.map { .init(id: $0.method, actions: $0.actionsText, yields: "a role that trusts \($0.servicePrincipal)") } + [
        .init(id: "put-user-policy", actions: "iam:PutUserPolicy", yields: "administrator (user)"),
        .init(id: "attach-user-policy", actions: "iam:AttachUserPolicy (an admin policy)", yields: "administrator (user)"),
        .init(id: "put-group-policy", actions: "iam:PutGroupPolicy on a group of the user", yields: "administrator (user)"),
        .init(id: "attach-group-policy", actions: "iam:AttachGroupPolicy (an admin policy) on a group of the user",
              yields: "administrator (user)"),
        .init(id: "put-role-policy", actions: "iam:PutRolePolicy", yields: "administrator (role)"),
        .init(id: "attach-role-policy", actions: "iam:AttachRolePolicy (an admin policy)", yields: "administrator (role)"),
        .init(id: "create-policy-version", actions: "iam:CreatePolicyVersion (with SetAsDefault) on an attached customer managed policy",
              yields: "administrator (every principal the policy is attached to)"),
        .init(id: "set-default-policy-version", actions: "iam:SetDefaultPolicyVersion on an attached customer managed policy",
              yields: "administrator, when a stored non-default version grants it"),
        .init(id: "add-user-to-group", actions: "iam:AddUserToGroup", yields: "administrator, when the group grants it"),
        .init(id: "delete-permissions-boundary",
              actions: "iam:DeleteUserPermissionsBoundary | iam:DeleteRolePermissionsBoundary",
              yields: "administrator, when the boundary is all that stood in the way"),
        .init(id: "put-permissions-boundary", actions: "iam:PutUserPermissionsBoundary | iam:PutRolePermissionsBoundary",
              yields: "administrator, when a policy it may set as boundary lets the identity policies through"),
        .init(id: "create-role", actions: "iam:CreateRole + iam:PutRolePolicy | iam:AttachRolePolicy + sts:AssumeRole",
              yields: "administrator (a new role trusting the caller)"),
    ]
}

/// An AWS service that runs code with a role passed to it (PassRole escalation).
struct ServiceRunner: Sendable {
    /// The method id, `pass-role-<service>`.
    let method: String
    /// The service principal that must be trusted by the role.
    let servicePrincipal: String
    /// Alternative action sets (besides iam:PassRole); one whole set must be allowed.
    let actionSets: [[String]]
    /// EC2 needs the role in an instance profile (existing, or one the caller can create and fill).
    let needsInstanceProfile: Bool
    /// What the attacker does.
    let how: String

    var actionsText: String {
        "iam:PassRole + " + actionSets.map { $0.joined(separator: " + ") }.joined(separator: " | ")
    }

    static let all: [ServiceRunner] = [
        ServiceRunner(method: "pass-role-ec2", servicePrincipal: "ec2.amazonaws.com",
                      actionSets: [["ec2:RunInstances"],
                                   ["autoscaling:CreateLaunchConfiguration", "autoscaling:CreateAutoScalingGroup"]],
                      needsInstanceProfile: true,
                      how: "launches an EC2 instance with the role's instance profile and reads its credentials from the instance metadata"),
        ServiceRunner(method: "pass-role-lambda", servicePrincipal: "lambda.amazonaws.com",
                      actionSets: [["lambda:CreateFunction", "lambda:InvokeFunction"],
                                   ["lambda:CreateFunction", "lambda:CreateEventSourceMapping"],
                                   ["lambda:CreateFunction", "lambda:AddPermission"]],
                      needsInstanceProfile: false,
                      how: "creates a Lambda function with the role and runs it (invoke, event source or resource policy)"),
        ServiceRunner(method: "pass-role-glue", servicePrincipal: "glue.amazonaws.com",
                      actionSets: [["glue:CreateDevEndpoint"], ["glue:CreateJob", "glue:StartJobRun"]],
                      needsInstanceProfile: false, how: "creates a Glue development endpoint or job that runs with the role"),
        ServiceRunner(method: "pass-role-cloudformation", servicePrincipal: "cloudformation.amazonaws.com",
                      actionSets: [["cloudformation:CreateStack"],
                                   ["cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet"]],
                      needsInstanceProfile: false, how: "creates a CloudFormation stack that acts with the role"),
        ServiceRunner(method: "pass-role-datapipeline", servicePrincipal: "datapipeline.amazonaws.com",
                      actionSets: [["datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition",
                                    "datapipeline:ActivatePipeline"]],
                      needsInstanceProfile: false, how: "creates a Data Pipeline whose activities run commands with the role"),
        ServiceRunner(method: "pass-role-sagemaker", servicePrincipal: "sagemaker.amazonaws.com",
                      actionSets: [["sagemaker:CreateNotebookInstance", "sagemaker:CreatePresignedNotebookInstanceUrl"],
                                   ["sagemaker:CreateTrainingJob"], ["sagemaker:CreateProcessingJob"]],
                      needsInstanceProfile: false, how: "creates a SageMaker notebook or job that runs code with the role"),
        ServiceRunner(method: "pass-role-codebuild", servicePrincipal: "codebuild.amazonaws.com",
                      actionSets: [["codebuild:CreateProject", "codebuild:StartBuild"],
                                   ["codebuild:CreateProject", "codebuild:StartBuildBatch"]],
                      needsInstanceProfile: false, how: "creates a CodeBuild project whose build runs commands with the role"),
        ServiceRunner(method: "pass-role-ecs", servicePrincipal: "ecs-tasks.amazonaws.com",
                      actionSets: [["ecs:RegisterTaskDefinition", "ecs:RunTask"],
                                   ["ecs:RegisterTaskDefinition", "ecs:StartTask"],
                                   ["ecs:RegisterTaskDefinition", "ecs:CreateService"]],
                      needsInstanceProfile: false, how: "registers an ECS task definition with the role as task role and runs it"),
    ]
}
