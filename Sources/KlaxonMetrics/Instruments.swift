import Synchronization

/// A monotonically increasing self-metric; updates are lock-free.
package final class Counter: Sendable {
    let name: String
    let labels: Labels
    let prefix: [UInt8]
    let openMetricsPrefix: [UInt8]?
    private let bits = Atomic<UInt64>(0)

    init(name: String, labels: Labels) {
        self.name = name
        self.labels = labels
        prefix = SeriesSnapshot.renderPrefix(name: name, labels: labels)
        openMetricsPrefix = name.hasSuffix("_total") ? nil : SeriesSnapshot.renderPrefix(name: name + "_total", labels: labels)
    }

    /// Adds `amount`; negative amounts are ignored, a counter never goes down.
    package func increment(by amount: Double = 1) {
        guard amount > 0 else { return }
        AtomicDouble.add(amount, to: bits)
    }

    /// The current value.
    package var value: Double { Double(bitPattern: bits.load(ordering: .relaxed)) }
}

/// A self-metric that goes up and down; updates are lock-free.
package final class Gauge: Sendable {
    let labels: Labels
    let prefix: [UInt8]
    private let bits = Atomic<UInt64>(0)

    init(name: String, labels: Labels) {
        self.labels = labels
        prefix = SeriesSnapshot.renderPrefix(name: name, labels: labels)
    }

    /// Sets the value.
    package func set(_ value: Double) { bits.store(value.bitPattern, ordering: .relaxed) }

    /// Adds `amount` (negative to subtract).
    package func add(_ amount: Double) { AtomicDouble.add(amount, to: bits) }

    /// The current value.
    package var value: Double { Double(bitPattern: bits.load(ordering: .relaxed)) }
}

/// A self-metric histogram with fixed buckets; one lock keeps buckets, sum and count consistent.
package final class Histogram: Sendable {
    let labels: Labels
    /// Upper bounds, ascending, without `+Inf` (always added).
    let bounds: [Double]
    let bucketPrefixes: [[UInt8]]
    let sumPrefix: [UInt8]
    let countPrefix: [UInt8]
    private let state: Mutex<(buckets: [UInt64], sum: Double, count: UInt64)>

    init(name: String, labels: Labels, bounds: [Double]) {
        self.labels = labels
        self.bounds = bounds
        var prefixes: [[UInt8]] = []
        for bound in bounds + [.infinity] {
            var text: [UInt8] = []
            ExpositionNumbers.appendGoFloat(bound, to: &text)
            let le = String(decoding: text, as: UTF8.self)
            prefixes.append(SeriesSnapshot.renderPrefix(name: name + "_bucket", labels: labels.setting("le", to: le)))
        }
        bucketPrefixes = prefixes
        sumPrefix = SeriesSnapshot.renderPrefix(name: name + "_sum", labels: labels)
        countPrefix = SeriesSnapshot.renderPrefix(name: name + "_count", labels: labels)
        state = Mutex((Array(repeating: 0, count: bounds.count), 0, 0))
    }

    /// Records one observation.
    package func observe(_ value: Double) {
        var low = 0
        var high = bounds.count
        while low < high {
            let mid = (low + high) / 2
            if bounds[mid] < value { low = mid + 1 } else { high = mid }
        }
        state.withLock { state in
            if low < state.buckets.count { state.buckets[low] += 1 }
            state.sum += value
            state.count += 1
        }
    }

    /// Cumulative bucket counts (the last is `+Inf`), sum and count, read consistently.
    package var values: (cumulative: [UInt64], sum: Double, count: UInt64) {
        state.withLock { state in
            var running: UInt64 = 0
            var cumulative = state.buckets.map { bucket -> UInt64 in
                running += bucket
                return running
            }
            cumulative.append(state.count)
            return (cumulative, state.sum, state.count)
        }
    }
}

/// Lock-free add on a Double stored as its bit pattern.
enum AtomicDouble {
    static func add(_ amount: Double, to bits: borrowing Atomic<UInt64>) {
        var current = bits.load(ordering: .relaxed)
        while true {
            let next = (Double(bitPattern: current) + amount).bitPattern
            let (exchanged, original) = bits.compareExchange(
                expected: current, desired: next, successOrdering: .relaxed, failureOrdering: .relaxed
            )
            if exchanged { return }
            current = original
        }
    }
}
