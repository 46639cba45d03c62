import Dispatch
import Foundation
import KlaxonConfig
import KlaxonHTTP
import KlaxonRuntime
import KlaxonServer
import KlaxonTestSupport
import Synchronization
import Testing

/// A deadline clock that, once armed, holds the query reading it at a chosen reading until released.
private final class HoldingClock: MonotonicClock {
    private struct State {
        var readsUntilHold: Int?
        var holding = false
        var now: Int64 = 0
        var step: Int64 = 0
    }

    private let state = Mutex(State())
    private let released = DispatchSemaphore(value: 0)

    /// Every reading advances the clock by `step` ms (0: time stands still).
    init(step: Int64 = 0) {
        state.withLock { $0.step = step }
    }

    func monotonicMilliseconds() -> Int64 {
        let (now, hold) = state.withLock { state -> (Int64, Bool) in
            state.now += state.step
            guard let left = state.readsUntilHold else { return (state.now, false) }
            if left > 1 {
                state.readsUntilHold = left - 1
                return (state.now, false)
            }
            state.readsUntilHold = nil
            state.holding = true
            return (state.now, true)
        }
        if hold {
            released.wait()
            state.withLock { $0.holding = false }
        }
        return now
    }

    /// Holds the `reading`-th reading from now.
    func hold(atReading reading: Int) { state.withLock { $0.readsUntilHold = reading } }
    var isHolding: Bool { state.withLock { $0.holding } }
    func release() { released.signal() }
}

/// A slow query runs on a worker thread with the store's lock released: pushes, scrapes and rule
/// evaluations go on while it runs; its deadline and sample cap answer as Prometheus does.
@Suite struct QueryIsolationTests {
    private static let rules = """
        groups:
          - name: probe
            rules:
              - record: probe:sum
                expr: sum(probe)
        """

    private static func server(
        deadlineClock: any MonotonicClock, _ configure: (inout KlaxonConfiguration) -> Void = { _ in }
    ) throws -> (KlaxonServer, UInt16) {
        let directory = try PeerDirectories.make(for: "query-isolation")
        try rules.write(to: directory.appendingPathComponent("probe.yml"), atomically: true, encoding: .utf8)
        var configuration = KlaxonConfiguration.builtIn
        configuration.server.listen = HostPort(host: "127.0.0.1", port: 0)
        configuration.ruleFiles = ["*.yml"]
        configuration.baseDirectory = directory.path
        configure(&configuration)
        let server = try KlaxonServer(
            settings: ServerSettings(configuration: configuration), logger: .disabled, deadlineClock: deadlineClock)
        let port = try server.bind()
        #expect(server.reloader.loadInitial().succeeded)
        return (server, UInt16(port))
    }

    private static func stop(_ server: KlaxonServer) async throws {
        try await offCooperativePool { server.http.shutdown() }
    }

    private static func push(_ port: UInt16, job: String, _ text: String) async throws -> Int {
        try await LoopbackHTTPClient.send("PUT", port: port, path: "/metrics/job/\(job)", body: Array(text.utf8)).status
    }

    /// 20 series whose label values make `(a+)+b` backtrack; every third one matches.
    private static let redos = (0..<20).map { index in
        "redos{v=\"\(String(repeating: "a", count: 4 + index))\(index % 3 == 0 ? "b" : "")\"} 1\n"
    }.joined()

