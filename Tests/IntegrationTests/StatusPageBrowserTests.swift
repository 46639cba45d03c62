import Foundation
import KlaxonTestSupport
import Testing

/// The status page in a real browser (headless Chromium, JavaScript on, the page's
/// Content-Security-Policy enforced) against `klaxon demo` with an API token: a firing demo alert
/// with its chart, acked through the alert page's form, and a hostile label value that shows as
/// text and runs nothing.
@Suite(
    .enabled(if: Executables.klaxon() != nil || Executables.peersRequired, "the klaxon binary is not built"),
    .enabled(if: Executables.shouldRun(needing: .chromium), "chromium is not installed"))
struct StatusPageBrowserTests {
    static let token = "status-page-token-1"

    /// `klaxon demo` with `api.token` set, started with `incident` (no other until 10 min later).
    struct Demo {
        let process: PeerProcess
        let port: UInt16

        static func start(incident: String) async throws -> Demo {
            let port = try FreePort.next()
            let directory = try PeerDirectories.make(for: "klaxon-demo-config")
            let config = directory.appendingPathComponent("klaxon.yml")
            try "api:\n  token: \(StatusPageBrowserTests.token)\n".write(to: config, atomically: true, encoding: .utf8)
            let process = try PeerProcess(
                executable: Executables.requireKlaxon(),
                arguments: [
                    "demo", "--listen", "127.0.0.1:\(port)", "--config", config.path, "--data",
                    directory.appendingPathComponent("data").path, "--incident", incident, "--every", "10m",
                ])
            try await waitUntil("the demo to print where to look", timeout: .seconds(20)) {
                if let status = process.exitStatus {
                    throw KlaxonInstanceError(message: "demo \(status): \(process.outputForDiagnosis)")
                }
                return process.standardOutput.contains("Klaxon demo at http://127.0.0.1:\(port)")
            }
            return Demo(process: process, port: port)
        }

        var url: String { "http://127.0.0.1:\(port)" }

        func get(_ path: String) async throws -> LoopbackHTTPResponse {
            try await LoopbackHTTPClient.send("GET", port: port, path: path)
        }

        /// The firing alerts of `GET /api/v1/alerts` named `alertname`.
        func alerts(named alertname: String) async throws -> [[String: Any]] {
            let body = try JSONSerialization.jsonObject(with: Data(try await get("/api/v1/alerts").body))
            let alerts = ((body as? [String: Any])?["data"] as? [String: Any])?["alerts"] as? [[String: Any]] ?? []
            return alerts.filter { ($0["labels"] as? [String: String])?["alertname"] == alertname }
        }
    }

