import KlaxonMetrics

// MARK: - Printing back as PromQL

extension Expr: CustomStringConvertible {
    package var description: String {
        switch self {
        case .number(let value): return formatNumber(value)
        case .string(let value): return quote(value)
        case .vectorSelector(let selector): return selector.description
        case .matrixSelector(let selector, let range):
            var base = selector
            base.offset = 0
            base.at = nil
            return "\(base)[\(formatDuration(range))]" + atSuffix(selector.at) + offsetSuffix(selector.offset)
        case .subquery(let subquery):
            let step = subquery.step.map(formatDuration) ?? ""
            return "\(subquery.expr)[\(formatDuration(subquery.range)):\(step)]" + atSuffix(subquery.at)
                + offsetSuffix(subquery.offset)
        case .negation(let inner): return "-" + inner.description
        case .paren(let inner): return "(\(inner))"
        case .binary(let binary): return binary.description
        case .aggregate(let aggregate): return aggregate.description
        case .call(let call):
            return "\(call.function.rawValue)(\(call.args.map(\.description).joined(separator: ", ")))"
        }
    }
}

extension VectorSelector: CustomStringConvertible {
    package var description: String {
        let shown = matchers.filter { !($0.name == Labels.metricNameLabel && $0.type == .equal && $0.value == name) }
        var out = name ?? ""
        if !shown.isEmpty || name == nil {
            out += "{" + shown.map(\.description).joined(separator: ", ") + "}"
        }
        return out + atSuffix(at) + offsetSuffix(offset)
    }
}

extension BinaryExpr: CustomStringConvertible {
    package var description: String {
        var op = " " + self.op.rawValue
        if returnBool { op += " bool" }
        // As Prometheus prints it: the matching clause only with labels or `on`, the grouping inside it.
        if let matching, matching.on || !matching.labels.isEmpty {
            op += (matching.on ? " on (" : " ignoring (") + matching.labels.joined(separator: ", ") + ")"
            switch matching.cardinality {
            case .manyToOne: op += " group_left (" + matching.include.joined(separator: ", ") + ")"
            case .oneToMany: op += " group_right (" + matching.include.joined(separator: ", ") + ")"
            default: break
            }
        }
        return "\(lhs)\(op) \(rhs)"
    }
}

extension AggregateExpr: CustomStringConvertible {
    package var description: String {
        var out = op.rawValue
        if hasGrouping {
            out += (without ? " without (" : " by (") + grouping.joined(separator: ", ") + ") "
        }
        let args = (parameter.map { [$0] } ?? []) + [body]
        return out + "(" + args.map(\.description).joined(separator: ", ") + ")"
    }
}

/// ` @ 1.500` (seconds with three decimals, as Prometheus prints it), ` @ start()`, ` @ end()`.
private func atSuffix(_ at: AtModifier?) -> String {
    switch at {
    case nil: return ""
    case .start?: return " @ start()"
    case .end?: return " @ end()"
    case .timestamp(let milliseconds)?:
        let magnitude = milliseconds.magnitude
        let fraction = String(magnitude % 1000)
        let padded = String(repeating: "0", count: 3 - fraction.count) + fraction
        return " @ \(milliseconds < 0 ? "-" : "")\(magnitude / 1000).\(padded)"
    }
}

private func offsetSuffix(_ offset: Int64) -> String {
    if offset == 0 { return "" }
    return offset > 0 ? " offset \(formatDuration(offset))" : " offset -\(formatDuration(-offset))"
}

private func quote(_ value: String) -> String {
    "\"" + LabelValueEscaping.escape(value) + "\""
}
