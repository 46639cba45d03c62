import Foundation
import Testing

@testable import KlaxonServer

@Suite struct CodePageTrimTests {
    /// Resident kilobytes of this executable's code mapping, from /proc/self/smaps.
    private func residentCodeKilobytes() throws -> Int {
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let smaps = try String(contentsOfFile: "/proc/self/smaps", encoding: .utf8)
        var inCode = false
        for line in smaps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if let first = fields.first, first.contains("-"), fields.count >= 5 {
                inCode = fields[1] == "r-xp" && fields.count >= 6 && fields[5...].joined(separator: " ") == executable
            } else if inCode, fields.first == "Rss:", fields.count >= 2, let kilobytes = Int(fields[1]) {
                return kilobytes
            }
        }
        throw CocoaError(.fileReadCorruptFile)
    }

    @Test func releasingTheCodePagesUnmapsTheCodeNotRunningSinceThen() throws {
        // Everything the test process ran so far is mapped; after the release only what ran since is.
        let before = try residentCodeKilobytes()
        CodePageTrim.releaseCodePages()
        #expect(try residentCodeKilobytes() < before)
    }
}
