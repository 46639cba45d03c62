import Foundation
import KlaxonMetrics

// MARK: - Binary operators

extension Evaluator {
    func evalBinary(_ binary: BinaryExpr, at time: Int64) throws(PromQLError) -> QueryValue {
        let lhs = try eval(binary.lhs, at: time)
        let rhs = try eval(binary.rhs, at: time)
        switch (lhs, rhs) {
        case (.scalar(let left), .scalar(let right)):
            let (value, keep) = Evaluator.apply(binary.op, left, right)
            return .scalar(binary.returnBool ? (keep ? 1 : 0) : value)
        case (.vector(let left), .scalar(let right)):
            return .vector(try vectorScalar(binary, left, right, scalarOnLeft: false))
        case (.scalar(let left), .vector(let right)):
            return .vector(try vectorScalar(binary, right, left, scalarOnLeft: true))
        case (.vector(let left), .vector(let right)):
            let matching =
                binary.matching
                ?? VectorMatching(cardinality: .oneToOne, on: false, labels: [], include: [], explicit: false)
            switch binary.op {
            case .and, .or, .unless: return .vector(setOperation(binary.op, left, right, matching))
            default: return .vector(try vectorVector(binary, left, right, matching))
            }
        default:
            throw PromQLError("binary expression must contain only scalar and instant vector types")
        }
    }

    /// The value of `left op right`, and for comparisons whether the pair passes (the value is then `left`).
    static func apply(_ op: BinaryOperator, _ left: Double, _ right: Double) -> (Double, Bool) {
        switch op {
        case .add: (left + right, true)
        case .subtract: (left - right, true)
        case .multiply: (left * right, true)
        case .divide: (left / right, true)
        case .modulo: (fmod(left, right), true)
        case .power: (GoMath.pow(left, right), true)
        case .atan2: (GoMath.atan2(left, right), true)
        case .equal: (left, left == right)
        case .notEqual: (left, left != right)
        case .greater: (left, left > right)
        case .less: (left, left < right)
        case .greaterOrEqual: (left, left >= right)
        case .lessOrEqual: (left, left <= right)
        case .and, .or, .unless: (left, true)
        }
    }

    private func vectorScalar(
        _ binary: BinaryExpr, _ vector: [VectorElement], _ scalar: Double, scalarOnLeft: Bool
    ) throws(PromQLError) -> [VectorElement] {
        let dropName = binary.op.dropsMetricName || binary.returnBool
        let names = dropName ? NameTracker(vector) : nil
        var out: [VectorElement] = []
        out.reserveCapacity(vector.count)
        for element in vector {
            let (left, right) = scalarOnLeft ? (scalar, element.value) : (element.value, scalar)
            var (value, keep) = Evaluator.apply(binary.op, left, right)
            // A comparison keeps the vector's value even when the scalar is on the left.
            if binary.op.isComparison && scalarOnLeft { value = right }
            if binary.returnBool {
                value = keep ? 1 : 0
            } else if !keep {
                continue
            }
            out.append(VectorElement(labels: dropName ? element.labels.withoutName : element.labels, value: value))
        }
        try names?.checkUniqueAfterDrop(out)
        return out
    }

    private func setOperation(
        _ op: BinaryOperator, _ left: [VectorElement], _ right: [VectorElement], _ matching: VectorMatching
    ) -> [VectorElement] {
        let signature = MatchSignature(matching)
        switch op {
        case .and:
            guard !left.isEmpty, !right.isEmpty else { return [] }
            let keys = Set(right.map { signature.key($0.labels) })
            return left.filter { keys.contains(signature.key($0.labels)) }
        case .or:
            guard !left.isEmpty else { return right }
            guard !right.isEmpty else { return left }
            let keys = Set(left.map { signature.key($0.labels) })
            return left + right.filter { !keys.contains(signature.key($0.labels)) }
        default:
            guard !left.isEmpty, !right.isEmpty else { return left }
            let keys = Set(right.map { signature.key($0.labels) })
            return left.filter { !keys.contains(signature.key($0.labels)) }
        }
    }

