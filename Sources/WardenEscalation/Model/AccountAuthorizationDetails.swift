import WardenPolicy

/// An account's IAM configuration as `GetAccountAuthorizationDetails` returns it (what
/// `aws iam get-account-authorization-details` prints): users, groups, roles and managed policies with every
/// policy document. Decodes AWS's JSON (the PascalCase field names) and ignores fields the analysis does not
/// read (dates, last-used data, `Marker`, …). Policy documents may be JSON objects (the AWS CLI's form) or
/// strings, URL-encoded (the raw API's form) or not.
public struct AccountAuthorizationDetails: Sendable, Equatable, Decodable {
    /// `UserDetailList`.
    public var users: [User]
    /// `GroupDetailList`.
    public var groups: [Group]
    /// `RoleDetailList`.
    public var roles: [Role]
    /// `Policies`: the managed policies (customer managed, and AWS managed ones when the listing includes them).
    public var policies: [ManagedPolicy]

    /// Creates a description of an account.
    public init(users: [User] = [], groups: [Group] = [], roles: [Role] = [], policies: [ManagedPolicy] = []) {
        self.users = users
        self.groups = groups
        self.roles = roles
        self.policies = policies
    }

    enum CodingKeys: String, CodingKey {
        case users = "UserDetailList", groups = "GroupDetailList", roles = "RoleDetailList", policies = "Policies"
    }

