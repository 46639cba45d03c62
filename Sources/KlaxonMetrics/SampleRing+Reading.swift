// MARK: - Range reads, decoding forward

extension SampleRing {
    /// The samples in `[start, end]`, oldest first. Chunks that end before `start` are skipped
    /// by their header; decoding stops at the first sample after `end`.
    func samples(from start: Int64, through end: Int64, times: SampleTimes = .none) -> [Sample] {
        guard start <= end, let newest, let oldestTime = oldestTimestamp, oldestTime <= end else { return [] }
        var result: [Sample] = []
        // Sized once for the share of the ring's time span the range covers (samples are usually even),
        // so a long read does not regrow its array a dozen times.
        let span = Double(newest.timestamp) - Double(oldestTime)
        let covered = Double(min(end, newest.timestamp)) - Double(max(start, oldestTime))
        if span > 0, covered >= 0 {
            result.reserveCapacity(min(count, Int(Double(count) * covered / span) + 2))
        }
        forEachChunk(times: times) { header, chunk, oldest in
            guard header.lastTimestamp >= start else { return true }
            var cursor = oldest ?? XORCursor(chunk)
            while cursor.isValid {
                if cursor.timestamp < start { cursor.skipRepeats(through: start &- 1, in: chunk) }
                let time = cursor.timestamp
                if time > end { return false }
                if time >= start { result.append(cursor.sample) }
                guard cursor.advance(in: chunk) else { break }
            }
            return true
        }
        if newest.timestamp >= start && newest.timestamp <= end { result.append(newest) }
        return result
    }

    /// The newest sample in `[start, end]`. The newest sample answers most calls; otherwise only
    /// the chunk holding `end` is decoded, found by the chunks' first timestamps.
    func latest(from start: Int64, through end: Int64, times: SampleTimes = .none) -> Sample? {
        guard start <= end, let newest else { return nil }
        if newest.timestamp <= end { return newest.timestamp >= start ? newest : nil }
        var holding: (chunk: ChunkView, oldest: XORCursor?, last: Int64)?
        forEachChunk(times: times) { header, chunk, oldest in
            guard (oldest?.timestamp ?? header.firstTimestamp) <= end, oldest?.isValid ?? true else { return false }
            holding = (chunk, oldest, header.lastTimestamp)
            return true
        }
        guard let holding, holding.last >= start else { return nil }
        var cursor = holding.oldest ?? XORCursor(holding.chunk)
        var found: Sample?
        while cursor.isValid, cursor.timestamp <= end {
            cursor.skipRepeats(through: end, in: holding.chunk)
            found = cursor.sample
            guard cursor.advance(in: holding.chunk) else { break }
        }
        guard let found, found.timestamp >= start else { return nil }
        return found
    }
}
