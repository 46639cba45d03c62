import Synchronization

/// Why registering a self-metric failed.
package struct MetricRegistryError: Error, Equatable, CustomStringConvertible {
    package let description: String
}

/// The instruments of one self-metric family, one per combination of label values.
///
/// Look an instrument up once and keep it: `labels(_:)` takes a lock, updates on the instrument do not.
package final class InstrumentFamily<Instrument: Sendable & AnyObject>: Sendable {
    /// The family name (counters without `_total`).
    package let name: String
    package let type: MetricType
    package let help: String
    package let labelNames: [String]
    private let sampleName: String
    private let make: @Sendable (String, Labels) -> Instrument
    private let instruments: Mutex<[[String]: Instrument]>

    init(name: String, sampleName: String, type: MetricType, help: String, labelNames: [String],
         make: @escaping @Sendable (String, Labels) -> Instrument) {
        self.name = name
        self.sampleName = sampleName
        self.type = type
        self.help = help
        self.labelNames = labelNames
        self.make = make
        instruments = Mutex([:])
    }

    /// The instrument for `values`, one per label name in order; created on first use.
    ///
    /// A count that does not match the label names is a bug in Klaxon's own code and traps.
    package func labels(_ values: String...) -> Instrument {
        labels(values)
    }

    /// The instrument for `values`, one per label name in order; created on first use.
    package func labels(_ values: [String]) -> Instrument {
        precondition(values.count == labelNames.count, "self-metric \(name) takes labels \(labelNames), got \(values.count) values")
        return instruments.withLock { instruments in
            if let existing = instruments[values] { return existing }
            let labels = Labels(zip(labelNames, values).map { Label($0.0, $0.1) })
            let created = make(sampleName, labels)
            instruments[values] = created
            return created
        }
    }

    /// Every instrument with its labels, sorted by labels.
    func all(labelsOf: (Instrument) -> Labels) -> [Instrument] {
        instruments.withLock { Array($0.values) }.sorted { labelsOf($0) < labelsOf($1) }
    }
}
