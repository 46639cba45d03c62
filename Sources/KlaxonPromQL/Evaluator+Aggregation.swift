import Foundation
import KlaxonMetrics

// MARK: - Aggregation operators

extension Evaluator {
    /// The running state of one output group.
    private struct Group {
        var labels: Labels
        var value: Double
        var mean: Double
        var count: Int
        var members: [VectorElement]
    }

    func evalAggregate(_ aggregate: AggregateExpr, at time: Int64) throws(PromQLError) -> [VectorElement] {
        var parameter: Double = 0
        var valueLabel = ""
        switch aggregate.op.parameterType {
        case .scalar?: parameter = try evalScalar(aggregate.parameter ?? .number(.nan), at: time)
        case .string?:
            valueLabel = try evalString(aggregate.parameter ?? .string(""), at: time)
            guard Parser.isLabelName(valueLabel) else {
                throw PromQLError("invalid label name \"\(valueLabel)\"")
            }
        default: break
        }
        var input = try evalVector(aggregate.body, at: time)
        if aggregate.op == .countValues {
            for index in input.indices {
                input[index].labels = input[index].labels.setting(valueLabel, to: formatFloatPlain(input[index].value))
            }
        }
        // Prometheus checks k once the input is evaluated: it must convert to int64, and is truncated.
        var k: Int64 = 0
        if aggregate.op == .topk || aggregate.op == .bottomk {
            guard parameter <= 9_223_372_036_854_774_784 && parameter >= -9_223_372_036_854_775_808 else {
                throw PromQLError("Scalar value \(goFormatV(parameter)) overflows int64")
            }
            k = Int64(parameter)
        }
        var grouping = Set(aggregate.grouping)
        if aggregate.op == .countValues && !aggregate.without { grouping.insert(valueLabel) }
        if aggregate.without { grouping.insert(Labels.metricNameLabel) }
        let keepsMembers = [.topk, .bottomk, .quantile].contains(aggregate.op)

        // Groups are found by a string signature of the grouping labels; their label set is built once.
        let signature = MatchSignature(on: !aggregate.without, names: grouping)
        var indexByKey: [String: Int] = [:]
        var groups: [Group] = []
        for element in input {
            let key = signature.key(element.labels)
            if let index = indexByKey[key] {
                accumulate(&groups[index], element, aggregate.op)
                if keepsMembers { groups[index].members.append(element) }
            } else {
                indexByKey[key] = groups.count
                let labels = aggregate.without ? element.labels.removing(grouping) : element.labels.keeping(grouping)
                let first = element.value
                // `group` is 1 whatever the values; stddev and stdvar start their sum of squares at 0.
                let start = aggregate.op == .group ? 1 : aggregate.op == .stddev || aggregate.op == .stdvar ? 0 : first
                groups.append(
                    Group(labels: labels, value: start, mean: first, count: 1, members: keepsMembers ? [element] : []))
            }
        }
        var out: [VectorElement] = []
        out.reserveCapacity(groups.count)
        for group in groups {
            switch aggregate.op {
            case .topk, .bottomk:
                out += Evaluator.selectK(group.members, k: k, top: aggregate.op == .topk)
            case .quantile:
                out.append(
                    VectorElement(
                        labels: group.labels, value: Evaluator.quantile(parameter, group.members.map(\.value))))
            default:
                out.append(VectorElement(labels: group.labels, value: Evaluator.finish(group, aggregate.op)))
            }
        }
        return out
    }

    private func accumulate(_ group: inout Group, _ element: VectorElement, _ op: AggregateOperator) {
        let value = element.value
        group.count += 1
        let count = Double(group.count)
        switch op {
        case .sum: group.value += value
        case .max: if group.value < value || group.value.isNaN { group.value = value }
        case .min: if group.value > value || group.value.isNaN { group.value = value }
        case .avg:
            if group.mean.isInfinite {
                // Inf plus a finite value, or Inf plus Inf of the same sign, keeps the mean; the update would give NaN.
                if value.isInfinite && (group.mean > 0) == (value > 0) { return }
                if !value.isInfinite && !value.isNaN { return }
            }
            group.mean += value / count - group.mean / count
        case .stddev, .stdvar:
            let delta = value - group.mean
            group.mean += delta / count
            group.value += delta * (value - group.mean)
        default: break
        }
    }

