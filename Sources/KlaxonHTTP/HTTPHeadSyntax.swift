/// Byte-level grammar shared by the request parser and the client's response parser (RFC 9110/9112).
enum HTTPHeadSyntax {
    static let cr = UInt8(ascii: "\r")
    static let lf = UInt8(ascii: "\n")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let colon = UInt8(ascii: ":")

    /// Whether `byte` may appear in a token (method, header name).
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }

    /// Splits a header block (without its final empty line) into lines at LF, dropping a CR before it.
    static func lines(_ block: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var lineStart = block.startIndex
        var index = block.startIndex
        while index < block.endIndex {
            if block[index] == lf {
                let end = index > lineStart && block[index - 1] == cr ? index - 1 : index
                lines.append(block[lineStart..<end])
                lineStart = index + 1
            }
            index += 1
        }
        if lineStart < block.endIndex { lines.append(block[lineStart...]) }
        return lines
    }

    /// Parses `Name: value` (value trimmed of spaces and tabs); `where` names the line for the message.
    static func field(_ line: ArraySlice<UInt8>, where place: String) throws(HTTPParseError) -> HTTPHeaderField {
        guard let first = line.first else { throw .bad("The \(place) is empty.") }
        if first == space || first == tab {
            throw .bad("The \(place) starts with whitespace (obsolete line folding), which is not accepted.")
        }
        guard let colon = line.firstIndex(of: colon) else {
            throw .bad("The \(place) has no colon; a header is written `Name: value`.")
        }
        let name = line[line.startIndex..<colon]
        guard !name.isEmpty else { throw .bad("The \(place) has an empty header name.") }
        guard name.allSatisfy(isTokenByte) else {
            throw .bad("The \(place) has a header name with a character not allowed in a token (no spaces before the colon).")
        }
        var value = line[(colon + 1)...]
        while let head = value.first, head == space || head == tab { value = value.dropFirst() }
        while let tail = value.last, tail == space || tail == tab { value = value.dropLast() }
        for byte in value where (byte < 0x20 && byte != tab) || byte == 0x7F {
            throw .bad("The \(place) has a control character (\(byte)) in the value of \(String(decoding: name, as: UTF8.self)).")
        }
        return HTTPHeaderField(name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self))
    }

    /// Reads `HTTP/1.x`; a major version other than 1 is 505, anything else malformed is 400.
    static func version(_ bytes: ArraySlice<UInt8>, where place: String) throws(HTTPParseError) -> HTTPVersion {
        let text = Array(bytes)
        guard text.count == 8, text.starts(with: "HTTP/".utf8), text[6] == UInt8(ascii: "."),
            let major = digit(text[5]), let minor = digit(text[7])
        else {
            throw .bad("The \(place) has no valid HTTP version; expected HTTP/1.1 or HTTP/1.0.")
        }
        guard major == 1 else {
            throw HTTPParseError(.versionNotSupported, "HTTP/\(major).\(minor) is not supported; use HTTP/1.1 or HTTP/1.0.")
        }
        return HTTPVersion(major: 1, minor: min(minor, 1))
    }

    /// Parses a decimal `Content-Length` list (`5` or `5, 5`); every value must agree.
    static func contentLength(_ values: [String]) throws(HTTPParseError) -> Int? {
        var length: Int?
        for item in values.flatMap({ $0.split(separator: ",", omittingEmptySubsequences: false) }) {
            let digits = item.trimmingASCIIWhitespace()
            guard !digits.isEmpty, digits.count <= 18, digits.utf8.allSatisfy({ digit($0) != nil }),
                let value = Int(digits)
            else {
                throw .bad("Content-Length \"\(item.prefix(40))\" is not a non-negative decimal number.")
            }
            if let earlier = length, earlier != value {
                throw .bad("Conflicting Content-Length values \(earlier) and \(value); send one length.")
            }
            length = value
        }
        return length
    }

    private static func digit(_ byte: UInt8) -> Int? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int(byte - UInt8(ascii: "0")) : nil
    }
}
