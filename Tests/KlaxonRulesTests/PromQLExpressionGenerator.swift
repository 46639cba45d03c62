import KlaxonRuntime

/// Random PromQL expressions (every function and operator of the subset, nested) over a fixed set of series,
/// for comparing Klaxon's printed results with promtool's.
///
/// promtool's test loader adds series in random order, and the order reaches `sum` (three or more series),
/// `avg`, `stddev`, `stdvar` (two or more), ties at the edge of `topk`/`bottomk`, and the sign of a zero from
/// `min`/`max`. The generator tracks bounds on how many series an expression yields in all and per value of
/// the labels `i` and `j`, and whether values may tie, and builds those aggregations only where the order
/// cannot show.
struct PromQLExpressionGenerator {
    /// What the generator knows of a vector expression's result.
    struct Vector {
        var text: String
        /// At most this many series.
        var count: Int
        /// At most this many series share one value of `i` (or lack it together); likewise `j`.
        var perI: Int
        var perJ: Int
        /// Two series may hold equal values (or zeros of both signs, or NaN, or the same infinity).
        var mayTie: Bool
        /// A binary expression: parenthesized where it is an operand, so the parse follows the generator's tree.
        var binary = false

        var operand: String { binary ? "(\(text))" : text }
    }

    var random: SplitMix64

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    /// The series every generated expression reads: gauges `a` and `b`, counter `c` (with a reset) and
    /// histogram buckets `h_bucket`, sampled every minute from 0 to 10m.
    mutating func inputSeries() -> [(series: String, values: String)] {
        var out: [(String, String)] = []
        // `a` holds finite values only (NaN and infinities tie with each other, see `mayTie`); `b` anything.
        for metric in ["a", "b"] {
            for (i, j) in [("0", "x"), ("1", "y"), ("2", "x")] {
                let values = (0...10).map { _ in metric == "a" ? finiteValue() : gaugeValue() }
                out.append(("\(metric){i=\"\(i)\",j=\"\(j)\"}", values.joined(separator: " ")))
            }
        }
        for (i, j) in [("0", "x"), ("1", "y")] {
            var total = 0
            var values: [String] = []
            let reset = Int.random(in: 3...8, using: &random)
            for step in 0...10 {
                if step == reset { total = Int.random(in: 0...5, using: &random) }
                total += Int.random(in: 0...400, using: &random)
                values.append(String(total))
            }
            out.append(("c{i=\"\(i)\",j=\"\(j)\"}", values.joined(separator: " ")))
        }
        var cumulative = 0
        for le in ["0.1", "0.5", "1", "+Inf"] {
            cumulative += Int.random(in: 1...30, using: &random)
            let perStep = Int.random(in: 1...9, using: &random)
            out.append(("h_bucket{le=\"\(le)\"}", "\(cumulative)+\(perStep * cumulative)x10"))
        }
        return out
    }

    private mutating func gaugeValue() -> String {
        switch Int.random(in: 0..<48, using: &random) {
        case 0: return "NaN"
        case 1: return "Inf"
        case 2: return "-Inf"
        case 3: return "_"
        case 4: return "stale"
        case 5: return pick(["1e300", "-1e300", "4.9e-324", "1e-300", "123456789.123456789", "0.1", "-0.7"])
        case 6: return decimal(Int.random(in: -999_999_999...999_999_999, using: &random), places: 9)
        default:
            let digits = Int.random(in: -99_999...99_999, using: &random)
            let places = Int.random(in: 0...6, using: &random)
            return decimal(digits, places: places)
        }
    }

    private mutating func finiteValue() -> String {
        if chance(3) { return "_" }
        let digits = Int.random(in: -99_999...99_999, using: &random)
        return decimal(digits, places: Int.random(in: 0...6, using: &random))
    }

    private func decimal(_ digits: Int, places: Int) -> String {
        let sign = digits < 0 ? "-" : ""
        var text = String(Swift.abs(digits))
        guard places > 0 else { return sign + text }
        if text.count <= places { text = String(repeating: "0", count: places - text.count + 1) + text }
        let point = text.index(text.endIndex, offsetBy: -places)
        return sign + text[..<point] + "." + text[point...]
    }

