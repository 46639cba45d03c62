import KlaxonMetrics

/// One element of an instant vector: a series' labels and its value at the evaluation time.
package struct VectorElement: Sendable, Equatable {
    package var labels: Labels
    package var value: Double

    package init(labels: Labels, value: Double) {
        self.labels = labels
        self.value = value
    }

    package static func == (lhs: VectorElement, rhs: VectorElement) -> Bool {
        lhs.labels == rhs.labels && lhs.value.bitPattern == rhs.value.bitPattern
    }
}

/// The result of evaluating an expression at one instant.
package enum QueryValue: Sendable, Equatable {
    case scalar(Double)
    case string(String)
    case vector([VectorElement])
    case matrix([SeriesSamples])

    /// The value's type, named as in Prometheus's messages.
    package var type: ValueType {
        switch self {
        case .scalar: .scalar
        case .string: .string
        case .vector: .vector
        case .matrix: .matrix
        }
    }
}

extension Labels {
    /// The labels without `__name__`; cheaper than `droppingMetricName`, which builds a set per call.
    var withoutName: Labels {
        guard let index = firstIndex(where: { $0.name == Labels.metricNameLabel }) else { return self }
        var pairs = self.pairs
        pairs.remove(at: index)
        return Labels(sortedUnchecked: pairs)
    }
}
