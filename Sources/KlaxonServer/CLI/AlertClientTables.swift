import KlaxonIngest

/// The readable tables the alert client commands print by default (`--json` prints the API's answer).
enum AlertClientTables {
    /// FINGERPRINT STATE SEVERITY ALERTNAME SINCE LABELS, one firing alert per line.
    static func alerts(_ data: JSONValue?) -> String {
        let alerts = data?["alerts"]?.elements ?? []
        guard !alerts.isEmpty else { return "No firing alerts.\n" }
        let rows = alerts.map { alert -> [String] in
            let labels = (alert["labels"]?.members ?? [])
                .filter { !["alertname", "severity"].contains($0.key) }
                .map { "\($0.key)=\($0.value.text ?? "")" }
                .joined(separator: " ")
            return [
                alert["fingerprint"]?.text ?? "", alert["state"]?.text ?? "", alert["severity"]?.text ?? "",
                alert["labels"]?["alertname"]?.text ?? "", alert["startsAt"]?.text ?? "", labels,
            ]
        }
        return table(["FINGERPRINT", "STATE", "SEVERITY", "ALERTNAME", "SINCE", "LABELS"], rows)
    }

    /// ID STATE ENDS CREATED_BY MATCHERS COMMENT.
    static func silences(_ data: JSONValue?) -> String {
        let silences = data?["silences"]?.elements ?? []
        guard !silences.isEmpty else { return "No silences.\n" }
        let rows = silences.map { silence -> [String] in
            let ends = silence["endsAt"]?.text ?? "when \(silence["untilResolved"]?.text ?? "its alert") resolves"
            let matchers = (silence["matchers"]?.elements ?? []).compactMap(\.text).joined(separator: " ")
            return [
                silence["id"]?.text ?? "", silence["state"]?.text ?? "", ends, silence["createdBy"]?.text ?? "",
                matchers, silence["comment"]?.text ?? "",
            ]
        }
        return table(["ID", "STATE", "ENDS", "CREATED_BY", "MATCHERS", "COMMENT"], rows)
    }

    /// TIME KIND SEVERITY ALERTNAME FINGERPRINT RECEIVER DETAIL, then the next page's cursor.
    static func history(_ data: JSONValue?) -> String {
        let records = data?["records"]?.elements ?? []
        var out =
            records.isEmpty
            ? "No records.\n"
            : table(
                ["TIME", "KIND", "SEVERITY", "ALERTNAME", "FINGERPRINT", "RECEIVER", "DETAIL"],
                records.map { record in
                    var kind = record["kind"]?.text ?? ""
                    if let stage = record["stage"]?.text { kind += "(\(stage))" }
                    return [
                        record["time"]?.text ?? "", kind, record["severity"]?.text ?? "-",
                        record["alertname"]?.text ?? "", record["fingerprint"]?.text ?? "-",
                        record["receiver"]?.text ?? "", record["detail"]?.text ?? "",
                    ]
                })
        if let cursor = data?["nextCursor"]?.text { out += "More records: add --cursor \(cursor)\n" }
        return out
    }

    /// Left-aligned columns two spaces apart; the last column is not padded. Control characters
    /// in cells print as spaces so one row stays one line.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let cleaned = ([header] + rows).map { row in
            row.map { cell in String(cell.map { $0.isNewline || $0 == "\t" ? " " : $0 }) }
        }
        var widths = header.map { _ in 0 }
        for row in cleaned {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        var out = ""
        for row in cleaned {
            var line = ""
            for (index, cell) in row.enumerated() {
                if index == row.count - 1 {
                    line += cell
                } else {
                    line += cell + String(repeating: " ", count: widths[index] - cell.count + 2)
                }
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        return out
    }
}
