import Foundation
import Testing

@testable import KlaxonMetrics

/// prometheus/OpenMetrics parser test cases (`../shared/conformance/openmetrics`), read in place.
@Suite struct OpenMetricsConformanceTests {
    static let root = ConformanceData.folder("openmetrics")

    @Test func allCasesArePresent() {
        #expect(ConformanceData.cases(in: "openmetrics").count == 211)
    }

    @Test(arguments: ConformanceData.cases(in: "openmetrics"))
    func caseGivesExpectedVerdict(_ name: String) throws {
        let folder = Self.root.appendingPathComponent(name)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("test.json")))
        let shouldParse = try #require((json as? [String: Any])?["shouldParse"] as? Bool)
        let input = try [UInt8](Data(contentsOf: folder.appendingPathComponent("metrics")))
        if shouldParse {
            #expect(throws: Never.self) { try OpenMetricsParser().parse(input) }
        } else {
            #expect(throws: TextFormatParseError.self) { try OpenMetricsParser().parse(input) }
        }
    }
}