    /// A JavaScript string literal of `text` (for the few values the tests type into the page).
    static func literal(_ text: String) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: [text]), as: UTF8.self).dropFirst().dropLast()
            .description
    }

    @Test func aFiringDemoAlertShowsWithItsChartAndIsAckedThroughTheForm() async throws {
        let demo = try await Demo.start(incident: "daily-stop-loss")
        let alert = try await waitFor("DailyStopLoss to fire", timeout: .seconds(30)) {
            try await demo.alerts(named: "DailyStopLoss").first
        }
        let fingerprint = try #require(alert["fingerprint"] as? String)
        // The chart has a line once the series is a step (15 s) old: wait for it, not for a time.
        // Each look renders the whole page (charts, history): look twice a second, not fifty times.
        try await waitUntil("the alert's chart to draw a line", timeout: .seconds(45), poll: .milliseconds(500)) {
            let page = try await demo.get("/").text
            guard let row = page.range(of: "<tr id=\"alert-\(fingerprint)\"") else { return false }
            return page[row.upperBound...].prefix { $0 != "\n" }.split(separator: "</tr>").first?
                .contains("<polyline") == true
        }
        let browser = try await HeadlessChromium.start()
        do {
            let page = try await browser.page()
            try await page.navigate(demo.url + "/")
            let row = "document.getElementById('alert-\(fingerprint)')"
            #expect(try await page.evaluate("\(row).querySelector('td a').textContent") as? String == "DailyStopLoss")
            #expect(try await page.evaluate("\(row).querySelector('.state').textContent") as? String == "firing")
            #expect(try await page.evaluate("\(row).querySelectorAll('svg.chart polyline').length") as? Int == 1)
            #expect(try await page.evaluate("\(row).querySelector('svg.chart').getBBox().width > 0") as? Bool == true)
            #expect(try await page.evaluate("document.querySelectorAll('script').length") as? Int == 0)

            try await page.navigate(demo.url + "/ui/alerts/\(fingerprint)")
            #expect(
                try await page.evaluate("document.querySelector('#ack form input[name=token]').type") as? String
                    == "password")
            _ = try await page.evaluate(
                """
                (() => { const form = document.querySelector('#ack form');
                  form.elements.by.value = 'alice'; form.elements.comment.value = 'looking';
                  form.elements.token.value = \(try Self.literal(Self.token)); return true })()
                """)
            try await page.loading("the page after the ack") {
                _ = try await page.evaluate("document.querySelector('#ack form button').click()")
            }
            let landed = try await page.evaluate("location.pathname + ' ' + document.body.innerText.slice(0, 300)")
            #expect((landed as? String)?.hasPrefix("/ ") == true, "\(landed ?? "")")
            #expect(
                try await page.evaluate("\(row).querySelector('.state').textContent") as? String
                    == "acked by alice")
            let acked = try #require(try await demo.alerts(named: "DailyStopLoss").first)
            #expect(acked["state"] as? String == "acked")
            #expect((acked["ack"] as? [String: Any])?["by"] as? String == "alice")

            // A wrong token through the same form: a page naming it, and nothing changes.
            try await page.navigate(demo.url + "/ui/alerts/\(fingerprint)")
            _ = try await page.evaluate(
                """
                (() => { const form = document.querySelector('#unack form');
                  form.elements.by.value = 'mallory'; form.elements.token.value = 'guess'; return true })()
                """)
            try await page.loading("the refusal") {
                _ = try await page.evaluate("document.querySelector('#unack form button').click()")
            }
            #expect(
                try await page.evaluate("document.body.innerText.includes('token: this is not api.token')")
                    as? Bool == true)
            #expect(try await demo.alerts(named: "DailyStopLoss").first?["state"] as? String == "acked")
        } catch {
            try await browser.stop()
            throw error
        }
        try await browser.stop()
        #expect(try await demo.process.stop(gracePeriod: .seconds(15)) == .exited(0))
    }

    @Test func aLabelHoldingAScriptShowsAsTextAndRunsNothing() async throws {
        let demo = try await Demo.start(incident: "exchange-frozen")
        let hostile = "<script>alert(1)</script>"
        let pushed = try await LoopbackHTTPClient.send(
            "PUT", port: demo.port, path: "/metrics/job/hostile",
            headers: ["Content-Type": "text/plain; version=0.0.4"],
            body: Array(
                "# TYPE engine_kill_switch_active gauge\nengine_kill_switch_active{venue=\"\(hostile)\"} 1\n".utf8))
        #expect(pushed.status == 200, "\(pushed.text)")
        let alert = try await waitFor("the kill switch to fire for the hostile series", timeout: .seconds(30)) {
            try await demo.alerts(named: "KillSwitchActivated").first {
                ($0["labels"] as? [String: String])?["venue"] == hostile
            }
        }
        let fingerprint = try #require(alert["fingerprint"] as? String)
        let browser = try await HeadlessChromium.start()
        do {
            let page = try await browser.page()
            for path in ["/", "/ui/alerts/\(fingerprint)"] {
                try await page.navigate(demo.url + path)
                #expect(
                    try await page.evaluate("document.body.innerText.includes(\(try Self.literal(hostile)))")
                        as? Bool == true, "the label shows as text on \(path)")
                #expect(try await page.evaluate("document.querySelectorAll('script').length") as? Int == 0)
            }
            #expect(!page.eventNames.contains("Page.javascriptDialogOpening"), "alert(1) never ran")
        } catch {
            try await browser.stop()
            throw error
        }
        try await browser.stop()
        #expect(try await demo.process.stop(gracePeriod: .seconds(15)) == .exited(0))
    }
}
