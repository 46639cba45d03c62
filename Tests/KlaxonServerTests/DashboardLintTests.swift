import Foundation
import KlaxonConfig
import KlaxonMetrics
import KlaxonPromQL
import KlaxonRules
import KlaxonServer
import KlaxonTestSupport
import Testing

/// The Grafana dashboards in `dashboards/` are valid, read only metrics that exist, through the
/// data source variable, and draw the thresholds the alert rules use.
@Suite struct DashboardLintTests {
    private static let files = Dashboards.files()
    private static let repository = Executables.packageRoot

    private static func dashboards() throws -> [(file: String, json: [String: Any])] {
        try files.map { ($0.lastPathComponent, try Dashboards.load($0)) }
    }

    @Test func theFiveDashboardsArePresent() {
        #expect(
            Self.files.map(\.lastPathComponent)
                == ["alerts.json", "engine-health.json", "klaxon.json", "risk-guards.json", "trading-kpis.json"])
    }

    @Test(.enabled(if: PythonValidator.shouldRun(needing: ["jsonschema"]), "needs python3 with jsonschema"))
    func everyDashboardValidatesAgainstGrafanasSchema() throws {
        let schema = Self.repository.appendingPathComponent("../shared/conformance/grafana-dashboard.jsonschema.json")
        let problems = try PythonValidator.validate(Self.files, schema: schema.standardizedFileURL)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test func panelIDsAreUniqueAndEveryPanelHasADescriptionAndAUnit() throws {
        for (file, dashboard) in try Self.dashboards() {
            let panels = Dashboards.panels(of: dashboard)
            let ids = panels.compactMap { $0["id"] as? Int }
            #expect(ids.count == panels.count, "\(file): a panel has no id")
            #expect(Set(ids).count == ids.count, "\(file): panel ids repeat: \(ids)")
            for panel in panels where panel["type"] as? String != "row" {
                let title = panel["title"] as? String ?? "?"
                let description = panel["description"] as? String ?? ""
                #expect(!description.isEmpty, "\(file) \"\(title)\" has no description")
                let defaults = (panel["fieldConfig"] as? [String: Any])?["defaults"] as? [String: Any]
                let unit = defaults?["unit"] as? String ?? ""
                #expect(!unit.isEmpty, "\(file) \"\(title)\" has no unit")
            }
        }
    }

    @Test func everyPanelAndQueryUsesTheDatasourceVariable() throws {
        for (file, dashboard) in try Self.dashboards() {
            let list = (dashboard["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? []
            let variable = list.first { $0["name"] as? String == "datasource" }
            #expect(variable?["type"] as? String == "datasource", "\(file): no datasource variable")
            #expect(variable?["query"] as? String == "prometheus", "\(file): the variable must list Prometheus sources")
            for panel in Dashboards.panels(of: dashboard) where panel["type"] as? String != "row" {
                let title = panel["title"] as? String ?? "?"
                #expect(Self.usesVariable(panel["datasource"]), "\(file) \"\(title)\": datasource is not ${datasource}")
                for target in panel["targets"] as? [[String: Any]] ?? [] {
                    #expect(
                        Self.usesVariable(target["datasource"]), "\(file) \"\(title)\": a target has its own source")
                }
                #expect(!(panel["targets"] as? [[String: Any]] ?? []).isEmpty, "\(file) \"\(title)\" has no query")
            }
            for variable in list where variable["type"] as? String == "query" {
                let name = variable["name"] as? String ?? "?"
                #expect(Self.usesVariable(variable["datasource"]), "\(file): variable \(name) has its own source")
            }
        }
    }

    private static func usesVariable(_ datasource: Any?) -> Bool {
        guard let datasource = datasource as? [String: Any] else { return false }
        return datasource["uid"] as? String == "${datasource}" && datasource["type"] as? String == "prometheus"
    }

    @Test func everyQueryParsesAndUsesOnlyDefinedVariables() throws {
        let queries = try Dashboards.allQueries()
        #expect(queries.count >= 50, "\(queries.count) queries")
        for query in queries {
            #expect(throws: Never.self, "\(query)") { _ = try PromQL.parse(query.query) }
            #expect(!query.query.contains("$"), "\(query): a variable the dashboard does not define")
        }
    }

    @Test func queriesReadOnlyCatalogueMetricsAndKlaxonsOwn() throws {
        var known = try Self.catalogueMetrics()
        for family in try Self.selfMetricFamilies() {
            known.insert(family.name)
            // The registry keeps counters under their OpenMetrics family name, without `_total`.
            if family.type == .counter { known.insert(family.name + "_total") }
            if family.type == .histogram {
                for suffix in ["_bucket", "_sum", "_count"] { known.insert(family.name + suffix) }
            }
        }
        for query in try Dashboards.allQueries() {
            let expr = try PromQL.parse(query.query)
            for selector in expr.selectors {
                let name = Self.metricName(selector)
                #expect(name != nil, "\(query): a selector without a metric name")
                if let name {
                    let isKnown = known.contains(name)
                    #expect(isKnown, "\(query): \(name) is neither in docs/kpi-catalogue.md nor a self-metric")
                }
            }
        }
    }

    @Test func panelThresholdsAreTheAlertRulesThresholds() throws {
        let rules = try Self.ruleThresholds()
        #expect(!rules.comparisons.isEmpty)
        var checked = 0
        for (file, dashboard) in try Self.dashboards() {
            let variables = Dashboards.variables(of: dashboard)
            for panel in Dashboards.panels(of: dashboard) {
                let title = panel["title"] as? String ?? "?"
                let defaults = (panel["fieldConfig"] as? [String: Any])?["defaults"] as? [String: Any]
                let steps = (defaults?["thresholds"] as? [String: Any])?["steps"] as? [[String: Any]] ?? []
                let values = steps.compactMap { $0["value"] as? Double }
                guard !values.isEmpty else { continue }
                var read: Set<String> = []
                for target in panel["targets"] as? [[String: Any]] ?? [] {
                    guard let text = target["expr"] as? String else { continue }
                    let expr = try PromQL.parse(Dashboards.substitute(text, variables: variables))
                    read.formUnion(rules.expand(Set(expr.selectors.compactMap(DashboardLintTests.metricName))))
                }
                let allowed = rules.comparisons.filter { !$0.names.isDisjoint(with: read) }.map(\.value)
                for value in values {
                    #expect(
                        allowed.contains(value) || allowed.contains(-value),
                        "\(file) \"\(title)\": threshold \(value) is in no alert rule on \(read.sorted()); rules use \(allowed)"
                    )
                    checked += 1
                }
            }
        }
        #expect(checked >= 20, "only \(checked) thresholds were checked")
    }

    @Test func provisioningOffersPrometheusAndKlaxonAndLoadsTheDashboards() throws {
        let folder = Self.repository.appendingPathComponent("dashboards/provisioning")
        let sourcesFile = folder.appendingPathComponent("datasources/klaxon.yml")
        let sources = try YAML.parse(String(contentsOf: sourcesFile, encoding: .utf8), file: sourcesFile.path)
        let entries = sources["datasources"]?.sequenceItems ?? []
        #expect(entries.compactMap { $0["type"]?.scalarText } == ["prometheus", "prometheus"])
        let uids = Set(entries.compactMap { $0["uid"]?.scalarText })
        #expect(uids == ["prometheus", "klaxon"])
        #expect(entries.compactMap { $0["url"]?.scalarText } == ["http://prometheus:9090", "http://klaxon:9477"])
        for (file, dashboard) in try Self.dashboards() {
            let list = (dashboard["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? []
            let current = list.first { $0["name"] as? String == "datasource" }?["current"] as? [String: Any]
            #expect(uids.contains(current?["value"] as? String ?? ""), "\(file): the default source is not provisioned")
        }
        let providersFile = folder.appendingPathComponent("dashboards/klaxon.yml")
        let providers = try YAML.parse(String(contentsOf: providersFile, encoding: .utf8), file: providersFile.path)
        let path = providers["providers"]?.sequenceItems?.first?["options"]?["path"]?.scalarText
        #expect(path == Self.dashboardMount, "compose.yaml mounts dashboards/ there")
    }

    /// Where compose.yaml mounts `dashboards/` in the Grafana container.
    static let dashboardMount = "/etc/grafana/dashboards"

    // MARK: - What the dashboards may read

    /// The metric names in the first column of the catalogue's tables, and the alert series.
    private static func catalogueMetrics() throws -> Set<String> {
        let text = try String(contentsOf: repository.appendingPathComponent("docs/kpi-catalogue.md"), encoding: .utf8)
        var names: Set<String> = []
        for line in text.split(separator: "\n") where line.hasPrefix("| `") {
            let cell = line.dropFirst(3).prefix { $0 != "`" }
            names.insert(String(cell))
        }
        for alertSeries in ["ALERTS", "ALERTS_FOR_STATE"] where text.contains("`\(alertSeries){") {
            names.insert(alertSeries)
        }
        return names
    }

    /// Klaxon's self-metric families, registered or observed, from a server built in-process.
    private static func selfMetricFamilies() throws -> [(name: String, type: MetricType)] {
        var configuration = KlaxonConfiguration.builtIn
        configuration.dataDirectory = try PeerDirectories.make(for: "dashboard-lint").path
        let server = try KlaxonServer(settings: ServerSettings(configuration: configuration), logger: .disabled)
        return server.registry.families
    }

    /// The comparisons with a number in the alert rules, and what each recording rule reads.
    private struct RuleThresholds {
        var comparisons: [(names: Set<String>, value: Double)] = []
        var recorded: [String: Set<String>] = [:]

        /// `names` with the metrics their recording rules read, and the recorded series those feed.
        func expand(_ names: Set<String>) -> Set<String> {
            var all = names
            for (record, sources) in recorded where !sources.isDisjoint(with: names) || names.contains(record) {
                all.insert(record)
                all.formUnion(sources)
            }
            return all
        }
    }

    private static func ruleThresholds() throws -> RuleThresholds {
        let folder = repository.appendingPathComponent("alert-rules")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yml") }
        var result = RuleThresholds()
        var alerts: [Expr] = []
        for name in names.sorted() {
            let file = try RuleFileLoader.load(path: folder.appendingPathComponent(name).path)
            for rule in file.groups.flatMap(\.rules) {
                switch rule.kind {
                case .recording:
                    result.recorded[rule.name] = Set(rule.expr.selectors.compactMap(DashboardLintTests.metricName))
                case .alerting: alerts.append(rule.expr)
                }
            }
        }
        for expr in alerts {
            var found: [(names: Set<String>, value: Double)] = []
            collectComparisons(expr, into: &found)
            result.comparisons += found.map { (result.expand($0.names), $0.value) }
        }
        return result
    }

    /// Each `selector-side op number` comparison, with the metric names on the selector side.
    private static func collectComparisons(_ expr: Expr, into found: inout [(names: Set<String>, value: Double)]) {
        switch expr {
        case .binary(let binary):
            if binary.op.isComparison {
                if let value = number(binary.rhs) {
                    found.append((Set(binary.lhs.selectors.compactMap(DashboardLintTests.metricName)), value))
                } else if let value = number(binary.lhs) {
                    found.append((Set(binary.rhs.selectors.compactMap(DashboardLintTests.metricName)), value))
                }
            }
            collectComparisons(binary.lhs, into: &found)
            collectComparisons(binary.rhs, into: &found)
        case .paren(let inner), .negation(let inner): collectComparisons(inner, into: &found)
        case .aggregate(let aggregate): collectComparisons(aggregate.body, into: &found)
        case .call(let call): for argument in call.args { collectComparisons(argument, into: &found) }
        default: break
        }
    }

    /// The metric name a selector fixes with `__name__="…"` (written before the braces or not).
    private static func metricName(_ selector: VectorSelector) -> String? {
        selector.matchers.first { $0.name == Labels.metricNameLabel && $0.type == .equal }?.value
    }

    private static func number(_ expr: Expr) -> Double? {
        switch expr {
        case .number(let value): value
        case .paren(let inner): number(inner)
        case .negation(let inner): number(inner).map { -$0 }
        default: nil
        }
    }
}
