/// Limits and defaults of a `SeriesStore`.
package struct SeriesStoreOptions: Sendable, Equatable {
    /// How far back samples are kept, in milliseconds (older ones are dropped on append and by expiry).
    package var retention: Int64
    /// The most samples one series keeps; the ring buffer overwrites the oldest beyond it.
    package var maxSamplesPerSeries: Int
    /// The most live series the store accepts; a batch that would exceed it is refused whole.
    package var maxSeries: Int
    /// How long an owner may go without an update before `expireStale` removes it, in milliseconds.
    package var defaultStaleAfter: Int64

    /// Defaults: 1 h retention, at most 3 600 samples per series (1 h at 1 s), 100 000 series,
    /// owners expire after 5 min without an update.
    package init(
        retention: Int64 = 3_600_000,
        maxSamplesPerSeries: Int = 3_600,
        maxSeries: Int = 100_000,
        defaultStaleAfter: Int64 = 300_000
    ) {
        self.retention = max(1, retention)
        self.maxSamplesPerSeries = max(1, maxSamplesPerSeries)
        self.maxSeries = max(0, maxSeries)
        self.defaultStaleAfter = max(1, defaultStaleAfter)
    }

    /// The count cap for keeping `retention`: `maxSamplesPerSeries` scaled by `retention / self.retention`
    /// (the configured sample density), never below `maxSamplesPerSeries` nor above 86 400 unless configured so.
    package func samplesPerSeries(forRetention retention: Int64) -> Int {
        guard retention > self.retention else { return maxSamplesPerSeries }
        let (scaled, overflow) = Int64(maxSamplesPerSeries).multipliedReportingOverflow(by: retention)
        let wanted = overflow ? Int64.max : scaled / self.retention
        return max(maxSamplesPerSeries, Int(min(wanted, 86_400)))
    }
}
