import Foundation
import KlaxonTestSupport
import Testing

/// A real Prometheus scrapes Klaxon as the README tells operators to configure it.
@Suite(
    .enabled(if: Executables.klaxon() != nil || Executables.peersRequired, "the klaxon binary is not built"),
    .enabled(if: Executables.shouldRun(needing: .prometheus), "needs prometheus")
)
struct PrometheusScrapeTests {
    @Test func prometheusScrapesKlaxonAndReturnsAPushedValue() async throws {
        let klaxon = try await KlaxonInstance.start()
        let pushed = try await klaxon.push(
            "# TYPE engine_spread_bps gauge\nengine_spread_bps{pair=\"BTC-USD\"} 12.75\n",
            to: "/metrics/job/engine/instance/host-1")
        #expect(pushed.status == 200, "\(pushed.text)")
        let noInstance = try await klaxon.push("engine_loop_seconds 0.5\n", to: "/metrics/job/engine")
        #expect(noInstance.status == 200, "\(noInstance.text)")

        let prometheus = try await PrometheusPeer.start(targets: ["127.0.0.1:\(klaxon.port)"])
        try await prometheus.waitUntilTargetsUp(count: 1, timeout: .seconds(15))
        let up = try await prometheus.query("up{job=\"klaxon\"}")
        #expect(up.map(\.value) == ["1"])

        // honor_labels keeps the pushed job and instance instead of Prometheus's own.
        let spread = try await waitFor("Prometheus to return the pushed value", timeout: .seconds(15)) {
            let result = try await prometheus.query("engine_spread_bps{job=\"engine\",instance=\"host-1\"}")
            return result.isEmpty ? nil : result
        }
        #expect(spread.map(\.value) == ["12.75"])
        #expect(spread.first?.metric["pair"] == "BTC-USD")
        // A group pushed without instance is exposed with instance="", so it stays without one, as behind a
        // Pushgateway, instead of carrying Klaxon's own address.
        let loop = try await waitFor("Prometheus to return the series pushed without instance", timeout: .seconds(15)) {
            let result = try await prometheus.query("engine_loop_seconds")
            return result.isEmpty ? nil : result
        }
        #expect(loop.map(\.value) == ["0.5"])
        #expect(loop.first?.metric["instance"] == nil, "\(loop)")
        #expect(loop.first?.metric["job"] == "engine")

        try await prometheus.stop()
        #expect(try await klaxon.stop() == .exited(0))
    }
}