    /// Decodes AWS's JSON; absent lists are empty.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        users = try c.decodeIfPresent([User].self, forKey: .users) ?? []
        groups = try c.decodeIfPresent([Group].self, forKey: .groups) ?? []
        roles = try c.decodeIfPresent([Role].self, forKey: .roles) ?? []
        policies = try c.decodeIfPresent([ManagedPolicy].self, forKey: .policies) ?? []
    }

    /// An IAM user (`UserDetail`).
    public struct User: Sendable, Equatable, Decodable {
        /// `Path`.
        public var path: String
        /// `UserName`.
        public var name: String
        /// `UserId` (`AIDA…`).
        public var id: String
        /// `Arn`.
        public var arn: String
        /// `GroupList`: the names of the groups the user belongs to.
        public var groups: [String]
        /// `UserPolicyList`.
        public var inlinePolicies: [InlinePolicy]
        /// `AttachedManagedPolicies`.
        public var attachedPolicies: [AttachedPolicy]
        /// `PermissionsBoundary`.
        public var permissionsBoundary: PermissionsBoundary?
        /// `Tags`.
        public var tags: [Tag]

        /// Creates a user.
        public init(path: String = "/", name: String, id: String = "", arn: String, groups: [String] = [],
                    inlinePolicies: [InlinePolicy] = [], attachedPolicies: [AttachedPolicy] = [],
                    permissionsBoundary: PermissionsBoundary? = nil, tags: [Tag] = []) {
            self.path = path
            self.name = name
            self.id = id
            self.arn = arn
            self.groups = groups
            self.inlinePolicies = inlinePolicies
            self.attachedPolicies = attachedPolicies
            self.permissionsBoundary = permissionsBoundary
            self.tags = tags
        }

        enum CodingKeys: String, CodingKey {
            case path = "Path", name = "UserName", id = "UserId", arn = "Arn", groups = "GroupList"
            case inlinePolicies = "UserPolicyList", attachedPolicies = "AttachedManagedPolicies"
            case permissionsBoundary = "PermissionsBoundary", tags = "Tags"
        }

        /// Decodes a `UserDetail`.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            path = try c.decodeIfPresent(String.self, forKey: .path) ?? "/"
            name = try c.decode(String.self, forKey: .name)
            id = try c.decodeIfPresent(String.self, forKey: .id) ?? ""
            arn = try c.decode(String.self, forKey: .arn)
            groups = try c.decodeIfPresent([String].self, forKey: .groups) ?? []
            inlinePolicies = try c.decodeIfPresent([InlinePolicy].self, forKey: .inlinePolicies) ?? []
            attachedPolicies = try c.decodeIfPresent([AttachedPolicy].self, forKey: .attachedPolicies) ?? []
            permissionsBoundary = try c.decodeIfPresent(PermissionsBoundary.self, forKey: .permissionsBoundary)
            tags = try c.decodeIfPresent([Tag].self, forKey: .tags) ?? []
        }
    }

    /// An IAM group (`GroupDetail`).
    public struct Group: Sendable, Equatable, Decodable {
        /// `Path`.
        public var path: String
        /// `GroupName`.
        public var name: String
        /// `GroupId`.
        public var id: String
        /// `Arn`.
        public var arn: String
        /// `GroupPolicyList`.
        public var inlinePolicies: [InlinePolicy]
        /// `AttachedManagedPolicies`.
        public var attachedPolicies: [AttachedPolicy]

        /// Creates a group.
        public init(path: String = "/", name: String, id: String = "", arn: String, inlinePolicies: [InlinePolicy] = [],
                    attachedPolicies: [AttachedPolicy] = []) {
            self.path = path
            self.name = name
            self.id = id
            self.arn = arn
            self.inlinePolicies = inlinePolicies
            self.attachedPolicies = attachedPolicies
        }

        enum CodingKeys: String, CodingKey {
            case path = "Path", name = "GroupName", id = "GroupId", arn = "Arn"
            case inlinePolicies = "GroupPolicyList", attachedPolicies = "AttachedManagedPolicies"
        }

        /// Decodes a `GroupDetail`.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            path = try c.decodeIfPresent(String.self, forKey: .path) ?? "/"
            name = try c.decode(String.self, forKey: .name)
            id = try c.decodeIfPresent(String.self, forKey: .id) ?? ""
            arn = try c.decode(String.self, forKey: .arn)
            inlinePolicies = try c.decodeIfPresent([InlinePolicy].self, forKey: .inlinePolicies) ?? []
            attachedPolicies = try c.decodeIfPresent([AttachedPolicy].self, forKey: .attachedPolicies) ?? []
        }
    }

    /// An IAM role (`RoleDetail`).
    public struct Role: Sendable, Equatable, Decodable {
        /// `Path`.
        public var path: String
        /// `RoleName`.
        public var name: String
        /// `RoleId` (`AROA…`).
        public var id: String
        /// `Arn`.
        public var arn: String
        /// `AssumeRolePolicyDocument`: the trust policy.
        public var trustPolicy: PolicyText?
        /// `InstanceProfileList`.
        public var instanceProfiles: [InstanceProfile]
        /// `RolePolicyList`.
        public var inlinePolicies: [InlinePolicy]
        /// `AttachedManagedPolicies`.
        public var attachedPolicies: [AttachedPolicy]
        /// `PermissionsBoundary`.
        public var permissionsBoundary: PermissionsBoundary?
        /// `Tags`.
        public var tags: [Tag]

        /// Creates a role.
        public init(path: String = "/", name: String, id: String = "", arn: String, trustPolicy: PolicyText?,
                    instanceProfiles: [InstanceProfile] = [], inlinePolicies: [InlinePolicy] = [],
                    attachedPolicies: [AttachedPolicy] = [], permissionsBoundary: PermissionsBoundary? = nil,
                    tags: [Tag] = []) {
            self.path = path
            self.name = name
            self.id = id
            self.arn = arn
            self.trustPolicy = trustPolicy
            self.instanceProfiles = instanceProfiles
            self.inlinePolicies = inlinePolicies
            self.attachedPolicies = attachedPolicies
            self.permissionsBoundary = permissionsBoundary
            self.tags = tags
        }

        enum CodingKeys: String, CodingKey {
            case path = "Path", name = "RoleName", id = "RoleId", arn = "Arn", trustPolicy = "AssumeRolePolicyDocument"
            case instanceProfiles = "InstanceProfileList", inlinePolicies = "RolePolicyList"
            case attachedPolicies = "AttachedManagedPolicies", permissionsBoundary = "PermissionsBoundary", tags = "Tags"
        }

        /// Decodes a `RoleDetail`.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            path = try c.decodeIfPresent(String.self, forKey: .path) ?? "/"
            name = try c.decode(String.self, forKey: .name)
            id = try c.decodeIfPresent(String.self, forKey: .id) ?? ""
            arn = try c.decode(String.self, forKey: .arn)
            trustPolicy = try c.decodeIfPresent(PolicyText.self, forKey: .trustPolicy)
            instanceProfiles = try c.decodeIfPresent([InstanceProfile].self, forKey: .instanceProfiles) ?? []
            inlinePolicies = try c.decodeIfPresent([InlinePolicy].self, forKey: .inlinePolicies) ?? []
            attachedPolicies = try c.decodeIfPresent([AttachedPolicy].self, forKey: .attachedPolicies) ?? []
            permissionsBoundary = try c.decodeIfPresent(PermissionsBoundary.self, forKey: .permissionsBoundary)
            tags = try c.decodeIfPresent([Tag].self, forKey: .tags) ?? []
        }
    }

    /// A managed policy with its versions (`ManagedPolicyDetail`).
    public struct ManagedPolicy: Sendable, Equatable, Decodable {
        /// `PolicyName`.
        public var name: String
        /// `Arn`.
        public var arn: String
        /// `DefaultVersionId`.
        public var defaultVersionID: String?
        /// `PolicyVersionList`.
        public var versions: [PolicyVersion]

        /// Creates a managed policy.
        public init(name: String, arn: String, defaultVersionID: String? = nil, versions: [PolicyVersion]) {
            self.name = name
            self.arn = arn
            self.defaultVersionID = defaultVersionID
            self.versions = versions
        }

        enum CodingKeys: String, CodingKey {
            case name = "PolicyName", arn = "Arn", defaultVersionID = "DefaultVersionId", versions = "PolicyVersionList"
        }

        /// Decodes a `ManagedPolicyDetail`.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            arn = try c.decode(String.self, forKey: .arn)
            defaultVersionID = try c.decodeIfPresent(String.self, forKey: .defaultVersionID)
            versions = try c.decodeIfPresent([PolicyVersion].self, forKey: .versions) ?? []
        }

        /// The default version: the one flagged `IsDefaultVersion`, else the one `DefaultVersionId` names.
        public var defaultVersion: PolicyVersion? {
            versions.first { $0.isDefault } ?? versions.first { $0.versionID == defaultVersionID }
        }
    }

    /// One version of a managed policy (`PolicyVersion`).
    public struct PolicyVersion: Sendable, Equatable, Decodable {
        /// `Document`.
        public var document: PolicyText?
        /// `VersionId` (`v1`, `v2`, …).
        public var versionID: String
        /// `IsDefaultVersion`.
        public var isDefault: Bool

        /// Creates a version.
        public init(document: PolicyText?, versionID: String, isDefault: Bool) {
            self.document = document
            self.versionID = versionID
            self.isDefault = isDefault
        }

        enum CodingKeys: String, CodingKey { case document = "Document", versionID = "VersionId", isDefault = "IsDefaultVersion" }

        /// Decodes a `PolicyVersion`.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            document = try c.decodeIfPresent(PolicyText.self, forKey: .document)
            versionID = try c.decodeIfPresent(String.self, forKey: .versionID) ?? ""
            isDefault = try c.decodeIfPresent(Bool.self, forKey: .isDefault) ?? false
        }
    }

    /// An inline policy (`PolicyDetail`).
    public struct InlinePolicy: Sendable, Equatable, Decodable {
        /// `PolicyName`.
        public var name: String
        /// `PolicyDocument`.
        public var document: PolicyText
        /// Creates an inline policy.
        public init(name: String, document: PolicyText) { self.name = name; self.document = document }
        enum CodingKeys: String, CodingKey { case name = "PolicyName", document = "PolicyDocument" }
    }

    /// A managed policy attached to a user, group or role (`AttachedPolicy`).
    public struct AttachedPolicy: Sendable, Equatable, Decodable {
        /// `PolicyName`.
        public var name: String
        /// `PolicyArn`.
        public var arn: String
        /// Creates an attachment.
        public init(name: String, arn: String) { self.name = name; self.arn = arn }
        enum CodingKeys: String, CodingKey { case name = "PolicyName", arn = "PolicyArn" }
    }

    /// A permissions boundary (`AttachedPermissionsBoundary`).
    public struct PermissionsBoundary: Sendable, Equatable, Decodable {
        /// `PermissionsBoundaryArn`.
        public var arn: String
        /// Creates a boundary.
        public init(arn: String) { self.arn = arn }
        enum CodingKeys: String, CodingKey { case arn = "PermissionsBoundaryArn" }
    }

    /// An instance profile a role belongs to (`InstanceProfile`, its `Roles` not kept).
    public struct InstanceProfile: Sendable, Equatable, Decodable {
        /// `InstanceProfileName`.
        public var name: String
        /// `Arn`.
        public var arn: String
        /// Creates an instance profile.
        public init(name: String, arn: String) { self.name = name; self.arn = arn }
        enum CodingKeys: String, CodingKey { case name = "InstanceProfileName", arn = "Arn" }
    }

    /// A tag.
    public struct Tag: Sendable, Equatable, Decodable {
        /// `Key`.
        public var key: String
        /// `Value`.
        public var value: String
        /// Creates a tag.
        public init(key: String, value: String) { self.key = key; self.value = value }
        enum CodingKeys: String, CodingKey { case key = "Key", value = "Value" }
    }
}
