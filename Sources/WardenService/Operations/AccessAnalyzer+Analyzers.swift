import Foundation
import WardenCore
import WardenStore
import WardenWire

/// IAM Access Analyzer's analyzers and archive rules (`access-analyzer:*` on the analyzer's or rule's ARN).
///
/// Analyzers are regional, as in AWS: each lives in the region its request was signed for, and an account may have
/// one analyzer of each type per region (AWS's fixed quota). Creating an external-access analyzer analyses the
/// account's roles at once (see `AccessAnalysis`); creating an unused-access analyzer raises its findings from
/// the access advisor's data.
extension WardenService {
    static let maxArchiveRules = 100
    static let maxCriterionValues = 20

    static func analyzerARN(_ call: Call, _ name: String) -> String {
        "arn:aws:access-analyzer:\(call.meta.region):\(call.account):analyzer/\(name)"
    }

    static func archiveRuleARN(_ call: Call, _ analyzer: String, _ rule: String) -> String {
        analyzerARN(call, analyzer) + "/archive-rule/\(rule)"
    }

    /// The analyzer an ARN names, in the caller's account and region; nil when the ARN is not an analyzer's.
    static func analyzerName(fromARN arn: String, _ call: Call) -> String? {
        let prefix = "arn:aws:access-analyzer:\(call.meta.region):\(call.account):analyzer/"
        guard arn.hasPrefix(prefix) else { return nil }
        let name = String(arn.dropFirst(prefix.count))
        return name.isEmpty || name.contains("/") ? nil : name
    }

    /// The analyzer named, or AWS's `ResourceNotFoundException` (after authorization).
    static func analyzer(_ state: AccountState, _ call: Call, _ name: String) throws -> AnalyzerRecord {
        guard let a = state.analyzers[AnalyzerRecord.key(region: call.meta.region, name: name)] else {
            throw ServiceError(.resourceNotFound, "Analyzer not found", missingResource: analyzerARN(call, name))
        }
        return a
    }

    /// The analyzer an ARN names: `ValidationException` for an ARN that cannot be one, `ResourceNotFoundException`
    /// for one that does not exist.
    static func analyzer(arn: String, _ state: AccountState, _ call: Call) throws -> AnalyzerRecord {
        guard let name = analyzerName(fromARN: arn, call) else {
            throw ServiceError(.resourceNotFound, "Analyzer not found", missingResource: arn)
        }
        return try analyzer(state, call, name)
    }