    private mutating func pick<T>(_ options: [T]) -> T {
        options[Int.random(in: 0..<options.count, using: &random)]
    }

    private mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &random) < percent }

    // MARK: - Scalars

    mutating func scalar(depth: Int) -> String {
        switch Int.random(in: 0..<(depth > 0 ? 6 : 3), using: &random) {
        case 0, 1: return literal()
        case 2: return "time()"
        case 3: return "scalar(\(vector(depth: depth - 1).text))"
        case 4:
            let op = chance(25) ? pick(Self.comparison) + " bool" : pick(Self.arithmetic)
            return "(\(scalar(depth: depth - 1)) \(op) \(scalar(depth: depth - 1)))"
        default: return "-\(literal())"
        }
    }

    private mutating func literal() -> String {
        pick(["2", "3", "0.5", "1.749", "5.43", "10", "0.3", "1e3", "0.001", "7", "1000", "-1.5", "0.25", "100"])
    }

    static let arithmetic = ["+", "-", "*", "/", "%", "^"]
    static let comparison = ["==", "!=", ">", "<", ">=", "<="]

    // MARK: - Vectors

    private mutating func selector() -> Vector {
        let offset = chance(10) ? " offset \(pick(["1m", "90s", "3m"]))" : ""
        var chosen = plainSelector()
        chosen.text += offset
        return chosen
    }

    private mutating func plainSelector() -> Vector {
        switch Int.random(in: 0..<6, using: &random) {
        case 0: return Vector(text: "b", count: 3, perI: 1, perJ: 2, mayTie: true)
        case 1: return Vector(text: "a{i=\"1\"}", count: 1, perI: 1, perJ: 1, mayTie: false)
        case 2: return Vector(text: "b{j=\"x\"}", count: 2, perI: 1, perJ: 2, mayTie: true)
        case 3: return Vector(text: "c", count: 2, perI: 1, perJ: 1, mayTie: false)
        default: return Vector(text: "a", count: 3, perI: 1, perJ: 2, mayTie: false)
        }
    }

    private mutating func rangeSelector() -> String {
        let metric = pick(["a", "b", "c", "a{j=\"x\"}"])
        let offset = chance(10) ? " offset \(pick(["1m", "2m"]))" : ""
        return "\(metric)[\(pick(["2m", "3m", "5m", "90s", "10m", "1m"]))]\(offset)"
    }

    /// A vector expression at most `depth` levels deep.
    mutating func vector(depth: Int) -> Vector {
        if depth <= 0 { return selector() }
        switch Int.random(in: 0..<14, using: &random) {
        case 0: return selector()
        case 1, 2: return mathFunction(depth)
        case 3, 4: return rangeFunction()
        case 5, 6: return vectorScalarBinary(depth)
        case 7, 8: return vectorVectorBinary(depth)
        case 9, 10: return aggregation(depth)
        case 11:
            var inner = vector(depth: depth - 1)
            inner.text = chance(50) ? "(\(inner.text))" : "-\(inner.text)"
            return inner
        case 12: return otherFunction(depth)
        default:
            let buckets = pick([
                "h_bucket", "rate(h_bucket[3m])", "rate(h_bucket[5m])", "sum by (le) (rate(h_bucket[5m]))",
                "increase(h_bucket[10m])",
            ])
            let q = pick(["0.5", "0.9", "0.99", "0.25", "0", "1", "-0.5", "1.5"])
            return Vector(
                text: "histogram_quantile(\(q), \(buckets))", count: 1, perI: 1, perJ: 1, mayTie: false)
        }
    }

    private mutating func mathFunction(_ depth: Int) -> Vector {
        var inner = vector(depth: depth - 1)
        let function = pick(["abs", "ceil", "floor", "sqrt", "exp", "ln", "log2", "log10", "sgn", "round", "exp"])
        // Rounding makes equal values; logarithms and roots of negatives make NaN, exp overflows to +Inf.
        if ["ceil", "floor", "sgn", "round", "sqrt", "ln", "log2", "log10", "exp"].contains(function) {
            inner.mayTie = true
        }
        if function == "round" && chance(50) {
            inner.text = "round(\(inner.text), \(pick(["0.1", "2", "0.25", "5"])))"
        } else {
            inner.text = "\(function)(\(inner.text))"
        }
        return inner
    }

    private mutating func rangeFunction() -> Vector {
        let range = rangeSelector()
        let count = range.hasPrefix("a{") ? 2 : range.hasPrefix("c") ? 2 : 3
        var result = Vector(text: "", count: count, perI: 1, perJ: 2, mayTie: false)
        let function = pick([
            "rate", "increase", "delta", "irate", "idelta", "deriv", "predict_linear", "changes", "resets",
            "avg_over_time", "sum_over_time", "min_over_time", "max_over_time", "count_over_time",
            "last_over_time", "stddev_over_time", "stdvar_over_time", "present_over_time", "quantile_over_time",
            "avg_over_time", "sum_over_time", "stddev_over_time",
        ])
        // One sample in the window makes every stddev 0.
        let tying = [
            "changes", "resets", "count_over_time", "present_over_time", "stddev_over_time", "stdvar_over_time",
        ]
        if tying.contains(function) || range.hasPrefix("b") {
            result.mayTie = true
        }
        switch function {
        case "predict_linear": result.text = "predict_linear(\(range), \(pick(["60", "300", "3600", "-120"])))"
        case "quantile_over_time": result.text = "quantile_over_time(\(pick(["0.5", "0.9", "0.1", "1"])), \(range))"
        default: result.text = "\(function)(\(range))"
        }
        return result
    }

    private mutating func vectorScalarBinary(_ depth: Int) -> Vector {
        var inner = vector(depth: depth - 1)
        let scalar = scalar(depth: depth - 1)
        if chance(65) {
            let op = pick(Self.arithmetic)
            inner.text = chance(50) ? "\(inner.operand) \(op) \(scalar)" : "\(scalar) \(op) \(inner.operand)"
            // A computed scalar may be 0 or NaN (`(2 - 2)`, `scalar(b)`), which makes values equal.
            if op == "%" || op == "^" || op == "/" || scalar.contains("(") { inner.mayTie = true }
        } else {
            let op = pick(Self.comparison)
            if chance(50) {
                inner.text = "\(inner.operand) \(op) bool \(scalar)"
                inner.mayTie = true
            } else {
                inner.text = "\(inner.operand) \(op) \(scalar)"
                if op == "==" { inner.mayTie = true }
            }
        }
        inner.binary = true
        return inner
    }

    private mutating func vectorVectorBinary(_ depth: Int) -> Vector {
        let left = vector(depth: depth - 1)
        let right = vector(depth: depth - 1)
        let tie = left.mayTie || right.mayTie
        switch Int.random(in: 0..<4, using: &random) {
        case 0:
            // Set operators never fail on duplicates.
            let op = pick(["and", "or", "unless"])
            let matching = pick(["", " on(i)", " ignoring(j)", " on(j)"])
            let count = op == "or" ? left.count + right.count : left.count
            return Vector(
                text: "\(left.operand) \(op)\(matching) \(right.operand)", count: count,
                perI: op == "or" ? left.perI + right.perI : left.perI,
                perJ: op == "or" ? left.perJ + right.perJ : left.perJ, mayTie: tie, binary: true)
        default:
            // One-to-one matching on `i` (or on every label) is unique when each side has one series per `i`.
            guard left.perI <= 1 && right.perI <= 1 else {
                return Vector(
                    text: "\(left.operand) and on(i) \(right.operand)", count: left.count, perI: left.perI,
                    perJ: left.perJ, mayTie: tie, binary: true)
            }
            let comparing = chance(30)
            let op = comparing ? pick(Self.comparison) : pick(Self.arithmetic)
            let modifier = comparing && chance(50) ? " bool" : ""
            var matching = pick(["", " on(i)", " ignoring(j)", " on(i) group_left", " ignoring(j) group_right"])
            // `group_left (b)` reads `(b)` as its label list; then Prometheus takes a following keyword as a
            // metric name (`and`), which Klaxon does not (see the report on keywords as metric names).
            if matching.contains("group") && right.operand.hasPrefix("(") { matching = " on(i)" }
            return Vector(
                text: "\(left.operand) \(op)\(modifier)\(matching) \(right.operand)",
                count: min(left.count, right.count), perI: 1, perJ: min(left.count, right.count),
                // `a - a` is 0 for every series: any two vectors may cancel or coincide.
                mayTie: true, binary: true)
        }
    }

    private mutating func aggregation(_ depth: Int) -> Vector {
        let inner = vector(depth: depth - 1)
        let grouping = pick(["", " by (i)", " by (j)", " without (j)", " without (i)", " by (i, j)"])
        // How many series may fall into one group, and the bounds of the result.
        var group = inner.count
        var result = Vector(text: "", count: 1, perI: 1, perJ: 1, mayTie: inner.mayTie)
        switch grouping {
        case " by (i)", " without (j)":
            group = inner.perI
            result.count = min(inner.count, 3)
            result.perJ = result.count
        case " by (j)", " without (i)":
            group = inner.perJ
            result.count = min(inner.count, 2)
            result.perI = result.count
        case " by (i, j)":
            group = min(inner.perI, inner.perJ)
            result.count = inner.count
            result.perI = inner.perI
            result.perJ = inner.perJ
        default: break
        }
        var operators = ["count", "count_values"]
        if group <= 2 { operators += ["sum", "sum"] }
        if group <= 1 { operators += ["avg", "stddev", "stdvar"] }
        // Equal values (zeros of both signs, NaNs) come out of these in the order promtool loaded the series.
        if !inner.mayTie { operators += ["topk", "bottomk", "min", "max", "topk", "quantile"] }
        let op = pick(operators)
        let body = inner.text
        switch op {
        case "topk", "bottomk":
            result = inner
            result.text = "\(op)\(grouping)(\(pick(["1", "2", "3"])), \(body))"
            return result
        case "quantile":
            result.text = "quantile\(grouping)(\(pick(["0.5", "0.9", "0", "1", "0.75"])), \(body))"
        case "count_values":
            result.text = "count_values\(grouping)(\"value\", \(body))"
            result.count = inner.count
            result.perI = inner.count
            result.perJ = inner.count
            result.mayTie = true
        default:
            result.text = "\(op)\(grouping)(\(body))"
            if op == "count" || op == "stddev" || op == "stdvar" { result.mayTie = true }
        }
        return result
    }

    private mutating func otherFunction(_ depth: Int) -> Vector {
        var inner = vector(depth: depth - 1)
        switch Int.random(in: 0..<10, using: &random) {
        case 7:
            inner.text = "label_join(\(inner.text), \"k\", \"-\", \"i\", \"j\")"
        case 8:
            return Vector(
                text: "absent(\(inner.text))", count: 1, perI: 1, perJ: 1, mayTie: true)
        case 9:
            return Vector(
                text: "absent_over_time(\(rangeSelector()))", count: 1, perI: 1, perJ: 1, mayTie: true)
        case 0:
            inner.text = "clamp(\(inner.text), \(pick(["-5", "0", "1.5"])), \(pick(["5", "100", "0.5"])))"
            inner.mayTie = true
        case 1:
            inner.text = "clamp_min(\(inner.text), \(scalar(depth: 0)))"
            inner.mayTie = true
        case 2:
            inner.text = "clamp_max(\(inner.text), \(scalar(depth: 0)))"
            inner.mayTie = true
        case 3: inner.text = "label_replace(\(inner.text), \"k\", \"$1-x\", \"i\", \"(.*)\")"
        case 4: inner.text = "\(pick(["sort", "sort_desc"]))(\(inner.text))"
        case 5:
            return Vector(text: "vector(\(scalar(depth: depth - 1)))", count: 1, perI: 1, perJ: 1, mayTie: false)
        default:
            inner.text = "timestamp(\(inner.text))"
            inner.mayTie = true
        }
        return inner
    }
}
