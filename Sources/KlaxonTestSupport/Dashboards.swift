import Foundation

/// One query of one panel of a dashboard in `dashboards/`.
package struct DashboardQuery: Sendable, Equatable, CustomStringConvertible {
    /// The dashboard's file name (`engine-health.json`).
    package var dashboard: String
    /// The panel's `id`.
    package var panelID: Int
    /// The panel's title.
    package var panelTitle: String
    /// The target's `refId`.
    package var refID: String
    /// The `expr` as written, with Grafana's variables.
    package var expression: String
    /// The `expr` ready to send to Prometheus or Klaxon: every variable replaced (`Dashboards.substitute`).
    package var query: String

    package var description: String { "\(dashboard) panel \(panelID) \"\(panelTitle)\" \(refID): \(expression)" }
}

/// The Grafana dashboards of `dashboards/`, read as plain JSON so tests can check them and run their queries.
package enum Dashboards {
    /// The folder holding the dashboards.
    package static var directory: URL { Executables.packageRoot.appendingPathComponent("dashboards") }

    /// Every dashboard file, sorted by name.
    package static func files() -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().map { directory.appendingPathComponent($0) }
    }

    /// A dashboard's JSON object.
    package static func load(_ file: URL) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any] else {
            throw DashboardError(message: "\(file.lastPathComponent) is not a JSON object")
        }
        return object
    }

    /// Every panel of a dashboard, those inside rows included, in order.
    package static func panels(of dashboard: [String: Any]) -> [[String: Any]] {
        var found: [[String: Any]] = []
        for panel in dashboard["panels"] as? [[String: Any]] ?? [] {
            found.append(panel)
            found += panel["panels"] as? [[String: Any]] ?? []
        }
        return found
    }

    /// The names of the dashboard's template variables (`templating.list[].name`).
    package static func variables(of dashboard: [String: Any]) -> [String] {
        let templating = dashboard["templating"] as? [String: Any]
        return (templating?["list"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
    }

    /// Every panel query of every dashboard, with variables replaced.
    package static func allQueries() throws -> [DashboardQuery] {
        var all: [DashboardQuery] = []
        for file in files() {
            all += queries(in: try load(file), file: file.lastPathComponent)
        }
        return all
    }

    /// Every panel query of one dashboard, with variables replaced.
    package static func queries(in dashboard: [String: Any], file: String) -> [DashboardQuery] {
        let variables = variables(of: dashboard)
        var queries: [DashboardQuery] = []
        for panel in panels(of: dashboard) {
            for target in panel["targets"] as? [[String: Any]] ?? [] {
                guard let expression = target["expr"] as? String else { continue }
                queries.append(
                    DashboardQuery(
                        dashboard: file, panelID: panel["id"] as? Int ?? 0, panelTitle: panel["title"] as? String ?? "",
                        refID: target["refId"] as? String ?? "", expression: expression,
                        query: substitute(expression, variables: variables)))
            }
        }
        return queries
    }

    /// Grafana's built-in variables as a test evaluates them, over a one-hour dashboard.
    package static let builtIns = ["__rate_interval": "1m", "__interval": "15s", "__range": "1h"]

    /// `expr` with each `$name`, `${name}` and `[[name]]` of the dashboard's `variables` replaced by
    /// `.*` (the "All" value the dashboards use in `=~` matchers), and Grafana's built-ins by `builtIns`.
    package static func substitute(_ expression: String, variables: [String]) -> String {
        var values = builtIns
        for name in variables { values[name] = ".*" }
        var text = expression
        // Longest names first, so `$instance_x` is never cut at `$instance`.
        for (name, value) in values.sorted(by: { $0.key.count > $1.key.count }) {
            text = text.replacingOccurrences(of: "${\(name)}", with: value)
            text = text.replacingOccurrences(of: "[[\(name)]]", with: value)
            text = text.replacingOccurrences(of: "$\(name)", with: value)
        }
        return text
    }
}

/// A dashboard file is not what the tests expect.
package struct DashboardError: Error, CustomStringConvertible {
    package let message: String
    package var description: String { message }
}
