/// Order statistics of a set of timings, in seconds.
public struct Summary: Sendable {
    /// The timings, sorted ascending.
    public let sorted: [Double]

    public init(_ times: [Double]) {
        sorted = times.sorted()
    }

    public var count: Int { sorted.count }
    public var median: Double { percentile(50) }
    public var p99: Double { percentile(99) }
    public var min: Double { sorted.first ?? .nan }
    public var max: Double { sorted.last ?? .nan }

    /// The nearest-rank percentile `p` (0–100); NaN when there are no timings.
    public func percentile(_ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        if p == 50 {
            let middle = sorted.count / 2
            return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[Swift.max(0, Swift.min(sorted.count - 1, rank - 1))]
    }
}
