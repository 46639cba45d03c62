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

/// Feeds arbitrary bytes to the PromQL parser and the series notation; what parses is printed back,
/// re-parsed (it must print the same again) and evaluated. Nothing may crash.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? SeriesDescription.parse(text)
    guard let expr = try? PromQL.parse(text) else { return 0 }
    let printed = expr.description
    guard let again = try? PromQL.parse(printed) else {
        fatalError("printed form does not parse: \(printed)")
    }
    if again.description != printed {
        fatalError("printing is not stable: \(printed) vs \(again.description)")
    }
    _ = try? Evaluator(source: source).evaluate(expr, at: 300_000)
    return 0
}
