/// A write cursor over memory already sized for what is written; the exposition hot path's output.
///
/// Callers reserve an upper bound first (see `ExpositionWriter`), so writes need no capacity checks.
struct ByteWriter {
    private let base: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private(set) var position = 0

    init(base: UnsafeMutablePointer<UInt8>, capacity: Int) {
        self.base = base
        self.capacity = capacity
    }

    @inline(__always)
    mutating func write(_ byte: UInt8) {
        precondition(position < capacity, "exposition size bound underestimated")
        base[position] = byte
        position += 1
    }

    @inline(__always)
    mutating func write(_ first: UInt8, _ second: UInt8) {
        write(first)
        write(second)
    }

    mutating func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { source in
            guard let from = source.baseAddress, source.count > 0 else { return }
            precondition(position + source.count <= capacity, "exposition size bound underestimated")
            (base + position).update(from: from, count: source.count)
            position += source.count
        }
    }

    /// Copies `range` of `source`.
    @inline(__always)
    mutating func write(_ source: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        guard let from = source.baseAddress, !range.isEmpty else { return }
        precondition(
            range.upperBound <= source.count && position + range.count <= capacity,
            "exposition size bound underestimated")
        (base + position).update(from: from + range.lowerBound, count: range.count)
        position += range.count
    }

    /// Writes `value` in decimal, left-padded with zeros to `width`; divides only by the constant 10.
    mutating func writeDecimal(_ value: UInt64, width: Int = 1) {
        var digits = 1
        var probe = value
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        let count = max(digits, width)
        precondition(position + count <= capacity, "exposition size bound underestimated")
        var rest = value
        var index = position + count - 1
        while index >= position {
            base[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
            index -= 1
        }
        position += count
    }

    mutating func write(_ text: String) {
        for byte in text.utf8 { write(byte) }
    }

    /// Runs `body` with a writer over a scratch buffer and appends what it wrote to `out`.
    static func appending(to out: inout [UInt8], bound: Int, _ body: (inout ByteWriter) -> Void) {
        if out.isEmpty && out.capacity < bound {
            // A fresh buffer (each `/metrics` response): skip zero-filling the bound, often a megabyte.
            out = [UInt8](unsafeUninitializedCapacity: bound) { buffer, initialized in
                guard let base = buffer.baseAddress else { return }
                var writer = ByteWriter(base: base, capacity: bound)
                body(&writer)
                initialized = writer.position
            }
            return
        }
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: bound))
        let written = out.withUnsafeMutableBufferPointer { buffer -> Int in
            guard let base = buffer.baseAddress else { return 0 }
            var writer = ByteWriter(base: base + start, capacity: bound)
            body(&writer)
            return writer.position
        }
        out.removeLast(bound - written)
    }
}
