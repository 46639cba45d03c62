import KlaxonMetrics

extension Fingerprint {
    /// Reads the API's spelling back: 1 to 16 hex digits (`description` writes 16, zero-padded).
    package init?(hex text: some StringProtocol) {
        guard (1...16).contains(text.utf8.count), text.utf8.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "+") }),
            let value = UInt64(text, radix: 16)
        else { return nil }
        self.init(rawValue: value)
    }
}
