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
            expr, from: source, start: start, end: end, lookbackDelta: lookbackDelta, subqueryStep: subqueryStep,
            budget: budget)
        if let selector = Self.plainSelector(expr) {
            return try selectRange(selector, in: snapshot, start: start, end: end, step: step, budget: budget)
        }
        var stepper = Evaluator(source: snapshot, lookbackDelta: lookbackDelta, subqueryStep: subqueryStep)
        stepper.budget = budget
        stepper.queryStart = start
        stepper.queryEnd = end
        if expr.containsSubquery { stepper.subqueryCache = SubqueryCache() }
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
            accumulator.endStep()
            let (next, overflow) = time.addingReportingOverflow(step)
            if overflow { break }
            time = next
        }
        return accumulator.sortedSeries()
    }

    /// The selector when `expr` is nothing else (`up{job="x"}`, `(up)`), the most common panel query.
    private static func plainSelector(_ expr: Expr) -> VectorSelector? {
        switch expr {
        case .vectorSelector(let selector) where selector.at == nil: selector
        case .paren(let inner): plainSelector(inner)
        default: nil
        }
    }

    /// A plain selector over a range: each series' samples are walked once with a cursor that
    /// follows the steps, instead of one lookup per series per step. The points are those an
    /// instant selector gives at each step: the newest sample in `[t - offset - lookback, t - offset]`,
    /// none when that sample is a stale marker.
    private func selectRange(
        _ selector: VectorSelector, in snapshot: RangeSnapshot, start: Int64, end: Int64, step: Int64,
        budget: QueryBudget
    ) throws(PromQLError) -> [SeriesSamples] {
        var result: [SeriesSamples] = []
        let all = snapshot.select(selector.matchers, start: Int64.min, end: Int64.max)
        for series in all {
            var points: [Sample] = []
            var cursor = -1
            var time = start
            while time <= end {
                let at = time &- selector.offset
                while cursor + 1 < series.samples.count, series.samples[cursor + 1].timestamp <= at { cursor += 1 }
                if cursor >= 0 {
                    let sample = series.samples[cursor]
                    if sample.timestamp >= at &- lookbackDelta, !sample.isStaleMarker {
                        points.append(Sample(timestamp: time, value: sample.value))
                    }
                }
                let (next, overflow) = time.addingReportingOverflow(step)
                if overflow { break }
                time = next
            }
            try charge(budget, points: points.count)
            if !points.isEmpty { result.append(SeriesSamples(labels: series.labels, samples: points)) }
        }
        return result.sorted { $0.labels < $1.labels }
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
///
/// A step usually returns its series in the order the previous step did, so the element at
/// index i is first compared with the previous step's i-th series (cheap when the labels share
/// storage) before the labels are hashed.
struct RangeAccumulator {
    private var positions: [Labels: Int] = [:]
    private var series: [SeriesSamples] = []
    private var previousStep: [Int] = []
    private var currentStep: [Int] = []

    mutating func append(_ labels: Labels, _ sample: Sample) {
        let index = currentStep.count
        let position: Int
        if index < previousStep.count, series[previousStep[index]].labels == labels {
            position = previousStep[index]
        } else if let known = positions[labels] {
            position = known
        } else {
            position = series.count
            positions[labels] = position
            series.append(SeriesSamples(labels: labels, samples: []))
        }
        series[position].samples.append(sample)
        currentStep.append(position)
    }

    /// Ends the step: its order becomes the one the next step is compared with.
    mutating func endStep() {
        swap(&previousStep, &currentStep)
        currentStep.removeAll(keepingCapacity: true)
    }

    func sortedSeries() -> [SeriesSamples] {
        series.sorted { $0.labels < $1.labels }
    }
}
