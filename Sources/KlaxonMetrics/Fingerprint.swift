/// The identity of a label set as a 64-bit hash: FNV-1a over each label as name, 0xFF, value,
/// 0xFF, labels in byte order of their names.
///
/// This is prometheus/common's `LabelSet.Fingerprint`, so an alert's fingerprint equals the one
/// Alertmanager computes and shows (16 lower-case hex digits) for the same labels.
package struct Fingerprint: Hashable, Comparable, Sendable, CustomStringConvertible {
    package let rawValue: UInt64

    package init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// The fingerprint of `labels` (all of them, `__name__` included when present).
    package init(_ labels: Labels) {
        var pairs = labels.pairs
        // Labels sorts with Swift's String order; Go sorts bytes. They differ only off ASCII.
        if pairs.contains(where: { !$0.name.utf8.allSatisfy { $0 < 0x80 } }) {
            pairs.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        @inline(__always) func add(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        for label in pairs {
            for byte in label.name.utf8 { add(byte) }
            add(0xFF)
            for byte in label.value.utf8 { add(byte) }
            add(0xFF)
        }
        rawValue = hash
    }

    /// 16 lower-case hex digits, as Alertmanager prints fingerprints.
    package var description: String {
        let hex = String(rawValue, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    package static func < (lhs: Fingerprint, rhs: Fingerprint) -> Bool { lhs.rawValue < rhs.rawValue }
}
