import KlaxonConfig
import KlaxonMetrics
import KlaxonPromQL

/// Which label rules a rule file must follow besides Prometheus's own.
package enum RuleLabelPolicy: Sendable, Equatable {
    /// Klaxon's routing needs `severity: P0…P3` on every alerting rule (`serve`, `check rules`).
    case klaxon
    /// Prometheus's rulefmt checks only, for peer rule packs and conformance data.
    case prometheusCompatible
}

/// How a rule file is read.
package struct RuleLoadOptions: Sendable, Equatable {
    package var policy: RuleLabelPolicy
    /// Interval of a group without `interval:`, in milliseconds (config `evaluation_interval`).
    package var defaultInterval: Int64

    package init(policy: RuleLabelPolicy = .klaxon, defaultInterval: Int64 = 1000) {
        self.policy = policy
        self.defaultInterval = defaultInterval
    }

    /// Klaxon's own loading: severity policy on.
    package static let klaxon = RuleLoadOptions()
}

/// One rule as loaded: the parsed expression and where it was written.
package struct RuleDefinition: Sendable {
    /// The rule's kind with its validated contents.
    package enum Kind: Sendable {
        case alerting(AlertingRule)
        case recording(RecordingRule)
    }

    package let kind: Kind
    /// The expression, parsed and inside the subset.
    package let expr: Expr
    /// Where the rule starts in its file.
    package let mark: Mark

    /// `alert:` or `record:` name.
    package var name: String {
        switch kind {
        case .alerting(let rule): rule.name
        case .recording(let rule): rule.name
        }
    }

    /// The expression as written.
    package var expression: String {
        switch kind {
        case .alerting(let rule): rule.expression
        case .recording(let rule): rule.expression
        }
    }

    /// What identifies the rule across a reload: kind, name, expression and labels as written.
    package var identity: String {
        switch kind {
        case .alerting(let rule): "alert\u{0}\(rule.name)\u{0}\(rule.expression)\u{0}\(rule.rawLabels)"
        case .recording(let rule): "record\u{0}\(rule.name)\u{0}\(rule.expression)\u{0}\(rule.labels)"
        }
    }
}

/// One `groups:` entry as loaded.
package struct RuleGroupDefinition: Sendable {
    /// The file the group came from, as given to the loader.
    package let file: String
    package let name: String
    /// Evaluation interval in milliseconds (`interval:` or the default).
    package let interval: Int64
    /// Most alerts or series one rule may produce; 0 means no limit.
    package let limit: Int
    /// Klaxon extension `eval_on_push:` (default true): evaluate as soon as a series it reads changes.
    package let evalOnPush: Bool
    package let rules: [RuleDefinition]

    /// The metric names the group reads, or nil when some rule may read any series.
    package var metricNames: Set<String>? {
        var names: Set<String> = []
        for rule in rules {
            guard let read = rule.expr.metricNames else { return nil }
            names.formUnion(read)
        }
        return names
    }

    /// The key a group is known by across reloads: file and name.
    package var key: RuleGroupKey { RuleGroupKey(file: file, name: name) }
}

/// A group's identity: its file and its name (two files may hold groups of the same name).
package struct RuleGroupKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    package var file: String
    package var name: String

    package init(file: String, name: String) {
        self.file = file
        self.name = name
    }

    package static func < (lhs: RuleGroupKey, rhs: RuleGroupKey) -> Bool {
        (lhs.file, lhs.name) < (rhs.file, rhs.name)
    }

    /// `file;group`, as Prometheus keys its groups.
    package var description: String { "\(file);\(name)" }
}

/// A loaded rule file: its groups.
package struct RuleFile: Sendable {
    package let file: String
    package let groups: [RuleGroupDefinition]

    /// Number of rules loaded across all groups.
    package var ruleCount: Int { groups.reduce(0) { $0 + $1.rules.count } }
}