    private static func finish(_ group: Group, _ op: AggregateOperator) -> Double {
        switch op {
        case .avg: group.mean
        case .count, .countValues: Double(group.count)
        case .stdvar: group.value / Double(group.count)
        case .stddev: (group.value / Double(group.count)).squareRoot()
        default: group.value
        }
    }

    /// Prometheus 2.42's `topk`/`bottomk` selection, step for step: a binary heap of at most `k` elements
    /// (Go's `container/heap`) whose root is the worst kept, replaced only by a strictly better element, then
    /// sorted best first. Which of equal values survive, and their order, follow from those steps.
    static func selectK(_ members: [VectorElement], k: Int64, top: Bool) -> [VectorElement] {
        guard k >= 1, let first = members.first else { return [] }
        // The heap's order: NaN below everything, then ascending for topk (descending for bottomk).
        func less(_ a: VectorElement, _ b: VectorElement) -> Bool {
            if a.value.isNaN { return true }
            return top ? a.value < b.value : a.value > b.value
        }
        var heap = [first]
        for element in members.dropFirst() {
            let root = heap[0].value
            let better = top ? root < element.value : root > element.value
            guard Int64(heap.count) < k || better || root.isNaN else { continue }
            if Int64(heap.count) == k {
                if k == 1 {
                    heap[0] = element
                    continue
                }
                // heap.Pop: the root swaps with the last element, which sinks; the old root is dropped.
                heap.swapAt(0, heap.count - 1)
                heap.removeLast()
                siftDown(&heap, from: 0, less: less)
            }
            // heap.Push: appended, then raised.
            heap.append(element)
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard less(heap[child], heap[parent]) else { break }
                heap.swapAt(parent, child)
                child = parent
            }
        }
        // sort.Sort(sort.Reverse(heap)).
        GoSort.sort(&heap) { a, b in less(b, a) }
        return heap
    }

    private static func siftDown(
        _ heap: inout [VectorElement], from start: Int, less: (VectorElement, VectorElement) -> Bool
    ) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { return }
            var child = left
            if left + 1 < heap.count && less(heap[left + 1], heap[left]) { child = left + 1 }
            guard less(heap[child], heap[parent]) else { return }
            heap.swapAt(parent, child)
            parent = child
        }
    }

    /// Prometheus's `quantile`: linear interpolation between the closest ranks.
    static func quantile(_ q: Double, _ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        if q.isNaN { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        let sorted = values.sorted { a, b in a.isNaN ? !b.isNaN : a < b }
        let n = Double(sorted.count)
        let rank = q * (n - 1)
        let lower = max(0, rank.rounded(.down))
        let upper = min(n - 1, lower + 1)
        let weight = rank - rank.rounded(.down)
        return sorted[Int(lower)] * (1 - weight) + sorted[Int(upper)] * weight
    }
}

/// Go's `strconv.FormatFloat(v, 'f', -1, 64)`: shortest digits, never an exponent.
func formatFloatPlain(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
    let text = "\(value)"
    guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else {
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }
    let exponent = Int(text[text.index(after: e)...]) ?? 0
    var mantissa = String(text[..<e])
    let negative = mantissa.hasPrefix("-")
    if negative { mantissa.removeFirst() }
    let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
    var digits = String(parts[0]) + (parts.count > 1 ? String(parts[1]) : "")
    var point = parts[0].count + exponent
    if digits.hasSuffix("0") && parts.count > 1 && parts[1] == "0" { digits.removeLast() }
    if point <= 0 {
        digits = String(repeating: "0", count: -point + 1) + digits
        point = 1
    } else if point > digits.count {
        digits += String(repeating: "0", count: point - digits.count)
    }
    let whole = digits.prefix(point)
    let fraction = digits.dropFirst(point)
    let body = fraction.isEmpty ? String(whole) : whole + "." + fraction
    return (negative ? "-" : "") + body
}
