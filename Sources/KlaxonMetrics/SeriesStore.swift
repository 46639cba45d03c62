import Synchronization

/// The in-memory series store: every pushed, scraped and recorded series with a bounded sample history.
///
/// Series belong to owners (push groups, scrape targets, rule groups). Each operation validates
/// its batch whole before changing anything. Series that disappear get a stale marker and leave
/// `/metrics`; their history stays queryable until it falls out of the retention window.
package final class SeriesStore: Sendable {
    let state: Mutex<SeriesStoreState>
    /// The last rendering in each format, for `rendered(_:)`.
    let renderCache = Mutex<[ExpositionFormat: RenderedSeries]>([:])
    /// The limits this store was built with.
    package let options: SeriesStoreOptions

    package init(options: SeriesStoreOptions = SeriesStoreOptions()) {
        self.options = options
        state = Mutex(SeriesStoreState(options: options))
    }

    // MARK: - Owner operations

    /// Replaces everything `owner` publishes with `families` at `now` (Pushgateway PUT, a scrape result).
    package func replace(owner: SeriesOwner, with families: [ParsedFamily], now: Int64, staleAfter: Int64? = nil)
        throws(SeriesStoreError)
    {
        try run(owner: owner, families: families, scope: .all, now: now, staleAfter: staleAfter)
    }

    /// Replaces only the families named in `families`, keeping `owner`'s others (Pushgateway POST).
    package func replaceFamilies(
        owner: SeriesOwner, with families: [ParsedFamily], now: Int64, staleAfter: Int64? = nil
    )
        throws(SeriesStoreError)
    {
        try run(owner: owner, families: families, scope: .families, now: now, staleAfter: staleAfter)
    }

    /// Appends samples for `owner` without removing any of its other series (JSON push, recording rules).
    package func append(owner: SeriesOwner, _ families: [ParsedFamily], now: Int64, staleAfter: Int64? = nil)
        throws(SeriesStoreError)
    {
        try run(owner: owner, families: families, scope: .none, now: now, staleAfter: staleAfter)
    }

    /// Removes `owner` and marks all its series stale at `now` (Pushgateway DELETE).
    package func delete(owner: SeriesOwner, now: Int64) {
        state.withLock { $0.deleteOwner(owner, now: now) }
    }

    /// Expires owners not updated within their `staleAfter` and forgets history older than the retention.
    /// Returns the owners expired.
    @discardableResult
    package func expireStale(now: Int64) -> [SeriesOwner] {
        state.withLock { state in
            let expired = state.owners.filter { now &- $0.value.lastUpdate >= $0.value.staleAfter }.map(\.key)
            for owner in expired { state.deleteOwner(owner, now: now) }
            state.collectGarbage(now: now)
            return expired
        }
    }

    /// Keeps at least `milliseconds` of history in every series, for rules that read that far back
    /// (their longest range or lookback plus offset, told at each rule load and reload). The
    /// configured retention stays the floor; count caps scale with the history kept.
    package func setRuleHistory(_ milliseconds: Int64) {
        state.withLock { $0.setRuleHistory(milliseconds) }
    }

    /// The history every series keeps now, milliseconds: the longer of the configured retention and
    /// what the rules read.
    package var retentionInEffect: Int64 { state.withLock { $0.retention } }

    private func run(owner: SeriesOwner, families: [ParsedFamily], scope: ReplaceScope, now: Int64, staleAfter: Int64?)
        throws(SeriesStoreError)
    {
        let staleAfter = max(1, staleAfter ?? options.defaultStaleAfter)
        try state.withLock { (state: inout SeriesStoreState) throws(SeriesStoreError) in
            let prepared = try state.prepare(families, owner: owner, scope: scope)
            state.apply(prepared, owner: owner, scope: scope, now: now, staleAfter: staleAfter)
        }
    }

    // MARK: - Reading

    /// The live series' newest values for `/metrics`; render it after this returns, outside the lock.
    package func snapshot() -> ExpositionSnapshot {
        state.withLock { $0.exposition() }
    }

    /// Counters and gauges about the store itself, for klaxon_* self-metrics.
    package var statistics: SeriesStoreStatistics {
        state.withLock { state in
            SeriesStoreStatistics(
                liveSeries: state.liveCount, storedSeries: state.idByLabels.count, owners: state.owners.count,
                refusedBatches: state.refusedBatches, outOfOrderSamples: state.outOfOrderSamples,
                memory: state.memory()
            )
        }
    }

    /// The owners present and the time of their last update.
    package func ownerUpdates() -> [(owner: SeriesOwner, lastUpdate: Int64)] {
        state.withLock { state in state.owners.map { ($0.key, $0.value.lastUpdate) } }
    }
}

/// Numbers about the store for self-metrics.
package struct SeriesStoreStatistics: Sendable, Equatable {
    /// Series shown on `/metrics`.
    package var liveSeries: Int
    /// Series kept, including stale ones still inside the retention window.
    package var storedSeries: Int
    package var owners: Int
    /// Batches refused because they would exceed the series limit.
    package var refusedBatches: Int
    /// Samples dropped because they were older than their series' newest sample.
    package var outOfOrderSamples: Int
    /// The memory the store holds, by kind (`klaxon_store_bytes`).
    package var memory: SeriesStoreMemory
}
