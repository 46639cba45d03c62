/// How urgent an alert is: Klaxon's `severity` label, P0 (core trading at risk) to P3 (informational).
///
/// Ordered by urgency: `P0 < P1` reads "P0 is more urgent than P1".
package enum Severity: Int, Sendable, Hashable, Comparable, CaseIterable, CustomStringConvertible {
    case p0 = 0
    case p1 = 1
    case p2 = 2
    case p3 = 3

    /// `P0` … `P3`, as the label is written.
    package var name: String { "P\(rawValue)" }

    package var description: String { name }

    /// The severity named `P0` … `P3`; nil for anything else.
    package init?(name: String) {
        guard let severity = Severity.allCases.first(where: { $0.name == name }) else { return nil }
        self = severity
    }

    /// The marker that opens a message: P0 🚨, P1 ⚠️, P2 ⚡, P3 ℹ️.
    package var marker: String {
        switch self {
        case .p0: "🚨"
        case .p1: "⚠️"
        case .p2: "⚡"
        case .p3: "ℹ️"
        }
    }

    package static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rawValue < rhs.rawValue }
}
