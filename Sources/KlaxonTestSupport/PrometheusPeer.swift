import Foundation

/// A real Prometheus server a test starts to scrape Klaxon and to query what it stored.
///
/// Listens on 127.0.0.1 on a free port, keeps its TSDB in the peer's temporary directory, and
/// scrapes every target each second with `honor_labels: true`, as the README tells operators to.
package final class PrometheusPeer: Sendable {
    /// The Prometheus process.
    package let process: PeerProcess
    /// The port its web API listens on (127.0.0.1).
    package let port: UInt16
    /// The scrape job name the targets are under (`up{job="…"}`).
    package let job: String

    /// Starts Prometheus scraping `targets` (`host:port`) at `metricsPath`, and waits until it
    /// answers `/-/ready`. Pass `port` when a target must know it in advance (e.g. itself).
    package static func start(
        targets: [String],
        job: String = "klaxon",
        metricsPath: String = "/metrics",
        port: UInt16? = nil,
        readyTimeout: Duration = .seconds(30)
    ) async throws -> PrometheusPeer {
        try await start(
            configuration: configuration(job: job, targets: targets, metricsPath: metricsPath), job: job, port: port,
            readyTimeout: readyTimeout)
    }

    /// Starts Prometheus with a whole `prometheus.yml` of the caller's (`job` names the scrape job
    /// `waitUntilTargetsUp` watches), and waits until it answers `/-/ready`.
    package static func start(
        configuration: String, job: String, port: UInt16? = nil, readyTimeout: Duration = .seconds(30)
    ) async throws -> PrometheusPeer {
        let prometheus = try Executables.require(.prometheus)
        let port = try port ?? FreePort.next()
        let directory = try PeerDirectories.make(for: "prometheus")
        let configURL = directory.appendingPathComponent("prometheus.yml")
        try configuration.write(to: configURL, atomically: true, encoding: .utf8)

        let process = try PeerProcess(
            executable: prometheus,
            arguments: [
                "--config.file=\(configURL.path)",
                "--storage.tsdb.path=\(directory.appendingPathComponent("data").path)",
                "--web.listen-address=127.0.0.1:\(port)",
                "--log.level=warn",
            ],
            workingDirectory: directory
        )
        let peer = PrometheusPeer(process: process, port: port, job: job, directory: directory)
        do {
            try await waitUntil("prometheus to answer /-/ready on port \(port)", timeout: readyTimeout) {
                if let status = process.exitStatus {
                    throw PrometheusPeerError.exited(status, process.outputForDiagnosis)
                }
                return (try? await peer.get("/-/ready").status) == 200
            }
        } catch {
            _ = try? await process.stop()
            throw error
        }
        return peer
    }

    private let directory: URL

    private init(process: PeerProcess, port: UInt16, job: String, directory: URL) {
        self.process = process
        self.port = port
        self.job = job
        self.directory = directory
    }

    deinit {
        PeerDirectories.remove(directory)
    }

    /// The `prometheus.yml` the peer runs with.
    static func configuration(job: String, targets: [String], metricsPath: String) -> String {
        let list = targets.map { "'\($0)'" }.joined(separator: ", ")
        return """
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: '\(job)'
                honor_labels: true
                metrics_path: '\(metricsPath)'
                static_configs:
                  - targets: [\(list)]

            """
    }

    // MARK: - Querying

    /// Runs an instant query via `/api/v1/query` and returns the vector it produced.
    package func query(_ promql: String) async throws -> [PrometheusVectorSample] {
        var components = URLComponents()
        components.path = "/api/v1/query"
        components.queryItems = [URLQueryItem(name: "query", value: promql)]
        let pathAndQuery = components.percentEncodedPath + "?" + (components.percentEncodedQuery ?? "")
        let (status, body) = try await get(pathAndQuery)
        guard status == 200 else {
            throw PrometheusPeerError.queryFailed(promql, status, String(decoding: body, as: UTF8.self))
        }
        return try PrometheusVectorSample.decodeResponse(body, query: promql)
    }

    /// Waits until every target of the job has been scraped successfully (`up == 1`).
    package func waitUntilTargetsUp(count: Int, timeout: Duration = .seconds(30)) async throws {
        try await waitUntil("\(count) target(s) of job \(job) to report up == 1", timeout: timeout) {
            let up = try await query("up{job=\"\(job)\"} == 1")
            return up.count >= count
        }
    }

    /// Stops Prometheus (SIGTERM, then SIGKILL after the grace period).
    package func stop() async throws {
        try await process.stop()
    }

    /// Sends a GET for `pathAndQuery` to Prometheus and returns the status code and body.
    package func get(_ pathAndQuery: String) async throws -> (status: Int, body: Data) {
        let response = try await LoopbackHTTPClient.send(port: port, path: pathAndQuery)
        return (response.status, Data(response.body))
    }
}

/// One element of an instant-vector query result.
package struct PrometheusVectorSample: Sendable, Equatable {
    /// The series labels, `__name__` included when the result kept it.
    package var metric: [String: String]
    /// The sample value as Prometheus printed it (e.g. `"1"`, `"NaN"`, `"+Inf"`).
    package var value: String
    /// The evaluation timestamp in seconds.
    package var timestamp: Double

    static func decodeResponse(_ body: Data, query: String) throws -> [PrometheusVectorSample] {
        let object = try JSONSerialization.jsonObject(with: body)
        guard let root = object as? [String: Any], root["status"] as? String == "success",
            let data = root["data"] as? [String: Any], data["resultType"] as? String == "vector",
            let results = data["result"] as? [[String: Any]]
        else {
            throw PrometheusPeerError.unexpectedResponse(query, String(decoding: body, as: UTF8.self))
        }
        return try results.map { entry in
            guard let metric = entry["metric"] as? [String: String], let pair = entry["value"] as? [Any],
                pair.count == 2, let timestamp = pair[0] as? Double, let value = pair[1] as? String
            else {
                throw PrometheusPeerError.unexpectedResponse(query, String(decoding: body, as: UTF8.self))
            }
            return PrometheusVectorSample(metric: metric, value: value, timestamp: timestamp)
        }
    }
}

/// Prometheus did not start or did not answer as expected.
package enum PrometheusPeerError: Error, CustomStringConvertible {
    case exited(PeerExitStatus, String)
    case queryFailed(String, Int, String)
    case unexpectedResponse(String, String)

    package var description: String {
        switch self {
        case .exited(let status, let output):
            "prometheus \(status) before it was ready:\n\(output)"
        case .queryFailed(let query, let status, let body):
            "prometheus answered \(status) to query \(query): \(body)"
        case .unexpectedResponse(let query, let body):
            "prometheus answered query \(query) with something other than an instant vector: \(body)"
        }
    }
}
