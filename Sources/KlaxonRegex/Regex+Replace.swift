// MARK: - Go's Expand and ReplaceAllString

extension Regex {
    /// Go's `Regexp.Expand`: `template` with `$1`, `${1}`, `$name`, `${name}` replaced by the
    /// groups of `slots` in `source`, `$$` by `$`. A name is as long as possible (`$1x` is
    /// `${1x}`); a group that is missing or did not take part expands to nothing; a `$` that starts
    /// no name stays.
    package func expand(
        _ template: String, slots: [Int], in source: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]
    ) {
        let bytes = Array(template.utf8)
        var i = 0
        func append(group: Int) {
            let at = 2 * group
            guard at + 1 < slots.count, slots[at] >= 0, slots[at] <= slots[at + 1], slots[at + 1] <= source.count
            else { return }
            out.append(contentsOf: source[slots[at]..<slots[at + 1]])
        }
        while i < bytes.count {
            guard let dollar = bytes[i...].firstIndex(of: UInt8(ascii: "$")) else { break }
            out.append(contentsOf: bytes[i..<dollar])
            i = dollar + 1
            if i < bytes.count && bytes[i] == UInt8(ascii: "$") {
                out.append(UInt8(ascii: "$"))
                i += 1
                continue
            }
            guard let (name, number, rest) = Self.extractName(bytes, from: i) else {
                out.append(UInt8(ascii: "$"))
                continue
            }
            i = rest
            if number >= 0 {
                append(group: number)
            } else if let index = captureNames.firstIndex(where: { $0 == name }) {
                append(group: index)
            }
        }
        if i < bytes.count { out.append(contentsOf: bytes[i...]) }
    }

    /// Go's `extract`: the name after a `$` at `from`, its number (-1 when not a plain number) and
    /// where the template goes on; nil when no name starts there.
    private static func extractName(_ bytes: [UInt8], from: Int) -> (String, Int, Int)? {
        guard from < bytes.count else { return nil }
        var i = from
        let braced = bytes[i] == UInt8(ascii: "{")
        if braced { i += 1 }
        let nameStart = i
        let count = bytes.count
        bytes.withUnsafeBufferPointer { buffer in
            while i < count {
                let (r, width) = UTF8Decoding.decode(buffer, at: i)
                guard r == 0x5F || CharClass.isLetterOrDigit(r), width > 0 else { break }
                i += width
            }
        }
        guard i > nameStart else { return nil }
        let nameBytes = bytes[nameStart..<i]
        if braced {
            guard i < count, bytes[i] == UInt8(ascii: "}") else { return nil }
            i += 1
        }
        var number = 0
        for byte in nameBytes {
            if byte < 0x30 || byte > 0x39 || number >= 100_000_000 {
                number = -1
                break
            }
            number = number * 10 + Int(byte - 0x30)
        }
        if nameBytes.first == 0x30 && nameBytes.count > 1 { number = -1 }
        return (String(decoding: nameBytes, as: UTF8.self), number, i)
    }

    /// Go's `ReplaceAllString`: every match replaced by `template` expanded, except an empty match
    /// right after the previous match. Nil when the result would pass `maxBytes` bytes.
    package func replaceAll(in text: String, template: String, maxBytes: Int) -> String? {
        var text = text
        return text.withUTF8 { source -> String? in
            var out: [UInt8] = []
            var lastMatchEnd = 0
            var searchPos = 0
            let end = source.count
            while searchPos <= end {
                guard let slots = try? firstMatch(in: source, from: searchPos), slots.count >= 2
                else { break }
                if slots[0] >= lastMatchEnd { out.append(contentsOf: source[lastMatchEnd..<slots[0]]) }
                if slots[1] > lastMatchEnd || slots[0] == 0 {
                    expand(template, slots: slots, in: source, into: &out)
                }
                lastMatchEnd = slots[1]
                if out.count > maxBytes { return nil }
                let width = UTF8Decoding.decode(source, at: searchPos).width
                if searchPos + width > slots[1] {
                    searchPos += width
                } else if searchPos + 1 > slots[1] {
                    searchPos += 1
                } else {
                    searchPos = slots[1]
                }
            }
            if lastMatchEnd < end { out.append(contentsOf: source[lastMatchEnd..<end]) }
            guard out.count <= maxBytes else { return nil }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// The first match's slots in `text` (Go's `FindStringSubmatchIndex`), or nil.
    package func firstMatch(in text: String) -> [Int]? {
        var text = text
        return text.withUTF8 { buffer in (try? firstMatch(in: buffer)) ?? nil }
    }

    /// Go's `ReplaceAllString`-style expansion of one match of `text` (as `label_replace` uses it):
    /// nil when the pattern does not match.
    package func expandFirstMatch(in text: String, template: String) -> String? {
        var text = text
        return text.withUTF8 { buffer -> String? in
            guard let slots = try? firstMatch(in: buffer) else { return nil }
            var out: [UInt8] = []
            expand(template, slots: slots, in: buffer, into: &out)
            return String(decoding: out, as: UTF8.self)
        }
    }
}
