// MARK: - Keeping the sample-time tables small

extension SeriesStoreState {
    /// Drops the `sampleTimes` entries older than twice the retention before `now`, after recoding the
    /// few rings that still hold samples that old (a series whose owner stopped writing it but keeps it
    /// live): their samples then carry their own timestamps, so no ring refers to a dropped entry.
    ///
    /// Twice the retention: a series written by every batch holds about one retention of history, so
    /// only series idle for a whole retention are recoded, and each owner's table holds two retentions of
    /// large-batch times (16 bytes a second at 1 Hz) and at most an eighth more.
    mutating func trimSampleTimes(now: Int64) {
        let (window, overflow) = retention.multipliedReportingOverflow(by: 2)
        guard !overflow else { return }
        let cutoff = now &- window
        // Trimmed an eighth of a retention at a time, so the walk over the series below is rare.
        guard cutoff < now, let oldest = sampleTimes.oldest, oldest < cutoff &- retention / 8 else { return }
        let times = sampleTimes.view
        let old = series.withUnsafeBufferPointer { buffer in
            buffer.indices.filter { id in buffer[id]?.ring.oldestTimestamp.map { $0 < cutoff } ?? false }
        }
        for id in old {
            let before = series[id]?.ring.allocatedBytes ?? 0
            // Optional chaining mutates the ring in place.
            series[id]?.ring.detachFromTable(times: times)
            sampleBytes += (series[id]?.ring.allocatedBytes ?? 0) - before
        }
        sampleTimes.dropEntries(before: cutoff)
    }
}
