/// Times repeated runs of a closure on the monotonic clock.
public enum Timing {
    /// Runs `body` `warmup` times untimed, then `repetitions` times, and returns each timed run in seconds.
    public static func measure(repetitions: Int, warmup: Int = 3, _ body: () -> Void) -> [Double] {
        for _ in 0..<warmup { body() }
        var times: [Double] = []
        times.reserveCapacity(repetitions)
        let clock = ContinuousClock()
        for _ in 0..<repetitions {
            let start = clock.now
            body()
            times.append(seconds(clock.now - start))
        }
        return times
    }

    /// Seconds in `duration`, as a floating-point number.
    public static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}
