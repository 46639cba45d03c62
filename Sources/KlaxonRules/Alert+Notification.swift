/// The times and link an alert carries to Alertmanager (and to Klaxon's notifiers), derived as
/// Prometheus's notifier derives them from a rule's alert.
extension Alert {
    /// `startsAt`: when the alert fired (nil while pending; pending alerts are never sent).
    package var startsAt: Int64? { firedAt }

    /// `endsAt`: the resolution time once resolved, else how long the alert stays valid.
    package var endsAt: Int64? { resolvedAt ?? validUntil }
}

extension AlertingRule {
    /// `generatorURL`: the expression's table view under `externalURL`, as Prometheus links it
    /// (`/graph?g0.expr=…&g0.tab=1`, the expression escaped like Go's `url.QueryEscape`).
    package func generatorURL(externalURL: String) -> String {
        externalURL + "/graph?g0.expr=" + Self.queryEscape(expression) + "&g0.tab=1"
    }

    /// Go's `url.QueryEscape`: unreserved bytes kept, space as `+`, everything else `%XX`.
    static func queryEscape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                out += "+"
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return out
    }
}
