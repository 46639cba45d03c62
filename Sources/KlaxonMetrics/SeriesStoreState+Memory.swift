// MARK: - Memory accounting

/// What the store holds in memory, by kind, for `klaxon_store_bytes`.
///
/// Samples are counted exactly (the rings' chunk blocks); labels and the index are estimated from
/// the sizes of their structures (string and array headers, hash tables at their capacity), not
/// from malloc's own bookkeeping, so RSS is somewhat higher than the sum.
package struct SeriesStoreMemory: Sendable, Equatable {
    /// The chunk blocks of every series.
    package var samples: Int
    /// Label sets, metric and family names, and each series' rendered `name{labels}` text.
    package var labels: Int
    /// The series table, the newest-sample table, the labels → id map, the postings and the table of
    /// large-batch times.
    package var index: Int
    /// Samples kept, over all series.
    package var sampleCount: Int
    /// Large-batch times kept for the samples coded against them (`SampleTimeTable`; its bytes count in `index`).
    package var sampleTimes: Int

    package init(samples: Int = 0, labels: Int = 0, index: Int = 0, sampleCount: Int = 0, sampleTimes: Int = 0) {
        self.samples = samples
        self.labels = labels
        self.index = index
        self.sampleCount = sampleCount
        self.sampleTimes = sampleTimes
    }

    package var total: Int { samples + labels + index }
}

extension SeriesStoreState {
    /// The memory the store holds now.
    func memory() -> SeriesStoreMemory {
        // A hash table entry costs its key and value plus about a third more for the free slots.
        let table =
            series.capacity * MemoryLayout<StoredSeries?>.stride + heads.capacity * MemoryLayout<SeriesHead>.stride
            + freeIDs.capacity * 8 + batchPositions.capacity * 4 + batchPositionIDs.capacity * 8
            + sampleTimes.allocatedBytes
        let byLabels = idByLabels.capacity * (MemoryLayout<Labels>.stride + 8)
        let postingsBytes = postingEntries * 8 * 4 / 3 + postingSets * (Self.setOverhead + 48)
        return SeriesStoreMemory(
            samples: sampleBytes, labels: labelBytes, index: table + byLabels + postingsBytes,
            sampleCount: sampleCount, sampleTimes: sampleTimes.count)
    }

    /// Heap bytes of a Swift set or dictionary beside its entries.
    static let setOverhead = 48

    /// Heap bytes of one string: nothing up to 15 UTF-8 bytes (kept inline), else its bytes and a header.
    static func stringBytes(_ text: String) -> Int {
        let count = text.utf8.count
        return count <= 15 ? 0 : count + 32
    }

    /// Estimated heap bytes of a stored series' labels, names and rendered label text.
    static func labelBytes(of stored: StoredSeries) -> Int {
        var total = 32 + stored.labels.count * MemoryLayout<Label>.stride
        for label in stored.labels { total += stringBytes(label.name) + stringBytes(label.value) }
        total += stringBytes(stored.family) + 32 + stored.prefix.count
        if let openMetrics = stored.openMetricsPrefix { total += 32 + openMetrics.count }
        return total
    }

    /// The bytes one more series would cost now: the average of those stored, or an estimate for a
    /// store without any (a few labels, an hour of 1 s samples of a steady value).
    var bytesPerSeries: Int {
        let count = idByLabels.count
        guard count > 0 else { return 2_000 }
        return memory().total / count
    }
}
