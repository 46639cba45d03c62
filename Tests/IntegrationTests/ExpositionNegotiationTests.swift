import Foundation
import KlaxonMetrics
import KlaxonTestSupport
import Testing

/// `/metrics` answers in the format and encoding the scraper asks for.
@Suite(.enabled(if: Executables.klaxon() != nil || Executables.peersRequired, "the klaxon binary is not built"))
struct ExpositionNegotiationTests {
    private static let push = "# TYPE engine_orders_total counter\nengine_orders_total{side=\"buy\"} 7\n"

    @Test func openMetricsIsServedWhenAskedForAndEndsInEOF() async throws {
        let klaxon = try await KlaxonInstance.start()
        _ = try await klaxon.push(Self.push, to: "/metrics/job/engine")
        let response = try await klaxon.send(
            "GET", "/metrics", headers: ["Accept": "application/openmetrics-text; version=1.0.0,text/plain;q=0.5"])
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "application/openmetrics-text; version=1.0.0; charset=utf-8")
        #expect(response.text.hasSuffix("# EOF\n"))
        #expect(response.text.contains("engine_orders_total{instance=\"\",job=\"engine\",side=\"buy\"} 7"))

        let plain = try await klaxon.send("GET", "/metrics")
        #expect(plain.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
        #expect(!plain.text.contains("# EOF"))
        #expect(try await klaxon.stop() == .exited(0))
    }

    @Test func gzipIsServedWhenAcceptedAndUnzipsToThePlainBody() async throws {
        let klaxon = try await KlaxonInstance.start()
        _ = try await klaxon.push(Self.push, to: "/metrics/job/engine")
        let plain = try await rawGet(port: klaxon.port, acceptEncoding: nil)
        let zipped = try await rawGet(port: klaxon.port, acceptEncoding: "gzip")
        #expect(plain.status == 200 && zipped.status == 200)
        #expect(plain.headers["content-encoding"] == nil)
        #expect(zipped.headers["content-encoding"] == "gzip")
        #expect(zipped.body.starts(with: [0x1f, 0x8b]), "not a gzip member")
        let unzipped = try Gzip.decompress(zipped.body)
        // The request and connection metrics move between the two scrapes, and so do the series
        // count and sizes when Klaxon records its own metrics in between; everything else must be identical.
        #expect(withoutRequestMetrics(unzipped) == withoutRequestMetrics(plain.body))
        #expect(
            withoutRequestMetrics(unzipped).contains("engine_orders_total{instance=\"\",job=\"engine\",side=\"buy\"} 7")
        )
        #expect(try await klaxon.stop() == .exited(0))
    }

    /// GET /metrics on a raw socket, so the body is seen as sent (URLSession would unzip it).
    private func rawGet(port: UInt16, acceptEncoding: String?) async throws -> RawHTTPResponse {
        var request = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        if let acceptEncoding { request += "Accept-Encoding: \(acceptEncoding)\r\n" }
        let result = try await RawTCPConnection.exchange(port: port, sending: Array((request + "\r\n").utf8))
        return try #require(RawHTTPResponse(result.bytes), "not an HTTP response: \(result.text.prefix(200))")
    }

    private func withoutRequestMetrics(_ body: [UInt8]) -> String {
        String(decoding: body, as: UTF8.self).split(separator: "\n")
            .filter { line in
                !["klaxon_http_request", "klaxon_http_connections", "klaxon_series", "klaxon_store_bytes"].contains {
                    line.contains($0)
                }
            }
            .joined(separator: "\n")
    }
}
