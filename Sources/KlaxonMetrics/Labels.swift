/// One label: a name and its value.
package struct Label: Hashable, Sendable {
    package var name: String
    package var value: String

    package init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A set of labels kept sorted by name with unique names, the identity of a series.
///
/// The metric name travels as the `__name__` label, as in Prometheus. Two `Labels` are
/// equal when they hold the same pairs; ordering is Prometheus's (by name, then value,
/// pair by pair), which is also the stable order of series on `/metrics`.
package struct Labels: Hashable, Sendable, Comparable, RandomAccessCollection, CustomStringConvertible {
    /// The label that carries the metric name.
    package static let metricNameLabel = "__name__"

    package private(set) var pairs: [Label]

    /// Builds a label set; later duplicates of a name win, empty values are dropped as in Prometheus.
    package init(_ labels: [Label]) {
        var sorted = labels.filter { !$0.value.isEmpty }
        sorted.sort { $0.name < $1.name }
        var unique: [Label] = []
        unique.reserveCapacity(sorted.count)
        for label in sorted {
            if let last = unique.last, last.name == label.name {
                unique[unique.count - 1] = label
            } else {
                unique.append(label)
            }
        }
        pairs = unique
    }

    package init(_ dictionary: [String: String]) {
        self.init(dictionary.map { Label($0.key, $0.value) })
    }

    /// Builds from pairs already sorted by name with unique names and no empty values.
    package init(sortedUnchecked pairs: [Label]) {
        self.pairs = pairs
    }

    package static let empty = Labels(sortedUnchecked: [])

    package var startIndex: Int { pairs.startIndex }
    package var endIndex: Int { pairs.endIndex }
    package subscript(position: Int) -> Label { pairs[position] }

    /// The value of the label `name`, or nil when it is absent.
    package subscript(name: String) -> String? {
        var low = 0
        var high = pairs.count
        while low < high {
            let mid = (low + high) / 2
            if pairs[mid].name < name { low = mid + 1 } else { high = mid }
        }
        return low < pairs.count && pairs[low].name == name ? pairs[low].value : nil
    }

    /// The metric name (`__name__`), or nil for a label set without one.
    package var metricName: String? { self[Labels.metricNameLabel] }

    /// A copy with `name` set to `value`; an empty value removes the label.
    package func setting(_ name: String, to value: String) -> Labels {
        var all = pairs.filter { $0.name != name }
        if !value.isEmpty { all.append(Label(name, value)) }
        return Labels(all)
    }

    /// A copy with every label of `overrides` set, in one sorted merge; an override with an empty
    /// value removes the label. `overrides` may come in any order; a later duplicate wins.
    package func merging(_ overrides: [Label]) -> Labels {
        overrides.isEmpty ? self : merging(sortedUniqueOverrides: Labels.sortedUnique(overrides))
    }

    /// `overrides` sorted by name, a later duplicate winning; empty values are kept (they remove).
    package static func sortedUnique(_ overrides: [Label]) -> [Label] {
        var sorted: [Label] = []
        sorted.reserveCapacity(overrides.count)
        // A stable sort keeps duplicates in input order, so the last one of a name wins below.
        for label in overrides.enumerated().sorted(by: { ($0.element.name, $0.offset) < ($1.element.name, $1.offset) })
            .map(\.element)
        {
            if let last = sorted.last, last.name == label.name {
                sorted[sorted.count - 1] = label
            } else {
                sorted.append(label)
            }
        }
        return sorted
    }

    /// `merging(_:)` for overrides from `sortedUnique(_:)`, to reuse one list across many label sets.
    package func merging(sortedUniqueOverrides overrides: [Label]) -> Labels {
        Labels(sortedUnchecked: Self.merge(pairs, sortedUniqueOverrides: overrides))
    }

    /// `pairs` (sorted by name, unique) with `overrides` (from `sortedUnique(_:)`) set, in one exactly
    /// sized array; an empty value, in either, leaves the name out.
    package static func merge(_ pairs: [Label], sortedUniqueOverrides overrides: [Label]) -> [Label] {
        var merged: [Label] = []
        merged.reserveCapacity(pairs.count + overrides.count)
        var mine = 0
        var theirs = 0
        while mine < pairs.count || theirs < overrides.count {
            if theirs == overrides.count || (mine < pairs.count && pairs[mine].name < overrides[theirs].name) {
                if !pairs[mine].value.isEmpty { merged.append(pairs[mine]) }
                mine += 1
                continue
            }
            let override = overrides[theirs]
            if mine < pairs.count && pairs[mine].name == override.name { mine += 1 }
            if !override.value.isEmpty { merged.append(override) }
            theirs += 1
        }
        return merged
    }

    /// A copy without the labels named.
    package func removing(_ names: Set<String>) -> Labels {
        Labels(sortedUnchecked: pairs.filter { !names.contains($0.name) })
    }

    /// A copy keeping only the labels named.
    package func keeping(_ names: Set<String>) -> Labels {
        Labels(sortedUnchecked: pairs.filter { names.contains($0.name) })
    }

    /// A copy without `__name__`, as PromQL functions and operators return.
    package var droppingMetricName: Labels { removing([Labels.metricNameLabel]) }

    package static func < (lhs: Labels, rhs: Labels) -> Bool {
        for (left, right) in zip(lhs.pairs, rhs.pairs) {
            if left.name != right.name { return left.name < right.name }
            if left.value != right.value { return left.value < right.value }
        }
        return lhs.pairs.count < rhs.pairs.count
    }

    /// `{a="1", b="2"}` with Prometheus's escaping, for messages and test output.
    package var description: String {
        let name = metricName ?? ""
        let rest = pairs.filter { $0.name != Labels.metricNameLabel }
        if rest.isEmpty && !name.isEmpty { return name }
        let body = rest.map { "\($0.name)=\"\(LabelValueEscaping.escape($0.value))\"" }.joined(separator: ", ")
        return name + "{" + body + "}"
    }
}

/// Escaping of label values inside double quotes, as the text format defines it.
package enum LabelValueEscaping {
    /// Escapes backslash, double quote and newline.
    package static func escape(_ value: String) -> String {
        guard
            value.utf8.contains(where: {
                $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n")
            })
        else { return value }
        var out = ""
        out.reserveCapacity(value.utf8.count + 4)
        for character in value.unicodeScalars {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}
