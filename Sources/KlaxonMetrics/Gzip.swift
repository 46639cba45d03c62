import CZlib

/// Why gzip compression or decompression failed.
package struct GzipError: Error, Equatable, CustomStringConvertible {
    package let description: String
}

/// gzip (RFC 1952) through zlib, for `Content-Encoding: gzip` on `/metrics`.
package enum Gzip {
    /// Compresses `bytes` into a gzip member (zlib `deflateInit2` with window bits 31).
    package static func compress(_ bytes: [UInt8], level: Int32 = Z_DEFAULT_COMPRESSION) throws(GzipError) -> [UInt8] {
        var stream = z_stream()
        let initStatus = deflateInit2_(
            &stream, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)
        )
        guard initStatus == Z_OK else { throw GzipError(description: "gzip: zlib deflateInit2 failed with status \(initStatus)") }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 32)
        let status: Int32 = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw GzipError(description: "gzip: zlib deflate failed with status \(status)") }
        output.removeSubrange(Int(stream.total_out)...)
        return output
    }

    /// Decompresses one gzip member; output beyond `limit` bytes is refused.
    package static func decompress(_ bytes: [UInt8], limit: Int = 64 << 20) throws(GzipError) -> [UInt8] {
        var stream = z_stream()
        let initStatus = inflateInit2_(&stream, 31, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard initStatus == Z_OK else { throw GzipError(description: "gzip: zlib inflateInit2 failed with status \(initStatus)") }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        var status: Int32 = Z_OK
        bytes.withUnsafeBufferPointer { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = uInt(input.count)
            repeat {
                let produced: Int = chunk.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress
                    stream.avail_out = uInt(target.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return target.count - Int(stream.avail_out)
                }
                output.append(contentsOf: chunk[0..<produced])
            } while status == Z_OK && output.count <= limit && (stream.avail_in > 0 || stream.avail_out == 0)
        }
        guard output.count <= limit else { throw GzipError(description: "gzip: decompressed data exceeds the limit of \(limit) bytes") }
        guard status == Z_STREAM_END else {
            throw GzipError(description: "gzip: input is not a complete gzip stream (zlib status \(status))")
        }
        return output
    }

    /// True when an `Accept-Encoding` header value accepts gzip (`gzip` or `*` with q > 0).
    package static func isAccepted(byAcceptEncoding header: String?) -> Bool {
        guard let header, header.utf8.count <= 4096 else { return false }
        for part in header.split(separator: ",") {
            let fields = part.split(separator: ";").map { $0.filter { $0 != " " && $0 != "\t" }.lowercased() }
            guard let coding = fields.first, coding == "gzip" || coding == "x-gzip" || coding == "*" else { continue }
            let quality = fields.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            if quality > 0 { return true }
        }
        return false
    }
}
