import Foundation
import KlaxonRuntime
import KlaxonTestSupport
import Testing

/// The test helpers other suites rely on: if these are wrong, every suite built on them is too.
@Suite struct TestSupportTests {
    @Test func manualClockMovesOnlyWhenAdvanced() {
        let clock = ManualWallClock(milliseconds: 1_000)
        #expect(clock.nowMilliseconds() == 1_000)
        clock.advance(by: 250)
        clock.advance(by: .seconds(2))
        clock.advance(by: .milliseconds(1500))
        #expect(clock.nowMilliseconds() == 4_750)
        clock.set(milliseconds: 10)
        #expect(clock.nowMilliseconds() == 10)
    }

    @Test func loggerStampsLinesWithTheInjectedClock() {
        let sink = RecordingLogSink()
        let clock = ManualWallClock(milliseconds: 1_767_225_600_123)
        Logger(sink: sink, clock: clock).info("tick")
        #expect(sink.lines == ["ts=2026-01-01T00:00:00.123Z level=info msg=tick"])
    }

    @Test func waitUntilReturnsOnceTheConditionHolds() async throws {
        let polls = ServiceJournal()
        try await waitUntil("the third poll", poll: .milliseconds(1)) {
            polls.record("poll")
            return polls.all.count == 3
        }
        #expect(polls.all.count == 3)
    }

    @Test func waitUntilTimesOutNamingWhatItWaitedFor() async throws {
        let error = await #expect(throws: WaitTimeoutError.self) {
            try await waitUntil("pigs to fly", timeout: .milliseconds(50), poll: .milliseconds(5)) { false }
        }
        #expect(error?.description.contains("pigs to fly") == true)
    }

    @Test func freePortCanBeBoundOnLoopback() throws {
        let port = try FreePort.next()
        #expect(port > 0)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        #expect(bound == 0)
    }

    // MARK: - PeerProcess

    @Test func peerProcessCapturesOutputAndExitStatus() async throws {
        let peer = try PeerProcess(
            executable: URL(fileURLWithPath: "/bin/sh"),
            arguments: ["-c", "echo \"out $GREETING\"; cat; echo err >&2; exit 3"],
            environment: ["GREETING": "hello"],
            standardInput: Array("from stdin\n".utf8)
        )
        let status = try await peer.waitForExit()
        #expect(status == .exited(3))
        #expect(peer.standardOutput == "out hello\nfrom stdin\n")
        #expect(peer.standardError == "err\n")
    }

    @Test func stoppingAPeerSendsSIGTERMFirst() async throws {
        let peer = try PeerProcess(executable: URL(fileURLWithPath: "/bin/sleep"), arguments: ["60"])
        let status = try await peer.stop(gracePeriod: .seconds(5))
        #expect(status == .signalled(SIGTERM))
    }

    @Test func peerIgnoringSIGTERMIsKilledAfterTheGracePeriod() async throws {
        // `exec` keeps one process, so the ignored SIGTERM and the SIGKILL reach the same pid.
        let peer = try PeerProcess(
            executable: URL(fileURLWithPath: "/bin/sh"),
            arguments: ["-c", "trap '' TERM; echo ready; exec sleep 60"]
        )
        try await waitUntil("the peer to ignore SIGTERM") { peer.standardOutput.contains("ready") }
        let status = try await peer.stop(gracePeriod: .milliseconds(300))
        #expect(status == .signalled(SIGKILL))
    }

    @Test func executablesFindProgramsOnThePath() {
        #expect(Executables.find("sh")?.lastPathComponent == "sh")
        #expect(Executables.find("klaxon-no-such-program") == nil)
        #expect(
            FileManager.default.fileExists(atPath: Executables.packageRoot.appendingPathComponent("Package.swift").path)
        )
    }
}
