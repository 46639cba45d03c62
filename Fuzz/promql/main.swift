import KlaxonMetrics
import KlaxonPromQL

/// A small fixed source so parsed queries are also evaluated.
private let source: InMemorySeries = {
    var storage = InMemorySeries()
    for (index, name) in ["a", "b", "c_total", "h_bucket"].enumerated() {
        for instance in 0..<3 {
            let labels = Labels(["__name__": name, "job": "j", "instance": "\(instance)", "le": "\(instance)"])
            for step in 0..<6 {
                storage.append(
                    labels, Sample(timestamp: Int64(step) * 60_000, value: Double(step * (index + instance))))
            }
        }
    }
    return storage
}()

/// A subquery with a tiny step over a long range is valid and slow: each evaluation gets a short
/// deadline and a sample cap, as an API query does.
private func budget() -> QueryBudget {
    QueryBudget(limits: QueryLimits(timeoutMilliseconds: 200, maxSamples: 200_000))
}

/// Feeds arbitrary bytes to the PromQL parser and the series notation; what parses is printed back,
/// re-parsed (it must print the same again) and evaluated as an instant query and as a short range
/// query (whose snapshot must hold what every step reads). Nothing may crash.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? SeriesDescription.parse(text)
    guard let expr = try? PromQL.parse(text) else { return 0 }
    var printed = expr.description
    guard var again = try? PromQL.parse(printed) else {
        fatalError("printed form does not parse: \(printed)")
    }
    if again.description != printed && printed.contains("@") {
        // An `@` time beyond 2^51 ms prints as seconds with three decimals (as Prometheus prints it),
        // which may read back a millisecond away once; the second printing must then be a fixed point.
        printed = again.description
        guard let third = try? PromQL.parse(printed) else { fatalError("printed form does not parse: \(printed)") }
        again = third
    }
    if again.description != printed {
        fatalError("printing is not stable: \(printed) vs \(again.description)")
    }
    let evaluator = Evaluator(source: source, subqueryStep: 30_000)
    let instant = try? evaluator.evaluate(expr, at: 300_000, budget: budget())
    if expr.type == .vector || expr.type == .scalar {
        let range = try? evaluator.evaluateRange(expr, start: 240_000, end: 300_000, step: 60_000, budget: budget())
        // The last step of the range query is the instant query at the same time (`@ start()` aside,
        // which is the range's first step).
        if case .vector(let elements)? = instant, let range, !printed.contains("start()") {
            for element in elements where !element.value.isNaN {
                let last = range.first { $0.labels == element.labels }?.samples.last
                if last?.timestamp != 300_000 || last?.value != element.value {
                    fatalError("range query's last step differs from the instant query: \(printed)")
                }
            }
        }
    }
    return 0
}
