import KlaxonRegex

/// How a label matcher compares: `=`, `!=`, `=~`, `!~`.
package enum MatchType: String, Sendable, CaseIterable {
    case equal = "="
    case notEqual = "!="
    case regexMatch = "=~"
    case regexNoMatch = "!~"
}

/// Errors building a matcher.
package struct LabelMatcherError: Error, CustomStringConvertible, Equatable {
    package var description: String
}

/// A condition on one label, as in a PromQL selector `{name=~"value"}`.
///
/// Regexes are fully anchored, as Prometheus anchors them (`^(?:value)$`, Go's RE2 syntax and
/// semantics, through KlaxonRegex). A missing label matches as the empty string, so `{foo=""}`
/// selects series without `foo`.
package struct LabelMatcher: Sendable, Hashable, CustomStringConvertible {
    package let name: String
    package let type: MatchType
    package let value: String
    private let regex: AnchoredRegex?
    /// True when the matcher accepts the empty string, i.e. also selects series without the label.
    /// Decided once here, so selection never runs the regex for it.
    package let matchesEmpty: Bool

    /// Builds a matcher; a regex that does not compile throws an error naming it.
    package init(_ name: String, _ type: MatchType, _ value: String) throws(LabelMatcherError) {
        self.name = name
        self.type = type
        self.value = value
        switch type {
        case .equal, .notEqual:
            regex = nil
        case .regexMatch, .regexNoMatch:
            do {
                regex = try AnchoredRegex(value)
            } catch {
                throw LabelMatcherError(
                    description: "invalid regular expression \"\(value)\" for label \(name): \(error.description)")
            }
        }
        matchesEmpty = Self.matches("", type: type, value: value, regex: regex)
    }

    /// True when `labelValue` (empty for a missing label) satisfies the matcher.
    package func matches(_ labelValue: String) -> Bool {
        Self.matches(labelValue, type: type, value: value, regex: regex)
    }

    private static func matches(_ labelValue: String, type: MatchType, value: String, regex: AnchoredRegex?) -> Bool {
        switch type {
        case .equal: labelValue == value
        case .notEqual: labelValue != value
        case .regexMatch: regex?.matches(labelValue) ?? false
        case .regexNoMatch: !(regex?.matches(labelValue) ?? false)
        }
    }

    /// `matches(_:)` for a query running within `budget`: a regex match still running at the
    /// budget's deadline is abandoned, so one long value cannot hold a query past its timeout.
    package func matches(_ labelValue: String, within budget: QueryBudget) throws(QueryLimitError) -> Bool {
        guard let regex, regex.isGeneral else { return matches(labelValue) }
        let matched: Bool
        do {
            matched = try regex.matches(labelValue, interrupt: { budget.isPastDeadline })
        } catch {
            throw .timeout
        }
        return type == .regexMatch ? matched : !matched
    }

    /// True when one `matches` call runs the automaton: a regex that is not a list of literals
    /// or literals joined by `.*`/`.+`. Linear in the value, but selection still matches these
    /// outside the store's lock.
    package var isCostly: Bool { regex?.isGeneral ?? false }

    /// True when the series with `labels` satisfies the matcher.
    package func matches(_ labels: Labels) -> Bool {
        matches(labels[name] ?? "")
    }

    package var description: String {
        "\(name)\(type.rawValue)\"\(LabelValueEscaping.escape(value))\""
    }

    package static func == (lhs: LabelMatcher, rhs: LabelMatcher) -> Bool {
        lhs.name == rhs.name && lhs.type == rhs.type && lhs.value == rhs.value
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(type)
        hasher.combine(value)
    }
}
