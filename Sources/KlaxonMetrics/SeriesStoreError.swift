/// Why the series store refused a batch; nothing of a refused batch is applied.
package struct SeriesStoreError: Error, Equatable, CustomStringConvertible {
    /// The closed set of refusal reasons, for callers that map them to HTTP statuses.
    package enum Kind: Sendable, Equatable {
        case invalidName
        case sampleOutsideFamily
        case duplicateFamily
        case duplicateSeries
        case typeConflict
        case nameClash
        case seriesOwnedElsewhere
        case seriesLimit
    }

    /// The reason class.
    package let kind: Kind
    /// A sentence an operator can act on.
    package let description: String

    static func invalidName(_ what: String, _ name: String, family: String) -> SeriesStoreError {
        SeriesStoreError(
            kind: .invalidName,
            description:
                "metric family \(family): invalid \(what) \"\(name)\"; names must match [a-zA-Z_:][a-zA-Z0-9_:]* "
                + "(label names: [a-zA-Z_][a-zA-Z0-9_]*, not starting with __)"
        )
    }

    static func sampleOutsideFamily(_ sample: String, family: String, type: MetricType, allowed: [String])
        -> SeriesStoreError
    {
        let names = allowed.map { family + $0 }.joined(separator: ", ")
        return SeriesStoreError(
            kind: .sampleOutsideFamily,
            description:
                "metric family \(family) of type \(type.rawValue) cannot hold sample \(sample); allowed names: \(names)"
        )
    }

    static func duplicateFamily(_ family: String) -> SeriesStoreError {
        SeriesStoreError(
            kind: .duplicateFamily, description: "metric family \(family) appears twice in one batch; send it once")
    }

    static func duplicateSeries(_ labels: Labels) -> SeriesStoreError {
        SeriesStoreError(
            kind: .duplicateSeries, description: "series \(labels) appears twice in one batch; send each series once")
    }

    static func typeConflict(_ family: String, existing: MetricType, new: MetricType) -> SeriesStoreError {
        SeriesStoreError(
            kind: .typeConflict,
            description: "metric family \(family) is already stored as \(existing.rawValue) by another producer; "
                + "it cannot also be \(new.rawValue) (rename one of them or use the same type)"
        )
    }

    static func nameClash(_ sample: String, family: String, other: String) -> SeriesStoreError {
        SeriesStoreError(
            kind: .nameClash,
            description:
                "sample name \(sample) of metric family \(family) clashes with the series of metric family \(other); "
                + "rename one of the families"
        )
    }

    static func ownedElsewhere(_ labels: Labels, owner: SeriesOwner) -> SeriesStoreError {
        SeriesStoreError(
            kind: .seriesOwnedElsewhere,
            description: "series \(labels) is already published by \(owner); one series can have only one producer"
        )
    }

    static func seriesLimit(limit: Int, wouldBe: Int, bytesPerSeries: Int) -> SeriesStoreError {
        SeriesStoreError(
            kind: .seriesLimit,
            description: "series limit reached: the batch would raise the stored series to \(wouldBe), "
                + "above the limit of \(limit); delete unused groups or raise the limit (ingest.series_limit): "
                + "each series costs about \(byteText(bytesPerSeries)) of memory here "
                + "(samples, labels and index, klaxon_store_bytes)"
        )
    }

    /// A byte count as people read it: `812 B`, `3.4 KiB`, `1.2 MiB`.
    package static func byteText(_ bytes: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        guard unit > 0 else { return "\(bytes) B" }
        let tenths = (value * 10).rounded() / 10
        return "\(tenths) \(units[unit])"
    }
}
