import KlaxonMetrics

extension RoutingConfiguration {
    static let keys = [
        "min_severity", "disabled_alerts", "group_by", "send_resolved", "skip_throttle", "severities", "inhibit_rules",
        "policy", "escalation",
    ]

    /// Decodes `routing:`; what is not set keeps its default, problems go to the reader's diagnostics.
    init(decoding reader: MappingReader) {
        self.init()
        if let severity = reader.severity("min_severity") { minSeverity = severity }
        if let names = reader.stringList("disabled_alerts") { disabledAlerts = names }
        if let labels = reader.stringList("group_by") {
            for label in labels where !MetricNames.isValidLabelName(label) {
                reader.fail(key: "group_by", "\"\(label)\" is not a label name ([a-zA-Z_][a-zA-Z0-9_]*)")
            }
            groupBy = labels
        }
        if let value = reader.bool("send_resolved") { sendResolved = value }
        if let value = reader.bool("skip_throttle") { skipThrottle = value }
        if let severities = reader.mapping("severities", allowedKeys: Severity.allCases.map(\.name)) {
            for severity in Severity.allCases {
                guard let entry = severities.mapping(severity.name, allowedKeys: SeverityTimings.keys) else { continue }
                timings[severity] = timings(for: severity).decoding(entry)
            }
        }
        if let rules = reader.sequence("inhibit_rules") {
            inhibitRules = rules.compactMap { item in
                item.mapping(allowedKeys: ["source_matchers", "target_matchers", "equal"]).flatMap(
                    InhibitRule.init(decoding:))
            }
        }
        if let environments = reader.mapping("policy", allowedKeys: DeploymentEnvironment.allCases.map(\.rawValue)) {
            for environment in DeploymentEnvironment.allCases {
                guard let entry = environments.mapping(environment.rawValue, allowedKeys: Severity.allCases.map(\.name))
                else { continue }
                for severity in Severity.allCases {
                    guard let names = entry.stringList(severity.name) else { continue }
                    policy.receivers[environment, default: [:]][severity] = names
                }
            }
        }
        if let entry = reader.mapping("escalation", allowedKeys: ["severities", "after", "max", "receivers"]) {
            if let items = entry.sequence("severities") { escalation.severities = items.compactMap { $0.severity() } }
            if let after = entry["after"]?.positiveDuration() { escalation.afterMilliseconds = after }
            if let max = entry.int("max", in: 0...100) { escalation.maxSteps = max }
            if let names = entry.stringList("receivers") { escalation.receivers = names }
        }
    }

    /// Every receiver name the policy and escalation refer to, with where, for checking against `receivers`.
    package var referencedReceivers: Set<String> {
        var names = Set(escalation.receivers)
        for bySeverity in policy.receivers.values { for list in bySeverity.values { names.formUnion(list) } }
        return names
    }
}

extension SeverityTimings {
    static let keys = ["group_wait", "group_interval", "repeat_interval", "rate_limit"]

    fileprivate func decoding(_ reader: MappingReader) -> SeverityTimings {
        var copy = self
        if let wait = reader.durationMilliseconds("group_wait") { copy.groupWait = wait }
        if let interval = reader.durationMilliseconds("group_interval") { copy.groupInterval = interval }
        if let repeating = reader["repeat_interval"]?.positiveDuration() { copy.repeatInterval = repeating }
        if let limit = reader.int("rate_limit", in: 0...100_000) { copy.rateLimitPerMinute = limit }
        return copy
    }
}

extension InhibitRule {
    fileprivate init?(decoding reader: MappingReader) {
        guard let sources = reader.required("source_matchers")?.matchers(),
            let targets = reader.required("target_matchers")?.matchers()
        else { return nil }
        if sources.isEmpty { reader.fail(key: "source_matchers", "list at least one matcher") }
        if targets.isEmpty { reader.fail(key: "target_matchers", "list at least one matcher") }
        let equal = reader.stringList("equal") ?? []
        for label in equal where !MetricNames.isValidLabelName(label) {
            reader.fail(key: "equal", "\"\(label)\" is not a label name ([a-zA-Z_][a-zA-Z0-9_]*)")
        }
        self.init(sourceMatchers: sources, targetMatchers: targets, equal: equal)
    }
}

extension ValueReader {
    /// A list of Alertmanager matchers (`alertname="X"`, `severity=~"P0|P1"`); nil when any is bad
    /// (each bad one is reported).
    package func matchers() -> [LabelMatcher]? {
        guard let items = sequence() else { return nil }
        let matchers = items.compactMap { item -> LabelMatcher? in
            guard let text = item.string() else { return nil }
            switch Result(catching: { () throws(LabelMatcherError) in try LabelMatcher(parsing: text) }) {
            case .success(let matcher): return matcher
            case .failure(let error):
                item.fail(error.description)
                return nil
            }
        }
        return matchers.count == items.count ? matchers : nil
    }

    /// `P0` … `P3`.
    package func severity() -> Severity? {
        oneOf(Severity.allCases.map(\.name)).flatMap(Severity.init(name:))
    }
}

extension MappingReader {
    /// `self[key]?.severity()`
    package func severity(_ key: String) -> Severity? { self[key]?.severity() }
}
