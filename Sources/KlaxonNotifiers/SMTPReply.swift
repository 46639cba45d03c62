/// One SMTP reply (RFC 5321 §4.2): a three-digit code and its text lines.
///
/// `250-mx.example.com\r\n250-PIPELINING\r\n250 STARTTLS\r\n` is one reply, code 250, three lines.
package struct SMTPReply: Sendable, Equatable {
    /// 200…599 (the parser refuses anything else).
    package var code: Int
    /// The text after the code on each line, in order (an empty string for a bare `250`).
    package var lines: [String]

    package init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    /// 2xx or 3xx: the server went along.
    package var isPositive: Bool { code < 400 }

    /// 4xx: a transient failure, worth another attempt later.
    package var isTransient: Bool { (400..<500).contains(code) }

    /// The code and the text as one printable line for errors, at most about 200 characters.
    package var summary: String {
        let text = HTTPResponseClassification.printable(lines.joined(separator: " "), limit: 200)
        return text.isEmpty ? String(code) : "\(code) \(text)"
    }
}

/// Why the server's bytes are not SMTP replies.
package struct SMTPReplyError: Error, Sendable, Equatable, CustomStringConvertible {
    package var message: String

    package init(_ message: String) {
        self.message = message
    }

    package var description: String { message }
}

/// Splits what the server sends into replies, whatever the reads' boundaries.
///
/// Lines end in CRLF (a bare LF is accepted too); a line is `ddd-text` while the reply goes on and
/// `ddd text` (or `ddd`) at its end, with the same code on every line. Lines longer than
/// `maxLineBytes` and replies of more than `maxLines` lines are errors, so a hostile or broken
/// server cannot make the client buffer without bound.
package struct SMTPReplyParser: Sendable {
    /// RFC 5321 allows 512 octets per reply line; servers exceed it, so the limit is generous.
    package static let maxLineBytes = 4096
    /// EHLO answers list a few dozen extensions at most.
    package static let maxLines = 256

    private var buffer: [UInt8] = []
    private var start = 0
    private var code: Int?
    private var lines: [String] = []

    package init() {}

    /// Bytes received but not yet part of a whole reply.
    package var bufferedCount: Int { buffer.count - start }

    /// Adds received bytes.
    package mutating func append(_ bytes: some Sequence<UInt8>) {
        if start > 0, start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next whole reply, or nil when more bytes are needed.
    package mutating func next() throws(SMTPReplyError) -> SMTPReply? {
        while true {
            guard let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) else {
                if bufferedCount > Self.maxLineBytes {
                    throw SMTPReplyError("a reply line is longer than \(Self.maxLineBytes) bytes")
                }
                return nil
            }
            var end = newline
            if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            let line = buffer[start..<end]
            start = newline + 1
            guard line.count <= Self.maxLineBytes else {
                throw SMTPReplyError("a reply line is longer than \(Self.maxLineBytes) bytes")
            }
            if let reply = try take(line) { return reply }
        }
    }

    /// Adds one line to the reply being read; returns the reply when the line ends it.
    private mutating func take(_ line: ArraySlice<UInt8>) throws(SMTPReplyError) -> SMTPReply? {
        let digits = line.prefix(3)
        guard digits.count == 3, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            throw SMTPReplyError("a reply line does not start with a three-digit code: \(Self.shown(line))")
        }
        let value = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        guard (200...599).contains(value) else {
            throw SMTPReplyError("reply code \(value) is outside 200…599: \(Self.shown(line))")
        }
        if let code, code != value {
            throw SMTPReplyError("a multiline reply changes its code from \(code) to \(value): \(Self.shown(line))")
        }
        let rest = line.dropFirst(3)
        let separator = rest.first
        guard separator == nil || separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") else {
            throw SMTPReplyError("the code is not followed by a space or \"-\": \(Self.shown(line))")
        }
        guard lines.count < Self.maxLines else {
            throw SMTPReplyError("a reply has more than \(Self.maxLines) lines")
        }
        lines.append(String(decoding: rest.dropFirst(), as: UTF8.self))
        guard separator != UInt8(ascii: "-") else {
            code = value
            return nil
        }
        defer {
            code = nil
            lines = []
        }
        return SMTPReply(code: value, lines: lines)
    }

    private static func shown(_ line: ArraySlice<UInt8>) -> String {
        "\"" + HTTPResponseClassification.printable(Array(line), limit: 60) + "\""
    }
}
