/// Command-line options of `ruleeval`: `--window SECONDS`, `--repetitions N`, `--warmup N`.
struct RuleEvalOptions {
    /// Seconds of 1 s samples before the first evaluation (Prometheus's figure is read after 6 minutes).
    var windowSeconds = 360
    /// Timed evaluations.
    var repetitions = 60
    /// Untimed evaluations first.
    var warmup = 5

    init(_ arguments: ArraySlice<String>) {
        var iterator = arguments.makeIterator()
        while let flag = iterator.next() {
            guard let text = iterator.next(), let value = Int(text), value > 0 else { break }
            switch flag {
            case "--window": windowSeconds = value
            case "--repetitions": repetitions = value
            case "--warmup": warmup = value
            default: break
            }
        }
    }
}
