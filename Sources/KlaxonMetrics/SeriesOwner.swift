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

    /// True for a push group: its series without an `instance` label are exposed with `instance=""`, as the
    /// Pushgateway exposes them, so a Prometheus scraping with `honor_labels: true` keeps `instance` empty
    /// instead of stamping the exporter's own address on them. Inside Klaxon (queries, rules) the label stays
    /// absent, as it is in Prometheus after that scrape.
    package var exposesEmptyInstance: Bool {
        if case .pushGroup = self { return true }
        return false
    }

    /// True for a rule group's output.
    var isRuleGroup: Bool {
        if case .ruleGroup = self { return true }
        return false
    }

    package var description: String {
        switch self {
        case .pushGroup(let labels): "push group \(labels)"
        case .scrapeTarget(let target): "scrape target \(target)"
        case .ruleGroup(let group): "rule group \(group)"
        case .internal(let name): "internal producer \(name)"
        }
    }
}
