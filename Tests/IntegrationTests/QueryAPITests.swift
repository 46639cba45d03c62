import Foundation
import KlaxonTestSupport
import Testing

/// `/api/v1/query` answers as Prometheus's does, and the lifecycle endpoints answer.
@Suite(.enabled(if: Executables.klaxon() != nil || Executables.peersRequired, "the klaxon binary is not built"))
struct QueryAPITests {
    @Test func queryReturnsAPushedValueInPrometheusFormat() async throws {
        let klaxon = try await KlaxonInstance.start()
        let pushed = try await klaxon.push(
            "# TYPE engine_latency_seconds gauge\nengine_latency_seconds{venue=\"x\"} 0.0025\n",
            to: "/metrics/job/engine")
        #expect(pushed.status == 200)

        let now = Date().timeIntervalSince1970
        let response = try await klaxon.send("GET", "/api/v1/query?query=engine_latency_seconds%7Bvenue%3D%22x%22%7D")
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "application/json")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        #expect(root["status"] as? String == "success")
        let data = try #require(root["data"] as? [String: Any])
        #expect(data["resultType"] as? String == "vector")
        let result = try #require(data["result"] as? [[String: Any]])
        #expect(result.count == 1)
        let metric = result.first?["metric"] as? [String: String]
        #expect(metric == ["__name__": "engine_latency_seconds", "job": "engine", "venue": "x"])
        let value = try #require(result.first?["value"] as? [Any])
        #expect(value.count == 2)
        #expect(value.last as? String == "0.0025")
        let time = try #require(value.first as? Double)
        #expect(abs(time - now) < 60)

        let atTime = try await klaxon.send(
            "POST", "/api/v1/query", headers: ["Content-Type": "application/x-www-form-urlencoded"],
            body: Array("query=engine_latency_seconds*2&time=\(Int(now) + 1)".utf8))
        #expect(atTime.text.contains("\"value\":[\(Int(now) + 1),\"0.005\"]"), "\(atTime.text)")
        #expect(try await klaxon.stop() == .exited(0))
    }

    @Test func badQueryIsA400BadDataNamingTheProblem() async throws {
        let klaxon = try await KlaxonInstance.start()
        let response = try await klaxon.send("GET", "/api/v1/query?query=sum(rate(x%5B5m%5D)")
        #expect(response.status == 400)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: String])
        #expect(root["status"] == "error")
        #expect(root["errorType"] == "bad_data")
        #expect(root["error"]?.contains("1:") == true, "the error names no position: \(root)")

        let badTime = try await klaxon.send("GET", "/api/v1/query?query=up&time=yesterday")
        #expect(badTime.status == 400)
        #expect(badTime.text.contains("time"))
        #expect(try await klaxon.stop() == .exited(0))
    }

    @Test func healthyAndReadyAnswer200() async throws {
        let klaxon = try await KlaxonInstance.start()
        let healthy = try await klaxon.send("GET", "/-/healthy")
        let ready = try await klaxon.send("GET", "/-/ready")
        #expect(healthy.status == 200)
        #expect(ready.status == 200)
        let reload = try await klaxon.send("POST", "/-/reload")
        #expect(reload.status == 200, "\(reload.text)")
        #expect(try await klaxon.stop() == .exited(0))
    }
}
