import KlaxonMetrics
import KlaxonRegex
import KlaxonRuntime

// MARK: - histogram_quantile, label_replace, label_join

extension Evaluator {
    func histogramQuantile(_ q: Double, _ input: [VectorElement]) throws(PromQLError) -> [VectorElement] {
        var order: [Labels] = []
        var buckets: [Labels: [(bound: Double, count: Double)]] = [:]
        for element in input {
            guard let text = element.labels["le"], let bound = Double(text) else {
                continue
            }
            // Grouping keeps the metric name, so two histograms of different names do not merge.
            let key = element.labels.removing(["le"])
            if buckets[key] == nil { order.append(key) }
            buckets[key, default: []].append((bound, element.value))
        }
        var out: [VectorElement] = []
        for key in order {
            guard let found = buckets[key], !found.isEmpty else { continue }
            out.append(VectorElement(labels: key.withoutName, value: Evaluator.bucketQuantile(q, found)))
        }
        try Evaluator.checkUnique(out)
        return out
    }

    /// Prometheus's `bucketQuantile` over classic cumulative buckets.
    static func bucketQuantile(_ q: Double, _ input: [(bound: Double, count: Double)]) -> Double {
        if q.isNaN { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        let sorted = input.sorted { $0.bound < $1.bound }
        guard let top = sorted.last, top.bound == .infinity else { return .nan }
        var buckets: [(bound: Double, count: Double)] = []
        for bucket in sorted {
            if let last = buckets.last, last.bound == bucket.bound {
                buckets[buckets.count - 1].count += bucket.count
            } else {
                buckets.append(bucket)
            }
        }
        var highest = -Double.infinity
        for index in buckets.indices {
            if buckets[index].count > highest {
                highest = buckets[index].count
            } else if buckets[index].count < highest {
                buckets[index].count = highest
            }
        }
        guard buckets.count >= 2, let total = buckets.last?.count, total != 0 else { return .nan }
        var rank = q * total
        var b = buckets.count - 1
        for index in 0..<(buckets.count - 1) where buckets[index].count >= rank {
            b = index
            break
        }
        if b == buckets.count - 1 { return buckets[buckets.count - 2].bound }
        if b == 0 && buckets[0].bound <= 0 { return buckets[0].bound }
        var start = 0.0
        let end = buckets[b].bound
        var count = buckets[b].count
        if b > 0 {
            start = buckets[b - 1].bound
            count -= buckets[b - 1].count
            rank -= buckets[b - 1].count
        }
        return start + (end - start) * (rank / count)
    }

    func labelReplace(_ args: [Expr], at time: Int64) throws(PromQLError) -> [VectorElement] {
        var elements = try evalVector(args[0], at: time)
        let destination = try evalString(args[1], at: time)
        let replacement = try evalString(args[2], at: time)
        let sourceLabel = try evalString(args[3], at: time)
        let pattern = try evalString(args[4], at: time)
        let regex: Regex
        do {
            regex = try Regex("^(?:" + pattern + ")$")
        } catch {
            throw PromQLError("invalid regular expression in label_replace(): \(pattern)")
        }
        guard Parser.isLabelName(destination) else {
            throw PromQLError("invalid destination label name in label_replace(): \(destination)")
        }
        for index in elements.indices {
            let value = elements[index].labels[sourceLabel] ?? ""
            guard let result = regex.expandFirstMatch(in: value, template: replacement) else { continue }
            elements[index].labels = elements[index].labels.setting(destination, to: result)
        }
        try Evaluator.checkUnique(elements)
        return elements
    }

    func labelJoin(_ args: [Expr], at time: Int64) throws(PromQLError) -> [VectorElement] {
        var elements = try evalVector(args[0], at: time)
        let destination = try evalString(args[1], at: time)
        let separator = try evalString(args[2], at: time)
        var sources: [String] = []
        for arg in args.dropFirst(3) {
            let name = try evalString(arg, at: time)
            guard Parser.isLabelName(name) else {
                throw PromQLError("invalid source label name in label_join(): \(name)")
            }
            sources.append(name)
        }
        guard Parser.isLabelName(destination) else {
            throw PromQLError("invalid destination label name in label_join(): \(destination)")
        }
        for index in elements.indices {
            let joined = sources.map { elements[index].labels[$0] ?? "" }.joined(separator: separator)
            elements[index].labels = elements[index].labels.setting(destination, to: joined)
        }
        try Evaluator.checkUnique(elements)
        return elements
    }
}
