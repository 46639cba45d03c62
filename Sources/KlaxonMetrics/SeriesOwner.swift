/// Who publishes a set of series into the store; every live series has exactly one owner.
///
/// An owner's content is replaced, extended or deleted as a unit, and an owner that is not
/// refreshed within its `staleAfter` is expired with all its series.
package enum SeriesOwner: Hashable, Sendable, CustomStringConvertible {
    /// A Pushgateway group: `job` plus the grouping labels from the push URL.
    case pushGroup(Labels)
    /// A scrape target, by its URL or configured name.
    case scrapeTarget(String)
    /// A recording-rule group, by file and group name.
    case ruleGroup(String)
    /// Klaxon's own producers (JSON push API clients, internal series).
    case `internal`(String)

    package var description: String {
        switch self {
        case .pushGroup(let labels): "push group \(labels)"
        case .scrapeTarget(let target): "scrape target \(target)"
        case .ruleGroup(let group): "rule group \(group)"
        case .internal(let name): "internal producer \(name)"
        }
    }
}
