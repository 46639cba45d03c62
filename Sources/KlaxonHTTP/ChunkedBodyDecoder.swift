/// Decodes a `Transfer-Encoding: chunked` body incrementally, trailers included.
///
/// Shared by the request parser and the client. Chunk extensions are read and ignored.
struct ChunkedBodyDecoder: Sendable {
    private enum Phase: Sendable {
        case size
        case data(remaining: Int)
        case dataEnd
        case trailers
        case done
    }

    private static let maxSizeLine = 4096

    private var phase = Phase.size
    private(set) var trailers = HTTPHeaders()
    private var trailerBytes = 0
    private var chunkNumber = 0
    private let maxBodyBytes: Int
    private let maxTrailerBytes: Int

    init(maxBodyBytes: Int, maxTrailerBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
        self.maxTrailerBytes = maxTrailerBytes
    }

    /// Consumes bytes of `buffer` from `cursor`, appending chunk data to `body`; true once the body is complete.
    mutating func consume(_ buffer: [UInt8], cursor: inout Int, body: inout [UInt8]) throws(HTTPParseError) -> Bool {
        while true {
            switch phase {
            case .done:
                return true
            case .size:
                let tooLong = HTTPParseError.bad("A chunk size line is longer than \(Self.maxSizeLine) bytes.")
                guard let line = try Self.line(in: buffer, from: &cursor, limit: Self.maxSizeLine, tooLong: tooLong)
                else { return false }
                chunkNumber += 1
                let size = try chunkSize(line)
                if size == 0 {
                    phase = .trailers
                } else {
                    guard size <= maxBodyBytes - body.count else {
                        throw HTTPParseError(.contentTooLarge, "The chunked body exceeds the limit of \(maxBodyBytes) bytes.")
                    }
                    phase = .data(remaining: size)
                }
            case .data(let remaining):
                let available = min(remaining, buffer.count - cursor)
                guard available > 0 else { return false }
                body.append(contentsOf: buffer[cursor..<(cursor + available)])
                cursor += available
                phase = available == remaining ? .dataEnd : .data(remaining: remaining - available)
            case .dataEnd:
                guard buffer.count - cursor >= 2 else { return false }
                guard buffer[cursor] == HTTPHeadSyntax.cr, buffer[cursor + 1] == HTTPHeadSyntax.lf else {
                    throw .bad("Chunk \(chunkNumber) has more data than its size says; a chunk ends with CRLF.")
                }
                cursor += 2
                phase = .size
            case .trailers:
                let start = cursor
                let tooLong = HTTPParseError(.headerFieldsTooLarge, "The trailer section exceeds \(maxTrailerBytes) bytes.")
                let limit = maxTrailerBytes - trailerBytes
                guard let line = try Self.line(in: buffer, from: &cursor, limit: limit, tooLong: tooLong)
                else { return false }
                trailerBytes += cursor - start
                if line.isEmpty {
                    phase = .done
                    return true
                }
                let field = try HTTPHeadSyntax.field(line, where: "trailer line")
                trailers.add(field.name, field.value)
            }
        }
    }

    private func chunkSize(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> Int {
        let digits = line.prefix { HTTPRequestTarget.hexValue($0) != nil }
        let rest = line.dropFirst(digits.count).drop { $0 == HTTPHeadSyntax.space || $0 == HTTPHeadSyntax.tab }
        guard !digits.isEmpty, digits.count <= 15, rest.isEmpty || rest.first == UInt8(ascii: ";") else {
            throw .bad(
                "Chunk \(chunkNumber) has an invalid size line \"\(String(decoding: line.prefix(40), as: UTF8.self))\"; "
                    + "expected hex digits, optionally followed by ;extensions.")
        }
        return digits.reduce(0) { $0 << 4 | Int(HTTPRequestTarget.hexValue($1) ?? 0) }
    }

    /// The next CRLF-terminated line from `cursor` (without CRLF), nil if incomplete; bare LF is an error,
    /// and `tooLong` is thrown once `limit` bytes have arrived without a line end.
    static func line(
        in buffer: [UInt8], from cursor: inout Int, limit: Int, tooLong: HTTPParseError
    ) throws(HTTPParseError) -> ArraySlice<UInt8>? {
        let end = min(buffer.count, cursor + max(limit, 0))
        guard let lf = buffer[cursor..<end].firstIndex(of: HTTPHeadSyntax.lf) else {
            if buffer.count - cursor >= limit {
                throw tooLong
            }
            return nil
        }
        guard lf > cursor, buffer[lf - 1] == HTTPHeadSyntax.cr else {
            throw .bad("A chunk size or trailer line ends in a bare LF; lines must end with CRLF.")
        }
        let line = buffer[cursor..<(lf - 1)]
        cursor = lf + 1
        return line
    }
}