    static func registerAnalyzers(_ r: inout Registry) {
        typealias AA = AccessAnalyzer
        r.restJSON(.accessAnalyzer, "CreateAnalyzer", authorize: .declared { (i: AA.CreateAnalyzerRequest, call) in
            [Requirement(analyzerARN(call, i.analyzerName), context: tagContext(i.tags))]
        }) { i, call -> AA.CreateAnalyzerResponse in
            let type = i.type.rawValue
            switch i.type {
            case .account, .accountUnusedAccess: break
            case .organization, .organizationUnusedAccess:
                throw ServiceError(.validationException, "The account \(call.account) is not the management account or a delegated administrator of an organization; create an ACCOUNT or ACCOUNT_UNUSED_ACCESS analyzer.")
            case .accountInternalAccess, .organizationInternalAccess:
                throw ServiceError(.validationException, "Analyzer type \(type) is not supported by Warden: it analyses access to resources of other AWS services that Warden does not hold.")
            }
            if i.configuration?.unusedAccess != nil && i.type != .accountUnusedAccess {
                throw ServiceError(.validationException, "Unused access configuration is only valid for unused access analyzers.")
            }
            let unused = i.configuration?.unusedAccess
            if let age = unused?.unusedAccessAge, !(1...365).contains(age) {
                throw ServiceError(.validationException, "unusedAccessAge must be between 1 and 365 days.")
            }
            try validateArchiveRules(i.archiveRules ?? [])
            var record = AnalyzerRecord(
                name: i.analyzerName, region: call.meta.region, type: type, createdAt: call.now, tags: i.tags ?? [:],
                unusedAccessAge: i.type == .accountUnusedAccess ? (unused?.unusedAccessAge ?? 90) : nil,
                excludedAccounts: unused?.analysisRule?.exclusions?.flatMap { $0.accountIds ?? [] } ?? [],
                excludedTags: unused?.analysisRule?.exclusions?.flatMap { $0.resourceTags ?? [] } ?? [])
            record.archiveRules = (i.archiveRules ?? []).map {
                ArchiveRuleRecord(name: $0.ruleName, filter: criteria($0.filter), createdAt: call.now, updatedAt: call.now)
            }
            let arn = analyzerARN(call, i.analyzerName)
            try call.write { state in
                if state.analyzers[record.key] != nil {
                    throw ServiceError(.conflictException, "Analyzer \(i.analyzerName) already exists", missingResource: arn)
                }
                if state.analyzers.values.contains(where: { $0.region == record.region && $0.type == type }) {
                    throw ServiceError(.serviceQuotaExceeded, "You have reached the quota of 1 \(type) analyzer per account per Region.")
                }
                state.analyzers[record.key] = record
            }
            call.service.accessAnalysis.requestScan(account: call.account)
            return AA.CreateAnalyzerResponse(arn: arn)
        }
        r.restJSON(.accessAnalyzer, "GetAnalyzer", authorize: .resource { (i: AA.GetAnalyzerRequest, call) in
            analyzerARN(call, i.analyzerName)
        }) { i, call -> AA.GetAnalyzerResponse in
            AA.GetAnalyzerResponse(analyzer: wire(try analyzer(try call.state(), call, i.analyzerName), call))
        }
        r.restJSON(.accessAnalyzer, "ListAnalyzers", authorize: .anyResource) { (i: AA.ListAnalyzersRequest, call) -> AA.ListAnalyzersResponse in
            let all = try call.state().analyzers.values.filter { $0.region == call.meta.region && (i.type == nil || $0.type == i.type!.rawValue) }
            let page = try tokenPage(all, key: \.name, token: i.nextToken, maxResults: i.maxResults)
            return AA.ListAnalyzersResponse(analyzers: page.items.map { wire($0, call) }, nextToken: page.marker)
        }
        r.restJSON(.accessAnalyzer, "DeleteAnalyzer", authorize: .resource { (i: AA.DeleteAnalyzerRequest, call) in
            analyzerARN(call, i.analyzerName)
        }) { i, call in
            try call.write { state in
                let a = try analyzer(state, call, i.analyzerName)
                state.analyzers[a.key] = nil
                for f in state.analyzerFindings.values where f.analyzer == a.key { state.analyzerFindings[f.id] = nil }
                for r in state.analyzedResources.values where r.analyzer == a.key { state.analyzedResources[r.key] = nil }
                call.service.accessAnalysis.previews.forget(account: call.account, analyzer: a.key)
            }
        }
        r.restJSON(.accessAnalyzer, "UpdateAnalyzer", authorize: .resource { (i: AA.UpdateAnalyzerRequest, call) in
            analyzerARN(call, i.analyzerName)
        }) { i, call -> AA.UpdateAnalyzerResponse in
            let updated = try call.write { state -> AnalyzerRecord in
                var a = try analyzer(state, call, i.analyzerName)
                if let unused = i.configuration?.unusedAccess {
                    guard a.type == "ACCOUNT_UNUSED_ACCESS" || a.type == "ORGANIZATION_UNUSED_ACCESS" else {
                        throw ServiceError(.validationException, "Unused access configuration is only valid for unused access analyzers.")
                    }
                    if unused.unusedAccessAge != nil {
                        throw ServiceError(.validationException, "unusedAccessAge cannot be changed after the analyzer is created.")
                    }
                    a.excludedAccounts = unused.analysisRule?.exclusions?.flatMap { $0.accountIds ?? [] } ?? []
                    a.excludedTags = unused.analysisRule?.exclusions?.flatMap { $0.resourceTags ?? [] } ?? []
                } else if i.configuration?.internalAccess != nil {
                    throw ServiceError(.validationException, "Internal access configuration is only valid for internal access analyzers.")
                }
                state.analyzers[a.key] = a
                return a
            }
            call.service.accessAnalysis.requestScan(account: call.account)
            return AA.UpdateAnalyzerResponse(configuration: configuration(updated))
        }
        registerArchiveRules(&r)
        registerAnalyzerTags(&r)
    }

    static func tagContext(_ tags: [String: String]?) -> [String: [String]] {
        guard let tags, !tags.isEmpty else { return [:] }
        var context: [String: [String]] = ["aws:TagKeys": tags.keys.sorted()]
        for (k, v) in tags { context["aws:RequestTag/\(k)"] = [v] }
        return context
    }

    static func criteria(_ filter: [String: AccessAnalyzer.Criterion]) -> [String: FindingCriterion] {
        filter.mapValues { FindingCriterion(eq: $0.eq, neq: $0.neq, contains: $0.contains, exists: $0.exists) }
    }

    static func wire(_ filter: [String: FindingCriterion]) -> [String: AccessAnalyzer.Criterion] {
        filter.mapValues { AccessAnalyzer.Criterion(eq: $0.eq, neq: $0.neq, contains: $0.contains, exists: $0.exists) }
    }

