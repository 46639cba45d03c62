import KlaxonRuntime

/// Formats the `Date` header (IMF-fixdate, RFC 9110 §5.6.7) from Unix milliseconds.
package enum HTTPDate {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// E.g. `Sun, 06 Nov 1994 08:49:37 GMT` for 784111777000.
    package static func format(milliseconds: Int64) -> String {
        let time = CivilTime(unixMilliseconds: milliseconds)
        return "\(days[time.weekday]), \(pad(time.day)) \(months[time.month - 1]) \(time.year) "
            + "\(pad(time.hour)):\(pad(time.minute)):\(pad(time.second)) GMT"
    }

    private static func pad(_ value: Int) -> String { CivilTime.padded(value, 2) }
}
