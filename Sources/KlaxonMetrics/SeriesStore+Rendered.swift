/// The store's live series rendered in one format, as of one store generation.
package struct RenderedSeries: Sendable {
    /// The store's generation this text shows (see `SeriesStore.rendered(_:)`).
    package let generation: UInt64
    /// Every family's exposition text, families sorted by name, without OpenMetrics' `# EOF`.
    package let bytes: [UInt8]
    /// The family names, sorted.
    package let names: [String]
    /// Where each family's text starts in `bytes`, one per name.
    package let starts: [Int]
}

// MARK: - Rendered text, cached per generation

extension SeriesStore {
    /// The live series rendered in `format`; rendered again only when the store changed since the last call.
    ///
    /// Between pushes and scrapes `/metrics` is asked for the same text over and over; each change to
    /// what the store shows bumps its generation, which invalidates this cache.
    package func rendered(_ format: ExpositionFormat) -> RenderedSeries {
        let current = generation
        if let cached = renderCache.withLock({ $0[format] }), cached.generation == current { return cached }
        let (snapshot, generation) = state.withLock { state in (state.exposition(), state.generation) }
        var bytes: [UInt8] = []
        let starts = ExpositionWriter.renderFamilies(snapshot.families, format: format, into: &bytes)
        let result = RenderedSeries(
            generation: generation, bytes: bytes, names: snapshot.families.map(\.name), starts: starts)
        renderCache.withLock { cache in
            // Another request may have rendered a newer generation meanwhile; keep the newest.
            if cache[format].map({ $0.generation < generation }) ?? true { cache[format] = result }
        }
        return result
    }

    /// A number that changes whenever what `/metrics` shows of the store changes.
    package var generation: UInt64 {
        state.withLock { $0.generation }
    }
}
