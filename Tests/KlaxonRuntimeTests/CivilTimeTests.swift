import Foundation
import KlaxonRuntime
import Testing

@Suite struct CivilTimeTests {
    /// The C library's `gmtime_r` as the reference, over instants around leap days, century years and 1970.
    @Test(arguments: [
        Int64(0), -1, -86_400_000, 951_782_400_000, 951_868_799_999, 4_107_542_400_000, -2_208_988_800_001,
        -62_135_596_800_000, 1_767_225_600_123, 253_402_300_799_999,
    ])
    func matchesGmtime(_ milliseconds: Int64) {
        let time = CivilTime(unixMilliseconds: milliseconds)
        var seconds = time_t(milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        #expect(time.year == Int64(parts.tm_year) + 1900)
        #expect(time.month == Int(parts.tm_mon) + 1)
        #expect(time.day == Int(parts.tm_mday))
        #expect(time.hour == Int(parts.tm_hour))
        #expect(time.minute == Int(parts.tm_min))
        #expect(time.second == Int(parts.tm_sec))
        #expect(time.weekday == Int(parts.tm_wday))
        #expect(time.millisecond == Int(((milliseconds % 1000) + 1000) % 1000))
    }

    @Test func padsAndKeepsTheSign() {
        #expect(CivilTime.padded(7, 2) == "07")
        #expect(CivilTime.padded(Int64(-12), 4) == "-0012")
        #expect(CivilTime.padded(12345, 4) == "12345")
    }
}
