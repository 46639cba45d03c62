import KlaxonHTTP

/// Scrape responses come from the network: feeds arbitrary bytes to the client's response
/// decoder, whole and in splits chosen by the input. It must never crash, keep bodies within the
/// limit, and reach the same response (or the same refusal) however the bytes arrive.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let seed = bytes.first else { return 0 }
    let input = Array(bytes.dropFirst())
    let expectsBody = seed & 1 == 0
    let limit = seed & 2 == 0 ? 64 : 4096

    let whole = decode([input[...]], expectsBody: expectsBody, limit: limit)
    var pieces: [ArraySlice<UInt8>] = []
    var offset = 0
    var step = Int(seed >> 2) % 11 + 1
    while offset < input.count {
        let end = min(input.count, offset + step)
        pieces.append(input[offset..<end])
        offset = end
        step = (step * 5 + Int(seed)) % 13 + 1
    }
    let split = decode(pieces, expectsBody: expectsBody, limit: limit)
    switch (whole, split) {
    case (.success(let a), .success(let b)):
        precondition(a == b, "the response depends on how the bytes were split")
    case (.failure, .failure):
        break
    default:
        preconditionFailure("one split was refused and the other not: \(whole) vs \(split)")
    }
    if case .success(let response?) = whole {
        precondition(response.body.count <= limit, "body of \(response.body.count) bytes over the limit \(limit)")
        _ = response.text
        _ = response.status.code
    }
    return 0
}

/// Feeds `pieces` and then the connection's end; the response, nil when it never completed, or
/// the refusal (whose message must be non-empty).
private func decode(_ pieces: [ArraySlice<UInt8>], expectsBody: Bool, limit: Int)
    -> Result<HTTPClientResponse?, HTTPParseError>
{
    var decoder = HTTPResponseDecoder(expectsBody: expectsBody, maxBodyBytes: limit)
    do {
        var complete = false
        for piece in pieces where !complete {
            complete = try decoder.feed(piece)
        }
        if !complete { try decoder.finish() }
        return .success(decoder.response)
    } catch {
        precondition(!error.message.isEmpty, "a refusal without a message")
        return .failure(error)
    }
}
