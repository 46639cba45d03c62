import Foundation

/// Debian's `chromium`, headless, with a profile of its own and DevTools on a port it chooses:
/// the real browser the status page tests load pages in, JavaScript on (so a script the page let
/// through would run) and the page's Content-Security-Policy enforced.
package final class HeadlessChromium: Sendable {
    /// The browser process; `stop()` ends it by its pid.
    package let process: PeerProcess
    /// The DevTools HTTP and WebSocket port.
    package let port: UInt16
    private let profile: URL

    private init(process: PeerProcess, port: UInt16, profile: URL) {
        self.process = process
        self.port = port
        self.profile = profile
    }

    /// Starts the browser and waits until DevTools listens.
    package static func start() async throws -> HeadlessChromium {
        let chromium = try Executables.require(.chromium)
        let profile = try PeerDirectories.make(for: "chromium-profile")
        let process = try PeerProcess(executable: chromium, arguments: arguments(profile: profile) + ["about:blank"])
        // Chromium writes the port it chose to DevToolsActivePort in the profile once it listens.
        let portFile = profile.appendingPathComponent("DevToolsActivePort")
        let port = try await waitFor("chromium to open its DevTools port", timeout: .seconds(60)) { () -> UInt16? in
            if let status = process.exitStatus {
                throw DevToolsError("chromium \(status) before DevTools listened:\n\(process.outputForDiagnosis)")
            }
            guard let text = try? String(contentsOf: portFile, encoding: .utf8) else { return nil }
            return text.split(separator: "\n").first.flatMap { UInt16($0) }
        }
        return HeadlessChromium(process: process, port: port, profile: profile)
    }

    /// The flags every run uses: headless, as root in a container (no sandbox), no GPU, no
    /// first-run chores, the profile given.
    package static func arguments(profile: URL) -> [String] {
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
            "--disable-extensions", "--disable-background-networking", "--disable-dev-shm-usage",
            "--remote-debugging-port=0", "--user-data-dir=\(profile.path)",
        ]
    }

    /// The browser's first tab, with page events on.
    package func page() async throws -> DevToolsPage {
        // Raw HTTP: DevTools writes header fields without a space after the colon, which
        // URLSession's parser refuses.
        let response = try await RawTCPConnection.exchange(
            port: port,
            sending: Array("GET /json/list HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n".utf8),
            timeout: .seconds(10))
        let separator = Array("\r\n\r\n".utf8)
        let start = response.bytes.indices.first { response.bytes[$0...].starts(with: separator) }
        let body = start.map { Data(response.bytes[($0 + separator.count)...]) } ?? Data()
        let targets = (try? JSONSerialization.jsonObject(with: body)) as? [[String: Any]] ?? []
        guard let target = targets.first(where: { $0["type"] as? String == "page" }),
            let socket = target["webSocketDebuggerUrl"] as? String, let url = URL(string: socket)
        else {
            throw DevToolsError("chromium lists no page to drive: \(response.text.prefix(300))")
        }
        let page = try await DevToolsPage(port: port, path: url.path)
        try await page.call("Page.enable")
        try await page.call("Runtime.enable")
        return page
    }

    /// Stops the browser (SIGTERM, then SIGKILL) and deletes its profile.
    @discardableResult
    package func stop() async throws -> PeerExitStatus {
        let status = try await process.stop(gracePeriod: .seconds(10))
        PeerDirectories.remove(profile)
        return status
    }
}
