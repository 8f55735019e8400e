import WardenCore

/// The names AWS gives service-linked roles, by service principal, and whether the service accepts a custom
/// suffix. Services not listed get AWS's usual pattern (`AWSServiceRoleFor` and the capitalised service name).
enum ServiceLinkedRoles {
    struct Service { var roleName: String; var allowsSuffix: Bool }

    static let known: [String: Service] = [
        "autoscaling.amazonaws.com": .init(roleName: "AWSServiceRoleForAutoScaling", allowsSuffix: true),
        "ecs.amazonaws.com": .init(roleName: "AWSServiceRoleForECS", allowsSuffix: false),
        "elasticloadbalancing.amazonaws.com": .init(roleName: "AWSServiceRoleForElasticLoadBalancing", allowsSuffix: false),
        "rds.amazonaws.com": .init(roleName: "AWSServiceRoleForRDS", allowsSuffix: false),
        "eks.amazonaws.com": .init(roleName: "AWSServiceRoleForAmazonEKS", allowsSuffix: false),
        "eks-nodegroup.amazonaws.com": .init(roleName: "AWSServiceRoleForAmazonEKSNodegroup", allowsSuffix: false),
        "eks-fargate.amazonaws.com": .init(roleName: "AWSServiceRoleForAmazonEKSForFargate", allowsSuffix: false),
        "spot.amazonaws.com": .init(roleName: "AWSServiceRoleForEC2Spot", allowsSuffix: false),
        "spotfleet.amazonaws.com": .init(roleName: "AWSServiceRoleForEC2SpotFleet", allowsSuffix: false),
        "organizations.amazonaws.com": .init(roleName: "AWSServiceRoleForOrganizations", allowsSuffix: false),
        "config.amazonaws.com": .init(roleName: "AWSServiceRoleForConfig", allowsSuffix: false),
        "cloudtrail.amazonaws.com": .init(roleName: "AWSServiceRoleForCloudTrail", allowsSuffix: false),
        "access-analyzer.amazonaws.com": .init(roleName: "AWSServiceRoleForAccessAnalyzer", allowsSuffix: false),
        "guardduty.amazonaws.com": .init(roleName: "AWSServiceRoleForAmazonGuardDuty", allowsSuffix: false),
        "securityhub.amazonaws.com": .init(roleName: "AWSServiceRoleForSecurityHub", allowsSuffix: false),
        "inspector2.amazonaws.com": .init(roleName: "AWSServiceRoleForAmazonInspector2", allowsSuffix: false),
        "macie.amazonaws.com": .init(roleName: "AWSServiceRoleForAmazonMacie", allowsSuffix: false),
        "elasticbeanstalk.amazonaws.com": .init(roleName: "AWSServiceRoleForElasticBeanstalk", allowsSuffix: true),
        "es.amazonaws.com": .init(roleName: "AWSServiceRoleForAmazonElasticsearchService", allowsSuffix: false),
        "opensearchservice.amazonaws.com": .init(roleName: "AWSServiceRoleForAmazonOpenSearchService", allowsSuffix: false),
        "replicator.lambda.amazonaws.com": .init(roleName: "AWSServiceRoleForLambdaReplicator", allowsSuffix: false),
        "ssm.amazonaws.com": .init(roleName: "AWSServiceRoleForAmazonSSM", allowsSuffix: false),
        "support.amazonaws.com": .init(roleName: "AWSServiceRoleForSupport", allowsSuffix: false),
        "trustedadvisor.amazonaws.com": .init(roleName: "AWSServiceRoleForTrustedAdvisor", allowsSuffix: false),
        "sso.amazonaws.com": .init(roleName: "AWSServiceRoleForSSO", allowsSuffix: false),
        "redshift.amazonaws.com": .init(roleName: "AWSServiceRoleForRedshift", allowsSuffix: false),
        "elasticache.amazonaws.com": .init(roleName: "AWSServiceRoleForElastiCache", allowsSuffix: false),
        "elasticmapreduce.amazonaws.com": .init(roleName: "AWSServiceRoleForEMRCleanup", allowsSuffix: false),
        "kafka.amazonaws.com": .init(roleName: "AWSServiceRoleForKafka", allowsSuffix: false),
        "compute-optimizer.amazonaws.com": .init(roleName: "AWSServiceRoleForComputeOptimizer", allowsSuffix: false),
        "backup.amazonaws.com": .init(roleName: "AWSServiceRoleForBackup", allowsSuffix: false),
        "fms.amazonaws.com": .init(roleName: "AWSServiceRoleForFMS", allowsSuffix: false),
        "transitgateway.amazonaws.com": .init(roleName: "AWSServiceRoleForVPCTransitGateway", allowsSuffix: false),
        "globalaccelerator.amazonaws.com": .init(roleName: "AWSServiceRoleForGlobalAccelerator", allowsSuffix: false),
        "dynamodb.application-autoscaling.amazonaws.com":
            .init(roleName: "AWSServiceRoleForApplicationAutoScaling_DynamoDBTable", allowsSuffix: false),
        "ecs.application-autoscaling.amazonaws.com":
            .init(roleName: "AWSServiceRoleForApplicationAutoScaling_ECSService", allowsSuffix: false),
        "lambda.application-autoscaling.amazonaws.com":
            .init(roleName: "AWSServiceRoleForApplicationAutoScaling_LambdaConcurrency", allowsSuffix: false),
    ]

    /// The role name for a service and an optional custom suffix, or an AWS-style error.
    static func roleName(service: String, suffix: String?) throws -> String {
        guard service.hasSuffix(".amazonaws.com"), service.count > ".amazonaws.com".count else {
            throw ServiceError.invalidInput("Invalid service name: \(service)")
        }
        let entry = known[service] ?? Service(
            roleName: "AWSServiceRoleFor" + service.dropLast(".amazonaws.com".count).split(separator: ".").reversed()
                .map { $0.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined() }.joined(),
            allowsSuffix: true)
        guard let suffix else { return entry.roleName }
        guard entry.allowsSuffix else {
            throw ServiceError.invalidInput("Custom suffix is not allowed for \(service)")
        }
        return entry.roleName + "_" + suffix
    }

    /// AWS's answer to a change of a service-linked role's trust, permissions or session duration.
    static func protected(_ name: String) -> ServiceError {
        ServiceError(.unmodifiableEntity, "Cannot perform the operation on the protected role '\(name)' - this role is only modifiable by AWS")
    }
}
