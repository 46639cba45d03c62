import Foundation
import KlaxonConfig
import KlaxonTestSupport
import Testing

/// The compose stack (`compose.yaml`, `Dockerfile`, `deploy/`) as far as it can be checked
/// without a Docker engine: against the compose-spec schema, by promtool, and by reading.
@Suite struct DeployStackTests {
    private static let repository = Executables.packageRoot

    private static func file(_ relative: String) -> URL { repository.appendingPathComponent(relative) }

    private static func compose() throws -> YAMLNode {
        let url = file("compose.yaml")
        return try YAML.parse(String(contentsOf: url, encoding: .utf8), file: url.path)
    }

    private static func services() throws -> [(name: String, node: YAMLNode)] {
        try compose()["services"]?.mappingEntries?.map { ($0.key, $0.value) } ?? []
    }

    @Test(.enabled(if: PythonValidator.shouldRun(needing: ["jsonschema", "yaml"]), "needs python3 jsonschema, yaml"))
    func composeValidatesAgainstTheComposeSpec() throws {
        let schema = Self.repository.appendingPathComponent("../shared/conformance/compose-spec.json")
        let problems = try PythonValidator.validate([Self.file("compose.yaml")], schema: schema.standardizedFileURL)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test func theStackHasItsServicesWithOptionalOnesBehindProfiles() throws {
        let services = try Self.services()
        #expect(services.map(\.name) == ["klaxon", "prometheus", "grafana", "alertmanager", "postgres"])
        for (name, node) in services {
            let profiles = node["profiles"]?.sequenceItems?.compactMap(\.scalarText) ?? []
            let optional = ["alertmanager", "postgres"].contains(name)
            #expect(profiles == (optional ? [name] : []), "\(name): profiles \(profiles)")
            #expect(node["healthcheck"]?["test"] != nil, "\(name) has no healthcheck")
        }
    }

    @Test func everyImageIsPinnedToAVersion() throws {
        var images: [String] = []
        for (name, node) in try Self.services() {
            if let image = node["image"]?.scalarText {
                images.append(image)
            } else {
                #expect(node["build"] != nil, "\(name) has neither an image nor a build")
            }
        }
        let dockerfile = try String(contentsOf: Self.file("Dockerfile"), encoding: .utf8)
        for line in dockerfile.split(separator: "\n") where line.hasPrefix("FROM ") {
            images.append(String(line.split(separator: " ")[1]))
        }
        #expect(images.count == 6, "\(images)")
        for image in images {
            let tag = image.split(separator: ":", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
            #expect(
                tag != "latest" && tag.contains(where: \.isNumber) && tag.contains("."),
                "\(image) is not pinned to a version")
        }
        let prometheus = images.first { $0.hasPrefix("prom/prometheus:") } ?? ""
        #expect(prometheus.hasPrefix("prom/prometheus:v2."), "Prometheus stays on 2.x: \(prometheus)")
    }

    @Test func everyMountedPathExistsAndEveryNamedVolumeIsDeclared() throws {
        let declared = Set(try Self.compose()["volumes"]?.mappingEntries?.map(\.key) ?? [])
        var used: Set<String> = []
        for (name, node) in try Self.services() {
            for volume in node["volumes"]?.sequenceItems?.compactMap(\.scalarText) ?? [] {
                let source = String(volume.split(separator: ":")[0])
                if source.hasPrefix("./") {
                    let exists = FileManager.default.fileExists(atPath: Self.file(String(source.dropFirst(2))).path)
                    #expect(exists, "\(name) mounts \(source), which is not in the repository")
                } else {
                    #expect(declared.contains(source), "\(name) uses volume \(source), not declared")
                    used.insert(source)
                }
            }
        }
        #expect(used == declared, "declared but unused: \(declared.subtracting(used))")
    }

    @Test func servicesWaitForTheHealthOfWhatTheyNeed() throws {
        let services = Dictionary(uniqueKeysWithValues: try Self.services())
        func conditions(_ service: String) -> [String: String] {
            var found: [String: String] = [:]
            for entry in services[service]?["depends_on"]?.mappingEntries ?? [] {
                found[entry.key] = entry.value["condition"]?.scalarText
            }
            return found
        }
        #expect(conditions("prometheus")["klaxon"] == "service_healthy")
        #expect(conditions("grafana") == ["klaxon": "service_healthy", "prometheus": "service_healthy"])
        // Optional services are waited for only when their profile runs.
        #expect(services["klaxon"]?["depends_on"]?["postgres"]?["required"]?.scalarText == "false")
        #expect(services["prometheus"]?["depends_on"]?["alertmanager"]?["required"]?.scalarText == "false")
    }

    @Test func grafanaGetsTheDashboardsWhereProvisioningLooks() throws {
        let services = Dictionary(uniqueKeysWithValues: try Self.services())
        let volumes = services["grafana"]?["volumes"]?.sequenceItems?.compactMap(\.scalarText) ?? []
        #expect(volumes.contains("./dashboards:\(DashboardLintTests.dashboardMount):ro"))
        #expect(volumes.contains("./dashboards/provisioning:/etc/grafana/provisioning:ro"))
        let environment = services["grafana"]?["environment"]
        #expect(environment?["GF_AUTH_ANONYMOUS_ENABLED"]?.scalarText == "true")
        #expect(environment?["GF_AUTH_ANONYMOUS_ORG_ROLE"]?.scalarText == "Viewer")
    }

    @Test func theDockerfileBuildsInStagesAndRunsUnprivilegedWithAHealthcheck() throws {
        let text = try String(contentsOf: Self.file("Dockerfile"), encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("FROM ") }.count == 2)
        #expect(lines.contains { $0.hasPrefix("FROM swift:") && $0.hasSuffix(" AS build") })
        #expect(lines.contains { $0.hasPrefix("FROM debian:") && $0.contains("-slim") })
        for library in ["libsqlite3-0", "libpq5", "zlib1g"] { #expect(text.contains(library), "\(library)") }
        let user = lines.last { $0.hasPrefix("USER ") }
        #expect(user != nil && user?.contains("root") == false && user?.contains(" 0") == false)
        #expect(text.contains("HEALTHCHECK") && text.contains("http://127.0.0.1:9477/-/healthy"))
        #expect(lines.last { $0.hasPrefix("CMD ") }?.hasPrefix("CMD [\"demo\"") == true)
        let ignored = try String(contentsOf: Self.file(".dockerignore"), encoding: .utf8)
        #expect(ignored.contains(".build"), "the build folder must not be sent to the engine")
    }

    @Test func theStacksKlaxonConfigurationLoadsTheRulePack() throws {
        let path = Self.file("deploy/klaxon.yml").path
        let configuration = try KlaxonConfigurationLoader.load(path: path, environment: [:])
        #expect(configuration.server.listen.port == 9477)
        #expect(configuration.ruleFiles == ["../alert-rules/*.yml"])
        let rules = try FileManager.default.contentsOfDirectory(atPath: Self.file("alert-rules").path)
        #expect(rules.contains { $0.hasSuffix(".yml") }, "the pattern would load nothing")
    }

    @Test(.enabled(if: Executables.shouldRun(needing: .promtool), "needs promtool"))
    func promtoolAcceptsThePrometheusConfigurationAndItsRules() async throws {
        let result = try await Promtool.checkConfig(Self.file("deploy/prometheus.yml").path)
        #expect(result.status == .exited(0), "\(result.output)")
        #expect(result.output.contains("SUCCESS: 2 rule files found"), "\(result.output)")
    }

    @Test func theReadmeDocumentsEveryPublishedPort() throws {
        let readme = try String(contentsOf: Self.file("README.md"), encoding: .utf8)
        for (name, node) in try Self.services() {
            for port in node["ports"]?.sequenceItems?.compactMap(\.scalarText) ?? [] {
                let published = String(port.split(separator: ":")[0])
                let documented = readme.contains("| \(published) |")
                #expect(documented, "README's port table lacks \(published) (\(name))")
            }
        }
    }
}
