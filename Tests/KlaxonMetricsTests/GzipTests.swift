import Testing

import KlaxonMetrics

@Suite struct GzipTests {
    @Test(arguments: [0, 1, 100, 300_000])
    func compressThenDecompressGivesTheInputBack(size: Int) throws {
        let input = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 / 7) }
        let compressed = try Gzip.compress(input)
        #expect(compressed.starts(with: [0x1f, 0x8b]))
        #expect(try Gzip.decompress(compressed) == input)
    }

    @Test func repetitiveExpositionCompressesWell() throws {
        let text = Array(String(repeating: "engine_orders_total{venue=\"binance\"} 12345\n", count: 1_000).utf8)
        #expect(try Gzip.compress(text).count < text.count / 10)
    }

    @Test func truncatedOrForeignInputIsRefused() throws {
        let compressed = try Gzip.compress(Array("hello hello hello".utf8))
        #expect(throws: GzipError.self) { try Gzip.decompress(Array(compressed.dropLast(6))) }
        #expect(throws: GzipError.self) { try Gzip.decompress(Array("not gzip".utf8)) }
    }

    @Test func decompressionStopsAtTheLimit() throws {
        let compressed = try Gzip.compress([UInt8](repeating: 0, count: 1 << 20))
        let error = #expect(throws: GzipError.self) { try Gzip.decompress(compressed, limit: 1_000) }
        #expect(error?.description.contains("1000") == true)
    }

    @Test(arguments: [
        ("gzip", true), ("gzip, deflate, br", true), ("deflate", false), ("gzip;q=0", false), ("*", true),
        ("br;q=1.0, gzip;q=0.5", true), ("identity", false),
    ])
    func acceptEncodingDecidesGzip(header: String, expected: Bool) {
        #expect(Gzip.isAccepted(byAcceptEncoding: header) == expected)
    }
}
