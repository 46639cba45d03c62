import Foundation

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
/// Regexes are fully anchored, as Prometheus anchors them. A missing label matches as the
/// empty string, so `{foo=""}` selects series without `foo`.
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
        guard let matched = regex.matches(labelValue, interruptWhen: { budget.isPastDeadline }) else {
            throw .timeout
        }
        return type == .regexMatch ? matched : !matched
    }

    /// True when one `matches` call may take long: a regex that is not `.*`, `.+` or a list of
    /// literals runs on a backtracking engine. Selection matches these outside the store's lock.
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

/// A regex anchored at both ends, with fast paths for the shapes rules use most.
final class AnchoredRegex: Sendable {
    private enum Shape {
        case anything
        case nonEmpty
        case literals(Set<String>)
        case general
    }

    private let shape: Shape
    private let compiled: NSRegularExpression?

    init(_ pattern: String) throws(LabelMatcherError) {
        if pattern == ".*" {
            shape = .anything
        } else if pattern == ".+" {
            shape = .nonEmpty
        } else if let literals = AnchoredRegex.literalAlternatives(pattern) {
            shape = .literals(literals)
        } else {
            shape = .general
        }
        do {
            compiled = try NSRegularExpression(pattern: "^(?:" + pattern + ")$", options: [.dotMatchesLineSeparators])
        } catch {
            throw LabelMatcherError(description: "it does not compile")
        }
    }

    /// Whether matching runs the compiled regex rather than a fast path.
    var isGeneral: Bool {
        if case .general = shape { return true }
        return false
    }

    func matches(_ text: String) -> Bool {
        switch shape {
        case .anything: return true
        case .nonEmpty: return !text.isEmpty
        case .literals(let set): return set.contains(text)
        case .general:
            guard let compiled else { return false }
            let range = NSRange(text.startIndex..<text.endIndex, in: text)
            return compiled.firstMatch(in: text, options: [], range: range) != nil
        }
    }

    /// `matches(_:)`, but a long match asks `interrupt` now and then (ICU's progress callback)
    /// and gives up when it returns true: nil then.
    func matches(_ text: String, interruptWhen interrupt: () -> Bool) -> Bool? {
        guard case .general = shape, let compiled else { return matches(text) }
        var matched = false
        var interrupted = false
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        // The enumeration is synchronous; Foundation only declares its block escaping.
        withoutActuallyEscaping(interrupt) { interrupt in
            compiled.enumerateMatches(in: text, options: [.reportProgress], range: range) { result, _, stop in
                if result != nil {
                    matched = true
                    stop.pointee = true
                } else if interrupt() {
                    interrupted = true
                    stop.pointee = true
                }
            }
        }
        return interrupted ? nil : matched
    }

    /// `a|b|c` with no metacharacters becomes a set lookup.
    private static func literalAlternatives(_ pattern: String) -> Set<String>? {
        let meta = Set("\\.^$*+?()[]{}".unicodeScalars)
        guard !pattern.unicodeScalars.contains(where: { meta.contains($0) }) else { return nil }
        return Set(pattern.split(separator: "|", omittingEmptySubsequences: false).map(String.init))
    }
}