    private func vectorVector(
        _ binary: BinaryExpr, _ lhs: [VectorElement], _ rhs: [VectorElement], _ matching: VectorMatching
    ) throws(PromQLError) -> [VectorElement] {
        guard !lhs.isEmpty, !rhs.isEmpty else { return [] }
        let signature = MatchSignature(matching)
        let swapped = matching.cardinality == .oneToMany
        let (many, one) = swapped ? (rhs, lhs) : (lhs, rhs)
        var oneSide: [String: VectorElement] = [:]
        oneSide.reserveCapacity(one.count)
        for element in one {
            let key = signature.key(element.labels)
            if let previous = oneSide.updateValue(element, forKey: key) {
                let group =
                    matching.on
                    ? element.labels.keeping(Set(matching.labels))
                    : element.labels.removing(Set(matching.labels + [Labels.metricNameLabel]))
                let side = swapped ? "left" : "right"
                throw PromQLError(
                    "found duplicate series for the match group \(goLabels(group)) on the \(side) "
                        + "hand-side of the operation: [\(goLabels(element.labels)), \(goLabels(previous.labels))]"
                        + ";many-to-many matching not allowed: matching labels must be unique on one side")
            }
        }
        var matched: [String: Set<Labels>] = [:]
        var out: [VectorElement] = []
        out.reserveCapacity(many.count)
        for element in many {
            let key = signature.key(element.labels)
            guard let partner = oneSide[key] else { continue }
            let (left, right) = swapped ? (partner.value, element.value) : (element.value, partner.value)
            var (value, keep) = Evaluator.apply(binary.op, left, right)
            if binary.returnBool {
                value = keep ? 1 : 0
            } else if !keep {
                continue
            }
            var labels = resultLabels(element.labels, partner.labels, binary.op, matching)
            if binary.returnBool { labels = labels.withoutName }
            if matching.cardinality == .oneToOne {
                if matched[key] != nil {
                    throw PromQLError(
                        "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)")
                }
                matched[key] = []
            } else if matched[key, default: []].insert(labels).inserted == false {
                throw PromQLError("multiple matches for labels: grouping labels must ensure unique matches")
            }
            out.append(VectorElement(labels: labels, value: value))
        }
        return out
    }

    private func resultLabels(_ many: Labels, _ one: Labels, _ op: BinaryOperator, _ matching: VectorMatching) -> Labels
    {
        var labels = many
        if op.dropsMetricName { labels = labels.withoutName }
        if matching.cardinality == .oneToOne {
            if matching.on {
                labels = labels.keeping(Set(matching.labels))
            } else if !matching.labels.isEmpty {
                labels = labels.removing(Set(matching.labels))
            }
        }
        for name in matching.include {
            labels = labels.setting(name, to: one[name] ?? "")
        }
        return labels
    }
}

/// Computes the key two elements must share to match: the `on` labels, or all but the `ignoring` ones and the name.
struct MatchSignature {
    private let on: Bool
    /// Sorted as `Labels` sorts names, so a key is one merge walk over the labels with no hashing.
    private let names: [String]

    init(_ matching: VectorMatching) {
        let names = matching.on ? matching.labels : matching.labels + [Labels.metricNameLabel]
        self.init(on: matching.on, names: Set(names))
    }

    /// Keys on exactly `names` (`on`) or on everything except `names` (not `on`).
    init(on: Bool, names: Set<String>) {
        self.on = on
        self.names = names.sorted()
    }

    func key(_ labels: Labels) -> String {
        if on && names.isEmpty { return "" }
        var key = ""
        var next = 0
        for label in labels {
            while next < names.count && names[next] < label.name { next += 1 }
            let listed = next < names.count && names[next] == label.name
            guard listed == on else { continue }
            key += label.name
            key.unicodeScalars.append("\u{FF}")
            key += label.value
            key.unicodeScalars.append("\u{FF}")
        }
        return key
    }
}
