import KlaxonHTTP
import KlaxonIngest
import KlaxonTestSupport
import Testing

/// Python's `prometheus_client` push helpers pointed at Klaxon's push routes, unchanged.
@Suite(.enabled(if: Executables.shouldRunPythonClientTests, "needs python3 with prometheus_client"))
struct PrometheusClientPushTests {
    private static let script = """
        import sys
        from prometheus_client import CollectorRegistry, Counter, Gauge
        from prometheus_client import delete_from_gateway, push_to_gateway, pushadd_to_gateway
        gateway, action = sys.argv[1], sys.argv[2]
        key = {"instance": "host-1", "path": "/var/run"}
        registry = CollectorRegistry()
        if action in ("push", "pushadd"):
            queue = Gauge("engine_queue_depth", "Orders waiting.", ["queue"], registry=registry)
            queue.labels("orders").set(12)
            Counter("engine_fills", "Fills so far.", registry=registry).inc(3)
        if action == "pushadd":
            registry = CollectorRegistry()
            Gauge("engine_spread", "Spread.", registry=registry).set(0.5)
        if action == "replace":
            Gauge("engine_spread", "Spread.", registry=registry).set(0.25)
        if action == "delete":
            delete_from_gateway(gateway, job="engine", grouping_key=key)
        elif action == "pushadd":
            pushadd_to_gateway(gateway, job="engine", registry=registry, grouping_key=key)
        else:
            push_to_gateway(gateway, job="engine", registry=registry, grouping_key=key)
        print("ok")
        """

    private func run(_ action: String, port: Int) async throws {
        let peer = try await PythonClient.run(script: Self.script, arguments: ["127.0.0.1:\(port)", action])
        #expect(peer.exitStatus == .exited(0), "\(peer.outputForDiagnosis)")
    }

    @Test func pushPushaddAndDeleteWorkUnchanged() async throws {
        let fixture = try PushFixture()
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, ioThreads: 1), handler: fixture.router)
        try server.start()
        defer { server.shutdown() }
        let port = try #require(server.port)
        let group = "instance=\"host-1\",job=\"engine\",path=\"/var/run\""

        try await run("push", port: port)
        var seen = exposed(fixture.store)
        #expect(seen["engine_queue_depth{\(group),queue=\"orders\"}"] == "12")
        #expect(seen["engine_fills_total{\(group)}"] == "3")
        #expect(seen["push_time_seconds{\(group)}"] != nil)

        try await run("pushadd", port: port)
        seen = exposed(fixture.store)
        #expect(seen["engine_queue_depth{\(group),queue=\"orders\"}"] == "12")
        #expect(seen["engine_spread{\(group)}"] == "0.5")

        try await run("replace", port: port)
        seen = exposed(fixture.store)
        #expect(seen["engine_queue_depth{\(group),queue=\"orders\"}"] == nil)
        #expect(seen["engine_spread{\(group)}"] == "0.25")

        try await run("delete", port: port)
        #expect(exposed(fixture.store).isEmpty)
    }
}
