/// SplitMix64: a small, fast, seeded generator. A seed names one sequence on every platform, so the
/// demo's noise and a test's random inputs repeat from run to run, and a failure replays.
package struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    package init(seed: UInt64) {
        state = seed
    }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0..<bound` (`bound` > 0), by remainder: fine for tests and noise, not for cryptography.
    package mutating func next(below bound: Int) -> Int {
        Int(next() % UInt64(max(1, bound)))
    }

    /// A value in [0, 1).
    package mutating func unit() -> Double {
        Double(next() >> 11) / Double(1 << 53)
    }
}
