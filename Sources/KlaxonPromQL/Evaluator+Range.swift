import KlaxonMetrics

// MARK: - Range queries

extension Evaluator {
    /// Most points one series of a range query may have (Prometheus's resolution limit).
    package static let maxPointsPerSeries: Int64 = 11_000

    /// Evaluates `expr` as a range query: an instant evaluation at `start`, `start + step`, … up
    /// to `end` (Unix ms), each series' points gathered in time order, series sorted by labels.
    ///
    /// A scalar expression gives one series without labels. The samples the selectors load and
    /// the points of the result are charged to `budget`, and the deadline is checked as the steps run.
    /// The caller checks the step count against `maxPointsPerSeries` (a parameter error in the API).
    package func evaluateRange(_ expr: Expr, start: Int64, end: Int64, step: Int64, budget: QueryBudget)
        throws(PromQLError) -> [SeriesSamples]
    {
        guard expr.type == .vector || expr.type == .scalar else {
            throw PromQLError(
                "invalid expression type \"\(expr.type.rawValue)\" for range query, must be Scalar or instant Vector")
        }
        guard step > 0 else { throw PromQLError("the step of a range query must be positive, not \(step) ms") }
        guard end >= start else { throw PromQLError("end timestamp must not be before start time") }
        let snapshot = try RangeSnapshot.load(
            expr, from: source, start: start, end: end, lookbackDelta: lookbackDelta, budget: budget)
        var stepper = Evaluator(source: snapshot, lookbackDelta: lookbackDelta)
        stepper.budget = budget
        var accumulator = RangeAccumulator()
        var time = start
        while time <= end {
            switch try stepper.eval(expr, at: time) {
            case .scalar(let value):
                accumulator.append(Labels.empty, Sample(timestamp: time, value: value))
                try charge(budget, points: 1)
            case .vector(let elements):
                for element in elements {
                    accumulator.append(element.labels, Sample(timestamp: time, value: element.value))
                }
                try charge(budget, points: elements.count)
            case let other:
                throw PromQLError("a range query step returned a \(other.type.rawValue)")
            }
            let (next, overflow) = time.addingReportingOverflow(step)
            if overflow { break }
            time = next
        }
        return accumulator.sortedSeries()
    }

    /// The points of the result stay in memory until the answer is written, so they count
    /// against `max_samples` as Prometheus counts them.
    private func charge(_ budget: QueryBudget, points: Int) throws(PromQLError) {
        do {
            try budget.charge(samples: points)
        } catch {
            throw PromQLError(error)
        }
    }
}

/// Gathers the points of each series across the steps of a range query.
private struct RangeAccumulator {
    private var positions: [Labels: Int] = [:]
    private var series: [SeriesSamples] = []

    mutating func append(_ labels: Labels, _ sample: Sample) {
        if let position = positions[labels] {
            series[position].samples.append(sample)
        } else {
            positions[labels] = series.count
            series.append(SeriesSamples(labels: labels, samples: [sample]))
        }
    }

    func sortedSeries() -> [SeriesSamples] {
        series.sorted { $0.labels < $1.labels }
    }
}
