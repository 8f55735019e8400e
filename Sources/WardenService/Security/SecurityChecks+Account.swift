import Foundation
import WardenStore

extension SecurityChecks {
    /// Checks of the account as a whole: roles for support and audit, server certificates, federation, and
    /// centralized root access.
    static let account: [SecurityCheck] = [
        SecurityCheck(
            id: "support-role", title: "Create a role for AWS Support", severity: .low,
            practice: "Have a role with `AWSSupportAccess` attached, so that incidents can be raised with AWS Support by whoever is entitled to assume it, without giving them more.",
            references: ["CIS 1.17", "prowler iam_support_role_created"],
            fix: "Create a role the support staff can assume (`aws iam create-role --role-name support --assume-role-policy-document file://trust.json`) and attach the policy: `aws iam attach-role-policy --role-name support --policy-arn arn:aws:iam::aws:policy/AWSSupportAccess`."
        ) { c in
            let holders = c.roles(attaching: AWSPolicyARN.supportAccess)
            guard let first = holders.first else { return [.fail(c.accountResource, "No role has `AWSSupportAccess` attached.")] }
            return [.pass(c.arn(first), "Role `\(first.name)` has `AWSSupportAccess` attached.")]
        },
        SecurityCheck(
            id: "security-audit-role", title: "Create a role for security audits", severity: .low,
            practice: "Have a role with `SecurityAudit` attached, so that auditors and tools read the account's security configuration with a role made for it rather than broader rights.",
            references: ["prowler iam_securityaudit_role_created"],
            fix: "Create a role the auditors can assume (`aws iam create-role --role-name security-audit --assume-role-policy-document file://trust.json`) and attach the policy: `aws iam attach-role-policy --role-name security-audit --policy-arn arn:aws:iam::aws:policy/SecurityAudit`."
        ) { c in
            let holders = c.roles(attaching: AWSPolicyARN.securityAudit)
            guard let first = holders.first else { return [.fail(c.accountResource, "No role has `SecurityAudit` attached.")] }
            return [.pass(c.arn(first), "Role `\(first.name)` has `SecurityAudit` attached.")]
        },
        SecurityCheck(
            id: "expired-server-certificates", title: "Remove expired server certificates", severity: .high,
            practice: "Delete SSL/TLS server certificates once they expire, so that none is deployed by mistake to a load balancer or CloudFront.",
            references: ["CIS 1.19", "prowler iam_no_expired_server_certificates_stored"],
            fix: "`aws iam delete-server-certificate --server-certificate-name …`, after uploading its successor (`aws iam upload-server-certificate`) and moving its users to it."
        ) { c in
            let certificates = c.state.serverCertificates.values.sorted { $0.name.lowercased() < $1.name.lowercased() }
            if certificates.isEmpty { return [.pass(c.accountResource, "The account stores no server certificates.")] }
            return certificates.map { cert in
                let days = c.days(since: cert.expiration)
                if days >= 0 { return .fail(cert.arn, "Server certificate `\(cert.name)` expired \(ago(days)).") }
                return .pass(cert.arn, "Server certificate `\(cert.name)` expires in \(count(Int(-days), "day")).")
            }
        },
        SecurityCheck(
            id: "saml-providers", title: "Manage users centrally with identity federation", severity: .low,
            practice: "People sign in through a central identity provider and assume roles, rather than as IAM users with their own passwords and keys. As prowler, an account without a SAML provider fails.",
            references: ["CIS 1.21", "prowler iam_check_saml_providers_sts"],
            fix: "Register the identity provider (`aws iam create-saml-provider --name … --saml-metadata-document file://metadata.xml`) and create roles for its users to assume."
        ) { c in
            let providers = c.state.samlProviders.values.sorted { $0.name.lowercased() < $1.name.lowercased() }
            if providers.isEmpty { return [.fail(c.accountResource, "The account has no SAML provider.")] }
            return providers.map { .pass($0.arn, "SAML provider `\($0.name)` is registered.") }
        },
        SecurityCheck(
            id: "root-credentials-management", title: "Manage root credentials centrally", severity: .high,
            practice: "With AWS Organizations, member accounts have no root credentials of their own: the management account enables centralized root access management and performs the few root tasks. Warden has no Organizations, so every account is standalone; prowler reports nothing for a standalone account, and Warden says so as INFO. The root user's own checks (`root-access-keys`, `root-mfa`, `root-recent-use`) apply instead.",
            references: ["prowler iam_root_credentials_management_enabled"],
            fix: "In an AWS organization: `aws iam enable-organizations-root-credentials-management` in the management account. In Warden, protect the root user directly (MFA, no access keys, no daily use)."
        ) { c in
            [.info(c.accountResource, "Account `\(c.account)` is standalone: Warden has no AWS Organizations, so centralized root credentials management does not apply.")]
        },
    ]
}
