import KlaxonMetrics

/// Small builders for batches and owners used across the store and exposition tests.
enum Fixtures {
    /// Generic owners: a push group adds `instance=""` to its exposed series (`pushGroupsExposeAnEmptyInstance`).
    static let job = SeriesOwner.internal("engine")
    static let other = SeriesOwner.internal("other")

    static func sample(_ name: String, _ value: Double, at timestamp: Int64? = nil) -> ParsedSample {
        sample(name, [:], value, at: timestamp)
    }

    static func sample(_ name: String, _ labels: [String: String], _ value: Double, at timestamp: Int64? = nil)
        -> ParsedSample
    {
        ParsedSample(name: name, labels: Labels(labels), value: value, timestamp: timestamp)
    }

    static func gauge(_ name: String, help: String? = nil, _ samples: ParsedSample...) -> ParsedFamily {
        ParsedFamily(name: name, type: .gauge, help: help, samples: samples)
    }

    static func family(
        _ name: String, _ type: MetricType, help: String? = nil, unit: String? = nil, _ samples: [ParsedSample]
    )
        -> ParsedFamily
    {
        ParsedFamily(name: name, type: type, help: help, unit: unit, samples: samples)
    }

    /// The text exposition of `store` as a string.
    static func text(_ store: SeriesStore, _ format: ExpositionFormat = .text) -> String {
        String(decoding: ExpositionWriter.render(store.snapshot(), format: format), as: UTF8.self)
    }

    static func matcher(_ name: String, _ type: MatchType, _ value: String) -> LabelMatcher {
        do { return try LabelMatcher(name, type, value) } catch {
            preconditionFailure("test matcher \(name)\(type.rawValue)\(value): \(error)")
        }
    }

    static func series(_ name: String, _ labels: [String: String] = [:]) -> Labels {
        Labels(labels).setting(Labels.metricNameLabel, to: name)
    }
}