    /// AWS's checks on archive rules and filters: a criterion has one operator at least and at most 20 values.
    static func validateFilter(_ filter: [String: AccessAnalyzer.Criterion]) throws {
        for (key, c) in filter {
            let values = (c.eq ?? []) + (c.neq ?? []) + (c.contains ?? [])
            if values.isEmpty && c.exists == nil {
                throw ServiceError(.validationException, "Filter criterion \(key) must specify eq, neq, contains or exists.")
            }
            for list in [c.eq, c.neq, c.contains] where (list?.count ?? 0) > maxCriterionValues {
                throw ServiceError(.validationException, "Filter criterion \(key) has more than \(maxCriterionValues) values.")
            }
            guard FindingFilter.isKnownKey(key) else {
                throw ServiceError(.validationException, "Invalid filter key: \(key).")
            }
        }
    }

    static func validateArchiveRules(_ rules: [AccessAnalyzer.InlineArchiveRule]) throws {
        if rules.count > maxArchiveRules {
            throw ServiceError(.serviceQuotaExceeded, "An analyzer can have at most \(maxArchiveRules) archive rules.")
        }
        var names = Set<String>()
        for rule in rules {
            guard names.insert(rule.ruleName).inserted else {
                throw ServiceError(.validationException, "Archive rule \(rule.ruleName) is specified more than once.")
            }
            try validateFilter(rule.filter)
        }
    }

    static func wire(_ a: AnalyzerRecord, _ call: Call) -> AccessAnalyzer.AnalyzerSummary {
        AccessAnalyzer.AnalyzerSummary(
            arn: analyzerARN(call, a.name), name: a.name, type: AccessAnalyzer.TypeShape(rawValue: a.type) ?? .account,
            createdAt: a.createdAt, lastResourceAnalyzed: a.lastResourceAnalyzed, lastResourceAnalyzedAt: a.lastResourceAnalyzedAt,
            tags: a.tags, status: .active, configuration: configuration(a))
    }

    /// The analyzer's configuration as the API shows it (unused-access analyzers only).
    static func configuration(_ a: AnalyzerRecord) -> AccessAnalyzer.AnalyzerConfiguration? {
        guard let age = a.unusedAccessAge else { return nil }
        var exclusions: [AccessAnalyzer.AnalysisRuleCriteria] = []
        if !a.excludedAccounts.isEmpty { exclusions.append(.init(accountIds: a.excludedAccounts)) }
        if !a.excludedTags.isEmpty { exclusions.append(.init(resourceTags: a.excludedTags)) }
        return AccessAnalyzer.AnalyzerConfiguration(unusedAccess: .init(
            unusedAccessAge: age, analysisRule: exclusions.isEmpty ? nil : .init(exclusions: exclusions)))
    }

    /// A page of items by a unique string key, with an opaque `nextToken` (Access Analyzer's pagination).
    static func tokenPage<Item>(_ items: [Item], key: (Item) -> String, token: String?, maxResults: Int?) throws -> Page<Item> {
        do {
            return try Page(items, key: key, marker: token, maxItems: maxResults ?? 100)
        } catch {
            throw ServiceError(.validationException, "Invalid nextToken.")
        }
    }
}

