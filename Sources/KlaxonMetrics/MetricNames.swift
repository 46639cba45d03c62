/// Validation of metric and label names, as Prometheus's legacy (pre-UTF-8) rules define them.
package enum MetricNames {
    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`
    package static func isValidMetricName(_ name: String) -> Bool {
        isValid(name, allowColon: true)
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`; names starting with `__` are reserved for internal use.
    package static func isValidLabelName(_ name: String) -> Bool {
        isValid(name, allowColon: false)
    }

    private static func isValid(_ name: String, allowColon: Bool) -> Bool {
        var bytes = name.utf8.makeIterator()
        guard let first = bytes.next() else { return false }
        func isLetter(_ byte: UInt8) -> Bool {
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || byte == UInt8(ascii: "_") || (allowColon && byte == UInt8(ascii: ":"))
        }
        guard isLetter(first) else { return false }
        while let byte = bytes.next() {
            guard isLetter(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) else { return false }
        }
        return true
    }
}
