import KlaxonRuntime

/// Go's default `time.Time` text for a UTC instant: `2006-01-02 15:04:05.999999999 +0000 UTC`.
package enum GoTime {
    package static func format(unixMilliseconds: Int64) -> String {
        let time = CivilTime(unixMilliseconds: unixMilliseconds)
        // Go pads years to four digits and keeps a minus sign for years before 0.
        var out = CivilTime.padded(time.year, 4) + "-" + two(time.month) + "-" + two(time.day) + " "
        out += two(time.hour) + ":" + two(time.minute) + ":" + two(time.second)
        if time.millisecond != 0 {
            var fraction = CivilTime.padded(time.millisecond, 3)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            out += "." + fraction
        }
        return out + " +0000 UTC"
    }

    private static func two(_ value: Int) -> String { CivilTime.padded(value, 2) }
}