/// Archive rules: created with the analyzer or afterwards, applied to new findings as they are raised and to
/// existing ones with ApplyArchiveRule.
extension WardenService {
    static func registerArchiveRules(_ r: inout Registry) {
        typealias AA = AccessAnalyzer
        r.restJSON(.accessAnalyzer, "CreateArchiveRule", authorize: .resource { (i: AA.CreateArchiveRuleRequest, call) in
            archiveRuleARN(call, i.analyzerName, i.ruleName)
        }) { i, call in
            try validateFilter(i.filter)
            try call.write { state in
                var a = try analyzer(state, call, i.analyzerName)
                if a.archiveRules.contains(where: { $0.name == i.ruleName }) {
                    throw ServiceError(.conflictException, "Archive rule \(i.ruleName) already exists",
                                       missingResource: archiveRuleARN(call, i.analyzerName, i.ruleName))
                }
                if a.archiveRules.count >= maxArchiveRules {
                    throw ServiceError(.serviceQuotaExceeded, "An analyzer can have at most \(maxArchiveRules) archive rules.")
                }
                let rule = ArchiveRuleRecord(name: i.ruleName, filter: criteria(i.filter), createdAt: call.now, updatedAt: call.now)
                a.archiveRules.append(rule)
                state.analyzers[a.key] = a
                // New findings that match are archived as they are raised; existing ones with ApplyArchiveRule.
            }
        }
        r.restJSON(.accessAnalyzer, "GetArchiveRule", authorize: .resource { (i: AA.GetArchiveRuleRequest, call) in
            archiveRuleARN(call, i.analyzerName, i.ruleName)
        }) { i, call -> AA.GetArchiveRuleResponse in
            let a = try analyzer(try call.state(), call, i.analyzerName)
            return AA.GetArchiveRuleResponse(archiveRule: wire(a.archiveRules[try archiveRuleIndex(a, i.ruleName, call)]))
        }
        r.restJSON(.accessAnalyzer, "ListArchiveRules", authorize: .resource { (i: AA.ListArchiveRulesRequest, call) in
            analyzerARN(call, i.analyzerName)
        }) { i, call -> AA.ListArchiveRulesResponse in
            let a = try analyzer(try call.state(), call, i.analyzerName)
            let page = try tokenPage(a.archiveRules, key: \.name, token: i.nextToken, maxResults: i.maxResults)
            return AA.ListArchiveRulesResponse(archiveRules: page.items.map(wire), nextToken: page.marker)
        }
        r.restJSON(.accessAnalyzer, "UpdateArchiveRule", authorize: .resource { (i: AA.UpdateArchiveRuleRequest, call) in
            archiveRuleARN(call, i.analyzerName, i.ruleName)
        }) { i, call in
            try validateFilter(i.filter)
            try call.write { state in
                var a = try analyzer(state, call, i.analyzerName)
                let index = try archiveRuleIndex(a, i.ruleName, call)
                a.archiveRules[index].filter = criteria(i.filter)
                a.archiveRules[index].updatedAt = call.now
                state.analyzers[a.key] = a
            }
        }
        r.restJSON(.accessAnalyzer, "DeleteArchiveRule", authorize: .resource { (i: AA.DeleteArchiveRuleRequest, call) in
            archiveRuleARN(call, i.analyzerName, i.ruleName)
        }) { i, call in
            try call.write { state in
                var a = try analyzer(state, call, i.analyzerName)
                let index = try archiveRuleIndex(a, i.ruleName, call)
                a.archiveRules.remove(at: index)
                state.analyzers[a.key] = a
            }
        }
        r.restJSON(.accessAnalyzer, "ApplyArchiveRule", authorize: .resource { (i: AA.ApplyArchiveRuleRequest, call) in
            i.analyzerArn
        }) { i, call in
            try call.write { state in
                let a = try analyzer(arn: i.analyzerArn, state, call)
                guard let rule = a.archiveRules.first(where: { $0.name == i.ruleName }) else {
                    throw ServiceError(.resourceNotFound, "Archive rule not found", missingResource: i.analyzerArn + "/archive-rule/\(i.ruleName)")
                }
                for f in state.analyzerFindings.values where f.analyzer == a.key && f.status == "ACTIVE"
                    && FindingFilter.matches(f, rule.filter) {
                    var archived = f
                    archived.status = "ARCHIVED"
                    archived.updatedAt = call.now
                    state.analyzerFindings[f.id] = archived
                }
            }
        }
    }

    /// The position of an analyzer's archive rule, or AWS's `ResourceNotFoundException`.
    static func archiveRuleIndex(_ a: AnalyzerRecord, _ rule: String, _ call: Call) throws -> Int {
        guard let index = a.archiveRules.firstIndex(where: { $0.name == rule }) else {
            throw ServiceError(.resourceNotFound, "Archive rule not found", missingResource: archiveRuleARN(call, a.name, rule))
        }
        return index
    }

    static func wire(_ r: ArchiveRuleRecord) -> AccessAnalyzer.ArchiveRuleSummary {
        AccessAnalyzer.ArchiveRuleSummary(ruleName: r.name, filter: wire(r.filter), createdAt: r.createdAt, updatedAt: r.updatedAt)
    }
}

/// Tags on analyzers: TagResource, UntagResource, ListTagsForResource.
extension WardenService {
    static func registerAnalyzerTags(_ r: inout Registry) {
        typealias AA = AccessAnalyzer
        r.restJSON(.accessAnalyzer, "TagResource", authorize: .declared { (i: AA.TagResourceRequest, call) in
            [Requirement(i.resourceArn, context: tagContext(i.tags))]
        }) { i, call in
            try call.write { state in
                var a = try analyzer(arn: i.resourceArn, state, call)
                for (k, v) in i.tags { a.tags[k] = v }
                if a.tags.count > 50 { throw ServiceError(.validationException, "An analyzer can have at most 50 tags.") }
                state.analyzers[a.key] = a
            }
        }
        r.restJSON(.accessAnalyzer, "UntagResource", authorize: .declared { (i: AA.UntagResourceRequest, call) in
            [Requirement(i.resourceArn, context: ["aws:TagKeys": i.tagKeys])]
        }) { i, call in
            try call.write { state in
                var a = try analyzer(arn: i.resourceArn, state, call)
                for k in i.tagKeys { a.tags[k] = nil }
                state.analyzers[a.key] = a
            }
        }
        r.restJSON(.accessAnalyzer, "ListTagsForResource", authorize: .resource { (i: AA.ListTagsForResourceRequest, call) in
            i.resourceArn
        }) { i, call -> AA.ListTagsForResourceResponse in
            AA.ListTagsForResourceResponse(tags: try analyzer(arn: i.resourceArn, try call.state(), call).tags)
        }
    }
}