    private static func query(_ text: String) -> String {
        "/api/v1/query?query=" + (text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
    }

    @Test func aQueryHeldMidSelectionDelaysNoPushScrapeOrRuleEvaluation() async throws {
        let clock = HoldingClock()
        // One I/O thread: were the query answered on it, nothing else could be read meanwhile.
        let (server, port) = try Self.server(deadlineClock: clock) { $0.server.ioThreads = 1 }
        #expect(try await Self.push(port, job: "redos", Self.redos) == 200)
        // Readings: the budget's start, the selector's deadline check, then one before each regex match.
        clock.hold(atReading: 6)
        let querying = try RawTCPConnection(port: port)
        try querying.send("GET \(Self.query("redos{v=~\"(a+)+b\"}")) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        try await waitUntil("the query to be held between two regex matches") { clock.isHolding }

        #expect(try await Self.push(port, job: "probe", "probe{n=\"1\"} 2\nprobe{n=\"2\"} 3\n") == 200)
        server.rules.evaluateDue(at: SystemWallClock().nowMilliseconds())
        let metrics = try await LoopbackHTTPClient.send(port: port, path: "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.text.contains("probe:sum 5\n"), "\(metrics.text)")
        #expect(querying.receivedNothingYet())

        clock.release()
        let answer = await querying.readUntilClose(timeout: .seconds(30)).text
        #expect(answer.hasPrefix("HTTP/1.1 200 "), "\(answer)")
        #expect(answer.components(separatedBy: "\"__name__\":\"redos\"").count - 1 == 7, "\(answer)")
        querying.close()
        try await Self.stop(server)
    }

    @Test func aQueryPastQueryTimeoutIsAnswered503WithPrometheusTimeoutError() async throws {
        // Each reading of this clock is one second later: the query outlives a 3 s timeout mid-selection.
        let (server, port) = try Self.server(deadlineClock: HoldingClock(step: 1_000)) {
            $0.query.timeoutMilliseconds = 3_000
        }
        #expect(try await Self.push(port, job: "redos", Self.redos) == 200)
        let response = try await LoopbackHTTPClient.send(port: port, path: Self.query("redos{v=~\"(a+)+b\"}"))
        #expect(response.status == 503)
        #expect(
            response.text
                == #"{"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"}"#)
        try await Self.stop(server)
    }

    @Test func aQueryOverQueryMaxSamplesIsAnswered422() async throws {
        let (server, port) = try Self.server(deadlineClock: SystemMonotonicClock()) { $0.query.maxSamples = 10 }
        #expect(try await Self.push(port, job: "redos", Self.redos) == 200)
        let response = try await LoopbackHTTPClient.send(port: port, path: Self.query("redos"))
        #expect(response.status == 422)
        #expect(
            response.text == #"{"status":"error","errorType":"execution","error":"#
                + #""query processing would load too many samples into memory in query execution"}"#)
        let small = try await LoopbackHTTPClient.send(port: port, path: Self.query("redos{v=~\"a{4,6}b?\"}"))
        #expect(small.status == 200)
        try await Self.stop(server)
    }

    @Test(.enabled(if: (OpenFileLimit.raiseToHardLimit() ?? 0) >= 4_096, "needs an open-file limit of 4096"))
    func elevenHundredHalfSentConnectionsLeavePushAndScrapeServed() async throws {
        let (server, port) = try Self.server(deadlineClock: SystemMonotonicClock())
        var halfSent: [RawTCPConnection] = []
        for _ in 0..<1_100 {
            let connection = try RawTCPConnection(port: port)
            try connection.send("GET /metrics HTTP/1.1\r\nHost: x\r\nX-Half: ")
            halfSent.append(connection)
        }
        #expect(try await Self.push(port, job: "engine", "engine_up 1\n") == 200)
        let metrics = try await LoopbackHTTPClient.send(port: port, path: "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.text.contains("engine_up{instance=\"\",job=\"engine\"} 1\n"))
        #expect(halfSent.allSatisfy { $0.receivedNothingYet() })
        let open = metrics.text.split(separator: "\n").first { $0.hasPrefix("klaxon_http_connections ") }
        #expect(open.flatMap { Double($0.split(separator: " ")[1]) } ?? 0 >= 1_100, "\(open ?? "no gauge")")
        #expect(metrics.text.contains("klaxon_http_connections_evicted_total 0\n"))
        for connection in halfSent { connection.close() }
        try await Self.stop(server)
    }
}
