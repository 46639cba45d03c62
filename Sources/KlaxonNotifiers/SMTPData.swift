/// The DATA payload of a message (RFC 5321 §4.5.2): CRLF line endings, a `.` doubled at the start of
/// every line, and the terminating `CRLF.CRLF`.
package enum SMTPData {
    /// `message` as sent after `354`: bare LF and bare CR become CRLF, lines starting with `.` get a
    /// second `.`, and `.\r\n` ends it (after a CRLF added when the message lacks a final one).
    package static func stuffed(_ message: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(message.count + message.count / 64 + 5)
        var atLineStart = true
        var index = 0
        while index < message.count {
            let byte = message[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\r"):
                if index < message.count, message[index] == UInt8(ascii: "\n") { index += 1 }
                out += [13, 10]
                atLineStart = true
            case UInt8(ascii: "\n"):
                out += [13, 10]
                atLineStart = true
            default:
                if atLineStart, byte == UInt8(ascii: ".") { out.append(UInt8(ascii: ".")) }
                out.append(byte)
                atLineStart = false
            }
        }
        if !atLineStart || message.isEmpty { out += [13, 10] }
        out += [UInt8(ascii: "."), 13, 10]
        return out
    }

    /// What a server makes of a stuffed payload: the message with the leading dots undone and the
    /// terminator removed; nil when `payload` does not end with `CRLF.CRLF`. For tests and fuzzing.
    package static func unstuffed(_ payload: [UInt8]) -> [UInt8]? {
        guard payload.count >= 5, payload.suffix(5).elementsEqual([13, 10, UInt8(ascii: "."), 13, 10]) else {
            return nil
        }
        var out: [UInt8] = []
        var atLineStart = true
        for byte in payload.dropLast(3) {
            if atLineStart, byte == UInt8(ascii: ".") {
                atLineStart = false
                continue
            }
            out.append(byte)
            atLineStart = byte == UInt8(ascii: "\n")
        }
        return out
    }
}
